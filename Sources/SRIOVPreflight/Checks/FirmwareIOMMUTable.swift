extension Checks {
    static let firmwareIOMMUTable = Check(CheckDescription(
        id: "firmware.iommu-table",
        title: "IOMMU table in firmware (ACPI DMAR / IVRS)",
        category: "firmware",
        severity: .error,
        rationale: """
            The BIOS describes the IOMMU to the OS in an ACPI table: DMAR for Intel VT-d, IVRS for AMD-Vi. \
            When VT-d/AMD-Vi is disabled in the BIOS the table is absent and no kernel argument can turn the \
            IOMMU on. A table whose header length or checksum is wrong is corrupt firmware data.
            """,
        remediation: """
            Enable Intel VT-d (\"Intel Virtualization Technology for Directed I/O\") or AMD IOMMU / AMD-Vi in the \
            BIOS/UEFI setup, save, and power-cycle the host. If a table is corrupt, update the BIOS.
            """,
        reads: ["sys/firmware/acpi/tables/DMAR", "sys/firmware/acpi/tables/IVRS"],
        manualCheck: "ls -l /sys/firmware/acpi/tables/DMAR /sys/firmware/acpi/tables/IVRS",
        examples: [
            .passes("Intel DMAR", .intelReady),
            .passes("AMD IVRS", .amdReady),
            .fails("VT-d off in BIOS", .intelBIOSOff),
            .errors("DMAR with a bad length", .intelReady.bytes("sys/firmware/acpi/tables/DMAR",
                                                                Array(SyntheticTables.dmar().prefix(40)))),
            .warns("DMAR with a bad checksum", .intelReady.bytes("sys/firmware/acpi/tables/DMAR",
                                                                  { var t = SyntheticTables.dmar(); t[9] &+= 1; return t }())),
            .errors("DMAR whose structure runs past the end", .intelReady.bytes("sys/firmware/acpi/tables/DMAR",
                                                                  { var t = SyntheticTables.dmar(); t[50] = 0x40; t[9] &-= 0x30; return t }())),
            .errors("tables directory unreadable", .intelReady.unreadable("sys/firmware/acpi/tables/DMAR", .io("Input/output error"))),
        ])) { s in
        let fw = s.firmware
        var found: [String] = []
        var ev: [Evidence] = []
        var badChecksum: [String] = []
        for t in [fw.dmar, fw.ivrs] {
            switch t.bytes {
            case .failure(.missing):
                continue
            case .failure(.permissionDenied):
                found.append("\(t.name) (present; contents need root to verify)")
                ev.append(Evidence(t.path, "present, unreadable: permission denied"))
            case .failure(let e):
                return [.error("\(t.path) exists but cannot be read: \(e)", [Evidence(t.path, e.description)])]
            case .success(let b):
                if let problem = t.headerProblem, !problem.hasPrefix("checksum") {
                    return [.error("\(t.path) is not a valid ACPI table: \(problem)",
                                   [Evidence(t.path, "\(b.count) bytes: \(problem)", expected: "a valid ACPI header")])]
                }
                let decoded = t.name == "DMAR" ? fw.dmarTable.map { $0.map { _ in () } } : fw.ivrsTable.map { $0.map { _ in () } }
                if case .failure(let e)? = decoded {
                    return [.error("\(t.path) does not decode: \(e)", [Evidence(t.path, "\(b.count) bytes: \(e)", expected: "a well-formed \(t.name) table")])]
                }
                if let problem = t.headerProblem { badChecksum.append("\(t.name): \(problem)") }
                found.append(t.name)
                ev.append(Evidence(t.path, "\(b.count) bytes, signature \(t.name), checksum \(t.headerProblem == nil ? "valid" : "INVALID"), decoded"))
            }
        }
        if !badChecksum.isEmpty {
            return [.warn("firmware describes an IOMMU (\(found.joined(separator: ", "))) but \(badChecksum.joined(separator: "; ")): corrupt firmware data, update the BIOS", ev)]
        }
        if found.isEmpty {
            if let p = fw.tablesDirProblem, p != .missing {
                return [.error("cannot list \(FirmwareFacts.tablesDir): \(p)")]
            }
            return [.fail("no DMAR or IVRS table: VT-d / AMD-Vi is disabled in the BIOS (or the platform has no IOMMU)",
                          [Evidence(FirmwareFacts.tablesDir, "no DMAR, no IVRS", expected: "DMAR (Intel) or IVRS (AMD)")])]
        }
        return [.pass("firmware describes an IOMMU: \(found.joined(separator: ", "))", ev)]
    }
}
