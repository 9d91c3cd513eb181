// Compact, readable views of the decoded tables for a support engineer: the
// information `iasl -d` shows, one line per structure / scope / entry, flags
// decoded by name, PCI addresses as bb:dd.f.

/// Flag value followed by the names of its set bits: "0x03 (INTR_REMAP, X2APIC_OPT_OUT)".
func flagText<T: BinaryInteger>(_ value: T, _ names: [String], digits: Int = 2) -> String {
    names.isEmpty ? hex(value, digits) : hex(value, digits) + " (" + names.joined(separator: ", ") + ")"
}

func headerText(_ h: ACPITableHeader, title: String) -> [String] {
    [
        "\(h.signature): \(title), \(h.length) bytes, revision \(h.revision), checksum \(hex(h.checksum, 2)) "
            + (h.checksumValid ? "(valid)" : "(INVALID)"),
        "  OEM \"\(h.oemID)\" table \"\(h.oemTableID)\" revision \(hex(h.oemRevision, 8)); "
            + "creator \"\(h.creatorID)\" revision \(hex(h.creatorRevision, 8))",
    ]
}

func warningsText(_ warnings: [ACPIDecodeWarning]) -> [String] {
    warnings.isEmpty ? [] : ["Warnings:"] + warnings.map { "  \($0)" }
}

/// "[0x030]" for an item offset.
func at(_ offset: Int) -> String { "[" + hex(offset, 3) + "]" }

func pciAddress(_ bus: UInt8, _ device: UInt8, _ function: UInt8) -> String {
    deviceIDString(UInt16(bus) << 8 | UInt16(device & 0x1F) << 3 | UInt16(function & 7))
}

// MARK: DMAR

extension DMARTable {
    public func textDescription() -> String {
        var lines = headerText(header, title: "DMA Remapping table (Intel VT-d)")
        lines.append("  Host address width: \(hostAddressWidthBits) bits; flags \(flagText(flags, flagNames))")
        lines.append("  Remapping structures: \(structures.count)")
        for s in structures {
            lines.append("    " + at(s.offset) + " " + s.summary)
            lines += s.deviceScopes.map { "        " + $0.summary }
        }
        return (lines + warningsText(warnings)).joined(separator: "\n") + "\n"
    }
}

extension DMARStructure {
    var summary: String {
        let head = "\(typeName) length \(length)"
        switch self {
        case .drhd(let s):
            return head + " flags \(flagText(s.flags, s.includePCIAll ? ["INCLUDE_PCI_ALL"] : [])) segment \(s.segment)"
                + " register base \(hex(s.registerBaseAddress, 16)) (\(s.registerSetPages) page(s))"
        case .rmrr(let s):
            return head + " segment \(s.segment) region \(hex(s.baseAddress, 16))...\(hex(s.endAddress, 16))"
        case .atsr(let s):
            return head + " flags \(flagText(s.flags, s.allPorts ? ["ALL_PORTS"] : [])) segment \(s.segment)"
        case .rhsa(let s):
            return head + " register base \(hex(s.registerBaseAddress, 16)) proximity domain \(s.proximityDomain)"
        case .andd(let s):
            return head + " ACPI device number \(s.acpiDeviceNumber) name \"\(s.acpiObjectName)\""
        case .satc(let s):
            return head + " flags \(flagText(s.flags, s.atcRequired ? ["ATC_REQUIRED"] : [])) segment \(s.segment)"
        case .sidp(let s):
            return head + " segment \(s.segment)"
        case .unknown(let s):
            return "unknown type \(s.typeCode) length \(s.length) (\(s.body.count) body bytes kept raw)"
        }
    }
}

extension DMARDeviceScope {
    var summary: String {
        var text = at(offset) + " scope \(type.name)"
        if case .unknown = type { text += " (type \(typeCode))" }
        if enumerationID != 0 || typeCode >= 3 { text += " enumeration id \(enumerationID)" }
        text += " start bus \(hex(startBus, 2)) path "
        text += path.isEmpty ? "(empty)" : path.map { String(hex($0.device, 2).dropFirst(2)) + "." + String($0.function) }.joined(separator: " > ")
        if let (b, d, f) = directAddress { text += " = " + pciAddress(b, d, f) }
        else if path.count > 1 { text += " (behind bridge \(pciAddress(startBus, path[0].device, path[0].function)))" }
        if flags != 0 { text += " flags \(flagText(flags, flagNames))" }
        return text
    }
}

// MARK: IVRS

extension IVRSTable {
    public func textDescription() -> String {
        var lines = headerText(header, title: "I/O Virtualization Reporting Structure (AMD-Vi)")
        let info = ivInfo
        var infoNames: [String] = []
        if info.efrSupported { infoNames.append("EFRSup") }
        if info.dmaRemapSupport { infoNames.append("DMA remap support") }
        if info.htAtsReserved { infoNames.append("HtAtsResv") }
        lines.append(
            "  IVinfo \(flagText(info.raw, infoNames, digits: 8)): VA size \(info.virtualAddressSize) bits, "
                + "PA size \(info.physicalAddressSize) bits, GVA size code \(info.guestVirtualAddressSize)")
        lines.append("  Blocks: \(blocks.count)")
        for b in blocks {
            lines.append("    " + at(b.offset) + " " + b.summary)
            if case .ivhd(let h) = b {
                lines += h.entries.map { "        " + $0.summary }
            }
        }
        return (lines + warningsText(warnings)).joined(separator: "\n") + "\n"
    }
}

extension IVRSBlock {
    var summary: String {
        let head = "\(typeName) type \(hex(typeCode, 2)) length \(length)"
        switch self {
        case .ivhd(let b):
            var text = head + " IOMMU \(deviceIDString(b.deviceID)) segment \(b.pciSegmentGroup)"
                + " base \(hex(b.baseAddress, 16)) capability offset \(hex(b.capabilityOffset, 2))"
                + " flags \(flagText(b.flags, b.flagNames)) MSI \(b.msiNumber) UnitID \(b.unitID)"
            if let f = b.iommuFeatures { text += " features \(hex(f, 8))" }
            if let a = b.iommuAttributes { text += " attributes \(hex(a, 8))" }
            if let e = b.efrRegisterImage { text += " EFR \(hex(e, 16))" }
            if let e = b.efrRegisterImage2, e != 0 { text += " EFR2 \(hex(e, 16))" }
            return text
        case .ivmd(let b):
            return head + " \(b.scope) flags \(flagText(b.flags, b.flagNames))"
                + " start \(hex(b.startAddress, 16)) length \(hex(b.memoryBlockLength))"
        case .unknown(let b):
            return "unknown block type \(hex(b.typeCode, 2)) flags \(hex(b.flags, 2)) length \(b.length) (skipped)"
        }
    }
}

extension IVHDDeviceEntry {
    var summary: String {
        var text = at(offset) + " \(typeName)"
        switch payload {
        case .padding: return text
        case .all: text += ""
        case .select, .rangeStart, .rangeEnd: text += " \(deviceIDString(deviceID))"
        case .alias(let source): text += " \(deviceIDString(deviceID)) alias \(deviceIDString(source))"
        case .extended(let data): text += " \(deviceIDString(deviceID)) extended data \(hex(data, 8))"
        case .special(let handle, let source, let variety):
            text += " \(IVHDDeviceEntry.varietyName(variety)) handle \(handle) = \(deviceIDString(source))"
        case .acpiHID(let d):
            text += " \(deviceIDString(deviceID)) HID \"\(d.hid)\""
            if d.cid != 0 { text += " CID \(hex(d.cid, 16))" }
            if let s = d.uidString { text += " UID \"\(s)\"" } else if let n = d.uidInteger { text += " UID \(n)" }
        case .reserved(let data):
            text += " type \(hex(typeCode, 2)) \(deviceIDString(deviceID)) (\(data.count) data bytes kept raw)"
        }
        if dataSetting != 0 { text += " data \(flagText(dataSetting, dataSettingNames))" }
        return text
    }
}
