import ArgumentParser
import SRIOVPreflight

struct DecodePCICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pci", abstract: tr(cli.decodePCIAbstract))

    @OptionGroup var language: LanguageOptions

    @OptionGroup var rootOptions: RootOptions

    @Option(name: .long, help: ArgumentHelp(tr(cli.decodePCIDump)))
    var dump: String?

    @Option(name: .long, help: ArgumentHelp(tr(cli.formatTextJSON)))
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
