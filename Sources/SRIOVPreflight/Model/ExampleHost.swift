/// A host written down in code: the example hosts of check descriptions, and test fixtures.
/// Optionally layered over a captured host root (`base`), with files added, replaced or removed.
public struct ExampleHost: Sendable {
    public var label: String
    /// Name of a captured host root the example is layered over (resolved by the caller, see `root(baseDir:)`).
    public var base: String?
    public var nodes: [String: MemoryBackend.Node] = [:]
    /// The example stands for the live host: what it does not hold is absent from the host (a verdict),
    /// not missing from a capture. Its files are still read from memory: no /dev/kmsg, uname or libpci.
    public var isLiveEvidence = false

    public init(_ label: String, base: String? = nil) {
        self.label = label
        self.base = base
    }

    public func named(_ label: String) -> ExampleHost {
        var h = self
        h.label = label
        return h
    }

    public func file(_ path: String, _ text: String) -> ExampleHost {
        bytes(path, Array(text.utf8))
    }

    public func bytes(_ path: String, _ bytes: [UInt8]) -> ExampleHost {
        var h = self
        h.nodes[HostRoot.normalize(path)] = .file(bytes)
        return h
    }

    public func link(_ path: String, _ target: String) -> ExampleHost {
        var h = self
        h.nodes[HostRoot.normalize(path)] = .link(target)
        return h
    }

    public func dir(_ path: String) -> ExampleHost {
        var h = self
        h.nodes[HostRoot.normalize(path)] = .directory
        return h
    }

    public func unreadable(_ path: String, _ error: FSError = .permissionDenied) -> ExampleHost {
        var h = self
        h.nodes[HostRoot.normalize(path)] = .unreadable(error)
        return h
    }

    /// The same host as the live host would show it: absence becomes a verdict (see `isLiveEvidence`).
    public func live() -> ExampleHost {
        var h = self
        h.isLiveEvidence = true
        return h
    }

    /// Removes a path and everything below it.
    public func removing(_ path: String) -> ExampleHost {
        var h = self
        let p = HostRoot.normalize(path)
        for key in h.nodes.keys where key == p || key.hasPrefix(p + "/") { h.nodes[key] = nil }
        h.nodes[p] = .removed
        return h
    }

    /// Applies `edit` to the text of a file the example already holds.
    public func editing(_ path: String, _ edit: (String) -> String) -> ExampleHost {
        let p = HostRoot.normalize(path)
        guard case .file(let b)? = nodes[p] else { return self }
        return file(p, edit(String(decoding: b, as: UTF8.self)))
    }

    /// The example as a host root. `baseDir` is the directory holding the captured roots named by `base`.
    public func root(baseDir: String? = nil) -> HostRoot {
        var under: FSBackend?
        if let base, let baseDir { under = DiskBackend(base: baseDir + "/" + base) }
        return HostRoot(backend: MemoryBackend(label: "example host '\(label)'", nodes: nodes, over: under),
                        evidence: isLiveEvidence ? .live : .hostRoot)
    }
}

#if canImport(Glibc)
import Glibc
#endif

extension ExampleHost {
    /// Writes the example (files, symlinks, directories) into `dir` on disk, as a host root.
    public func materialize(at dir: String) throws {
        var w = SafeWriter(base: dir)
        mkdir(dir, 0o755)
        for (path, node) in nodes.sorted(by: { $0.key < $1.key }) {
            switch node {
            case .file(let b): try w.write(path, b)
            case .directory: try w.makeParents(path + "/x")
            case .link(let t):
                try w.makeParents(path)
                unlink(w.full(path))
                if symlink(t, w.full(path)) != 0 { throw SafeWriter.Refusal("cannot link \(path)") }
            case .unreadable, .removed: continue
            }
        }
    }
}
