import Foundation
@testable import SRIOVPreflight
import Testing

/// The redactor's scanners (no regex engine in the binary) find exactly what the regular expressions they
/// replace found, on hand-picked and generated texts. The expressions live here, in the tests, only.
@Suite("Redactor scanners")
struct RedactorScanTests {
    static let mac = try! NSRegularExpression(
        pattern: "(?<![0-9A-Fa-f:])[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}(?![0-9A-Fa-f:])")
    static let ipv6 = try! NSRegularExpression(
        pattern: "(?<![0-9A-Fa-f:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:]|\\.[0-9])")
    static let ipv4 = try! NSRegularExpression(
        pattern: "(?<![0-9.])(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?![0-9]|\\.[0-9])")
    static let serialLine = try! NSRegularExpression(
        pattern: "(?i)serial[ _]?(?:number|no\\.?)\\s*[:=]\\s*([A-Za-z0-9][A-Za-z0-9._-]{2,})")

    /// Matches of `re` as strings (the texts are ASCII: UTF-16 offsets are byte offsets).
    static func regex(_ re: NSRegularExpression, _ s: String, group: Int = 0) -> [String] {
        let ns = s as NSString
        return re.matches(in: s, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: group)) }
    }

    static func scanned(_ ranges: [Range<Int>], _ s: String) -> [String] {
        let b = Array(s.utf8)
        return ranges.map { String(decoding: b[$0], as: UTF8.self) }
    }

    static func word(_ w: String, _ s: String) -> [String] {
        let pattern = "(?<![A-Za-z0-9_-])" + NSRegularExpression.escapedPattern(for: w) + "(?![A-Za-z0-9_-])"
        return regex(try! NSRegularExpression(pattern: pattern, options: .caseInsensitive), s)
    }

    static func expectSame(_ s: String) {
        let b = Array(s.utf8)
        #expect(scanned(TextScan.macs(b), s) == regex(mac, s), "mac in \(s.debugDescription)")
        #expect(scanned(TextScan.ipv6s(b), s) == regex(ipv6, s), "ipv6 in \(s.debugDescription)")
        #expect(scanned(TextScan.ipv4s(b), s) == regex(ipv4, s), "ipv4 in \(s.debugDescription)")
        #expect(TextScan.serialNumbers(b) == regex(serialLine, s, group: 1), "serial in \(s.debugDescription)")
        for w in ["host-a", "Node1.example", "abc"] {
            #expect(scanned(TextScan.words(Array(w.utf8), in: b), s) == word(w, s), "\(w) in \(s.debugDescription)")
        }
    }

    static let samples = [
        "", "aa:bb:cc:dd:ee:ff", "link/ether 3C:FD:FE:12:34:56 brd ff:ff:ff:ff:ff:ff", "aa:bb:cc:dd:ee:ff:00",
        ":aa:bb:cc:dd:ee:ff", "gaa:bb:cc:dd:ee:ffg", "aa:bb:cc:dd:ee:f", "fe80::1/64 ::1 2001:db8:0:1:2:3:4:5",
        "1:2:3:4:5:6:7:8:9", "::ffff:10.0.0.1", "a:b:12345:c", "12:34", "::", ":::", "x::y", "abcd::", "1::2.",
        "1::2.x", "inet 10.1.2.3/24 brd 10.1.2.255", "256.1.1.1 1.2.3.256 01.2.3.4 1.2.3.4.5 1.2.3.4. 0.0.0.0",
        "255.255.255.255", "a1.2.3.4", ".1.2.3.4", "1.2.3.4x", "10.0.0.1:8080", "Serial Number: ABC123-x.y_z",
        "serial_no.=  XY9", "SERIALNO:ab", "serial no . : abc", "Serial number:\tQ12 serial number = 0000",
        "serialnumber:abcd serial number:ab serial  number: abcd", "host-a HOST-A host-ab xhost-a host-a-1 _host-a",
        "node1.example.com Node1.Example abc.abc abc1 -abc abc_", "serial_number=\n  SN-42",
    ]

    @Test("hand-picked texts: the scanners find what the expressions found")
    func handPicked() {
        for s in Self.samples { Self.expectSame(s) }
    }

    @Test("generated texts: the scanners find what the expressions found")
    func generated() {
        // Characters that make the patterns go wrong if anything does.
        let alphabet = Array("0123456789abcdefABCDEFgx:.:.:. _-=\tsSerialNnumbo")
        let pieces = ["serial number: ", "serial_no.=", "host-a", "abc", "::", "1.2.3.", "255.", "ff:ff:"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            var s = ""
            for _ in 0..<Int.random(in: 0...40, using: &rng) {
                if Int.random(in: 0..<8, using: &rng) == 0 {
                    s += pieces.randomElement(using: &rng)!
                } else {
                    s.append(alphabet.randomElement(using: &rng)!)
                }
            }
            Self.expectSame(s)
        }
    }

    @Test("a MAC token keeps its two-digit hex form")
    func macToken() {
        let r = Redactor()
        let out = r.redactText((0..<300).map { String(format: "02:11:22:33:%02x:%02x", $0 >> 8, $0 & 0xff) }.joined(separator: " "))
        #expect(out.hasPrefix("02:00:00:00:00:01 02:00:00:00:00:02"))
        #expect(out.hasSuffix("02:00:00:00:01:2c"))
    }
}
