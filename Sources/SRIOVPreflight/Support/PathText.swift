#if canImport(Glibc)
import Glibc
#endif

/// Path strings and directory listings without Foundation.
public enum PathText {
    /// "/a/b/c" → "/a/b"; "c" → ""; "/c" → "/".
    public static func dirname(_ path: String) -> String {
        var p = Substring(path)
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        guard let slash = p.lastIndex(of: "/") else { return "" }
        if slash == p.startIndex { return "/" }
        return String(p[..<slash])
    }

    /// The names in a directory (no "." or ".."), unsorted; empty when it cannot be listed.
    public static func entries(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let e = readdir(dir) {
            let name = withUnsafePointer(to: &e.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes `path` and, for a directory (never followed through a symbolic link), everything in it.
    /// True when nothing is left; a missing path counts as removed.
    @discardableResult
    public static func removeTree(_ path: String) -> Bool {
        var st = stat()
        guard lstat(path, &st) == 0 else { return errno == ENOENT }
        if st.st_mode & S_IFMT == S_IFDIR {
            var ok = true
            for name in entries(path) where !removeTree(path + "/" + name) { ok = false }
            return ok && rmdir(path) == 0
        }
        return unlink(path) == 0
    }
}
