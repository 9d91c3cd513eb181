#if canImport(Glibc)
import Glibc
#endif

/// The `.tar.gz` of a bundle. Written by the system's GNU tar (members from a NUL-separated list file);
/// read in one pass: `gzip -dc` streams the archive into an in-process tar reader that checks every member
/// before it writes it, within a byte and a member budget, and stops at the first problem.
public enum Archive {
    /// Limits of what `extract` unpacks: a gzip bomb or a million members stop early with an error.
    public struct Budget: Sendable {
        public var bytes: Int
        public var members: Int
        public var depth: Int
        public var pathLength: Int
        public var seconds: Double

        public init(bytes: Int = 512 << 20, members: Int = 500_000, depth: Int = 128, pathLength: Int = 3072,
                    seconds: Double = 300) {
            self.bytes = bytes
            self.members = members
            self.depth = depth
            self.pathLength = pathLength
            self.seconds = seconds
        }
    }

    /// Packs the entries `names` of `dir` into `output` (gzip), owned by root, sorted by name. The names
    /// go to tar in a NUL-separated list file (`--null --files-from`), never on its command line: a host
    /// with thousands of PCI functions has more members than a command line holds.
    public static func create(_ output: String, from dir: String, names: [String]) throws {
        let list = output + ".members"
        var bytes: [UInt8] = []
        for n in names { bytes.append(contentsOf: n.utf8); bytes.append(0) }
        try FileOutput.write(bytes, to: list)
        defer { unlink(list) }
        let r = try Subprocess.run("tar", ["--create", "--gzip", "--file", output, "--directory", dir,
                                           "--sort=name", "--owner=0", "--group=0", "--numeric-owner",
                                           "--no-recursion", "--verbatim-files-from", "--null", "--files-from", list])
        guard r.status == 0 else { throw BundleError(E.tarCannotWrite.render(["path": output, "problem": r.stderr.trimmingWhitespace()])) }
    }

    /// Checks and unpacks `archive` into the existing, empty directory `dir`. Refused: anything but a
    /// regular file; members with an absolute path, a `..` component, below a symlink member, or named
    /// twice; hard links, devices, FIFOs; symlinks whose target is absolute or leaves the root (resolved
    /// through the archive's own links); more than the budget. Every refusal names the member and why.
    public static func extract(_ archive: String, into dir: String, budget: Budget = Budget()) throws {
        // Open first and look at what was opened: a FIFO or a device would block or never end.
        let fd = open(archive, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else {
            throw BundleError(E.bundleCannotRead.render(["archive": archive, "problem": CError.text(errno)]))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw BundleError(E.bundleCannotRead.render(["archive": archive, "problem": Subprocess.errnoText()])) }
        guard st.st_mode & S_IFMT == S_IFREG else {
            let what = st.st_mode & S_IFMT == S_IFDIR ? E.bundleIsDirectory : E.bundleNotRegular
            throw BundleError(E.bundleRefused.render(["archive": archive, "problem": what.id]))
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        if st.st_size == 0 { throw BundleError(E.bundleEmpty.render(["archive": archive])) }

        var reader = TarReader(dir: dir, budget: budget, archive: archive)
        var r: (status: Int32, stderr: String) = (0, "")
        do {
            r = try Subprocess.stream("gzip", ["-dc"], stdin: fd, timeout: budget.seconds) { chunk in
                try reader.feed(chunk)
            }
        } catch is TarReader.Done {
            // gzip was stopped at the end-of-archive block.
        } catch {
            reader.closeOpenFile()
            throw error
        }
        reader.closeOpenFile()
        if reader.finished {
            // The end-of-archive blocks were read; what gzip says about the rest (trailing garbage) is moot.
            try reader.checkLinks()
            return
        }
        if r.status != 0 {
            let why = r.stderr.split(separator: "\n").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
                .prefix(2).joined(separator: "; ")
            if why.contains("not in gzip format") {
                throw BundleError(E.bundleNotGzip.render(["archive": archive, "problem": why]))
            }
            throw BundleError(E.bundleBadGzip.render(["archive": archive, "problem": why]))
        }
        if reader.members == 0 && reader.consumed == 0 {
            throw BundleError(E.bundleEmptyGzip.render(["archive": archive]))
        }
        if reader.members == 0 && reader.consumed < 512 {
            throw BundleError(E.bundleNotTarBytes.render(["archive": archive, "bytes": String(reader.consumed)]))
        }
        throw BundleError(reader.current.map { E.bundleTruncatedInMember.render(["archive": archive, "member": $0]) }
            ?? E.bundleTruncated.render(["archive": archive]))
    }

    /// Why a member name is refused, or nil.
    static func pathProblem(_ name: String, budget: Budget) -> String? {
        if name.isEmpty { return E.refuseEmptyName.id }
        if name.hasPrefix("/") { return E.refuseAbsolute.render(["name": name]) }
        if name.utf8.count > budget.pathLength {
            return E.refuseLongPath.render(["name": String(name.prefix(80)), "bytes": String(name.utf8.count), "limit": String(budget.pathLength)])
        }
        let comps = name.split(separator: "/")
        if comps.contains("..") { return E.refuseDotDot.render(["name": name]) }
        if comps.count > budget.depth {
            return E.refuseDeep.render(["name": String(name.prefix(80)), "count": String(comps.count), "limit": String(budget.depth)])
        }
        if name.utf8.contains(0) { return E.refuseNUL.render(["name": name]) }
        return nil
    }

    /// Where `target`, a link at `path`, leads inside the archive's tree, following the archive's own
    /// links as the kernel would; nil when it leaves the root (or loops).
    static func resolve(_ target: String, at path: String, links: [String: String]) -> String? {
        if target.hasPrefix("/") { return nil }
        var stack = HostRoot.parent(path).0.split(separator: "/").map(String.init)
        var pending = Array(target.split(separator: "/").map(String.init).reversed())
        var hops = 0
        while let c = pending.popLast() {
            if c == "." || c.isEmpty { continue }
            if c == ".." {
                if stack.isEmpty { return nil }
                stack.removeLast()
                continue
            }
            stack.append(c)
            if let t = links[stack.joined(separator: "/")] {
                hops += 1
                if hops > 40 || t.hasPrefix("/") { return nil }
                stack.removeLast()
                pending.append(contentsOf: t.split(separator: "/").map(String.init).reversed())
            }
        }
        return stack.joined(separator: "/")
    }
}

/// A streaming reader of ustar / GNU / pax tar data that writes the members it accepts under `dir`.
struct TarReader {
    let dir: String
    let budget: Archive.Budget
    let archive: String
    private(set) var consumed = 0
    private(set) var members = 0
    private(set) var finished = false
    /// The member being read (for "truncated inside …").
    private(set) var current: String?

    private var header: [UInt8] = []
    private var remaining = 0        // data bytes of the current member still to come
    private var padding = 0          // bytes of padding after them
    private var sink: Sink = .none
    private var longName: String?
    private var longLink: String?
    private var zeroBlocks = 0
    private var directories: Set<String> = [""]
    private var files: Set<String> = []
    private(set) var links: [String: String] = [:]

    private enum Sink {
        case none, skip
        case file(Int32)
        case collect(UInt8, [UInt8])   // 'L', 'K', 'x' headers
    }

    init(dir: String, budget: Archive.Budget, archive: String) {
        self.dir = dir
        self.budget = budget
        self.archive = archive
        header.reserveCapacity(512)
    }

    func refuse(_ why: String) -> BundleError { BundleError(E.bundleRefused.render(["archive": archive, "problem": why])) }

    /// Thrown at the end-of-archive block: the rest of the stream is not read.
    struct Done: Error {}

    mutating func feed(_ chunk: UnsafeRawBufferPointer) throws {
        if finished { throw Done() }
        consumed += chunk.count
        if consumed > budget.bytes {
            throw refuse(E.refuseTooBig.render(["mib": String(budget.bytes >> 20)]))
        }
        var i = 0
        let n = chunk.count
        while i < n {
            if finished { return }
            if remaining > 0 {
                let take = min(remaining, n - i)
                try write(UnsafeRawBufferPointer(rebasing: chunk[i..<(i + take)]))
                remaining -= take
                i += take
                if remaining == 0 { try endMember() }
                continue
            }
            if padding > 0 {
                let take = min(padding, n - i)
                padding -= take
                i += take
                continue
            }
            let take = min(512 - header.count, n - i)
            header.append(contentsOf: chunk[i..<(i + take)])
            i += take
            if header.count == 512 {
                let h = header
                header.removeAll(keepingCapacity: true)
                try parse(h)
            }
        }
    }

    private mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        switch sink {
        case .file(let fd):
            var off = 0
            while off < bytes.count {
                let w = Glibc.write(fd, bytes.baseAddress! + off, bytes.count - off)
                if w < 0 {
                    if errno == EINTR { continue }
                    throw BundleError(E.unpackCannotWrite.render(["path": current ?? "", "archive": archive, "problem": Subprocess.errnoText()]))
                }
                off += w
            }
        case .collect(let t, var buf):
            if buf.count + bytes.count > 1 << 16 { throw refuse(E.refuseLongPax.id) }
            buf.append(contentsOf: bytes)
            sink = .collect(t, buf)
        case .none, .skip:
            break
        }
    }

    private mutating func endMember() throws {
        padding = (512 - (lastSize % 512)) % 512
        switch sink {
        case .file(let fd):
            close(fd)
        case .collect(let t, let buf):
            switch t {
            case UInt8(ascii: "L"): longName = Self.cString(buf[...])
            case UInt8(ascii: "K"): longLink = Self.cString(buf[...])
            default:
                // pax: "len key=value\n" records; path and linkpath matter.
                for rec in buf.split(separator: 0x0A) {
                    guard let sp = rec.firstIndex(of: 0x20) else { continue }
                    let kv = rec[(sp + 1)...]
                    guard let eq = kv.firstIndex(of: UInt8(ascii: "=")) else { continue }
                    let key = String(decoding: kv[..<eq], as: UTF8.self)
                    let value = String(decoding: kv[(eq + 1)...], as: UTF8.self)
                    if key == "path" { longName = value }
                    if key == "linkpath" { longLink = value }
                    if key == "size" { throw refuse(E.refusePaxSize.render(["value": String(value)])) }
                }
            }
        case .none, .skip:
            break
        }
        sink = .none
        current = nil
    }

    private var lastSize = 0

    static func cString(_ b: ArraySlice<UInt8>) -> String {
        let end = b.firstIndex(of: 0) ?? b.endIndex
        return String(decoding: b[b.startIndex..<end], as: UTF8.self)
    }

    static func octal(_ b: ArraySlice<UInt8>) -> Int? {
        if let f = b.first, f & 0x80 != 0 { return nil }   // base-256: larger than any bundle member
        var v = 0
        var seen = false
        for c in b {
            if c == 0 || c == 0x20 { if seen { break } else { continue } }
            guard c >= 0x30 && c <= 0x37 else { return nil }
            v = v * 8 + Int(c - 0x30)
            seen = true
            if v > Int(Int32.max) { return nil }
        }
        return v
    }

    private mutating func parse(_ h: [UInt8]) throws {
        if h.allSatisfy({ $0 == 0 }) {
            zeroBlocks += 1
            if members > 0 { finished = true; throw Done() }
            if zeroBlocks >= 2 { throw BundleError(E.bundleEmptyArchive.render(["archive": archive])) }
            return
        }
        zeroBlocks = 0
        // Checksum: the header's bytes with the checksum field as spaces.
        var sum = 0
        for (k, b) in h.enumerated() { sum += (148..<156).contains(k) ? 0x20 : Int(b) }
        guard let stored = Self.octal(h[148..<156]), stored == sum else {
            if members == 0 { throw BundleError(E.bundleNotTar.render(["archive": archive])) }
            throw BundleError(E.bundleBadHeader.render(["archive": archive, "count": String(members)]))
        }
        guard let size = Self.octal(h[124..<136]) else { throw refuse(E.refuseBadSize.id) }
        if size > budget.bytes { throw refuse(E.refuseMemberTooBig.render(["size": String(size), "mib": String(budget.bytes >> 20)])) }
        lastSize = size
        remaining = size
        let type = h[156]
        if type == UInt8(ascii: "L") || type == UInt8(ascii: "K") || type == UInt8(ascii: "x") {
            sink = .collect(type, [])
            current = "extended header"
            if size == 0 { try endMember() }
            return
        }
        if type == UInt8(ascii: "g") {
            sink = .skip
            if size == 0 { try endMember() }
            return
        }
        members += 1
        if members > budget.members {
            throw refuse(E.refuseTooManyMembers.render(["count": String(budget.members)]))
        }
        var name = longName ?? {
            let n = Self.cString(h[0..<100])
            let magic = h[257..<263]
            let prefix = magic.starts(with: Array("ustar".utf8)) && h[263] == 0x30 ? Self.cString(h[345..<500]) : ""
            return prefix.isEmpty ? n : prefix + "/" + n
        }()
        let linkName = longLink ?? Self.cString(h[157..<257])
        longName = nil
        longLink = nil
        if let p = Archive.pathProblem(name, budget: budget) { throw refuse(p) }
        let isDirType = type == UInt8(ascii: "5")
        while name.hasSuffix("/") { name.removeLast() }
        name = HostRoot.normalize(name)
        if name.isEmpty {
            if isDirType { sink = .skip; if size == 0 { try endMember() }; return }   // "./"
            throw refuse(E.refuseDot.id)
        }
        current = name
        // Parents: directories this archive made, never a link or a file.
        let (parent, _) = HostRoot.parent(name)
        var prefix = ""
        for c in parent.split(separator: "/") {
            prefix = prefix.isEmpty ? String(c) : prefix + "/" + c
            if links[prefix] != nil { throw refuse(E.refuseBelowLink.render(["name": name, "link": prefix])) }
            if files.contains(prefix) { throw refuse(E.refuseBelowFile.render(["name": name, "file": prefix])) }
            if !directories.contains(prefix) { try makeDirectory(prefix) }
        }
        let full = dir + "/" + name
        switch type {
        case 0, UInt8(ascii: "0"), UInt8(ascii: "7"):
            if directories.contains(name) || files.contains(name) || links[name] != nil {
                throw refuse(E.refuseTwice.render(["name": name]))
            }
            let fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw BundleError(E.unpackMember.render(["name": name, "archive": archive, "problem": Subprocess.errnoText()])) }
            files.insert(name)
            sink = .file(fd)
        case UInt8(ascii: "5"):
            if files.contains(name) || links[name] != nil { throw refuse(E.refuseTwice.render(["name": name])) }
            if !directories.contains(name) { try makeDirectory(name) }
            sink = .skip
        case UInt8(ascii: "2"):
            if linkName.isEmpty { throw refuse(E.refuseNoTarget.render(["name": name])) }
            if linkName.hasPrefix("/") { throw refuse(E.refuseAbsoluteLink.render(["name": name, "target": linkName])) }
            if directories.contains(name) || files.contains(name) || links[name] != nil {
                throw refuse(E.refuseTwice.render(["name": name]))
            }
            if Archive.resolve(linkName, at: name, links: links) == nil {
                throw refuse(E.refuseLinkOut.render(["name": name, "target": linkName]))
            }
            guard symlink(linkName, full) == 0 else {
                throw BundleError(E.unpackSymlink.render(["name": name, "archive": archive, "problem": Subprocess.errnoText()]))
            }
            links[name] = linkName
            sink = .skip
        case UInt8(ascii: "1"):
            throw refuse(E.refuseHardLink.render(["name": name, "target": linkName]))
        case UInt8(ascii: "3"), UInt8(ascii: "4"):
            throw refuse(E.refuseDevice.render(["name": name]))
        case UInt8(ascii: "6"):
            throw refuse(E.refuseFIFO.render(["name": name]))
        default:
            throw refuse(E.refuseSpecial.render(["name": name, "type": String(UnicodeScalar(type))]))
        }
        if size == 0 { try endMember() }
    }

    /// Closes the file being written when the stream stopped inside it.
    mutating func closeOpenFile() {
        if case .file(let fd) = sink { close(fd) }
        sink = .none
    }

    private mutating func makeDirectory(_ rel: String) throws {
        if mkdir(dir + "/" + rel, 0o755) != 0 && errno != EEXIST {
            let e = errno
            if e == ENAMETOOLONG {
                throw refuse(E.refusePathTooLong.render(["name": String(rel.prefix(80))]))
            }
            throw BundleError(E.unpackDirectory.render(["name": rel, "archive": archive, "problem": CError.text(e)]))
        }
        directories.insert(rel)
    }

    /// After the last member: every link resolves inside the root through the final set of links (a link
    /// written before the one it goes through is checked again here).
    func checkLinks() throws {
        for (p, t) in links.sorted(by: { $0.key < $1.key }) where Archive.resolve(t, at: p, links: links) == nil {
            throw refuse(E.refuseLinkOut.render(["name": p, "target": t]))
        }
    }
}

/// The bundle errors' English templates (translated at the command line by `Translator.error`).
private let E = ErrorStrings.ui
