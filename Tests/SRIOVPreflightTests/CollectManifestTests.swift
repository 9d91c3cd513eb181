import Foundation
@testable import SRIOVPreflight
import Testing

/// `collect --manifest` held to the recording: what the facts read on every host the tests have is what
/// the manifest's patterns name, and every pattern names something a host was read for.
@Suite("Collect manifest from the recording")
struct CollectManifestTests {
    /// Patterns no committed fixture or example host exercises, each with the reason it is in the manifest.
    /// (The ../shared hosts may exercise some; the test does not require it.)
    static let forHostsTheFixturesDoNotHave: [String: String] = [
        "acpidump.txt": acpidump, "acpidump.out": acpidump, "acpidump": acpidump, "acpi.dat": acpidump,
        "sys/bus/pci/devices/*/vendor": idsFallback, "sys/bus/pci/devices/*/device": idsFallback,
        "sys/bus/pci/devices/*/class": idsFallback,
        "sys/bus/pci/devices/*/physfn": "a VF no PF names by a virtfnN link (a capture that lost the PF's links): every fixture's VFs are named by their PF and read through that link",
        "proc/*/comm": "a VF bound to vfio-pci without libvirt's domain status: the facts look for the QEMU process holding it (no fixture host has such a VF without the status)",
    ]
    static let idsFallback = "read only when the config space is too short or unreadable to give the IDs and class (every fixture function's config has its header)"
    static let acpidump = "acpidump text at a capture's root, read only when sys/firmware/acpi/tables holds neither DMAR nor IVRS (every fixture host has its tables there)"

    /// What the facts read that the manifest leaves out on purpose, and why.
    static let readButNotCollected: [String: String] = [
        "proc/*/cmdline": "QEMU processes' command lines: a pattern cannot pick them from the others, which may carry secrets (the manifest's header says so)",
        "sos_commands/kernel/uname_-a": "an unpacked sosreport's layout: the kernel release where proc has none; a host a collector runs on has proc",
        "sys/devices": "where the PCI device links lead: asked only whether it exists; a collector following sys/bus/pci/devices/* stores it on the way",
    ]

    struct Host {
        var name: String
        var root: HostRoot
        var shared: Bool
    }

    static var hosts: [Host] {
        var out = Paths.committedFixtureHosts.map { Host(name: $0, root: HostRoot.disk(Paths.fixtureHosts + "/" + $0), shared: false) }
        let examples: [(String, ExampleHost)] = [
            ("intelReady", .intelReady), ("amdReady", .amdReady), ("intelBIOSOff", .intelBIOSOff),
            ("intelIntremapOff", .intelIntremapOff), ("intelNoIRHardware", .intelNoIRHardware),
            ("intelKernelDefaultOff", .intelKernelDefaultOff), ("emptyRoot", .emptyRoot),
        ]
        out += examples.map { Host(name: $0.0, root: $0.1.root(), shared: false) }
        out += Paths.sharedHosts.map { Host(name: $0, root: HostRoot.disk(Paths.shared! + "/hosts/" + $0), shared: true) }
        return out
    }

    /// `pattern` (root-relative, `*` within one component, `{release}` the kernel release) against a path,
    /// component by component: whole (`prefix` false), or the path names a directory or link on the way to
    /// what the pattern names (`prefix` true: the collector stores those as it follows the pattern).
    static func matches(_ path: String, _ pattern: String, release: String?, prefix: Bool) -> Bool {
        let p = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var pat = pattern.split(separator: "/").map(String.init)
        if pattern.contains("{release}") {
            guard let release else { return false }
            pat = pat.map { $0.replacingOccurrences(of: "{release}", with: release) }
        }
        if path.isEmpty { return prefix }   // the root itself
        guard prefix ? p.count < pat.count : p.count == pat.count else { return false }
        return zip(p, pat).allSatisfy { fnmatch($1, $0, 0) == 0 }
    }

    /// `path` with `..` and `.` taken out (root-relative; `..` never climbs above the root).
    static func normalize(_ path: String) -> String {
        var out: [Substring] = []
        for c in path.split(separator: "/") where c != "." {
            if c == ".." { if !out.isEmpty { out.removeLast() } } else { out.append(c) }
        }
        return out.joined(separator: "/")
    }

    /// Every name of `path` through the links recorded (link path → where it leads): the facts read a
    /// file at its real place (`sys/devices/pci0000:00/0000:00:01.0/vendor`), the manifest names it through
    /// the link a collector follows (`sys/bus/pci/devices/*/vendor`).
    static func names(_ path: String, links: [(link: String, to: String)]) -> Set<String> {
        var names: Set<String> = [path]
        var frontier = [path]
        for _ in 0..<4 where !frontier.isEmpty {
            var next: [String] = []
            for x in frontier {
                for (link, to) in links where x == to || x.hasPrefix(to + "/") {
                    let alias = link + x.dropFirst(to.count)
                    if names.count < 64, names.insert(alias).inserted { next.append(alias) }
                }
            }
            frontier = next
        }
        return names
    }

    @Test("every path the facts read on every fixture, example and shared host matches a manifest pattern (through the links it followed); every pattern matches a path read on some fixture or example host")
    func manifestIsTheRecording() throws {
        let patterns = CollectManifest.patterns
        var used = Set<String>()
        var uncovered: [String] = []
        for host in Self.hosts {
            let snapshot = HostSnapshot.collect(host.root)
            let release = snapshot.system.kernelRelease.value
            #expect(!snapshot.filesRead.isEmpty, "\(host.name): nothing recorded")
            let links: [(link: String, to: String)] = snapshot.filesRead.compactMap { r in
                guard r.kind == .link, let t = r.target else { return nil }
                let dir = r.path.split(separator: "/").dropLast().joined(separator: "/")
                return (r.path, Self.normalize(t.hasPrefix("/") ? t : dir + "/" + t))
            }
            for r in snapshot.filesRead {
                let names = Self.names(r.path, links: links)
                let whole = patterns.filter { p in names.contains { Self.matches($0, p, release: release, prefix: false) } }
                if !host.shared {
                    used.formUnion(whole)
                    // A directory the facts listed for what a pattern's last component picks from it.
                    if r.kind == .directory {
                        used.formUnion(patterns.filter { p in
                            let parts = p.split(separator: "/")
                            guard parts.count > 1, parts.last!.contains("*") else { return false }
                            let dir = parts.dropLast().joined(separator: "/")
                            return names.contains { Self.matches($0, dir, release: release, prefix: false) }
                        })
                    }
                }
                if !whole.isEmpty { continue }
                if Self.readButNotCollected.keys.contains(where: { p in names.contains { Self.matches($0, p, release: release, prefix: false) } }) {
                    continue
                }
                // A directory listed or a link followed on the way to what a pattern names.
                if r.kind != .file, patterns.contains(where: { p in names.contains { Self.matches($0, p, release: release, prefix: true) } }) {
                    continue
                }
                uncovered.append("\(host.name): \(r.kind.rawValue) \(r.path)")
            }
        }
        #expect(uncovered.isEmpty, "read but not in the manifest:\n\(uncovered.prefix(40).joined(separator: "\n"))")
        let unused = patterns.filter { !used.contains($0) && Self.forHostsTheFixturesDoNotHave[$0] == nil }
        #expect(unused.isEmpty, "patterns no fixture or example host was read for (add a host that needs them, or list them in forHostsTheFixturesDoNotHave with the reason):\n\(unused.joined(separator: "\n"))")
        let stale = Self.forHostsTheFixturesDoNotHave.keys.filter { !patterns.contains($0) || used.contains($0) }
        #expect(stale.isEmpty, "listed as not exercised, but gone from the manifest or exercised now: \(stale.sorted())")
    }
}
