#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import CHostShim

/// The one lock type of the project: the standard library's `Mutex` (PCIAccess uses it with its state
/// inside); here it guards the few caches kept beside it in a class.
typealias Lock = Mutex<Void>

extension Mutex where Value == Void {
    /// Runs `body` holding the lock.
    borrowing func locked<T>(_ body: () throws -> T) rethrows -> T {
        try withLock { _ in try body() }
    }
}

extension StringProtocol {
    /// Whether `needle` occurs in the text, as the standard library's `contains` says, found by a byte search
    /// (memmem) where the text and the needle are ASCII without a CR or LF (kernel log lines, sysfs values,
    /// command lines): there every byte is a Character and the two searches agree. Any other text, or
    /// needle, takes the standard (Character-wise) search.
    func contains(_ needle: String) -> Bool {
        if needle.isEmpty { return true }
        let fast: Bool? = needle.utf8.withContiguousStorageIfAvailable { n -> Bool? in
            guard n.allSatisfy({ $0 < 0x80 && $0 != 0x0A && $0 != 0x0D }) else { return nil }
            return self.utf8.withContiguousStorageIfAvailable { h -> Bool? in
                guard h.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) else { return nil }
                guard h.count >= n.count else { return false }
                return spf_memmem(h.baseAddress!, h.count, n.baseAddress!, n.count) != nil
            } ?? nil
        } ?? nil
        if let fast { return fast }
        return self.firstRange(of: needle) != nil
    }
}

extension String {
    /// Without leading and trailing spaces, tabs, newlines and NULs.
    public func trimmingWhitespace() -> String {
        let isWS: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\0" }
        guard let start = firstIndex(where: { !isWS($0) }) else { return "" }
        let end = lastIndex(where: { !isWS($0) })!
        return String(self[start...end])
    }

    /// Lines without their terminators.
    public var lines: [Substring] {
        split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
    }

    /// Parses "0x1f", "1f" (as hex when `hex`), or decimal.
    public func parseInteger(hex: Bool = false) -> UInt64? {
        var s = trimmingWhitespace()
        if s.hasPrefix("0x") || s.hasPrefix("0X") { s.removeFirst(2); return UInt64(s, radix: 16) }
        return UInt64(s, radix: hex ? 16 : 10)
    }

    /// Left-padded with `pad` to `width`.
    func leftPadded(_ width: Int, _ pad: Character = " ") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }

    func rightPadded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

/// Lowercase hex with a minimum number of digits.
func hex<T: BinaryInteger>(_ v: T, _ digits: Int = 0) -> String {
    String(v, radix: 16).leftPadded(digits, "0")
}
