#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CHostShim
import Synchronization

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

    /// How the reason of an entry skipped for its name starts.
    public static let undecodableNamePrefix = "skipped: its name is not UTF-8"

    /// An entry whose name is not UTF-8 (`raw`: its bytes): it is not read, and the report says so.
    static func undecodableName(_ raw: [UInt8]) -> FSError {
        .io("\(undecodableNamePrefix) (bytes \(raw.prefix(64).map { hex($0, 2) }.joined(separator: " "))\(raw.count > 64 ? " …" : "")); nothing under it is read")
    }

    static func fromErrno(_ e: Int32) -> FSError {
        switch e {
        case ENOENT: return .missing
        case ENOTDIR: return .notADirectory
        case EISDIR: return .isADirectory
        case EACCES, EPERM: return .permissionDenied
        case ELOOP: return .linkLoop
        default: return .io(CError.text(e))
        }
    }
}

/// The entries of a directory: the names, and the entries skipped because their name is not UTF-8 (with
/// the name decoded lossily, its bytes, and what it is).
public struct DirectoryListing: Sendable {
    public struct Undecodable: Sendable {
        public var name: String
        public var raw: [UInt8]
        public var kind: NodeKind?
    }

    public var names: [String]
    public var undecodable: [Undecodable] = []
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
    /// `list`, with the entries whose names are not UTF-8 (which `list` leaves out).
    func listEntries(_ path: String) -> Result<DirectoryListing, FSError>
    /// Size in bytes as stat reports it (sysfs reports 4096 for most attributes).
    func size(_ path: String) -> Int?
    /// An absolute path a C library can open for this canonical path, where one exists.
    func absolutePath(_ path: String) -> String?
    /// `read`, with the file's size as the read saw it (nil when unknown): a read that filled its limit was
    /// cut only when the file is longer, and no second question is needed to tell.
    func readSized(_ path: String, limit: Int) -> (Result<[UInt8], FSError>, size: Int?)
    /// A read of a path that may hold no link at all, checked by the kernel on the way (no component is asked
    /// first): the bytes when the file opened with no link, no non-directory and no special file on the way,
    /// nil when the backend cannot tell (a link, a flattened link, a missing component, a special file, or no
    /// such check here): the caller then resolves the path itself, component by component.
    func readConfined(_ path: String, limit: Int) -> (Result<[UInt8], FSError>, size: Int?)?
    /// `listEntries` under the same rule as `readConfined`: nil when the caller must resolve the path itself.
    func listConfined(_ path: String) -> Result<DirectoryListing, FSError>?
    /// `readConfined` of `path` costs no more system calls than a read of a path already resolved (it needs no
    /// `fstatat` first): worth asking even where the walk already knows every directory on the way.
    func confinedIsCheap(_ path: String) -> Bool
}

extension FSBackend {
    public func listEntries(_ path: String) -> Result<DirectoryListing, FSError> {
        list(path).map { DirectoryListing(names: $0) }
    }

    public func readSized(_ path: String, limit: Int) -> (Result<[UInt8], FSError>, size: Int?) {
        (read(path, limit: limit), nil)
    }

    public func readConfined(_ path: String, limit: Int) -> (Result<[UInt8], FSError>, size: Int?)? { nil }

    public func listConfined(_ path: String) -> Result<DirectoryListing, FSError>? { nil }

    public func confinedIsCheap(_ path: String) -> Bool { false }
}

/// A directory on disk (`/` on a live host, a captured host root, an unpacked bundle).
///
/// Every question is asked relative to one descriptor of the root (no absolute path is walked again per
/// file). The system-call budget of a file read is four: `fstatat` (the kind is known before anything is
/// opened: a FIFO, a socket or a device is refused unopened), `openat`, one `read` when the size is known
/// and the file holds no more than the limit, `close`. A directory listing is `openat`, `getdents64` until
/// it gives nothing, `close`.
public final class DiskBackend: FSBackend, @unchecked Sendable {
    public let base: String
    public var label: String { base }
    /// The root, opened once; -1 when it cannot be opened (the questions then name full paths and
    /// fail as the root does).
    private let rootFD: Int32

    /// openat2(2) answers here (Linux 5.6 and later, unless a seccomp filter refuses it).
    private static let confinedOpen = Atomic<Bool>(true)

    /// A filesystem where a confined read needs no `fstatat` first (see `trustedMount`): the root's own, and a
    /// sysfs mounted at `sys` (the live host), each with the descriptor its questions are asked relative to.
    private let rootTrusted: Bool
    private let sysFD: Int32

    public init(base: String) {
        var b = base
        while b.count > 1 && b.hasSuffix("/") { b.removeLast() }
        self.base = b
        rootFD = open(b, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        let mount = rootFD >= 0 ? Self.trustedMount(rootFD) : (trusted: false, sysfs: false)
        rootTrusted = mount.trusted
        var sys: Int32 = -1
        if rootFD >= 0, !mount.sysfs {
            let fd = spf_openat_nolinks(rootFD, "sys", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
            if fd >= 0 {
                if Self.trustedMount(fd).sysfs { sys = fd } else { close(fd) }
            }
        }
        sysFD = sys
    }

    deinit {
        if rootFD >= 0 { close(rootFD) }
        if sysFD >= 0 { close(sysFD) }
    }

    /// Whether a file opened on this descriptor's mount, with no step onto another mount (RESOLVE_NO_XDEV), can
    /// be read with no `fstatat` before the open and no `read` after the one that came back short:
    /// - it cannot be a device whose open has effects: sysfs holds none, and a mount with `nodev` refuses
    ///   to open one (EACCES; the caller then asks the kind, and says what it is);
    /// - a read that gives less than it asked for is the end of the file: sysfs attributes (built whole, at
    ///   most a page, or sized binary files), and regular files of tmpfs, ramfs, ext2/3/4, XFS and Btrfs.
    ///   Not so for proc's files (a read gives a batch of records) nor FUSE or network filesystems.
    /// A FIFO opens (O_NONBLOCK) and reads nothing at once: a read that gave nothing asks the kind then.
    static func trustedMount(_ fd: Int32) -> (trusted: Bool, sysfs: Bool) {
        var type: UInt = 0
        var nodev: Int32 = 0
        guard spf_fs_of(fd, &type, &nodev) == 0 else { return (false, false) }
        switch type {
        case 0x6265_6572: return (true, true)                         // sysfs
        case 0x0102_1994, 0x8584_58F6, 0xEF53, 0x5846_5342, 0x9123_683E:  // tmpfs, ramfs, ext2/3/4, XFS, Btrfs
            return (nodev != 0, false)
        default: return (false, false)
        }
    }

    /// The descriptor and relative name a confined question about `path` is asked with, and whether its mount
    /// is trusted (see `trustedMount`): the sysfs descriptor for `sys/…` when there is one.
    @inline(__always) private func confinedAt(_ path: String) -> (Int32, String, Bool) {
        if sysFD >= 0, path.utf8.count > 4, path.hasPrefix("sys/") {
            return (sysFD, String(path.utf8.dropFirst(4))!, true)
        }
        return (rootFD, path, rootTrusted)
    }

    @inline(__always) func full(_ path: String) -> String {
        if path.isEmpty { return base }
        return base == "/" ? "/" + path : base + "/" + path
    }

    /// The descriptor and the name to ask a `*at` call: relative to the root's descriptor when there is one.
    @inline(__always) private func at(_ path: String) -> (Int32, String) {
        if rootFD >= 0 { return (rootFD, path.isEmpty ? "." : path) }
        return (AT_FDCWD, full(path))
    }

    public func absolutePath(_ path: String) -> String? { full(path) }

    static func nodeKind(_ mode: mode_t) -> NodeKind {
        switch mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .link
        default: return .other
        }
    }

    public func kind(_ path: String) -> NodeKind? {
        var st = stat()
        let (fd, name) = at(path)
        guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return Self.nodeKind(st.st_mode)
    }

    public func size(_ path: String) -> Int? {
        var st = stat()
        let (fd, name) = at(path)
        guard fstatat(fd, name, &st, 0) == 0 else { return nil }
        return Int(st.st_size)
    }

    public func readLink(_ path: String) -> String? {
        let (fd, name) = at(path)
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 4097) { buf -> String? in
            let n = readlinkat(fd, name, buf.baseAddress!, 4096)
            guard n > 0 else { return nil }
            return String(decoding: UnsafeRawBufferPointer(start: buf.baseAddress, count: n), as: UTF8.self)
        }
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

    static let readFlags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY

    public func read(_ path: String, limit: Int) -> Result<[UInt8], FSError> {
        readSized(path, limit: limit).0
    }

    /// The kind and size first (`fstatat`, no link followed at the end): what is not a regular file is
    /// refused unopened; then `openat` with O_NOFOLLOW and O_NONBLOCK (a FIFO swapped in between the two
    /// never blocks the read; a link swapped in fails as a link).
    public func readSized(_ path: String, limit: Int) -> (Result<[UInt8], FSError>, size: Int?) {
        let device = base == "/" && Self.liveDevices.contains(path)
        var st = stat()
        let (dfd, name) = at(path)
        if !device {
            if fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 { return (.failure(.fromErrno(errno)), nil) }
            if let e = Self.notRegular(st.st_mode) { return (.failure(e), nil) }
        }
        let fd = openat(dfd, name, Self.readFlags)
        guard fd >= 0 else { return (.failure(.fromErrno(errno)), nil) }
        defer { close(fd) }
        return Self.readOpen(fd, size: device ? 0 : Int(st.st_size), limit: limit)
    }

    /// The read of an open regular file of `size` bytes as stat said (0: unknown, as for proc files).
    private static func readOpen(_ fd: Int32, size: Int, limit: Int) -> (Result<[UInt8], FSError>, size: Int?) {
        // A regular file on a disk (a capture, a bundle, sysfs `config`) tells its size: a read that has it
        // all is done without the read that returns 0. sysfs text attributes and proc files say 4096 or 0.
        let known = size > 0 ? size : Int.max
        var out: [UInt8] = []
        if size > 0 { out.reserveCapacity(min(size, limit)) }
        // Most host files (sysfs attributes, proc entries) are small: one 4 KiB stack chunk at a time.
        let failure: FSError? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { chunk in
            while out.count < limit && out.count < known {
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
        if let failure { return (.failure(failure), nil) }
        return (.success(out), size > 0 ? size : nil)
    }

    /// Whether a failed openat2 says the kernel lacks it (then the confined questions are not asked again).
    private static func confinedUnavailable(_ e: Int32) -> Bool {
        if e == ENOSYS || e == EPERM || e == EINVAL || e == E2BIG {
            confinedOpen.store(false, ordering: .relaxed)
            return true
        }
        return false
    }

    /// `fstatat` (through the components as they are: only the kind and size of a regular file are taken from
    /// it), then openat2 with no symlink allowed anywhere on the path: the opened file is the one the path
    /// names inside the root. Anything else is the caller's to resolve (nil).
    public func readConfined(_ path: String, limit: Int) -> (Result<[UInt8], FSError>, size: Int?)? {
        guard rootFD >= 0, !path.isEmpty, Self.confinedOpen.load(ordering: .relaxed), !(base == "/" && Self.liveDevices.contains(path)) else { return nil }
        let (dfd, rel, trusted) = confinedAt(path)
        if trusted {
            // Open first (no device can be opened here), read until a read comes back short.
            let fd = spf_openat_confined(dfd, rel, Self.readFlags, 1)
            guard fd >= 0 else { _ = Self.confinedUnavailable(errno); return nil }
            defer { close(fd) }
            return Self.readTrusted(fd, limit: limit)
        }
        var st = stat()
        guard fstatat(rootFD, path, &st, AT_SYMLINK_NOFOLLOW) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        let fd = spf_openat_nolinks(rootFD, path, Self.readFlags)
        guard fd >= 0 else { _ = Self.confinedUnavailable(errno); return nil }
        defer { close(fd) }
        return Self.readOpen(fd, size: Int(st.st_size), limit: limit)
    }

    public func confinedIsCheap(_ path: String) -> Bool {
        rootFD >= 0 && confinedAt(path).2 && Self.confinedOpen.load(ordering: .relaxed)
    }

    /// The read of a file opened on a trusted mount (see `trustedMount`): a read that gives less than it asked
    /// for is the end. A read that gave nothing asks what was opened (a FIFO reads nothing: not a file).
    private static func readTrusted(_ fd: Int32, limit: Int) -> (Result<[UInt8], FSError>, size: Int?)? {
        var out: [UInt8] = []
        var ended = false
        let failure: FSError? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4097) { chunk in
            while out.count <= limit {
                // One byte more than the limit leaves: a read that fills it says the file is longer.
                let want = min(chunk.count, limit + 1 - out.count)
                let n = Glibc.read(fd, chunk.baseAddress, want)
                if n < 0 {
                    let e = errno
                    if e == EINTR { continue }
                    if e == EAGAIN { ended = true; break }
                    return .fromErrno(e)
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[0..<n]))
                if n < want { ended = true; break }
            }
            return nil
        }
        if let failure { return (.failure(failure), nil) }
        if out.isEmpty {
            var st = stat()
            guard fstat(fd, &st) == 0 else { return (.failure(.fromErrno(errno)), nil) }
            if let e = notRegular(st.st_mode) { return (.failure(e), nil) }
        }
        if ended { return (.success(out), out.count) }
        // Longer than the limit: the first `limit` bytes, the size unknown (the caller asks it).
        out.removeLast(out.count - limit)
        return (.success(out), nil)
    }

    public func listConfined(_ path: String) -> Result<DirectoryListing, FSError>? {
        guard rootFD >= 0, !path.isEmpty, Self.confinedOpen.load(ordering: .relaxed) else { return nil }
        let fd = spf_openat_nolinks(rootFD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { _ = Self.confinedUnavailable(errno); return nil }
        defer { close(fd) }
        return Self.entries(fd)
    }

    public func list(_ path: String) -> Result<[String], FSError> {
        listEntries(path).map(\.names)
    }

    /// Entry names, sorted; a name that is not UTF-8 cannot be named in a path (nor in a report, a bundle
    /// member): it is set apart, decoded lossily, with its bytes.
    public func listEntries(_ path: String) -> Result<DirectoryListing, FSError> {
        let (dfd, name) = at(path)
        let fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(.fromErrno(errno)) }
        defer { close(fd) }
        return Self.entries(fd)
    }

    /// The entries of an open directory, by getdents64 into a 64 KiB buffer until it gives nothing.
    private static func entries(_ fd: Int32) -> Result<DirectoryListing, FSError> {
        var listing = DirectoryListing(names: [])
        let failure: FSError? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 65536) { buf -> FSError? in
            let raw = UnsafeMutableRawPointer(buf.baseAddress!)
            while true {
                let n = spf_getdents64(fd, raw, buf.count)
                if n < 0 {
                    if errno == EINTR { continue }
                    return .fromErrno(errno)
                }
                if n == 0 { return nil }
                var off = 0
                while off + 19 <= n {
                    // struct linux_dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name
                    let reclen = Int(raw.loadUnaligned(fromByteOffset: off + 16, as: UInt16.self))
                    guard reclen > 19, off + reclen <= n else { break }
                    let type = raw.load(fromByteOffset: off + 18, as: UInt8.self)
                    let nameStart = raw.advanced(by: off + 19).assumingMemoryBound(to: UInt8.self)
                    let len = strnlen(UnsafeRawPointer(nameStart).assumingMemoryBound(to: CChar.self), reclen - 19)
                    let nameBytes = UnsafeBufferPointer(start: nameStart, count: len)
                    off += reclen
                    if len == 1 && nameBytes[0] == 0x2E { continue }
                    if len == 2 && nameBytes[0] == 0x2E && nameBytes[1] == 0x2E { continue }
                    if let name = String(validating: nameBytes, as: UTF8.self) {
                        listing.names.append(name)
                    } else {
                        let kind: NodeKind?
                        switch Int32(type) {
                        case Int32(DT_DIR): kind = .directory
                        case Int32(DT_LNK): kind = .link
                        case Int32(DT_REG): kind = .file
                        case Int32(DT_UNKNOWN): kind = nil
                        default: kind = .other
                        }
                        let bytes = Array(nameBytes)
                        listing.undecodable.append(.init(name: String(decoding: bytes, as: UTF8.self), raw: bytes, kind: kind))
                    }
                }
            }
        }
        if let failure { return .failure(failure) }
        listing.names.sort()
        listing.undecodable.sort { $0.raw.lexicographicallyPrecedes($1.raw) }
        return .success(listing)
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

    public func listEntries(_ path: String) -> Result<DirectoryListing, FSError> {
        list(path).map { names in
            var l = DirectoryListing(names: names)
            if let under, case .success(let base) = under.listEntries(path) {
                let prefix = path.isEmpty ? "" : path + "/"
                l.undecodable = base.undecodable.filter { nodes[prefix + $0.name] == nil }
            }
            return l
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
