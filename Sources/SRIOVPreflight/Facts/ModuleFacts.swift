/// Kernel modules: loaded, built in, installed, their parameters, and what modprobe.d configures.
public struct ModuleFacts: Sendable {
    /// `options MODULE key=value` (or `blacklist MODULE`) from a modprobe.d file, with where it stands.
    public struct ModprobeOption: Sendable, Equatable {
        public var file: String
        public var line: Int
        public var module: String
        public var key: String
        public var value: String

        public var location: String { "\(file):\(line)" }
    }

    public var loaded: Fact<Set<String>>
    /// false: the kernel has no loadable-module support (proc/modules is absent where proc/cmdline is present);
    /// true: proc/modules was read; nil: cannot tell.
    public var loadableModules: Bool?
    public var builtin: Set<String> = []
    /// Entries of sys/module: loaded modules and built-in ones that have parameters.
    public var sysModules: Set<String> = []
    /// Why sys/module could not be listed (nil when it could).
    public var sysModuleProblem: FSError?
    public var installed: Set<String> = []
    /// Why lib/modules/<release> could not be read (nil when it could).
    public var moduleTreeProblem: String?
    /// `MODULE.param` → value, for the parameters the checks use (absent when the module is not loaded).
    public var parameters: [String: Fact<String>] = [:]
    public var modprobeOptions: [ModprobeOption] = []
    public var blacklisted: [ModprobeOption] = []
    /// `alias pci:…` patterns of modules.alias, in file order (pattern, module).
    public var pciAliases: [(String, String)] = []

    public static let watchedParameters = [
        "vfio_iommu_type1.allow_unsafe_interrupts",
        "iommufd.allow_unsafe_interrupts",
        "vfio.enable_unsafe_noiommu_mode",
    ]

    /// Module names compare with `-` and `_` alike.
    public static func normalize(_ name: String) -> String {
        String(name.map { $0 == "-" ? "_" : $0 })
    }

    /// "loaded", "built in", "installed" or nil.
    public func state(_ module: String) -> String? {
        let m = Self.normalize(module)
        if loaded.value?.contains(m) == true { return "loaded" }
        if builtin.contains(m) { return "built in" }
        if sysModules.contains(m) && (loaded.value == nil || !loaded.value!.contains(m)) && !installed.contains(m) { return "built in" }
        if installed.contains(m) { return "installed" }
        return nil
    }

    /// The modprobe.d options for `module.key`, last one wins (as modprobe applies them).
    public func configured(_ module: String, _ key: String) -> ModprobeOption? {
        let m = Self.normalize(module)
        return modprobeOptions.last { $0.module == m && $0.key == key }
    }

    static func collect(_ root: HostRoot, release: String?) -> ModuleFacts {
        let procModules = root.text("proc/modules")
        var facts: ModuleFacts
        switch procModules {
        case .success(let text):
            facts = ModuleFacts(loaded: .known(Set(text.lines.compactMap { $0.split(separator: " ").first.map { normalize(String($0)) } }),
                                               source: "proc/modules"), loadableModules: true)
        case .failure(let e):
            facts = ModuleFacts(loaded: .unknown(source: "proc/modules", reason: e.description))
            // On the live host (or a record of it) a kernel without loadable modules has no proc/modules; a
            // capture without it says nothing.
            if e == .missing && root.absenceIsVerdict && root.exists("proc/cmdline") { facts.loadableModules = false }
        }
        switch root.list("sys/module") {
        case .success(let names): facts.sysModules = Set(names.map(normalize))
        case .failure(let e): facts.sysModuleProblem = e
        }
        if let r = release {
            let dir = "lib/modules/\(r)"
            func names(_ file: String, _ line: (Substring) -> Substring?) -> Set<String>? {
                guard case .success(let t) = root.text("\(dir)/\(file)") else { return nil }
                var set = Set<String>()
                for l in t.lines {
                    guard let path = line(l), let base = path.split(separator: "/").last else { continue }
                    var n = String(base)
                    for ext in [".ko.xz", ".ko.zst", ".ko.gz", ".ko"] where n.hasSuffix(ext) { n.removeLast(ext.count); break }
                    set.insert(normalize(n))
                }
                return set
            }
            facts.builtin = names("modules.builtin") { $0 } ?? []
            if let dep = names("modules.dep", { $0.split(separator: ":", maxSplits: 1).first }) {
                facts.installed = dep
            } else {
                facts.moduleTreeProblem = "\(dir)/modules.dep: \(root.read("\(dir)/modules.dep", limit: 1).failureDescription)"
            }
            if case .success(let t) = root.text("\(dir)/modules.alias") {
                for l in t.lines where l.hasPrefix("alias pci:") {
                    let parts = l.split(separator: " ")
                    if parts.count >= 3 { facts.pciAliases.append((String(parts[1]), normalize(String(parts[2])))) }
                }
            }
        } else {
            facts.moduleTreeProblem = "kernel release unknown"
        }
        for p in watchedParameters {
            let parts = p.split(separator: ".").map(String.init)
            facts.parameters[p] = Fact.read(root, "sys/module/\(parts[0])/parameters/\(parts[1])") {
                let v = $0.trimmingWhitespace()
                return v.isEmpty ? nil : v
            }
        }
        // modprobe.d: a file in etc/ overrides one of the same name in run/ and lib/; files are read in name order.
        var byName: [String: String] = [:]
        for dir in ["usr/lib/modprobe.d", "lib/modprobe.d", "run/modprobe.d", "etc/modprobe.d"] {
            for f in root.entries(dir) where f.hasSuffix(".conf") { byName[f] = "\(dir)/\(f)" }
        }
        for name in byName.keys.sorted() {
            let path = byName[name]!
            guard case .success(let t) = root.text(path) else { continue }
            var lineNo = 0
            var pending = ""
            for raw in t.lines {
                lineNo += 1
                var l = String(raw)
                if l.hasSuffix("\\") { pending += l.dropLast() + " "; continue }
                l = pending + l
                pending = ""
                let words = l.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                guard let first = words.first, !first.hasPrefix("#"), words.count >= 2 else { continue }
                let module = normalize(words[1])
                if first == "options" {
                    for kv in words.dropFirst(2) {
                        if kv.hasPrefix("#") { break }
                        let pair = kv.split(separator: "=", maxSplits: 1).map(String.init)
                        facts.modprobeOptions.append(ModprobeOption(file: path, line: lineNo, module: module, key: pair[0],
                                                                    value: pair.count > 1 ? pair[1] : ""))
                    }
                } else if first == "blacklist" {
                    facts.blacklisted.append(ModprobeOption(file: path, line: lineNo, module: module, key: "blacklist", value: ""))
                }
            }
        }
        return facts
    }
}

extension Result where Failure == FSError {
    var failureDescription: String {
        if case .failure(let e) = self { return e.description }
        return "ok"
    }
}

/// A module parameter's boolean value: Y/y/1 → true, N/n/0 → false.
func parameterIsTrue(_ v: String?) -> Bool? {
    guard let v = v?.trimmingWhitespace().lowercased(), !v.isEmpty else { return nil }
    if ["y", "1", "yes", "on", "true"].contains(v) { return true }
    if ["n", "0", "no", "off", "false"].contains(v) { return false }
    return nil
}
