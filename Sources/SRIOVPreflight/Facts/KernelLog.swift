#if canImport(Glibc)
import Glibc
#endif
import CHostShim

/// The kernel log, reduced in one pass to the lines any check looks at.
///
/// Live hosts: /dev/kmsg, else the syslog(2) buffer. Host roots and bundles: `var/log/dmesg`.
/// A log of 100,000 lines is scanned with `memmem` over the raw bytes; only lines that name the IOMMU,
/// interrupt remapping, SR-IOV or vfio are kept as strings.
public struct KernelLog: Sendable {
    public var source: String
    /// Why no log could be read (nil when one was read).
    public var unavailable: String?
    public var lineCount = 0
    /// Relevant lines of the last boot in the log, as the kernel printed them: without the timestamp
    /// (`[    0.123456] `, `dmesg -T`'s `[Mon Jan 17 09:23:45 2022] `), the level (`<6>`), the kmsg record
    /// header, or the syslog/journal prefix (`Jan 17 09:23:45 host kernel: `).
    public var lines: [String] = []
    /// How many boots the log holds (each starts with `Linux version` or a journal `-- Boot` marker); only
    /// the last one is kept in `lines`.
    public var boots = 1
    /// The kept lines include the start of the boot (`Linux version …`): what the kernel printed early
    /// (the ACPI tables it found, the IOMMU set-up) is in the log, not rotated away.
    public var hasBootStart = false
    /// The log file's size when only its first `readLimit` bytes were read (nil: read whole).
    public var cutFrom: Int?
    /// The most of a log file that is read.
    public static let readLimit = 64 << 20

    public static let needles = ["AMD-Vi", "iommu", "IOMMU", "remapping", "x2apic", "IOV", "vfio",
                                 "Command line", "pci=realloc", "BAR", "sriov", "DMA", "IVRS", "..TIMER",
                                 "smpboot: CPU0", "Linux version", "-- Boot ", "erratum", "X2APIC"]

    /// Where the evidence comes from, saying which boot of a log with several was read.
    public var sourceNote: String {
        var notes: [String] = []
        if let size = cutFrom { notes.append("cut: only the first \(Self.readLimit) of its \(size) bytes read") }
        if boots > 1 { notes.append("last of \(boots) boots in the log") }
        return notes.isEmpty ? source : "\(source) (\(notes.joined(separator: "; ")))"
    }

    public var isAvailable: Bool { unavailable == nil }

    /// The first kept line containing `text`.
    public func first(_ text: String) -> String? {
        lines.first { $0.contains(text) }
    }

    /// Every kept line containing `text`.
    public func all(_ text: String) -> [String] {
        lines.filter { $0.contains(text) }
    }

    public init(source: String, unavailable: String) {
        self.source = source
        self.unavailable = unavailable
    }

    /// Scans raw log bytes (dmesg text or /dev/kmsg records): one memmem pass over the whole buffer per
    /// needle, then the matching lines, in log order.
    public init(source: String, bytes: [UInt8]) {
        self.source = source
        bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress, buf.count > 0 else { return }
            let n = buf.count
            // line count: newlines, plus a last line without one
            var count = 0
            var p = 0
            while p < n, let nl = memchr(base + p, 0x0A, n - p) {
                count += 1
                p = UnsafeRawPointer(nl).assumingMemoryBound(to: UInt8.self) - base + 1
            }
            if p < n { count += 1 }
            lineCount = count
            var starts = Set<Int>()
            for needle in Self.needles {
                let nb = Array(needle.utf8)
                var from = 0
                while from < n, let hit = nb.withUnsafeBufferPointer({ spf_memmem(base + from, n - from, $0.baseAddress, $0.count) }) {
                    let at = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
                    var s = at
                    while s > 0 && base[s - 1] != 0x0A { s -= 1 }
                    starts.insert(s)
                    if let nl = memchr(base + at, 0x0A, n - at) {
                        from = UnsafeRawPointer(nl).assumingMemoryBound(to: UInt8.self) - base + 1
                    } else {
                        from = n
                    }
                }
            }
            for s in starts.sorted() {
                var e = s
                if let nl = memchr(base + s, 0x0A, n - s) {
                    e = UnsafeRawPointer(nl).assumingMemoryBound(to: UInt8.self) - base
                } else {
                    e = n
                }
                if let line = Self.message(UnsafeBufferPointer(start: base + s, count: e - s)) { lines.append(line) }
            }
        }
        // Several boots in one file (a journal, a syslog, a mail with two logs): keep the last.
        var starts: [Int] = []
        for (i, l) in lines.enumerated() where l.hasPrefix("Linux version ") || l.hasPrefix("-- Boot ") {
            // a journal marker directly followed by the kernel's banner starts one boot, not two
            if l.hasPrefix("Linux version "), let p = starts.last, p == i - 1, lines[p].hasPrefix("-- Boot ") { continue }
            starts.append(i)
        }
        if let last = starts.last {
            boots = starts.count + (starts[0] > 0 && lines[0..<starts[0]].contains(where: Self.isBootMaterial) ? 1 : 0)
            lines.removeFirst(last)
            hasBootStart = lines.contains { $0.hasPrefix("Linux version ") }
        }
        lines.removeAll { $0.hasPrefix("-- ") }  // journal markers are not the kernel's
    }

    /// A line that belongs to a boot before the first banner (a log whose first boot lost its start).
    static func isBootMaterial(_ line: String) -> Bool {
        line.hasPrefix("DMAR") || line.hasPrefix("AMD-Vi") || line.hasPrefix("ACPI: ") || line.hasPrefix("..TIMER")
    }

    /// The message part of a log line, or nil for a line that is not the kernel's (another daemon's syslog
    /// line, a kmsg continuation line). Understands, in any combination: kmsg records (`6,339,5140900,-;`),
    /// levels (`<6>`), `[    1.234567]` and `dmesg -T` (`[Mon Jan 17 09:23:45 2022]`) stamps, `dmesg -x`
    /// (`kern  :info  : `), syslog and `journalctl -k` prefixes (`Jan 17 09:23:45 host kernel: `,
    /// `2024-01-17T09:23:45+0100 host kernel: `).
    static func message(_ line: UnsafeBufferPointer<UInt8>) -> String? {
        if line.count > 0 && line[0] == 0x20 { return nil }  // a kmsg continuation line (" SUBSYSTEM=pci")
        var text = Substring(String(decoding: line, as: UTF8.self))
        if text.hasSuffix("\r") { text = text.dropLast() }
        if text.hasPrefix("-- ") { return String(text) }  // journal markers: "-- Boot 1f2e… --"
        // kmsg record header: "6,339,5140900,-;"
        if let semi = text.firstIndex(of: ";"), text.distance(from: text.startIndex, to: semi) < 40,
           text[..<semi].allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "," || $0 == "-" || $0 == "c") }),
           text.first?.isNumber == true {
            text = text[text.index(after: semi)...]
        }
        var sawSyslog = false
        for _ in 0..<4 {
            let before = text
            text = stripLevel(text)
            text = stripStamp(text)
            if !sawSyslog, let rest = stripSyslog(text) {
                text = rest
                sawSyslog = true
            } else if !sawSyslog, looksLikeSyslog(text) {
                return nil  // another program's syslog line
            }
            if let rest = stripFacility(text) { text = rest }
            if text == before { break }
        }
        return String(text)
    }

    /// "<6>" at the start.
    static func stripLevel(_ t: Substring) -> Substring {
        guard t.first == "<", let close = t.firstIndex(of: ">"), t.distance(from: t.startIndex, to: close) <= 4 else { return t }
        let inner = t[t.index(after: t.startIndex)..<close]
        guard !inner.isEmpty, inner.allSatisfy({ $0.isASCII && $0.isNumber }) else { return t }
        return t[t.index(after: close)...]
    }

    static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// "[    1.234567] " or dmesg -T's "[Mon Jan 17 09:23:45 2022] " at the start; "[Firmware Bug]" stays.
    static func stripStamp(_ t: Substring) -> Substring {
        guard t.first == "[", let close = t.firstIndex(of: "]"), t.distance(from: t.startIndex, to: close) <= 40 else { return t }
        let inner = t[t.index(after: t.startIndex)..<close]
        let numeric = inner.contains(where: { $0.isNumber })
            && inner.allSatisfy({ $0.isASCII && ($0.isNumber || " .,:+-T".contains($0)) })
        let dated = weekdays.contains(where: { inner.hasPrefix($0 + " ") }) && inner.contains(":")
        guard numeric || dated else { return t }
        return t[t.index(after: close)...].drop { $0 == " " }
    }

    /// "Jan 17 09:23:45 host kernel: …", "2024-01-17T09:23:45.123+01:00 host kernel[0]: …", "host kernel: …"
    /// (after a journal's short-monotonic stamp): the rest of the line, or nil when it is not a kernel line
    /// of that shape.
    static func stripSyslog(_ t: Substring) -> Substring? {
        let head = t.prefix(120)
        guard let k = head.firstRange(of: " kernel: ") ?? head.firstRange(of: " kernel:") ?? head.firstRange(of: " kernel[") else { return nil }
        let before = t[..<k.lowerBound]
        let words = before.split(separator: " ", omittingEmptySubsequences: true)
        let syslogDate = words.count >= 4 && months.contains(String(words[0])) && words[2].contains(":")
        let isoDate = words.count >= 2 && words[0].count >= 10 && words[0].prefix(4).allSatisfy(\.isNumber)
            && words[0].dropFirst(4).first == "-"
        let hostOnly = words.count == 1 && !words[0].contains(":")
        guard syslogDate || isoDate || hostOnly else { return nil }
        var rest = t[k.upperBound...]
        if k.upperBound > k.lowerBound, t[t.index(before: k.upperBound)] == "[" {  // "kernel[0]: "
            guard let c = rest.firstIndex(of: ":") else { return nil }
            rest = rest[rest.index(after: c)...]
        }
        return rest.drop { $0 == " " }
    }

    /// A syslog line of some other program: "Jan 17 09:23:45 host sshd[12]: …".
    static func looksLikeSyslog(_ t: Substring) -> Bool {
        let words = t.prefix(80).split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard words.count >= 5 else { return false }
        let syslogDate = months.contains(String(words[0])) && words[1].allSatisfy(\.isNumber) && words[2].filter({ $0 == ":" }).count == 2
        return syslogDate && words[4].hasSuffix(":")
    }

    /// dmesg -x: "kern  :info  : ".
    static func stripFacility(_ t: Substring) -> Substring? {
        let facilities = ["kern", "user", "daemon", "syslog"]
        guard let f = facilities.first(where: { t.hasPrefix($0) }) else { return nil }
        var rest = t.dropFirst(f.count).drop { $0 == " " }
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst()
        let level = rest.prefix { $0.isLetter }
        guard !level.isEmpty else { return nil }
        rest = rest.dropFirst(level.count).drop { $0 == " " }
        guard rest.first == ":" else { return nil }
        return rest.dropFirst().drop { $0 == " " }
    }

    /// The live host's raw log: the records of /dev/kmsg, else the syslog(2) buffer (with its source),
    /// or why neither could be read. The bundle stores these bytes as var/log/dmesg.
    static func readLive(_ root: HostRoot) -> Result<(source: String, bytes: [UInt8]), KernelLogUnavailable> {
        var reasons: [String] = []
        switch root.read("dev/kmsg", limit: 64 << 20) {
        case .success(let b) where !b.isEmpty: return .success(("dev/kmsg", b))
        case .success: reasons.append("dev/kmsg: empty")
        case .failure(let e): reasons.append("dev/kmsg: \(e)")
        }
        let size = spf_klogctl(10, nil, 0)  // SYSLOG_ACTION_SIZE_BUFFER
        if size > 0 {
            var buf = [CChar](repeating: 0, count: Int(size))
            let got = spf_klogctl(3, &buf, size)  // SYSLOG_ACTION_READ_ALL
            if got > 0 { return .success(("syslog(2)", buf[0..<Int(got)].map { UInt8(bitPattern: $0) })) }
        }
        reasons.append("syslog(2): \(FSError.fromErrno(errno))")
        return .failure(KernelLogUnavailable(reason: reasons.joined(separator: "; ")))
    }

    static func collect(_ root: HostRoot) -> KernelLog {
        var reasons: [String] = []
        if root.isLive {
            switch readLive(root) {
            case .success(let log): return KernelLog(source: log.source, bytes: log.bytes)
            case .failure(let e): reasons.append(e.reason)
            }
        }
        switch root.read("var/log/dmesg", limit: readLimit) {
        case .success(let b):
            var log = KernelLog(source: "var/log/dmesg", bytes: b)
            if b.count >= readLimit, let size = root.size("var/log/dmesg"), size > b.count { log.cutFrom = size }
            return log
        case .failure(let e):
            reasons.append(e == .missing && !root.absenceIsVerdict ? "var/log/dmesg: not in this capture" : "var/log/dmesg: \(e)")
        }
        return KernelLog(source: root.isLive ? "dev/kmsg" : "var/log/dmesg",
                         unavailable: reasons.joined(separator: "; "))
    }
}

struct KernelLogUnavailable: Error {
    var reason: String
}
