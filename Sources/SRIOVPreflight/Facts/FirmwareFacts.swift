import ACPITables

/// One ACPI table file under sys/firmware/acpi/tables/.
public struct ACPITableFile: Sendable {
    public var name: String
    public var path: String
    public var bytes: Result<[UInt8], FSError>

    public var present: Bool {
        if case .failure(.missing) = bytes { return false }
        return true
    }

    /// Header problems: a table shorter than its 36-byte header, a length field that disagrees with the
    /// file, a checksum that does not sum to zero. Nil when the header is sound.
    public var headerProblem: String? {
        guard case .success(let b) = bytes else { return nil }
        if b.count < 36 { return "only \(b.count) bytes: shorter than the 36-byte ACPI header" }
        let sig = String(decoding: b[0..<4], as: UTF8.self)
        if sig != name { return "signature '\(sig.printable)' at offset 0, expected '\(name)'" }
        let length = Int(b[4]) | Int(b[5]) << 8 | Int(b[6]) << 16 | Int(b[7]) << 24
        if length != b.count {
            return "header length \(length) at offset 4 but the table has \(b.count) bytes"
        }
        let sum = b.reduce(UInt8(0), &+)
        if sum != 0 { return "checksum does not sum to zero (sum 0x\(hex(sum, 2)), checksum byte at offset 9 = 0x\(hex(b[9], 2)))" }
        return nil
    }
}

/// What the firmware says about the IOMMU: the DMAR (Intel) and IVRS (AMD) tables.
public struct FirmwareFacts: Sendable {
    public static let tablesDir = "sys/firmware/acpi/tables"
    public var dmar: ACPITableFile
    public var ivrs: ACPITableFile
    /// Why the tables directory could not be listed (nil when it could).
    public var tablesDirProblem: FSError?

    /// The decoded tables (nil when absent or unreadable; a failure names the offset).
    public var dmarTable: Result<DMARTable, ACPIDecodeError>?
    public var ivrsTable: Result<IVRSTable, ACPIDecodeError>?
    /// The MADT ("APIC"): its I/O APICs must each be under a DRHD for Intel interrupt remapping.
    public var madt: ACPITableFile
    public var madtTable: Result<MADTTable, ACPIDecodeError>?

    /// DMAR header flags (byte 37): bit 0 INTR_REMAP, bit 1 X2APIC_OPT_OUT, bit 2 DMA_CTRL_PLATFORM_OPT_IN.
    public var dmarFlags: UInt8? {
        if case .success(let t)? = dmarTable { return t.flags }
        guard case .success(let b) = dmar.bytes, b.count > 37 else { return nil }
        return b[37]
    }

    /// acpidump text at the root of a capture (what customers are asked for), read when the tables directory
    /// does not hold the table.
    public static let acpidumpFiles = ["acpidump.txt", "acpidump.out", "acpidump", "acpi.dat"]

    static func collect(_ root: HostRoot) -> FirmwareFacts {
        func table(_ name: String) -> ACPITableFile {
            let path = "\(tablesDir)/\(name)"
            return ACPITableFile(name: name, path: path, bytes: root.read(path, limit: 1 << 20))
        }
        var problem: FSError?
        if case .failure(let e) = root.list(tablesDir) { problem = e }
        var f = FirmwareFacts(dmar: table("DMAR"), ivrs: table("IVRS"), tablesDirProblem: problem, madt: table("APIC"))
        if !root.absenceIsVerdict, !f.dmar.present && !f.ivrs.present {
            let top = Set(root.entries(""))
            for name in acpidumpFiles where top.contains(name) {
                guard case .success(let bytes) = root.read(name, limit: 64 << 20), AcpidumpText.looks(bytes) else { continue }
                let tables = AcpidumpText.parse(String(decoding: bytes, as: UTF8.self))
                for t in tables where t.signature == "DMAR" || t.signature == "IVRS" || t.signature == "APIC" {
                    let file = ACPITableFile(name: t.signature, path: "\(name) (\(t.signature) @ 0x\(hex(t.address ?? 0, 16).uppercased()))", bytes: .success(t.bytes))
                    if t.signature == "DMAR" && !f.dmar.present { f.dmar = file }
                    if t.signature == "IVRS" && !f.ivrs.present { f.ivrs = file }
                    if t.signature == "APIC" && !f.madt.present { f.madt = file }
                }
                break
            }
        }
        if case .success(let b) = f.dmar.bytes {
            f.dmarTable = Result { try DMARTable.decode(b) }.mapError { $0 as? ACPIDecodeError ?? ACPIDecodeError(offset: 0, reason: "\($0)") }
        }
        if case .success(let b) = f.madt.bytes {
            f.madtTable = Result { try MADTTable.decode(b) }.mapError { $0 as? ACPIDecodeError ?? ACPIDecodeError(offset: 0, reason: "\($0)") }
        }
        if case .success(let b) = f.ivrs.bytes {
            f.ivrsTable = Result { try IVRSTable.decode(b) }.mapError { $0 as? ACPIDecodeError ?? ACPIDecodeError(offset: 0, reason: "\($0)") }
        }
        return f
    }
}

extension String {
    /// Non-printable characters shown as \xNN, for messages about binary data.
    var printable: String {
        var out = ""
        for u in unicodeScalars {
            if u.value >= 0x20 && u.value < 0x7F { out.unicodeScalars.append(u) } else { out += "\\x" + hex(u.value, 2) }
        }
        return out
    }
}
