import PCIAccess

/// `sriov-preflight decode pci`: the SR-IOV, ARI and ACS view of each function, as `lspci -vvv` shows it.
public enum PCIDecodeRenderer {
    public struct Function: Sendable {
        public var address: String
        public var vendorID: UInt16
        public var deviceID: UInt16
        public var classCode: UInt32
        public var config: [UInt8]
    }

    /// Functions read from an `lspci -xxxx` dump through libpci's dump method.
    public static func fromDump(_ file: String) throws -> [Function] {
        try PCIAccess.scanDump(file: file).map {
            Function(address: $0.address.description, vendorID: $0.vendorID, deviceID: $0.deviceID, classCode: $0.classCode, config: $0.config)
        }
    }

    /// Functions of a host root (through the snapshot's PCI facts).
    public static func fromSnapshot(_ s: HostSnapshot) -> [Function] {
        s.pci.functions.compactMap { f in
            guard let b = try? f.config.get() else { return nil }
            return Function(address: f.address, vendorID: f.vendorID ?? 0xFFFF, deviceID: f.deviceID ?? 0xFFFF,
                            classCode: f.classCode ?? 0, config: b)
        }
    }

    public static func text(_ functions: [Function], names: PCINameDatabase = PCINameDatabase(idsPath: PCINames.localDatabase())) -> String {
        var out = ""
        for f in functions {
            let cls = names.className(f.classCode) ?? "Class \(hex(f.classCode >> 8, 4))"
            let dev = [names.vendorName(f.vendorID), names.deviceName(vendor: f.vendorID, device: f.deviceID)].compactMap { $0 }
            out += "\(f.address) \(cls): \(dev.isEmpty ? "Device \(hex(f.vendorID, 4)):\(hex(f.deviceID, 4))" : dev.joined(separator: " "))\n"
            if f.config.count < 256 {
                out += "\t(config space of \(f.config.count) bytes: extended capabilities need root)\n\n"
                continue
            }
            let space = PCIConfigSpace(bytes: f.config)
            if let p = space.pcie {
                out += "\tPCIe: \(p.deviceType.map { "\($0)" } ?? "type \(p.deviceTypeRaw)"), ARIFwd \(p.ariForwardingSupported ? "+" : "-")/\(p.ariForwardingEnabled ? "+" : "-")\n"
            }
            for block in space.virtualizationCapabilityBlocks() {
                for (i, line) in block.enumerated() { out += (i == 0 ? "\t" : "\t\t") + line + "\n" }
            }
            out += "\n"
        }
        return out
    }

    public static func json(_ functions: [Function]) -> JSON {
        .array(functions.map { f in
            let space = PCIConfigSpace(bytes: f.config)
            var o: [String: JSON] = [
                "address": .string(f.address), "vendor_id": .num(f.vendorID), "device_id": .num(f.deviceID),
                "class_code": .num(f.classCode), "config_size": .num(f.config.count),
            ]
            if let p = space.pcie {
                o["pcie"] = .object(["device_type": .num(p.deviceTypeRaw), "ari_forwarding_supported": .bool(p.ariForwardingSupported),
                                     "ari_forwarding_enabled": .bool(p.ariForwardingEnabled)])
            }
            if f.config.count >= 256, let s = space.sriov {
                o["sriov"] = .object([
                    "offset": .num(s.offset), "total_vfs": .num(s.totalVFs), "initial_vfs": .num(s.initialVFs), "num_vfs": .num(s.numVFs),
                    "first_vf_offset": .num(s.firstVFOffset), "vf_stride": .num(s.vfStride), "vf_device_id": .num(s.vfDeviceID),
                    "vf_enable": .bool(s.vfEnable), "vf_mse": .bool(s.vfMSE), "ari_capable_hierarchy": .bool(s.ariCapableHierarchy),
                    "supported_page_sizes": .num(s.supportedPageSizes), "system_page_size": .num(s.systemPageSize),
                    "function_dependency_link": .num(s.functionDependencyLink),
                    "vf_bars": .array(s.vfBARs.map { .object(["index": .num($0.index), "base_address": .num($0.baseAddress),
                                                              "is_64bit": .bool($0.is64Bit), "prefetchable": .bool($0.prefetchable)]) }),
                ])
            }
            if f.config.count >= 256, let a = space.ari {
                o["ari"] = .object(["mfvc": .bool(a.mfvcFunctionGroups), "acs": .bool(a.acsFunctionGroups), "next_function": .num(a.nextFunction)])
            }
            if f.config.count >= 256, let a = space.acs {
                o["acs"] = .object(["capabilities": .num(a.capabilities.rawValue), "control": .num(a.control.rawValue)])
            }
            return .object(o)
        })
    }
}
