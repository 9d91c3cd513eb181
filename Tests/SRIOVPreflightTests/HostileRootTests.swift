import Foundation
import PCIAccess
@testable import SRIOVPreflight
import Testing

/// Hostile host roots (issue 12's battery): FIFOs and character devices in place of files, links out of the
/// root, a 50 MB command line, a 2 GB sparse log, garbage numbers, non-UTF-8 names, link loops. Each root is
/// a copy of a fixture host with one thing broken; the binary runs `check` (and `nics`) on it with a
/// deadline, so a hang fails the test instead of hanging the suite. A report must come out within seconds,
/// the broken thing must be named, and nothing outside the root may be opened (inotify watches a directory
/// beside the root that the root's links point to).
@Suite("Hostile roots", .enabled(if: FileManager.default.isExecutableFile(atPath: Paths.binary),
                                 "\(Paths.binary) not built: run `swift build` first (make test does)"))
struct HostileRootTests {
    static let fixture = Paths.fixtureHosts + "/intel-igb-ready"
    static let pf = "sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0"
    /// What a run may take at most (a debug build on a loaded 2-core machine checks a fixture in ~0.3 s).
    static let deadline = 10.0

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        /// Breaks `root`; `outside` is a directory beside it that no read may touch.
        var make: @Sendable (_ root: String, _ outside: String) throws -> Void
        /// Texts the JSON report must hold (the path and the reason of what could not be read).
        var named: [String] = []
        /// Texts it must not hold (data from outside the root).
        var absent: [String] = []
        var needsRoot = false
        var testDescription: String { name }
    }

    // MARK: building blocks

    static func write(_ path: String, _ text: String) throws {
        unlink(path)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func fifo(_ path: String) throws {
        unlink(path)
        guard mkfifo(path, 0o644) == 0 else { throw POSIXError(.init(rawValue: errno)!) }
    }

    static func charDevice(_ path: String, major: UInt32 = 1, minor: UInt32 = 5) throws {   // 1,5: /dev/zero
        unlink(path)
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard mknod(path, S_IFCHR | 0o644, dev_t(major) << 8 | dev_t(minor)) == 0 else { throw POSIXError(.init(rawValue: errno)!) }
    }

    static func link(_ path: String, _ target: String) throws {
        unlink(path)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
    }

    /// A device directory outside the root that looks like an SR-IOV NIC no host has: vendor 0xbeef,
    /// TotalVFs 77, VF device 0xdead.
    static func outsideDevice(_ dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let config = SyntheticConfig.sriovPF(vendorID: 0xBEEF, deviceID: 0xCAFE, totalVFs: 77, numVFs: 0,
                                             firstVFOffset: 1, vfStride: 1, vfDeviceID: 0xDEAD, vfBARs: [])
        try Data(config).write(to: URL(fileURLWithPath: dir + "/config"))
        for (n, v) in [("vendor", "0xbeef"), ("device", "0xcafe"), ("class", "0x020000"), ("subsystem_vendor", "0xbeef"),
                       ("subsystem_device", "0x0001"), ("revision", "0x01"), ("irq", "0"), ("sriov_totalvfs", "77"),
                       ("numa_node", "-1")] {
            try write("\(dir)/\(n)", v + "\n")
        }
        try write("\(dir)/resource", String(repeating: "0x0000000000000000 0x0000000000000000 0x0000000000000000\n", count: 13))
    }

    /// What the outside data would look like in a report (the inotify watch is the stronger proof).
    static let outsideMarkers = ["beef:cafe", "totalvfs 77", "vf device dead", "outside-secret", "intel_iommu=off"]

    static let cases: [Case] = [
        Case(name: "FIFO in place of a PF's config", make: { r, _ in try fifo("\(r)/\(pf)/config") },
             named: ["0000:01:00.0/config", "FIFO"]),
        Case(name: "FIFO in place of proc/cmdline", make: { r, _ in try fifo("\(r)/proc/cmdline") },
             named: ["proc/cmdline", "FIFO"]),
        Case(name: "FIFO in place of var/log/dmesg", make: { r, _ in try fifo("\(r)/var/log/dmesg") },
             named: ["var/log/dmesg", "FIFO"]),
        Case(name: "FIFO in place of the DMAR table", make: { r, _ in try fifo("\(r)/sys/firmware/acpi/tables/DMAR") },
             named: ["DMAR", "FIFO"]),
        Case(name: "FIFO in place of a netdev's operstate and a VF's vendor", make: { r, _ in
            try fifo("\(r)/sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/net/eth0/operstate")
            try fifo("\(r)/sys/devices/pci0000:00/0000:00:01.0/0000:01:10.0/vendor")
        }),
        Case(name: "absolute link out of the root (a PCI function)", make: { r, o in
            try outsideDevice("\(o)/dev99")
            try link("\(r)/sys/bus/pci/devices/0000:99:00.0", "\(o)/dev99")
        }, absent: outsideMarkers),
        Case(name: "relative ../ link out of the root (a PCI function and its config)", make: { r, o in
            try outsideDevice("\(o)/dev98")
            // ROOT/sys/bus/pci/devices/X → ../../../../../outside/dev98 climbs past ROOT into its parent.
            try link("\(r)/sys/bus/pci/devices/0000:98:00.0", "../../../../../\((o as NSString).lastPathComponent)/dev98")
            try link("\(r)/\(pf)/config", "../../../../../../\((o as NSString).lastPathComponent)/dev98/config")
        }, absent: outsideMarkers),
        Case(name: "links out of the root for proc/cmdline, the kernel log and sys/class/net", make: { r, o in
            try write("\(o)/cmdline", "outside-secret intel_iommu=off\n")
            try link("\(r)/proc/cmdline", "\(o)/cmdline")
            try link("\(r)/var/log/dmesg", "../../../\((o as NSString).lastPathComponent)/cmdline")
            try FileManager.default.removeItem(atPath: "\(r)/sys/class/net/eth0")
            try link("\(r)/sys/class/net/eth0", "\(o)")
        }, absent: outsideMarkers),
        Case(name: "a 50 MB proc/cmdline", make: { r, _ in
            let word = "intel_iommu=on "
            try write("\(r)/proc/cmdline", String(repeating: word, count: 50_000_000 / word.utf8.count))
        }, named: ["proc/cmdline", "cut"]),
        Case(name: "a 2 GB sparse kernel log and a 2 GB sparse ACPI table", make: { r, _ in
            for p in ["var/log/dmesg", "sys/firmware/acpi/tables/DMAR"] {
                let fd = open("\(r)/\(p)", O_WRONLY | O_TRUNC)
                defer { close(fd) }
                guard fd >= 0, ftruncate(fd, 2 << 30) == 0 else { throw POSIXError(.EIO) }
            }
        }, named: ["var/log/dmesg", "\"file_size\": 2147483648"]),
        Case(name: "character devices (/dev/zero) in place of proc/cmdline and a PF's config", make: { r, _ in
            try charDevice("\(r)/proc/cmdline")
            try charDevice("\(r)/\(pf)/config")
        }, named: ["proc/cmdline", "character device"], needsRoot: true),
        Case(name: "links to /dev/zero and /dev/urandom (inside the root: a char device there)", make: { r, _ in
            try charDevice("\(r)/dev/zero")
            try charDevice("\(r)/dev/urandom", major: 1, minor: 9)
            try link("\(r)/var/log/dmesg", "/dev/zero")
            try link("\(r)/proc/cpuinfo", "../dev/urandom")
        }, named: ["var/log/dmesg", "character device"], needsRoot: true),
        Case(name: "garbage numbers in sysfs attributes", make: { r, _ in
            let d = "\(r)/\(pf)"
            let iov = "0x0000000000000001 0xffffffffffffffff 0x0000000000140204\n"
            let resource = String(repeating: "0x0000000000000000 0x0000000000000000 0x0000000000000000\n", count: 7)
                + String(repeating: iov, count: 6)
            for (n, v) in [("sriov_totalvfs", "9223372036854775807"), ("sriov_numvfs", "-5"), ("sriov_offset", "9223372036854775807"),
                           ("sriov_stride", "-9223372036854775808"), ("sriov_vf_device", "0xzz"), ("numa_node", "NaN"),
                           ("class", "0xffffffffffffffffff"), ("vendor", "-1"), ("current_link_width", "\u{0}\u{1}"),
                           ("ari_enabled", "2147483648"), ("secondary_bus_number", "-1"),
                           ("resource", resource)] {
                try write("\(d)/\(n)", v + "\n")
            }
            try write("\(d)/net/eth0/speed", "9223372036854775807\n")
            try write("\(d)/net/eth0/mtu", "-99999999999999999999\n")
            try write("\(r)/sys/class/net/bond0/bonding/mode", "802.3ad 99999999999999999999\n")
            try write("\(r)/sys/class/net/bond0/bonding/miimon", "-1\n")
            let vf = "\(r)/sys/devices/pci0000:00/0000:00:01.0/0000:01:10.0"
            try write("\(vf)/resource", "0xffffffffffffffff 0x0000000000000000 0xffffffffffffffff\nx y z\n")
            try write("\(vf)/sriov_totalvfs", "99999999999999999999999\n")
        }),
        Case(name: "non-UTF-8 names in sys/bus/pci/devices, sys/class/net and the ACPI tables", make: { r, _ in
            for dir in ["sys/bus/pci/devices", "sys/class/net", "sys/firmware/acpi/tables", "etc/modprobe.d", "sys/kernel/iommu_groups"] {
                var name = Array("\(r)/\(dir)/".utf8) + [0xFF, 0xFE, 0x41, 0xC3] + Array(".conf".utf8)
                name.append(0)
                let fd = name.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_WRONLY | O_CREAT, 0o644) }
                if fd >= 0 { _ = Glibc.write(fd, "x", 1); close(fd) }
            }
        }, named: ["sys/class/net/\u{FFFD}\u{FFFD}A\u{FFFD}.conf", "sys/bus/pci/devices/\u{FFFD}\u{FFFD}A\u{FFFD}.conf",
                   "skipped: its name is not UTF-8 (bytes ff fe 41 c3 2e 63 6f 6e 66)"]),
        Case(name: "symlink loops", make: { r, _ in
            try link("\(r)/sys/bus/pci/devices/0000:97:00.0", "0000:97:00.0")
            try link("\(r)/sys/class/net/loop0", "../net/loop1")
            try link("\(r)/sys/class/net/loop1", "../net/loop0")
            try link("\(r)/\(pf)/driver", "../0000:01:00.0/driver")
            try link("\(r)/proc/cmdline", "cmdline")
        }, named: ["proc/cmdline", "symbolic links"]),
        Case(name: "an unreadable sys/class/net (a FIFO in its place)", make: { r, _ in
            try FileManager.default.removeItem(atPath: "\(r)/sys/class/net")
            try fifo("\(r)/sys/class/net")
        }, named: ["sys/class/net"]),
    ]

    // MARK: running

    struct Run {
        var status: Int32
        var seconds: Double
        var timedOut: Bool
        var stdout: String
        var stderr: String
    }

    /// Runs the binary with a deadline; killed (and reported as timed out) when it passes.
    static func runBounded(_ args: [String], seconds: Double = deadline * 2, stdoutFile: String) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Paths.binary)
        p.arguments = args
        FileManager.default.createFile(atPath: stdoutFile, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutFile))
        let errFile = stdoutFile + ".err"
        FileManager.default.createFile(atPath: errFile, contents: nil)
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errFile))
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        let t0 = Date()
        try p.run()
        var timedOut = false
        while p.isRunning {
            if Date().timeIntervalSince(t0) > seconds {
                timedOut = true
                kill(p.processIdentifier, SIGKILL)
                break
            }
            usleep(20_000)
        }
        p.waitUntilExit()
        try out.close()
        try err.close()
        let elapsed = Date().timeIntervalSince(t0)
        let text = (try? String(contentsOfFile: stdoutFile, encoding: .utf8)) ?? ""
        return Run(status: p.terminationStatus, seconds: elapsed, timedOut: timedOut,
                   stdout: text.count > 4_000_000 ? "" : text,
                   stderr: (try? String(contentsOfFile: errFile, encoding: .utf8)) ?? "")
    }

    /// Any open or read of anything in `dir` (and its subdirectories) while it is watched.
    final class OutsideWatch {
        let fd: Int32
        init(_ dir: String) {
            fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            var dirs = [dir]
            if let e = FileManager.default.enumerator(atPath: dir) {
                while let rel = e.nextObject() as? String {
                    var isDir: ObjCBool = false
                    if FileManager.default.fileExists(atPath: dir + "/" + rel, isDirectory: &isDir), isDir.boolValue { dirs.append(dir + "/" + rel) }
                }
            }
            for d in dirs { _ = inotify_add_watch(fd, d, UInt32(IN_OPEN | IN_ACCESS)) }
        }
        /// True when something opened or read a watched file or directory since the last call.
        func touched() -> Bool {
            var buf = [UInt8](repeating: 0, count: 65536)
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            return n > 0
        }
        deinit { close(fd) }
    }

    /// A copy of the fixture host beside an `outside` directory, broken by `c`.
    static func build(_ c: Case) throws -> (work: String, root: String, outside: String) {
        let work = temporaryDirectory("hostile")
        let root = work + "/root", outside = work + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        let cp = try run(["/bin/cp", "-a", fixture, root])
        guard cp.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: cp.err]) }
        try c.make(root, outside)
        return (work, root, outside)
    }

    @Test("check and nics on a hostile root: a report within seconds, the broken thing named, nothing read outside",
          arguments: cases)
    func hostile(_ c: Case) throws {
        if c.needsRoot && getuid() != 0 {
            print("hostile root '\(c.name)': needs root to make device nodes: skipped")
            return
        }
        let (work, root, outside) = try Self.build(c)
        defer { removeTemporary(work) }
        let watch = OutsideWatch(outside)
        let json = work + "/report.json", junit = work + "/report.xml"
        let r = try Self.runBounded(["check", "--root", root, "--format", "json", "--junit", junit], stdoutFile: json)
        #expect(!r.timedOut, "check hung: killed after \(r.seconds) s")
        #expect(r.seconds < Self.deadline, "check took \(r.seconds) s")
        #expect([0, 1, 2].contains(r.status), "check exited \(r.status): \(r.stderr.suffix(2000))")
        let size = (try? FileManager.default.attributesOfItem(atPath: json)[.size] as? Int) ?? 0
        let xmlSize = (try? FileManager.default.attributesOfItem(atPath: junit)[.size] as? Int) ?? 0
        #expect(size > 0 && size < 4 << 20, "JSON report of \(size) bytes")
        #expect(xmlSize > 0 && xmlSize < 8 << 20, "JUnit report of \(xmlSize) bytes")
        let obj = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(obj?["results"] != nil, "no JSON report: \(r.stdout.prefix(500)) \(r.stderr.suffix(500))")
        for n in c.named { #expect(r.stdout.contains(n), "the report does not name \(n)") }
        let lower = r.stdout.lowercased()
        for a in c.absent { #expect(!lower.contains(a), "the report holds \(a), which is outside the root") }

        let nics = try Self.runBounded(["nics", "--root", root, "--format", "json"], stdoutFile: work + "/nics.json")
        #expect(!nics.timedOut && nics.seconds < Self.deadline, "nics took \(nics.seconds) s\(nics.timedOut ? " (hung, killed)" : "")")
        #expect([0, 1, 2].contains(nics.status), "nics exited \(nics.status): \(nics.stderr.suffix(2000))")
        for a in c.absent { #expect(!nics.stdout.lowercased().contains(a), "nics shows \(a), which is outside the root") }

        #expect(!watch.touched(), "something under \(outside) (outside the root) was opened or read")
        print("hostile root '\(c.name)': check \(String(format: "%.2f", r.seconds)) s (exit \(r.status)), JSON \(size) B, JUnit \(xmlSize) B; nics \(String(format: "%.2f", nics.seconds)) s")
    }

    @Test("a log read only in part and entries skipped for their names are in the document and the text report")
    func cutAndSkippedReported() throws {
        for name in ["a 2 GB sparse kernel log", "non-UTF-8 names"] {
            let c = Self.cases.first { $0.name.hasPrefix(name) }!
            let (work, root, _) = try Self.build(c)
            defer { removeTemporary(work) }
            let (report, snapshot) = Report.run(root: HostRoot.disk(root))
            let text = TextReporter(color: false).render(report)
            if name.hasPrefix("a 2 GB") {
                let log = report.filesRead.first { $0.path == "var/log/dmesg" }
                #expect(log?.size == KernelLog.readLimit && log?.fileSize == 2 << 30, "\(String(describing: log))")
                #expect(snapshot.kernelLog.cutFrom == 2 << 30)
                #expect(snapshot.kernelLog.sourceNote.contains("cut: only the first \(KernelLog.readLimit) of its \(2 << 30) bytes"))
                #expect(text.contains("read only in part:\n") && text.contains("\n  var/log/dmesg: the first \(KernelLog.readLimit) of \(2 << 30) bytes"), "\(text)")
                let back = try ReportDocument.read(json: JSONReporter().render(report))
                #expect(back.filesRead == report.filesRead, "file_size survives report --from")
            } else {
                for dir in ["sys/bus/pci/devices", "sys/class/net", "sys/firmware/acpi/tables"] {
                    let path = "\(dir)/\u{FFFD}\u{FFFD}A\u{FFFD}.conf"
                    let entry = report.filesRead.first { $0.path == path }
                    #expect(entry?.error?.hasPrefix(FSError.undecodableNamePrefix) == true, "\(dir): \(String(describing: entry))")
                    #expect(text.contains("  \(path): skipped: its name is not UTF-8"), "\(dir)")
                }
                // the rest of the host reads as before: the NIC is still there
                #expect(snapshot.pci.function("0000:01:00.0")?.vendorID == 0x8086)
            }
        }
    }

    @Test("bundle of a root with links out of it reads nothing outside and stores nothing from there")
    func bundleStaysInside() throws {
        let c = Self.cases.first { $0.name.hasPrefix("relative ../ link") }!
        let (work, root, outside) = try Self.build(c)
        defer { removeTemporary(work) }
        let watch = OutsideWatch(outside)
        let r = try Self.runBounded(["bundle", "--root", root, "--output", work + "/b.tar.gz"], stdoutFile: work + "/out.txt")
        #expect(!r.timedOut && r.status == 0, "bundle: exit \(r.status) \(r.stderr.suffix(1000))")
        #expect(!watch.touched(), "bundle opened or read something under \(outside)")
        let list = try run(["/bin/tar", "-xzOf", work + "/b.tar.gz", "lspci-xxxx.txt"])
        #expect(!list.out.contains("ef be"), "lspci-xxxx.txt holds the outside device's config")
    }

    @Test("library: the snapshot of a root with links out of it holds none of the outside config")
    func snapshotStaysInside() throws {
        let c = Self.cases.first { $0.name.hasPrefix("relative ../ link") }!
        let (work, root, outside) = try Self.build(c)
        defer { removeTemporary(work) }
        let outsideConfig = try Data(contentsOf: URL(fileURLWithPath: outside + "/dev98/config"))
        let watch = OutsideWatch(outside)
        let snap = HostSnapshot.collect(HostRoot.disk(root))
        for f in snap.pci.functions {
            if case .success(let b) = f.config { #expect(Data(b) != outsideConfig, "\(f.address) has the outside config") }
            #expect(f.vendorID != 0xBEEF)
        }
        #expect(!watch.touched(), "the snapshot opened or read something under \(outside)")
    }
}

/// Removes a scratch tree even when a case left a FIFO or a device node in it.
func removeTemporary(_ dir: String) {
    try? FileManager.default.removeItem(atPath: dir)
}

/// The library pieces the battery relies on.
@Suite("Hostile roots: bounded facts")
struct BoundedFactTests {
    @Test("a FIFO or a device in place of a file is refused with what it is, never opened blocking")
    func specialFiles() throws {
        let dir = temporaryDirectory("special")
        defer { removeTemporary(dir) }
        try FileManager.default.createDirectory(atPath: dir + "/proc", withIntermediateDirectories: true)
        #expect(mkfifo(dir + "/proc/cmdline", 0o644) == 0)
        let root = HostRoot.disk(dir)
        #expect(root.read("proc/cmdline") == .failure(.io("not a regular file: a FIFO")))
        let cmdline = HostSnapshot.collect(root).system.cmdline
        #expect(cmdline.reason == "not a regular file: a FIFO")
        #expect(root.read("proc") == .failure(.isADirectory))
    }

    @Test("a command line longer than 64 KiB is cut there, and says so")
    func cmdlineCut() {
        let long = String(repeating: "quiet ", count: 20_000) + "intel_iommu=on"
        let host = ExampleHost.intelReady.file("proc/cmdline", long)
        let c = HostSnapshot.collect(host.root()).system.cmdline.value
        #expect(c?.cut == true)
        #expect(c?.raw.hasSuffix(KernelCmdline.cutNote) == true)
        #expect((c?.raw.utf8.count ?? 0) <= KernelCmdline.maxBytes + KernelCmdline.cutNote.utf8.count)
        #expect(c?.tokens.allSatisfy { $0 == "quiet" } == true, "the partial last argument is dropped")
        let short = HostSnapshot.collect(ExampleHost.intelReady.root()).system.cmdline.value
        #expect(short?.cut == false && short?.raw.contains("cut") == false)
    }

    @Test("evidence keeps at most 64 KiB of any text, cut on a character boundary, and says so")
    func evidenceCap() {
        let e = Evidence("proc/cmdline", String(repeating: "é", count: 100_000))
        #expect(e.observed.utf8.count < Evidence.maxText + 100)
        #expect(e.observed.hasSuffix("bytes, the first 65536 shown]"))
        #expect(!e.observed.contains("\u{FFFD}"))
        #expect(Evidence("a", "short").observed == "short")
    }
}
