/// The raw kernel log of the live host, read the way the snapshot reads it (`KernelLog.readLive`): the
/// records of /dev/kmsg, else the syslog(2) buffer. The special file itself is never copied; the bytes
/// are stored as `var/log/dmesg`, which `KernelLog` parses in either format.
enum LiveKernelLog {
    static func read(_ root: HostRoot) -> (bytes: [UInt8]?, reason: String) {
        switch KernelLog.readLive(root) {
        case .success(let log): return (log.bytes, "")
        case .failure(let e): return (nil, e.reason)
        }
    }
}
