import Foundation
@testable import SRIOVPreflight
import Testing

/// "Absent on a live host" against "missing from a capture", for every fact family. The same hand-written host
/// is run twice: as the live host would show it (`.live()`: what it does not hold is not on the host, a verdict)
/// and as a capture (what it does not hold is "not in this evidence": an error or a skip naming the path, never
/// a verdict). `report.host.evidence_source` says which.
@Suite("Evidence source: live absence vs capture absence")
struct EvidenceSourceTests {
    struct Row: CustomTestStringConvertible, Sendable {
        var family: String
        var host: ExampleHost
        var check: CheckID
        var object = "host"
        /// `status code` (code without the check id) on the live host and in a capture.
        var live: String
        var capture: String
        /// A word the capture's message must hold (it names what is missing).
        var captureSays: String?

        var testDescription: String { "\(family): \(check.rawValue)[\(object)]" }
    }

    static let nic = ExampleHost.intelWithNIC.withBond("bond0", slaves: ["ens1f0", "eno1"])
    static let pfConfig = "sys/devices/pci0000:00/0000:00:02.0/0000:02:00.0/config"

    static let table: [Row] = [
        // Firmware tables: VT-d off in the BIOS (no DMAR line in the log) against a capture without the tables.
        Row(family: "firmware tables", host: .intelBIOSOff.removing(FirmwareFacts.tablesDir), check: .firmwareIOMMUTable,
            live: "fail no-table", capture: "error not-in-evidence", captureSays: FirmwareFacts.tablesDir),
        // A tables directory that is in the capture and lists no DMAR is the host's: a verdict in both.
        Row(family: "firmware tables (directory captured)", host: .intelBIOSOff, check: .firmwareIOMMUTable,
            live: "fail no-table", capture: "fail no-table"),
        Row(family: "firmware tables", host: .intelBIOSOff.removing(FirmwareFacts.tablesDir), check: .irSupported,
            live: "skip no-table", capture: "error tables-not-in-evidence", captureSays: FirmwareFacts.tablesDir),
        // IOMMU sysfs: a live host without units or groups has no IOMMU running; a capture of a kernel log and
        // a few files (no sysfs at all) decides from the log, and says when the log does not tell.
        Row(family: "IOMMU sysfs", host: .fieldIntelReady, check: .kernelIOMMUEnabled,
            live: "fail default-unknown", capture: "error sysfs-not-in-evidence", captureSays: "sys/class/iommu"),
        Row(family: "IOMMU sysfs", host: .intelReady.removing(IOMMUFacts.classDir).removing(IOMMUFacts.groupsDir),
            check: .kernelIOMMUEnabled, live: "fail off-with-dmar-on", capture: "fail off-with-dmar-on"),
        // Kernel log (and proc/interrupts): neither on a live host is a log that cannot be read; a capture says
        // it does not hold them.
        Row(family: "kernel log", host: .intelReady.removing("var/log/dmesg").removing("proc/interrupts"), check: .irEnabled,
            live: "error no-log-no-interrupts", capture: "error no-log-no-interrupts", captureSays: "not in this capture"),
        Row(family: "kernel log", host: .fieldIntelUndecided.removing("var/log/dmesg"), check: .firmwareIOMMUTable,
            live: "fail no-table", capture: "error not-in-evidence", captureSays: "no kernel log"),
        // Command line and boot configuration.
        Row(family: "cmdline", host: .intelReady.removing("proc/cmdline"), check: .kernelIOMMUCmdline,
            live: "error cmdline-unreadable", capture: "error not-captured", captureSays: "proc/cmdline"),
        Row(family: "cmdline", host: .intelReady.removing("proc/cmdline"), check: .kernelPendingReboot,
            live: "error cmdline-unreadable", capture: "error not-captured", captureSays: "proc/cmdline"),
        Row(family: "boot config", host: .intelReady.removing("etc/default/grub"), check: .kernelPendingReboot,
            live: "skip no-boot-config", capture: "skip no-boot-config", captureSays: "etc/default/grub"),
        // Modules and their parameters.
        Row(family: "modules", host: .intelReady.removing("proc/modules"), check: .vfioModules,
            live: "fail no-loadable-modules", capture: "pass available"),
        Row(family: "modules", host: .intelReady.removing("proc/modules").removing("lib/modules"), check: .vfioModules,
            live: "fail no-loadable-modules", capture: "error state-unknown", captureSays: "proc/modules"),
        Row(family: "module parameters", host: .intelReady.removing("sys/module"), check: .vfioNoIOMMU,
            live: "pass off", capture: "skip not-captured", captureSays: "sys/module"),
        Row(family: "module parameters", host: .intelReady.removing("sys/module"), check: .irUnsafeInterrupts,
            live: "pass ok", capture: "skip param-not-in-evidence-ir", captureSays: "sys/module"),
        // PCI functions and their config spaces.
        Row(family: "PCI functions", host: nic.removing(PCIFacts.devicesDir), check: .sriovCapable,
            live: "error pci-unlisted", capture: "error not-captured", captureSays: PCIFacts.devicesDir),
        Row(family: "PCI functions", host: nic.removing(PCIFacts.devicesDir), check: .sriovVFs,
            live: "error pci-unlisted", capture: "error not-captured", captureSays: PCIFacts.devicesDir),
        Row(family: "PCI functions", host: nic.removing(PCIFacts.devicesDir), check: .bondSRIOVMembers, object: "bond0",
            live: "skip members-not-in-evidence", capture: "skip members-not-in-evidence", captureSays: PCIFacts.devicesDir),
        Row(family: "PCI config", host: nic.removing(pfConfig), check: .sriovCapable, object: "0000:02:00.0",
            live: "error config-unreadable", capture: "error not-captured", captureSays: "0000:02:00.0/config"),
        // Network interfaces and bonds.
        Row(family: "net", host: nic.removing(NetFacts.classDir), check: .bondMode,
            live: "skip no-bonds", capture: "skip not-captured", captureSays: NetFacts.classDir),
        Row(family: "net", host: nic.removing(NetFacts.classDir), check: .bondVFMembers,
            live: "skip no-bonds", capture: "skip not-captured", captureSays: NetFacts.classDir),
        Row(family: "net", host: nic.removing(NetFacts.classDir), check: .nicLink, object: "0000:3b:00.0",
            live: "skip no-netdev", capture: "skip not-captured", captureSays: NetFacts.classDir),
        // CPU.
        Row(family: "CPU", host: .intelReady.removing("proc/cpuinfo"), check: .cpuVirtualization,
            live: "error cpuinfo-unreadable", capture: "error not-captured", captureSays: "proc/cpuinfo"),
    ]

    static func outcome(_ host: ExampleHost, _ row: Row) -> (text: String, result: CheckResult?, source: EvidenceSource) {
        let (report, _) = Report.run(root: host.root(), selection: Selection(only: [row.check.rawValue]))
        guard let r = report.results.first(where: { $0.object == row.object }) else {
            return ("no result for \(row.object): \(report.results.map { "\($0.object) \($0.code)" })", nil, report.host.evidenceSource)
        }
        return ("\(r.status) \(r.code.dropFirst(row.check.rawValue.count + 1))", r, report.host.evidenceSource)
    }

    @Test("family × {live absent, capture missing}", arguments: table)
    func row(_ row: Row) {
        let live = Self.outcome(row.host.live(), row)
        #expect(live.text == row.live, "live: \(live.result?.message ?? "")")
        #expect(live.source == .live)
        let capture = Self.outcome(row.host, row)
        #expect(capture.text == row.capture, "capture: \(capture.result?.message ?? "")")
        #expect(capture.source == .hostRoot)
        // Missing from a capture is never a verdict (pass/fail/warn) unless other evidence decides.
        if let word = row.captureSays, let r = capture.result {
            #expect(r.status == .error || r.status == .skip, "\(r.code)")
            let text = r.message + " " + r.evidence.map { "\($0.source) \($0.observed)" }.joined(separator: " ")
            #expect(text.contains(word), "capture result should name \(word): \(r.message)")
        }
    }

    @Test("every fact family has both cases")
    func coverage() {
        let families = Set(Self.table.map { $0.family.split(separator: " (").first.map(String.init) ?? $0.family })
        for f in ["firmware tables", "IOMMU sysfs", "kernel log", "cmdline", "boot config", "modules", "module parameters",
                  "PCI functions", "PCI config", "net", "CPU"] {
            #expect(families.contains(f), "no row for \(f)")
        }
    }

    @Test("a bundle recorded from the live host reads like it; a bundle of a capture like a capture")
    func bundleOrigin() throws {
        for (root, verdict) in [("/", true), ("/srv/captures/host-7", false)] {
            let dir = temporaryDirectory("spf-origin")
            defer { SupportBundle.removeTemporaryDirectory(dir) }
            try ExampleHost.intelBIOSOff.removing(FirmwareFacts.tablesDir).materialize(at: dir)
            let manifest = #"{"root":"\#(root)","files":[],"unreadable":[]}"#
            try manifest.write(toFile: dir + "/" + Manifest.name, atomically: true, encoding: .utf8)
            let host = SupportBundle.root(ofUnpacked: dir)
            #expect(host.evidence == .bundle)
            #expect(host.absenceIsVerdict == verdict)
            let (report, _) = Report.run(root: host, selection: Selection(only: ["firmware.iommu-table"]))
            #expect(report.host.evidenceSource == .bundle)
            #expect(report.results.first?.code == (verdict ? "firmware.iommu-table.no-table" : "firmware.iommu-table.not-in-evidence"))
        }
    }
}
