import PCIAccess
import Testing

struct PCIAddressTests {
    @Test(arguments: [
        ("0000:3b:00.0", "0000:3b:00.0"),
        ("3b:00.0", "0000:3b:00.0"),
        ("0002:01:1F.7", "0002:01:1f.7"),
        ("10000:00:01.1", "10000:00:01.1"),
        ("0:0:1.2", "0000:00:01.2"),
    ])
    func parsesAndFormats(text: String, expected: String) throws {
        let address = try #require(PCIAddress(text))
        #expect(address.description == expected)
        #expect(PCIAddress(address.description) == address)
    }

    @Test(arguments: ["", "3b:00", "3b:00.8", "3b:20.0", "3b:00.0.0", "x:00:00.0", "100:00.0", "0000:3b:00:00.0",
                      "123456789:00:00.0", "3b:00.", ":00.0", "0000 :3b:00.0", "+3b:00.0"])
    func rejects(text: String) {
        #expect(PCIAddress(text) == nil)
    }

    @Test func fields() throws {
        let address = try #require(PCIAddress("0001:3b:02.5"))
        #expect(address.domain == 1 && address.bus == 0x3b && address.device == 2 && address.function == 5)
        #expect(address.routingID == 0x3b15)
        #expect(PCIAddress(domain: 1, routingID: 0x3b15) == address)
    }

    @Test func ordersByDomainBusDeviceFunction() throws {
        let texts = ["0001:00:00.0", "0000:3b:00.1", "0000:3b:00.0", "0000:00:1f.3", "0000:3a:10.0"]
        let sorted = texts.compactMap(PCIAddress.init).sorted().map(\.description)
        #expect(sorted == ["0000:00:1f.3", "0000:3a:10.0", "0000:3b:00.0", "0000:3b:00.1", "0001:00:00.0"])
    }

    @Test func memberwiseInitKeepsOnlyValidBits() {
        let address = PCIAddress(bus: 1, device: 0x25, function: 9)
        #expect(address.device == 5 && address.function == 1)
    }
}
