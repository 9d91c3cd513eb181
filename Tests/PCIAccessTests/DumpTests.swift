import Foundation
import PCIAccess
import Testing

/// libpci's dump method on self-made files: error paths that must neither exit
/// nor crash, and round trips of SyntheticConfig dumps.
struct DumpTests {
    static func libpciError(_ body: () throws -> Void) -> PCIAccessError? {
        do {
            try body()
            return nil
        } catch let error as PCIAccessError {
            return error
        } catch {
            return nil
        }
    }

    @Test func garbageTextGivesNoFunctions() throws {
        let file = try ScratchFile(text: "hello\nthis is not\n a dump: at all\n00: 11 22\n\n")
        #expect(try PCIAccess.scanDump(file: file.path).isEmpty)
    }

    @Test func binaryGarbageGivesNoFunctionsOrAnError() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let bytes = (0..<Int.random(in: 0...4000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let file = try ScratchFile(bytes)
            do {
                #expect(try PCIAccess.scanDump(file: file.path).isEmpty)
            } catch let error as PCIAccessError {
                #expect(error.kind == .libpci && error.message.hasPrefix("dump: "))
            }
        }
    }

    @Test func malformedHexLineThrowsTwice() throws {
        let file = try ScratchFile(text: "00:00.0 Host bridge\n00: 86 80 zz 29 03 01 00 00 00 00 00 06 00 00 00 00\n")
        for _ in 0..<2 { // the second call proves the guard was reset after the first longjmp
            let error = try #require(Self.libpciError { _ = try PCIAccess.scanDump(file: file.path) })
            #expect(error.kind == .libpci)
            #expect(error.operation == "pci_init")
            #expect(error.message == "dump: Malformed line")
        }
        // And the process still scans good input afterwards.
        let good = try ScratchFile(text: SyntheticConfig.lspciDump([(PCIAddress(bus: 1, device: 0, function: 0), SyntheticConfig.sriovVF())]))
        #expect(try PCIAccess.scanDump(file: good.path).count == 1)
    }

    @Test func missingDumpFileThrows() {
        let error = Self.libpciError { _ = try PCIAccess.scanDump(file: "/nonexistent/dump.txt") }
        #expect(error?.message == "dump: Cannot open /nonexistent/dump.txt: No such file or directory")
    }

    @Test func tooLongLineThrows() throws {
        let file = try ScratchFile(text: String(repeating: "0", count: 600) + "\n")
        #expect(Self.libpciError { _ = try PCIAccess.scanDump(file: file.path) }?.message == "dump: line too long or unterminated")
    }

    @Test func configLongerThan4096Throws() throws {
        let file = try ScratchFile(text: "00:00.0 X\n1000: 00\n")
        #expect(Self.libpciError { _ = try PCIAccess.scanDump(file: file.path) }?.message
            == "dump: At most 4096 bytes of config space are supported")
    }

    @Test func truncatedDumpIsReported() throws {
        let pf = SyntheticConfig.sriovPF(vendorID: 0x15b3, deviceID: 0x1017, totalVFs: 8, numVFs: 0,
                                         firstVFOffset: 2, vfStride: 1, vfDeviceID: 0x1018)
        let file = try ScratchFile(text: SyntheticConfig.lspciDump([(PCIAddress(bus: 0x5e, device: 0, function: 0), Array(pf.prefix(64)))]))
        let record = try #require(try PCIAccess.scanDump(file: file.path).first)
        #expect(record.vendorID == 0x15b3 && record.deviceID == 0x1017 && record.classCode == 0x020000)
        #expect(record.configIsTruncated && record.configSize == 64)
        #expect(record.configSpace.capabilities.isEmpty && record.configSpace.sriov == nil)
    }

    @Test func partialDumpLengthsAreExact() throws {
        let pf = SyntheticConfig.sriovPF(vendorID: 0x15b3, deviceID: 0x1017, totalVFs: 8, numVFs: 0,
                                         firstVFOffset: 2, vfStride: 1, vfDeviceID: 0x1018)
        for (size, expected) in [(48, 48), (64, 64), (128, 64), (256, 256), (1024, 256), (4096, 4096)] {
            let file = try ScratchFile(text: SyntheticConfig.lspciDump([(PCIAddress(bus: 1, device: 0, function: 0), Array(pf.prefix(size)))]))
            let record = try #require(try PCIAccess.scanDump(file: file.path).first)
            #expect(record.configSize == expected, "dump of \(size) bytes")
            #expect(record.config == Array(pf.prefix(expected)))
        }
    }

    @Test func scanResultCarriesNoMessagesForCleanInput() throws {
        let file = try ScratchFile(text: SyntheticConfig.lspciDump([(PCIAddress(bus: 1, device: 0, function: 0), SyntheticConfig.sriovVF())]))
        let result = try PCIAccess.scan(.dump(file: file.path))
        #expect(result.messages.isEmpty)
        let debug = try PCIAccess.scan(.dump(file: file.path), debug: true)
        #expect(debug.messages.contains { $0.hasPrefix("debug: Decided to use dump") })
    }

    @Test func concurrentScansEachUseTheirOwnAccess() async throws {
        let good = try ScratchFile(text: SyntheticConfig.lspciDump((0..<8).map {
            (PCIAddress(bus: 2, device: UInt8($0), function: 0), SyntheticConfig.sriovVF())
        }))
        let bad = try ScratchFile(text: "00:00.0 X\n00: qq\n")
        let goodPath = good.path, badPath = bad.path
        let outcomes = await withTaskGroup(of: String.self) { group in
            for index in 0..<64 {
                group.addTask {
                    if index.isMultiple(of: 2) {
                        return (try? PCIAccess.scanDump(file: goodPath).count).map { "ok \($0)" } ?? "unexpected error"
                    }
                    return Self.libpciError { _ = try PCIAccess.scanDump(file: badPath) }?.message ?? "no error"
                }
            }
            var all: [String] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        #expect(outcomes.filter { $0 == "ok 8" }.count == 32)
        #expect(outcomes.filter { $0 == "dump: Malformed line" }.count == 32)
    }
}
