/// The Alternative Routing-ID Interpretation extended capability (ID 0x000E).
public struct ARICapability: Sendable, Equatable {
    public let offset: Int
    public let version: UInt8
    /// ARI Capability register (cap + 0x04).
    public let capabilityRegister: UInt16
    /// ARI Control register (cap + 0x06).
    public let controlRegister: UInt16

    /// Decodes the capability at `offset`; nil unless its 8 bytes are present and
    /// the header carries ID 0x000E.
    public init?(config: PCIConfigSpace, offset: Int, version: UInt8? = nil) {
        guard let header = config.dword(at: offset),
              header & 0xffff == UInt32(PCIConfigSpace.ExtendedCapabilityID.ari),
              let capability = config.word(at: offset + 4), let control = config.word(at: offset + 6)
        else { return nil }
        self.offset = offset
        self.version = version ?? UInt8(header.bits(16, count: 4))
        capabilityRegister = capability
        controlRegister = control
    }

    /// MFVC Function Groups Capability (bit 0).
    public var mfvcFunctionGroups: Bool { capabilityRegister.bit(0) }
    /// ACS Function Groups Capability (bit 1).
    public var acsFunctionGroups: Bool { capabilityRegister.bit(1) }
    /// Next Function Number (bits 15:8): the next function of this device in the ARI chain.
    public var nextFunction: UInt8 { UInt8(capabilityRegister >> 8) }
    /// MFVC Function Groups Enable (control bit 0).
    public var mfvcFunctionGroupsEnabled: Bool { controlRegister.bit(0) }
    /// ACS Function Groups Enable (control bit 1).
    public var acsFunctionGroupsEnabled: Bool { controlRegister.bit(1) }
    /// Function Group (control bits 6:4).
    public var functionGroup: UInt8 { UInt8(controlRegister.bits(4, count: 3)) }

    /// What `lspci -vvv` (pciutils 3.9.0) prints for this capability, without the
    /// leading indentation.
    public func lspciLines() -> [String] {
        typealias T = LspciText
        return [
            T.extendedHeader(offset: offset, version: version, name: "Alternative Routing-ID Interpretation (ARI)"),
            "ARICap:\t" + T.flags([("MFVC", mfvcFunctionGroups), ("ACS", acsFunctionGroups)])
                + ", Next Function: \(nextFunction)",
            "ARICtl:\t" + T.flags([("MFVC", mfvcFunctionGroupsEnabled), ("ACS", acsFunctionGroupsEnabled)])
                + ", Function Group: \(functionGroup)",
        ]
    }
}
