#if canImport(Glibc)
import Glibc
#endif
import PCIAccess

/// `sriov-preflight bundle`: a host root holding every file the catalog reads, with the reports of the
/// host, an `lspci -xxxx` dump of its config spaces and a manifest, as one `.tar.gz`; and the way back
/// (`check --bundle`): list, refuse unsafe members, unpack into a temporary directory.
public enum SupportBundle {
    public struct Summary: Sendable {
        public var output: String
        public var bytes: Int
        public var files: Int
        public var unreadable: Int
        public var durationMs: Double
        /// Where the redaction mapping was written (with `--redact`).
        public var redactionMap: String?
    }

    /// The mapping of a redacted bundle lives beside it, on the host, never inside it.
    public static func redactionMapPath(for output: String) -> String { output + ".redaction-map.json" }

    public static func create(root: HostRoot, output: String, redact: Bool,
                              progress: (String) -> Void = { _ in }) throws -> Summary {
        let t0 = Engine.monotonicMs()
        progress("checking the host")
        // The snapshot is read through a recorder; the bundle is what it read.
        let recorder = FileRecorder(keepContents: true)
        let recording = root.recording(into: recorder)
        let (report, snapshot) = Report.run(root: recording)
        BundleCollector.readLiveSubstitutes(recording)
        progress("collecting what the checks read")
        var tree = BundleCollector.tree(from: recorder, backend: root.backend, isLive: root.isLive)
        var extra: [String: [UInt8]] = [:]
        extra["report.json"] = Array(try JSONReporter().render(report).utf8)
        extra["report.xml"] = Array(try JUnitReporter.render(report).utf8)
        let configs: [(address: PCIAddress, config: [UInt8])] = snapshot.pci.functions.compactMap { f in
            guard let a = PCIAddress(f.address), case .success(let b) = f.config else { return nil }
            return (a, b)
        }
        extra["lspci-xxxx.txt"] = Array(SyntheticConfig.lspciDump(configs).utf8)
        var redactor: Redactor?
        if redact {
            progress("redacting")
            let r = Redactor()
            tree = r.redact(tree)
            for k in ["report.json", "report.xml"] { extra[k] = r.redactBytes(extra[k]!) }
            redactor = r
        }
        for k in extra.keys where tree.files[k] != nil || tree.links[k] != nil || tree.directories.contains(k) {
            throw BundleError(ErrorStrings.ui.bundleRootReserved.render(["name": k]))
        }
        progress("writing \(output)")
        let stage = try makeTemporaryDirectory("spf-bundle")
        defer { removeTemporaryDirectory(stage) }
        try tree.write(into: stage)
        for (name, bytes) in extra { try FileOutput.write(bytes, to: "\(stage)/\(name)") }
        let manifest = Manifest.render(tree: tree, extra: extra, rootLabel: root.label,
                                       redacted: redact, created: report.timestamp + "Z")
        try FileOutput.write(manifest, to: "\(stage)/\(Manifest.name)")
        // Every member, parents included (tar runs without recursion: exactly these names).
        var names = Set(extra.keys)
        names.insert(Manifest.name)
        for p in tree.allPaths {
            var prefix = ""
            for c in p.split(separator: "/") {
                prefix = prefix.isEmpty ? String(c) : prefix + "/" + c
                names.insert(prefix)
            }
        }
        let tmp = output + ".tmp-\(getpid())"
        do {
            try Archive.create(tmp, from: stage, names: names.sorted())
            guard rename(tmp, output) == 0 else { throw BundleError(ErrorStrings.ui.writeCannotWrite.render(["path": output, "problem": CError.text(errno)])) }
        } catch {
            unlink(tmp)
            throw error
        }
        var mapPath: String?
        if let redactor {
            let path = redactionMapPath(for: output)
            try FileOutput.write(redactor.mappingJSON, to: path, mode: 0o600)
            mapPath = path
        }
        var st = stat()
        let size = stat(output, &st) == 0 ? Int(st.st_size) : 0
        return Summary(output: output, bytes: size, files: tree.files.count + extra.count + 1,
                       unreadable: tree.unreadable.count, durationMs: Engine.monotonicMs() - t0,
                       redactionMap: mapPath)
    }

    /// Unpacks a bundle into a new temporary directory (the caller removes it with
    /// `removeTemporaryDirectory`). Unsafe or unreadable archives are refused with a clear error.
    public static func unpack(_ archive: String, budget: Archive.Budget = Archive.Budget()) throws -> String {
        let dir = try makeTemporaryDirectory("spf-replay")
        do {
            try Archive.extract(archive, into: dir, budget: budget)
        } catch {
            removeTemporaryDirectory(dir)
            throw error
        }
        return dir
    }

    /// The host root of an unpacked bundle: its files, with the paths the manifest lists as unreadable
    /// answering with the error the host gave.
    public static func root(ofUnpacked dir: String) -> HostRoot {
        let disk = DiskBackend(base: dir)
        let (recordedRoot, errors) = Manifest.read(in: dir)
        // A bundle recorded from the live host holds every path its facts asked for: what is not in it was
        // not on the host. A bundle of a capture is as complete as that capture was.
        let fromLive = recordedRoot == "/"
        if errors.isEmpty { return HostRoot(backend: disk, evidence: .bundle, absenceIsVerdict: fromLive) }
        return HostRoot(backend: MemoryBackend(label: dir, nodes: errors.mapValues { .unreadable($0) }, over: disk),
                        evidence: .bundle, absenceIsVerdict: fromLive)
    }

    public static func makeTemporaryDirectory(_ tag: String) throws -> String {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/\(tag).XXXXXX".utf8CString)
        guard let p = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw BundleError(ErrorStrings.ui.bundleNoTemporaryDirectory.render(["dir": base, "problem": CError.text(errno)]))
        }
        return String(cString: p)
    }

    public static func removeTemporaryDirectory(_ dir: String) {
        if !PathText.removeTree(dir) {
            // An archive may have carried read-only directories: make them writable, then remove.
            _ = try? Subprocess.run("chmod", ["-R", "u+rwX", "--", dir])
            _ = PathText.removeTree(dir)
        }
    }
}
