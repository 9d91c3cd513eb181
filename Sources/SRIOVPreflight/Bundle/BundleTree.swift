#if canImport(Glibc)
import Glibc
#endif

/// What goes into a bundle before it is written: a host root in memory (files, symlinks, directories,
/// all at canonical root-relative paths), the extra top-level documents, and what could not be read.
public struct BundleTree: Sendable {
    public var files: [String: [UInt8]] = [:]
    public var links: [String: String] = [:]
    public var directories: Set<String> = []
    /// Root-relative path → why it could not be read (absent files are not listed: absence is a fact too).
    public var unreadable: [String: FSError] = [:]

    public init() {}

    /// Every path the tree names, sorted.
    public var allPaths: [String] {
        (Array(files.keys) + Array(links.keys) + Array(directories)).sorted()
    }

    /// Writes the tree under `dir` (which must exist): directories 0755, files 0644, symlinks as symlinks.
    public func write(into dir: String) throws {
        func make(_ rel: String) throws {
            var path = dir
            for c in rel.split(separator: "/") {
                path += "/" + c
                if mkdir(path, 0o755) != 0 && errno != EEXIST {
                    throw BundleError(ErrorStrings.ui.writeCannotCreate.render(["path": path, "problem": CError.text(errno)]))
                }
            }
        }
        for d in directories.sorted() { try make(d) }
        for (path, bytes) in files.sorted(by: { $0.key < $1.key }) {
            let (parent, _) = HostRoot.parent(path)
            try make(parent)
            let full = dir + "/" + path
            do { try FileOutput.write(bytes, to: full) } catch { throw BundleError(ErrorStrings.ui.writeCannotWrite.render(["path": full, "problem": "\(error)"])) }
        }
        for (path, target) in links.sorted(by: { $0.key < $1.key }) {
            let (parent, _) = HostRoot.parent(path)
            try make(parent)
            let full = dir + "/" + path
            if symlink(target, full) != 0 {
                throw BundleError(ErrorStrings.ui.bundleCannotLink.render(["path": full, "target": target, "problem": CError.text(errno)]))
            }
        }
    }
}
