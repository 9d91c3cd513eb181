/// The identities `--redact` finds in a text, found by hand-written scanners over its UTF-8 bytes (no regex
/// engine: the binary carries no ICU). Each scanner returns the byte ranges of its matches, leftmost first and
/// never overlapping, as the regular expression in its comment would find them; `RedactorScanTests` compares
/// them with that expression on generated texts.
enum TextScan {
    static func isHex(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    static func isAlnum(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)
    }

    /// ASCII letters folded to lower case; every other byte as it is.
    static func fold(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5a ? c + 0x20 : c }

    static let colon = UInt8(ascii: ":"), dot = UInt8(ascii: ".")

    /// The length of the run of bytes satisfying `p` from `i`.
    static func run(_ b: [UInt8], _ i: Int, _ p: (UInt8) -> Bool) -> Int {
        var j = i
        while j < b.count && p(b[j]) { j += 1 }
        return j - i
    }

    /// Tries `match` (the end of a match starting there, or nil) at every position, left to right; after a
    /// match the scan goes on at its end.
    static func scan(_ b: [UInt8], _ match: (Int) -> Int?) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        while i < b.count {
            if let end = match(i), end > i {
                out.append(i..<end)
                i = end
            } else {
                i += 1
            }
        }
        return out
    }

    /// `(?<![0-9A-Fa-f:])[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}(?![0-9A-Fa-f:])`
    static func macs(_ b: [UInt8]) -> [Range<Int>] {
        let hexOrColon: (UInt8) -> Bool = { isHex($0) || $0 == colon }
        return scan(b) { i in
            guard i + 17 <= b.count, i == 0 || !hexOrColon(b[i - 1]) else { return nil }
            for k in 0..<17 {
                let ok = k % 3 == 2 ? b[i + k] == colon : isHex(b[i + k])
                if !ok { return nil }
            }
            if i + 17 < b.count && hexOrColon(b[i + 17]) { return nil }
            return i + 17
        }
    }

    /// `(?<![0-9A-Fa-f:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:]|\.[0-9])`
    ///
    /// Backtracking never helps this expression: a shorter last group or fewer groups always leave a hex digit
    /// or a colon next, which the look-ahead refuses. So the greedy reading is the only candidate.
    static func ipv6s(_ b: [UInt8]) -> [Range<Int>] {
        scan(b) { i in
            if i > 0 && (isHex(b[i - 1]) || b[i - 1] == colon || b[i - 1] == dot) { return nil }
            var j = i
            var groups = 0
            while groups < 7 {
                let r = run(b, j, isHex)
                guard r <= 4, j + r < b.count, b[j + r] == colon else { break }
                groups += 1
                j += r + 1
            }
            guard groups >= 2 else { return nil }
            let r = run(b, j, isHex)
            guard r <= 4 else { return nil }
            let end = j + r
            if end < b.count {
                let c = b[end]
                if isHex(c) || c == colon { return nil }
                if c == dot && end + 1 < b.count && isDigit(b[end + 1]) { return nil }
            }
            return end
        }
    }

    /// One octet of a dotted quad, `25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]`, as a whole run of digits.
    static func isOctet(_ b: ArraySlice<UInt8>) -> Bool {
        guard let first = b.first else { return false }
        switch b.count {
        case 1: return true
        case 2: return first != UInt8(ascii: "0")
        case 3: return first != UInt8(ascii: "0") && b.reduce(0) { $0 * 10 + Int($1 - 0x30) } <= 255
        default: return false
        }
    }

    /// `(?<![0-9.])(?:OCTET\.){3}OCTET(?![0-9]|\.[0-9])`: each octet is a whole run of digits (a dot or the
    /// look-ahead follows it), so there is again one candidate per position.
    static func ipv4s(_ b: [UInt8]) -> [Range<Int>] {
        scan(b) { i in
            if i > 0 && (isDigit(b[i - 1]) || b[i - 1] == dot) { return nil }
            var j = i
            for k in 0..<4 {
                let r = run(b, j, isDigit)
                guard isOctet(b[j..<(j + r)]) else { return nil }
                j += r
                if k < 3 {
                    guard j < b.count, b[j] == dot else { return nil }
                    j += 1
                }
            }
            if j + 1 < b.count && b[j] == dot && isDigit(b[j + 1]) { return nil }
            return j
        }
    }

    /// Whether `word` (lower-case ASCII) is at `i`, ASCII letters in any case.
    static func hasWord(_ b: [UInt8], _ i: Int, _ word: [UInt8]) -> Bool {
        guard i + word.count <= b.count else { return false }
        for k in 0..<word.count where fold(b[i + k]) != word[k] { return false }
        return true
    }

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0d) }

    static let serialWord = Array("serial".utf8), numberWord = Array("number".utf8), noWord = Array("no".utf8)

    /// The values of `(?i)serial[ _]?(?:number|no\.?)\s*[:=]\s*([A-Za-z0-9][A-Za-z0-9._-]{2,})`, in order
    /// (`\s`: ASCII white space).
    static func serialNumbers(_ b: [UInt8]) -> [String] {
        let valueByte: (UInt8) -> Bool = { isAlnum($0) || $0 == dot || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
        var values: [String] = []
        _ = scan(b) { i in
            guard hasWord(b, i, serialWord) else { return nil }
            var j = i + serialWord.count
            if j < b.count && (b[j] == 0x20 || b[j] == UInt8(ascii: "_")) { j += 1 }
            if hasWord(b, j, numberWord) {
                j += numberWord.count
            } else if hasWord(b, j, noWord) {
                j += noWord.count
                if j < b.count && b[j] == dot { j += 1 }
            } else {
                return nil
            }
            j += run(b, j, isSpace)
            guard j < b.count, b[j] == colon || b[j] == UInt8(ascii: "=") else { return nil }
            j += 1
            j += run(b, j, isSpace)
            guard j < b.count, isAlnum(b[j]) else { return nil }
            let r = 1 + run(b, j + 1, valueByte)
            guard r >= 3 else { return nil }
            values.append(String(decoding: b[j..<(j + r)], as: UTF8.self))
            return j + r
        }
        return values
    }

    /// `(?i)(?<![A-Za-z0-9_-])WORD(?![A-Za-z0-9_-])` for a literal `word`: ASCII letters match in any case,
    /// other bytes as they are (hostnames and serial numbers are ASCII).
    static func words(_ word: [UInt8], in b: [UInt8]) -> [Range<Int>] {
        guard !word.isEmpty else { return [] }
        let folded = word.map(fold)
        let wordByte: (UInt8) -> Bool = { isAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
        return scan(b) { i in
            guard i == 0 || !wordByte(b[i - 1]), hasWord(b, i, folded) else { return nil }
            let end = i + folded.count
            if end < b.count && wordByte(b[end]) { return nil }
            return end
        }
    }
}
