/// The Access Control Services extended capability (ID 0x000D).
public struct ACSCapability: Sendable, Equatable {
    /// The ACS feature bits, laid out identically in the capability and control
    /// registers (bits 0...6). Names follow lspci.
    public struct Features: OptionSet, Sendable, Hashable {
        public let rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// ACS Source Validation.
        public static let srcValid = Features(rawValue: 1 << 0)
        /// ACS Translation Blocking.
        public static let transBlk = Features(rawValue: 1 << 1)
        /// ACS P2P Request Redirect.
        public static let reqRedir = Features(rawValue: 1 << 2)
        /// ACS P2P Completion Redirect.
        public static let cmpltRedir = Features(rawValue: 1 << 3)
        /// ACS Upstream Forwarding.
        public static let upstreamFwd = Features(rawValue: 1 << 4)
        /// ACS P2P Egress Control.
        public static let egressCtrl = Features(rawValue: 1 << 5)
        /// ACS Direct Translated P2P.
        public static let directTrans = Features(rawValue: 1 << 6)

        /// In lspci's order, with its labels.
        public static let labelled: [(label: String, feature: Features)] = [
            ("SrcValid", .srcValid), ("TransBlk", .transBlk), ("ReqRedir", .reqRedir),
            ("CmpltRedir", .cmpltRedir), ("UpstreamFwd", .upstreamFwd), ("EgressCtrl", .egressCtrl),
            ("DirectTrans", .directTrans),
        ]
    }

    public let offset: Int
    public let version: UInt8
    /// ACS Capability register (cap + 0x04).
    public let capabilityRegister: UInt16
    /// ACS Control register (cap + 0x06).
    public let controlRegister: UInt16

    /// Decodes the capability at `offset`; nil unless its 8 bytes are present and
    /// the header carries ID 0x000D.
    public init?(config: PCIConfigSpace, offset: Int, version: UInt8? = nil) {
        guard let header = config.dword(at: offset),
              header & 0xffff == UInt32(PCIConfigSpace.ExtendedCapabilityID.acs),
              let capability = config.word(at: offset + 4), let control = config.word(at: offset + 6)
        else { return nil }
        self.offset = offset
        self.version = version ?? UInt8(header.bits(16, count: 4))
        capabilityRegister = capability
        controlRegister = control
    }

    /// Supported features (capability register bits 0...6).
    public var capabilities: Features { Features(rawValue: capabilityRegister & 0x7f) }
    /// Enabled features (control register bits 0...6).
    public var control: Features { Features(rawValue: controlRegister & 0x7f) }
    /// Egress Control Vector Size field (capability bits 15:8).
    public var egressControlVectorSize: UInt8 { UInt8(capabilityRegister >> 8) }
    /// Number of egress control vector bits when P2P Egress Control is supported
    /// (a size field of 0 means 256), else nil.
    public var egressControlVectorBits: Int? {
        guard capabilities.contains(.egressCtrl) else { return nil }
        return egressControlVectorSize == 0 ? 256 : Int(egressControlVectorSize)
    }

    /// What `lspci -vvv` (pciutils 3.9.0) prints for this capability, without the
    /// leading indentation.
    public func lspciLines() -> [String] {
        func render(_ features: Features) -> String {
            LspciText.flags(Features.labelled.map { ($0.label, features.contains($0.feature)) })
        }
        return [
            LspciText.extendedHeader(offset: offset, version: version, name: "Access Control Services"),
            "ACSCap:\t" + render(capabilities),
            "ACSCtl:\t" + render(control),
        ]
    }
}
