import ArgumentParser

struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: tr(cli.decodeAbstract),
        subcommands: [DecodePCICommand.self, DecodeDMARCommand.self, DecodeIVRSCommand.self])
}
