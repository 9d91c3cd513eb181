import ArgumentParser

struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "A support engineer's view of the raw evidence: PCI capabilities, ACPI DMAR and IVRS tables.",
        subcommands: [DecodePCICommand.self, DecodeDMARCommand.self, DecodeIVRSCommand.self])
}
