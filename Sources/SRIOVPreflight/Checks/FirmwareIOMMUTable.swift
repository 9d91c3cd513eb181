extension Checks {
    static let firmwareIOMMUTable = Check(CheckDescription(
        id: .firmwareIOMMUTable,
        title: "IOMMU table in firmware (ACPI DMAR / IVRS)",
        category: .firmware,
        severity: .error,
        rationale: """
            The BIOS describes the IOMMU to the OS in an ACPI table: DMAR for Intel VT-d, IVRS for AMD-Vi. \
            When VT-d/AMD-Vi is disabled in the BIOS the table is absent and no kernel argument can turn the \
            IOMMU on. A table whose header length or checksum is wrong is corrupt firmware data; a DMAR that \
            lists a unit at address 0 is rejected whole by the kernel. A table the kernel found (its `ACPI: DMAR` \
            line, active units) but that is missing from the evidence is a capture made without root, not a \
            BIOS setting.
            """,
        remediation: """
            Enable Intel VT-d (\"Intel Virtualization Technology for Directed I/O\") or AMD IOMMU / AMD-Vi in the \
            BIOS/UEFI setup, save, and power-cycle the host. If a table is corrupt, update the BIOS.
            """,
        reads: ["sys/firmware/acpi/tables/DMAR", "sys/firmware/acpi/tables/IVRS", "acpidump.txt, acpidump, acpidump.out, acpi.dat (acpidump text at a capture's root)", "sys/class/iommu", "kernel log: ACPI: DMAR/IVRS, DMAR, AMD-Vi lines"],
        manualCheck: "ls -l /sys/firmware/acpi/tables/DMAR /sys/firmware/acpi/tables/IVRS",
        messages: [
            "present": "firmware describes an IOMMU: {tables}",
            "present-unverified": "firmware describes an IOMMU: {tables} (present; contents need root to verify)",
            "unreadable": "{path} exists but cannot be read: {reason}",
            "invalid-header": "{path} is not a valid ACPI table: {problem}",
            "undecodable": "{path} does not decode: {reason}",
            "dmar-at-zero": "the BIOS reports a VT-d unit at address 0, so the kernel rejects the whole DMAR table (no IOMMU, no interrupt remapping): update the BIOS",
            "bad-checksum": "firmware describes an IOMMU ({tables}) but {problems}: corrupt firmware data, update the BIOS",
            "tables-dir-unreadable": "cannot list {path}: {reason}",
            "table-not-readable-here": "table present on the host (kernel log, active units) but not readable here: run as root / capture incomplete",
            "no-table-in-log": "no DMAR or IVRS table in this boot's kernel log: VT-d / AMD-Vi is disabled in the BIOS (or the platform has no IOMMU)",
            "not-in-evidence": "not in this evidence: {path} is not in this capture, and no kernel log from the start of the boot says whether the firmware has a DMAR or IVRS",
            "no-table": "no DMAR or IVRS table: VT-d / AMD-Vi is disabled in the BIOS (or the platform has no IOMMU)",
        ],
        examples: [
            .passes("Intel DMAR", .intelReady),
            .passes("AMD IVRS", .amdReady),
            .fails("VT-d off in BIOS", .intelBIOSOff),
            .fails("kernel log from boot shows no DMAR", .fieldIntelNoTable),
            .passes("acpidump text at the root of a capture", .fieldIntelAcpidump),
            .errors("capture without the DMAR file, units active and the log shows it", .intelCaptureWithoutDMAR),
            .errors("kernel log only: the log shows the DMAR, the root lacks it", .fieldIntelReady),
            .errors("capture without ACPI tables or a log from boot", .fieldIntelUndecided.removing("var/log/dmesg")),
            .fails("a VT-d unit at address 0", .intelReady.bytes("sys/firmware/acpi/tables/DMAR", SyntheticTables.dmarAtZero())),
            .errors("DMAR with a bad length", .intelReady.bytes("sys/firmware/acpi/tables/DMAR",
                                                                Array(SyntheticTables.dmar().prefix(40)))),
            .warns("DMAR with a bad checksum", .intelReady.bytes("sys/firmware/acpi/tables/DMAR",
                                                                  { var t = SyntheticTables.dmar(); t[9] &+= 1; return t }())),
            .errors("DMAR whose structure runs past the end", .intelReady.bytes("sys/firmware/acpi/tables/DMAR",
                                                                  { var t = SyntheticTables.dmar(); t[50] = 0x40; t[9] &-= 0x30; return t }())),
            .passes("DMAR present, readable only by root", .intelReady.unreadable("sys/firmware/acpi/tables/DMAR")),
            .errors("tables directory unreadable, no DMAR visible", .intelBIOSOff.unreadable("sys/firmware/acpi/tables", .io("Input/output error"))),
            .errors("DMAR unreadable", .intelReady.unreadable("sys/firmware/acpi/tables/DMAR", .io("Input/output error"))),
        ])) { s in
        let fw = s.firmware
        var found: [String] = []
        var unverified: [String] = []
        var ev: [Evidence] = []
        var badChecksum: [String] = []
        for t in [fw.dmar, fw.ivrs] {
            switch t.bytes {
            case .failure(.missing):
                continue
            case .failure(.permissionDenied):
                unverified.append(t.name)
                ev.append(Evidence(t.path, "present, unreadable: permission denied"))
            case .failure(let e):
                return [.error("unreadable", ["path": t.path, "reason": e.description], [Evidence(t.path, e.description)])]
            case .success(let b):
                if let problem = t.headerProblem, !problem.hasPrefix("checksum") {
                    return [.error("invalid-header", ["path": t.path, "problem": problem],
                                   [Evidence(t.path, "\(b.count) bytes: \(problem)", expected: "a valid ACPI header")])]
                }
                let decoded = t.name == "DMAR" ? fw.dmarTable.map { $0.map { _ in () } } : fw.ivrsTable.map { $0.map { _ in () } }
                if case .failure(let e)? = decoded {
                    return [.error("undecodable", ["path": t.path, "reason": "\(e)"], [Evidence(t.path, "\(b.count) bytes: \(e)", expected: "a well-formed \(t.name) table")])]
                }
                if t.name == "DMAR", case .success(let d)? = fw.dmarTable, let u = d.drhdUnits.first(where: { $0.registerBaseAddress == 0 }) {
                    return [.fail("dmar-at-zero", [:],
                                  [Evidence(t.path, "DRHD at offset \(u.offset): register base address 0", expected: "a non-zero register base")])]
                }
                if let problem = t.headerProblem { badChecksum.append("\(t.name): \(problem)") }
                found.append(t.name)
                ev.append(Evidence(t.path, "\(b.count) bytes, signature \(t.name), checksum \(t.headerProblem == nil ? "valid" : "INVALID"), decoded"))
            }
        }
        if !badChecksum.isEmpty {
            return [.warn("bad-checksum", ["tables": (found + unverified).joined(separator: ", "), "problems": badChecksum.joined(separator: "; ")], ev)]
        }
        if found.isEmpty && unverified.isEmpty {
            if let p = fw.tablesDirProblem, p != .missing {
                return [.error("tables-dir-unreadable", ["path": FirmwareFacts.tablesDir, "reason": "\(p)"])]
            }
            let m = IRModel(s)
            if m.tableKnown {
                // Evidence that contradicts itself: the kernel found the table, the root does not hold it.
                return [.error("table-not-readable-here", [:],
                               [Evidence(FirmwareFacts.tablesDir, "no DMAR, no IVRS", expected: "the table the kernel found")] + m.tableEvidence)]
            }
            if m.logShowsNoTable {
                return [.fail("no-table-in-log", [:],
                              [Evidence(s.kernelLog.sourceNote, "from 'Linux version' on: no 'ACPI: DMAR/IVRS', DMAR or AMD-Vi line", expected: "ACPI: DMAR (Intel) or ACPI: IVRS (AMD)")])]
            }
            if !s.absenceIsVerdict && fw.tablesDirProblem == .missing {
                return [.error("not-in-evidence", ["path": FirmwareFacts.tablesDir])]
            }
            return [.fail("no-table", [:],
                          [Evidence(FirmwareFacts.tablesDir, "no DMAR, no IVRS", expected: "DMAR (Intel) or IVRS (AMD)")])]
        }
        if !unverified.isEmpty && found.isEmpty {
            return [.pass("present-unverified", ["tables": unverified.joined(separator: ", ")], ev)]
        }
        return [.pass("present", ["tables": (found + unverified).joined(separator: ", ")], ev)]
    }
}
