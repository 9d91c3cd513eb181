import Foundation
import PCIAccess
import Testing

struct NameDatabaseTests {
    static let systemIDs = ["/usr/share/misc/pci.ids", "/usr/share/hwdata/pci.ids", "/usr/share/misc/pci.ids.gz"]
        .first { FileManager.default.fileExists(atPath: $0) }

    /// A tiny self-made pci.ids.
    static let fixture = """
        # test fixture
        1af4  Example Vendor
        \t1041  Example NIC
        \t\t1af4 1100  Example NIC subsystem
        8086  Fixture Intel
        C 02  Network controller
        \t00  Ethernet controller
        """

    @Test func loadsNothingUntilTheFirstLookup() throws {
        let database = PCINameDatabase(idsPath: "/nonexistent/pci.ids")
        #expect(!database.isLoaded)
        #expect(database.vendorName(0x8086) == nil)
        #expect(database.isLoaded)
    }

    @Test func namesFromAFixtureFile() throws {
        let file = try ScratchFile(text: Self.fixture + "\n", suffix: ".ids")
        let database = PCINameDatabase(idsPath: file.path)
        #expect(database.vendorName(0x1af4) == "Example Vendor")
        #expect(database.deviceName(vendor: 0x1af4, device: 0x1041) == "Example NIC")
        #expect(database.subsystemName(vendor: 0x1af4, device: 0x1041, subsystemVendor: 0x1af4, subsystem: 0x1100)
            == "Example NIC subsystem")
        #expect(database.className(0x020000) == "Ethernet controller")
        // An unknown subclass falls back to the base class name with the number (libpci).
        #expect(database.className(baseClass: 0x02, subclass: 0x80) == "Network controller [0280]")
        #expect(database.vendorName(0x8086) == "Fixture Intel") // the fixture, not the system database
        #expect(database.vendorName(0x1234) == nil)
        #expect(database.deviceName(vendor: 0x1af4, device: 0x9999) == nil)
    }

    @Test(.enabled(if: systemIDs != nil, "no system pci.ids: skipped"))
    func namesFromTheSystemDatabase() {
        let database = PCINameDatabase()
        #expect(database.vendorName(0x8086) == "Intel Corporation")
        #expect(database.deviceName(vendor: 0x8086, device: 0x10c9) == "82576 Gigabit Network Connection")
        #expect(database.className(0x020000) == "Ethernet controller")
        #expect(database.vendorName(0x0002) == nil)
    }

    @Test func sharedBetweenTasks() async throws {
        let file = try ScratchFile(text: Self.fixture + "\n", suffix: ".ids")
        let database = PCINameDatabase(idsPath: file.path)
        let names = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<32 { group.addTask { database.deviceName(vendor: 0x1af4, device: 0x1041) } }
            var all: [String?] = []
            for await name in group { all.append(name) }
            return all
        }
        #expect(names.count == 32 && names.allSatisfy { $0 == "Example NIC" })
    }
}
