import Foundation
@testable import SRIOVPreflight
import Testing

/// A root on a trusted mount (sysfs, or a `nodev` tmpfs/ext4/XFS/Btrfs: `DiskBackend.trustedMount`) is read
/// with no `fstatat` before each open and no `read` after a short one. These tests build the same roots on
/// such a mount (a `nodev` tmpfs mounted for the test: root only) and on an ordinary directory, and hold the
/// two readings to the same report, hostile roots included (a FIFO, a device node, links out of the root).
@Suite("Trusted mounts", .serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: Paths.binary),
                                               "\(Paths.binary) not built: run `swift build` first (make test does)"))
struct TrustedMountTests {
    /// A `nodev` tmpfs mounted for one test (nil, with the reason, where it cannot be: not root, no mount).
    final class NodevMount {
        let path: String
        init?() {
            guard getuid() == 0 else {
                print("trusted mounts: not root, no nodev tmpfs can be mounted: skipped")
                return nil
            }
            path = temporaryDirectory("nodev")
            let r = try? run(["/bin/mount", "-t", "tmpfs", "-o", "nodev,nosuid,size=512m", "tmpfs", path])
            guard r?.status == 0 else {
                print("trusted mounts: mount -t tmpfs -o nodev failed (\(r?.err ?? "no mount")): skipped")
                removeTemporary(path)
                return nil
            }
        }
        deinit {
            _ = try? run(["/bin/umount", path])
            removeTemporary(path)
        }
    }

    /// The report of `check` on `root`, with what differs between two runs (times, the root's own path) taken out.
    static func report(_ root: String) throws -> String {
        let r = try run([Paths.binary, "check", "--root", root, "--format", "json"])
        #expect([0, 1, 2].contains(r.status), "check exited \(r.status): \(r.err.suffix(1000))")
        return r.out.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("\"duration_ms\"") && !$0.contains("\"collect_ms\"") && !$0.contains("\"checks_ms\"")
                && !$0.contains("\"started_at\"") && !$0.contains("\"generated_at\"") }
            .joined(separator: "\n")
            .replacingOccurrences(of: root, with: "ROOT")
    }

    @Test("the mount test's tmpfs is trusted, an ordinary directory of the repository is not")
    func trustedMountIsSeen() throws {
        guard let m = NodevMount() else { return }
        let fd = open(m.path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        #expect(DiskBackend.trustedMount(fd).trusted)
        #expect(!DiskBackend.trustedMount(fd).sysfs)
        let sys = open("/sys", O_RDONLY | O_DIRECTORY)
        if sys >= 0 {
            defer { close(sys) }
            #expect(DiskBackend.trustedMount(sys) == (trusted: true, sysfs: true))
        }
    }

    @Test("every committed fixture host gives the same report from a nodev tmpfs as from its directory")
    func fixturesAlike() throws {
        guard let m = NodevMount() else { return }
        for host in Paths.committedFixtureHosts {
            let src = Paths.fixtureHosts + "/" + host
            let copy = m.path + "/" + host
            let cp = try run(["/bin/cp", "-a", src, copy])
            #expect(cp.status == 0, "cp: \(cp.err)")
            let a = try Self.report(src), b = try Self.report(copy)
            #expect(a == b, "\(host): the report from the nodev tmpfs differs")
        }
    }

    @Test("a hostile root gives the same report from a nodev tmpfs as from an ordinary directory",
          arguments: HostileRootTests.cases)
    func hostileAlike(_ c: HostileRootTests.Case) throws {
        guard let m = NodevMount() else { return }
        if c.needsRoot && getuid() != 0 { return }
        let (work, root, _) = try HostileRootTests.build(c)
        defer { removeTemporary(work) }
        // The same tree, copied with its FIFOs, device nodes and links as they are.
        let copy = m.path + "/root"
        let cp = try run(["/bin/cp", "-a", root, copy])
        #expect(cp.status == 0, "cp: \(cp.err)")
        let json = m.path + "/report.json"
        let bounded = try HostileRootTests.runBounded(["check", "--root", copy, "--format", "json"], stdoutFile: json)
        #expect(!bounded.timedOut, "check hung on the nodev copy: killed after \(bounded.seconds) s")
        guard !bounded.timedOut else { return }
        for n in c.named { #expect(bounded.stdout.contains(n), "the report from the nodev copy does not name \(n)") }
        // Links out of the root name the outside directory by a path relative to the root: the same in both.
        let a = try Self.report(root), b = try Self.report(copy)
        #expect(a == b, "\(c.name): the report from the nodev tmpfs differs from the ordinary directory's")
    }
}
