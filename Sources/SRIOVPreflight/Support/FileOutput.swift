#if canImport(Glibc)
import Glibc
#endif

/// Writing report files and pages: a temporary file in the same directory, then rename. The temporary
/// file is created afresh (a name planted there, a link included, is removed first, never followed) with
/// its final mode, so a private file (the redaction map, 0600) is never readable by others, not even briefly.
public enum FileOutput {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// `durable`: fsync the temporary file before the rename and the directory after it, so a crash leaves
    /// the old file or the new one, whole (what a metrics textfile read by another process needs).
    public static func write(_ text: String, to path: String, mode: mode_t = 0o644, durable: Bool = false) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0), to: path, mode: mode, durable: durable) }
    }

    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644, durable: Bool = false) throws {
        try bytes.withUnsafeBytes { try write($0, to: path, mode: mode, durable: durable) }
    }

    /// Standard output written by `body` piece by piece (`body` gets the function that writes a piece), after
    /// whatever `print` has buffered. A failed write (a closed pipe) ends the output quietly, as `print` does.
    public static func standardOutput(_ body: ((UnsafeRawBufferPointer) -> Void) throws -> Void) rethrows {
        fflush(nil)
        var failed = false
        try body { piece in
            var off = 0
            while !failed && off < piece.count {
                let n = Glibc.write(1, piece.baseAddress! + off, piece.count - off)
                if n < 0 { if errno != EINTR { failed = true }; continue }
                off += n
            }
        }
    }

    public static func write(_ bytes: UnsafeRawBufferPointer, to path: String, mode: mode_t = 0o644, durable: Bool = false) throws {
        let tmp = path + ".tmp-\(getpid())"
        unlink(tmp)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure(description: CError.text(errno)) }
        var off = 0
        while off < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + off, bytes.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                let e = CError.text(errno)
                close(fd)
                unlink(tmp)
                throw Failure(description: e)
            }
            off += n
        }
        if durable && fsync(fd) != 0 {
            let e = CError.text(errno)
            close(fd)
            unlink(tmp)
            throw Failure(description: "fsync: \(e)")
        }
        close(fd)
        if rename(tmp, path) != 0 {
            let e = CError.text(errno)
            unlink(tmp)
            throw Failure(description: e)
        }
        if durable {
            let parent = PathText.dirname(path)
            let d = open(parent.isEmpty ? "." : parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if d >= 0 { _ = fsync(d); close(d) }
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
