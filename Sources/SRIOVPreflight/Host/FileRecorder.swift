/// One path the snapshot touched through `HostRoot`: a file read (its size and, up to 1 MiB, its sha256),
/// a directory listed, a link read (with its target), a file whose existence was asked, or a read that
/// failed (with the reason: absent, permission denied, …). Paths are root-relative and canonical (the
/// real path after links), except a failed lookup, which names the path as it was asked for.
public struct FileRead: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Equatable, Codable {
        case file, directory, link
    }

    public var path: String
    public var kind: Kind
    /// Bytes read (a file) or entries listed (a directory); nil when only the existence was asked.
    public var size: Int?
    /// Lower-case hex sha256 of the bytes read, for files up to `FileRecorder.hashLimit` bytes.
    public var sha256: String?
    /// The link text of a link (real, or flattened into a small file by a capture).
    public var target: String?
    /// Why it could not be read; nil when it was.
    public var error: String?
    /// The file's size when the read stopped short of it: the fact kept only the first `size` bytes (a
    /// 2 GB log, a 50 MB command line). Nil when the whole file was read.
    public var fileSize: Int?

    enum CodingKeys: String, CodingKey {
        case path, kind, size, sha256, target, error
        case fileSize = "file_size"
    }

    public init(path: String, kind: Kind, size: Int? = nil, sha256: String? = nil, target: String? = nil,
                error: String? = nil, fileSize: Int? = nil) {
        self.path = path
        self.kind = kind
        self.size = size
        self.sha256 = sha256
        self.target = target
        self.error = error
        self.fileSize = fileSize
    }

    /// The read was cut: the file is longer than what was read.
    public var isCut: Bool { fileSize != nil }

    /// Every field is written (null when absent) but `file_size`, written only for a read that was cut: the
    /// files_read of a report whose reads were whole are as before it existed.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encode(kind, forKey: .kind)
        try c.encodeIfPresent(size, forKey: .size)
        try c.encodeIfPresent(sha256, forKey: .sha256)
        try c.encodeIfPresent(target, forKey: .target)
        try c.encodeIfPresent(error, forKey: .error)
        if let fileSize { try c.encode(fileSize, forKey: .fileSize) }
    }
}

/// Records, in memory, every primitive operation a `HostRoot` made on its backend (through
/// `RecordingBackend`) plus what `HostRoot` itself learned (flattened links, lookups that failed).
/// The support bundle is built from this record; reports list it as `filesRead`.
public final class FileRecorder: @unchecked Sendable {
    /// Files up to this size are hashed as they are read.
    public static let hashLimit = 1 << 20

    /// Keep the bytes of every file read (the bundle stores exactly what the facts saw).
    public let keepContents: Bool

    struct ReadRecord {
        var count = 0
        var sha256: String?
        var bytes: [UInt8]?
        var error: FSError?
        /// Read only to tell a flattened link from a file (HostRoot's probe), never by a fact.
        var probeOnly = true
        /// The config space came from libpci, which reads the file outside HostRoot.
        var viaLibpci = false
    }

    private let lock = Lock(())
    private(set) var kinds: [String: NodeKind] = [:]
    private(set) var links: [String: String] = [:]
    private(set) var reads: [String: ReadRecord] = [:]
    private(set) var lists: [String: Result<[String], FSError>] = [:]
    /// Existence asked by a fact (`exists`, `isDirectory`, `size`) and answered yes.
    private(set) var stats: [String: NodeKind] = [:]
    /// Paths asked for that did not resolve (a missing or unreadable component on the way).
    private(set) var unresolved: [String: (FileRead.Kind, FSError)] = [:]
    /// Files read only in part (path → the file's size): the read hit its limit.
    private(set) var cuts: [String: Int] = [:]
    /// Paths handed to a C library (libpci) that reads the disk itself.
    private(set) var handedOut: Set<String> = []

    public init(keepContents: Bool = false) {
        self.keepContents = keepContents
    }

    // MARK: recording (called by RecordingBackend and HostRoot)

    func kind(_ path: String, _ k: NodeKind?) {
        guard let k else { return }
        lock.locked { kinds[path] = k }
    }

    func link(_ path: String, _ target: String) {
        lock.locked { links[path] = target }
    }

    func read(_ path: String, _ result: Result<[UInt8], FSError>, probe: Bool = false, viaLibpci: Bool = false) {
        switch result {
        case .success(let bytes):
            let known = lock.locked { reads[path] }
            var rec = known ?? ReadRecord()
            if !probe { rec.probeOnly = false }
            if viaLibpci { rec.viaLibpci = true }
            // A longer read of the same file supersedes a shorter one (a probe, a limited read).
            if known == nil || bytes.count > rec.count || (known?.error != nil) || (!probe && known?.probeOnly == true) {
                rec.count = bytes.count
                rec.error = nil
                if !probe {
                    rec.sha256 = bytes.count <= Self.hashLimit ? SHA256.hex(bytes) : nil
                    if keepContents { rec.bytes = bytes }
                }
            }
            lock.locked { reads[path] = rec }
        case .failure(let e):
            lock.locked {
                if reads[path] == nil { reads[path] = ReadRecord(error: e, probeOnly: probe) }
            }
        }
    }

    func list(_ path: String, _ result: Result<[String], FSError>) {
        lock.locked {
            if case .success? = lists[path], case .failure = result { return }
            lists[path] = result
        }
    }

    func stat(_ path: String, _ k: NodeKind?) {
        guard let k else { return }
        lock.locked { stats[path] = k }
    }

    func unresolved(_ path: String, _ kind: FileRead.Kind, _ e: FSError) {
        lock.locked { if unresolved[path] == nil { unresolved[path] = (kind, e) } }
    }

    /// `path` was read only in part: the file holds `fileSize` bytes.
    func cut(_ path: String, fileSize: Int) {
        lock.locked { cuts[path] = max(cuts[path] ?? 0, fileSize) }
    }

    func handedOut(_ path: String) {
        lock.locked { _ = handedOut.insert(path) }
    }

    /// A file read by libpci outside HostRoot (config spaces), with the bytes it gave.
    public func readByLibrary(_ path: String, _ bytes: [UInt8]) {
        let known = lock.locked { reads[path] }
        if let known, known.error == nil, !known.probeOnly { return }
        read(path, .success(bytes), viaLibpci: true)
    }

    // MARK: the record

    /// The bytes read of `path` (with `keepContents`).
    func contents(_ path: String) -> [UInt8]? { lock.locked { reads[path]?.bytes } }

    /// One entry per path, sorted by path. Where a path was met more than one way, the entry is the one of
    /// the strongest way: a link read, a directory listed, a file read, an existence asked, a failed lookup,
    /// and last a file only probed (for a flattened link).
    public var filesRead: [FileRead] {
        lock.locked {
            var rows: [(rank: UInt8, read: FileRead)] = []
            rows.reserveCapacity(unresolved.count + stats.count + reads.count + lists.count + links.count)
            for (p, (kind, e)) in unresolved { rows.append((1, FileRead(path: p, kind: kind, error: e.description))) }
            for (p, k) in stats where k == .file || k == .directory {
                rows.append((2, FileRead(path: p, kind: k == .directory ? .directory : .file)))
            }
            for (p, r) in reads {
                if r.probeOnly && r.error == nil {
                    rows.append((0, FileRead(path: p, kind: .file)))
                    continue
                }
                rows.append((3, FileRead(path: p, kind: .file, size: r.error == nil ? r.count : nil, sha256: r.sha256,
                                         error: r.error?.description,
                                         fileSize: r.error == nil ? cuts[p].flatMap { $0 > r.count ? $0 : nil } : nil)))
            }
            for (p, r) in lists {
                switch r {
                case .success(let names): rows.append((4, FileRead(path: p, kind: .directory, size: names.count)))
                case .failure(let e): rows.append((4, FileRead(path: p, kind: .directory, error: e.description)))
                }
            }
            for (p, t) in links { rows.append((5, FileRead(path: p, kind: .link, target: t))) }
            // By path (as String's `<` orders them), the strongest way last; then one entry per path.
            let order = rows.indices.sorted { a, b in
                let pa = rows[a].read.path, pb = rows[b].read.path
                if pa == pb { return rows[a].rank < rows[b].rank }
                return pa < pb
            }
            var out: [FileRead] = []
            out.reserveCapacity(order.count)
            for (n, i) in order.enumerated() {
                if n + 1 < order.count, rows[order[n + 1]].read.path == rows[i].read.path { continue }
                out.append(rows[i].read)
            }
            return out
        }
    }
}

/// An `FSBackend` that answers from another one and records every question and answer in a `FileRecorder`.
public final class RecordingBackend: FSBackend, @unchecked Sendable {
    public let inner: FSBackend
    public let recorder: FileRecorder

    public init(_ inner: FSBackend, recorder: FileRecorder) {
        self.inner = inner
        self.recorder = recorder
    }

    public var label: String { inner.label }

    public func kind(_ path: String) -> NodeKind? {
        let k = inner.kind(path)
        recorder.kind(path, k)
        return k
    }

    public func readLink(_ path: String) -> String? {
        let t = inner.readLink(path)
        if let t { recorder.link(path, t) }
        return t
    }

    public func read(_ path: String, limit: Int) -> Result<[UInt8], FSError> {
        let r = inner.read(path, limit: limit)
        recorder.read(path, r)
        return r
    }

    public func readSized(_ path: String, limit: Int) -> (Result<[UInt8], FSError>, size: Int?) {
        let r = inner.readSized(path, limit: limit)
        recorder.read(path, r.0)
        return r
    }

    /// Recorded only when answered: a nil answer is resolved, and recorded, by the caller's own questions.
    public func readConfined(_ path: String, limit: Int) -> (Result<[UInt8], FSError>, size: Int?)? {
        guard let r = inner.readConfined(path, limit: limit) else { return nil }
        recorder.read(path, r.0)
        return r
    }

    public func listConfined(_ path: String) -> Result<DirectoryListing, FSError>? {
        guard let r = inner.listConfined(path) else { return nil }
        recorder.list(path, r.map(\.names))
        return r
    }

    public func list(_ path: String) -> Result<[String], FSError> {
        let r = inner.list(path)
        recorder.list(path, r)
        return r
    }

    public func listEntries(_ path: String) -> Result<DirectoryListing, FSError> {
        let r = inner.listEntries(path)
        recorder.list(path, r.map(\.names))
        return r
    }

    public func size(_ path: String) -> Int? { inner.size(path) }

    public func confinedIsCheap(_ path: String) -> Bool { inner.confinedIsCheap(path) }

    public func absolutePath(_ path: String) -> String? {
        let p = inner.absolutePath(path)
        if p != nil { recorder.handedOut(path) }
        return p
    }
}
