import Foundation

/// MANIFEST.json of a bundle: every member with its size and sha256 (symlinks with their target), the tool
/// and its version, when and from which root it was made, and what could not be read and why.
public enum Manifest {
    public static let name = "MANIFEST.json"

    /// sha256 of each file (paths relative to `dir`), through `sha256sum --zero` in batches.
    static func sha256(_ paths: [String], in dir: String) throws -> [String: String] {
        var sums: [String: String] = [:]
        var start = 0
        while start < paths.count {
            let batch = Array(paths[start..<min(start + 2000, paths.count)])
            start += batch.count
            let r = try Subprocess.run("sha256sum", ["--zero", "--"] + batch, in: dir)
            guard r.status == 0 else { throw BundleError("sha256sum failed: \(r.stderr.trimmingWhitespace())") }
            for record in r.stdout.split(separator: 0) {
                let s = String(decoding: record, as: UTF8.self)
                guard s.count > 66 else { continue }
                let hash = String(s.prefix(64))
                var rest = s.dropFirst(64)
                rest = rest.dropFirst(2)  // "  " (text mode) or " *" (binary mode)
                sums[String(rest)] = hash
            }
        }
        return sums
    }

    /// The manifest of the staged bundle in `dir`; `tree` is the host root that was staged there, `extra`
    /// the top-level documents beside it.
    static func render(tree: BundleTree, extra: [String: [UInt8]], dir: String, rootLabel: String,
                       redacted: Bool, created: String) throws -> String {
        let filePaths = (Array(tree.files.keys) + Array(extra.keys)).sorted()
        let sums = try sha256(filePaths, in: dir)
        var files: [JSON] = []
        for p in filePaths {
            let size = tree.files[p]?.count ?? extra[p]?.count ?? 0
            files.append(.object(["path": .string(p), "type": .string("file"), "size": .num(size),
                                  "sha256": .str(sums[p])]))
        }
        for (p, t) in tree.links.sorted(by: { $0.key < $1.key }) {
            files.append(.object(["path": .string(p), "type": .string("symlink"), "target": .string(t)]))
        }
        let unreadable: [JSON] = tree.unreadable.sorted(by: { $0.key < $1.key }).map {
            .object(["path": .string($0.key), "reason": .string($0.value)])
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
}
