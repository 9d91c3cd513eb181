import ACPITables
@testable import SRIOVPreflight
import Testing

/// The kernel log in the shapes support engineers receive it.
@Suite("Kernel log shapes")
struct KernelLogShapeTests {
    static let messages = [
        "Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1",
        "ACPI: DMAR 0x000000008DC9F478 000070 (v01 INTEL  SKL      00000001 INTL 00000001)",
        "DMAR: dmar0: reg_base_addr fed90000 ver 1:0 cap d2008c40660462 ecap f050da",
        "DMAR: [Firmware Bug]: Your BIOS is broken; DMAR reported at address 0!",
        "DMAR-IR: Enabled IRQ remapping in x2apic mode",
    ]

    static func log(_ prefix: (Int) -> String) -> KernelLog {
        let text = messages.enumerated().map { prefix($0.offset) + $0.element }.joined(separator: "\n") + "\n"
        return KernelLog(source: "t", bytes: Array(text.utf8))
    }

    @Test("plain dmesg, dmesg -T, dmesg -x, <level>, kmsg, syslog, journalctl -k (short, iso, monotonic), no timestamps",
          arguments: [
            "[    0.24%d000] ", "[Tue Jan 17 09:23:4%d 2024] ", "kern  :info  : [    0.24%d000] ", "<6>[    0.24%d000] ",
            "6,33%d,5140900,-;", "Jan 17 09:23:4%d node-17 kernel: [    0.24%d000] ", "Jan 17 09:23:4%d node-17 kernel: ",
            "2024-01-17T09:23:4%d+0100 node-17 kernel: ", "[    0.24%d000] node-17 kernel: ", "<6>Jan  7 09:23:4%d node-17 kernel: ",
            "Jan 17 09:23:4%d node-17 kernel[0]: ", "",
          ])
    func shapes(_ format: String) {
        let log = Self.log { i in format.replacingOccurrences(of: "%d", with: "\(i)") }
        #expect(log.lines == Self.messages, "\(format)")
        #expect(log.boots == 1)
        #expect(log.hasBootStart)
    }

    @Test("several boots in one file: the last is read, and the evidence says so")
    func severalBoots() {
        let text = """
            Jan 16 09:00:00 node-17 kernel: Linux version 6.1.0-12-amd64 (debian-kernel@lists.debian.org)
            Jan 16 09:00:00 node-17 kernel: DMAR-IR: Enabled IRQ remapping in x2apic mode
            Jan 16 18:00:01 node-17 systemd[1]: Stopping user@1000.service - DMAR unrelated text
            -- Boot 5d1c2a0b31c84b5fa0c8c1ad4b1e1a2b --
            Jan 17 09:00:00 node-17 kernel: Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org)
            Jan 17 09:00:00 node-17 kernel: x2apic: IRQ remapping doesn't support X2APIC mode

            """
        let log = KernelLog(source: "var/log/dmesg", bytes: Array(text.utf8))
        #expect(log.boots == 2)
        #expect(log.lines == ["Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org)",
                              "x2apic: IRQ remapping doesn't support X2APIC mode"])
        #expect(log.sourceNote == "var/log/dmesg (last of 2 boots in the log)")
        let ir = IRFacts.collect(HostRoot(backend: MemoryBackend(label: "t", nodes: [:])), log: log)
        #expect(ir.enabledLine == nil)
    }

    @Test("other programs' syslog lines and bracketed message prefixes are not taken for the kernel's")
    func notKernel() {
        let text = """
            Jan 17 09:23:45 node-17 sshd[812]: DMAR-IR: Enabled IRQ remapping in x2apic mode
            [    0.25] DMAR: [DMA Read NO_PASID] Request device [00:02.0] fault addr 0x0
            [Firmware Bug]: DMAR: something

            """
        let log = KernelLog(source: "t", bytes: Array(text.utf8))
        #expect(log.lines == ["DMAR: [DMA Read NO_PASID] Request device [00:02.0] fault addr 0x0", "[Firmware Bug]: DMAR: something"])
    }
}

/// A capture holding acpidump text instead of sys/firmware/acpi/tables.
@Suite("acpidump text in a host root")
struct AcpidumpRootTests {
    @Test("the firmware facts take DMAR and IVRS from acpidump text at the root")
    func acpidumpAtRoot() {
        let dmar = SyntheticTables.dmar(flags: 0x03)
        let text = "DSDT @ 0x0000000000000000\n    0000: 44 53 44 54\n\n" + AcpidumpText.render(signature: "DMAR", address: 0x7B7E_4000, bytes: dmar)
        for name in ["acpidump.txt", "acpidump"] {
            let host = ExampleHost.fieldIntelReady.file(name, text)
            let s = HostSnapshot.collect(host.root())
            #expect(s.firmware.dmar.present)
            #expect(s.firmware.dmarFlags == 0x03)
            #expect(s.firmware.dmar.path == "\(name) (DMAR @ 0x000000007B7E4000)")
            let results = Engine.run(s)
            #expect(results.first { $0.id == "firmware.iommu-table" }?.status == .pass)
            #expect(results.first { $0.id == "firmware.interrupt-remapping" }?.status == .warn)
            #expect(results.first { $0.id == "ir.supported" }?.status == .pass)
        }
    }
}

/// Lines of older kernels (3.x: `dmar:`, `IOMMU 0:`, `IR:`), and excerpts that start mid-boot.
@Suite("Kernel log: older kernels and excerpts")
struct KernelLogOlderTests {
    static func snapshot(_ lines: [String], amd: Bool = false) -> HostSnapshot {
        let text = lines.map { "[    0.100000] " + $0 }.joined(separator: "\n") + "\n"
        return HostSnapshot.collect(ExampleHost("t").file("proc/cpuinfo", "vendor_id\t: \(amd ? "AuthenticAMD" : "GenuineIntel")\n")
            .file("var/log/dmesg", text).root())
    }

    @Test("3.x unit lines and enable line")
    func oldUnits() {
        let s = Self.snapshot(["Linux version 3.10.0-1160.el7.x86_64 (mockbuild@kbuilder)",
                               "ACPI: DMAR 000000007b7e4000 000C8 (v01 INTEL  EDK2     00000002      01000013)",
                               "dmar: Host address width 46",
                               "dmar: DRHD base: 0x000000fbffc000 flags: 0x1",
                               "dmar: IOMMU 0: reg_base_addr fbffc000 ver 1:0 cap d2078c106f0466 ecap f020de",
                               "IR: Enabled IRQ remapping in x2apic mode"])
        #expect(s.ir.dmarUnits.map(\.name) == ["dmar0"])
        #expect(s.ir.dmarUnits.first?.ecap == 0xF020DE)
        let m = IRModel(s)
        guard case .enabled(_, let mode) = m.decision else { Issue.record("not enabled: \(m.decision)"); return }
        #expect(mode == "x2apic")
        #expect(m.allUnitsIR == true)
    }

    @Test("an excerpt from the decision on, without any DMAR: no table; with 'Failed to enable irq remapping': decided")
    func excerpts() {
        let none = IRModel(Self.snapshot(["x2apic: IRQ remapping doesn't support X2APIC mode", "..TIMER: vector=0x30 apic1=0 pin1=2 apic2=-1 pin2=-1"]))
        #expect(none.logShowsNoTable)
        let failed = IRModel(Self.snapshot(["ACPI: DMAR 0x000000007B7E4000 0000C8 (v01 INTEL  EDK2     00000002      01000013)",
                                            "Failed to enable irq remapping.  You are vulnerable to irq-injection attacks."]))
        guard case .notEnabled = failed.decision else { Issue.record("\(failed.decision)"); return }
        #expect(!failed.logShowsNoTable)
        let rotated = IRModel(Self.snapshot(["iommu: Default domain type: Translated"]))
        #expect(!rotated.logShowsNoTable)
    }
}

@Suite("IR model: disagreements")
struct IRModelDisagreementTests {
    @Test("intremap=no_x2apic_optout predicts x2APIC mode; a kernel that enabled xAPIC mode wins, and the evidence says so")
    func optOutOverride() {
        let host = ExampleHost.fieldIntelOptOut.editing("proc/cmdline") { $0.replacingOccurrences(of: "\n", with: " intremap=no_x2apic_optout\n") }
        let s = HostSnapshot.collect(host.root())
        let m = IRModel(s)
        #expect(m.predictedMode == "x2apic")
        #expect(m.disagreements.contains { $0.observed.contains("the model predicts x2apic mode") })
        #expect(m.notes.contains { $0.observed.hasPrefix("intremap=no_x2apic_optout") })
        let r = Engine.run(s).first { $0.id == "ir.enabled" }
        #expect(r?.status == .pass)
        #expect(r?.evidence.contains { $0.observed.contains("the model predicts x2apic mode") } == true)
    }
}
