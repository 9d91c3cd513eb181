#if canImport(Glibc)
import Glibc
#endif

/// Writing report files and pages: a temporary file in the same directory, then rename.
public enum FileOutput {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    public static func write(_ bytes: [UInt8], to path: String) throws {
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(description: String(cString: strerror(errno))) }
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = String(cString: strerror(errno))
                close(fd)
                unlink(tmp)
                throw Failure(description: e)
            }
            off += n
        }
        close(fd)
        if rename(tmp, path) != 0 {
            let e = String(cString: strerror(errno))
            unlink(tmp)
            throw Failure(description: e)
        }
    }
}

public enum Terminal {
    /// Colour when `fd` is a terminal, NO_COLOR is unset and TERM is not "dumb".
    public static func supportsColor(fd: Int32) -> Bool {
        if let nc = getenv("NO_COLOR"), nc.pointee != 0 { return false }
        if let t = getenv("TERM"), String(cString: t) == "dumb" { return false }
        return isatty(fd) == 1
    }
}
