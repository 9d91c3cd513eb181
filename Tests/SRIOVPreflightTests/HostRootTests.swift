import Foundation
@testable import SRIOVPreflight
import Testing

@Suite("Host root")
struct HostRootTests {
    @Test("real symlinks, flattened links and absolute links all resolve inside the root")
    func links() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/sys/devices/pci0000:00/0000:00:01.0", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/sys/bus/pci/devices", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir + "/sys/bus/pci/drivers/igb", withIntermediateDirectories: true)
        try "0x8086\n".write(toFile: dir + "/sys/devices/pci0000:00/0000:00:01.0/vendor", atomically: true, encoding: .utf8)
        // a real relative symlink
        try fm.createSymbolicLink(atPath: dir + "/sys/bus/pci/devices/0000:00:01.0", withDestinationPath: "../../../devices/pci0000:00/0000:00:01.0")
        // a flattened link: a file holding the link text
        try "../../../bus/pci/drivers/igb\n".write(toFile: dir + "/sys/devices/pci0000:00/0000:00:01.0/driver", atomically: true, encoding: .utf8)
        // an absolute link and a link climbing past the top stay inside the root
        try "secret".write(toFile: dir + "/../outside-\(UUID().uuidString)", atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: dir + "/escape", withDestinationPath: "../../../../../../etc/hostname")
        try fm.createSymbolicLink(atPath: dir + "/abs", withDestinationPath: "/sys/bus/pci/devices/0000:00:01.0/vendor")
        try fm.createSymbolicLink(atPath: dir + "/loop", withDestinationPath: "loop")

        let root = HostRoot.disk(dir)
        #expect(root.value("sys/bus/pci/devices/0000:00:01.0/vendor") == "0x8086")
        #expect(root.linkName("sys/bus/pci/devices/0000:00:01.0/driver") == "igb")
        #expect(root.isDirectory("sys/bus/pci/devices/0000:00:01.0/driver"))
        #expect(root.entries("sys/bus/pci/devices") == ["0000:00:01.0"])
        #expect(root.value("abs") == "0x8086")
        if case .failure(let e) = root.read("escape") { #expect(e == .missing) } else { Issue.record("escaped the root") }
        if case .failure(let e) = root.read("loop") { #expect(e == .linkLoop) } else { Issue.record("loop not detected") }
        if case .failure(let e) = root.read("nope/cmdline") { #expect(e == .missing) } else { Issue.record("missing file read") }
    }

    @Test("memory hosts: unreadable, removed and overlaid files")
    func memory() {
        let h = ExampleHost("t").file("proc/cmdline", "a b").unreadable("proc/cpuinfo").link("sys/x", "../proc")
        let r = h.root()
        #expect(r.value("proc/cmdline") == "a b")
        if case .failure(let e) = r.read("proc/cpuinfo") { #expect(e == .permissionDenied) } else { Issue.record("read an unreadable file") }
        #expect(r.value("sys/x/cmdline") == "a b")
        #expect(r.entries("proc") == ["cmdline", "cpuinfo"])
        let removed = h.removing("proc/cmdline").root()
        #expect(removed.value("proc/cmdline") == nil)
        #expect(removed.entries("proc") == ["cpuinfo"])
    }

    @Test("kernel command line and grub parsing")
    func parsing() {
        let c = KernelCmdline("BOOT_IMAGE=/vmlinuz root=/dev/sda1 intel_iommu=on,sm_on iommu=pt quiet \"dyndbg=file x +p\" intremap=off")
        #expect(c.options("intel_iommu") == ["on", "sm_on"])
        #expect(c.value("iommu") == "pt")
        #expect(c.tokens.contains("dyndbg=file x +p"))
        #expect(c.iommuTokens == ["intel_iommu=on,sm_on", "iommu=pt", "intremap=off"])
        var vars: [String: String] = [:]
        let a = BootFacts.parseShellAssignments("""
            GRUB_CMDLINE_LINUX="a b"
            # GRUB_CMDLINE_LINUX="commented"
            GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX intel_iommu=on" # trailing comment
            GRUB_CMDLINE_LINUX_DEFAULT='quiet ${GRUB_CMDLINE_LINUX}'
            """, vars: &vars)
        #expect(a.last?.1 == "quiet ${GRUB_CMDLINE_LINUX}")
        #expect(vars["GRUB_CMDLINE_LINUX"] == "a b intel_iommu=on")
    }

    @Test("the kernel log keeps only relevant lines and strips timestamps and kmsg headers")
    func kernelLog() {
        let text = "[    0.1] DMAR: IOMMU enabled\n[    0.2] unrelated\n6,339,5140900,-;AMD-Vi: Interrupt remapping enabled\n SUBSYSTEM=pci\n"
        let log = KernelLog(source: "t", bytes: Array(text.utf8))
        #expect(log.lineCount == 4)
        #expect(log.lines == ["DMAR: IOMMU enabled", "AMD-Vi: Interrupt remapping enabled"])
    }
}
