import ACPITables
import ArgumentParser
import SRIOVPreflight

/// `decode dmar` and `decode ivrs`: a support engineer's view of a table (default: the host's own under --root).
struct DecodeACPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "acpi", abstract: tr(cli.decodeACPIAbstract), shouldDisplay: false)

    static func run(kind: ACPITableKind, files: [String], root: RootOptions, format: OutputFormat) throws {
        let paths = files.isEmpty ? [nil] : files.map { Optional($0) }
        var failed = false
        for path in paths {
            let label = path ?? "\(root.root == "/" ? "/" : root.root + "/")sys/firmware/acpi/tables/\(kind.signature)"
            var bytes: [UInt8]
            if let path {
                do {
                    bytes = try FileInput.read(path, limit: FileInput.reportLimit)
                } catch {
                    throw ValidationError(tr(cli.cannotRead, ["file": path, "problem": L10n.current.error("\(error)")]))
                }
            } else {
                switch root.hostRoot().read("sys/firmware/acpi/tables/\(kind.signature)", limit: 1 << 20) {
                case .success(let b): bytes = b
                case .failure(let e): throw ValidationError("\(label): \(e)")
                }
            }
            if AcpidumpText.looks(bytes) {
                // acpidump text (what customers are usually asked for): pick the table out of it.
                guard let t = AcpidumpText.table(kind.signature, in: bytes) else {
                    printError(tr(cli.decodeNoTable, ["file": label, "table": kind.signature]))
                    failed = true
                    continue
                }
                if let p = t.problem { printError("\(label): \(kind.signature): \(p)") }
                bytes = t.bytes
            }
            do {
                let table: ACPIDecodedTable = kind == .dmar ? try DMARTable.decode(bytes) : try IVRSTable.decode(bytes)
                if paths.count > 1 && format == .text { print("== \(label)") }
                print(format == .json ? table.jsonString(pretty: true) : table.textDescription())
            } catch {
                printError("\(label): \(error)")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}

struct DecodeDMARCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dmar", abstract: tr(cli.decodeDMARAbstract))

    @OptionGroup var language: LanguageOptions
    @OptionGroup var rootOptions: RootOptions
    @Argument(help: ArgumentHelp(tr(cli.decodeFiles))) var files: [String] = []
    @Option(name: .long, help: ArgumentHelp(tr(cli.formatTextJSON))) var format: OutputFormat = .text
    func run() throws { try DecodeACPICommand.run(kind: .dmar, files: files, root: rootOptions, format: format) }
}

struct DecodeIVRSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ivrs", abstract: tr(cli.decodeIVRSAbstract))

    @OptionGroup var language: LanguageOptions
    @OptionGroup var rootOptions: RootOptions
    @Argument(help: ArgumentHelp(tr(cli.decodeFiles))) var files: [String] = []
    @Option(name: .long, help: ArgumentHelp(tr(cli.formatTextJSON))) var format: OutputFormat = .text
    func run() throws { try DecodeACPICommand.run(kind: .ivrs, files: files, root: rootOptions, format: format) }
}
