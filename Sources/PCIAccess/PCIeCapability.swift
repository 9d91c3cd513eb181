/// The PCI Express capability (standard capability ID 0x10): the parts a
/// virtualization readiness check needs. Registers that do not fit in the data
/// are nil; Device Capabilities/Control 2 exist only from capability version 2.
public struct PCIeCapability: Sendable, Equatable {
    /// Device/port type, PCI Express Capabilities register bits 7:4.
    public enum DeviceType: UInt8, Sendable {
        case endpoint = 0x0
        case legacyEndpoint = 0x1
        case rootPort = 0x4
        case upstreamSwitchPort = 0x5
        case downstreamSwitchPort = 0x6
        case pcieToPCIBridge = 0x7
        case pciToPCIeBridge = 0x8
        case rootComplexIntegratedEndpoint = 0x9
        case rootComplexEventCollector = 0xA
    }

    public let offset: Int
    /// PCI Express Capabilities register (cap + 0x02).
    public let capabilitiesRegister: UInt16
    /// Link Capabilities (cap + 0x0C).
    public let linkCapabilities: UInt32?
    /// Link Status (cap + 0x12).
    public let linkStatus: UInt16?
    /// Device Capabilities 2 (cap + 0x24), version 2 and later only.
    public let deviceCapabilities2: UInt32?
    /// Device Control 2 (cap + 0x28), version 2 and later only.
    public let deviceControl2: UInt16?

    public init?(config: PCIConfigSpace, offset: Int) {
        guard config.byte(at: offset) == PCIConfigSpace.CapabilityID.pciExpress,
              let flags = config.word(at: offset + 0x02) else { return nil }
        self.offset = offset
        capabilitiesRegister = flags
        linkCapabilities = config.dword(at: offset + 0x0C)
        linkStatus = config.word(at: offset + 0x12)
        let hasVersion2Registers = flags.bits(0, count: 4) >= 2
        deviceCapabilities2 = hasVersion2Registers ? config.dword(at: offset + 0x24) : nil
        deviceControl2 = hasVersion2Registers ? config.word(at: offset + 0x28) : nil
    }

    public var version: UInt8 { UInt8(capabilitiesRegister.bits(0, count: 4)) }
    public var deviceTypeRaw: UInt8 { UInt8(capabilitiesRegister.bits(4, count: 4)) }
    /// nil for reserved encodings.
    public var deviceType: DeviceType? { DeviceType(rawValue: deviceTypeRaw) }

    /// Whether the function has link registers that describe a real link
    /// (root complex integrated endpoints and event collectors do not).
    public var hasLink: Bool {
        deviceType != .rootComplexIntegratedEndpoint && deviceType != .rootComplexEventCollector
    }

    /// Max Link Speed code (1 = 2.5 GT/s, 2 = 5, 3 = 8, 4 = 16, 5 = 32, 6 = 64).
    public var maxLinkSpeed: UInt8? { linkCapabilities.map { UInt8($0.bits(0, count: 4)) } }
    /// Maximum Link Width (lanes).
    public var maxLinkWidth: UInt8? { linkCapabilities.map { UInt8($0.bits(4, count: 6)) } }
    /// Current Link Speed code, same encoding as `maxLinkSpeed`.
    public var currentLinkSpeed: UInt8? { linkStatus.map { UInt8($0.bits(0, count: 4)) } }
    /// Negotiated Link Width (lanes).
    public var currentLinkWidth: UInt8? { linkStatus.map { UInt8($0.bits(4, count: 6)) } }

    /// Device Capabilities 2 bit 5: ARI Forwarding Supported (downstream/root ports).
    public var ariForwardingSupported: Bool { deviceCapabilities2?.bit(5) ?? false }
    /// Device Control 2 bit 5: ARI Forwarding Enable.
    public var ariForwardingEnabled: Bool { deviceControl2?.bit(5) ?? false }

    /// "2.5GT/s", "5GT/s", "8GT/s", "16GT/s", "32GT/s", "64GT/s"; nil for other codes.
    public static func speedDescription(_ code: UInt8) -> String? {
        switch code {
        case 1: "2.5GT/s"
        case 2: "5GT/s"
        case 3: "8GT/s"
        case 4: "16GT/s"
        case 5: "32GT/s"
        case 6: "64GT/s"
        default: nil
        }
    }
}
