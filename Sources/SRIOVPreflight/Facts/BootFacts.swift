
/// Where the next boot's kernel command line is configured, and what it says.
public struct BootFacts: Sendable {
    /// One place that configures kernel arguments.
    public struct Source: Sendable, Equatable {
        /// Root-relative file ("etc/default/grub", "boot/loader/entries/x.conf").
        public var file: String
        /// The setting ("GRUB_CMDLINE_LINUX", "options").
        public var key: String
        public var value: String
    }

    public var sources: [Source] = []
    /// Why no boot configuration was found (nil when one was).
    public var unavailable: String?
    /// Tools present on the host that regenerate or edit it.
    public var hasGrubby = false

    /// The configured kernel arguments for the next boot, all sources together.
    public var configured: KernelCmdline {
        KernelCmdline(sources.map(\.value).joined(separator: " "))
    }

    static func collect(_ root: HostRoot, release: String?) -> BootFacts {
        var facts = BootFacts()
        var reasons: [String] = []
        // Debian/Ubuntu and older RHEL: /etc/default/grub, then /etc/default/grub.d/*.cfg (sourced after it).
        var files = ["etc/default/grub"]
        files += root.entries("etc/default/grub.d").filter { $0.hasSuffix(".cfg") }.map { "etc/default/grub.d/\($0)" }
        var vars: [String: String] = [:]
        var sawGrub = false
        for f in files {
            switch root.text(f) {
            case .success(let text):
                sawGrub = true
                for (key, value) in parseShellAssignments(text, vars: &vars)
                where key == "GRUB_CMDLINE_LINUX" || key == "GRUB_CMDLINE_LINUX_DEFAULT" {
                    facts.sources.removeAll { $0.key == key }
                    facts.sources.append(Source(file: f, key: key, value: value))
                }
            case .failure(let e):
                if f == "etc/default/grub" { reasons.append("etc/default/grub: \(e)") }
            }
        }
        if !sawGrub { facts.sources = [] }

        // BLS (Fedora/RHEL 8+): boot/loader/entries/*.conf `options`, `$kernelopts` from grubenv.
        let entries = root.entries("boot/loader/entries").filter { $0.hasSuffix(".conf") }
        var kernelopts: String?
        for env in ["boot/grub2/grubenv", "boot/efi/EFI/redhat/grubenv"] {
            if case .success(let t) = root.text(env) {
                for line in t.lines where line.hasPrefix("kernelopts=") {
                    kernelopts = String(line.dropFirst("kernelopts=".count))
                }
                break
            }
        }
        var blsChosen: [Source] = []
        for e in entries {
            let path = "boot/loader/entries/\(e)"
            guard case .success(let t) = root.text(path) else { continue }
            var options: String?
            var linux = ""
            for line in t.lines {
                let parts = line.split(separator: " ", maxSplits: 1)
                guard parts.count == 2 else { continue }
                if parts[0] == "options" { options = String(parts[1]) }
                if parts[0] == "linux" { linux = String(parts[1]) }
            }
            guard var opts = options else { continue }
            if let ko = kernelopts { opts = opts.replacing("$kernelopts", with: ko) }
            let src = Source(file: path, key: "options", value: opts)
            if let r = release, linux.hasSuffix(r) { blsChosen = [src]; break }
            if blsChosen.isEmpty { blsChosen = [src] }
        }
        if !blsChosen.isEmpty {
            // With BLS, the entry's options are the whole command line; GRUB_CMDLINE_LINUX only seeds new entries.
            facts.sources = blsChosen
        } else if entries.isEmpty == false {
            reasons.append("boot/loader/entries: no entry with an options line")
        }
        if facts.sources.isEmpty && !sawGrub {
            reasons.append("boot/loader/entries: absent")
            facts.unavailable = reasons.joined(separator: "; ")
        }
        facts.hasGrubby = root.exists("usr/sbin/grubby") || root.exists("sbin/grubby")
        return facts
    }

    /// `KEY="value"` lines of a shell file, with `$VAR`/`${VAR}` expanded from earlier lines.
    static func parseShellAssignments(_ text: String, vars: inout [String: String]) -> [(String, String)] {
        var out: [(String, String)] = []
        for raw in text.lines {
            var line = raw.trimmingCharacters()
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)) }
            guard !line.hasPrefix("#"), let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<eq])
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { continue }
            let value = expandShellValue(String(line[line.index(after: eq)...]), vars)
            vars[key] = value
            out.append((key, value))
        }
        return out
    }

    static func expandShellValue(_ v: String, _ vars: [String: String]) -> String {
        var out = ""
        var quote: Character?
        var i = v.startIndex
        while i < v.endIndex {
            let c = v[i]
            if quote == nil && (c == "\"" || c == "'") { quote = c; i = v.index(after: i); continue }
            if let q = quote, c == q { quote = nil; i = v.index(after: i); continue }
            if quote == nil && c == "#" { break }
            if quote == nil && (c == " " || c == "\t") && out.isEmpty == false {
                // an unquoted space ends the value (the rest would be a command)
                break
            }
            if c == "$" && quote != "'" {
                var j = v.index(after: i)
                var name = ""
                if j < v.endIndex && v[j] == "{" {
                    j = v.index(after: j)
                    while j < v.endIndex && v[j] != "}" { name.append(v[j]); j = v.index(after: j) }
                    if j < v.endIndex { j = v.index(after: j) }
                } else {
                    while j < v.endIndex && (v[j].isLetter || v[j].isNumber || v[j] == "_") {
                        name.append(v[j]); j = v.index(after: j)
                    }
                }
                if !name.isEmpty { out += vars[name] ?? ""; i = j; continue }
            }
            if c == "\\" && quote != "'", v.index(after: i) < v.endIndex {
                i = v.index(after: i)
                out.append(v[i])
                i = v.index(after: i)
                continue
            }
            out.append(c)
            i = v.index(after: i)
        }
        return out
    }
}
