/// The errors the library gives people (a waiver file, a selection, a saved report, a fix's writes): rendered
/// in English where they are thrown (what JSON plans and logs carry) and said again in the chosen language at
/// the command line by `Translator.error`, which finds the template back (nested: a `{problem}` that is itself
/// one of these is translated too). Context `error`.
public struct ErrorStrings: Sendable {
    public static let ui = ErrorStrings()

    /// `FILE: PROBLEM`, `KEY: PROBLEM`: the outer frame of many errors.
    public let named = Msg("{name}: {problem}", context: "error")

    // --only / --ignore.
    public let unknownSelection = Msg("'{name}' is neither a check id nor a category (see `sriov-preflight list`)", context: "error")
    public let ignoreAllCombined = Msg("--ignore all cannot be combined with other entries", context: "error")

    // Waiver files.
    public let waiverLine = Msg("line {line}: {message}", context: "error")
    public let waiverMissingKey = Msg("[[waiver]] without {key} (check, justification and expires are required)", context: "error")
    public let waiverBadSpec = Msg("check: \"{spec}\" is not ID or ID@OBJECT", context: "error")
    public let waiverUnknownCheck = Msg("check: unknown check id \"{id}\" (`sriov-preflight list` names them)", context: "error")
    public let waiverEmptyJustification = Msg("justification: empty (say why the exception is acceptable)", context: "error")
    public let waiverBadExpires = Msg("expires: \"{value}\" is not a date YYYY-MM-DD (UTC; the waiver holds through the end of that day)", context: "error")
    public let waiverOnlyTables = Msg("{header}: only [[waiver]] tables are allowed", context: "error")
    public let waiverExpectedLine = Msg("expected key = value, [[waiver]] or a # comment", context: "error")
    public let waiverBareKey = Msg("\"{key}\" is not a bare key", context: "error")
    public let waiverUnknownKey = Msg("unknown key \"{key}\" (keys: {keys})", context: "error")
    public let waiverOutside = Msg("{key} outside a [[waiver]] table", context: "error")
    public let waiverTwice = Msg("{key} given twice in one [[waiver]]", context: "error")
    public let valueMissing = Msg("no value", context: "error")
    public let valueMultiLine = Msg("multi-line strings are not supported: one line per value", context: "error")
    public let valueControl = Msg("a control character in a string", context: "error")
    public let valueBadUnicode = Msg("a bad \\u escape", context: "error")
    public let valueUnknownEscape = Msg("unknown escape \\{char}", context: "error")
    public let valueNotClosed = Msg("the string is not closed on this line", context: "error")
    public let valueTrailing = Msg("unexpected text after the value: {text}", context: "error")
    public let valueNotString = Msg("{value} is not a string: quote it (\"…\")", context: "error")
    public let valueNotDate = Msg("{value} is not a date YYYY-MM-DD (UTC; the waiver holds through the end of that day)", context: "error")

    // Saved reports (report, diff, aggregate).
    public let notAReport = Msg("not a {tool} report: {reason}", context: "error")
    public let topNotObject = Msg("the top level is not an object", context: "error")
    public let noSchemaVersion = Msg("no schema_version", context: "error")
    public let schemaVersion = Msg("report schema version {version}; this {tool} reads version {current}", context: "error")
    public let schemaVersionBy = Msg("report schema version {version} (written by {writer}); this {tool} reads version {current}", context: "error")

    // Files the tool reads.
    public let isDirectory = Msg("is a directory", context: "error")
    public let isFIFO = Msg("is a FIFO, not a file", context: "error")
    public let notRegular = Msg("is not a regular file", context: "error")
    public let tooLargeSized = Msg("larger than {limit} bytes ({size})", context: "error")
    public let tooLarge = Msg("larger than {limit} bytes", context: "error")

    // aggregate: why a host has no usable report.
    public let fleetNoReportFile = Msg("no report file: {problem}", context: "error")
    public let fleetCannotRead = Msg("cannot read the report: {problem}", context: "error")
    public let fleetNoFileGiven = Msg("no report file given for this host", context: "error")
    public let fleetOtherVersion = Msg("written by {writer}; --versions same accepts only {version}", context: "error")
    public let fleetUnreachable = Msg("the fleet run could not connect to the host", context: "error")

    // fix --apply / --undo.
    public let fixTwoFixes = Msg("two fixes change {path}: apply them one at a time", context: "error")
    public let fixChangedSincePlan = Msg("{path} changed since the plan was made: refusing to overwrite it (plan again)", context: "error")
    public let fixNothingToUndo = Msg("nothing to undo: no applied fix is recorded in {dir}", context: "error")
    public let fixJournalUnreadable = Msg("the journal {file} is missing or unreadable", context: "error")
    public let fixChangedSinceApply = Msg("{path} changed since the fix was applied: refusing to undo (use --force to restore the backup anyway)", context: "error")
    public let fixBackupMissing = Msg("backup of {path} is missing", context: "error")
    public let fixCannotOpen = Msg("cannot open {path} for writing: {problem}", context: "error")
    public let fixWriteFailed = Msg("writing {value} to {path} failed: {problem}", context: "error")
    public let fixCommandFailed = Msg("`{command}` failed (exit {status}): {output}", context: "error")
    public let writeSymlink = Msg("refusing to write {path}: {link} is a symbolic link", context: "error")
    public let writeCannotRead = Msg("cannot read {path}: {problem}", context: "error")
    public let writeNotDirectory = Msg("cannot write {path}: {parent} is not a directory", context: "error")
    public let writeCannotCreate = Msg("cannot create {path}: {problem}", context: "error")
    public let writeNotRegular = Msg("refusing to write {path}: not a regular file", context: "error")
    public let writeNoTemporary = Msg("cannot create a temporary file beside {path}: {problem}", context: "error")
    public let writeTemporaryFailed = Msg("cannot write {path}: {call} of the temporary file failed: {problem}", context: "error")
    public let writeCannotWrite = Msg("cannot write {path}: {problem}", context: "error")
    public let writeCannotRename = Msg("cannot rename into {path}: {problem}", context: "error")
    public let writeDirSync = Msg("{path} was written, but the fsync of its directory failed (the change may not survive a crash): {problem}", context: "error")
    public let removeFailed = Msg("cannot remove {path}: {problem}", context: "error")
    public let removeDirSync = Msg("{path} was removed, but the fsync of its directory failed: {problem}", context: "error")

    // Support bundles: writing, reading and unpacking them, and the tools they run (tar, gzip).
    public let toolTooMuchOutput = Msg("{tool} wrote more than 64 MiB of output", context: "error")
    public let toolCannotRun = Msg("cannot run {tool}: {problem}", context: "error")
    public let toolTimeout = Msg("{tool} did not finish within {seconds} s: stopped", context: "error")
    public let toolPoll = Msg("{tool}: poll: {problem}", context: "error")
    public let tarCannotWrite = Msg("tar could not write {path}: {problem}", context: "error")
    public let bundleCannotRead = Msg("cannot read bundle {archive}: {problem}", context: "error")
    public let bundleRefused = Msg("refusing bundle {archive}: {problem}", context: "error")
    public let bundleIsDirectory = Msg("a directory", context: "error")
    public let bundleNotRegular = Msg("not a regular file (a FIFO, socket or device)", context: "error")
    public let bundleEmpty = Msg("{archive} is empty, not a support bundle", context: "error")
    public let bundleNotGzip = Msg("{archive} is not a support bundle: not a gzip file ({problem})", context: "error")
    public let bundleBadGzip = Msg("{archive} is not a readable .tar.gz support bundle (truncated or corrupt gzip stream): {problem}", context: "error")
    public let bundleEmptyGzip = Msg("{archive} is not a support bundle: the gzip stream is empty", context: "error")
    public let bundleNotTarBytes = Msg("{archive} is not a support bundle: the gzip data is not a tar archive ({bytes} bytes)", context: "error")
    public let bundleNotTar = Msg("{archive} is not a support bundle: the gzip data is not a tar archive", context: "error")
    public let bundleTruncatedInMember = Msg("{archive} is truncated: the tar stream ends inside member '{member}' (no end-of-archive marker)", context: "error")
    public let bundleTruncated = Msg("{archive} is truncated: the tar stream ends inside the archive (no end-of-archive marker)", context: "error")
    public let bundleEmptyArchive = Msg("{archive}: the archive is empty, not a support bundle", context: "error")
    public let bundleBadHeader = Msg("{archive} is corrupt: a bad tar header after {count} members", context: "error")
    public let unpackCannotWrite = Msg("cannot write {path} while unpacking {archive}: {problem}", context: "error")
    public let unpackMember = Msg("cannot unpack member '{name}' of {archive}: {problem}", context: "error")
    public let unpackSymlink = Msg("cannot unpack symlink '{name}' of {archive}: {problem}", context: "error")
    public let unpackDirectory = Msg("cannot unpack directory '{name}' of {archive}: {problem}", context: "error")
    public let bundleRootReserved = Msg("the host root holds {name}, which the bundle reserves", context: "error")
    public let bundleNoTemporaryDirectory = Msg("cannot create a temporary directory in {dir}: {problem}", context: "error")
    public let bundleCannotLink = Msg("cannot link {path} -> {target}: {problem}", context: "error")
    // Why a bundle is refused (the {problem} of `refusing bundle`).
    public let refuseTooBig = Msg("it unpacks to more than {mib} MiB (a support bundle is a few MiB): stopped", context: "error")
    public let refuseLongPax = Msg("a tar extended header of more than 64 KiB", context: "error")
    public let refusePaxSize = Msg("a pax header sets a member size ({value}): not a bundle this tool wrote", context: "error")
    public let refuseBadSize = Msg("a member with an unreadable or huge size", context: "error")
    public let refuseMemberTooBig = Msg("a member of {size} bytes (more than the {mib} MiB budget)", context: "error")
    public let refuseTooManyMembers = Msg("more than {count} members: stopped", context: "error")
    public let refuseEmptyName = Msg("a member has an empty name", context: "error")
    public let refuseAbsolute = Msg("member '{name}' has an absolute path", context: "error")
    public let refuseLongPath = Msg("member '{name}…' has a path of {bytes} bytes (limit {limit})", context: "error")
    public let refuseDotDot = Msg("member '{name}' has a '..' component", context: "error")
    public let refuseDeep = Msg("member '{name}…' is {count} directories deep (limit {limit})", context: "error")
    public let refuseNUL = Msg("member '{name}' has a NUL in its name", context: "error")
    public let refuseDot = Msg("a member named '.'", context: "error")
    public let refuseBelowLink = Msg("member '{name}' lies below the symlink '{link}'", context: "error")
    public let refuseBelowFile = Msg("member '{name}' lies below the file '{file}'", context: "error")
    public let refuseTwice = Msg("member '{name}' appears twice", context: "error")
    public let refuseNoTarget = Msg("symlink '{name}' has no target", context: "error")
    public let refuseAbsoluteLink = Msg("symlink '{name}' points to the absolute path '{target}'", context: "error")
    public let refuseLinkOut = Msg("symlink '{name}' -> '{target}' leads out of the bundle", context: "error")
    public let refuseHardLink = Msg("member '{name}' is a hard link (to '{target}')", context: "error")
    public let refuseDevice = Msg("member '{name}' is a device file", context: "error")
    public let refuseFIFO = Msg("member '{name}' is a FIFO", context: "error")
    public let refuseSpecial = Msg("member '{name}' is a special file (type '{type}')", context: "error")
    public let refusePathTooLong = Msg("member '{name}…': path too long for this file system", context: "error")

    public var all: [Msg] { Mirror(reflecting: self).children.compactMap { $0.value as? Msg } }

    /// The templates `Translator.error` tries: the most literal text first, so a specific template wins over
    /// the `{name}: {problem}` frame.
    static let byLiteralLength: [Msg] = ui.all.sorted {
        MessageTemplate.literalCount($0.id) > MessageTemplate.literalCount($1.id)
    }
}

extension MessageTemplate {
    /// How many characters of `template` are not placeholders.
    static func literalCount(_ template: String) -> Int { literal(template).count }

    /// `template` without its placeholders.
    static func literal(_ template: String) -> String {
        placeholders(template).reduce(template) { $0.replacing("{\($1)}", with: "") }
    }
}

extension Translator {
    /// An error's English text in this language: the template that renders it (the most specific first) with
    /// its params translated in turn when they are errors themselves, a C library message from the C
    /// library's catalog; the text as it is when none does.
    public func error(_ english: String) -> String { error(english, depth: 0) }

    func error(_ english: String, depth: Int) -> String {
        guard !isEnglish, depth < 4, !english.isEmpty else { return english }
        // A C library message ("No such file or directory"): the C library's catalog says it.
        if let said = CError.localized(english) { return said }
        let nested: Set<String> = ["problem", "message", "reason"]
        var fallback: String?
        for m in ErrorStrings.byLiteralLength {
            guard var p = MessageTemplate.match(m.id, english) else { continue }
            var changed = false
            for (k, v) in p where nested.contains(k) {
                p[k] = error(v, depth: depth + 1)
                changed = changed || p[k] != v
            }
            // A frame of punctuation alone (`{name}: {problem}`) says nothing unless what it frames is ours.
            if !MessageTemplate.literal(m.id).contains(where: \.isLetter) && !changed { continue }
            let text = self(m, p)
            // A name, path or value holds no `: `: the match that puts one there took an outer frame for part
            // of a value (`F: line 4: X is not a date` is F's line 4, not a value "F: line 4: X").
            if p.contains(where: { !nested.contains($0.key) && $0.value.contains(": ") }) {
                fallback = fallback ?? text
                continue
            }
            return text
        }
        return fallback ?? english
    }
}
