import Foundation

/// The `.tar.gz` of a bundle, written and read by the system's GNU tar.
public enum Archive {
    /// One member as `tar -tv` shows it.
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// "-" file, "d" directory, "l" symlink, "h" hard link, anything else special.
        public var type: Character
        public var linkTarget: String?
    }

    /// Packs the entries `names` of `dir` into `output` (gzip), owned by root, sorted by name. The names
    /// go to tar in a NUL-separated list file (`--null -T`), never on its command line: a host with
    /// thousands of PCI functions has more members than a command line holds.
    public static func create(_ output: String, from dir: String, names: [String]) throws {
        let list = output + ".members"
        var bytes: [UInt8] = []
        for n in names { bytes.append(contentsOf: n.utf8); bytes.append(0) }
        try FileOutput.write(bytes, to: list)
        defer { unlink(list) }
        let r = try Subprocess.run("tar", ["--create", "--gzip", "--file", output, "--directory", dir,
                                           "--sort=name", "--owner=0", "--group=0", "--numeric-owner",
                                           "--no-recursion", "--verbatim-files-from", "--null", "--files-from", list])
        guard r.status == 0 else { throw BundleError("tar could not write \(output): \(r.stderr.trimmingWhitespace())") }
    }

    /// The members of `archive`; a file that is not a complete .tar.gz is an error that says so.
    public static func list(_ archive: String) throws -> [Entry] {
        guard FileManager.default.isReadableFile(atPath: archive) else {
            throw BundleError("cannot read bundle \(archive): no such readable file")
        }
        let names = try Subprocess.run("tar", ["--list", "--gzip", "--file", archive])
        guard names.status == 0 else { throw unreadable(archive, names.stderr) }
        let verbose = try Subprocess.run("tar", ["--list", "--verbose", "--gzip", "--file", archive])
        guard verbose.status == 0 else { throw unreadable(archive, verbose.stderr) }
        let nameLines = lines(names.stdout)
        let verboseLines = lines(verbose.stdout)
        guard nameLines.count == verboseLines.count else {
            throw BundleError("\(archive): cannot list the bundle's members consistently")
        }
        var entries: [Entry] = []
        for (name, line) in zip(nameLines, verboseLines) {
            guard let type = line.first else { throw BundleError("\(archive): unreadable member listing") }
            var target: String?
            if type == "l" || type == "h" {
                let sep = type == "l" ? " -> " : " link to "
                guard let r = line.range(of: name + sep) else {
                    throw BundleError("\(archive): cannot read the link target of member '\(name)'")
                }
                target = String(line[r.upperBound...])
            }
            entries.append(Entry(name: name, type: type, linkTarget: target))
        }
        if entries.isEmpty { throw BundleError("\(archive): the archive is empty, not a support bundle") }
        return entries
    }

    /// Why an archive is refused, or nil when every member is safe to unpack: members are relative paths
    /// without `..`, files, directories or symlinks whose target is relative, and never below a symlink.
    public static func problem(_ entries: [Entry]) -> String? {
        let links = Set(entries.filter { $0.type == "l" }.map { HostRoot.normalize($0.name) })
        for e in entries {
            if e.name.hasPrefix("/") { return "member '\(e.name)' has an absolute path" }
            let comps = e.name.split(separator: "/")
            if comps.contains("..") { return "member '\(e.name)' has a '..' component" }
            switch e.type {
            case "-", "d": break
            case "l":
                guard let t = e.linkTarget, !t.isEmpty else { return "symlink '\(e.name)' has no target" }
                if t.hasPrefix("/") { return "symlink '\(e.name)' points to the absolute path '\(t)'" }
            case "h": return "member '\(e.name)' is a hard link"
            default: return "member '\(e.name)' is a special file (type '\(e.type)')"
            }
            // A member below a symlink member would be written through the link.
            var prefix = ""
            for c in comps.dropLast() {
                prefix = prefix.isEmpty ? String(c) : prefix + "/" + c
                if links.contains(HostRoot.normalize(prefix)) { return "member '\(e.name)' lies below the symlink '\(prefix)'" }
            }
        }
        return nil
    }

    /// Lists, checks and unpacks `archive` into the existing directory `dir`.
    public static func extract(_ archive: String, into dir: String) throws {
        let entries = try list(archive)
        if let p = problem(entries) { throw BundleError("refusing bundle \(archive): \(p)") }
        let r = try Subprocess.run("tar", ["--extract", "--gzip", "--file", archive, "--directory", dir,
                                           "--no-same-owner", "--no-same-permissions", "--no-overwrite-dir"])
        guard r.status == 0 else { throw unreadable(archive, r.stderr) }
    }

    static func lines(_ data: Data) -> [String] {
        String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    static func unreadable(_ archive: String, _ stderr: String) -> BundleError {
        let why = stderr.split(separator: "\n").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
            .prefix(2).joined(separator: "; ")
        return BundleError("\(archive) is not a readable .tar.gz support bundle (truncated or not an archive): \(why)")
    }
}
