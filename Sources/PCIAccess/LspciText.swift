/// Small formatting helpers shared by the `lspciLines()` renderers, which reproduce
/// the text of `lspci -vvv` (pciutils 3.9.0) without leading indentation.
enum LspciText {
    /// Lowercase hex, zero-padded to at least `digits` digits (printf `%0Nx`).
    static func hex<T: BinaryInteger>(_ value: T, digits: Int) -> String {
        let text = String(value, radix: 16)
        return text.count >= digits ? text : String(repeating: "0", count: digits - text.count) + text
    }

    /// "Name+" or "Name-", as lspci prints a flag.
    static func flag(_ name: String, _ isSet: Bool) -> String {
        name + (isSet ? "+" : "-")
    }

    /// Space-separated flags: "SrcValid+ TransBlk- ...".
    static func flags(_ items: [(String, Bool)]) -> String {
        items.map { flag($0.0, $0.1) }.joined(separator: " ")
    }

    /// The header line of an extended capability: "Capabilities: [160 v1] Name".
    static func extendedHeader(offset: Int, version: UInt8, name: String) -> String {
        "Capabilities: [\(hex(offset, digits: 3)) v\(version)] \(name)"
    }
}

/// Bit helpers for register decoding.
extension BinaryInteger {
    @inline(__always)
    func bit(_ index: Int) -> Bool { (self >> index) & 1 == 1 }

    /// `count` bits starting at bit `low`.
    @inline(__always)
    func bits(_ low: Int, count: Int) -> Self { (self >> low) & ((1 << count) - 1) }
}
