/// The waiver file: TOML, restricted to what waivers need, parsed here (no dependency). Accepted: `#`
/// comments, blank lines, `[[waiver]]` headers, and in each table `key = value` with a bare key and a value
/// that is a basic string ("…", TOML escapes), a literal string ('…') or a local date (2026-12-31, also
/// quoted). Anything else (other tables, arrays, numbers, multi-line strings, a date with a time, an unknown
/// or repeated key) is an error naming its line, so a typo never silently waives nothing, or everything.
public enum WaiverFile {
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var line: Int
        public var message: String
        public var description: String { ErrorStrings.ui.waiverLine.render(["line": String(line), "message": message]) }
    }

    static let keys = ["check", "justification", "expires", "who"]

    /// The waivers of `text`. `knownChecks`: the check ids this version has (an unknown id is an error).
    public static func parse(_ text: String, knownChecks: Set<String>) throws -> [Waiver] {
        var out: [Waiver] = []
        var current: (line: Int, values: [String: (String, Int)])?
        func finish() throws {
            guard let c = current else { return }
            for k in ["check", "justification", "expires"] where c.values[k] == nil {
                throw ParseError(line: c.line, message: ErrorStrings.ui.waiverMissingKey.render(["key": k]))
            }
            let (spec, specLine) = c.values["check"]!
            let parts = spec.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let id = parts[0].trimmingWhitespace()
            let object = parts.count > 1 ? parts[1].trimmingWhitespace() : nil
            guard !id.isEmpty, object.map({ !$0.isEmpty }) ?? true else {
                throw ParseError(line: specLine, message: ErrorStrings.ui.waiverBadSpec.render(["spec": spec]))
            }
            guard knownChecks.contains(id) else {
                throw ParseError(line: specLine, message: ErrorStrings.ui.waiverUnknownCheck.render(["id": id]))
            }
            let (just, justLine) = c.values["justification"]!
            guard !just.trimmingWhitespace().isEmpty else {
                throw ParseError(line: justLine, message: ErrorStrings.ui.waiverEmptyJustification.id)
            }
            let (expires, expLine) = c.values["expires"]!
            guard days(expires) != nil else {
                throw ParseError(line: expLine, message: ErrorStrings.ui.waiverBadExpires.render(["value": expires]))
            }
            let who = c.values["who"]?.0
            out.append(Waiver(check: id, object: object, justification: just, expires: expires,
                              who: who.flatMap { $0.isEmpty ? nil : $0 }, line: c.line))
        }
        var lineNo = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            var line = Substring(raw)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = String(line).trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if trimmed.hasPrefix("[") {
                let header = stripComment(trimmed).trimmingWhitespace()
                let inner = header.hasPrefix("[[") && header.hasSuffix("]]")
                    ? String(header.dropFirst(2).dropLast(2)).trimmingWhitespace() : nil
                guard inner == "waiver" else {
                    throw ParseError(line: lineNo, message: ErrorStrings.ui.waiverOnlyTables.render(["header": header]))
                }
                try finish()
                current = (lineNo, [:])
                continue
            }
            guard let eq = trimmed.firstIndex(of: "=") else {
                throw ParseError(line: lineNo, message: ErrorStrings.ui.waiverExpectedLine.id)
            }
            let key = String(trimmed[..<eq]).trimmingWhitespace()
            guard !key.isEmpty, key.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || $0 == "_" || $0 == "-" }) else {
                throw ParseError(line: lineNo, message: ErrorStrings.ui.waiverBareKey.render(["key": key]))
            }
            guard keys.contains(key) else {
                throw ParseError(line: lineNo, message: ErrorStrings.ui.waiverUnknownKey.render(["key": key, "keys": keys.joined(separator: ", ")]))
            }
            guard current != nil else {
                throw ParseError(line: lineNo, message: ErrorStrings.ui.waiverOutside.render(["key": key]))
            }
            guard current!.values[key] == nil else {
                throw ParseError(line: lineNo, message: ErrorStrings.ui.waiverTwice.render(["key": key]))
            }
            let value: String
            do {
                value = try parseValue(trimmed[trimmed.index(after: eq)...], key: key)
            } catch let m as Message {
                throw ParseError(line: lineNo, message: ErrorStrings.ui.named.render(["name": key, "problem": m.text]))
            }
            current!.values[key] = (value, lineNo)
        }
        try finish()
        return out
    }

    struct Message: Error { var text: String }

    /// Reads and parses a waiver file against the catalog; errors name the file and the line.
    public static func load(_ path: String, catalog: [Check] = Checks.all) throws -> [Waiver] {
        let text: String
        do {
            text = try FileInput.readText(path, limit: 1 << 20)
        } catch {
            throw LoadError(description: ErrorStrings.ui.named.render(["name": path, "problem": "\(error)"]))
        }
        do {
            return try parse(text, knownChecks: Set(catalog.map(\.id)))
        } catch let e as ParseError {
            throw LoadError(description: ErrorStrings.ui.named.render(["name": path, "problem": "\(e)"]))
        }
    }

    public struct LoadError: Error, CustomStringConvertible { public var description: String }

    /// A `#` comment removed from text with no string in it.
    static func stripComment(_ s: String) -> String {
        s.firstIndex(of: "#").map { String(s[..<$0]) } ?? s
    }

    /// One value, and nothing but whitespace or a comment after it.
    static func parseValue(_ s: Substring, key: String) throws -> String {
        let scalars = Array(s.unicodeScalars)
        var i = 0
        while i < scalars.count, scalars[i] == " " || scalars[i] == "\t" { i += 1 }
        guard i < scalars.count else { throw Message(text: ErrorStrings.ui.valueMissing.id) }
        var value = ""
        var isDate = false
        if scalars[i] == "\"" || scalars[i] == "'" {
            let quote = scalars[i]
            if i + 2 < scalars.count, scalars[i + 1] == quote, scalars[i + 2] == quote {
                throw Message(text: ErrorStrings.ui.valueMultiLine.id)
            }
            i += 1
            var closed = false
            while i < scalars.count {
                let c = scalars[i]
                if c == quote { closed = true; i += 1; break }
                if c.value < 0x20 && c != "\t" || c.value == 0x7F { throw Message(text: ErrorStrings.ui.valueControl.id) }
                if quote == "\"" && c == "\\" {
                    i += 1
                    guard i < scalars.count else { break }
                    switch scalars[i] {
                    case "b": value += "\u{8}"
                    case "t": value += "\t"
                    case "n": value += "\n"
                    case "f": value += "\u{C}"
                    case "r": value += "\r"
                    case "\"": value += "\""
                    case "\\": value += "\\"
                    case "u", "U":
                        let n = scalars[i] == "u" ? 4 : 8
                        guard i + n < scalars.count,
                              let v = UInt32(String(String.UnicodeScalarView(scalars[(i + 1)...(i + n)])), radix: 16),
                              let u = Unicode.Scalar(v) else { throw Message(text: ErrorStrings.ui.valueBadUnicode.id) }
                        value.unicodeScalars.append(u)
                        i += n
                    default:
                        throw Message(text: ErrorStrings.ui.valueUnknownEscape.render(["char": String(scalars[i])]))
                    }
                    i += 1
                    continue
                }
                value.unicodeScalars.append(c)
                i += 1
            }
            guard closed else { throw Message(text: ErrorStrings.ui.valueNotClosed.id) }
        } else {
            let start = i
            while i < scalars.count, scalars[i] != " " && scalars[i] != "\t" && scalars[i] != "#" { i += 1 }
            value = String(String.UnicodeScalarView(scalars[start..<i]))
            isDate = true
        }
        while i < scalars.count, scalars[i] == " " || scalars[i] == "\t" { i += 1 }
        guard i == scalars.count || scalars[i] == "#" else {
            throw Message(text: ErrorStrings.ui.valueTrailing.render(["text": String(String.UnicodeScalarView(scalars[i...]))]))
        }
        if isDate {
            guard key == "expires" else { throw Message(text: ErrorStrings.ui.valueNotString.render(["value": value])) }
            guard days(value) != nil else {
                throw Message(text: ErrorStrings.ui.valueNotDate.render(["value": value]))
            }
        }
        return value
    }

    /// Days since 1970-01-01 of a `YYYY-MM-DD` date; nil when it is not one (month 13, February 30, …).
    public static func days(_ s: String) -> Int? {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for k in r { guard (48...57).contains(u[k]) else { return nil }; v = v * 10 + Int(u[k] - 48) }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10), (1...12).contains(m), d >= 1 else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard d <= monthDays[m - 1] else { return nil }
        // Howard Hinnant's days_from_civil.
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
