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
