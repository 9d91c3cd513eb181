#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What a path names, as `lstat` would say (links are not followed).
public enum NodeKind: Sendable, Equatable {
    case file, directory, link, other
}

/// Why a read did not give bytes. Every missing or unreadable file is a fact, never a crash.
public enum FSError: Error, Sendable, Equatable, CustomStringConvertible {
    case missing
    case notADirectory
    case isADirectory
    case permissionDenied
    case linkLoop
    case io(String)

    public var description: String {
        switch self {
        case .missing: return "absent"
        case .notADirectory: return "a path component is not a directory"
        case .isADirectory: return "is a directory"
        case .permissionDenied: return "permission denied (run as root to read it)"
        case .linkLoop: return "too many levels of symbolic links"
        case .io(let s): return s
        }
    }

    /// A stable short name of the case ("permission-denied"); `io` errors keep their text beside it.
    public var code: String {
        switch self {
        case .missing: return "absent"
        case .notADirectory: return "not-a-directory"
        case .isADirectory: return "is-a-directory"
        case .permissionDenied: return "permission-denied"
        case .linkLoop: return "link-loop"
        case .io: return "io"
        }
    }

    /// The error `code` names (a bundle's manifest records it; a replay answers with it).
    public init(code: String, reason: String) {
        switch code {
        case "absent": self = .missing
        case "not-a-directory": self = .notADirectory
        case "is-a-directory": self = .isADirectory
        case "permission-denied": self = .permissionDenied
        case "link-loop": self = .linkLoop
        default: self = .io(reason)
        }
    }

    static func fromErrno(_ e: Int32) -> FSError {
        switch e {
        case ENOENT: return .missing
        case ENOTDIR: return .notADirectory
        case EISDIR: return .isADirectory
        case EACCES, EPERM: return .permissionDenied
        case ELOOP: return .linkLoop
        default: return .io(String(cString: strerror(e)))
        }
    }
}

/// The primitive operations on a host tree. Paths are canonical and root-relative ("sys/class/iommu"):
/// no link is followed by a backend; `HostRoot` resolves links itself so that nothing escapes the root.
public protocol FSBackend: AnyObject, Sendable {
    /// Human-readable name of the root ("/", a directory, "example host …").
    var label: String { get }
    func kind(_ path: String) -> NodeKind?
    func readLink(_ path: String) -> String?
    func read(_ path: String, limit: Int) -> Result<[UInt8], FSError>
    func list(_ path: String) -> Result<[String], FSError>
    /// Size in bytes as stat reports it (sysfs reports 4096 for most attributes).
    func size(_ path: String) -> Int?
    /// An absolute path a C library can open for this canonical path, where one exists.
    func absolutePath(_ path: String) -> String?
}

/// A directory on disk (`/` on a live host, a captured host root, an unpacked bundle).
public final class DiskBackend: FSBackend, @unchecked Sendable {
    public let base: String
    public var label: String { base }

    public init(base: String) {
        var b = base
        while b.count > 1 && b.hasSuffix("/") { b.removeLast() }
        self.base = b
    }

    @inline(__always) func full(_ path: String) -> String {
        if path.isEmpty { return base }
        return base == "/" ? "/" + path : base + "/" + path
    }

    public func absolutePath(_ path: String) -> String? { full(path) }

    public func kind(_ path: String) -> NodeKind? {
        var st = stat()
        guard lstat(full(path), &st) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .link
        default: return .other
        }
    }

    public func size(_ path: String) -> Int? {
        var st = stat()
        guard stat(full(path), &st) == 0 else { return nil }
        return Int(st.st_size)
    }

    public func readLink(_ path: String) -> String? {
        var buf = [CChar](repeating: 0, count: 4097)
        let n = readlink(full(path), &buf, 4096)
        guard n > 0 else { return nil }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Special files a read may open: on the live host only, the kernel log. Anywhere else a FIFO, a socket or
    /// a device in place of a file (an endless /dev/zero, a FIFO that never gets a writer, a device whose
    /// open has effects) is refused before it is opened, with what it is.
    public static let liveDevices: Set<String> = ["dev/kmsg"]

    static func notRegular(_ mode: mode_t) -> FSError? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return .isADirectory
        case S_IFIFO: return .io("not a regular file: a FIFO")
        case S_IFCHR: return .io("not a regular file: a character device")
        case S_IFBLK: return .io("not a regular file: a block device")
        case S_IFSOCK: return .io("not a regular file: a socket")
        case S_IFLNK: return .linkLoop   // as open(O_NOFOLLOW) says: the caller resolves the link
        default: return .io("not a regular file")
        }
    }

    public func read(_ path: String, limit: Int) -> Result<[UInt8], FSError> {
        let name = full(path)
        let device = base == "/" && Self.liveDevices.contains(path)
        var st = stat()
        if lstat(name, &st) != 0 { return .failure(.fromErrno(errno)) }
        if !device, let e = Self.notRegular(st.st_mode) { return .failure(e) }
        let fd = open(name, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return .failure(.fromErrno(errno)) }
        defer { close(fd) }
        // The name may have been swapped between the lstat and the open: what was opened is what counts.
        if !device {
            if fstat(fd, &st) != 0 { return .failure(.fromErrno(errno)) }
            if let e = Self.notRegular(st.st_mode) { return .failure(e) }
        }
        var out: [UInt8] = []
        // Most host files (sysfs attributes, proc entries) are small: one 4 KiB stack chunk at a time.
        let failure: FSError? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { chunk in
            while out.count < limit {
                let want = min(chunk.count, limit - out.count)
                let n = Glibc.read(fd, chunk.baseAddress, want)
                if n < 0 {
                    let e = errno
                    if e == EINTR { continue }
                    if e == EAGAIN { break }
                    if e == EPIPE { continue }  // /dev/kmsg: a record was overwritten while we read
                    // sysfs attributes that exist but cannot be read (e.g. `speed` of a down link) say EINVAL.
                    return .fromErrno(e)
                }
                if n == 0 { break }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[0..<n]))
            }
            return nil
        }
        if let failure { return .failure(failure) }
        return .success(out)
    }

    public func list(_ path: String) -> Result<[String], FSError> {
        guard let dir = opendir(full(path)) else { return .failure(.fromErrno(errno)) }
        defer { closedir(dir) }
        var names: [String] = []
        while let ent = readdir(dir) {
            let name = withUnsafePointer(to: ent.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return .success(names.sorted())
    }
}

/// A host tree held in memory: the example hosts of check descriptions, and overlays on fixtures.
public final class MemoryBackend: FSBackend, @unchecked Sendable {
    public enum Node: Sendable, Equatable {
        case file([UInt8])
        case link(String)
        case directory
        /// Exists but every read fails with this error (a file only root may read, an EINVAL attribute).
        case unreadable(FSError)
        /// Hides the same path of an underlying backend.
        case removed
    }

    public let label: String
    private var nodes: [String: Node] = [:]
    private var children: [String: Set<String>] = [:]
    private let under: FSBackend?

    public init(label: String, nodes: [String: Node], over under: FSBackend? = nil) {
        self.label = label
        self.under = under
        for (path, node) in nodes { set(path, node) }
    }

    private func set(_ path: String, _ node: Node) {
        let p = HostRoot.normalize(path)
        nodes[p] = node
        var child = p
        while let slash = child.lastIndex(of: "/") {
            let parent = String(child[..<slash])
            children[parent, default: []].insert(String(child[child.index(after: slash)...]))
            if nodes[parent] == nil || nodes[parent] == .removed { nodes[parent] = .directory }
            child = parent
        }
        if !child.isEmpty { children["", default: []].insert(child) }
    }

    public func absolutePath(_ path: String) -> String? {
        nodes[path] == nil ? under?.absolutePath(path) : nil
    }

    public func kind(_ path: String) -> NodeKind? {
        if path.isEmpty { return .directory }
        switch nodes[path] {
        case .file?, .unreadable?: return .file
        case .link?: return .link
        case .directory?: return .directory
        case .removed?: return nil
        case nil: return under?.kind(path)
        }
    }

    public func size(_ path: String) -> Int? {
        switch nodes[path] {
        case .file(let b)?: return b.count
        case .unreadable?: return 4096
        case nil: return under?.size(path)
        default: return nil
        }
    }

    public func readLink(_ path: String) -> String? {
        switch nodes[path] {
        case .link(let t)?: return t
        case nil: return under?.readLink(path)
        default: return nil
        }
    }

    public func read(_ path: String, limit: Int) -> Result<[UInt8], FSError> {
        switch nodes[path] {
        case .file(let b)?: return .success(Array(b.prefix(limit)))
        case .unreadable(let e)?: return .failure(e)
        case .directory?: return .failure(.isADirectory)
        case .link?: return .failure(.linkLoop)   // as open(O_NOFOLLOW) says: the caller resolves it
        case .removed?: return .failure(.missing)
        case nil: return under?.read(path, limit: limit) ?? .failure(.missing)
        }
    }

    public func list(_ path: String) -> Result<[String], FSError> {
        if case .file? = nodes[path] { return .failure(.notADirectory) }
        if case .unreadable(let e)? = nodes[path] { return .failure(e) }
        if nodes[path] == .removed { return .failure(.missing) }
        var names = children[path] ?? []
        var found = path.isEmpty || nodes[path] != nil
        if let under {
            switch under.list(path) {
            case .success(let base): names.formUnion(base); found = true
            case .failure(let e): if !found { return .failure(e) }
            }
        }
        guard found else { return .failure(.missing) }
        let prefix = path.isEmpty ? "" : path + "/"
        return .success(names.filter { nodes[prefix + $0] != .removed }.sorted())
    }
}
