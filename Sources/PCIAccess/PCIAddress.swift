/// A PCI function address: domain (segment), bus, device and function.
///
/// `description` is always the long, lowercase form used by sysfs: `dddd:bb:dd.f`
/// (the domain widens past four digits only when it needs to).
public struct PCIAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var domain: UInt32
    public var bus: UInt8
    /// Device number, 0...31.
    public var device: UInt8
    /// Function number, 0...7.
    public var function: UInt8

    /// `device` keeps its low 5 bits and `function` its low 3 bits, as on the wire.
    public init(domain: UInt32 = 0, bus: UInt8, device: UInt8, function: UInt8) {
        self.domain = domain
        self.bus = bus
        self.device = device & 0x1f
        self.function = function & 0x07
    }

    /// The function whose 16-bit routing ID (bus << 8 | device << 3 | function) is `routingID`.
    public init(domain: UInt32 = 0, routingID: UInt16) {
        self.init(domain: domain, bus: UInt8(routingID >> 8),
                  device: UInt8((routingID >> 3) & 0x1f), function: UInt8(routingID & 0x07))
    }

    /// Parses `dddd:bb:dd.f` or `bb:dd.f` (domain 0), hex digits in either case.
    /// Returns nil for anything else, including out-of-range device or function numbers.
    public init?(_ text: String) {
        let dotParts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard dotParts.count == 2 else { return nil }
        let colonParts = dotParts[0].split(separator: ":", omittingEmptySubsequences: false)
        guard colonParts.count == 2 || colonParts.count == 3,
              let function = Self.hexNumber(dotParts[1], maxDigits: 1), function <= 7,
              let device = Self.hexNumber(colonParts[colonParts.count - 1], maxDigits: 2), device <= 31,
              let bus = Self.hexNumber(colonParts[colonParts.count - 2], maxDigits: 2)
        else { return nil }
        var domain: UInt64 = 0
        if colonParts.count == 3 {
            guard let value = Self.hexNumber(colonParts[0], maxDigits: 8) else { return nil }
            domain = value
        }
        self.init(domain: UInt32(domain), bus: UInt8(bus), device: UInt8(device), function: UInt8(function))
    }

    /// bus << 8 | device << 3 | function.
    public var routingID: UInt16 {
        UInt16(bus) << 8 | UInt16(device) << 3 | UInt16(function)
    }

    public var description: String {
        "\(LspciText.hex(domain, digits: 4)):\(LspciText.hex(bus, digits: 2)):"
            + "\(LspciText.hex(device, digits: 2)).\(function)"
    }

    public static func < (lhs: PCIAddress, rhs: PCIAddress) -> Bool {
        (lhs.domain, lhs.bus, lhs.device, lhs.function) < (rhs.domain, rhs.bus, rhs.device, rhs.function)
    }

    private static func hexNumber(_ text: Substring, maxDigits: Int) -> UInt64? {
        guard !text.isEmpty, text.count <= maxDigits, text.allSatisfy(\.isHexDigit) else { return nil }
        return UInt64(text, radix: 16)
    }
}
