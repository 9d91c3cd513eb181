@testable import SRIOVPreflight
import Testing

/// `contains` with a String needle searches bytes where that gives the standard library's answer.
@Suite("Text search")
struct TextSearchTests {
    @Test("the byte search answers as the Character-wise search, ASCII or not, CR LF and combining marks too")
    func agreesWithStandardSearch() {
        let texts = ["DMAR-IR: Enabled IRQ remapping in x2apic mode", "", "a", "AMD-Vi: Interrupt remapping enabled\n",
                     "x\r\ny", "line\r\n", "e\u{301}cole", "caf\u{E9} DMAR:", "DMAR:\u{301} fault", "\u{1F600}DMAR: x",
                     "remapping remapping", "abc\ndef"]
        let needles = ["DMAR:", "remapping", "", "a", "\n", "\r", "\r\n", "e", "x", "y", "fault", "DMAR", "caf", "\u{E9}",
                       "ab", "c\nd", "mode", "enabled\n"]
        for t in texts {
            for n in needles {
                #expect(t.contains(n) == (t.firstRange(of: n) != nil), "\(t.debugDescription) contains \(n.debugDescription)")
                let sub = t[...]
                #expect(sub.contains(n) == (sub.firstRange(of: n) != nil), "substring \(t.debugDescription) contains \(n.debugDescription)")
            }
        }
    }
}
