import ACPITables

/// A field value as `iasl -d` prints it, normalised for comparison.
enum DslValue: Equatable, CustomStringConvertible {
    case int(UInt64)
    case string(String)
    case path(device: UInt8, function: UInt8)
    case other(String)

    /// Parses the text after " : " on a field line.
    init(parsing text: String) {
        if text.hasPrefix("\"") {
            let body = text.dropFirst()
            self = .string(String(body[..<(body.firstIndex(of: "\"") ?? body.endIndex)]))
            return
        }
        let token = String(text.split(separator: " ").first ?? "")
        let parts = token.split(separator: ",")
        if parts.count == 2, parts.allSatisfy({ $0.count == 2 }),
           let d = UInt8(parts[0], radix: 16), let f = UInt8(parts[1], radix: 16) {
            self = .path(device: d, function: f)
        } else if let v = UInt64(token, radix: 16) {
            self = .int(v)
        } else {
            self = .other(text)
        }
    }

    var description: String {
        switch self {
        case .int(let v): return "0x" + String(v, radix: 16, uppercase: true)
        case .string(let s): return "\"\(s)\""
        case .path(let d, let f): return "path " + String(d, radix: 16) + "," + String(f, radix: 16)
        case .other(let s): return s
        }
    }
}

/// One `[HexOffset DecimalOffset ByteLength]  FieldName : FieldValue` line.
struct DslField: Equatable {
    let offset: Int
    let name: String
    let value: DslValue
}

/// The parts of an iasl `-d` disassembly the corpus test compares.
struct DslDocument {
    var fields: [DslField] = []
    /// Types named by "**** Unknown IVRS subtable type 0xNN" lines (iasl stops there).
    var unknownSubtableTypes: [UInt8] = []
    /// iasl printed "ACPI subtable terminates early".
    var terminatesEarly = false

    init(_ text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("Raw Table Data") { break }
            if line.contains("subtable terminates early") { terminatesEarly = true }
            if let r = line.range(of: "Unknown IVRS subtable type 0x"),
               let type = UInt8(line[r.upperBound...].prefix(2), radix: 16) {
                unknownSubtableTypes.append(type)
            }
            guard line.hasPrefix("["), let close = line.firstIndex(of: "]") else { continue }
            let bracket = line[line.index(after: line.startIndex)..<close].split(separator: " ")
            guard bracket.count == 3, bracket[0].hasSuffix("h"),
                  let offset = Int(bracket[0].dropLast(), radix: 16) else { continue }
            let rest = line[line.index(after: close)...]
            guard let sep = rest.range(of: " : ") else { continue }
            let name = rest[..<sep.lowerBound].trimmingCharacters(in: " ")
            let value = rest[sep.upperBound...].trimmingCharacters(in: " ")
            fields.append(DslField(offset: offset, name: name, value: DslValue(parsing: value)))
        }
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}

/// What iasl should print for a decoded table: (offset, iasl field name,
/// value) for every field the decoder exposes. Reserved fields are not
/// projected (and not compared).
enum IaslProjection {
    static func header(_ h: ACPITableHeader) -> [DslField] {
        [
            DslField(offset: 0, name: "Signature", value: .string(h.signature)),
            DslField(offset: 4, name: "Table Length", value: .int(UInt64(h.length))),
            DslField(offset: 8, name: "Revision", value: .int(UInt64(h.revision))),
            DslField(offset: 9, name: "Checksum", value: .int(UInt64(h.checksum))),
            DslField(offset: 10, name: "Oem ID", value: .string(h.oemID)),
            DslField(offset: 16, name: "Oem Table ID", value: .string(h.oemTableID)),
            DslField(offset: 24, name: "Oem Revision", value: .int(UInt64(h.oemRevision))),
            DslField(offset: 28, name: "Asl Compiler ID", value: .string(h.creatorID)),
            DslField(offset: 32, name: "Asl Compiler Revision", value: .int(UInt64(h.creatorRevision))),
        ]
    }

    static func f<T: BinaryInteger>(_ offset: Int, _ name: String, _ value: T) -> DslField {
        DslField(offset: offset, name: name, value: .int(UInt64(value)))
    }

    static func fields(_ t: DMARTable) -> [DslField] {
        var out = header(t.header) + [f(36, "Host Address Width", t.hostAddressWidth), f(37, "Flags", t.flags)]
        for s in t.structures {
            let o = s.offset
            out += [f(o, "Subtable Type", s.typeCode), f(o + 2, "Length", s.length)]
            switch s {
            case .drhd(let d):
                out += [f(o + 4, "Flags", d.flags), f(o + 5, "Size (decoded below)", d.size),
                        f(o + 6, "PCI Segment Number", d.segment), f(o + 8, "Register Base Address", d.registerBaseAddress)]
            case .rmrr(let r):
                out += [f(o + 6, "PCI Segment Number", r.segment), f(o + 8, "Base Address", r.baseAddress),
                        f(o + 16, "End Address (limit)", r.endAddress)]
            case .atsr(let a):
                out += [f(o + 4, "Flags", a.flags), f(o + 6, "PCI Segment Number", a.segment)]
            case .rhsa(let r):
                out += [f(o + 8, "Base Address", r.registerBaseAddress), f(o + 16, "Proximity Domain", r.proximityDomain)]
            case .andd(let a):
                out += [f(o + 7, "Device Number", a.acpiDeviceNumber),
                        DslField(offset: o + 8, name: "Device Name", value: .string(a.acpiObjectName))]
            case .satc(let a):
                out += [f(o + 4, "Flags", a.flags), f(o + 6, "PCI Segment Number", a.segment)]
            case .sidp(let p):
                out += [f(o + 6, "PCI Segment Number", p.segment)]
            case .unknown:
                break
            }
            for sc in s.deviceScopes {
                let p = sc.offset
                out += [f(p, "Device Scope Type", sc.typeCode), f(p + 1, "Entry Length", sc.length),
                        f(p + 2, "Flags", sc.flags), f(p + 4, "Enumeration ID", sc.enumerationID),
                        f(p + 5, "PCI Bus Number", sc.startBus)]
                for (i, hop) in sc.path.enumerated() {
                    out.append(DslField(offset: p + 6 + 2 * i, name: "PCI Path",
                                        value: .path(device: hop.device, function: hop.function)))
                }
            }
        }
        return out
    }

    static func fields(_ t: IVRSTable) -> [DslField] {
        var out = header(t.header) + [f(36, "Virtualization Info", t.ivInfo.raw)]
        for b in t.blocks {
            let o = b.offset
            switch b {
            case .ivhd(let h):
                out += [f(o, "Subtable Type", h.typeCode), f(o + 1, "Flags (decoded below)", h.flags),
                        f(o + 2, "Length", h.length), f(o + 4, "DeviceId", h.deviceID),
                        f(o + 6, "Capability Offset", h.capabilityOffset), f(o + 8, "Base Address", h.baseAddress),
                        f(o + 16, "PCI Segment Group", h.pciSegmentGroup), f(o + 18, "Virtualization Info", h.iommuInfo)]
                if let v = h.iommuFeatures { out.append(f(o + 20, "Feature Reporting", v)) }
                if let v = h.iommuAttributes { out.append(f(o + 20, "Attributes", v)) }
                if let v = h.efrRegisterImage { out.append(f(o + 24, "EFR Image", v)) }
                for e in h.entries { out += entry(e) }
            case .ivmd(let m):
                out += [f(o, "Subtable Type", m.typeCode), f(o + 1, "Flags (decoded below)", m.flags),
                        f(o + 2, "Length", m.length), f(o + 4, "DeviceId", m.deviceID),
                        f(o + 6, "Auxiliary Data", m.auxiliaryData), f(o + 16, "Start Address", m.startAddress),
                        f(o + 24, "Memory Length", m.memoryBlockLength)]
            case .unknown:
                break   // iasl prints only "**** Unknown IVRS subtable type" (checked separately)
            }
        }
        return out
    }

    static func entry(_ e: IVHDDeviceEntry) -> [DslField] {
        let o = e.offset
        var out = [f(o, "Subtable Type", e.typeCode), f(o + 1, "Device ID", e.deviceID),
                   f(o + 3, "Data Setting (decoded below)", e.dataSetting)]
        switch e.payload {
        case .alias(let source):
            out.append(f(o + 5, "Source Used Device ID", source))
        case .extended(let data):
            out.append(f(o + 4, "Extended Data", data))
        case .special(let handle, let source, let variety):
            out += [f(o + 4, "Handle", handle), f(o + 5, "Source Used Device ID", source), f(o + 7, "Variety", variety)]
        case .acpiHID(let d):
            out += [DslField(offset: o + 4, name: "ACPI HID", value: .string(d.hid)), f(o + 12, "ACPI CID", d.cid),
                    f(o + 20, "UID Format", d.uidFormat), f(o + 21, "UID Length", d.uidLength)]
            if let s = d.uidString {
                out.append(DslField(offset: o + 22, name: "UID", value: .string(s)))
            } else if let n = d.uidInteger, d.uidLength > 0 {
                out.append(f(o + 22, "UID", n))
            }
        case .padding, .all, .select, .rangeStart, .rangeEnd, .reserved:
            break
        }
        return out
    }
}

/// Differences between iasl's fields and the decoder's projection, keyed
/// "FieldName@0xOFFSET" so known iasl bugs can be listed per file and field.
func iaslDifferences(dsl: DslDocument, expected: [DslField]) -> [String: String] {
    var diffs: [String: String] = [:]
    let shown = dsl.fields.filter { $0.name != "Reserved" }
    var byOffset: [Int: DslField] = [:]
    for e in expected { byOffset[e.offset] = e }
    var seen = Set<Int>()
    for field in shown {
        seen.insert(field.offset)
        let key = "\(field.name)@0x" + String(field.offset, radix: 16, uppercase: true)
        guard let mine = byOffset[field.offset] else {
            diffs[key] = "iasl shows \(field.value), the decoder has no field there"
            continue
        }
        if mine.name != field.name {
            diffs[key] = "iasl names the field at this offset \"\(field.name)\", the decoder \"\(mine.name)\""
        } else if mine.value != field.value {
            diffs[key] = "iasl shows \(field.value), the decoder \(mine.value)"
        }
    }
    for mine in expected where !seen.contains(mine.offset) {
        diffs["\(mine.name)@0x" + String(mine.offset, radix: 16, uppercase: true)] =
            "the decoder has \(mine.value), iasl does not print this field"
    }
    return diffs
}
