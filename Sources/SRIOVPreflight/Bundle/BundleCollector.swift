/// Builds the host tree of a bundle from the record of what the snapshot read (`FileRecorder`): no list of
/// its own, so the bundle is what the facts read, and a replay of it asks the same questions and gets the
/// same answers.
///
/// - A file a fact read is stored with the bytes the fact saw (`lib/modules/*/modules.alias` only with
///   its `alias pci:` lines, the only ones the facts use).
/// - A link a fact followed or read (a real symlink, or a link a capture flattened into a file) is stored
///   as a symlink with its target; an absolute target, or one climbing above the root, is rewritten to the
///   relative target that names the same place inside the root (as HostRoot resolved it), so the bundle
///   holds no link that leaves it.
/// - A directory a fact listed or looked at is stored, and every entry the listing gave is there too: an
///   entry nothing else read is an empty placeholder of its kind (file, directory or link), so a replay
///   lists the same names.
/// - A file whose existence only was asked is an empty placeholder.
/// - What could not be read is not stored; its path and reason go to the manifest (`unreadable`), and a
///   replay answers it with the same error.
/// - The kernel log of a live host (/dev/kmsg, else syslog(2)) is stored as `var/log/dmesg`; a live host's
///   bundle also holds the files a replay reads in place of the live host's system calls (kernel release,
///   hostname).
public enum BundleCollector {
    /// Files the facts of a host root read where a live host asks the kernel (uname, gethostname).
    static let liveSubstitutes = ["proc/sys/kernel/osrelease", "proc/version", "proc/sys/kernel/hostname",
                                  "etc/hostname"]

    /// Reads, through the recording `root`, what a replay of a live host needs besides the facts' reads.
    public static func readLiveSubstitutes(_ root: HostRoot) {
        guard root.isLive else { return }
        for p in liveSubstitutes { _ = root.read(p, limit: 65536) }
    }

    /// The bundle tree of `record`; `backend` is the root it was recorded from (for the kind of listed
    /// entries nothing else read).
    public static func tree(from record: FileRecorder, backend: FSBackend, isLive: Bool) -> BundleTree {
        var tree = BundleTree()
        let reads = record.reads
        let links = record.links
        // Links first: a path that is a link is stored as one, never as the file holding its text.
        for (p, t) in links where !p.isEmpty {
            tree.links[p] = relativeTarget(t, at: p)
        }
        for (p, r) in reads where tree.links[p] == nil && !p.isEmpty {
            if let e = r.error {
                switch e {
                case .missing, .notADirectory, .isADirectory: break
                default: tree.unreadable[p] = e
                }
                continue
            }
            if r.probeOnly {
                tree.files[p] = []
            } else {
                var bytes = r.bytes ?? []
                if isModulesAlias(p) { bytes = pciAliases(bytes) }
                tree.files[p] = bytes
            }
        }
        for (p, k) in record.kinds where k == .directory && !p.isEmpty { tree.directories.insert(p) }
        for (p, k) in record.kinds where k == .other && !p.isEmpty && tree.links[p] == nil {
            tree.unreadable[p] = .io("special file: not copied")
        }
        for (p, k) in record.stats where !p.isEmpty && tree.links[p] == nil {
            if k == .directory { tree.directories.insert(p) } else if k == .file, tree.files[p] == nil,
                tree.unreadable[p] == nil { tree.files[p] = [] }
        }
        for (d, r) in record.lists {
            switch r {
            case .success(let names):
                if !d.isEmpty { tree.directories.insert(d) }
                for n in names {
                    let p = d.isEmpty ? n : "\(d)/\(n)"
                    if tree.files[p] != nil || tree.links[p] != nil || tree.directories.contains(p)
                        || tree.unreadable[p] != nil || record.lists[p] != nil { continue }
                    switch backend.kind(p) {
                    case .directory?: tree.directories.insert(p)
                    case .link?:
                        if let t = backend.readLink(p) { tree.links[p] = relativeTarget(t, at: p) } else { tree.files[p] = [] }
                    default: tree.files[p] = []
                    }
                }
            case .failure(let e):
                switch e {
                case .missing, .notADirectory: break
                default: tree.unreadable[d] = e
                }
            }
        }
        // The live kernel log is stored as the log a host root has.
        if isLive {
            tree.files["dev/kmsg"] = nil
            tree.unreadable["dev/kmsg"] = nil
            if let b = reads["dev/kmsg"]?.bytes, !b.isEmpty {
                tree.files["var/log/dmesg"] = b
            } else {
                let log = LiveKernelLog.read(HostRoot(backend: backend, isLive: true))
                if let b = log.bytes { tree.files["var/log/dmesg"] = b } else { tree.unreadable["var/log/dmesg"] = .io(log.reason) }
            }
        }
        // A file never lies below a stored link or file (the link is what the host had there).
        let blockers = Set(tree.links.keys).union(tree.files.keys)
        func underBlocker(_ p: String) -> Bool {
            var prefix = ""
            for c in p.split(separator: "/").dropLast() {
                prefix = prefix.isEmpty ? String(c) : prefix + "/" + c
                if blockers.contains(prefix) { return true }
            }
            return false
        }
        tree.files = tree.files.filter { !underBlocker($0.key) }
        tree.links = tree.links.filter { !underBlocker($0.key) }
        tree.directories = tree.directories.filter { !underBlocker($0) && !blockers.contains($0) }
        tree.unreadable = tree.unreadable.filter { !underBlocker($0.key) }
        return tree
    }

    static func isModulesAlias(_ p: String) -> Bool {
        p.hasPrefix("lib/modules/") && p.hasSuffix("/modules.alias")
    }

    /// Only the PCI aliases: the module facts use nothing else, and they are a fraction of the size.
    static func pciAliases(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        let prefix = Array("alias pci:".utf8)
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: true) where line.starts(with: prefix) {
            out.append(contentsOf: line)
            out.append(0x0A)
        }
        return out
    }

    /// The target to store for the link at `path`: the text as it is when it is relative and stays inside
    /// the root; otherwise (absolute, or `..` past the top, which HostRoot stops at the root) the relative
    /// path from the link's directory to the place HostRoot resolved it to.
    static func relativeTarget(_ target: String, at path: String) -> String {
        let parent = HostRoot.parent(path).0.split(separator: "/").map(String.init)
        var stack = target.hasPrefix("/") ? [] : parent
        var climbsOut = target.hasPrefix("/")
        for c in target.split(separator: "/") {
            if c == "." { continue }
            if c == ".." {
                if stack.isEmpty { climbsOut = true } else { stack.removeLast() }
                continue
            }
            stack.append(String(c))
        }
        if !climbsOut { return target }
        // Common prefix of the link's directory and the resolved place, then ../ for the rest.
        var common = 0
        while common < parent.count, common < stack.count, parent[common] == stack[common] { common += 1 }
        let up = Array(repeating: "..", count: parent.count - common)
        let rel = (up + stack[common...]).joined(separator: "/")
        return rel.isEmpty ? "." : rel
    }
}
