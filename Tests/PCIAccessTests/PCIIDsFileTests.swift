import Foundation
import PCIAccess
import Testing

/// The lazy pci.ids reader the reports use gives libpci's names.
struct PCIIDsFileTests {
    /// The reader over a file's bytes (the tool hands it its own bounded reader's).
    static func lazy(_ path: String) -> PCIIDsFile {
        PCIIDsFile(path: path) { FileManager.default.contents(atPath: path).map { [UInt8]($0) } }
    }

    @Test func namesFromAFixtureFileAsLibpciGivesThem() throws {
        let text = NameDatabaseTests.fixture + "\n"
        let file = try ScratchFile(text: text, suffix: ".ids")
        let lazy = Self.lazy(file.path)
        let libpci = PCINameDatabase(idsPath: file.path)
        for v: UInt16 in [0x1af4, 0x8086, 0x1234, 0x0002] {
            #expect(lazy.vendorName(v) == libpci.vendorName(v))
            for d: UInt16 in [0x1041, 0x1100, 0x0000, 0x9999] {
                #expect(lazy.deviceName(vendor: v, device: d) == libpci.deviceName(vendor: v, device: d))
            }
        }
        #expect(lazy.vendorName(0x1af4) == "Example Vendor")
        #expect(lazy.deviceName(vendor: 0x1af4, device: 0x1041) == "Example NIC")
    }

    /// Line ends, trailing blanks, comments, upper-case hex, blocks that hold no vendors (their nested lines
    /// are not devices), a subsystem line before the device sought.
    @Test func libpcisGrammar() throws {
        let text = [
            "# comment", "   ", "\t# indented comment",
            "10DE  Upper Case Vendor \r", "\t1B80  Device With CRLF\r", "\t\t10de 1234  A subsystem",
            "\t1b81  Two trailing blanks  ", "1af4\tTab Vendor", "\t1000\t Tabbed device",
            "C 02  Network controller", "\t00  Ethernet controller", "\t\t00  progif",
            "X 01  Unknown block", "\t1041  Not a device",
            "15b3  After The Blocks", "\t1017  MT27800 Family [ConnectX-5]",
        ].joined(separator: "\n") + "\n"
        let file = try ScratchFile(text: text, suffix: ".ids")
        let lazy = Self.lazy(file.path)
        let libpci = PCINameDatabase(idsPath: file.path)
        let cases: [(UInt16, UInt16)] = [(0x10de, 0x1b80), (0x10de, 0x1b81), (0x10de, 0x1234), (0x1af4, 0x1000),
                                         (0x1af4, 0x1041), (0x0002, 0x0000), (0x15b3, 0x1017), (0x15b3, 0x1041)]
        for (v, d) in cases {
            #expect(lazy.vendorName(v) == libpci.vendorName(v), "vendor \(v)")
            #expect(lazy.deviceName(vendor: v, device: d) == libpci.deviceName(vendor: v, device: d), "device \(v):\(d)")
        }
        #expect(lazy.vendorName(0x10de) == "Upper Case Vendor")
        #expect(lazy.deviceName(vendor: 0x10de, device: 0x1b81) == "Two trailing blanks ")
        #expect(lazy.deviceName(vendor: 0x15b3, device: 0x1017) == "MT27800 Family [ConnectX-5]")
    }

    /// A line libpci rejects before the entry: no name (libpci's first lookup fails the same way).
    @Test func damageBeforeTheEntryGivesNoName() throws {
        for bad in ["zzzz  Not hex", "8086", "8086   ", "\t\t\t0001  too deep", "S 8086 extra",
                    String(repeating: "a", count: 1100), "1234  NUL\u{0}inside"] {
            let text = "1af4  First\n\(bad)\n15b3  Later\n\t1017  Device\n"
            let file = try ScratchFile(text: text, suffix: ".ids")
            let lazy = Self.lazy(file.path)
            #expect(lazy.vendorName(0x15b3) == nil, "\(bad.prefix(20))")
            #expect(lazy.deviceName(vendor: 0x15b3, device: 0x1017) == nil)
            #expect(PCINameDatabase(idsPath: file.path).vendorName(0x15b3) == nil, "libpci on \(bad.prefix(20))")
            #expect(lazy.vendorName(0x1af4) == "First")
        }
        #expect(Self.lazy("/nonexistent/pci.ids").vendorName(0x8086) == nil)
        #expect(Self.lazy("/dev/null").vendorName(0x8086) == nil)
    }

    /// A gzip-compressed database is read by libpci (through zlib).
    @Test func compressedDatabaseGoesToLibpci() throws {
        let plain = try ScratchFile(text: NameDatabaseTests.fixture + "\n", suffix: ".ids")
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-c", plain.path]
        let out = Pipe()
        gzip.standardOutput = out
        try gzip.run()
        let bytes = out.fileHandleForReading.readDataToEndOfFile()
        gzip.waitUntilExit()
        #expect(bytes.starts(with: [0x1F, 0x8B]))
        let compressed = try ScratchFile(bytes, suffix: ".ids")
        let lazy = Self.lazy(compressed.path)
        #expect(lazy.vendorName(0x1af4) == "Example Vendor")
        #expect(lazy.deviceName(vendor: 0x1af4, device: 0x1041) == "Example NIC")
    }

    /// The system database: every 40th vendor and the NIC vendors, each with every 10th of its devices, its
    /// last and one it lacks, as libpci names them.
    @Test(.enabled(if: NameDatabaseTests.systemIDs?.hasSuffix(".ids") == true, "no plain system pci.ids: skipped"))
    func theSystemDatabaseAsLibpciNamesIt() throws {
        let path = NameDatabaseTests.systemIDs!
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        var vendors: [(UInt16, [UInt16])] = []
        for line in lines {
            if let v = UInt16(line.prefix(4), radix: 16), line.dropFirst(4).hasPrefix("  ") {
                vendors.append((v, []))
            } else if line.hasPrefix("\t"), !line.hasPrefix("\t\t"), !vendors.isEmpty,
                      let d = UInt16(line.dropFirst().prefix(4), radix: 16) {
                vendors[vendors.count - 1].1.append(d)
            } else if line.hasPrefix("C ") { break }
        }
        #expect(vendors.count > 1000)
        let nicVendors: Set<UInt16> = [0x8086, 0x15b3, 0x14e4, 0x1077, 0x19a2, 0x1924, 0x1425, 0x177d, 0x1d6a, 0x1af4]
        let lazy = Self.lazy(path)
        let libpci = PCINameDatabase(idsPath: path)
        var compared = 0
        for (i, (v, devices)) in vendors.enumerated() where i % 40 == 0 || nicVendors.contains(v) {
            #expect(lazy.vendorName(v) == libpci.vendorName(v))
            for (j, d) in (devices + [0xFFFF]).enumerated() where j % 10 == 0 || j >= devices.count - 1 {
                #expect(lazy.deviceName(vendor: v, device: d) == libpci.deviceName(vendor: v, device: d), "\(v):\(d)")
                compared += 1
            }
        }
        #expect(compared > 500)
    }
}
