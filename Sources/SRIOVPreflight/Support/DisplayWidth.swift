/// Terminal columns: CJK ideographs, kana, Hangul and fullwidth forms take two, combining marks and
/// zero-width characters none. Our own table (East Asian Width W/F ranges), not wcwidth(3): that one
/// answers -1 for every CJK character under the C locale.
public enum DisplayWidth {
    static let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
        0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
        0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
    static let zero: [ClosedRange<UInt32>] = [
        0x0300...0x036F, 0x200B...0x200F, 0x20D0...0x20FF, 0xFE00...0xFE0F, 0xFE20...0xFE2F,
    ]

    public static func of(_ u: Unicode.Scalar) -> Int {
        let v = u.value
        if v < 0x1100 { return (0x300...0x36F).contains(v) ? 0 : 1 }
        if zero.contains(where: { $0.contains(v) }) { return 0 }
        return wide.contains(where: { $0.contains(v) }) ? 2 : 1
    }

    public static func of(_ s: some StringProtocol) -> Int { s.unicodeScalars.reduce(0) { $0 + of($1) } }
}

extension String {
    /// Columns on a terminal (CJK characters count two).
    public var displayWidth: Int { DisplayWidth.of(self) }

    /// Padded with spaces to `width` columns.
    func displayPadded(_ width: Int) -> String {
        let w = displayWidth
        return w >= width ? self : self + String(repeating: " ", count: width - w)
    }

    /// At most `width` columns (whole characters).
    func displayPrefix(_ width: Int) -> String {
        var out = "", w = 0
        for c in self {
            let cw = String(c).displayWidth
            if w + cw > width { break }
            out.append(c)
            w += cw
        }
        return out
    }
}
