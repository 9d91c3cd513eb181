/// What the host's page (`HTMLReporter`) and the fleet's page (`FleetHTMLReporter`) share: the language and
/// the translation of the pages' words, the page shell (doctype, head, inline style, banner, main, footer),
/// the style sheet and the escaping. One file, no script, no external reference of any kind.
///
/// A page's own words are msgids in gettext context `html` (the `Words` of each reporter, extracted into
/// po/sriov-preflight.pot by `POTemplate`); a check's title, remediation and message and a fix's title are the
/// catalog's own entries (no context), so they read as in the text report.
public struct HTMLPage: Sendable {
    /// The gettext context of the pages' own words.
    public static let context = "html"

    public var translator: Translator

    public init(translator: Translator = L10n.current) {
        self.translator = translator
    }

    /// The BCP 47 tag of the page's language (`en`, `zh-CN`): the `lang` attribute, and with it the fonts.
    public var language: String { translator.isEnglish ? "en" : translator.language.replacing("_", with: "-") }

    /// A page word translated (not escaped).
    public func word(_ msgid: String) -> String { translator.text(msgid, context: Self.context) }

    /// A catalog text (a check's title or remediation, a fix's title) translated (not escaped).
    public func text(_ english: String) -> String { translator.text(english) }

    /// A page word translated and escaped, its `{name}` placeholders filled with values escaped in their turn.
    public func t(_ msgid: String, _ params: [String: String] = [:]) -> String {
        markup(msgid, params.mapValues(HTML.text))
    }

    /// A page word translated and escaped, its `{name}` placeholders filled with `html` (markup, used as is).
    public func markup(_ msgid: String, _ html: [String: String]) -> String {
        MessageTemplate.render(HTML.text(word(msgid)), html)
    }

    /// A finding's message in the page's language when only its English text and code are known (a fleet
    /// document keeps no params): the params are found again in the text. The text itself when that fails.
    public func message(id: String, code: String, english: String) -> String {
        guard !translator.isEnglish, let template = Translator.template(code: code, id: id),
              let params = MessageTemplate.match(template, english) else { return english }
        return MessageTemplate.render(translator.text(template), params)
    }

    /// The top of a page: what it is, at a glance.
    public struct Banner {
        /// `ready`, `not-ready` or `undecided`.
        public var verdictClass: String
        /// The tool and version that wrote the document (text).
        public var tool: String
        /// The page's subtitle (a word's msgid).
        public var subtitle: String
        /// The verdict (a word's msgid).
        public var verdict: String
        /// What follows the verdict in the heading (markup).
        public var headline: String
        /// The notes under the heading (markup), in one paragraph.
        public var notes: [String]
        /// Warnings, a paragraph each (markup).
        public var warnings: [String]
        /// The count pills: CSS class, word's msgid, number, and whether it shows when zero.
        public var counts: [(cls: String, word: String, n: Int, always: Bool)]
        public var exitCode: Int32
        /// The line under the counts (markup).
        public var meta: String
    }

    /// The whole page: head with `title` (markup) and the style (the shared sheet, then `css`), the banner, the
    /// sections in `<main>`, the footer (`footer`: text with `backquoted` code).
    public func document(title: String, generator: String, css: String = "", banner b: Banner,
                         sections: [String], footer: String) -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"\(HTML.text(language))\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"generator\" content=\"\(HTML.text(generator))\">\n"
        out += "<title>\(title)</title>\n"
        out += "<style>\n\(Self.css)\(css)</style>\n</head>\n<body>\n"
        out += "<header class=\"banner \(b.verdictClass)\">\n<div class=\"wrap\">\n"
        out += "<p class=\"tool\">\(HTML.text(b.tool)) · \(t(b.subtitle))</p>\n"
        out += "<h1><span class=\"verdict\">\(t(b.verdict))</span> <span class=\"hostname\">\(b.headline)</span></h1>\n"
        out += "<p class=\"note\">\(b.notes.joined(separator: " "))</p>\n"
        for w in b.warnings { out += "<p class=\"note warning\">\(w)</p>\n" }
        out += "<ul class=\"counts\">"
        for c in b.counts where c.n > 0 || c.always {
            out += "<li class=\"n-\(c.cls)\(c.n == 0 ? " zero" : "")\"><b>\(c.n)</b> \(t(c.word))</li>"
        }
        out += "<li class=\"exit\">\(t(HTMLReporter.Words.ui.exitCode, ["code": String(b.exitCode)]))</li></ul>\n"
        out += "<p class=\"meta\">\(b.meta)</p>\n"
        out += "</div>\n</header>\n<main class=\"wrap\">\n"
        out += sections.joined()
        out += "</main>\n"
        out += "<footer class=\"wrap\"><p>\(HTML.inlineCode(footer))</p></footer>\n"
        return out + "</body>\n</html>\n"
    }

    /// The pages' style: system fonts with CJK ones as fallbacks (first under `lang="zh-CN"`; WenQuanYi Micro
    /// Hei is what Debian's fonts-wqy-microhei installs) and the generic families last, a light palette (a dark
    /// one when the system asks), and for print every result unfolded on a white page.
    public static let css = """
    :root{--fg:#1f2328;--muted:#59636e;--bg:#f3f4f6;--card:#fff;--line:#d8dde3;--code:#eef1f4;
    --pass:#1a7f37;--pass-bg:#dcf3e3;--warn:#8a5a00;--warn-bg:#fff1c2;--fail:#b42318;--fail-bg:#fde4e1;
    --error:#7b2fa0;--error-bg:#f2e3f9;--skip:#5f6b78;--skip-bg:#e9ecef;
    --font:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans",Arial,"PingFang SC","Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;
    --mono:ui-monospace,"SFMono-Regular","DejaVu Sans Mono","Liberation Mono",Menlo,Consolas,"Noto Sans Mono CJK SC","WenQuanYi Micro Hei Mono",monospace}
    :lang(zh){--font:"PingFang SC","Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","WenQuanYi Micro Hei",system-ui,"Noto Sans","Liberation Sans",Arial,sans-serif}
    *{box-sizing:border-box}
    html{-webkit-text-size-adjust:100%}
    body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 var(--font)}
    code{font-family:var(--mono);font-size:.9em}
    .wrap{max-width:1180px;margin:0 auto;padding:0 24px}
    .banner{color:#fff;padding:20px 0 18px}
    .banner.ready{background:#1a7f37}.banner.not-ready{background:#b42318}.banner.undecided{background:#6f3196}
    .banner .tool{margin:0;opacity:.85;font-size:13px;letter-spacing:.02em}
    .banner h1{margin:4px 0 6px;font-size:30px;line-height:1.2;overflow-wrap:anywhere}
    .banner .verdict{font-weight:800;letter-spacing:.03em;margin-right:.4em}
    .banner .hostname{font-weight:400;opacity:.95}
    .banner .note{margin:0 0 10px;font-size:16px;max-width:70em}
    .banner .meta{margin:10px 0 0;font-size:13px;opacity:.9;overflow-wrap:anywhere}
    .banner code{background:rgba(255,255,255,.15);padding:0 4px;border-radius:3px}
    .counts{display:flex;flex-wrap:wrap;gap:8px;list-style:none;margin:0;padding:0}
    .counts li{background:rgba(255,255,255,.16);border:1px solid rgba(255,255,255,.35);border-radius:999px;padding:1px 12px;font-size:14px}
    .counts li b{font-size:16px}
    .counts li.zero{opacity:.55}
    .counts li.exit{background:none;border-style:dashed}
    main{padding-top:4px;padding-bottom:8px}
    .card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 20px 16px;margin:18px 0}
    h2{font-size:19px;margin:0 0 10px}
    h3{font-size:16px;margin:18px 0 6px;display:flex;align-items:center;gap:8px;flex-wrap:wrap}
    h4{margin:0 0 2px;font-size:13px;text-transform:uppercase;letter-spacing:.04em}
    .cat-id{color:var(--muted);font-weight:400}
    .tally{color:var(--muted);font-weight:400;font-size:13px;margin-left:auto}
    .dot{width:10px;height:10px;border-radius:50%;display:inline-block;background:var(--skip)}
    .dot.pass{background:var(--pass)}.dot.warn{background:#d4a72c}.dot.fail{background:var(--fail)}.dot.error{background:var(--error)}
    .badge{display:inline-block;min-width:58px;text-align:center;font:700 12px/20px var(--mono);border-radius:4px;padding:0 6px;letter-spacing:.03em}
    .badge.pass{color:var(--pass);background:var(--pass-bg)}.badge.warn{color:var(--warn);background:var(--warn-bg)}
    .badge.fail{color:var(--fail);background:var(--fail-bg)}.badge.error{color:var(--error);background:var(--error-bg)}
    .badge.skip{color:var(--skip);background:var(--skip-bg)}
    .tag{display:inline-block;font-size:12px;border:1px solid var(--line);border-radius:4px;padding:0 5px;color:var(--muted)}
    a{color:inherit;text-decoration-color:var(--line);text-underline-offset:2px}
    a:hover{text-decoration-color:currentColor}
    ul.attention{list-style:none;margin:0;padding:0}
    ul.attention li{display:grid;grid-template-columns:66px minmax(150px,230px) minmax(90px,130px) 1fr;gap:12px;align-items:baseline;padding:6px 6px 6px 20px;border-top:1px solid var(--line)}
    ul.attention li:first-child{border-top:none}
    .all-clear{margin:0;color:var(--pass);font-weight:600}
    details.result{border-top:1px solid var(--line)}
    details.result>summary{display:grid;grid-template-columns:66px minmax(150px,230px) minmax(90px,130px) 1fr;gap:12px;align-items:baseline;padding:6px 6px 6px 20px;cursor:pointer;list-style:none;position:relative}
    details.result>summary::-webkit-details-marker{display:none}
    details.result>summary::before{content:"\\25B8";position:absolute;left:4px;top:6px;color:var(--muted);font-size:12px}
    details.result[open]>summary::before{content:"\\25BE"}
    details.result>summary:hover{background:var(--bg)}
    details.result.fail>summary{background:var(--fail-bg)}
    details.result.error>summary{background:var(--error-bg)}
    details.result.ignored{opacity:.6}
    details.result.waived{opacity:.75}
    .banner .note.warning{font-weight:600}
    .id,.obj{overflow-wrap:anywhere}
    .obj{color:var(--muted)}
    .msg{overflow-wrap:anywhere}
    .body{padding:6px 8px 14px 98px}
    .check-title{margin:0 0 8px;font-weight:600}
    .check-title .code{font-weight:400;color:var(--muted);font-size:13px;margin-left:8px}
    .none{color:var(--muted);margin:4px 0}
    table{border-collapse:collapse;width:100%;font-size:14px}
    th{text-align:left;font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.03em;border-bottom:2px solid var(--line);padding:4px 8px}
    td{border-bottom:1px solid var(--line);padding:5px 8px;vertical-align:top;overflow-wrap:anywhere}
    td.num{white-space:nowrap}
    td.pre{white-space:pre-wrap;font-family:var(--mono);font-size:13px}
    table.evidence td:first-child{width:24%}
    table.evidence{margin-bottom:10px;background:var(--card)}
    .remediation{border-left:4px solid var(--fail);background:var(--fail-bg);padding:8px 12px;border-radius:0 6px 6px 0;margin:8px 0}
    details.warn .remediation{border-color:#d4a72c;background:var(--warn-bg)}
    .remediation p{margin:0}
    .remediation code,.card p code,td code{background:var(--code);padding:0 4px;border-radius:3px}
    .fix{margin:8px 0 0}
    table.fixes td:first-child{white-space:nowrap}
    .scroll{overflow-x:auto}
    table.nics td,table.nics th{white-space:nowrap;padding-left:6px;padding-right:6px}
    table.nics td:nth-child(3){white-space:normal;min-width:14em}
    td.link.up{color:var(--pass)}td.link.down{color:var(--muted)}
    .state{display:inline-block;border-radius:4px;padding:0 6px;font-size:13px}
    .state.split{background:#dbe9ff;color:#0b4aa2}.state.splittable{background:var(--pass-bg);color:var(--pass)}.state.not-splittable{background:var(--skip-bg);color:var(--skip)}
    .seed{opacity:.85;margin-left:4px}
    dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 18px;margin:0}
    dl.facts dt{color:var(--muted)}
    dl.facts dd{margin:0;overflow-wrap:anywhere}
    code.cmdline{white-space:pre-wrap;word-break:break-all}
    details.files{margin-top:12px}
    details.files>summary{cursor:pointer;color:var(--muted)}
    footer{color:var(--muted);font-size:12px;padding-bottom:24px}
    @media screen and (max-width:760px){details.result>summary,ul.attention li{grid-template-columns:60px 1fr}.msg{grid-column:1/-1}.body{padding-left:20px}.tally{margin-left:0}}
    @media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--muted:#9aa4af;--bg:#15181c;--card:#1d2126;--line:#343a41;--code:#2a3037;
    --pass:#5fd07e;--pass-bg:#183824;--warn:#f0c451;--warn-bg:#3a2f10;--fail:#ff8a80;--fail-bg:#45191a;--error:#d9a3f5;--error-bg:#36203f;--skip:#a4adb7;--skip-bg:#2a2f35}
    .state.split{background:#1b3154;color:#a8c8ff}}
    @media print{
    :root{--fg:#000;--muted:#444;--bg:#fff;--card:#fff;--line:#bbb;--code:#f1f1f1;--pass-bg:#fff;--fail-bg:#fff;--warn-bg:#fff;--error-bg:#fff;--skip-bg:#fff}
    body{background:#fff;color:#000;font-size:10.5pt}
    .wrap{max-width:none;padding:0}
    .banner,.banner.ready,.banner.not-ready,.banner.undecided{background:#fff;color:#000;border:2px solid var(--pass);border-left-width:12px;padding:8px 12px;border-radius:4px}
    .banner.not-ready{border-color:#b42318}.banner.undecided{border-color:#6f3196}
    .banner .verdict{color:var(--pass)}.banner.not-ready .verdict{color:#b42318}.banner.undecided .verdict{color:#6f3196}
    .banner code,.counts li{background:#fff;border-color:#999}
    .card{border:none;padding:0;margin:14pt 0}
    .badge{border:1px solid currentColor}
    details::details-content{content-visibility:visible;display:block}
    details:not([open])>*:not(summary){display:block}
    details.result>summary::before{content:none}
    details.result>summary,ul.attention li{grid-template-columns:54px 190px 100px 1fr;gap:8px;padding-left:4px}
    details.result{break-inside:avoid}
    .body{padding-left:62px}
    h2,h3{break-after:avoid}
    a{text-decoration:none}
    .scroll{overflow:visible}
    table.nics{font-size:9pt}
    table.nics td{white-space:normal;overflow-wrap:normal}
    table.nics td:nth-child(3){min-width:0}
    }

    """
}

/// Escaping for HTML text and attribute values.
public enum HTML {
    /// `s` safe as text or as a double- or single-quoted attribute value: the five markup characters as
    /// references, and every control character (but tab and newline) and non-character as a visible escape,
    /// so a hostile string shows what it is and never becomes markup or a parse error.
    public static func text(_ s: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(s.unicodeScalars.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(u)
            default:
                let v = u.value
                if v < 0x20 || (0x7F...0x9F).contains(v) || (0xFDD0...0xFDEF).contains(v) || v & 0xFFFE == 0xFFFE {
                    out += v <= 0xFF ? "\\x" + hex(v, 2) : "\\u{\(hex(v, 4))}"
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }

    /// `s` escaped, with `backquoted` spans shown as code (remediations and notes write commands that way).
    public static func inlineCode(_ s: String) -> String {
        let parts = s.split(separator: "`", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return text(s) }
        var out = ""
        for (i, p) in parts.enumerated() {
            if i % 2 == 1 && i < parts.count - 1 {
                out += "<code>" + text(String(p)) + "</code>"
            } else {
                // An unmatched last backquote stays a backquote.
                out += (i % 2 == 1 ? "`" : "") + text(String(p))
            }
        }
        return out
    }
}
