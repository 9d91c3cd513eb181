import CHostShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The C library's message for an `errno` value in English, whatever the locale (`strerror_l` in the C
/// locale): the errors the library throws, and every machine-readable output that carries one (a fleet's
/// "no report" line, a bundle's refusal), are the same bytes in every language. `Translator.error` says the
/// message in the operator's language, from the C library's own catalog.
public enum CError {
    // LC_MESSAGES_MASK (1 << LC_MESSAGES in glibc and musl; the macro does not import): the messages category.
    nonisolated(unsafe) private static let cLocale: locale_t? = newlocale(Int32(1) << LC_MESSAGES, "C", nil)

    public static func text(_ code: Int32) -> String {
        if let l = cLocale, let s = strerror_l(code, l) { return String(cString: s) }
        return String(cString: strerror(code))
    }

    /// Every message of the C library (errno 1 to 255), to recognise one in an error's text.
    static let messages: Set<String> = Set((1...255).map { text(Int32($0)) })

    /// `english`, a C library message, in the language gettext is set to (its msgid in the C library's
    /// catalog is the English text); nil for any other text or when the catalog has no translation.
    static func localized(_ english: String) -> String? {
        guard messages.contains(english) else { return nil }
        // Untranslated, dgettext gives back the msgid's own pointer: the C string lives only in this closure.
        return english.withCString { msgid -> String? in
            guard let t = dgettext("libc", msgid), UnsafeRawPointer(t) != UnsafeRawPointer(msgid) else { return nil }
            let s = String(cString: t)
            return s == english ? nil : s
        }
    }
}
