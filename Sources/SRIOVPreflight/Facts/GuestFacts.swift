/// A guest that holds a PCI function (a VF) passed through to it, as the evidence names it.
public struct VFHolder: Sendable, Equatable, Codable {
    public enum Source: String, Sendable, Codable {
        /// libvirt's live domain status (`run/libvirt/qemu/NAME.xml`): `<hostdev>` / `<interface type='hostdev'>`.
        case libvirt
        /// A QEMU process's command line (`proc/PID/cmdline`): `-device vfio-pci,host=…`.
        case qemu
    }

    /// The PCI function the guest holds ("0000:3b:10.2").
    public var device: String
    /// The guest's name (libvirt `<name>`, QEMU `-name guest=`); nil when a QEMU command line names none.
    public var guest: String?
    /// QEMU's process id (the process whose command line it is, or libvirt's `<domstatus pid=>`).
    public var pid: Int?
    public var source: Source
    /// The file that says so.
    public var evidence: String

    enum CodingKeys: String, CodingKey {
        case guest, pid, source, evidence
        case device = "vf"
    }

    public init(device: String, guest: String?, pid: Int?, source: Source, evidence: String) {
        self.device = device
        self.guest = guest
        self.pid = pid
        self.source = source
        self.evidence = evidence
    }

    /// "guest vm1", or "QEMU pid 4242" for a QEMU that names no guest.
    public var label: String {
        if let guest { return "guest \(guest)" }
        return pid.map { "QEMU pid \($0)" } ?? "an unnamed QEMU"
    }
}

/// Who holds the PCI functions given to guests, read once: libvirt's live domain status files and the
/// command lines of QEMU processes. Both are bounded (file count, bytes per file, processes, total bytes):
/// a cap that is hit is said in `notes`, and what lies beyond it is not read.
public struct GuestFacts: Sendable {
    /// libvirt's QEMU driver keeps one status file per running domain here (`/var/run` is usually `/run`).
    public static let libvirtDirs = ["run/libvirt/qemu", "var/run/libvirt/qemu"]
    public static let maxDomainFiles = 1024
    public static let maxDomainBytes = 4 << 20
    public static let maxProcesses = 4096
    public static let maxCmdlineBytes = 1 << 20
    public static let maxTotalCmdlineBytes = 32 << 20

    public var holders: [VFHolder] = []
    /// A libvirt status directory was listed.
    public var libvirtRead = false
    /// The process list (numeric entries of `proc`) was read.
    public var processesRead = false
    /// Caps that were hit, files that could not be read, status files of domains that are not running.
    public var notes: [String] = []

    public init() {}

    public func holders(of device: String) -> [VFHolder] { holders.filter { $0.device == device } }

    /// Why a VF given to vfio-pci has no holder named: what this evidence lacks, or that nothing names it.
    public var unnamedReason: String {
        switch (libvirtRead, processesRead) {
        case (false, false): return "guest not in this evidence (no run/libvirt/qemu, no proc/PID)"
        case (true, false): return "no running libvirt domain names it (no proc/PID in this evidence for a QEMU outside libvirt)"
        case (false, true): return "no QEMU command line names it (no run/libvirt/qemu in this evidence)"
        case (true, true): return "no libvirt domain or QEMU process holds it (another vfio user such as DPDK, or none)"
        }
    }

    static func looksLikeQEMU(_ comm: String) -> Bool {
        let c = comm.lowercased()
        return c.contains("qemu") || c.contains("kvm")
    }

    static func collect(_ root: HostRoot) -> GuestFacts {
        var facts = GuestFacts()
        var libvirtPids: [(index: Int, pid: Int)] = []
        var seenDirs = Set<String>()
        for dir in libvirtDirs {
            let names: [String]
            switch root.list(dir) {
            case .success(let n): names = n
            case .failure(.missing), .failure(.notADirectory): continue
            case .failure(let e): facts.notes.append("\(dir): \(e)"); continue
            }
            // var/run → run: the same directory once.
            let canonical = (try? root.canonical(dir).get()) ?? dir
            guard seenDirs.insert(canonical).inserted else { continue }
            facts.libvirtRead = true
            var xmls = names.filter { $0.hasSuffix(".xml") }
            if xmls.count > maxDomainFiles {
                facts.notes.append("\(dir): \(xmls.count) status files, the first \(maxDomainFiles) read")
                xmls = Array(xmls.prefix(maxDomainFiles))
            }
            for file in xmls {
                let path = "\(dir)/\(file)"
                let bytes: [UInt8]
                switch root.read(path, limit: maxDomainBytes + 1) {
                case .success(let b): bytes = b
                case .failure(.missing): continue
                case .failure(let e): facts.notes.append("\(path): \(e)"); continue
                }
                if bytes.count > maxDomainBytes {
                    facts.notes.append("\(path): larger than \(maxDomainBytes >> 20) MiB, the first \(maxDomainBytes >> 20) MiB read")
                }
                let parsed = DomainStatusXML.parse(bytes.prefix(maxDomainBytes))
                if let p = parsed.problem { facts.notes.append("\(path): \(p)") }
                // libvirt names the file after the domain: the name when the XML has none.
                let name = parsed.name ?? String(file.dropLast(4))
                for d in parsed.devices {
                    if let pid = parsed.pid { libvirtPids.append((facts.holders.count, pid)) }
                    facts.holders.append(VFHolder(device: d, guest: name, pid: parsed.pid, source: .libvirt, evidence: path))
                }
            }
        }

        var pids: [Int] = []
        switch root.list("proc") {
        case .success(let names): pids = names.compactMap { Int($0) }.filter { $0 > 0 }.sorted()
        case .failure(.missing), .failure(.notADirectory): break
        case .failure(let e): facts.notes.append("proc: \(e)")
        }
        facts.processesRead = !pids.isEmpty
        // A status file whose QEMU is not in the process list is left over (libvirtd stopped before cleaning up).
        if facts.processesRead {
            let running = Set(pids)
            var stale = Set<Int>()
            for (i, pid) in libvirtPids where !running.contains(pid) { stale.insert(i) }
            for i in stale.sorted() {
                let h = facts.holders[i]
                facts.notes.append("\(h.evidence): domain \(h.guest ?? "?") names QEMU pid \(h.pid ?? 0), which is not running: a stale status file, not counted")
            }
            facts.holders = facts.holders.enumerated().filter { !stale.contains($0.offset) }.map(\.element)
        }
        if pids.count > maxProcesses {
            facts.notes.append("proc: \(pids.count) processes, the first \(maxProcesses) examined")
            pids = Array(pids.prefix(maxProcesses))
        }
        var budget = maxTotalCmdlineBytes
        for pid in pids {
            // Only QEMU's command line is read (others may carry secrets); a capture without `comm` is read.
            switch root.read("proc/\(pid)/comm", limit: 256) {
            case .success(let b):
                guard looksLikeQEMU(String(decoding: b, as: UTF8.self)) else { continue }
            case .failure(.missing): break
            case .failure: continue
            }
            guard budget > 0 else {
                facts.notes.append("proc: QEMU command lines beyond \(maxTotalCmdlineBytes >> 20) MiB in all not read (from pid \(pid) on)")
                break
            }
            let path = "proc/\(pid)/cmdline"
            guard case .success(let bytes) = root.read(path, limit: min(maxCmdlineBytes, budget) + 1) else { continue }
            budget -= bytes.count
            if bytes.count > maxCmdlineBytes {
                facts.notes.append("\(path): longer than \(maxCmdlineBytes >> 20) MiB, the first \(maxCmdlineBytes >> 20) MiB read")
            }
            let parsed = QEMUCommandLine.parse(bytes.prefix(maxCmdlineBytes))
            for d in parsed.devices {
                // libvirt's own QEMU: one holder, from the status file, with the pid.
                if let i = facts.holders.firstIndex(where: { $0.device == d && $0.source == .libvirt && ($0.pid == pid || ($0.pid == nil && $0.guest == parsed.name)) }) {
                    facts.holders[i].pid = facts.holders[i].pid ?? pid
                    continue
                }
                facts.holders.append(VFHolder(device: d, guest: parsed.name, pid: pid, source: .qemu, evidence: path))
            }
        }
        return facts
    }
}

/// PCI addresses as QEMU and libvirt write them, to the sysfs form "0000:3b:10.2".
enum PCIAddressForm {
    static func make(domain: UInt64, bus: UInt64, slot: UInt64, function: UInt64) -> String? {
        guard domain <= 0xFFFF, bus <= 0xFF, slot <= 0x1F, function <= 7 else { return nil }
        return "\(hex(domain, 4)):\(hex(bus, 2)):\(hex(slot, 2)).\(function)"
    }

    /// "0000:3b:10.2", "3b:10.2", "/sys/bus/pci/devices/0000:3b:10.2" (QEMU's host= and sysfsdev=).
    static func parse(_ text: Substring) -> String? {
        var s = text
        if let slash = s.lastIndex(of: "/") { s = s[s.index(after: slash)...] }
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        let df = parts[parts.count - 1].split(separator: ".", omittingEmptySubsequences: false)
        guard df.count == 2, df.allSatisfy({ !$0.isEmpty && $0.count <= 2 }), parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 }),
              let bus = UInt64(parts[parts.count - 2], radix: 16), parts[parts.count - 2].count <= 2,
              let slot = UInt64(df[0], radix: 16), let fn = UInt64(df[1], radix: 16) else { return nil }
        let domain = parts.count == 3 ? UInt64(parts[0], radix: 16) : 0
        guard let domain else { return nil }
        return make(domain: domain, bus: bus, slot: slot, function: fn)
    }

    /// libvirt's attribute numbers: "0x3b" hex, otherwise decimal.
    static func number(_ s: String?) -> UInt64? {
        guard let s = s?.trimmingWhitespace(), !s.isEmpty else { return nil }
        if s.hasPrefix("0x") || s.hasPrefix("0X") { return UInt64(s.dropFirst(2), radix: 16) }
        return UInt64(s, radix: 10)
    }
}

/// A QEMU command line (NUL-separated arguments): the vfio-pci devices it passes through and its `-name`.
enum QEMUCommandLine {
    struct Parsed: Equatable {
        var name: String?
        var devices: [String] = []
    }

    static let vfioDrivers: Set<String> = ["vfio-pci", "vfio-pci-nohotplug"]

    static func parse<C: Collection>(_ bytes: C) -> Parsed where C.Element == UInt8 {
        let args = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        var out = Parsed()
        var i = 0
        while i < args.count {
            let a = args[i]
            let next = i + 1 < args.count ? args[i + 1] : nil
            switch a {
            case "-device", "--device":
                if let n = next, let d = device(n), !out.devices.contains(d) { out.devices.append(d) }
                i += 2; continue
            case "-pcidevice", "--pcidevice":   // qemu-kvm before 1.x: -pcidevice host=3b:10.2
                if let n = next, let h = keyval(n)["host"], let d = PCIAddressForm.parse(Substring(h)), !out.devices.contains(d) { out.devices.append(d) }
                i += 2; continue
            case "-name", "--name":
                if let n = next {
                    let kv = keyval(n, implied: "guest")
                    if let g = kv["guest"], !g.isEmpty { out.name = DomainStatusXML.clean(g) }
                }
                i += 2; continue
            default:
                i += 1
            }
        }
        return out
    }

    /// One `-device` argument: QEMU's key=value form or the JSON form libvirt writes since 7.x.
    static func device(_ arg: String) -> String? {
        let kv: [String: String]
        if arg.first == "{" {
            guard arg.utf8.count <= 65536, case .object(let o)? = try? JSON.parse(arg) else { return nil }
            var m: [String: String] = [:]
            for (k, v) in o { if case .string(let s) = v { m[k] = s } }
            kv = m
        } else {
            kv = keyval(arg, implied: "driver")
        }
        guard let driver = kv["driver"], vfioDrivers.contains(driver) else { return nil }
        if let h = kv["host"] { return PCIAddressForm.parse(Substring(h)) }
        if let s = kv["sysfsdev"] { return PCIAddressForm.parse(Substring(s)) }
        return nil
    }

    /// QEMU's `a,b=c,d=e,,f` option syntax (",," is a comma); the first bare word is `implied`.
    static func keyval(_ arg: String, implied: String? = nil) -> [String: String] {
        var parts: [String] = []
        var cur = ""
        var it = Array(arg).makeIterator()
        var pendingComma = false
        while let c = it.next() {
            if pendingComma {
                pendingComma = false
                if c == "," { cur.append(","); continue }
                parts.append(cur); cur = ""
            }
            if c == "," { pendingComma = true; continue }
            cur.append(c)
        }
        parts.append(cur)
        var out: [String: String] = [:]
        for (n, p) in parts.enumerated() {
            if let eq = p.firstIndex(of: "=") {
                let k = String(p[..<eq])
                if out[k] == nil { out[k] = String(p[p.index(after: eq)...]) }
            } else if n == 0, let implied {
                out[implied] = p
            }
        }
        return out
    }
}

/// A small, tolerant scanner for libvirt's domain status XML: the domain's `<name>`, `<domstatus pid=>`,
/// and the host PCI addresses of `<hostdev type='pci'>`, `<interface type='hostdev'>` and a network's
/// `<actual type='hostdev'>` (the `<address>` inside their `<source>`, not the guest-side one). Garbage,
/// unclosed tags and non-UTF-8 bytes never stop it; it reads what it can and says what it could not.
enum DomainStatusXML {
    struct Parsed: Equatable {
        var name: String?
        var pid: Int?
        var devices: [String] = []
        var problem: String?
    }

    static let maxDepth = 256
    static let maxNameLength = 256

    struct Element {
        var name: String
        var attrs: [String: String]
    }

    static func parse<C: Collection>(_ input: C) -> Parsed where C.Element == UInt8 {
        let b = Array(input)
        let n = b.count
        var out = Parsed()
        var stack: [Element] = []
        var i = 0
        var nameStart: Int?
        var sawDomain = false

        func find(_ pattern: [UInt8], from: Int) -> Int? {
            guard pattern.count <= n else { return nil }
            var j = from
            while j + pattern.count <= n {
                guard let k = b[j...].firstIndex(of: pattern[0]) else { return nil }
                if k + pattern.count <= n && Array(b[k..<(k + pattern.count)]) == pattern { return k }
                j = k + 1
            }
            return nil
        }
        func startsWith(_ s: String, at j: Int) -> Bool {
            let p = Array(s.utf8)
            return j + p.count <= n && Array(b[j..<(j + p.count)]) == p
        }
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        func isNameEnd(_ c: UInt8) -> Bool { isSpace(c) || c == UInt8(ascii: ">") || c == UInt8(ascii: "/") || c == UInt8(ascii: "=") }

        while i < n {
            guard let lt = b[i...].firstIndex(of: UInt8(ascii: "<")) else { break }
            if let s = nameStart {
                if out.name == nil {
                    let text = clean(decodeEntities(String(decoding: b[s..<lt], as: UTF8.self)))
                    if !text.isEmpty { out.name = text }
                }
                nameStart = nil
            }
            i = lt + 1
            if startsWith("!--", at: i) {
                guard let e = find(Array("-->".utf8), from: i + 3) else { out.problem = out.problem ?? "an unclosed comment"; break }
                i = e + 3; continue
            }
            if startsWith("![CDATA[", at: i) {
                guard let e = find(Array("]]>".utf8), from: i + 8) else { out.problem = out.problem ?? "an unclosed CDATA section"; break }
                i = e + 3; continue
            }
            if i < n && (b[i] == UInt8(ascii: "?") || b[i] == UInt8(ascii: "!")) {
                guard let e = b[i...].firstIndex(of: UInt8(ascii: ">")) else { break }
                i = e + 1; continue
            }
            let closing = i < n && b[i] == UInt8(ascii: "/")
            if closing { i += 1 }
            var j = i
            while j < n && !isNameEnd(b[j]) && b[j] != UInt8(ascii: "<") { j += 1 }
            let name = String(decoding: b[i..<j], as: UTF8.self)
            i = j
            if name.isEmpty { continue }   // a stray "<": text
            // Attributes, to the end of the tag.
            var attrs: [String: String] = [:]
            var selfClosing = false
            var ended = false
            while i < n {
                let c = b[i]
                if isSpace(c) { i += 1; continue }
                if c == UInt8(ascii: ">") { i += 1; ended = true; break }
                if c == UInt8(ascii: "/") { selfClosing = true; i += 1; continue }
                if c == UInt8(ascii: "<") { break }   // garbage: a tag that never closed
                var k = i
                while k < n && !isNameEnd(b[k]) && b[k] != UInt8(ascii: "<") { k += 1 }
                let key = String(decoding: b[i..<k], as: UTF8.self)
                i = k
                while i < n && isSpace(b[i]) { i += 1 }
                guard i < n, b[i] == UInt8(ascii: "=") else {
                    if k == i && key.isEmpty { i += 1 }   // "=" alone: skip it
                    continue
                }
                i += 1
                while i < n && isSpace(b[i]) { i += 1 }
                guard i < n else { break }
                var value = ""
                if b[i] == UInt8(ascii: "'") || b[i] == UInt8(ascii: "\"") {
                    let q = b[i]
                    guard let e = b[(i + 1)...].firstIndex(of: q) else { i = n; break }
                    value = String(decoding: b[(i + 1)..<e], as: UTF8.self)
                    i = e + 1
                } else {
                    var e = i
                    while e < n && !isSpace(b[e]) && b[e] != UInt8(ascii: ">") { e += 1 }
                    value = String(decoding: b[i..<e], as: UTF8.self)
                    i = e
                }
                if attrs[key] == nil && !key.isEmpty { attrs[key] = decodeEntities(value) }
            }
            if !ended && i >= n { out.problem = out.problem ?? "the document ends inside a tag"; }
            if closing {
                if let k = stack.lastIndex(where: { $0.name == name }) { stack.removeSubrange(k...) }
                continue
            }
            let parent = stack.last?.name
            switch name {
            case "domstatus":
                if out.pid == nil, let p = attrs["pid"].flatMap({ Int($0.trimmingWhitespace()) }), p > 0 { out.pid = p }
            case "domain":
                sawDomain = true
            case "name" where parent == "domain" && !selfClosing && out.name == nil:
                nameStart = i
            case "address" where parent == "source":
                if (attrs["type"] ?? "pci") == "pci", holdsHostPCI(stack),
                   let bus = PCIAddressForm.number(attrs["bus"]), let slot = PCIAddressForm.number(attrs["slot"]),
                   let fn = PCIAddressForm.number(attrs["function"]),
                   let a = PCIAddressForm.make(domain: PCIAddressForm.number(attrs["domain"]) ?? 0, bus: bus, slot: slot, function: fn),
                   !out.devices.contains(a) {
                    out.devices.append(a)
                }
            default: break
            }
            if !selfClosing && ended {
                if stack.count >= maxDepth { out.problem = out.problem ?? "nested deeper than \(maxDepth) elements: the rest not read"; break }
                stack.append(Element(name: name, attrs: attrs))
            }
        }
        if !sawDomain && out.problem == nil { out.problem = "no <domain> element: not a libvirt domain status file" }
        return out
    }

    /// The `<source>` on top of `stack` belongs to a host PCI device given to the guest.
    static func holdsHostPCI(_ stack: [Element]) -> Bool {
        guard stack.count >= 2 else { return false }
        let owner = stack[stack.count - 2]
        switch owner.name {
        case "hostdev": return owner.attrs["type"] == "pci" && (owner.attrs["mode"] ?? "subsystem") == "subsystem"
        case "interface", "actual": return owner.attrs["type"] == "hostdev"
        default: return false
        }
    }

    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].prefix(12).firstIndex(of: ";") else { out += "&"; rest = rest[rest.index(after: amp)...]; continue }
            let ent = rest[rest.index(after: amp)..<semi]
            var rep: String?
            switch ent {
            case "amp": rep = "&"
            case "lt": rep = "<"
            case "gt": rep = ">"
            case "quot": rep = "\""
            case "apos": rep = "'"
            default:
                if ent.hasPrefix("#x") || ent.hasPrefix("#X"), let v = UInt32(ent.dropFirst(2), radix: 16), let u = Unicode.Scalar(v) { rep = String(u) }
                else if ent.hasPrefix("#"), let v = UInt32(ent.dropFirst()), let u = Unicode.Scalar(v) { rep = String(u) }
            }
            if let rep { out += rep; rest = rest[rest.index(after: semi)...] } else { out += "&"; rest = rest[rest.index(after: amp)...] }
        }
        out += rest
        return out
    }

    /// A name fit for a report line: trimmed, control characters as "?", at most `maxNameLength` characters.
    static func clean(_ s: String) -> String {
        let t = s.trimmingWhitespace()
        var out = String(t.unicodeScalars.prefix(maxNameLength).map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
        if t.unicodeScalars.count > maxNameLength { out += "…" }
        return out
    }
}
