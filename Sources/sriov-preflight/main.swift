import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import SRIOVPreflight

// `--lang zh_CN|en` is global (before or after the subcommand): taken out here, before ArgumentParser
// builds its help texts, so they are in the chosen language too.
var arguments = Array(CommandLine.arguments.dropFirst())
var lang: String?
if let i = arguments.firstIndex(where: { $0 == "--lang" || $0.hasPrefix("--lang=") }), !arguments[..<i].contains("--") {
    if arguments[i] == "--lang" {
        if i + 1 < arguments.count { lang = arguments[i + 1]; arguments.removeSubrange(i...(i + 1)) } else { arguments.remove(at: i); lang = "" }
    } else {
        lang = String(arguments[i].dropFirst("--lang=".count))
        arguments.remove(at: i)
    }
    if lang?.isEmpty == true {
        printError("Error: --lang takes zh_CN or en")
        exit(64)
    }
}
if let warning = L10n.configure(option: lang, environment: L10n.processEnvironment()) {
    printError(warning)
}
AggregateCommand.takeReports(from: &arguments)
SRIOVPreflightCommand.main(arguments)
