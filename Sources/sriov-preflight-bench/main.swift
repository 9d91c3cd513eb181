// Benchmarks for `make bench`: speed goals are measured here, never in timed unit tests.
import ACPITables
import SRIOVPreflight

#if canImport(Glibc)
import Glibc
#endif

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1_000_000
}

/// Best of `runs` wall times of `body`, in milliseconds.
func measure(_ runs: Int = 7, _ body: () -> Void) -> Double {
    var best = Double.infinity
    for _ in 0..<runs {
        let t = now()
        body()
        best = min(best, now() - t)
    }
    return best
}

/// A realistic kernel log of `lines` lines: mostly noise, with the IOMMU lines of a large server.
func syntheticKernelLog(lines: Int) -> [UInt8] {
    var out = ""
    out.reserveCapacity(lines * 80)
    let noise = [
        "usb 1-1.4: new high-speed USB device number 3 using ehci-pci",
        "ixgbe 0000:3b:00.0 eth0: NIC Link is Up 10 Gbps, Flow Control: RX/TX",
        "EXT4-fs (sda1): mounted filesystem with ordered data mode. Quota mode: none.",
        "audit: type=1400 audit(1700000000.123:42): apparmor=\"STATUS\" operation=\"profile_load\"",
        "perf: interrupt took too long (2510 > 2500), lowering kernel.perf_event_max_sample_rate to 79500",
        "pci 0000:3b:10.0: Adding to iommu group 87",
        "systemd[1]: Started Journal Service.",
    ]
    for i in 0..<lines {
        let t = String(format3(Double(i) * 0.0137))
        let msg: String
        switch i {
        case 10: msg = "DMAR: IOMMU enabled"
        case 20: msg = "DMAR: dmar0: reg_base_addr fbffc000 ver 1:0 cap 8d2078c106f0466 ecap f020df"
        case 21: msg = "DMAR: dmar1: reg_base_addr c5ffc000 ver 1:0 cap 8d2078c106f0466 ecap f020df"
        case 30: msg = "DMAR-IR: Enabled IRQ remapping in x2apic mode"
        default: msg = noise[i % noise.count]
        }
        out += "[\(t.leftPad(12))] \(msg)\n"
    }
    return Array(out.utf8)
}

func format3(_ v: Double) -> String {
    let whole = Int(v)
    let frac = Int((v - Double(whole)) * 1_000_000)
    return "\(whole)." + String(frac).leftPad(6, "0")
}

extension String {
    func leftPad(_ n: Int, _ c: Character = " ") -> String { count >= n ? self : String(repeating: c, count: n - count) + self }
}

var rows: [(String, String)] = []
let args = CommandLine.arguments.dropFirst()
let only = args.first

if only == nil || only == "kernel-log" {
    let log = syntheticKernelLog(lines: 100_000)
    var kept = 0
    let ms = measure { kept = KernelLog(source: "bench", bytes: log).lines.count }
    rows.append(("kernel log scan, 100,000 lines (\(log.count / 1024) KiB, \(kept) kept)", String(format3(ms).prefix(7)) + " ms"))
}

if only == "make-host", let dir = args.dropFirst().first {
    // A synthetic host of PFS PFs × VFS VFs (default 8 × 128; each VF bound to ixgbevf, own IOMMU group),
    // written to `dir`. `make-host DIR 40 124` gives ~5,000 functions.
    let rest = Array(args.dropFirst(2))
    let pfs = rest.first.flatMap { Int($0) } ?? 8
    let vfs = rest.dropFirst().first.flatMap { Int($0) } ?? 128
    guard (1...100).contains(pfs), (1...128).contains(vfs) else { print("make-host DIR [PFS 1-100] [VFS 1-128]"); exit(64) }
    // Each NIC is built on its own small example host and written over the same directory: one example
    // host holding every function would copy its growing node table at each step.
    do {
        try ExampleHost.intelReady.materialize(at: dir)
        for pf in 0..<pfs {
            try ExampleHost("nic-\(pf)").withNIC(NICSpec().with {
                $0.address = "0000:\(hex(0x10 + pf * 2, 2)):00.0"; $0.bridge = "0000:00:\(hex(pf % 31 + 1, 2)).\(pf / 31)"
                $0.netdev = "ens\(pf)f0"; $0.totalVFs = 128; $0.numVFs = vfs; $0.vfOffset = 128; $0.vfStride = 1
                $0.vfDrivers = Array(repeating: "ixgbevf", count: vfs); $0.iommuGroup = String(1000 * (pf + 1))
                $0.mac = "3c:fd:fe:a5:\(hex(pf, 2)):00"
            }).materialize(at: dir)
        }
    } catch { print("cannot write \(dir): \(error)"); exit(1) }
    exit(0)
}

if only == "make-fleet", let dir = args.dropFirst().first, let n = args.dropFirst(2).first.flatMap({ Int($0) }),
   let fixtures = args.dropFirst(3).first {
    // `n` host reports for `aggregate`: the committed fixture hosts' reports in turn, each under its own host
    // name (node-00000.json …), written as `check --format json` writes them.
    let base = PathText.entries(fixtures).filter { !$0.hasPrefix(".") }.sorted()
        .map { ReportDocument.run(root: HostRoot.disk(fixtures + "/" + $0)).0 }
    guard !base.isEmpty else { print("no fixture hosts in \(fixtures)"); exit(1) }
    mkdir(dir, 0o755)
    var bytes = 0
    // Each base report is serialized once with a placeholder host name, which each copy replaces: the same
    // bytes as `r.json()` with that name (a name of plain characters is written as it is).
    let placeholder = "@@spf-bench-host@@"
    let texts: [(String, String)] = base.map { r in
        var r = r
        r.host.hostname = placeholder
        let t = r.json()
        let parts = t.split(separator: "\"" + placeholder + "\"", omittingEmptySubsequences: false)
        guard parts.count == 2 else { print("placeholder host name not found once"); exit(1) }
        return (String(parts[0]), String(parts[1]))
    }
    for i in 0..<n {
        let name = "node-" + String(i).leftPad(5, "0")
        let (head, tail) = texts[i % texts.count]
        let text = head + "\"" + name + "\"" + tail
        bytes += text.utf8.count
        do { try FileOutput.write(text, to: "\(dir)/\(name).json") } catch { print("cannot write: \(error)"); exit(1) }
    }
    print("wrote \(n) reports (\(bytes / 1_000_000) MB) from \(base.count) fixture hosts to \(dir)")
    exit(0)
}

if only == "fleet-phases", let dir = args.dropFirst().first {
    // Where `aggregate`'s time goes, phase by phase (best of 3, in CPU time of the process, steadier than
    // wall time on a shared machine): the report files of `dir` read; read and hashed; read and read by the
    // lean reader (one thread); then the two-thread load, the fleet document and each format.
    func measure(_ runs: Int, _ body: () -> Void) -> Double {
        func cpu() -> Double {
            var ts = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
            return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1_000_000
        }
        var best = Double.infinity
        for _ in 0..<runs { let t = cpu(); body(); best = min(best, cpu() - t) }
        return best
    }
    let names = PathText.entries(dir).filter { $0.hasSuffix(".json") }.sorted().map { dir + "/" + $0 }
    var total = 0
    let read = measure(3) { total = 0; for n in names { total += (try? FileInput.read(n, limit: FileInput.reportLimit))?.count ?? 0 } }
    let sha = measure(3) { for n in names { _ = SHA256.hex((try? FileInput.read(n, limit: FileInput.reportLimit)) ?? []) } }
    let lean = measure(3) {
        for n in names {
            let b = (try? FileInput.read(n, limit: FileInput.reportLimit)) ?? []
            _ = try? b.withUnsafeBytes { try FleetReport.read($0) }
        }
    }
    var inputs: [FleetInput] = []
    let load = measure(3) { inputs = FleetLoader.loadAll(names) }
    var fleet: FleetDocument?
    let build = measure(3) { fleet = FleetAggregator.build(inputs, now: 0) }
    print("\(names.count) reports, \(total / 1_000_000) MB; CPU time:")
    print("read, one thread:               \(Int(read)) ms")
    print("read + sha256, one thread:      \(Int(sha)) ms")
    print("read + lean reader, one thread: \(Int(lean)) ms")
    print("load (two threads):             \(Int(load)) ms")
    print("fleet document:                 \(Int(build)) ms")
    for f in FleetFormat.allCases {
        let ms = measure(3) { _ = try? f.reporter().render(fleet!) }
        print("render \(f.rawValue):".padding(32) + "\(Int(ms)) ms")
    }
    exit(0)
}

if (only == nil || only == "acpi"), let dir = args.dropFirst().first ?? (only == nil ? nil : nil) ?? findCorpus() {
    var tables: [[UInt8]] = []
    if let d = opendir(dir) {
        while let e = readdir(d) {
            let name = withUnsafePointer(to: e.pointee.d_name) { $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) } }
            guard name.hasSuffix(".bin"), let f = fopen(dir + "/" + name, "rb") else { continue }
            var bytes: [UInt8] = []
            var buf = [UInt8](repeating: 0, count: 65536)
            while true { let n = fread(&buf, 1, buf.count, f); if n <= 0 { break }; bytes += buf[0..<n] }
            fclose(f)
            tables.append(bytes)
        }
        closedir(d)
    }
    var decoded = 0
    let ms = measure { decoded = tables.filter { (try? ACPITable.decode($0)) != nil }.count }
    rows.append(("ACPI decode, \(tables.count) corpus tables (\(decoded) decoded)", String(format3(ms).prefix(7)) + " ms"))
}

func findCorpus() -> String? {
    for c in ["../shared/corpus/acpi", "../../shared/corpus/acpi"] where access(c, R_OK) == 0 { return c }
    return nil
}

func hex(_ v: Int, _ n: Int) -> String { String(v, radix: 16).leftPad(n, "0") }

if only == "check", let dir = args.dropFirst().first {
    let root = HostRoot.disk(dir)
    var snap: HostSnapshot?
    let collect = measure(3) { snap = HostSnapshot.collect(HostRoot.disk(dir)) }
    let pciOnly = measure(3) { _ = PCIFacts.collectForBench(root) }
    let checks = measure(3) { _ = Engine.run(snap!) }
    rows.append(("snapshot of \(dir)", String(format3(collect).prefix(7)) + " ms"))
    rows.append(("  of which PCI facts", String(format3(pciOnly).prefix(7)) + " ms"))
    rows.append(("checks on it", String(format3(checks).prefix(7)) + " ms"))
}

for (name, value) in rows {
    print("\(name.padding(76)) \(value)")
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}

if only == "ops", let dir = args.dropFirst().first {
    let fns = PCIFacts.collectForBench(HostRoot.disk(dir)).functions.filter { $0.physfn != nil }
    let groups = fns.compactMap(\.iommuGroup)
    func per(_ name: String, recording: Bool, _ body: (HostRoot, PCIFunction, String) -> Void) {
        var best = Double.infinity
        for _ in 0..<5 {
            let base = HostRoot.disk(dir)
            let root = recording ? base.recording(into: FileRecorder()) : base
            // The PFs' directories known first, as in a run.
            _ = PCIFacts.collectForBench(root)
            let fresh = recording ? HostRoot.disk(dir).recording(into: FileRecorder()) : HostRoot.disk(dir)
            for f in fns where f.physfn == nil { _ = fresh.list(f.path) }
            let t = now()
            for (i, f) in fns.enumerated() { body(fresh, f, groups[i % groups.count]) }
            best = min(best, now() - t)
            _ = root
        }
        print("\(name)\(recording ? " (recording)" : ""): \(format3(best * 1000 / Double(fns.count))) µs per VF")
    }
    for rec in [false, true] {
        per("read config", recording: rec) { r, f, _ in _ = r.read("\(f.path)/config", limit: 4096) }
        per("read config + driver + iommu_group", recording: rec) { r, f, _ in
            _ = r.read("\(f.path)/config", limit: 4096); _ = r.linkName("\(f.path)/driver"); _ = r.linkName("\(f.path)/iommu_group")
        }
        per("list group", recording: rec) { r, _, g in _ = r.list("sys/kernel/iommu_groups/\(g)/devices") }
    }
}
