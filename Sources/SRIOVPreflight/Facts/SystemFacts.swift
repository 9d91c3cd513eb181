#if canImport(Glibc)
import Glibc
#endif

/// A value read from the host, or why it could not be: "unknown, because …".
public enum Fact<T: Sendable>: Sendable {
    case known(T, source: String)
    case unknown(source: String, reason: String)

    public var value: T? {
        if case .known(let v, _) = self { return v }
        return nil
    }

    public var source: String {
        switch self {
        case .known(_, let s), .unknown(let s, _): return s
        }
    }

    public var reason: String? {
        if case .unknown(_, let r) = self { return r }
        return nil
    }

    static func read(_ root: HostRoot, _ path: String, limit: Int = HostRoot.defaultReadLimit,
                     _ transform: (String) -> T?) -> Fact<T> {
        switch root.text(path, limit: limit) {
        case .success(let s):
            if let v = transform(s) { return .known(v, source: path) }
            return .unknown(source: path, reason: "unrecognised content")
        case .failure(let e):
            return .unknown(source: path, reason: e.description)
        }
    }
}

extension Fact: Equatable where T: Equatable {}

/// The host as a whole: names, kernel, CPU.
public struct SystemFacts: Sendable {
    public var hostname: String?
    public var kernelRelease: Fact<String>
    public var cmdline: Fact<KernelCmdline>
    public var osPrettyName: String?
    public var cpuVendor: String?
    public var cpuModel: String?
    public var cpuFlags: Fact<Set<String>>
    /// `CONFIG_*` options of the running kernel's build configuration (boot/config-<release>).
    public var kernelConfig: Fact<[String: String]>

    public var isIntel: Bool { cpuVendor == "GenuineIntel" }
    public var isAMD: Bool { cpuVendor == "AuthenticAMD" || cpuVendor == "HygonGenuine" }

    static func collect(_ root: HostRoot) -> SystemFacts {
        let release: Fact<String>
        if root.isLive {
            var u = utsname()
            uname(&u)
            let r = withUnsafePointer(to: u.release) {
                $0.withMemoryRebound(to: CChar.self, capacity: 65) { String(cString: $0) }
            }
            release = .known(r, source: "uname")
        } else {
            let fromSys = Fact<String>.read(root, "proc/sys/kernel/osrelease", limit: 4096) { s in
                let t = s.trimmingWhitespace()
                return t.isEmpty ? nil : t
            }
            if fromSys.value != nil {
                release = fromSys
            } else {
                let fromVersion = Fact<String>.read(root, "proc/version", limit: 4096) { s in
                    // "Linux version 6.1.0-56-amd64 (debian-kernel@…) …"
                    let parts = s.split(separator: " ")
                    guard parts.count > 2, parts[0] == "Linux", parts[1] == "version" else { return nil }
                    return String(parts[2])
                }
                // a sosreport: `uname -a` ("Linux host 6.1.0-56-amd64 #1 SMP …")
                let fromUname = root.exists("sos_commands/kernel/uname_-a")
                    ? Fact<String>.read(root, "sos_commands/kernel/uname_-a", limit: 4096) { s in
                        let parts = s.split(separator: " ")
                        return parts.count > 2 && parts[0] == "Linux" ? String(parts[2]) : nil
                    } : nil
                release = fromVersion.value != nil ? fromVersion
                    : fromUname?.value != nil ? fromUname!
                    : .unknown(source: "proc/sys/kernel/osrelease",
                               reason: "\(fromSys.reason ?? "unreadable"); proc/version: \(fromVersion.reason ?? "unreadable")")
            }
        }

        var hostname: String?
        if root.isLive {
            var buf = [CChar](repeating: 0, count: 256)
            if gethostname(&buf, 255) == 0 { hostname = String(cString: buf) }
        } else {
            hostname = root.value("proc/sys/kernel/hostname") ?? root.value("etc/hostname")
        }

        var vendor: String?
        var model: String?
        let flags = Fact<Set<String>>.read(root, "proc/cpuinfo") { text in
            var set = Set<String>()
            var sawFlags = false
            for line in text.lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let key = line[..<colon].trimmingCharacters()
                let value = line[line.index(after: colon)...].trimmingCharacters()
                switch key {
                case "vendor_id": if vendor == nil { vendor = String(value.prefix(256)) }
                case "model name": if model == nil { model = String(value.prefix(256)) }
                case "flags":
                    if !sawFlags { set = Set(value.split(separator: " ").map(String.init)); sawFlags = true }
                default: break
                }
            }
            return sawFlags ? set : nil
        }

        var config: Fact<[String: String]> = .unknown(source: "boot/config-?", reason: "kernel release unknown")
        if let r = release.value {
            config = Fact.read(root, "boot/config-\(r)") { text in
                var map: [String: String] = [:]
                for line in text.lines {
                    if line.hasPrefix("CONFIG_"), let eq = line.firstIndex(of: "=") {
                        map[String(line[..<eq])] = String(line[line.index(after: eq)...])
                    } else if line.hasPrefix("# CONFIG_"), line.hasSuffix(" is not set") {
                        let name = line.dropFirst(2).dropLast(" is not set".count)
                        map[String(name)] = "n"
                    }
                }
                return map
            }
        }

        var pretty: String?
        if case .success(let os) = root.text("etc/os-release") {
            for line in os.lines where line.hasPrefix("PRETTY_NAME=") {
                pretty = line.dropFirst("PRETTY_NAME=".count).trimmingCharacters().unquoted()
            }
        }

        return SystemFacts(
            hostname: hostname, kernelRelease: release,
            cmdline: KernelCmdline.read(root, "proc/cmdline"),
            osPrettyName: pretty, cpuVendor: vendor, cpuModel: model, cpuFlags: flags, kernelConfig: config)
    }
}

extension Substring {
    func trimmingCharacters() -> String { String(self).trimmingWhitespace() }
}

extension String {
    /// Without one pair of surrounding single or double quotes.
    func unquoted() -> String {
        if count >= 2, let f = first, let l = last, f == l, f == "\"" || f == "'" {
            return String(dropFirst().dropLast())
        }
        return self
    }
}
