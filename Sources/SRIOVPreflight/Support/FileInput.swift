#if canImport(Glibc)
import Glibc
#endif

/// Reading a file named on the command line (a saved report, a waiver file…): regular files only, opened
/// without blocking (a FIFO or a device is refused, never waited on), and bounded in size.
public enum FileInput {
    /// Reports of a large host are a few MiB; anything beyond this is not a report.
    public static let reportLimit = 256 << 20

    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var description: String
        /// The errno behind it (0: a refusal of ours, not a failed call).
        public var code: Int32 = 0

        /// A failed call: the C library's message, in English.
        static func system(_ code: Int32) -> Failure { Failure(description: CError.text(code), code: code) }
    }

    public static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw Failure.system(errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw Failure.system(errno) }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw Failure(description: ErrorStrings.ui.isDirectory.id)
        case S_IFIFO: throw Failure(description: ErrorStrings.ui.isFIFO.id)
        default: throw Failure(description: ErrorStrings.ui.notRegular.id)
        }
        if Int(st.st_size) > limit { throw Failure(description: ErrorStrings.ui.tooLargeSized.render(["limit": String(limit), "size": String(st.st_size)])) }
        // Read straight into the result, sized by fstat (one read for a file that is what fstat says), and
        // grow it if the file is longer than that (a file still being written).
        var out = [UInt8](repeating: 0, count: max(Int(st.st_size), 0) + 1)
        var filled = 0
        while true {
            if filled == out.count {  // (filled <= limit here: more would have thrown below)
                out.append(contentsOf: repeatElement(0, count: min(max(out.count, 1 << 16), limit + 2 - out.count)))
            }
            let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure.system(errno)
            }
            if n == 0 { break }
            filled += n
            if filled > limit { throw Failure(description: ErrorStrings.ui.tooLarge.render(["limit": String(limit)])) }
        }
        out.removeLast(out.count - filled)
        return out
    }

    public static func readText(_ path: String, limit: Int) throws -> String {
        String(decoding: try read(path, limit: limit), as: UTF8.self)
    }
}

/// A line on standard error.
public func printError(_ line: String) {
    let bytes = Array((line.hasSuffix("\n") ? line : line + "\n").utf8)
    var off = 0
    while off < bytes.count {
        let n = bytes[off...].withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }
        off += n
    }
}
