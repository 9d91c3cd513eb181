#if canImport(Glibc)
import Glibc
#endif
import CHostShim

/// The raw kernel log of the live host, read the way the snapshot reads it (`KernelLog.collect`): the
/// records of /dev/kmsg, else the syslog(2) buffer. The special file itself is never copied; the bytes
/// are stored as `var/log/dmesg`, which `KernelLog` parses in either format.
enum LiveKernelLog {
    static func read(_ root: HostRoot) -> (bytes: [UInt8]?, reason: String) {
        var reasons: [String] = []
        switch root.read("dev/kmsg", limit: 64 << 20) {
        case .success(let b) where !b.isEmpty: return (b, "")
        case .success: reasons.append("/dev/kmsg: empty")
        case .failure(let e): reasons.append("/dev/kmsg: \(e)")
        }
        let size = spf_klogctl(10, nil, 0)  // SYSLOG_ACTION_SIZE_BUFFER
        if size > 0 {
            var buf = [CChar](repeating: 0, count: Int(size))
            let got = spf_klogctl(3, &buf, size)  // SYSLOG_ACTION_READ_ALL
            if got > 0 { return (buf[0..<Int(got)].map { UInt8(bitPattern: $0) }, "") }
        }
        reasons.append("syslog(2): \(FSError.fromErrno(errno))")
        return (nil, reasons.joined(separator: "; "))
    }
}
