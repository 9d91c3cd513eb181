import Foundation
@testable import SRIOVPreflight
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Each check's declared `reads` cover what it uses, at the granularity of fact families.
///
/// Checks are pure functions of the snapshot, so what a check *uses* is found by taking facts away: for
/// every host (every check's example hosts and every fixture host), each fact family of the snapshot in
/// turn is replaced by what an empty host gives; a family whose removal changes any of the check's
/// results (object, status, message) is used by the check. What a family *reads* is the record of
/// collecting that family alone through a recording root. What a check *declares* is the record of
/// expanding its `reads` entries (globs, `{a,b}`, `<release>`) through a recording root on the same host;
/// "kernel log …" entries name the kernel log. The test: every family a check uses shares a recorded
/// path with what the check declares, on some host where the family read anything.
@Suite("Declared reads")
struct ReadsTests {
    /// A fact family of the snapshot: how to take it away, and which of its collector's reads are its own.
    struct Family: Sendable {
        var name: String
        var remove: @Sendable (inout HostSnapshot, HostSnapshot) -> Void
        /// Reads the family alone through `root` (with the full snapshot `s` for its inputs).
        var collect: @Sendable (HostRoot, HostSnapshot) -> Void
        /// For the system facts, which paths of the system collector belong to this field.
        var owns: @Sendable (String) -> Bool = { _ in true }
    }

    static let families: [Family] = [
        Family(name: "cmdline", remove: { $0.system.cmdline = $1.system.cmdline },
               collect: { r, _ in _ = SystemFacts.collect(r) }, owns: { $0 == "proc/cmdline" }),
        Family(name: "cpuinfo", remove: { $0.system.cpuFlags = $1.system.cpuFlags; $0.system.cpuVendor = nil; $0.system.cpuModel = nil },
               collect: { r, _ in _ = SystemFacts.collect(r) }, owns: { $0 == "proc/cpuinfo" }),
        Family(name: "kernel config", remove: { $0.system.kernelConfig = $1.system.kernelConfig },
               collect: { r, _ in _ = SystemFacts.collect(r) }, owns: { $0.hasPrefix("boot/config-") }),
        Family(name: "firmware", remove: { $0.firmware = $1.firmware }, collect: { r, _ in _ = FirmwareFacts.collect(r) }),
        Family(name: "iommu", remove: { $0.iommu = $1.iommu }, collect: { r, s in
            var f = IOMMUFacts.collect(r)
            f.completeGroups(r, s.pci)
        }),
        Family(name: "kernel log", remove: { $0.kernelLog = $1.kernelLog }, collect: { r, _ in _ = KernelLog.collect(r) }),
        Family(name: "boot", remove: { $0.boot = $1.boot },
               collect: { r, s in _ = BootFacts.collect(r, release: s.system.kernelRelease.value) }),
        Family(name: "modules", remove: { $0.modules = $1.modules },
               collect: { r, s in _ = ModuleFacts.collect(r, release: s.system.kernelRelease.value) }),
        Family(name: "ir", remove: { $0.ir = $1.ir }, collect: { r, s in _ = IRFacts.collect(r, log: s.kernelLog) }),
        Family(name: "pci", remove: { $0.pci = $1.pci }, collect: { r, _ in
            for f in PCIFacts.collect(r).functions {
                if case .success(let b) = f.config { r.recorder?.readByLibrary("\(f.path)/config", b) }
            }
        }),
        Family(name: "net", remove: { $0.net = $1.net }, collect: { r, _ in _ = NetFacts.collect(r) }),
        Family(name: "guests", remove: { $0.guests = $1.guests }, collect: { r, _ in _ = GuestFacts.collect(r) }),
    ]

    static func paths(_ rec: FileRecorder) -> Set<String> { Set(rec.filesRead.map(\.path)) }

    /// Expands one `reads` entry through `root`: globs per component, `{a,b}`, `<release>`.
    static func expand(_ entry: String, root: HostRoot, release: String?) {
        var pattern = String(entry.prefix { $0 != " " })
        pattern = pattern.replacingOccurrences(of: "<release>", with: release ?? "*")
        for alt in braces(pattern) {
            walk(alt.split(separator: "/").map(String.init), 0, "", root)
        }
    }

    static func braces(_ p: String) -> [String] {
        guard let open = p.firstIndex(of: "{"), let close = p[open...].firstIndex(of: "}") else { return [p] }
        let head = p[..<open], tail = String(p[p.index(after: close)...])
        return p[p.index(after: open)..<close].split(separator: ",").flatMap { braces(head + $0 + tail) }
    }

    static func walk(_ comps: [String], _ i: Int, _ prefix: String, _ root: HostRoot) {
        if i == comps.count {
            _ = root.linkTarget(prefix)
            if root.isDirectory(prefix) { _ = root.list(prefix) } else { _ = root.read(prefix) }
            return
        }
        let c = comps[i]
        if c.contains("*") || c.contains("?") {
            for e in root.entries(prefix) where fnmatch(c, e, 0) == 0 {
                walk(comps, i + 1, prefix.isEmpty ? e : prefix + "/" + e, root)
            }
        } else {
            walk(comps, i + 1, prefix.isEmpty ? c : prefix + "/" + c, root)
        }
    }

    static func results(_ s: HostSnapshot, _ c: Check) -> [String] {
        Engine.run(s, checks: [c]).map { "\($0.object) \($0.status) \($0.message)" }
    }

    static var hosts: [(String, HostRoot)] {
        var out: [(String, HostRoot)] = []
        for c in Checks.all {
            for e in c.description.examples { out.append(("\(c.id): \(e.name)", e.host.root(baseDir: Paths.fixtureHosts))) }
        }
        for h in Paths.committedFixtureHosts { out.append((h, HostRoot.disk(Paths.fixtureHosts + "/" + h))) }
        for h in Paths.sharedHosts { out.append((h, HostRoot.disk(Paths.shared! + "/hosts/" + h))) }
        return out
    }

    @Test("every fact family a check uses is named by the check's reads")
    func declaredCoverUsed() throws {
        let empty = HostSnapshot.collect(HostRoot(backend: MemoryBackend(label: "empty", nodes: [:])))
        // check id → family → hosts where the check used it; and whether reads named it there
        var used: [String: [String: Int]] = [:]
        var named: [String: Set<String>] = [:]
        for (_, host) in Self.hosts {
            let snap = HostSnapshot.collect(host)
            var familyPaths: [String: Set<String>] = [:]
            for f in Self.families {
                let rec = FileRecorder()
                f.collect(host.recording(into: rec), snap)
                familyPaths[f.name] = Self.paths(rec).filter(f.owns)
            }
            for c in Checks.all {
                let base = Self.results(snap, c)
                let rec = FileRecorder()
                let r = host.recording(into: rec)
                for entry in c.description.reads { Self.expand(entry, root: r, release: snap.system.kernelRelease.value) }
                let declared = Self.paths(rec)
                let namesLog = c.description.reads.contains { $0.hasPrefix("kernel log") }
                for f in Self.families {
                    var s = snap
                    f.remove(&s, empty)
                    guard Self.results(s, c) != base else { continue }
                    used[c.id, default: [:]][f.name, default: 0] += 1
                    // The IR facts are read from the kernel log too (its DMAR/AMD-Vi/x2apic lines).
                    let fromLog = f.name == "kernel log" || f.name == "ir"
                    if (fromLog && namesLog) || !declared.isDisjoint(with: familyPaths[f.name] ?? []) {
                        named[c.id, default: []].insert(f.name)
                    }
                }
            }
        }
        for c in Checks.all {
            for (f, n) in (used[c.id] ?? [:]).sorted(by: { $0.key < $1.key }) where !(named[c.id] ?? []).contains(f) {
                Issue.record("\(c.id) uses the \(f) facts (its results change without them on \(n) hosts) but its reads \(c.description.reads) name none of the files they come from")
            }
        }
    }
}
