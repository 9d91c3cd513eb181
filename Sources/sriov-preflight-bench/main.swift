// Benchmarks for `make bench`: speed goals are measured here, never in timed unit tests.
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

for (name, value) in rows {
    print("\(name.padding(76)) \(value)")
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
