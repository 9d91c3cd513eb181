// JSON views of the decoded tables. Field names follow the VT-d / AMD IOMMU
// specifications in snake_case; every number is a JSON integer; keys are
// sorted, so the output is byte-for-byte deterministic.

extension ACPITableHeader {
    var jsonFields: [String: JSONValue] {
        [
            "signature": .string(signature), "length": .num(length), "revision": .num(revision),
            "checksum": .num(checksum), "checksum_valid": .bool(checksumValid),
            "oem_id": .string(oemID), "oem_table_id": .string(oemTableID), "oem_revision": .num(oemRevision),
            "creator_id": .string(creatorID), "creator_revision": .num(creatorRevision),
        ]
    }
}

extension ACPIDecodeWarning {
    var json: JSONValue { .object(["offset": .num(offset), "message": .string(message)]) }
}

/// Header fields + table-specific fields + warnings, as one JSON object.
func tableJSON(_ header: ACPITableHeader, _ fields: [String: JSONValue], _ warnings: [ACPIDecodeWarning]) -> JSONValue {
    var all = header.jsonFields.merging(fields) { _, new in new }
    all["warnings"] = .array(warnings.map(\.json))
    return .object(all)
}

// MARK: DMAR

extension DMARTable {
    var json: JSONValue {
        tableJSON(header, [
            "host_address_width": .num(hostAddressWidth), "host_address_width_bits": .num(hostAddressWidthBits),
            "flags": .num(flags), "flag_names": .strings(flagNames), "intr_remap": .bool(intrRemap),
            "x2apic_opt_out": .bool(x2apicOptOut), "dma_ctrl_platform_opt_in": .bool(dmaCtrlPlatformOptIn),
            "structures": .array(structures.map(\.json)),
        ], warnings)
    }

    /// Deterministic JSON: `{signature, length, ..., structures: [...], warnings: [...]}`.
    public func jsonString(pretty: Bool = false) -> String {
        json.serialized(pretty: pretty, trailingNewline: false)
    }
}

extension DMARDeviceScope {
    var json: JSONValue {
        .object([
            "type": .string(type.name), "type_code": .num(typeCode), "offset": .num(offset),
            "length": .num(length), "flags": .num(flags), "flag_names": .strings(flagNames),
            "enumeration_id": .num(enumerationID), "start_bus": .num(startBus),
            "path": .array(path.map { .object(["device": .num($0.device), "function": .num($0.function)]) }),
        ])
    }
}

extension DMARStructure {
    var json: JSONValue {
        var o: [String: JSONValue] = [
            "type": .string(typeName), "type_code": .num(typeCode), "offset": .num(offset), "length": .num(length),
        ]
        switch self {
        case .drhd(let s):
            o["flags"] = .num(s.flags)
            o["include_pci_all"] = .bool(s.includePCIAll)
            o["size"] = .num(s.size)
            o["segment"] = .num(s.segment)
            o["register_base_address"] = .num(s.registerBaseAddress)
        case .rmrr(let s):
            o["segment"] = .num(s.segment)
            o["base_address"] = .num(s.baseAddress)
            o["end_address"] = .num(s.endAddress)
        case .atsr(let s):
            o["flags"] = .num(s.flags)
            o["all_ports"] = .bool(s.allPorts)
            o["segment"] = .num(s.segment)
        case .rhsa(let s):
            o["register_base_address"] = .num(s.registerBaseAddress)
            o["proximity_domain"] = .num(s.proximityDomain)
        case .andd(let s):
            o["acpi_device_number"] = .num(s.acpiDeviceNumber)
            o["acpi_object_name"] = .string(s.acpiObjectName)
        case .satc(let s):
            o["flags"] = .num(s.flags)
            o["atc_required"] = .bool(s.atcRequired)
            o["segment"] = .num(s.segment)
        case .sidp(let s):
            o["segment"] = .num(s.segment)
        case .unknown(let s):
            o["body"] = .nums(s.body)
        }
        switch self {
        case .drhd, .rmrr, .atsr, .satc, .sidp: o["device_scopes"] = .array(deviceScopes.map(\.json))
        case .rhsa, .andd, .unknown: break
        }
        return .object(o)
    }
}

// MARK: IVRS

extension IVRSTable {
    var json: JSONValue {
        tableJSON(header, [
            "iv_info": .object([
                "raw": .num(ivInfo.raw), "efr_supported": .bool(ivInfo.efrSupported),
                "dma_remap_support": .bool(ivInfo.dmaRemapSupport),
                "guest_virtual_address_size": .num(ivInfo.guestVirtualAddressSize),
                "physical_address_size": .num(ivInfo.physicalAddressSize),
                "virtual_address_size": .num(ivInfo.virtualAddressSize),
                "ht_ats_reserved": .bool(ivInfo.htAtsReserved),
            ]),
            "blocks": .array(blocks.map(\.json)),
        ], warnings)
    }

    /// Deterministic JSON: `{signature, ..., iv_info: {...}, blocks: [...], warnings: [...]}`.
    public func jsonString(pretty: Bool = false) -> String {
        json.serialized(pretty: pretty, trailingNewline: false)
    }
}

extension IVRSBlock {
    var json: JSONValue {
        var o: [String: JSONValue] = [
            "type": .string(typeName), "type_code": .num(typeCode), "offset": .num(offset), "length": .num(length),
            "flags": .num(flags),
        ]
        switch self {
        case .ivhd(let b):
            o["flag_names"] = .strings(b.flagNames)
            o["device_id"] = .num(b.deviceID)
            o["capability_offset"] = .num(b.capabilityOffset)
            o["base_address"] = .num(b.baseAddress)
            o["pci_segment_group"] = .num(b.pciSegmentGroup)
            o["iommu_info"] = .num(b.iommuInfo)
            o["msi_number"] = .num(b.msiNumber)
            o["unit_id"] = .num(b.unitID)
            if let v = b.iommuFeatures { o["iommu_features"] = .num(v) }
            if let v = b.iommuAttributes { o["iommu_attributes"] = .num(v) }
            if let v = b.efrRegisterImage { o["efr_register_image"] = .num(v) }
            if let v = b.efrRegisterImage2 { o["efr_register_image_2"] = .num(v) }
            o["entries"] = .array(b.entries.map(\.json))
        case .ivmd(let b):
            o["flag_names"] = .strings(b.flagNames)
            o["device_id"] = .num(b.deviceID)
            o["auxiliary_data"] = .num(b.auxiliaryData)
            o["start_address"] = .num(b.startAddress)
            o["memory_block_length"] = .num(b.memoryBlockLength)
        case .unknown(let b):
            o["body"] = .nums(b.body)
        }
        return .object(o)
    }
}

extension IVHDDeviceEntry {
    var json: JSONValue {
        var o: [String: JSONValue] = [
            "type": .string(typeName), "type_code": .num(typeCode), "offset": .num(offset), "length": .num(length),
            "device_id": .num(deviceID), "data_setting": .num(dataSetting),
        ]
        switch payload {
        case .padding, .all, .select, .rangeStart, .rangeEnd: break
        case .alias(let source): o["source_device_id"] = .num(source)
        case .extended(let data): o["extended_data"] = .num(data)
        case .special(let handle, let source, let variety):
            o["handle"] = .num(handle)
            o["source_device_id"] = .num(source)
            o["variety"] = .num(variety)
            o["variety_name"] = .string(IVHDDeviceEntry.varietyName(variety))
        case .acpiHID(let d):
            o["hid"] = .string(d.hid)
            o["cid"] = .num(d.cid)
            o["uid_format"] = .num(d.uidFormat)
            o["uid_length"] = .num(d.uidLength)
            if let s = d.uidString {
                o["uid"] = .string(s)
            } else if let n = d.uidInteger {
                o["uid"] = .num(n)
            } else if !d.uid.isEmpty {
                o["uid"] = .nums(d.uid)
            }
        case .reserved(let data): o["data"] = .nums(data)
        }
        return .object(o)
    }
}
