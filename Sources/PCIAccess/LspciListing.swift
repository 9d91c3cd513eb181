/// The text of `lspci -vv` / `-vvv` / `-nnvv` (what a sosreport keeps as `sos_commands/pci/lspci_-nnvv`) read back
/// into devices: the header line's ids and class, the kernel's lines (`Kernel driver in use`, `IOMMU group`,
/// `NUMA node`), the bridge's bus numbers, and a config-space image rebuilt from the capability lines, so that the
/// same decoders read it as they read a real config space.
///
/// The image holds only what lspci prints: the header (ids, class, revision, subsystem, bus numbers, status
/// `Cap+`), the standard capability chain with the PCI Express capability's type, link and ARI-forwarding
/// bits, and the extended capability chain with the SR-IOV, ARI and ACS capabilities field for field. Every
/// other capability is a bare header that keeps the chain. Bad text never crashes: what cannot be read stays
/// unset.
public struct LspciListing: Sendable {
    public struct Device: Sendable {
        public var address: PCIAddress
        public var headerLine: String
        /// From `[vvvv:dddd]` on the header line (`-nn`), nil without it.
        public var vendorID: UInt16?
        public var deviceID: UInt16?
        /// From `[cccc]` and `(prog-if pp)`; without `-nn`, from a few well-known class names.
        public var classCode: UInt32?
        public var revision: UInt8?
        public var subsystemVendorID: UInt16?
        public var subsystemDeviceID: UInt16?
        public var driver: String?
        public var modules: [String] = []
        public var iommuGroup: String?
        public var numaNode: Int?
        /// `Bus: primary=00, secondary=01, subordinate=01` of a bridge.
        public var primaryBus: Int?
        public var secondaryBus: Int?
        public var subordinateBus: Int?
        /// `LnkSta: Speed 8GT/s, Width x8`.
        public var linkSpeed: String?
        public var linkWidth: String?
        /// Every line of the section after the header, leading tabs removed.
        public var lines: [String] = []
        /// The config space rebuilt from the text (256 bytes, 4096 with extended capabilities).
        public var config: [UInt8] = []

        public var isBridge: Bool { secondaryBus != nil || classCode.map { $0 >> 8 == 0x0604 } == true }
    }

    public var devices: [Device] = []

    public func device(_ address: PCIAddress) -> Device? { devices.first { $0.address == address } }

    /// Class names lspci prints without `-nn` → class code (base, sub, 00).
    static let classNames: [String: UInt32] = [
        "Ethernet controller": 0x020000, "Network controller": 0x028000, "Infiniband controller": 0x020700,
        "Host bridge": 0x060000, "ISA bridge": 0x060100, "PCI bridge": 0x060400, "Non-Volatile memory controller": 0x010802,
        "SATA controller": 0x010601, "SMBus": 0x0C0500, "VGA compatible controller": 0x030000, "USB controller": 0x0C0300,
        "Unclassified device": 0x00FF00, "Mass storage controller": 0x018000, "Communication controller": 0x078000,
        "Memory controller": 0x058000, "Processing accelerators": 0x120000, "Co-processor": 0x0B4000,
    ]

    /// Extended capability names (as lspci prints them, by prefix) → id.
    static let extendedIDs: [(String, UInt16)] = [
        ("Advanced Error Reporting", 0x01), ("Virtual Channel", 0x02), ("Device Serial Number", 0x03),
        ("Power Budgeting", 0x04), ("Root Complex Link", 0x05), ("Multi-Function Virtual Channel", 0x08),
        ("Vendor Specific Information", 0x0B), ("Access Control Services", 0x0D),
        ("Alternative Routing-ID Interpretation", 0x0E), ("Address Translation Service", 0x0F),
        ("Single Root I/O Virtualization", 0x10), ("Multicast", 0x12), ("Page Request Interface", 0x13),
        ("Resizable BAR", 0x15), ("Dynamic Power Allocation", 0x16), ("Transaction Processing Hints", 0x17),
        ("Latency Tolerance Reporting", 0x18), ("Secondary PCI Express", 0x19), ("Process Address Space ID", 0x1B),
        ("Downstream Port Containment", 0x1D), ("L1 PM Substates", 0x1E), ("Precision Time Measurement", 0x1F),
        ("Designated Vendor-Specific", 0x23), ("Data Link Feature", 0x25), ("Physical Layer 16.0 GT/s", 0x26),
        ("Lane Margining at the Receiver", 0x27), ("Physical Layer 32.0 GT/s", 0x2A),
    ]

    /// Standard capability names → id.
    static let standardIDs: [(String, UInt8)] = [
        ("Power Management", 0x01), ("AGP", 0x02), ("Vital Product Data", 0x03), ("Slot ID", 0x04), ("MSI:", 0x05),
        ("CompactPCI", 0x06), ("PCI-X", 0x07), ("HyperTransport", 0x08), ("Vendor Specific", 0x09), ("Debug port", 0x0A),
        ("Subsystem", 0x0D), ("Express", 0x10), ("MSI-X", 0x11), ("SATA HBA", 0x12), ("PCI Advanced Features", 0x13),
        ("Enhanced Allocation", 0x14),
    ]

    static let expressTypes: [(String, UInt8)] = [
        ("Root Complex Integrated Endpoint", 0x9), ("Root Complex Event Collector", 0xA), ("Legacy Endpoint", 0x1),
        ("Endpoint", 0x0), ("Root Port", 0x4), ("Upstream Port", 0x5), ("Downstream Port", 0x6),
        ("PCI-Express to PCI/PCI-X Bridge", 0x7), ("PCI/PCI-X to PCI-Express Bridge", 0x8),
    ]

    /// At most this many devices are read from one text (a 16 MiB text of garbage stays bounded).
    public static let maxDevices = 4096

    public init(text: String) {
        var current: Device?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.isEmpty { continue }
            if line.first != "\t" && line.first != " " {
                let token = line.prefix { $0 != " " }
                guard let a = PCIAddress(String(token)), token.contains(".") else {
                    // a line a mail client wrapped: it continues the previous one
                    if current != nil {
                        if current!.lines.isEmpty { current!.headerLine += " " + line } else { current!.lines[current!.lines.count - 1] += " " + line }
                    }
                    continue
                }
                if let d = current { devices.append(Self.finish(d)) }
                current = nil
                guard devices.count < Self.maxDevices else { break }
                current = Self.header(a, String(line))
                continue
            }
            guard current != nil else { continue }
            // lspci indents with tabs; a copy that turned them into spaces keeps its depth in spaces (8 or 4 a level)
            var depth = 0
            var rest = line[...]
            while let c = rest.first, c == "\t" || c == " " {
                if c == "\t" { depth += 8 } else { depth += 1 }
                rest = rest.dropFirst()
            }
            let level = depth >= 24 ? 3 : depth >= 16 ? 2 : 1
            current!.lines.append(String(repeating: "\t", count: level - 1) + String(rest))
            if current!.lines.count > 20_000 { current!.lines.removeLast() }
        }
        if let d = current, devices.count < Self.maxDevices { devices.append(Self.finish(d)) }
    }

    static func hexValue(_ s: Substring) -> UInt64? { UInt64(s, radix: 16) }

    /// The `[xxxx]` or `[xxxx:yyyy]` groups of a text, in order.
    static func bracketed(_ s: Substring) -> [Substring] {
        var out: [Substring] = []
        var rest = s
        while let open = rest.firstIndex(of: "["), let close = rest[open...].firstIndex(of: "]") {
            out.append(rest[rest.index(after: open)..<close])
            rest = rest[rest.index(after: close)...]
        }
        return out
    }

    static func ids(_ s: Substring) -> (UInt16, UInt16)? {
        for b in bracketed(s).reversed() {
            let parts = b.split(separator: ":")
            if parts.count == 2, parts[0].count == 4, parts[1].count == 4,
               let v = UInt16(parts[0], radix: 16), let d = UInt16(parts[1], radix: 16) { return (v, d) }
        }
        return nil
    }

    static func header(_ address: PCIAddress, _ line: String) -> Device {
        var d = Device(address: address, headerLine: line)
        let body = line.drop { $0 != " " }.dropFirst()
        guard let colon = body.firstRange(of: ": ") else { return d }
        let classPart = body[..<colon.lowerBound]
        let rest = body[colon.upperBound...]
        var progIf: UInt32 = 0
        if let p = rest.firstRange(of: "(prog-if ") {
            progIf = UInt32(hexValue(rest[p.upperBound...].prefix(2)) ?? 0)
        }
        if let cls = bracketed(classPart).last, cls.count == 4, let c = UInt32(cls, radix: 16) {
            d.classCode = c << 8 | progIf
        } else if let c = classNames[String(classPart)] {
            d.classCode = c & 0xFFFF00 | progIf
        }
        if let (v, dev) = ids(rest) { d.vendorID = v; d.deviceID = dev }
        if let r = rest.firstRange(of: "(rev ") { d.revision = hexValue(rest[r.upperBound...].prefix(2)).map { UInt8($0) } }
        return d
    }

    static func finish(_ device: Device) -> Device {
        var d = header(device.address, device.headerLine)
        d.lines = device.lines
        for l in d.lines where !l.hasPrefix("\t") {
            let l = Substring(l)
            if l.hasPrefix("Subsystem: "), let (v, s) = ids(l) {
                d.subsystemVendorID = v; d.subsystemDeviceID = s
            } else if l.hasPrefix("Kernel driver in use: ") {
                d.driver = String(l.dropFirst("Kernel driver in use: ".count)).trimmed
            } else if l.hasPrefix("Kernel modules: ") {
                d.modules = l.dropFirst("Kernel modules: ".count).split(separator: ",").map { String($0).trimmed }
            } else if l.hasPrefix("IOMMU group: ") {
                let g = String(l.dropFirst("IOMMU group: ".count)).trimmed
                if !g.isEmpty, g.allSatisfy(\.isNumber) { d.iommuGroup = g }
            } else if l.hasPrefix("NUMA node: ") {
                d.numaNode = Int(String(l.dropFirst("NUMA node: ".count)).trimmed)
            } else if l.hasPrefix("Bus: ") {
                for part in l.dropFirst(5).split(separator: ",") {
                    let kv = part.split(separator: "=")
                    guard kv.count == 2, let n = Int(kv[1], radix: 16), (0...0xFF).contains(n) else { continue }
                    switch kv[0].trimmed {
                    case "primary": d.primaryBus = n
                    case "secondary": d.secondaryBus = n
                    case "subordinate": d.subordinateBus = n
                    default: break
                    }
                }
            }
        }
        d.config = rebuild(d)
        if let pcie = PCIConfigSpace(bytes: d.config).pcie, let s = pcie.currentLinkSpeed, let w = pcie.currentLinkWidth, s > 0 {
            d.linkSpeed = linkSpeedText[Int(s)]
            d.linkWidth = String(w)
        }
        return d
    }

    /// sysfs `current_link_speed` texts by speed code.
    static let linkSpeedText: [Int: String] = [1: "2.5 GT/s PCIe", 2: "5.0 GT/s PCIe", 3: "8.0 GT/s PCIe", 4: "16.0 GT/s PCIe",
                                                5: "32.0 GT/s PCIe", 6: "64.0 GT/s PCIe"]

    struct Block {
        var offset: Int
        var version: UInt8?
        var name: String
        var lines: [String]
        var text: String { lines.joined(separator: " ") }

        /// The text of one register's line with its continuation lines ("DevCap2: … ARIFwd+").
        func register(_ key: String) -> String? {
            guard let i = lines.firstIndex(where: { $0.hasPrefix(key) }) else { return nil }
            var out = lines[i]
            var j = i + 1
            while j < lines.count, lines[j].hasPrefix("\t") { out += " " + lines[j]; j += 1 }
            return out
        }
    }

    /// The capability blocks of a device: "Capabilities: [54] Express …" or "[160 v1] Single Root …", with their
    /// deeper lines (continuations keep one leading tab).
    static func blocks(_ d: Device) -> [Block] {
        var out: [Block] = []
        var inBlock = false
        for l in d.lines {
            if l.hasPrefix("Capabilities: [") {
                inBlock = false
                let tag = l.dropFirst("Capabilities: [".count).prefix { $0 != "]" }
                let parts = tag.split(separator: " ")
                guard let first = parts.first, let off = Int(first, radix: 16) else { continue }
                let version = parts.count > 1 && parts[1].hasPrefix("v") ? UInt8(parts[1].dropFirst()) : nil
                let name = l.firstRange(of: "] ").map { String(l[$0.upperBound...]) } ?? ""
                out.append(Block(offset: off, version: version, name: name, lines: []))
                inBlock = true
            } else if inBlock, l.hasPrefix("\t") {
                out[out.count - 1].lines.append(String(l.dropFirst()))
            } else {
                inBlock = false
            }
        }
        return out
    }

    /// "Enable+ Migration- …": the named flag's value, nil when absent.
    static func flag(_ text: String, _ name: String) -> Bool? {
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }) {
            if word == name + "+" { return true }
            if word == name + "-" { return false }
        }
        return nil
    }

    /// The decimal or hex number after `key` in `text` ("Total VFs: 64", "Device ID: 154c").
    static func number(_ text: String, _ key: String, radix: Int = 10) -> UInt64? {
        guard let r = text.firstRange(of: key) else { return nil }
        let digits = text[r.upperBound...].drop { $0 == " " }.prefix { $0.isHexDigit }
        return UInt64(digits, radix: radix)
    }

    static func rebuild(_ d: Device) -> [UInt8] {
        let blocks = blocks(d)
        let extended = blocks.filter { $0.version != nil && (0x100...0xFFC).contains($0.offset) && $0.offset & 3 == 0 }
        let standard = blocks.filter { $0.version == nil && (0x40...0xFC).contains($0.offset) && $0.offset & 3 == 0 }
        var b = [UInt8](repeating: 0, count: extended.isEmpty ? 256 : 4096)
        func put8(_ at: Int, _ v: UInt64) { if at >= 0 && at < b.count { b[at] = UInt8(truncatingIfNeeded: v) } }
        func put16(_ at: Int, _ v: UInt64) { put8(at, v); put8(at + 1, v >> 8) }
        func put32(_ at: Int, _ v: UInt64) { put16(at, v); put16(at + 2, v >> 16) }
        put16(0x00, UInt64(d.vendorID ?? 0xFFFF))
        put16(0x02, UInt64(d.deviceID ?? 0xFFFF))
        put8(0x08, UInt64(d.revision ?? 0))
        put8(0x09, UInt64((d.classCode ?? 0) & 0xFF))
        put8(0x0A, UInt64(((d.classCode ?? 0) >> 8) & 0xFF))
        put8(0x0B, UInt64(((d.classCode ?? 0) >> 16) & 0xFF))
        let bridge = d.secondaryBus != nil
        put8(0x0E, bridge ? 1 : 0)
        if bridge {
            put8(0x18, UInt64(d.primaryBus ?? 0)); put8(0x19, UInt64(d.secondaryBus ?? 0)); put8(0x1A, UInt64(d.subordinateBus ?? 0))
        } else {
            put16(0x2C, UInt64(d.subsystemVendorID ?? 0)); put16(0x2E, UInt64(d.subsystemDeviceID ?? 0))
        }
        let capPlus = d.lines.contains { $0.hasPrefix("Status: Cap+") }
        if !standard.isEmpty || capPlus {
            put16(0x06, 0x10)
            put8(0x34, UInt64(standard.first?.offset ?? 0))
        }
        for (i, s) in standard.enumerated() {
            let id = standardIDs.first { s.name.hasPrefix($0.0) }?.1 ?? 0x09
            put8(s.offset, UInt64(id))
            put8(s.offset + 1, UInt64(i + 1 < standard.count ? standard[i + 1].offset : 0))
            if id == 0x10 { express(s, into: &b) }
        }
        if let first = extended.first, first.offset != 0x100 {
            put32(0x100, 0x0B | 1 << 16 | UInt64(first.offset) << 20)   // a bare header keeping the chain
        }
        for (i, e) in extended.enumerated() {
            let id = extendedIDs.first { e.name.hasPrefix($0.0) }?.1 ?? 0x0B
            let next = i + 1 < extended.count ? extended[i + 1].offset : 0
            put32(e.offset, UInt64(id) | UInt64((e.version ?? 1) & 0xF) << 16 | UInt64(next) << 20)
            switch id {
            case PCIConfigSpace.ExtendedCapabilityID.sriov: sriov(e, into: &b)
            case PCIConfigSpace.ExtendedCapabilityID.ari: ari(e, into: &b)
            case PCIConfigSpace.ExtendedCapabilityID.acs: acs(e, into: &b)
            default: break
            }
        }
        return b
    }

    static func write(_ b: inout [UInt8], _ at: Int, _ v: UInt64, bytes n: Int) {
        for k in 0..<n where at + k >= 0 && at + k < b.count { b[at + k] = UInt8(truncatingIfNeeded: v >> (8 * k)) }
    }

    static func speedCode(_ text: String) -> UInt64 {
        guard let r = text.firstRange(of: "Speed ") else { return 0 }
        let v = text[r.upperBound...].prefix { $0 != "G" && $0 != "," }
        switch v {
        case "2.5": return 1
        case "5": return 2
        case "8": return 3
        case "16": return 4
        case "32": return 5
        case "64": return 6
        default: return 0
        }
    }

    static func width(_ text: String) -> UInt64 {
        guard let r = text.firstRange(of: "Width x") else { return 0 }
        return UInt64(text[r.upperBound...].prefix { $0.isNumber }).map { min($0, 63) } ?? 0
    }

    /// "Express (v2) Root Port (Slot+), MSI 00": version, type, LnkCap/LnkSta speed and width, ARI forwarding.
    static func express(_ s: Block, into b: inout [UInt8]) {
        var version: UInt64 = 1
        if let r = s.name.firstRange(of: "(v"), let v = UInt64(s.name[r.upperBound...].prefix { $0.isNumber }) { version = min(v, 0xF) }
        let after = s.name.firstRange(of: ") ").map { String(s.name[$0.upperBound...]) } ?? s.name
        let type = expressTypes.first { after.hasPrefix($0.0) }?.1 ?? 0
        write(&b, s.offset + 0x02, version | UInt64(type) << 4, bytes: 2)
        if let cap = s.register("LnkCap:") { write(&b, s.offset + 0x0C, speedCode(cap) | width(cap) << 4, bytes: 4) }
        if let sta = s.register("LnkSta:") { write(&b, s.offset + 0x12, speedCode(sta) | width(sta) << 4, bytes: 2) }
        if version >= 2 {
            if let c2 = s.register("DevCap2:"), flag(c2, "ARIFwd") == true { write(&b, s.offset + 0x24, 1 << 5, bytes: 4) }
            if let c2 = s.register("DevCtl2:"), flag(c2, "ARIFwd") == true { write(&b, s.offset + 0x28, 1 << 5, bytes: 2) }
        }
    }

    static func sriov(_ e: Block, into b: inout [UInt8]) {
        let o = e.offset
        guard o + 0x40 <= b.count else { return }
        if let cap = e.register("IOVCap:") {
            var v: UInt64 = 0
            if flag(cap, "Migration") == true { v |= 1 }
            if flag(cap, "10BitTagReq") == true { v |= 1 << 2 }
            v |= (number(cap, "Interrupt Message Number: ", radix: 16) ?? 0) << 21
            write(&b, o + 0x04, v, bytes: 4)
        }
        if let ctl = e.register("IOVCtl:") {
            var v: UInt64 = 0
            for (i, n) in ["Enable", "Migration", "Interrupt", "MSE", "ARIHierarchy", "10BitTagReq"].enumerated()
                where flag(ctl, n) == true { v |= 1 << UInt64(i) }
            write(&b, o + 0x08, v, bytes: 2)
        }
        if let sta = e.register("IOVSta:"), flag(sta, "Migration") == true { write(&b, o + 0x0A, 1, bytes: 2) }
        let t = e.text
        write(&b, o + 0x0C, number(t, "Initial VFs: ") ?? 0, bytes: 2)
        write(&b, o + 0x0E, number(t, "Total VFs: ") ?? 0, bytes: 2)
        write(&b, o + 0x10, number(t, "Number of VFs: ") ?? 0, bytes: 2)
        write(&b, o + 0x12, number(t, "Function Dependency Link: ", radix: 16) ?? 0, bytes: 1)
        write(&b, o + 0x14, number(t, "VF offset: ") ?? 0, bytes: 2)
        write(&b, o + 0x16, number(t, "stride: ") ?? 0, bytes: 2)
        write(&b, o + 0x1A, number(t, "Device ID: ", radix: 16) ?? 0, bytes: 2)
        write(&b, o + 0x1C, number(t, "Supported Page Size: ", radix: 16) ?? 0, bytes: 4)
        write(&b, o + 0x20, number(t, "System Page Size: ", radix: 16) ?? 0, bytes: 4)
        for l in e.lines where l.hasPrefix("Region ") {
            // "Region 0: Memory at 00000000c5400000 (64-bit, prefetchable)"
            guard let n = Int(l.dropFirst(7).prefix { $0.isNumber }), (0...5).contains(n),
                  let addr = number(l, "Memory at ", radix: 16) else { continue }
            let is64 = l.contains("(64-bit")
            var low = UInt64(addr & 0xFFFF_FFF0)
            if is64 { low |= 0b100 }
            if !l.contains("non-prefetchable") && l.contains("prefetchable") { low |= 0b1000 }
            write(&b, o + 0x24 + 4 * n, low, bytes: 4)
            if is64 && n < 5 { write(&b, o + 0x28 + 4 * n, addr >> 32, bytes: 4) }
        }
        if let m = e.register("VF Migration:") {
            let off = number(m, "offset: ", radix: 16) ?? 0
            let bir = number(m, "BIR: ", radix: 16) ?? 0
            write(&b, o + 0x3C, off & ~7 | bir & 7, bytes: 4)
        }
    }

    static func ari(_ e: Block, into b: inout [UInt8]) {
        guard e.offset + 8 <= b.count else { return }
        if let cap = e.register("ARICap:") {
            var v: UInt64 = 0
            if flag(cap, "MFVC") == true { v |= 1 }
            if flag(cap, "ACS") == true { v |= 2 }
            v |= (number(cap, "Next Function: ") ?? 0) << 8
            write(&b, e.offset + 4, v, bytes: 2)
        }
        if let ctl = e.register("ARICtl:") {
            var v: UInt64 = 0
            if flag(ctl, "MFVC") == true { v |= 1 }
            if flag(ctl, "ACS") == true { v |= 2 }
            v |= ((number(ctl, "Function Group: ") ?? 0) & 7) << 4
            write(&b, e.offset + 6, v, bytes: 2)
        }
    }

    static func acs(_ e: Block, into b: inout [UInt8]) {
        guard e.offset + 8 <= b.count else { return }
        for (key, at) in [("ACSCap:", 4), ("ACSCtl:", 6)] {
            guard let text = e.register(key) else { continue }
            var v: UInt16 = 0
            for (label, feature) in ACSCapability.Features.labelled where flag(text, label) == true { v |= feature.rawValue }
            write(&b, e.offset + at, UInt64(v), bytes: 2)
        }
    }
}

extension StringProtocol {
    var trimmed: String {
        String(self.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }
}
