#if canImport(Glibc)
import Glibc
#endif

/// MANIFEST.json of a bundle: every member with its size and sha256 (symlinks with their target), the tool
/// and its version, when and from which root it was made, and what could not be read and why (a replay
/// answers those paths with the same error).
public enum Manifest {
    public static let name = "MANIFEST.json"

    /// The manifest of a bundle holding `tree` and the top-level documents `extra`.
    static func render(tree: BundleTree, extra: [String: [UInt8]], rootLabel: String,
                       redacted: Bool, created: String) -> String {
        var files: [JSON] = []
        for p in (Array(tree.files.keys) + Array(extra.keys)).sorted() {
            let bytes = tree.files[p] ?? extra[p] ?? []
            files.append(.object(["path": .string(p), "type": .string("file"), "size": .num(bytes.count),
                                  "sha256": .string(SHA256.hex(bytes))]))
        }
        for (p, t) in tree.links.sorted(by: { $0.key < $1.key }) {
            files.append(.object(["path": .string(p), "type": .string("symlink"), "target": .string(t)]))
        }
        let unreadable: [JSON] = tree.unreadable.sorted(by: { $0.key < $1.key }).map {
            .object(["path": .string($0.key), "error": .string($0.value.code), "reason": .string($0.value.description)])
        }
        let obj: [String: JSON] = [
            "tool": .object(["name": .string(Tool.name), "version": .string(Tool.version)]),
            "created": .string(created),
            "root": .string(rootLabel),
            "redacted": .bool(redacted),
            "files": .array(files),
            "directories": .num(tree.directories.count),
            "unreadable": .array(unreadable),
        ]
        return JSON.object(obj).serialized()
    }

    /// The `unreadable` entries of an unpacked bundle's manifest (path → error); empty when there is none.
    static func unreadable(in dir: String) -> [String: FSError] { read(in: dir).unreadable }

    /// The root a bundle was recorded from (`/` for the live host) and its `unreadable` entries.
    static func read(in dir: String) -> (root: String?, unreadable: [String: FSError]) {
        guard let data = try? FileInput.read("\(dir)/\(name)", limit: 64 << 20),
              let obj = try? JSON.parse(data) else { return (nil, [:]) }
        return (obj["root"]?.stringValue, unreadable(obj))
    }

    static func unreadable(_ obj: JSON) -> [String: FSError] {
        guard let list = obj["unreadable"]?.arrayValue else { return [:] }
        var out: [String: FSError] = [:]
        for e in list {
            guard let p = e["path"]?.stringValue else { continue }
            let path = HostRoot.normalize(p)
            guard !path.isEmpty, !path.split(separator: "/").contains("..") else { continue }
            out[path] = FSError(code: e["error"]?.stringValue ?? "io", reason: e["reason"]?.stringValue ?? "unreadable")
        }
        return out
    }
}
