import CHostShim
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// One translatable text: its English msgid (with `{name}` placeholders, rendered by `MessageTemplate`), an
/// optional English plural and an optional gettext context (`msgctxt`) for short words that mean several things.
public struct Msg: Sendable, Hashable {
    public var id: String
    public var plural: String?
    public var context: String?

    public init(_ id: String, plural: String? = nil, context: String? = nil) {
        self.id = id
        self.plural = plural
        self.context = context
    }

    /// The key gettext and the .mo file use: `context EOT msgid`.
    public var key: String { context.map { $0 + "\u{4}" + id } ?? id }
}

/// Translations of one language: msgid key → translated text. nil means "not translated" (the caller
/// falls back to English).
public protocol MessageCatalog: Sendable {
    func translation(_ key: String) -> String?
    func translation(_ key: String, plural: String, count: Int) -> String?
}

/// A catalog held in memory: read from a compiled `.mo` file (no locale needed), or built by tests.
public struct CatalogTable: MessageCatalog {
    /// key → forms (one for a singular entry; nplurals for a plural one).
    public var entries: [String: [String]]
    public var pluralCount: Int

    public init(entries: [String: [String]], pluralCount: Int = 1) {
        self.entries = entries
        self.pluralCount = max(pluralCount, 1)
    }

    public func translation(_ key: String) -> String? {
        guard let s = entries[key]?.first, !s.isEmpty else { return nil }
        return s
    }

    public func translation(_ key: String, plural: String, count: Int) -> String? {
        guard let forms = entries[key], !forms.isEmpty else { return nil }
        // Chinese has one form; a two-form catalog follows English (n != 1).
        let i = pluralCount == 1 ? 0 : (count == 1 ? 0 : 1)
        let s = i < forms.count ? forms[i] : forms[0]
        return s.isEmpty ? nil : s
    }

    /// Parses a GNU `.mo` file (either byte order). Nil when the bytes are not one: never traps.
    public static func mo(_ bytes: [UInt8]) -> CatalogTable? {
        guard bytes.count >= 28 else { return nil }
        func u32(_ at: Int, _ little: Bool) -> Int? {
            guard at >= 0, at + 4 <= bytes.count else { return nil }
            let b = bytes[at..<at + 4].map(UInt32.init)
            return Int(little ? b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24 : b[3] | b[2] << 8 | b[1] << 16 | b[0] << 24)
        }
        let little: Bool
        switch u32(0, true) {
        case 0x9504_12de: little = true
        case 0xde12_0495: little = false
        default: return nil
        }
        guard let n = u32(8, little), let originals = u32(12, little), let translations = u32(16, little),
              n < bytes.count else { return nil }
        // The hash table gettext searches must lie inside the file too (it is handed to glibc as it is).
        guard let hashSize = u32(20, little), let hashOffset = u32(24, little),
              hashSize == 0 || hashOffset + 4 * hashSize <= bytes.count else { return nil }
        func string(_ table: Int, _ i: Int) -> [UInt8]? {
            guard let len = u32(table + 8 * i, little), let off = u32(table + 8 * i + 4, little),
                  off + len <= bytes.count else { return nil }
            return Array(bytes[off..<off + len])
        }
        var entries: [String: [String]] = [:]
        var plurals = 1
        for i in 0..<n {
            guard let o = string(originals, i), let t = string(translations, i) else { return nil }
            let key = String(decoding: o.split(separator: 0, omittingEmptySubsequences: false).first ?? [], as: UTF8.self)
            let forms = t.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            if key.isEmpty {
                // The header: `Plural-Forms: nplurals=1; plural=0;`.
                let header = forms.first ?? ""
                if let r = header.firstRange(of: "nplurals="), let d = header[r.upperBound...].first?.wholeNumberValue { plurals = d }
                continue
            }
            entries[key] = forms
        }
        return CatalogTable(entries: entries, pluralCount: plurals)
    }
}

/// GNU gettext through glibc (`dgettext` / `dngettext` in the `sriov-preflight` domain), once `L10n.configure`
/// has bound the domain and set LC_MESSAGES.
public struct GettextCatalog: MessageCatalog {
    public init() {}

    public func translation(_ key: String) -> String? {
        // gettext returns the pointer it was given on a miss: call it inside withCString and copy before the
        // closure returns (a temporary pointer read afterwards is freed memory).
        let s = key.withCString { p -> String? in
            guard let r = dgettext(L10n.domain, p) else { return nil }
            return UnsafePointer(r) == p ? nil : String(cString: r)
        }
        return s == key || s?.isEmpty == true ? nil : s
    }

    public func translation(_ key: String, plural: String, count: Int) -> String? {
        let s = key.withCString { k in
            plural.withCString { p -> String? in
                guard let r = dngettext(L10n.domain, k, p, UInt(max(count, 0))) else { return nil }
                return UnsafePointer(r) == k || UnsafePointer(r) == p ? nil : String(cString: r)
            }
        }
        return s == key || s == plural || s?.isEmpty == true ? nil : s
    }
}

/// Renders people-facing text in one language; English (the msgids themselves) when there is no catalog or
/// an entry is missing, never an empty string.
public struct Translator: Sendable {
    /// `en` or a catalog's language (`zh_CN`).
    public let language: String
    let catalog: (any MessageCatalog)?

    public init(language: String, catalog: (any MessageCatalog)?) {
        self.language = catalog == nil ? "en" : language
        self.catalog = catalog
    }

    public static let english = Translator(language: "en", catalog: nil)

    public var isEnglish: Bool { catalog == nil }

    /// The translation of a message, with its `{name}` placeholders filled from `params`.
    public func callAsFunction(_ m: Msg, _ params: [String: String] = [:]) -> String {
        let t = catalog?.translation(m.key) ?? m.id
        return params.isEmpty ? t : MessageTemplate.render(t, params)
    }

    /// The plural form for `count` (`{count}` is filled too).
    public func plural(_ m: Msg, _ count: Int, _ params: [String: String] = [:]) -> String {
        let english = count == 1 ? m.id : (m.plural ?? m.id)
        let t = catalog?.translation(m.key, plural: m.plural ?? m.id, count: count) ?? english
        return MessageTemplate.render(t, params.merging(["count": String(count)]) { a, _ in a })
    }

    /// The translation of an English text that is itself a msgid (a title, a rationale, a template).
    public func text(_ english: String, context: String? = nil) -> String {
        guard !english.isEmpty else { return english }
        return self(Msg(english, context: context))
    }
}

/// The process's language: chosen once at start (`--lang`, then the environment), read by the reporters.
public enum L10n {
    public static let domain = "sriov-preflight"
    /// Languages with a catalog in po/.
    public static let catalogs = ["zh_CN"]

    static let state = Mutex<Translator>(.english)

    /// What people-facing output uses when no translator is passed (English until `configure`).
    public static var current: Translator {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }

    /// `zh_CN.UTF-8`, `zh_CN`, `zh`, `zh-Hans`, `zh_SG` → `zh_CN`; `C`, `POSIX`, `en*` → `en`; nil otherwise.
    public static func normalize(_ name: String) -> String? {
        var s = name
        if let at = s.firstIndex(of: "@") { s = String(s[..<at]) }
        if let dot = s.firstIndex(of: ".") { s = String(s[..<dot]) }
        s = s.replacing("-", with: "_")
        let lower = s.lowercased()
        if lower == "c" || lower == "posix" || lower == "en" || lower.hasPrefix("en_") { return "en" }
        if ["zh", "zh_cn", "zh_hans", "zh_hans_cn", "zh_sg", "zh_hans_sg"].contains(lower) { return "zh_CN" }
        return nil
    }

    /// The language asked for, as GNU programs choose: `--lang`, then SRIOV_PREFLIGHT_LANG, then the first
    /// entry of LANGUAGE we have a catalog for (ignored, as gettext ignores it, when the locale is plain C or
    /// POSIX), then LC_ALL, LC_MESSAGES, LANG. `en` when nothing asks for a language we have.
    public static func requested(option: String?, environment env: [String: String]) -> String {
        if let o = option, !o.isEmpty { return normalize(o) ?? "en" }
        if let o = env["SRIOV_PREFLIGHT_LANG"], !o.isEmpty { return normalize(o) ?? "en" }
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { env[$0] }.first { !$0.isEmpty } ?? "C"
        if locale != "C" && locale != "POSIX", let list = env["LANGUAGE"], !list.isEmpty {
            for entry in list.split(separator: ":") {
                if let l = normalize(String(entry)), l == "en" || catalogs.contains(l) { return l }
            }
        }
        return normalize(locale) ?? "en"
    }

    /// Where the compiled catalog of `language` is: $SRIOV_PREFLIGHT_LOCALEDIR (or $SRIOV_LOCALEDIR), the
    /// binary's prefix (`<prefix>/bin/..` → `<prefix>/share/locale`), the build tree (`.build/locale`), then
    /// /usr/share/locale and /usr/local/share/locale. Returns the locale directory (what `bindtextdomain` takes).
    public static func localeDirectory(for language: String, environment env: [String: String],
                                       executable: String? = executablePath()) -> String? {
        var dirs = ["SRIOV_PREFLIGHT_LOCALEDIR", "SRIOV_LOCALEDIR"].compactMap { env[$0] }.filter { !$0.isEmpty }
        if let exe = executable, let slash = exe.lastIndex(of: "/") {
            let bin = String(exe[..<slash])
            dirs += [bin + "/../share/locale", bin + "/../locale", bin + "/../../locale"]
        }
        dirs += ["/usr/share/locale", "/usr/local/share/locale"]
        return dirs.first { isReadableRegularFile($0 + "/" + moPath(language)) }
    }

    /// A catalog path worth opening: a readable regular file (after symbolic links). A FIFO, a device or a
    /// directory there would block or fail every run, in gettext's open as in ours; a symlink loop fails stat.
    static func isReadableRegularFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFREG && access(path, R_OK) == 0
    }

    /// The largest .mo read (the zh_CN catalog is ~100 KiB).
    static let moLimit = 16 << 20

    /// `zh_CN/LC_MESSAGES/sriov-preflight.mo`.
    public static func moPath(_ language: String) -> String { "\(language)/LC_MESSAGES/\(domain).mo" }

    /// The process's environment (without Foundation).
    public static func processEnvironment() -> [String: String] {
        var env: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            p += 1
        }
        return env
    }

    /// Where this tool's own binary is installed (to find its catalogs in `<prefix>/share/locale`). This is the
    /// running tool, not evidence about the checked host: it is deliberately outside `--root`, like the tool's
    /// own pci.ids fallback, and nothing read here enters a report or a bundle.
    public static func executablePath() -> String? {
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buf[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Chooses the language and sets `current`: gettext when glibc can serve the catalog (LC_MESSAGES set to
    /// the language's locale, or C.UTF-8 with LANGUAGE), else the .mo file read directly, else English.
    /// Returns a warning for stderr when a language was asked for explicitly and cannot be given.
    @discardableResult
    public static func configure(option: String?, environment env: [String: String]) -> String? {
        let language = requested(option: option, environment: env)
        let explicit = (option ?? env["SRIOV_PREFLIGHT_LANG"]).map { !$0.isEmpty } ?? false
        guard language != "en" else {
            current = .english
            return explicit && normalize(option ?? env["SRIOV_PREFLIGHT_LANG"] ?? "") == nil
                ? "\(domain): unknown language '\(option ?? env["SRIOV_PREFLIGHT_LANG"] ?? "")' (zh_CN or en): English" : nil
        }
        guard let dir = localeDirectory(for: language, environment: env) else {
            current = .english
            return explicit ? "\(domain): no \(language) catalog (\(moPath(language)) under $SRIOV_PREFLIGHT_LOCALEDIR, <prefix>/share/locale or /usr/share/locale): English" : nil
        }
        // The catalog is read and parsed first (bounded, regular file only, without blocking): a truncated or
        // garbage .mo, or one swapped for a FIFO since, gives English and is never handed to gettext.
        guard let table = readCatalog(dir + "/" + moPath(language)) else {
            current = .english
            return "\(domain): \(dir)/\(moPath(language)) is not a readable catalog: English"
        }
        // gettext: LC_MESSAGES of the language if the locale exists, else C.UTF-8 with LANGUAGE (gettext
        // ignores LANGUAGE under plain C).
        var ok = setlocale(LC_MESSAGES, "") != nil && (String(cString: setlocale(LC_MESSAGES, nil)).hasPrefix("zh"))
        if !ok { ok = setlocale(LC_MESSAGES, language + ".UTF-8") != nil }
        if !ok { ok = setlocale(LC_MESSAGES, "C.UTF-8") != nil }
        setenv("LANGUAGE", language, 1)
        bindtextdomain(domain, dir)
        bind_textdomain_codeset(domain, "UTF-8")
        // The C library's own messages (strerror: "No such file or directory") in the language too, in UTF-8:
        // under LANG=C its catalog's text was converted to ASCII, one '?' a character.
        bind_textdomain_codeset("libc", "UTF-8")
        let gettext = GettextCatalog()
        if ok && gettext.translation(UIStrings.probe.key) != nil {
            current = Translator(language: language, catalog: gettext)
            return nil
        }
        // The locale machinery cannot serve it (no C.UTF-8 on an old glibc): read the .mo file ourselves.
        current = Translator(language: language, catalog: table)
        return nil
    }

    /// A translator reading `language`'s compiled catalog directly (no locale state): for `docs` and tests.
    public static func translator(for language: String, environment env: [String: String]) -> Translator? {
        guard let dir = localeDirectory(for: language, environment: env) else { return nil }
        return translator(moFile: dir + "/" + moPath(language), language: language)
    }

    public static func translator(moFile path: String, language: String) -> Translator? {
        readCatalog(path).map { Translator(language: language, catalog: $0) }
    }

    /// A compiled catalog read with `FileInput` (regular files only, opened without blocking, at most
    /// `moLimit` bytes) and parsed; nil when it is none.
    static func readCatalog(_ path: String) -> CatalogTable? {
        guard let bytes = try? FileInput.read(path, limit: moLimit) else { return nil }
        return CatalogTable.mo(bytes)
    }
}
