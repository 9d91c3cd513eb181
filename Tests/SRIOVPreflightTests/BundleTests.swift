import Foundation
@testable import SRIOVPreflight
import Testing

/// Support bundles: `bundle` then `check --bundle` gives the verdicts of the host; `--redact` removes the
/// host's identities without changing a verdict; unsafe or broken archives are refused with a clear error.
@Suite("Support bundles")
struct BundleTests {
    /// (id, object, status, message, evidence) of every result, with the root path taken out of the
    /// messages. An unpacked bundle is read as `check --bundle` reads it (unreadable paths from the manifest).
    static func verdicts(_ root: String, redactedBy map: [String: [String: String]] = [:]) -> [String] {
        let host = FileManager.default.fileExists(atPath: root + "/" + Manifest.name)
            ? SupportBundle.root(ofUnpacked: root) : HostRoot.disk(root)
        let (report, _) = Report.run(root: host)
        return report.results.map { r in
            var m = r.message.replacingOccurrences(of: root, with: "<root>")
            m += r.evidence.map { " | \($0.source): \($0.observed) (\($0.expected ?? "-"))" }.joined()
            for (_, pairs) in map { for (orig, token) in pairs { m = m.replacingOccurrences(of: orig, with: token) } }
            return "\(r.id) [\(r.object)] \(r.status.rawValue): \(m)"
        }
    }

    /// Writes a bundle of `host`, unpacks it and returns (the unpacked dir, the redaction map).
    static func roundTrip(_ host: String, redact: Bool, work: String) throws -> (String, [String: [String: String]]) {
        let out = "\(work)/b.tar.gz"
        let summary = try SupportBundle.create(root: HostRoot.disk(host), output: out, redact: redact)
        #expect(summary.bytes > 0)
        var map: [String: [String: String]] = [:]
        if redact {
            let data = try Data(contentsOf: URL(fileURLWithPath: SupportBundle.redactionMapPath(for: out)))
            map = (try JSONSerialization.jsonObject(with: data) as? [String: [String: String]]) ?? [:]
        }
        let dir = try SupportBundle.unpack(out)
        return (dir, map)
    }

    /// The example host, with identities to redact: a hostname, an IPv4/IPv6 address and a serial number.
    static func exampleHost(at dir: String) throws {
        try ExampleHost.intelWithNIC
            .file("etc/hostname", "lab-node-7.example.net\n")
            .file("proc/sys/kernel/hostname", "lab-node-7.example.net\n")
            .editing("var/log/dmesg") { log in
                log + "[    2.000000] usb 1-1: SerialNumber: ZX81SPECTRUM\n"
                    + "[    3.000000] lab-node-7: eth0 10.20.30.40/24 fe80::3efd:feff:fea5:1000 up\n"
            }
            .materialize(at: dir)
    }

    /// Every value `values` must be absent from the text files of `dir` (grep -r, binary files skipped).
    static func leaks(_ values: [String], in dir: String) throws -> [String] {
        var found: [String] = []
        for v in values where !v.isEmpty {
            let r = try run(["grep", "-rIlF", "--", v, dir])
            if r.status == 0 { found.append("\(v): \(r.out.trimmingWhitespace())") }
        }
        return found
    }

    /// The host's MACs (sys/class/net/*/address, zero and broadcast excepted) and hostname.
    static func identities(_ host: String) -> [String] {
        let root = HostRoot.disk(host)
        var v: [String] = []
        for i in root.entries("sys/class/net") {
            if let mac = root.value("sys/class/net/\(i)/address"), !Redactor.keptValues.contains(mac) { v.append(mac) }
        }
        for p in ["proc/sys/kernel/hostname", "etc/hostname"] { if let h = root.value(p) { v.append(h) } }
        return v
    }

    @Test("example host: bundle then replay gives the same verdicts")
    func exampleRoundTrip() throws {
        let work = temporaryDirectory("bundle")
        defer { try? FileManager.default.removeItem(atPath: work) }
        try Self.exampleHost(at: work + "/host")
        let (dir, _) = try Self.roundTrip(work + "/host", redact: false, work: work)
        defer { SupportBundle.removeTemporaryDirectory(dir) }
        #expect(Self.verdicts(dir) == Self.verdicts(work + "/host").map { $0.replacingOccurrences(of: work + "/host", with: "<root>") })
        for f in ["report.json", "report.xml", "lspci-xxxx.txt", "MANIFEST.json", "var/log/dmesg", "proc/cmdline"] {
            #expect(FileManager.default.fileExists(atPath: "\(dir)/\(f)"), "\(f) missing from the bundle")
        }
        // sysfs links stay links
        let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(dir)/sys/bus/pci/devices/0000:3b:00.0")
        #expect(link?.hasPrefix("../") == true)
        let manifest = try String(contentsOfFile: "\(dir)/MANIFEST.json", encoding: .utf8)
        #expect(manifest.contains("\"sha256\"") && manifest.contains("\"version\""))
    }

    @Test("example host: a redacted bundle holds no hostname, MAC, IP or serial, and keeps the verdicts")
    func exampleRedacted() throws {
        let work = temporaryDirectory("bundle")
        defer { try? FileManager.default.removeItem(atPath: work) }
        try Self.exampleHost(at: work + "/host")
        let (dir, map) = try Self.roundTrip(work + "/host", redact: true, work: work)
        defer { SupportBundle.removeTemporaryDirectory(dir) }
        let secrets = Self.identities(work + "/host") + ["lab-node-7", "10.20.30.40", "fe80::3efd:feff:fea5:1000", "ZX81SPECTRUM"]
        #expect(!Self.identities(work + "/host").isEmpty)
        #expect(try Self.leaks(secrets, in: dir).isEmpty)
        #expect(map["serial"]?["ZX81SPECTRUM"] != nil && map["ipv4"]?["10.20.30.40"] == "192.0.2.1")
        #expect(!FileManager.default.fileExists(atPath: dir + "/b.tar.gz.redaction-map.json"))
        #expect(Self.verdicts(dir) == Self.verdicts(work + "/host", redactedBy: map).map { $0.replacingOccurrences(of: work + "/host", with: "<root>") })
    }

    @Test("shared hosts: check --bundle gives the results of check --root", .enabled(if: Paths.shared != nil, Comment(rawValue: Paths.sharedMissing)),
          arguments: Paths.sharedHosts)
    func sharedRoundTrip(_ name: String) throws {
        let host = Paths.shared! + "/hosts/" + name
        let work = temporaryDirectory("bundle")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let (dir, _) = try Self.roundTrip(host, redact: false, work: work)
        defer { SupportBundle.removeTemporaryDirectory(dir) }
        let expected = Self.verdicts(host)
        #expect(expected.count > 10)
        #expect(Self.verdicts(dir) == expected)
        // size and speed goals
        let size = (try FileManager.default.attributesOfItem(atPath: work + "/b.tar.gz")[.size] as? Int) ?? 0
        #expect(size < 2 << 20, "bundle of \(name) is \(size) bytes")
    }

    @Test("shared hosts: a redacted bundle holds none of the host's identities and keeps the verdicts",
          .enabled(if: Paths.shared != nil, Comment(rawValue: Paths.sharedMissing)), arguments: Paths.sharedHosts)
    func sharedRedacted(_ name: String) throws {
        let host = Paths.shared! + "/hosts/" + name
        let work = temporaryDirectory("bundle")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let (dir, map) = try Self.roundTrip(host, redact: true, work: work)
        defer { SupportBundle.removeTemporaryDirectory(dir) }
        #expect(try Self.leaks(Self.identities(host), in: dir).isEmpty)
        #expect(Self.verdicts(dir) == Self.verdicts(host, redactedBy: map))
    }

    @Test("the command line: check --bundle on a shared host matches check --root", .enabled(if: Paths.shared != nil && FileManager.default.isExecutableFile(atPath: Paths.binary)))
    func cli() throws {
        guard let name = Paths.sharedHosts.first else { return }
        let host = Paths.shared! + "/hosts/" + name
        let work = temporaryDirectory("bundle")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let b = try run([Paths.binary, "bundle", "--root", host, "--output", work + "/b.tar.gz"])
        #expect(b.status == 0, "\(b.err)")
        let direct = try run([Paths.binary, "check", "--root", host])
        let replay = try run([Paths.binary, "check", "--bundle", work + "/b.tar.gz"])
        #expect(direct.status == replay.status)
        func body(_ s: String) -> String { s.split(separator: "\n").dropFirst(2).joined(separator: "\n") }  // header names the root
        #expect(body(direct.out) == body(replay.out))
    }

    /// Every fixture host: the committed lab captures and the shared hosts.
    static var allHosts: [String] {
        Paths.committedFixtureHosts.map { Paths.fixtureHosts + "/" + $0 }
            + Paths.sharedHosts.map { Paths.shared! + "/hosts/" + $0 }
    }

    /// Regular files, symlinks (with targets) and directories under `dir`, root-relative.
    static func inventory(_ dir: String) -> (files: [String: [UInt8]], links: [String: String], dirs: Set<String>) {
        var files: [String: [UInt8]] = [:], links: [String: String] = [:], dirs = Set<String>()
        let fm = FileManager.default
        guard let e = fm.enumerator(atPath: dir) else { return (files, links, dirs) }
        while let rel = e.nextObject() as? String {
            let full = dir + "/" + rel
            if let t = try? fm.destinationOfSymbolicLink(atPath: full) { links[rel] = t; continue }
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: full, isDirectory: &isDir), isDir.boolValue { dirs.insert(rel) } else {
                files[rel] = [UInt8](fm.contents(atPath: full) ?? Data())
            }
        }
        return (files, links, dirs)
    }

    @Test("every fixture host: the bundle holds exactly what the recording saw, and replay gives the same results",
          arguments: BundleTests.allHosts)
    func bundleIsTheRecord(_ host: String) throws {
        let work = temporaryDirectory("bundle")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let (dir, _) = try Self.roundTrip(host, redact: false, work: work)
        defer { SupportBundle.removeTemporaryDirectory(dir) }
        let snapshot = HostSnapshot.collect(HostRoot.disk(host))
        let (files, links, dirs) = Self.inventory(dir)
        let extras: Set<String> = ["report.json", "report.xml", "lspci-xxxx.txt", Manifest.name, "var/log/dmesg"]
        var listed = Set<String>()   // entries of listed directories: placeholders may stand there
        var recorded = Set<String>()
        for r in snapshot.filesRead {
            recorded.insert(r.path)
            if r.kind == .directory, r.error == nil,
               let names = try? FileManager.default.contentsOfDirectory(atPath: dir + "/" + r.path) {
                for n in names { listed.insert(r.path.isEmpty ? n : r.path + "/" + n) }
            }
            guard r.error == nil else {
                #expect(files[r.path] == nil || r.error != "absent", "\(r.path): \(r.error!) on the host but in the bundle")
                continue
            }
            switch r.kind {
            case .link:
                #expect(links[r.path] != nil, "link \(r.path) missing from the bundle")
            case .directory:
                #expect(r.path.isEmpty || dirs.contains(r.path), "directory \(r.path) missing from the bundle")
            case .file:
                guard links[r.path] == nil else { continue }
                let bytes = files[r.path]
                #expect(bytes != nil, "file \(r.path) missing from the bundle")
                if let bytes, let sha = r.sha256, !BundleCollector.isModulesAlias(r.path) {
                    #expect(SHA256.hex(bytes) == sha, "\(r.path) differs from what the facts read")
                }
            }
        }
        for (p, b) in files where !extras.contains(p) {
            #expect(recorded.contains(p) || (b.isEmpty && listed.contains(p)), "\(p) in the bundle but never read")
        }
        for (p, t) in links {
            #expect(recorded.contains(p) || listed.contains(p), "link \(p) in the bundle but never read")
            #expect(!t.hasPrefix("/"), "link \(p) -> \(t) is absolute")
        }
        #expect(Self.verdicts(dir) == Self.verdicts(host), "replay of \(host) differs")
    }

    @Test("absolute link targets and targets climbing past the top are stored relative, naming the same place")
    func relativeTargets() {
        #expect(BundleCollector.relativeTarget("../../devices/pci0000:00", at: "sys/bus/pci") == "../../devices/pci0000:00")
        #expect(BundleCollector.relativeTarget("/boot/efi/EFI/redhat/grubenv", at: "boot/grub2/grubenv") == "../efi/EFI/redhat/grubenv")
        #expect(BundleCollector.relativeTarget("/etc/x", at: "a") == "etc/x")
        #expect(BundleCollector.relativeTarget("../../../../etc/x", at: "a/b") == "../etc/x")
    }

    @Test("a RHEL 8 UEFI host: grubenv behind an absolute symlink is in the bundle and pending-reboot replays")
    func grubenvBehindSymlink() throws {
        let work = temporaryDirectory("bundle")
        defer { try? FileManager.default.removeItem(atPath: work) }
        try ExampleHost.intelWithNIC
            .link("boot/grub2/grubenv", "/boot/efi/EFI/redhat/grubenv")
            .file("boot/efi/EFI/redhat/grubenv", "# GRUB Environment Block\nkernelopts=root=/dev/sda1 ro intel_iommu=on\n")
            .file("boot/loader/entries/abc-6.1.0.conf", "title Linux\nversion 6.1.0\noptions $kernelopts\n")
            .materialize(at: work + "/host")
        let (dir, _) = try Self.roundTrip(work + "/host", redact: false, work: work)
        defer { SupportBundle.removeTemporaryDirectory(dir) }
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/boot/grub2/grubenv")) == "../efi/EFI/redhat/grubenv")
        #expect(FileManager.default.fileExists(atPath: dir + "/boot/efi/EFI/redhat/grubenv"))
        #expect(Self.verdicts(dir) == Self.verdicts(work + "/host").map { $0.replacingOccurrences(of: work + "/host", with: "<root>") })
    }

    @Test("a path the host could not read replays with the same error")
    func unreadableReplays() throws {
        let work = temporaryDirectory("bundle")
        defer { try? FileManager.default.removeItem(atPath: work) }
        try Self.exampleHost(at: work + "/host")
        let host = work + "/host"
        let root = HostRoot(backend: MemoryBackend(label: host, nodes: ["proc/cmdline": .unreadable(.permissionDenied)],
                                                   over: DiskBackend(base: host)))
        _ = try SupportBundle.create(root: root, output: work + "/b.tar.gz", redact: false)
        let dir = try SupportBundle.unpack(work + "/b.tar.gz")
        defer { SupportBundle.removeTemporaryDirectory(dir) }
        let replay = SupportBundle.root(ofUnpacked: dir)
        #expect(replay.read("proc/cmdline").failureDescription.contains("permission denied"))
        let direct = Report.run(root: root).0.results.map { "\($0.id) \($0.object) \($0.status)" }
        #expect(Report.run(root: replay).0.results.map { "\($0.id) \($0.object) \($0.status)" } == direct)
    }

    static func expectRefused(_ archive: String, _ words: String) {
        #expect(throws: BundleError.self) { _ = try SupportBundle.unpack(archive) }
        do { _ = try SupportBundle.unpack(archive) } catch { #expect("\(error)".contains(words), "\(error)") }
    }

    @Test("path traversal, absolute members and absolute symlinks are refused")
    func traversal() throws {
        let work = temporaryDirectory("bundle")
        defer { try? FileManager.default.removeItem(atPath: work) }
        try "x".write(toFile: work + "/a", atomically: true, encoding: .utf8)
        try run(["tar", "-czf", work + "/dotdot.tar.gz", "-C", work, "--transform", "s,^,../,", "a"])
        Self.expectRefused(work + "/dotdot.tar.gz", "'..'")
        try run(["tar", "-czf", work + "/abs.tar.gz", "-C", work, "--transform", "s,^,/etc/,", "--absolute-names", "a"])
        Self.expectRefused(work + "/abs.tar.gz", "absolute path")
        symlink("/etc/passwd", work + "/l")
        try run(["tar", "-czf", work + "/abslink.tar.gz", "-C", work, "l"])
        Self.expectRefused(work + "/abslink.tar.gz", "absolute path")
        // a relative ../ link target that stays inside, as in sysfs, is fine; one that leaves is not
        unlink(work + "/l")
        symlink("../../devices/pci0000:00", work + "/l")
        try run(["tar", "-czf", work + "/out.tar.gz", "-C", work, "l"])
        Self.expectRefused(work + "/out.tar.gz", "leads out of the bundle")
        try FileManager.default.createDirectory(atPath: work + "/sys/bus", withIntermediateDirectories: true)
        symlink("../../devices/pci0000:00", work + "/sys/bus/l")
        try run(["tar", "-czf", work + "/rel.tar.gz", "-C", work, "sys"])
        let dir = try SupportBundle.unpack(work + "/rel.tar.gz")
        SupportBundle.removeTemporaryDirectory(dir)
    }

    @Test("a truncated archive and a non-archive file give a clear error")
    func broken() throws {
        let work = temporaryDirectory("bundle")
        defer { try? FileManager.default.removeItem(atPath: work) }
        try Self.exampleHost(at: work + "/host")
        _ = try SupportBundle.create(root: HostRoot.disk(work + "/host"), output: work + "/b.tar.gz", redact: false)
        let full = try Data(contentsOf: URL(fileURLWithPath: work + "/b.tar.gz"))
        try full.prefix(full.count / 2).write(to: URL(fileURLWithPath: work + "/trunc.tar.gz"))
        Self.expectRefused(work + "/trunc.tar.gz", "truncated")
        try "not a bundle\n".write(toFile: work + "/text.tar.gz", atomically: true, encoding: .utf8)
        Self.expectRefused(work + "/text.tar.gz", "not a gzip file")
        Self.expectRefused(work + "/missing.tar.gz", "cannot read bundle")
    }
}
