import Foundation
@testable import SRIOVPreflight
import Testing

/// The HTML report: escaping, self-containment and nesting (Python's html.parser through
/// Tests/tools/check_html.py), the localization hook, and the command line. The browser renders it in
/// HTMLBrowserTests; golden files are in GoldenTests.
@Suite("HTML report")
struct HTMLReporterTests {
    /// Markup that would run, fetch or restyle if it were not escaped.
    static let injection = "\"'><script>alert(1)</script><img src=http://evil.example/x.png onerror=alert(2)>"
        + "<a href='//evil.example/'>x</a><style>@import url(http://evil.example/s.css)</style><!-- {verdict} &amp;"

    /// The elements a report is made of; anything else in a parsed report came from a value.
    static let allowedTags: Set<String> = [
        "html", "head", "meta", "title", "style", "body", "header", "main", "footer", "section", "h1", "h2", "h3",
        "h4", "p", "ul", "li", "b", "a", "code", "span", "div", "details", "summary", "table", "thead", "tbody",
        "tr", "th", "td", "dl", "dt", "dd", "br",
    ]

    struct Parsed: Decodable {
        var file: String
        var errors: [String]
        var tags: [String: Int]
        var text: String
    }

    /// Runs check_html.py over the pages; nil when python3 is missing.
    static func parse(_ pages: [String]) throws -> [Parsed]? {
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else { return nil }
        let dir = temporaryDirectory("html")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var files: [String] = []
        for (i, p) in pages.enumerated() {
            files.append("\(dir)/\(i).html")
            try p.write(toFile: files.last!, atomically: true, encoding: .utf8)
        }
        let r = try run([python, Paths.repo + "/Tests/tools/check_html.py"] + files)
        #expect(r.err.isEmpty, "\(r.err)")
        return try r.out.split(separator: "\n").map { try JSONDecoder().decode(Parsed.self, from: Data($0.utf8)) }
    }

    /// A report with the injection in every text a document carries.
    static func hostile() -> ReportDocument {
        var (doc, _) = Report.run(root: ExampleHost.intelBIOSOff.root())
        let x = injection
        doc.host.hostname = x
        doc.host.kernelRelease = x
        doc.host.cmdline = x
        doc.host.cpuVendor = x
        doc.host.root = x
        doc.tool.version = x
        doc.generatedAt = x
        doc.selection = SelectionInfo(only: [x], ignore: [x])
        for i in doc.results.indices {
            doc.results[i].id = x
            doc.results[i].object = x
            doc.results[i].message = x
            doc.results[i].title = x
            doc.results[i].code = x
            doc.results[i].remediation = x
            doc.results[i].evidence.append(Evidence(x, x, expected: x))
        }
        doc.results[0].category = x
        doc.results[0].status = .fail
        doc.results[0].fix = FixOffer(id: .iommuCmdline)
        doc.nics.append(NICRow(name: x, pciAddress: x, model: x, driver: x, link: x, speed: 1, bond: x,
                               state: .split, vfsTotal: 1, vfsEnabled: 1, vfsInUse: 0))
        doc.filesRead.append(FileRead(path: x, kind: .file, error: x))
        return doc
    }

    @Test("HTML.text escapes the markup characters and shows control characters and non-characters")
    func escaping() {
        #expect(HTML.text("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        let nonCharacter = String(Character(Unicode.Scalar(0xFDD0)!))
        #expect(HTML.text("a\u{00}b\u{1B}[31m\u{7F}\u{85}\u{FFFE}" + nonCharacter + "\tc\nd é ✓ 𝄞 物理机")
                == "a\\x00b\\x1b[31m\\x7f\\x85\\u{fffe}\\u{fdd0}\tc\nd é ✓ 𝄞 物理机")
        #expect(HTML.inlineCode("add `intel_iommu=on` <b>") == "add <code>intel_iommu=on</code> &lt;b&gt;")
        #expect(HTML.inlineCode("one ` only <i>") == "one ` only &lt;i&gt;")
        #expect(HTML.inlineCode("`<x>` and `y") == "<code>&lt;x&gt;</code> and `y")
        // One pass: a value holding a placeholder stays as it is.
        #expect(MessageTemplate.render("{a}-{b}-{c}", ["a": "{b}", "b": "B"]) == "{b}-B-{c}")
    }

    @Test("hostile values stay text: no element, attribute, URL or style comes from the document")
    func hostileValues() throws {
        let html = HTMLReporter().render(Self.hostile())
        guard let parsed = try Self.parse([html]) else {
            print("python3 missing: the parser half of this test skipped")
            return
        }
        let p = parsed[0]
        #expect(p.errors.isEmpty, "\(p.errors)")
        #expect(Set(p.tags.keys).isSubset(of: Self.allowedTags), "\(p.tags.keys.sorted())")
        #expect(p.tags["style"] == 1)
        #expect(p.tags["script"] == nil && p.tags["img"] == nil)
        // Every value shows as what it was: the text holds the injection, whole, many times.
        #expect(p.text.components(separatedBy: Self.injection).count > 20)
        #expect(!html.contains("<script") && !html.contains("<img") && !html.contains("<!--"))
        // The title's {host} placeholder filled once: the hostname's own "{verdict}" stays literal.
        #expect(html.contains("<title>&quot;&#39;&gt;&lt;script&gt;"))
        #expect(html.contains("{verdict} &amp;amp;: NOT READY"))
    }

    @Test("every fixture host and every sample report: self-contained, well nested, only the report's elements")
    func selfContained() throws {
        var pages = Paths.committedFixtureHosts.map { HTMLReporter().render(GoldenTests.document($0)) }
        pages += ReporterTests.reports().map { HTMLReporter().render($0.1) }
        pages += Paths.committedFixtureHosts.map { HTMLReporter(translator: PO.zh).render(GoldenTests.document($0)) }
        #expect(pages.count >= 25)
        guard let parsed = try Self.parse(pages) else {
            print("python3 missing: the parser half of this test skipped")
            return
        }
        #expect(parsed.count == pages.count)
        for p in parsed {
            #expect(p.errors.isEmpty, "\(p.file): \(p.errors)")
            #expect(Set(p.tags.keys).isSubset(of: Self.allowedTags), "\(p.file): \(p.tags.keys.sorted())")
            #expect(p.tags["style"] == 1 && p.tags["html"] == 1 && p.tags["body"] == 1)
        }
        // No scheme of any kind appears in an attribute: the only links are fragments.
        for page in pages {
            #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("url("))
        }
    }

    @Test("readiness at a glance: the banner's class, verdict and counts follow the summary")
    func banner() {
        let ready = HTMLReporter().render(GoldenTests.document("intel-igb-ready"))
        #expect(ready.contains("<header class=\"banner ready\">"))
        #expect(ready.contains("<span class=\"verdict\">READY</span>"))
        let off = GoldenTests.document("no-iommu")
        let notReady = HTMLReporter().render(off)
        #expect(notReady.contains("<header class=\"banner not-ready\">"))
        #expect(notReady.contains("<li class=\"n-fail\"><b>\(off.summary.fail)</b> fail</li>"))
        // Failures and errors start open, the rest folded.
        let failing = off.results.filter { $0.status == .fail }.count
        #expect(notReady.components(separatedBy: " open>").count - 1 == failing)
        var undecided = off
        for i in undecided.results.indices where undecided.results[i].status == .fail { undecided.results[i].status = .error }
        undecided.summary = Summary(undecided.results, strict: false)
        let u = HTMLReporter().render(undecided)
        #expect(u.contains("<header class=\"banner undecided\">") && u.contains("UNDECIDED"))
        #expect(u.components(separatedBy: " open>").count - 1 == failing)
    }

    @Test("waivers: a waived failure folded and counted apart; an expired waiver warns in the banner; the waiver table")
    func waivers() throws {
        var doc = GoldenTests.document("no-iommu")
        doc.apply([Waiver(check: "firmware.iommu-table", justification: "BIOS update <scheduled>", expires: "2026-06-30", who: "alice", line: 1),
                   Waiver(check: "kernel.iommu-enabled", justification: "old", expires: "2025-12-31", line: 6)],
                  file: "waivers.toml", now: doc.timings.startedAt)
        #expect(doc.summary.waived == 1 && doc.warnings.count == 1)
        let html = HTMLReporter().render(doc)
        #expect(html.contains("<details class=\"result fail waived\" id=\"r1\">"), "waived: folded")
        #expect(html.contains("waived until 2026-06-30: BIOS update &lt;scheduled&gt; (alice)"))
        #expect(html.contains("<li class=\"n-waived\"><b>1</b> waived</li>"))
        #expect(html.contains(HTML.text(doc.warnings[0])))
        #expect(html.contains("<section id=\"waivers\" class=\"card\">"))
        #expect(html.contains("<span class=\"badge warn\">EXPIRED</span>") && html.contains("<span class=\"badge pass\">ACTIVE</span>"))
        // The expired waiver had no effect: kernel.iommu-enabled still fails and needs attention.
        #expect(html.contains("<a href=\"#r4\"><code class=\"id\">kernel.iommu-enabled</code></a>"))
        #expect(!html.contains("<a href=\"#r1\">"))
        #expect(html.contains("<span class=\"dot skip\"></span>Firmware (ACPI tables) <code class=\"cat-id\">firmware</code> <span class=\"tally\">2 skip · 1 waived</span>"))
        guard let parsed = try Self.parse([html]) else { return }
        #expect(parsed[0].errors.isEmpty, "\(parsed[0].errors)")
    }

    @Test("the fix plan lists each offered fix once, with the results it answers and whether it reboots")
    func fixPlan() {
        let doc = GoldenTests.document("intel-intremap-off")
        let html = HTMLReporter().render(doc)
        #expect(html.contains("<section id=\"fixes\""))
        #expect(html.components(separatedBy: "<td><code>sriov-preflight fix iommu-cmdline</code></td>").count == 2)
        #expect(html.contains("Kernel arguments for the IOMMU"))
        #expect(!HTMLReporter().render(GoldenTests.document("intel-igb-ready")).contains("id=\"fixes\""))
    }

    @Test("people-facing words go through the lookup; the page says its language; ids and codes stay as they are")
    func localization() {
        let doc = GoldenTests.document("intel-intremap-off")
        let html = HTMLReporter(translator: Translator(language: "zh_CN", catalog: Bracketing())).render(doc)
        #expect(html.contains("<html lang=\"zh-CN\">"))
        for w in [HTMLReporter.Words.ui.attention, HTMLReporter.Words.ui.nics, HTMLReporter.Words.ui.remediation,
                  HTMLReporter.Words.ui.categoryIR, HTMLReporter.Words.ui.notReady] {
            #expect(html.contains("⟦\(HTML.text(w))⟧"), "\(w)")
        }
        // Placeholders are filled after translation, wherever the translation puts them.
        let exitKey = Msg(HTMLReporter.Words.ui.exitCode, context: "html").key
        let reordered = HTMLReporter(translator: Translator(language: "zh_CN", catalog: CatalogTable(entries: [exitKey: ["退出码（{code}）"]]))).render(doc)
        #expect(reordered.contains("退出码（1）"))
        #expect(html.contains("<code class=\"id\">kernel.iommu-cmdline</code>"))
        #expect(html.contains("<code>kernel.iommu-cmdline.intremap-off</code>"))
        // The CJK fonts are in the stack, first under lang zh.
        #expect(HTMLPage.css.contains(":lang(zh){--font:\"PingFang SC\",\"Noto Sans CJK SC\""))
    }

    @Test("the page in Chinese: lang zh-CN, its words, the checks' titles, messages and remediations from po/zh_CN.po; golden Tests/Golden/zh_CN/intel-intremap-off.html")
    func chinese() throws {
        let doc = GoldenTests.document("intel-intremap-off")
        let html = HTMLReporter(translator: PO.zh).render(doc)
        try GoldenTests.compare(html, "zh_CN/intel-intremap-off.html")
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        #expect(html.contains("<span class=\"verdict\">未就绪</span>") && html.contains("<h2>需要关注</h2>"))
        for r in doc.results {
            #expect(html.contains(HTML.text(PO.zh.message(r))) && hasHan(PO.zh.message(r)), "\(r.code)")
            #expect(html.contains(HTML.text(PO.zh.text(r.title))), "\(r.id)")
            if r.status == .fail || r.status == .warn { #expect(html.contains(HTML.inlineCode(PO.zh.text(r.remediation))), "\(r.id)") }
        }
        // No word of the page is left in English where the catalog says otherwise (ids, codes, evidence stay).
        let page = HTMLPage(translator: PO.zh)
        var english = 0
        for child in Mirror(reflecting: HTMLReporter.Words.ui).children {
            guard let w = child.value as? String, page.word(w) != w, !w.contains("{") else { continue }
            english += 1
            #expect(!html.contains(">\(HTML.text(w))<"), "'\(w)' left in English")
        }
        #expect(english > 80)
        // The NIC table: link and SR-IOV state in ZStack's words.
        #expect(html.contains("可虚拟化") && html.contains(">已连接<"))
        #expect(html.contains("<title>") && html.contains("SR-IOV 就绪检查</title>"))
        guard let parsed = try Self.parse([html]) else { return }
        #expect(parsed[0].errors.isEmpty, "\(parsed[0].errors)")
    }

    @Test("an expired waiver's warning reads in the page's language; any other warning as it is")
    func warningInChinese() {
        var doc = GoldenTests.document("no-iommu")
        doc.apply([Waiver(check: "kernel.iommu-enabled", justification: "old", expires: "2025-12-31", line: 6)],
                  file: "w.toml", now: doc.timings.startedAt)
        let zh = HTMLReporter(translator: PO.zh).render(doc)
        #expect(zh.contains("<p class=\"note warning\">警告：豁免 kernel.iommu-enabled（w.toml 第 6 行）已于 2025-12-31 过期：不再生效</p>"))
        #expect(HTMLReporter(translator: PO.zh).warningText("something else") == "something else")
        #expect(HTMLReporter(translator: .english).render(doc).contains(HTML.text(doc.warnings[0])))
    }

    @Test("--lang zh_CN and LANG=zh_CN.UTF-8: check --html, check --format html, report --format html and aggregate --format html in Chinese",
          .enabled(if: FileManager.default.isExecutableFile(atPath: Paths.binary)
              && FileManager.default.isExecutableFile(atPath: "/usr/bin/msgfmt"), "needs .build/debug/sriov-preflight and msgfmt"))
    func commandLineChinese() throws {
        let locale = try L10nCLITests.localeDir()
        let out = temporaryDirectory("htmlzh")
        defer { for d in [locale, out] { try? FileManager.default.removeItem(atPath: d) } }
        let env = ["LANG": "C", "SRIOV_PREFLIGHT_LOCALEDIR": locale]
        let root = Paths.fixtureHosts + "/intel-intremap-off"
        let r = try run([Paths.binary, "--lang", "zh_CN", "check", "--root", root, "--json", out + "/r.json", "--html", out + "/r.html", "--output", "/dev/null"], env: env)
        #expect(r.status == 1, "\(r.err)")
        let page = try String(contentsOfFile: out + "/r.html", encoding: .utf8)
        #expect(page.contains("<html lang=\"zh-CN\">") && page.contains("未就绪") && page.contains("中断重映射"))
        let again = try run([Paths.binary, "--lang", "zh_CN", "report", "--from", out + "/r.json", "--format", "html"], env: env)
        #expect(again.status == 1 && again.out == page)
        let byLang = try run([Paths.binary, "check", "--root", root, "--format", "html"], env: ["LANG": "zh_CN.UTF-8", "SRIOV_PREFLIGHT_LOCALEDIR": locale])
        #expect(byLang.out.contains("<html lang=\"zh-CN\">") && byLang.out.contains("需要关注"), "\(byLang.err)")
        // The same saved report without a language: English.
        let english = try run([Paths.binary, "report", "--from", out + "/r.json", "--format", "html"], env: ["LANG": "C"])
        #expect(english.out.contains("<html lang=\"en\">") && english.out.contains("NOT READY"))
        let fleet = try run([Paths.binary, "--lang", "zh_CN", "aggregate", out + "/r.json", "--format", "html"], env: env)
        #expect(fleet.status == 1 && fleet.out.contains("<html lang=\"zh-CN\">") && fleet.out.contains("1 台物理机"), "\(fleet.err)")
    }

    @Test("check --html, check --format html and report --from --format html write the same page",
          .enabled(if: FileManager.default.isExecutableFile(atPath: Paths.binary), "run `swift build` first"))
    func commandLine() throws {
        let out = temporaryDirectory("htmlcli")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let root = Paths.fixtureHosts + "/no-iommu"
        let r = try run([Paths.binary, "check", "--root", root, "--json", out + "/r.json", "--html", out + "/r.html"])
        #expect(r.status == 1)
        let page = try String(contentsOfFile: out + "/r.html", encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("NOT READY"))
        let again = try run([Paths.binary, "report", "--from", out + "/r.json", "--format", "html"])
        #expect(again.status == 1)
        #expect(again.out == page)
        let stdout = try run([Paths.binary, "check", "--root", root, "--format", "html"])
        #expect(stdout.out.hasPrefix("<!DOCTYPE html>"))
    }
}

/// A catalog that translates every msgid into itself in brackets: shows what went through the lookup.
struct Bracketing: MessageCatalog {
    func translation(_ key: String) -> String? { "⟦" + (key.split(separator: "\u{4}").last.map(String.init) ?? key) + "⟧" }
    func translation(_ key: String, plural: String, count: Int) -> String? { translation(key) }
}
