import ArgumentParser
import SRIOVPreflight

struct DecodePCICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pci", abstract: "The SR-IOV, ARI and ACS capabilities of each PCI function, as lspci -vvv shows them.")

    @OptionGroup var rootOptions: RootOptions

    @Option(name: .long, help: "Read an `lspci -xxxx` dump instead of the host root.")
    var dump: String?

    @Option(name: .long, help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let functions: [PCIDecodeRenderer.Function]
        if let dump {
            do { functions = try PCIDecodeRenderer.fromDump(dump) } catch { throw ValidationError("\(dump): \(error)") }
        } else {
            functions = PCIDecodeRenderer.fromSnapshot(HostSnapshot.collect(rootOptions.hostRoot()))
        }
        switch format {
        case .json: print(PCIDecodeRenderer.json(functions).serialized(pretty: true), terminator: "")
        default: print(PCIDecodeRenderer.text(functions), terminator: "")
        }
    }
}
