#if canImport(Glibc)
import Glibc
#endif

/// Writes files under a host root the way a production host deserves: never through a symlink (at the
/// target or in any directory above it, up to the root), atomically (a temporary file in the same
/// directory, fsync, rename, fsync of the directory), keeping the original's mode and ownership.
public struct SafeWriter {
    public struct Refusal: Error, CustomStringConvertible, Equatable {
        public var description: String
        public init(_ d: String) { description = d }
    }

    /// The host root on disk (absolute, no trailing slash).
    public let base: String
    /// Test hook: the write step numbered `failAtStep` (1-based, counted across the writer's life) fails as if
    /// the process died there. Steps per file: create temporary, write, fsync, rename, fsync directory.
    public var failAtStep: Int?
    private(set) public var steps = 0
    /// Directories this writer created, in creation order (an undo removes them again when empty).
    private(set) public var createdDirectories: [String] = []

    /// The system calls whose failure a test simulates (a full disk, an I/O error, a file owned by someone
    /// a non-root writer may not give it back to).
    public struct Syscalls {
        public var fsync: (Int32) -> Int32 = { Glibc.fsync($0) }
        public var fchmod: (Int32, mode_t) -> Int32 = { Glibc.fchmod($0, $1) }
        public var fchown: (Int32, uid_t, gid_t) -> Int32 = { Glibc.fchown($0, $1, $2) }
        public init() {}
    }
    public var syscalls = Syscalls()

    public init(base: String) {
        var b = base
        while b.count > 1 && b.hasSuffix("/") { b.removeLast() }
        self.base = b
    }

    func full(_ rel: String) -> String { base == "/" ? "/" + rel : base + "/" + rel }

    mutating func step(_ what: String) throws {
        steps += 1
        if let f = failAtStep, steps == f { throw Refusal("simulated failure at step \(steps) (\(what))") }
    }

    /// Refuses when the path or any directory above it (below the root) is a symlink.
    public func checkNoSymlinks(_ rel: String) throws {
        let comps = HostRoot.normalize(rel).split(separator: "/").map(String.init)
        var cur = ""
        for c in comps {
            cur = cur.isEmpty ? c : cur + "/" + c
            var st = stat()
            if lstat(full(cur), &st) != 0 { return }   // absent from here on: nothing to follow
            if st.st_mode & S_IFMT == S_IFLNK {
                throw Refusal(ErrorStrings.ui.writeSymlink.render(["path": rel, "link": cur]))
            }
        }
    }

    /// Current content (nil when absent). Refuses to read through a symlink.
    public func read(_ rel: String) throws -> [UInt8]? {
        try checkNoSymlinks(rel)
        let fd = open(full(rel), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw Refusal(ErrorStrings.ui.writeCannotRead.render(["path": rel, "problem": CError.text(errno)]))
        }
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw Refusal(ErrorStrings.ui.writeCannotRead.render(["path": rel, "problem": CError.text(errno)])) }
            if n == 0 { break }
            out += buf[0..<n]
        }
        return out
    }

    /// Creates the directories above `rel` (mode 0755), refusing symlinks on the way.
    mutating func makeParents(_ rel: String) throws {
        let comps = HostRoot.normalize(rel).split(separator: "/").map(String.init).dropLast()
        var cur = ""
        for c in comps {
            cur = cur.isEmpty ? c : cur + "/" + c
            var st = stat()
            if lstat(full(cur), &st) == 0 {
                if st.st_mode & S_IFMT == S_IFLNK { throw Refusal(ErrorStrings.ui.writeSymlink.render(["path": rel, "link": cur])) }
                if st.st_mode & S_IFMT != S_IFDIR { throw Refusal(ErrorStrings.ui.writeNotDirectory.render(["path": rel, "parent": cur])) }
                continue
            }
            if mkdir(full(cur), 0o755) != 0 {
                if errno != EEXIST { throw Refusal(ErrorStrings.ui.writeCannotCreate.render(["path": cur, "problem": CError.text(errno)])) }
            } else {
                createdDirectories.append(cur)
            }
        }
    }

    /// Atomically replaces (or creates) `rel` with `bytes`. A new file gets `newMode`.
    public mutating func write(_ rel: String, _ bytes: [UInt8], newMode: mode_t = 0o644) throws {
        try checkNoSymlinks(rel)
        try makeParents(rel)
        let path = full(rel)
        let dir = String(path[..<path.lastIndex(of: "/")!])
        var mode = newMode
        var owner: (uid_t, gid_t)?
        var st = stat()
        if lstat(path, &st) == 0 {
            guard st.st_mode & S_IFMT == S_IFREG else { throw Refusal(ErrorStrings.ui.writeNotRegular.render(["path": rel])) }
            mode = st.st_mode & 0o7777
            owner = (st.st_uid, st.st_gid)
        }
        let tmp = "\(dir)/.\(path.split(separator: "/").last!).spf-\(getpid())-\(steps)"
        try step("create \(rel) temporary")
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Refusal(ErrorStrings.ui.writeNoTemporary.render(["path": rel, "problem": CError.text(errno)])) }
        var ok = false
        defer { if !ok { close(fd); unlink(tmp) } }
        func failed(_ call: String) -> Refusal {
            Refusal(ErrorStrings.ui.writeTemporaryFailed.render(["path": rel, "call": call, "problem": CError.text(errno)]))
        }
        if syscalls.fchmod(fd, mode) != 0 { throw failed("fchmod") }
        if let (u, g) = owner, syscalls.fchown(fd, u, g) != 0 { throw failed("fchown") }
        try step("write \(rel)")
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw Refusal(ErrorStrings.ui.writeCannotWrite.render(["path": rel, "problem": CError.text(errno)])) }
            off += n
        }
        try step("fsync \(rel)")
        if syscalls.fsync(fd) != 0 { throw failed("fsync") }
        close(fd)
        ok = true
        do {
            try step("rename \(rel)")
        } catch {
            unlink(tmp)
            throw error
        }
        if rename(tmp, path) != 0 {
            let e = CError.text(errno)
            unlink(tmp)
            throw Refusal(ErrorStrings.ui.writeCannotRename.render(["path": rel, "problem": "\(e)"]))
        }
        try step("fsync directory of \(rel)")
        if let why = syncDirectory(dir) {
            throw Refusal(ErrorStrings.ui.writeDirSync.render(["path": rel, "problem": why]))
        }
    }

    /// Removes `rel` (no symlink followed), then syncs its directory.
    public mutating func remove(_ rel: String) throws {
        try checkNoSymlinks(rel)
        try step("unlink \(rel)")
        if unlink(full(rel)) != 0 && errno != ENOENT {
            throw Refusal(ErrorStrings.ui.removeFailed.render(["path": rel, "problem": CError.text(errno)]))
        }
        let path = full(rel)
        if let why = syncDirectory(String(path[..<path.lastIndex(of: "/")!])) {
            throw Refusal(ErrorStrings.ui.removeDirSync.render(["path": rel, "problem": why]))
        }
    }

    /// Removes a directory tree this tool owns (its journal), never following symlinks.
    public mutating func removeTree(_ rel: String) throws {
        try checkNoSymlinks(rel)
        let path = full(rel)
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if st.st_mode & S_IFMT == S_IFDIR {
            if let dir = opendir(path) {
                var names: [String] = []
                while let e = readdir(dir) {
                    let n = withUnsafePointer(to: e.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
                    if n != "." && n != ".." { names.append(n) }
                }
                closedir(dir)
                for n in names { try removeTree(rel + "/" + n) }
            }
            if rmdir(path) != 0 { throw Refusal(ErrorStrings.ui.removeFailed.render(["path": rel, "problem": CError.text(errno)])) }
        } else if unlink(path) != 0 {
            throw Refusal(ErrorStrings.ui.removeFailed.render(["path": rel, "problem": CError.text(errno)]))
        }
    }

    /// Removes a directory if it is empty; true when it was removed.
    @discardableResult
    public func removeIfEmpty(_ rel: String) -> Bool {
        rmdir(full(rel)) == 0
    }

    /// fsync of a directory; the reason when it failed.
    func syncDirectory(_ dir: String) -> String? {
        let d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard d >= 0 else { return "cannot open the directory: \(CError.text(errno))" }
        defer { close(d) }
        return syscalls.fsync(d) == 0 ? nil : CError.text(errno)
    }
}
