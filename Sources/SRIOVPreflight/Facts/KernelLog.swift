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
    /// Relevant lines, without the `[    0.123456] ` timestamp or the kmsg record header.
    public var lines: [String] = []

    public static let needles = ["AMD-Vi", "iommu", "IOMMU", "remapping", "x2apic", "IOV", "vfio",
                                 "Command line", "pci=realloc", "BAR", "sriov", "DMA"]

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
    }

    /// The message part of a log line: drops "[  1.234] " and kmsg's "6,339,5140900,-;".
    static func message(_ line: UnsafeBufferPointer<UInt8>) -> String? {
        var i = 0
        let n = line.count
        if n > 0 && line[0] == 0x20 { return nil }  // a kmsg continuation line (" SUBSYSTEM=pci")
        if n > 0 && line[0] == UInt8(ascii: "[") {
            if let close = line.firstIndex(of: UInt8(ascii: "]")) {
                i = close + 1
                while i < n && line[i] == 0x20 { i += 1 }
            }
        } else if let semi = line.firstIndex(of: UInt8(ascii: ";")), semi < 40,
                  line[0..<semi].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2C || $0 == 0x2D || $0 == 0x63 }) {
            i = semi + 1
        }
        return String(decoding: UnsafeBufferPointer(rebasing: line[i..<n]), as: UTF8.self)
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
        switch root.read("var/log/dmesg", limit: 64 << 20) {
        case .success(let b): return KernelLog(source: "var/log/dmesg", bytes: b)
        case .failure(let e): reasons.append("var/log/dmesg: \(e)")
        }
        return KernelLog(source: root.isLive ? "dev/kmsg" : "var/log/dmesg",
                         unavailable: reasons.joined(separator: "; "))
    }
}

struct KernelLogUnavailable: Error {
    var reason: String
}
