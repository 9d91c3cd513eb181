import Foundation

/// Locates the project's shared data without copying any of it: the repo root
/// is three levels above this file (<repo>/Tests/PCIAccessTests/SharedData.swift),
/// shared data is `<repoRoot>/../shared`, else `$SRIOV_SHARED`.
enum SharedData {
    static let root: URL? = {
        let repoRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let beside = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
        if isDirectory(beside) { return beside.standardizedFileURL }
        if let env = ProcessInfo.processInfo.environment["SRIOV_SHARED"], !env.isEmpty {
            let url = URL(fileURLWithPath: env)
            if isDirectory(url) { return url.standardizedFileURL }
        }
        return nil
    }()

    static var corpusPCI: URL? { subdirectory("corpus/pci") }
    static var hosts: URL? { subdirectory("hosts") }

    static var isAvailable: Bool { corpusPCI != nil }

    /// Pairs (dump, reference) of every corpus dump and every host's _lab capture.
    static func dumpReferencePairs() -> [(name: String, dump: URL, reference: URL)] {
        var pairs: [(name: String, dump: URL, reference: URL)] = []
        if let corpus = corpusPCI {
            for dump in files(in: corpus).filter({ $0.lastPathComponent.hasSuffix(".lspci-dump.txt") }) {
                let stem = String(dump.lastPathComponent.dropLast(".lspci-dump.txt".count))
                let reference = corpus.appendingPathComponent(stem + ".lspci-vvv.txt")
                if FileManager.default.fileExists(atPath: reference.path) {
                    pairs.append((name: "corpus/" + stem, dump: dump, reference: reference))
                }
            }
        }
        if let hosts {
            for host in files(in: hosts) where isDirectory(host) {
                let lab = host.appendingPathComponent("_lab")
                let reference = lab.appendingPathComponent("lspci-vvv.txt")
                guard FileManager.default.fileExists(atPath: reference.path) else { continue }
                for dump in files(in: lab) where dump.lastPathComponent.hasPrefix("lspci-x") {
                    pairs.append((name: "hosts/\(host.lastPathComponent)/\(dump.lastPathComponent)",
                                  dump: dump, reference: reference))
                }
            }
        }
        return pairs
    }

    private static func subdirectory(_ relative: String) -> URL? {
        guard let root else { return nil }
        let url = root.appendingPathComponent(relative)
        return isDirectory(url) ? url : nil
    }

    static func files(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { directory.appendingPathComponent($0) }
    }

    /// The target of a symlink, real or flattened into a small file holding the link text ("../../devices/…");
    /// nil for anything else.
    static func linkTarget(_ url: URL) -> String? {
        let fm = FileManager.default
        guard let attrs = try? fm.attributesOfItem(atPath: url.path) else { return nil }
        switch attrs[.type] as? FileAttributeType {
        case .typeSymbolicLink?:
            return try? fm.destinationOfSymbolicLink(atPath: url.path)
        case .typeRegular?:
            guard let size = attrs[.size] as? Int, size > 0, size <= 1024,
                  let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
            let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.hasPrefix("../") && !t.contains("\n") ? t : nil
        default:
            return nil
        }
    }

    enum LinkStyle: String, CaseIterable, Sendable { case real, flattened }

    /// A scratch copy of `dirs` of a captured host with every link made `style`: real symlinks (a capture
    /// that kept them) or small files holding the link text (a copy that flattened them). Removed by the caller.
    static func copy(host: URL, dirs: [String] = ["sys", "_lab"], links style: LinkStyle) throws -> URL {
        let fm = FileManager.default
        let dest = Scratch.url("host-\(style.rawValue)")
        func copy(_ src: URL, _ dst: URL) throws {
            let attrs = try fm.attributesOfItem(atPath: src.path)
            if let target = linkTarget(src) {
                switch style {
                case .real: try fm.createSymbolicLink(atPath: dst.path, withDestinationPath: target)
                case .flattened: try Data(target.utf8).write(to: dst)
                }
                return
            }
            switch attrs[.type] as? FileAttributeType {
            case .typeDirectory?:
                try fm.createDirectory(at: dst, withIntermediateDirectories: true)
                for name in try fm.contentsOfDirectory(atPath: src.path) {
                    try copy(src.appendingPathComponent(name), dst.appendingPathComponent(name))
                }
            case .typeRegular?:
                try fm.copyItem(at: src, to: dst)
            default:
                break   // a link that is not a sysfs link text, a special file: not part of the copy
            }
        }
        try fm.createDirectory(at: dest, withIntermediateDirectories: true)
        for d in dirs where fm.fileExists(atPath: host.appendingPathComponent(d).path) {
            try copy(host.appendingPathComponent(d), dest.appendingPathComponent(d))
        }
        return dest
    }

    static func isDirectory(_ url: URL) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &flag) && flag.boolValue
    }
}

/// Where tests put scratch files: tmpfs (/dev/shm) when writable, since sysfs
/// trees are thousands of small files and the disk is slow at creating and
/// discarding them; else the system temp directory.
enum Scratch {
    static let directory: URL = {
        let shm = URL(fileURLWithPath: "/dev/shm")
        return SharedData.isDirectory(shm) && FileManager.default.isWritableFile(atPath: shm.path)
            ? shm : FileManager.default.temporaryDirectory
    }()

    /// A fresh path under `directory`.
    static func url(_ prefix: String, suffix: String = "") -> URL {
        directory.appendingPathComponent("\(prefix)-\(UUID().uuidString)\(suffix)")
    }
}

/// A scratch file with the given contents, removed when the object goes away.
final class ScratchFile {
    let url: URL
    var path: String { url.path }

    init(_ contents: some DataProtocol, suffix: String = ".txt") throws {
        url = Scratch.url("pci-file", suffix: suffix)
        try Data(contents).write(to: url)
    }

    convenience init(text: String, suffix: String = ".txt") throws {
        try self.init(Data(text.utf8), suffix: suffix)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
