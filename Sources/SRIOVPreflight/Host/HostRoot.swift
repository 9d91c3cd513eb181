import CHostShim

/// The one door to a host: every read of every check goes through a `HostRoot` (`--root DIR`, default `/`).
///
/// Paths are root-relative ("proc/cmdline"). Links are resolved here, component by component, and never
/// leave the root: an absolute link target or a `..` past the top stays inside it. Captures whose sysfs
/// links were flattened into small files holding the link text (`../../devices/pci0000:00/…`) are read
/// as links too, so a capture copied by a tool that does not keep symlinks still reads like a host.
public final class HostRoot: @unchecked Sendable {
    public let backend: FSBackend
    /// True for the machine we run on (`/`): the kernel log then comes from /dev/kmsg, the release from uname.
    public let isLive: Bool
    /// How the evidence was obtained: the live host, a captured host root, a replayed bundle.
    public let evidence: EvidenceSource
    /// Absence in this root is a verdict: a file or directory that is not here is not on the host (the live
    /// host; an example host written as a live one; a bundle recorded from the live host, which holds every
    /// path the facts asked for). False for a capture, where absence means "not in this evidence".
    public let absenceIsVerdict: Bool
    private var dirCache: [String: Result<String, FSError>] = [:]
    /// What the walk learnt of a path: a directory stays one, a link keeps its target for the run (each is
    /// asked of the backend, and recorded, once; not asked again per function, per group, per attribute).
    private enum Known { case directory, link(String) }
    private var known: [String: Known] = [:]
    private let lock = Lock(())

    public static let maxLinkHops = 40
    public static let defaultReadLimit = 16 << 20

    public init(backend: FSBackend, isLive: Bool = false, evidence: EvidenceSource? = nil, absenceIsVerdict: Bool? = nil) {
        self.backend = backend
        self.isLive = isLive
        let source = evidence ?? (isLive ? .live : .hostRoot)
        self.evidence = source
        self.absenceIsVerdict = absenceIsVerdict ?? (isLive || source == .live)
        self.recordingBackend = backend as? RecordingBackend
        self.recorder = recordingBackend?.recorder
    }

    /// Set once, before the facts' workers first allocate: the heap and each worker's arena start with 8 MiB
    /// mapped (a thread's arena that grew page by page cost one mprotect(2) per config space a worker read).
    private static let mallocSetUp: Void = spf_malloc_setup()

    /// A directory on disk; `/` is the live host.
    public static func disk(_ path: String) -> HostRoot {
        _ = mallocSetUp
        let backend = DiskBackend(base: path)
        return HostRoot(backend: backend, isLive: backend.base == "/")
    }

    public var label: String { backend.label }

    /// The recorder of a root read through a `RecordingBackend`.
    public let recorder: FileRecorder?
    private let recordingBackend: RecordingBackend?

    /// The same root, read through a `RecordingBackend` that records into `recorder` (or this root when
    /// it already records).
    public func recording(into recorder: FileRecorder) -> HostRoot {
        if self.recorder === recorder { return self }
        return HostRoot(backend: RecordingBackend(backend, recorder: recorder), isLive: isLive, evidence: evidence,
                        absenceIsVerdict: absenceIsVerdict)
    }

    private func unresolved(_ path: String, _ kind: FileRead.Kind, _ e: FSError) {
        recorder?.unresolved(path, kind, e)
    }

    /// "/proc//cmdline/" → "proc/cmdline".
    public static func normalize(_ path: String) -> String {
        // Fast path: already canonical text (no leading/trailing slash, no empty or "." component).
        var clean = !path.isEmpty
        var prev: UInt8 = 0x2F   // as if preceded by a slash: catches a leading "/" and "./"
        var prev2: UInt8 = 0
        for c in path.utf8 {
            if c == 0x2F && (prev == 0x2F || (prev == 0x2E && prev2 == 0x2F)) { clean = false; break }
            prev2 = prev
            prev = c
        }
        if clean && prev != 0x2F && !(prev == 0x2E && prev2 == 0x2F) { return path }
        return path.split(separator: "/", omittingEmptySubsequences: true)
            .filter { $0 != "." }
            .joined(separator: "/")
    }

    static func parent(_ path: String) -> (String, String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    // MARK: resolution

    /// The canonical root-relative path `path` names, following links (real or flattened).
    public func canonical(_ path: String) -> Result<String, FSError> {
        let p = Self.normalize(path)
        let (dir, name) = Self.parent(p)
        if name.isEmpty { return .success("") }
        switch resolveDir(dir) {
        case .failure(let e): return .failure(e)
        case .success(let d):
            return walk(start: d, components: [name], followLast: true, lastFileMayBeLink: true)
        }
    }

    private func resolveDir(_ dir: String) -> Result<String, FSError> {
        if dir.isEmpty { return .success("") }
        // A canonical directory the walk knows (every component of it is a directory, none a link) is itself.
        if let hit: Result<String, FSError> = lock.locked({
            if case .directory? = known[dir] { return .success(dir) }
            return dirCache[dir]
        }) { return hit }
        let comps = dir.split(separator: "/").map(String.init)
        let r = walk(start: "", components: comps, followLast: true, lastFileMayBeLink: true)
        lock.locked { dirCache[dir] = r }
        return r
    }

    /// The path `dir` names as far as the walk already knows it, without asking the backend: known links are
    /// followed, a component never asked about is taken for a directory. Nil when the walk knows the answer is
    /// a failure. Whether the answer holds is then up to a confined question (`readConfined`, `listConfined`:
    /// the kernel refuses a link anywhere on the way), and `isVerified` says whether it already does.
    private func assumedPath(_ dir: String) -> String? {
        if dir.isEmpty { return "" }
        // The common case first: below a directory the walk knows, nothing known on the way down.
        if let fast = lock.locked({ () -> String?? in
            if let hit = dirCache[dir] { return .some(try? hit.get()) }
            return knownBelowDirectory(dir) ? .some(dir) : nil
        }) { return fast }
        var stack: [Substring] = []
        var pending: [Substring] = dir.split(separator: "/").reversed()
        var hops = 0
        while let c = pending.popLast() {
            if c.isEmpty || c == "." { continue }
            if c == ".." { if !stack.isEmpty { stack.removeLast() }; continue }
            stack.append(c)
            guard case .link(let t)? = lock.locked({ known[stack.joined(separator: "/")] }) else { continue }
            hops += 1
            if hops > Self.maxLinkHops { return nil }
            stack.removeLast()
            if t.hasPrefix("/") { stack.removeAll() }
            pending.append(contentsOf: t.split(separator: "/").reversed())
        }
        return stack.joined(separator: "/")
    }

    /// `dir` (text with no "." or ".." component) lies below a directory the walk knows, and no component
    /// after it is known at all (no link, so the text is the path), or it is itself a known directory.
    /// Called holding the lock.
    private func knownBelowDirectory(_ dir: String) -> Bool {
        var end = dir.utf8.endIndex
        let start = dir.utf8.startIndex
        while true {
            let prefix = String(dir[start..<end])
            if prefix == "." || prefix == ".." || prefix.hasSuffix("/.") || prefix.hasSuffix("/..") || prefix.hasSuffix("/") { return false }
            switch known[prefix] {
            case .directory?: return true
            case .link?: return false
            case nil: break
            }
            guard let slash = dir.utf8[start..<end].lastIndex(of: 0x2F) else { return false }
            end = slash
        }
    }

    /// Every component of `dir` is known to be a directory (asked, or opened with no link on the way).
    private func isVerified(_ dir: String) -> Bool {
        if dir.isEmpty { return true }
        if case .directory? = lock.locked({ known[dir] }) { return true }
        return false
    }

    /// A confined question through `dir` was answered: every component of it is a directory, recorded as a
    /// walk asking each would have.
    private func markVerified(_ dir: String) {
        if dir.isEmpty { return }
        // From the end up to the first component already known: the ones before it were marked with it.
        let fresh: [String] = lock.locked {
            var fresh: [String] = []
            var end = dir.utf8.endIndex
            let start = dir.utf8.startIndex
            while true {
                let prefix = String(dir[start..<end])
                if known[prefix] != nil { break }
                known[prefix] = .directory
                fresh.append(prefix)
                guard let slash = dir.utf8[start..<end].lastIndex(of: 0x2F) else { break }
                end = slash
            }
            return fresh
        }
        if let rec = recorder { for f in fresh { rec.kind(f, .directory) } }
    }

    private func walk(start: String, components: [String], followLast: Bool, lastFileMayBeLink: Bool)
        -> Result<String, FSError>
    {
        var stack: [String] = start.isEmpty ? [] : start.split(separator: "/").map(String.init)
        var pending = Array(components.reversed())
        var hops = 0
        while let c = pending.popLast() {
            if c.isEmpty || c == "." { continue }
            if c == ".." {
                if !stack.isEmpty { stack.removeLast() }
                continue
            }
            stack.append(c)
            let isLast = pending.isEmpty
            if isLast && !followLast { break }
            let p = stack.joined(separator: "/")
            var target: String?
            switch lock.locked({ known[p] }) {
            case .directory?: continue
            case .link(let t)?: target = t
            case nil: break
            }
            if target == nil {
            guard let kind = backend.kind(p) else { return .failure(.missing) }
            switch kind {
            case .directory:
                lock.locked { known[p] = .directory }
                continue
            case .other:
                continue
            case .link:
                guard let t = backend.readLink(p) else { return .failure(.missing) }
                lock.locked { known[p] = .link(t) }
                target = t
            case .file:
                if isLast && !lastFileMayBeLink { continue }
                if let t = flattenedLink(p) {
                    target = t
                } else if isLast {
                    continue
                } else {
                    return .failure(.notADirectory)
                }
            }
            }
            guard let t = target else { continue }
            hops += 1
            if hops > Self.maxLinkHops { return .failure(.linkLoop) }
            stack.removeLast()
            if t.hasPrefix("/") { stack.removeAll() }
            pending.append(contentsOf: t.split(separator: "/").map(String.init).reversed())
        }
        return .success(stack.joined(separator: "/"))
    }

    /// A small regular file whose whole content is a relative path is a symlink that lost its kind.
    private func flattenedLink(_ p: String) -> String? {
        guard let size = backend.size(p), size > 0, size <= 1024 else { return nil }
        // Read past a recorder: a probe is not a read by a fact (the recorder is told what it found).
        let rec = recordingBackend
        let r = (rec?.inner ?? backend).read(p, limit: 1024)
        rec?.recorder.read(p, r, probe: true)
        guard case .success(let bytes) = r, let t = Self.linkText(bytes) else { return nil }
        rec?.recorder.link(p, t)
        return t
    }

    static func linkText(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= 3, bytes[0] == 0x2E, bytes[1] == 0x2E, bytes[2] == 0x2F else { return nil }
        var b = bytes[...]
        while let last = b.last, last == 0x0A || last == 0x20 { b = b.dropLast() }
        guard !b.contains(0x0A), !b.contains(0) else { return nil }
        return String(decoding: b, as: UTF8.self)
    }

    // MARK: reads

    /// The bytes of a file. A flattened link at the end of the path is followed.
    public func read(_ path: String, limit: Int = HostRoot.defaultReadLimit) -> Result<[UInt8], FSError> {
        readResolved(path, limit: limit).0
    }

    /// `read`, with the canonical path of the file read (the real path after links).
    ///
    /// In a directory the walk has not yet asked about, the file is first opened with no link allowed anywhere
    /// on the way (`readConfined`): when that opens it, the path was the real one and every component of it
    /// is a directory, without a question per component. Otherwise (a link, a flattened link, something
    /// missing, a special file on the way) the path is resolved component by component, as always.
    public func readResolved(_ path: String, limit: Int = HostRoot.defaultReadLimit) -> (Result<[UInt8], FSError>, String) {
        let p = Self.normalize(path)
        let (dir, name) = Self.parent(p)
        var full = ""
        var sized: (Result<[UInt8], FSError>, size: Int?)?
        if !(name == ".." || name == "." || name.isEmpty), let d = assumedPath(dir) {
            let f = d.isEmpty ? name : d + "/" + name
            let verified = isVerified(d)
            if !verified || backend.confinedIsCheap(f), let r = backend.readConfined(f, limit: limit) {
                if !verified { markVerified(d) }
                sized = r
                full = f
            }
        }
        if sized == nil {
            let d: String
            switch resolveDir(dir) {
            case .failure(let e): unresolved(p, .file, e); return (.failure(e), p)
            case .success(let r): d = r
            }
            // Fast path: open the name directly (O_NOFOLLOW); only a link there (ELOOP) or a missing
            // component needs the component walk.
            full = d.isEmpty ? name : d + "/" + name
            if name == ".." || name == "." || name.isEmpty {
                switch walk(start: d, components: [name], followLast: true, lastFileMayBeLink: false) {
                case .failure(let e): unresolved(p, .file, e); return (.failure(e), p)
                case .success(let r): full = r
                }
            }
            var direct = backend.readSized(full, limit: limit)
            if case .failure(.linkLoop) = direct.0 {
                switch walk(start: d, components: [name], followLast: true, lastFileMayBeLink: false) {
                case .failure(let e): unresolved(p, .file, e); return (.failure(e), p)
                case .success(let r): full = r
                }
                direct = backend.readSized(full, limit: limit)
            }
            sized = direct
        }
        guard let answer = sized else { return (.failure(.missing), p) }
        var (result, fileSize) = answer
        if case .success(let bytes) = result, bytes.count <= 1024, let t = Self.linkText(bytes) {
            recorder?.link(full, t)
            let (fd, _) = Self.parent(full)
            if case .success(let target) = walk(start: fd, components: t.split(separator: "/").map(String.init),
                                                followLast: true, lastFileMayBeLink: false) {
                full = target
                (result, fileSize) = backend.readSized(full, limit: limit)
            }
        }
        // A read that filled its limit may have left the rest of a longer file: the record says so.
        if case .success(let bytes) = result, bytes.count >= limit, let rec = recorder,
           let size = fileSize ?? backend.size(full), size > bytes.count {
            rec.cut(full, fileSize: size)
        }
        return (result, full)
    }

    /// The text of a file (lossy UTF-8).
    public func text(_ path: String, limit: Int = HostRoot.defaultReadLimit) -> Result<String, FSError> {
        read(path, limit: limit).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The trimmed text of a small attribute file, or nil when it cannot be read.
    public func value(_ path: String) -> String? {
        guard case .success(let s) = text(path, limit: 65536) else { return nil }
        return s.trimmingWhitespace()
    }

    /// Entry names of a directory, sorted. An entry whose name is not UTF-8 is left out (no path can name
    /// it); the record keeps it, decoded lossily, with the reason, so the report says what was skipped.
    public func list(_ path: String) -> Result<[String], FSError> {
        // A directory the walk has not asked about: listed with no link allowed on the way (see readResolved).
        let p = Self.normalize(path)
        if !p.isEmpty, let d = assumedPath(p), !isVerified(d), let r = backend.listConfined(d) {
            markVerified(d)
            return r.map { l in
                if let rec = recorder {
                    for u in l.undecodable {
                        rec.unresolved(d + "/" + u.name, u.kind == .directory ? .directory : .file, .undecodableName(u.raw))
                    }
                }
                return l.names
            }
        }
        switch canonical(path) {
        case .success(let c):
            guard let rec = recorder else { return backend.list(c) }
            switch backend.listEntries(c) {
            case .success(let l):
                for u in l.undecodable {
                    rec.unresolved(c.isEmpty ? u.name : c + "/" + u.name, u.kind == .directory ? .directory : .file,
                                   .undecodableName(u.raw))
                }
                return .success(l.names)
            case .failure(let e): return .failure(e)
            }
        case .failure(let e): unresolved(Self.normalize(path), .directory, e); return .failure(e)
        }
    }

    /// Entry names, or an empty list when the directory cannot be read.
    public func entries(_ path: String) -> [String] {
        (try? list(path).get()) ?? []
    }

    public func exists(_ path: String) -> Bool {
        stat(path, as: .file) != nil
    }

    public func isDirectory(_ path: String) -> Bool {
        stat(path, as: .directory).map { backend.kind($0) == .directory } ?? false
    }

    /// Size as stat reports it, after following links.
    public func size(_ path: String) -> Int? {
        stat(path, as: .file).flatMap { backend.size($0) }
    }

    /// The canonical path of `path` when it exists; the recorder learns that a fact asked.
    private func stat(_ path: String, as kind: FileRead.Kind) -> String? {
        switch canonical(path) {
        case .success(let c):
            if let rec = recorder { rec.stat(c, backend.kind(c)) }
            return c
        case .failure(let e):
            unresolved(Self.normalize(path), kind, e)
            return nil
        }
    }

    /// The link text of the last component (a real symlink or a flattened one), without following it.
    public func linkTarget(_ path: String) -> String? {
        let p = Self.normalize(path)
        let (dir, name) = Self.parent(p)
        let d: String
        switch resolveDir(dir) {
        case .success(let r): d = r
        case .failure(let e): unresolved(p, .link, e); return nil
        }
        let full = d.isEmpty ? name : d + "/" + name
        if case .link(let t)? = lock.locked({ known[full] }) { return t }
        // readlink first: a real link (driver, iommu_group, physfn) needs no lstat before it. The walk keeps
        // it: a path through it (sys/bus/pci/devices/X/config) is then resolved without asking again.
        if let t = backend.readLink(full) {
            lock.locked { known[full] = .link(t) }
            return t
        }
        switch backend.kind(full) {
        case .link?: return backend.readLink(full)
        case .file?: return flattenedLink(full)
        default: return nil
        }
    }

    /// The last component of a link's target: `driver` → "igb", `iommu_group` → "6".
    public func linkName(_ path: String) -> String? {
        guard let t = linkTarget(path) else { return nil }
        var u = t.utf8[...]
        while u.last == 0x2F { u = u.dropLast() }
        if u.isEmpty { return nil }
        return String(Substring(u[(u.lastIndex(of: 0x2F).map { u.index(after: $0) } ?? u.startIndex)...]))
    }

    /// An absolute path on disk for a C library, when the root is on disk.
    public func absolutePath(_ path: String) -> String? {
        guard case .success(let c) = canonical(path) else { return nil }
        return backend.absolutePath(c)
    }
}
