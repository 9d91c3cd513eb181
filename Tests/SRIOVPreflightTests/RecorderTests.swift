import Foundation
@testable import SRIOVPreflight
import Testing

/// The record of what a snapshot read (`HostSnapshot.filesRead`) and the SHA-256 behind it.
@Suite("File recorder")
struct RecorderTests {
    @Test("SHA-256 of the FIPS 180-4 vectors and of lengths around the block boundary, as sha256sum says")
    func sha256() throws {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        let dir = temporaryDirectory("sha")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for n in [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 4096, 70_001] {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            try Data(bytes).write(to: URL(fileURLWithPath: "\(dir)/f"))
            let r = try run(["sha256sum", "\(dir)/f"])
            #expect(String(r.out.prefix(64)) == SHA256.hex(bytes), "length \(n)")
        }
    }

    @Test("SHA-256 through the CPU's SHA extensions (when it has them) equals the plain Swift rounds, at every length to 300")
    func sha256Paths() {
        var bytes: [UInt8] = []
        for n in 0...300 {
            #expect(SHA256.hex(bytes) == SHA256.portableHex(bytes), "length \(n)")
            #expect(SHA256.digest(bytes[...]).count == 32)
            bytes.append(UInt8(truncatingIfNeeded: n &* 167 &+ 13))
        }
        let big = (0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        #expect(SHA256.hex(big) == SHA256.portableHex(big))
        #expect(SHA256.hex(big[1...]) == SHA256.portableHex(Array(big[1...])))
    }

    @Test("a snapshot records files read, directories listed, links followed and failed reads")
    func record() throws {
        let host = ExampleHost.intelWithNIC
            .link("boot/grub2/grubenv", "../efi/EFI/redhat/grubenv")
            .file("boot/efi/EFI/redhat/grubenv", "# GRUB Environment Block\nsaved_entry=x\n")
            .unreadable("proc/interrupts")
        let s = HostSnapshot.collect(host.root())
        let byPath = Dictionary(s.filesRead.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(s.filesRead.map(\.path) == s.filesRead.map(\.path).sorted())
        #expect(Set(s.filesRead.map(\.path)).count == s.filesRead.count)
        let cmdline = try #require(byPath["proc/cmdline"])
        #expect(cmdline.kind == .file && cmdline.error == nil)
        if case .success(let b) = host.root().read("proc/cmdline") {
            #expect(cmdline.size == b.count && cmdline.sha256 == SHA256.hex(b))
        }
        #expect(byPath["sys/bus/pci/devices"]?.kind == .directory)
        #expect(byPath["sys/bus/pci/devices/0000:3b:00.0"]?.kind == .link)
        #expect(byPath["sys/bus/pci/devices/0000:3b:00.0"]?.target?.hasPrefix("../") == true)
        #expect(byPath["proc/interrupts"]?.error?.contains("permission denied") == true)
        #expect(byPath["boot/grub2/grubenv"]?.target == "../efi/EFI/redhat/grubenv")
        #expect(byPath["boot/efi/EFI/redhat/grubenv"]?.sha256 != nil)
        #expect(s.filesRead.contains { $0.error == "absent" })
    }
}
