/// Guests holding VFs, written into example hosts: libvirt's live domain status and QEMU processes.
extension ExampleHost {
    /// libvirt's status file of a running domain, as libvirt 9 writes it (`/run/libvirt/qemu/NAME.xml`): the
    /// first VF as `<hostdev type='pci'>`, the others as `<interface type='hostdev'>`, beside a disk and a USB
    /// device whose addresses are not host PCI functions. When `running`, its QEMU is in `proc` too (comm and
    /// the command line libvirt gives it, with JSON `-device`); otherwise the file is left over.
    public func withLibvirtGuest(_ name: String, pid: Int, vfs: [String], running: Bool = true) -> ExampleHost {
        func addr(_ a: String) -> String {
            let p = a.split(separator: ":"), df = p[2].split(separator: ".")
            return "domain='0x\(p[0])' bus='0x\(p[1])' slot='0x\(df[0])' function='0x\(df[1])'"
        }
        var devices = ""
        for (i, vf) in vfs.enumerated() {
            if i == 0 {
                devices += """
                        <hostdev mode='subsystem' type='pci' managed='yes'>
                          <driver name='vfio'/>
                          <source>
                            <address \(addr(vf))/>
                          </source>
                          <alias name='hostdev\(i)'/>
                          <address type='pci' domain='0x0000' bus='0x0\(5 + i)' slot='0x00' function='0x0'/>
                        </hostdev>

                """
            } else {
                devices += """
                        <interface type='hostdev' managed='yes'>
                          <mac address='52:54:00:6d:90:0\(i)'/>
                          <driver name='vfio'/>
                          <source>
                            <address type='pci' \(addr(vf))/>
                          </source>
                          <alias name='hostdev\(i)'/>
                          <address type='pci' domain='0x0000' bus='0x0\(5 + i)' slot='0x00' function='0x0'/>
                        </interface>

                """
            }
        }
        let xml = """
            <!--
            WARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE
            OVERWRITTEN AND LOST. Changes to this xml configuration should be made using:
              virsh edit \(name)
            or other application using the libvirt API.
            -->

            <domstatus state='running' reason='booted' pid='\(pid)'>
              <monitor path='/var/lib/libvirt/qemu/domain-1-\(name)/monitor.sock' type='unix'/>
              <vcpus>
                <vcpu id='0' pid='\(pid + 8)'/>
              </vcpus>
              <devices>
                <device alias='hostdev0'/>
                <device alias='virtio-disk0'/>
              </devices>
              <libDir path='/var/lib/libvirt/qemu/domain-1-\(name)'/>
              <domain type='kvm' id='1'>
                <name>\(name)</name>
                <uuid>6f1c2a90-7d3e-4c55-9a1b-3e2f00c0ffee</uuid>
                <memory unit='KiB'>4194304</memory>
                <os>
                  <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>
                </os>
                <devices>
                  <emulator>/usr/bin/qemu-system-x86_64</emulator>
                  <disk type='file' device='disk'>
                    <driver name='qemu' type='qcow2'/>
                    <source file='/var/lib/libvirt/images/\(name).qcow2' index='1'/>
                    <target dev='vda' bus='virtio'/>
                    <address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x0'/>
                  </disk>
            \(devices)      <hostdev mode='subsystem' type='usb' managed='yes'>
                    <source>
                      <vendor id='0x0781'/>
                      <product id='0x5567'/>
                      <address bus='1' device='3'/>
                    </source>
                  </hostdev>
                </devices>
              </domain>
            </domstatus>

            """
        var h = self.file("run/libvirt/qemu/\(name).xml", xml).file("run/libvirt/qemu/\(name).pid", "\(pid)")
        if !running { return h }
        var args = ["/usr/bin/qemu-system-x86_64", "-name", "guest=\(name),debug-threads=on", "-S", "-machine", "pc-q35-7.2,usb=off",
                    "-m", "size=4194304k", "-blockdev", "{\"driver\":\"file\",\"filename\":\"/var/lib/libvirt/images/\(name).qcow2\"}"]
        for (i, vf) in vfs.enumerated() {
            args += ["-device", "{\"driver\":\"vfio-pci\",\"host\":\"\(vf)\",\"id\":\"hostdev\(i)\",\"bus\":\"pci.\(5 + i)\",\"addr\":\"0x0\"}"]
        }
        h = h.file("proc/\(pid)/comm", "qemu-system-x86\n").bytes("proc/\(pid)/cmdline", Array((args.joined(separator: "\0") + "\0").utf8))
        return h
    }

    /// A QEMU started by hand or by another manager: `-device vfio-pci,host=…` in its command line.
    public func withQEMUProcess(pid: Int, name: String?, vfs: [String]) -> ExampleHost {
        var args = ["qemu-system-x86_64", "-enable-kvm", "-m", "8G", "-smp", "4"]
        if let name { args += ["-name", name] }
        for (i, vf) in vfs.enumerated() { args += ["-device", "vfio-pci,host=\(vf),id=vf\(i)"] }
        args += ["-drive", "file=/srv/vm/disk.img,if=virtio", "-nographic"]
        return self.file("proc/\(pid)/comm", "qemu-system-x86\n").bytes("proc/\(pid)/cmdline", Array((args.joined(separator: "\0") + "\0").utf8))
            .file("proc/1/comm", "systemd\n").file("proc/1/cmdline", "/sbin/init\0splash\0")
    }
}
