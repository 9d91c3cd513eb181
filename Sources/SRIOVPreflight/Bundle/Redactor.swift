/// `--redact`: deterministic replacement of host identities in the text of a bundle and in its file names.
///
/// Hostnames → `host-N`, MAC addresses → `02:00:00:00:HH:LL` (a locally administered MAC), IPv4 →
/// `192.0.2.N` (then 198.51.100.N, 203.0.113.N: the documentation ranges), IPv6 → `2001:db8::N`, serial
/// numbers → `serial-N`. The same value maps to the same token everywhere; tokens are numbered in the order
/// the values first appear (sorted paths), so the same host gives the same bundle. Binary files (PCI config
/// spaces, ACPI tables) and the distribution's kernel build files (`lib/modules/…`, `boot/config-…`) are
/// not rewritten. The mapping is returned to the caller, never stored in the bundle.
public final class Redactor {
    public enum Kind: String, CaseIterable, Sendable {
        case hostname, mac, ipv4, ipv6, serial
    }

    /// kind → original value → token.
    public private(set) var mapping: [Kind: [String: String]] = [:]
    private var hostnames: [String] = []
    private var serials: [String] = []

    /// Not identifying: left alone.
    static let keptValues: Set<String> = [
        "00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff", "0.0.0.0", "127.0.0.1", "255.255.255.255", "::", "::1",
        "localhost", "localhost.localdomain", "(none)",
    ]

    public init() {}

    /// Learns the hostnames and serial numbers of `tree`, then rewrites it.
    public func redact(_ tree: BundleTree) -> BundleTree {
        learn(tree)
        var out = BundleTree()
        out.unreadable = Dictionary(tree.unreadable.map { (redactPath($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        for path in tree.allPaths {
            let newPath = redactPath(path)
            if let bytes = tree.files[path] {
                out.files[newPath] = Self.isRewritable(path) ? redactBytes(bytes) : bytes
            } else if let target = tree.links[path] {
                out.links[newPath] = redactText(target)
            } else {
                out.directories.insert(newPath)
            }
        }
        return out
    }

    /// The distribution's kernel files hold no host identity and are large: copied as they are.
    static func isRewritable(_ path: String) -> Bool {
        !(path.hasPrefix("lib/modules/") || path.hasPrefix("boot/config-"))
    }

    func learn(_ tree: BundleTree) {
        for p in ["proc/sys/kernel/hostname", "etc/hostname"] {
            guard let b = tree.files[p] else { continue }
            let name = String(decoding: b, as: UTF8.self).trimmingWhitespace()
            addHostname(name)
            if let dot = name.firstIndex(of: "."), name.distance(from: name.startIndex, to: dot) >= 2 {
                addHostname(String(name[..<dot]))
            }
        }
        for (path, bytes) in tree.files.sorted(by: { $0.key < $1.key }) {
            guard Self.isRewritable(path), !Self.isBinary(bytes) else { continue }
            let name = path.split(separator: "/").last.map(String.init) ?? path
            let text = String(decoding: bytes, as: UTF8.self)
            if name.lowercased().contains("serial") {
                let v = text.trimmingWhitespace()
                if v.count >= 3 && !serials.contains(v) { serials.append(v) }
            }
            for v in TextScan.serialNumbers(Array(text.utf8)) where !serials.contains(v) { serials.append(v) }
        }
        serials.sort { $0.count > $1.count }
    }

    private func addHostname(_ h: String) {
        guard !h.isEmpty, !Self.keptValues.contains(h.lowercased()), !hostnames.contains(h) else { return }
        hostnames.append(h)
        hostnames.sort { $0.count > $1.count }
    }

    static func isBinary(_ bytes: [UInt8]) -> Bool {
        bytes.contains(0) || String(validating: bytes, as: UTF8.self) == nil
    }

    func redactBytes(_ bytes: [UInt8]) -> [UInt8] {
        if Self.isBinary(bytes) { return bytes }
        return Array(redactText(String(decoding: bytes, as: UTF8.self)).utf8)
    }

    func redactPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { redactText(String($0)) }
            .joined(separator: "/")
    }

    /// Rewrites one text: literal hostnames and serials first, then MACs, IPv6, IPv4.
    public func redactText(_ text: String) -> String {
        var s = text
        for h in hostnames { s = replaceLiteral(h, in: s, kind: .hostname) }
        for v in serials { s = replaceLiteral(v, in: s, kind: .serial) }
        s = replace(TextScan.macs, in: s, kind: .mac, key: { $0.lowercased() })
        s = replace(TextScan.ipv6s, in: s, kind: .ipv6, accept: Self.looksLikeIPv6, key: { $0.lowercased() })
        s = replace(TextScan.ipv4s, in: s, kind: .ipv4)
        return s
    }

    static func looksLikeIPv6(_ v: String) -> Bool {
        guard v.contains(where: { $0 != ":" }) else { return false }
        if v.contains(":::") { return false }
        let colons = v.filter { $0 == ":" }.count
        return v.contains("::") || colons == 7
    }

    private func token(_ kind: Kind, _ value: String) -> String {
        if let t = mapping[kind]?[value] { return t }
        let n = (mapping[kind]?.count ?? 0) + 1
        let t: String
        switch kind {
        case .hostname: t = "host-\(n)"
        case .serial: t = "serial-\(n)"
        case .mac: t = "02:00:00:00:\(hex((n >> 8) & 0xff, 2)):\(hex(n & 0xff, 2))"
        case .ipv6: t = "2001:db8::\(String(n, radix: 16))"
        case .ipv4:
            let nets = ["192.0.2", "198.51.100", "203.0.113"]
            t = "\(nets[min((n - 1) / 254, 2)]).\((n - 1) % 254 + 1)"
        }
        mapping[kind, default: [:]][value] = t
        return t
    }

    /// Replaces the accepted matches of `scan` (byte ranges of the UTF-8 text) by tokens.
    private func replace(_ scan: ([UInt8]) -> [Range<Int>], in s: String, kind: Kind,
                         accept: (String) -> Bool = { _ in true }, key: (String) -> String = { $0 }) -> String {
        let bytes = Array(s.utf8)
        let matches = scan(bytes)
        if matches.isEmpty { return s }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var last = 0
        for m in matches {
            let v = String(decoding: bytes[m], as: UTF8.self)
            let k = key(v)
            guard accept(v), !Self.keptValues.contains(k) else { continue }
            out += bytes[last..<m.lowerBound]
            out += token(kind, k).utf8
            last = m.upperBound
        }
        out += bytes[last...]
        return String(decoding: out, as: UTF8.self)
    }

    /// Whole-word, case-insensitive (ASCII letters) occurrences of a literal value.
    private func replaceLiteral(_ value: String, in s: String, kind: Kind) -> String {
        let needle = Array(value.utf8)
        return replace({ TextScan.words(needle, in: $0) }, in: s, kind: kind, key: { _ in value })
    }

    /// The mapping as JSON: {"hostname": {"original": "host-1"}, …}.
    public var mappingJSON: String {
        var obj: [String: JSON] = [:]
        for k in Kind.allCases {
            obj[k.rawValue] = .object((mapping[k] ?? [:]).mapValues { .string($0) })
        }
        return JSON.object(obj).serialized()
    }
}
