import Foundation
@testable import SRIOVPreflight
import Testing

/// The catalogs under po/, read the way msgfmt reads them (enough of the PO syntax for our files): the tests
/// use them in process, without a locale or a compiled .mo.
enum PO {
    struct Entry {
        var context: String?
        var id: String
        var plural: String?
        var strings: [String]
        var fuzzy: Bool
        var key: String { context.map { $0 + "\u{4}" + id } ?? id }
    }

    static func unquote(_ s: Substring) -> String {
        var out = ""
        var it = s.dropFirst().dropLast().makeIterator()
        while let c = it.next() {
            guard c == "\\", let n = it.next() else { out.append(c); continue }
            switch n {
            case "n": out += "\n"
            case "t": out += "\t"
            default: out.append(n)
            }
        }
        return out
    }

    static func parse(_ text: String) -> [Entry] {
        var entries: [Entry] = []
        for block in text.components(separatedBy: "\n\n") {
            var fields: [String: String] = [:]
            var last: String?
            var fuzzy = false
            for line in block.split(separator: "\n") {
                if line.hasPrefix("#,") && line.contains("fuzzy") { fuzzy = true }
                if line.hasPrefix("#") { continue }
                if line.hasPrefix("\""), let l = last { fields[l, default: ""] += unquote(line); continue }
                guard let sp = line.firstIndex(of: " ") else { continue }
                last = String(line[..<sp])
                fields[last!] = unquote(line[line.index(after: sp)...])
            }
            guard let id = fields["msgid"] else { continue }
            let strings = fields["msgstr"].map { [$0] } ?? (0..<4).compactMap { fields["msgstr[\($0)]"] }
            entries.append(Entry(context: fields["msgctxt"], id: id, plural: fields["msgid_plural"], strings: strings, fuzzy: fuzzy))
        }
        return entries.filter { !$0.id.isEmpty }
    }

    static func file(_ name: String) throws -> String { try String(contentsOfFile: Paths.repo + "/po/" + name, encoding: .utf8) }

    /// The Chinese translator, from po/zh_CN.po.
    static let zh: Translator = {
        let entries = (try? parse(file("zh_CN.po"))) ?? []
        return Translator(language: "zh_CN", catalog: CatalogTable(entries: Dictionary(entries.map { ($0.key, $0.strings) }) { a, _ in a }))
    }()
}

/// Han characters: what makes a line Chinese.
func hasHan(_ s: String) -> Bool { s.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } }

@Suite("Translations (gettext, zh_CN)")
struct L10nTests {
    static let update = ProcessInfo.processInfo.environment["SRIOV_UPDATE_GOLDEN"] == "1"

    @Test("po/sriov-preflight.pot is what the tool's tables extract (after changing a message: make pot)")
    func potDoesNotDrift() throws {
        let path = Paths.repo + "/po/sriov-preflight.pot"
        if Self.update { try POTemplate.text().write(toFile: path, atomically: true, encoding: .utf8); return }
        let onDisk = try String(contentsOfFile: path, encoding: .utf8)
        #expect(onDisk == POTemplate.text(), "po/sriov-preflight.pot differs from the extraction: run `make pot` and translate")
    }

    @Test("no msgid, msgid_plural or msgctxt of any table holds a control character POTemplate.quote cannot write (only \\n and \\t)")
    func noControlCharacters() throws {
        func bad(_ s: String) -> [String] {
            s.unicodeScalars.filter { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }
                .map { "U+" + String($0.value, radix: 16, uppercase: true) }
        }
        let entries = POTemplate.entries()
        #expect(entries.count > 600)
        for e in entries {
            for (what, text) in [("msgid", e.msg.id), ("msgid_plural", e.msg.plural ?? ""), ("msgctxt", e.msg.context ?? "")] {
                #expect(bad(text).isEmpty, "\(what) \(POTemplate.quote(text)) (\(e.references.joined(separator: ", "))): \(bad(text))")
            }
            #expect(e.msg.context?.contains("\n") != true, "msgctxt \(e.msg.context ?? "") spans lines")
        }
        // And the translations, which the .mo carries as they are.
        for e in PO.parse(try PO.file("zh_CN.po")) {
            for t in e.strings { #expect(bad(t).isEmpty, "msgstr of \(POTemplate.quote(e.id)): \(bad(t))") }
        }
        #expect(bad("a\u{7}b\u{1B}[0m\u{7F}\u{85}") == ["U+7", "U+1B", "U+7F", "U+85"])
    }

    @Test("po/zh_CN.po translates every msgid of the template, nothing fuzzy, with the same {placeholders}")
    func catalogComplete() throws {
        let po = PO.parse(try PO.file("zh_CN.po"))
        let byKey = Dictionary(po.map { ($0.key, $0) }) { a, _ in a }
        let entries = POTemplate.entries()
        #expect(entries.count > 350)
        for e in entries {
            guard let t = byKey[e.msg.key] else { Issue.record("untranslated: \(e.msg.id)"); continue }
            #expect(!t.fuzzy, "fuzzy: \(e.msg.id)")
            #expect(!t.strings.isEmpty && t.strings.allSatisfy { !$0.isEmpty }, "empty: \(e.msg.id)")
            for s in t.strings {
                #expect(Set(MessageTemplate.placeholders(s)) == Set(MessageTemplate.placeholders(e.msg.id)),
                        "placeholders differ: \(e.msg.id) → \(s)")
            }
        }
        #expect(Set(po.map(\.key)) == Set(entries.map(\.msg.key)), "obsolete entries in po/zh_CN.po")
    }

    @Test("msgfmt --check --statistics: 0 untranslated, 0 fuzzy; the compiled .mo reads back as the .po",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/msgfmt"), "msgfmt missing: run `make deps` (gettext)"))
    func msgfmt() throws {
        let dir = temporaryDirectory("mo")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try run(["/usr/bin/msgfmt", "--check", "--statistics", "-o", dir + "/zh.mo", Paths.repo + "/po/zh_CN.po"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.trimmingCharacters(in: .whitespacesAndNewlines) == "\(POTemplate.entries().count) translated messages.")
        let table = try #require(CatalogTable.mo(Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/zh.mo")))))
        for e in PO.parse(try PO.file("zh_CN.po")) { #expect(table.entries[e.key] == e.strings, "\(e.id)") }
        #expect(table.pluralCount == 1)
    }

    @Test("every finding of every example host reads in Chinese: message, title, remediation", arguments: CatalogTests.cases)
    func everyFinding(_ c: ExampleCase) throws {
        let snapshot = HostSnapshot.collect(c.example.host.root(baseDir: Paths.fixtureHosts))
        for r in Engine.run(snapshot, checks: [c.check]) {
            let zh = PO.zh.message(r)
            #expect(r.code.hasSuffix(".unconverted") == false, "\(r.code) has no message table")
            #expect(zh != r.message && hasHan(zh), "\(r.code): not translated: \(zh)")
            #expect(!zh.contains("{"), "\(r.code): placeholder left: \(zh)")
            let used = Set(MessageTemplate.placeholders(Translator.template(code: r.code, id: r.id) ?? ""))
            for (k, v) in r.params where used.contains(k) && !v.isEmpty && !v.contains("{") {
                #expect(zh.contains(v), "\(r.code): param value '\(v)' missing from \(zh)")
            }
            #expect(hasHan(PO.zh.text(r.title)) && hasHan(PO.zh.text(r.remediation)), "\(r.id)")
        }
    }

    @Test("the text report in Chinese: no English word of the frame left, every message translated",
          arguments: Paths.committedFixtureHosts)
    func textReport(_ host: String) throws {
        let doc = GoldenTests.document(host)
        let text = TextReporter(color: false, translator: PO.zh).render(doc)
        let english = TextReporter(color: false, translator: .english).render(doc)
        #expect(english == TextReporter(color: false).render(doc))
        for word in ["READY", " pass,", " warn,", "PASS", "FAIL", "WARN", "SKIP", "(expected:", "fix: ", "cmdline:", "NICs\n"] {
            #expect(!text.contains(word), "\(host): '\(word)' left in the Chinese report")
        }
        for r in doc.results { #expect(text.contains(TextReporter.oneLine(PO.zh.message(r))), "\(r.code)") }
    }

    @Test("golden Chinese text reports of the fixture hosts (Tests/Golden/zh_CN/)", arguments: Paths.committedFixtureHosts)
    func golden(_ host: String) throws {
        let doc = GoldenTests.document(host)
        try GoldenTests.compare(TextReporter(color: false, translator: PO.zh).render(doc), "zh_CN/\(host).txt")
    }

    @Test("checks/zh_CN/ pages are generated from the descriptions and po/zh_CN.po (make docs)")
    func docsDoNotDrift() throws {
        let dir = Paths.repo + "/checks/zh_CN/"
        for (name, text) in CheckDocs.pages(PO.zh) {
            if Self.update { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true); try text.write(toFile: dir + name, atomically: true, encoding: .utf8); continue }
            let onDisk = try? String(contentsOfFile: dir + name, encoding: .utf8)
            #expect(onDisk == text, "checks/zh_CN/\(name) differs from the generated page: run `make docs`")
        }
        let files = (try FileManager.default.contentsOfDirectory(atPath: dir)).filter { $0.hasSuffix(".md") }
        #expect(Set(files) == Set(CheckDocs.pages(PO.zh).map(\.0)), "stale pages in checks/zh_CN/")
    }

    @Test("the NIC table aligns by display width: a CJK character takes two columns")
    func nicTableWidth() throws {
        let doc = GoldenTests.document("intel-igb-ready")
        for t in [PO.zh, Translator.english] {
            let lines = NICTableRenderer.text(doc.nics, translator: t).split(separator: "\n").map(String.init)
            #expect(lines.count == doc.nics.count + 1)
            // Every column starts at the same display column on every line: the header's column starts.
            let header = lines[0]
            var starts: [Int] = []
            var w = 0, prevSpace = 0
            for ch in header {
                if ch == " " { prevSpace += 1 } else { if prevSpace >= 2 { starts.append(w) }; prevSpace = 0 }
                w += String(ch).displayWidth
            }
            for line in lines.dropFirst() {
                for s in starts {
                    var col = 0
                    var before: Character = " ", at: Character = " "
                    for ch in line {
                        if col == s { at = ch; break }
                        before = ch
                        col += String(ch).displayWidth
                    }
                    #expect(before == " " && at != " ", "column at \(s) misaligned in '\(line)'")
                }
            }
        }
        #expect("已虚拟化".displayWidth == 8 && "SR-IOV 状态".displayWidth == 11 && "e\u{301}".displayWidth == 1)
    }

    @Test("language choice: --lang, SRIOV_PREFLIGHT_LANG, LANGUAGE (not under C), LC_ALL, LC_MESSAGES, LANG")
    func languageChoice() {
        func req(_ o: String?, _ env: [String: String]) -> String { L10n.requested(option: o, environment: env) }
        #expect(req(nil, [:]) == "en")
        #expect(req(nil, ["LANG": "zh_CN.UTF-8"]) == "zh_CN")
        #expect(req(nil, ["LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8"]) == "en")
        #expect(req(nil, ["LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.utf8"]) == "zh_CN")
        #expect(req(nil, ["LANG": "C.UTF-8", "LANGUAGE": "fr:zh_CN:en"]) == "zh_CN")
        #expect(req(nil, ["LANG": "zh_CN.UTF-8", "LANGUAGE": "en_US:en"]) == "en")
        #expect(req(nil, ["LANG": "C", "LANGUAGE": "zh_CN"]) == "en")          // gettext ignores LANGUAGE under C
        #expect(req(nil, ["LANG": "zh_TW.UTF-8"]) == "en")                     // no Traditional Chinese catalog
        #expect(req("en", ["LANG": "zh_CN.UTF-8"]) == "en")
        #expect(req("zh_CN", ["LANG": "C"]) == "zh_CN")
        #expect(req(nil, ["LANG": "C", "SRIOV_PREFLIGHT_LANG": "zh"]) == "zh_CN")
        #expect(req("zh_CN", ["SRIOV_PREFLIGHT_LANG": "en"]) == "zh_CN")
    }

    @Test("English when the catalog lacks an entry or has an empty one; a broken .mo is no catalog")
    func fallbacks() {
        let partial = Translator(language: "zh_CN", catalog: CatalogTable(entries: [
            UIStrings.ui.ready.key: ["就绪"], UIStrings.ui.notReady.key: [""],
        ]))
        #expect(partial(UIStrings.ui.ready) == "就绪")
        #expect(partial(UIStrings.ui.notReady) == "NOT READY")
        #expect(partial(UIStrings.ui.undecided) == "UNDECIDED")
        #expect(partial.plural(UIStrings.ui.fixPlanned, 2) == "2 fixes planned; nothing was changed (add --apply to make the changes)")
        #expect(CatalogTable.mo([]) == nil && CatalogTable.mo(Array(repeating: 0xFF, count: 64)) == nil)
        var mo: [UInt8] = [0xde, 0x12, 0x04, 0x95, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 28, 0, 0, 0, 36, 0, 0, 0, 0, 0, 0, 0, 0]
        mo += Array(repeating: 0xFF, count: 16)
        #expect(CatalogTable.mo(mo) == nil)
        #expect(Translator(language: "zh_CN", catalog: nil).isEnglish)
    }

    /// English words of the frames (fix plans, diff, fleet view) that must not be left in the Chinese output.
    static func englishLeft(_ text: String, _ words: [String]) -> [String] { words.filter { text.contains($0) } }

    @Test("fix plans in Chinese: a reason that quotes results says the status and the message in Chinese",
          arguments: Paths.committedFixtureHosts)
    func fixReasons(_ host: String) throws {
        let base = Paths.fixtureHosts + "/" + host
        let (report, snapshot) = Report.run(root: HostRoot.disk(base))
        let ctx = FixContext(snapshot: snapshot, results: report.results, base: base, options: FixOptions())
        let outcomes = FixEngine.plans(ctx, ids: FixID.allCases)
        let english = FixPlanRenderer.text(outcomes, live: false, translator: .english)
        #expect(FixPlanRenderer.text(outcomes, live: false, results: report.results, translator: .english) == english)
        let zh = FixPlanRenderer.text(outcomes, live: false, results: report.results, translator: PO.zh)
        #expect(Self.englishLeft(zh, [" is skip", " is pass", " is warn", " is fail", " is error", "did not run", "not in a way",
                                      " is ignored", "not needed", "nothing to change", "reboot required", "answers:", "create /", "modify /"]) == [],
                "\(host): \(zh)")
        for case (_, .notNeeded(let why)) in outcomes {
            for c in CheckID.allCases where FixContext.standing(c, report.results) == why {
                for r in report.results where r.checkID == c && !r.ignored {
                    #expect(zh.contains(TextReporter.oneLine(PO.zh.message(r))) || zh.contains(PO.zh.message(r)), "\(host): \(r.code) not in Chinese: \(zh)")
                }
            }
        }
        // Permission steps (rendered in English by the engine) come back in Chinese.
        let steps = [UIStrings.ui.fixStepFile.render(["change": "create", "path": "etc/modules-load.d/vfio-pci.conf"]),
                     UIStrings.ui.fixStepRun.render(["command": "modprobe vfio-pci"]),
                     UIStrings.ui.fixStepJournal.render(["dir": FixEngine.stateDir])]
        let text = FixSession.permissionText([(.vfioModules, steps)], euid: 1000, PO.zh)
        #expect(text == "以下修复需要 root 权限：\n  fix vfio-modules: 新建 /etc/modules-load.d/vfio-pci.conf；执行 `modprobe vfio-pci`；在 /var/lib/sriov-preflight/ 下保存变更记录和备份", "\(text)")
        #expect(FixSession.permissionText([(.vfioModules, steps)], euid: 1000) == "these fixes need root:\n  fix vfio-modules: create /etc/modules-load.d/vfio-pci.conf; run `modprobe vfio-pci`; keep its journal and backups under /var/lib/sriov-preflight/")
    }

    @Test("a fix session (plan, refusal, apply, undo) speaks Chinese with a Chinese translator")
    func fixSession() throws {
        let dir = temporaryDirectory("session-zh")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ExampleHost.intelNoIRHardware.materialize(at: dir)
        let root = HostRoot.disk(dir)
        let plan = FixSession.run(FixRequest(ids: [.unsafeInterrupts]), root: root, base: dir, translator: PO.zh)
        #expect(plan.exitCode == 0 && plan.stdout.contains("需要重启") && (plan.stdout.contains("  新建 /") || plan.stdout.contains("  修改 /")), "\(plan.stdout)")
        let refused = FixSession.run(FixRequest(mode: .apply, ids: [.unsafeInterrupts]), root: root, base: dir, translator: PO.zh)
        #expect(refused.exitCode == 1 && refused.stderr.contains("会放弃中断隔离"), "\(refused.stderr)")
        let applied = FixSession.run(FixRequest(mode: .apply, ids: [.unsafeInterrupts], options: FixOptions(acceptUnsafeInterrupts: true)),
                                     root: root, base: dir, translator: PO.zh)
        #expect(applied.exitCode == 0 && applied.stdout.contains("已应用") && applied.stdout.contains("变更记录："), "\(applied.stdout)\(applied.stderr)")
        let undone = FixSession.run(FixRequest(mode: .undo), root: root, base: dir, translator: PO.zh)
        #expect(undone.exitCode == 0 && undone.stdout.contains("已撤销：") && (undone.stdout.contains("已恢复 /") || undone.stdout.contains("已删除 /")), "\(undone.stdout)\(undone.stderr)")
    }

    @Test("diff in Chinese: headings, was/now, verdicts, the summary and the results' messages")
    func diffText() {
        let d = ReportDiff(old: GoldenTests.document("intel-igb-ready"), new: GoldenTests.document("no-iommu"),
                           oldSource: "intel-igb-ready.json", newSource: "no-iommu.json")
        #expect(d.text(.english) == d.text())
        let zh = d.text(PO.zh)
        #expect(Self.englishLeft(zh, ["Newly failing", "Fixed (", "Changed (", "Appeared", "Disappeared", "Host facts", "Files (", "was:", "now:",
                                      "newly failing,", "— host", "READY", "(exit", "checked by", "(absent)"]) == [], "\(zh)")
        for c in d.newlyFailing + d.fixed + d.changed {
            for m in [c.oldMessage, c.newMessage].compactMap({ $0 }) {
                let t = PO.zh.message(id: c.id, english: m)
                #expect(zh.contains(TextReporter.oneLine(t)), "\(c.id): \(t)")
                if Checks.named(c.id) != nil && !m.isEmpty { #expect(hasHan(t), "\(c.id): not translated: \(m)") }
            }
        }
        let same = GoldenTests.document("no-iommu")
        #expect(ReportDiff(old: same, new: same, oldSource: "a", newSource: "a").text(PO.zh).hasSuffix("\n没有差异（退出码 0）\n"))
    }

    @Test("the fleet view in Chinese: no English frame left, messages and remediations translated")
    func fleetText() {
        for fleet in [FleetFixtures.mixedFleet(limit: 8), FleetFixtures.wideFleet()] {
            #expect(FleetTextReporter(translator: .english).render(fleet) == FleetTextReporter().render(fleet))
            let zh = FleetTextReporter(translator: PO.zh).render(fleet)
            #expect(Self.englishLeft(zh, ["fleet of", "Top failing checks", "Not ready\n", "No report\n", "marks:", "FLEET", "Hosts\n", "Checks\n",
                                          "— fix:", "could not decide", " not ready", "(exit", "NOT READY", "UNDECIDED", "UNREACHABLE", "MISSING",
                                          "  verdict", " fail)", "more failing"]) == [], "\(zh)")
            #expect(zh.contains("集群"))
        }
    }

    @Test("an expired waiver's warning is translated in the text report; the JSON keeps the English")
    func waiverWarning() {
        var doc = GoldenTests.document("intel-no-ir-hw")
        doc.apply([Waiver(check: "ir.supported", justification: "lab", expires: "2000-01-01", line: 3)], file: "w.toml", now: 1_800_000_000)
        let english = doc.warnings.first ?? ""
        #expect(english == "waiver ir.supported (w.toml line 3) expired on 2000-01-01: it has no effect")
        #expect(PO.zh.warning(english) == "豁免 ir.supported（w.toml 第 3 行）已于 2000-01-01 过期：不再生效")
        #expect(TextReporter(color: false, translator: PO.zh).render(doc).contains("警告： 豁免 ir.supported"))
        #expect(PO.zh.warning("something else") == "something else")
    }

    @Test("errors in Chinese: waiver file, selection, saved report, fix writes; nested ones too; unknown text as it is")
    func errors() throws {
        let e = ErrorStrings.ui
        let waiver = e.named.render(["name": "w.toml", "problem": e.waiverLine.render(["line": "4", "message":
            e.named.render(["name": "expires", "problem": e.valueNotDate.render(["value": "2026-13-01"])])])])
        #expect(PO.zh.error(waiver) == "w.toml：第 4 行：expires：2026-13-01 不是 YYYY-MM-DD 格式的日期（UTC；豁免有效至当天结束）", "\(PO.zh.error(waiver))")
        #expect(PO.zh.error(Selection.Problem.unknown("ir.nope").description) == "'ir.nope' 既不是检查项 ID 也不是类别（见 `sriov-preflight list`）")
        let version = ReportDocument.ReadError.version(e.schemaVersionBy.render(["version": "9", "writer": "sriov-preflight 9.0", "tool": "sriov-preflight 0.2.0", "current": "3"]))
        #expect(hasHan(PO.zh.error(version.description)) && PO.zh.error(version.description).contains("sriov-preflight 9.0"))
        #expect(hasHan(PO.zh.error(SafeWriter.Refusal(e.writeSymlink.render(["path": "etc/x", "link": "/r/etc"])).description)))
        #expect(PO.zh.error("something else: entirely") == "something else: entirely")
        #expect(PO.zh.error("w.toml: line 2: something else") == "w.toml：第 2 行：something else")
        #expect(Translator.english.error(waiver) == waiver)
        // A real parse error of the loader, end to end.
        let dir = temporaryDirectory("waiver-zh")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "[[waiver]]\ncheck = \"no.such\"\njustification = \"x\"\nexpires = 2026-01-01\n".write(toFile: dir + "/w.toml", atomically: true, encoding: .utf8)
        do { _ = try WaiverFile.load(dir + "/w.toml"); Issue.record("loaded") } catch {
            let zh = PO.zh.error("\(error)")
            #expect(zh.contains("第 2 行") && zh.contains("未知的检查项 ID") && zh.hasPrefix(dir + "/w.toml："), "\(zh)")
        }
    }

    @Test("every library error reads in Chinese at the command line, support bundles' included; a bundle's real refusals too")
    func bundleErrors() throws {
        // Each template (but the bare `{name}: {problem}` frame) rendered with plain values is found back.
        for m in ErrorStrings.ui.all where MessageTemplate.literal(m.id).contains(where: \.isLetter) {
            let params = Dictionary(uniqueKeysWithValues: MessageTemplate.placeholders(m.id).enumerated().map { ($1, "v\($0)") })
            let english = m.render(params)
            let zh = PO.zh.error(english)
            // (`{tool}: poll: {problem}` keeps its words: only its colons change.)
            #expect((hasHan(zh) || m == ErrorStrings.ui.toolPoll) && zh != english && params.values.allSatisfy { zh.contains($0) }, "\(english) -> \(zh)")
            #expect(Translator.english.error(english) == english)
        }
        // Bundles this tool refuses, end to end: the English bytes as before, the Chinese with the path kept.
        let dir = temporaryDirectory("bundle-zh")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data().write(to: URL(fileURLWithPath: dir + "/empty.tar.gz"))
        try Data(repeating: 0x41, count: 1000).write(to: URL(fileURLWithPath: dir + "/garbage.tar.gz"))
        try FileManager.default.createDirectory(atPath: dir + "/dir.tar.gz", withIntermediateDirectories: false)
        #expect(mkfifo(dir + "/fifo.tar.gz", 0o600) == 0)
        let expected = [
            "empty": "\(dir)/empty.tar.gz is empty, not a support bundle",
            "dir": "refusing bundle \(dir)/dir.tar.gz: a directory",
            "fifo": "refusing bundle \(dir)/fifo.tar.gz: not a regular file (a FIFO, socket or device)",
        ]
        for name in ["empty", "garbage", "dir", "fifo"] {
            let out = temporaryDirectory("unpack")
            defer { try? FileManager.default.removeItem(atPath: out) }
            do { try Archive.extract(dir + "/\(name).tar.gz", into: out); Issue.record("\(name) unpacked") } catch {
                let english = "\(error)"
                if let e = expected[name] { #expect(english == e) }
                let zh = PO.zh.error(english)
                #expect(hasHan(zh) && zh.contains(dir + "/\(name).tar.gz") && zh != english, "\(name): \(zh)")
            }
        }
        #expect(PO.zh.error("refusing bundle b.tar.gz: member 'a/../../etc' has a '..' component") == "拒绝支持包 b.tar.gz：成员 'a/../../etc' 的路径含有 '..'")
    }

    @Test("every command-line text (abstracts, discussions, option help) is in the catalog and translated")
    func cliStrings() {
        let keys = Set(POTemplate.entries().map(\.msg.key))
        for child in Mirror(reflecting: CLIStrings.ui).children {
            guard let m = child.value as? Msg, let name = child.label else { continue }
            #expect(m.context == "cli" && keys.contains(m.key), "\(m.id)")
            #expect(PO.zh(m) != m.id, "untranslated: \(m.id)")
            // Everything but the `sriov-preflight CMD: …` frames of errors is a sentence: it reads in Chinese.
            if !m.id.hasPrefix("sriov-preflight ") { #expect(hasHan(PO.zh(m)), "\(name): \(PO.zh(m))") }
        }
        for c in Checks.all { if let m = c.description.manualCheck { #expect(keys.contains(Msg(m, context: "manual check").key)) } }
    }

    @Test("fix texts are found again from their rendering and translated")
    func fixTexts() {
        let f = FixStrings.ui
        let english = f.vfsTooMany.render(["pf": "eth0", "address": "0000:3b:00.0", "count": "9", "total": "7"])
        #expect(MessageTemplate.match(f.vfsTooMany.id, english) == ["pf": "eth0", "address": "0000:3b:00.0", "count": "9", "total": "7"])
        #expect(FixStrings.translate(english, PO.zh) == "eth0（0000:3b:00.0）：请求 9 个 VF，但 TotalVFs 为 7")
        #expect(FixStrings.translate(english, .english) == english)
        #expect(FixStrings.translate("something else entirely", PO.zh) == "something else entirely")
        #expect(MessageTemplate.match("a {x} b {y}", "a 1 b") == nil)
    }
}

/// The binary: --lang, the environment, gettext from the build tree or $SRIOV_PREFLIGHT_LOCALEDIR, English
/// when there is no catalog, machine outputs the same in every language.
@Suite("Translations: the command line", .enabled(if: FileManager.default.isExecutableFile(atPath: Paths.binary)
    && FileManager.default.isExecutableFile(atPath: "/usr/bin/msgfmt"), "needs .build/debug/sriov-preflight and msgfmt (make deps)"))
struct L10nCLITests {
    /// A locale directory with po/zh_CN.po compiled (optionally with one msgid left untranslated).
    static func localeDir(untranslating msgid: String? = nil) throws -> String {
        let dir = temporaryDirectory("locale")
        try FileManager.default.createDirectory(atPath: dir + "/zh_CN/LC_MESSAGES", withIntermediateDirectories: true)
        var po = try PO.file("zh_CN.po")
        if let msgid {
            let marker = "msgid " + POTemplate.quote(msgid) + "\nmsgstr \""
            let r = try #require(po.range(of: marker))
            let end = po[r.upperBound...].firstIndex(of: "\n")!
            po.replaceSubrange(r.upperBound..<end, with: "\"")
        }
        try po.write(toFile: dir + "/zh.po", atomically: true, encoding: .utf8)
        let r = try run(["/usr/bin/msgfmt", "-o", dir + "/zh_CN/LC_MESSAGES/sriov-preflight.mo", dir + "/zh.po"])
        #expect(r.status == 0, "\(r.err)")
        return dir
    }

    static let host = Paths.fixtureHosts + "/intel-no-ir-hw"

    @Test("--lang zh_CN under LANG=C (no zh_CN locale needed), SRIOV_PREFLIGHT_LOCALEDIR; --lang en and LANG=zh_CN.UTF-8")
    func langOption() throws {
        let dir = try Self.localeDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let env = ["LANG": "C", "SRIOV_PREFLIGHT_LOCALEDIR": dir]
        let zh = try run([Paths.binary, "--lang", "zh_CN", "check", "--root", Self.host, "--no-color"], env: env)
        #expect(zh.status == 1)
        #expect(zh.out.contains("未就绪：") && zh.out.contains("中断重映射"), "\(zh.out)")
        #expect(zh.err.isEmpty, "\(zh.err)")
        let after = try run([Paths.binary, "check", "--root", Self.host, "--no-color", "--lang=zh_CN"], env: env)
        #expect(after.out == zh.out)
        let en = try run([Paths.binary, "check", "--root", Self.host, "--no-color", "--lang", "en"],
                         env: ["LANG": "zh_CN.UTF-8", "SRIOV_PREFLIGHT_LOCALEDIR": dir])
        #expect(en.out.contains("NOT READY:"))
        let envZh = try run([Paths.binary, "nics", "--root", Self.host], env: ["LANG": "C.UTF-8", "LANGUAGE": "zh_CN", "SRIOV_PREFLIGHT_LOCALEDIR": dir])
        #expect(envZh.out.hasPrefix("网卡  PCI 地址"), "\(envZh.out)")
        // The C library's message in the problem (strerror) is UTF-8 too, not a '?' a character.
        let waivers = try run([Paths.binary, "--lang", "zh_CN", "check", "--root", Self.host, "--waivers", "/nonexistent/w.yaml"], env: env)
        #expect(waivers.status == 64 && waivers.err.contains("/nonexistent/w.yaml") && !waivers.err.contains("??"), "\(waivers.err)")
        let explain = try run([Paths.binary, "--lang", "zh_CN", "explain", "ir.supported"], env: env)
        #expect(explain.out.contains("为什么重要") && explain.out.contains("平台支持中断重映射"))
    }

    @Test("--help in Chinese: --lang zh_CN before the subcommand, LANG=zh_CN.UTF-8; --lang is listed; ArgumentParser's words stay")
    func help() throws {
        let dir = try Self.localeDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let root = try run([Paths.binary, "--lang", "zh_CN", "--help"], env: ["LANG": "C", "SRIOV_PREFLIGHT_LOCALEDIR": dir])
        #expect(root.out.contains(PO.zh(CLIStrings.ui.rootAbstract)) && root.out.contains("--lang <zh_CN|en>") && root.out.contains("USAGE:"), "\(root.out)")
        #expect(root.out.contains(PO.zh(CLIStrings.ui.checkAbstract)))
        let check = try run([Paths.binary, "--lang", "zh_CN", "check", "--help"], env: ["LANG": "C", "SRIOV_PREFLIGHT_LOCALEDIR": dir])
        #expect(check.out.contains("OVERVIEW: " + PO.zh(CLIStrings.ui.checkAbstract)) && check.out.contains("同时将 JSON 报告写入 FILE。"), "\(check.out)")
        let env = try run([Paths.binary, "check", "--help"], env: ["LANG": "zh_CN.UTF-8", "SRIOV_PREFLIGHT_LOCALEDIR": dir])
        #expect(env.out == check.out, "\(env.out)\(env.err)")
        let after = try run([Paths.binary, "fix", "--help", "--lang", "zh_CN"], env: ["LANG": "C", "SRIOV_PREFLIGHT_LOCALEDIR": dir])
        #expect(after.out.contains("修复：unsafe-interrupts"), "\(after.out)")
        let english = try run([Paths.binary, "check", "--help"], env: ["LANG": "C", "SRIOV_PREFLIGHT_LOCALEDIR": dir])
        #expect(english.out.contains(CLIStrings.ui.checkAbstract.id.prefix(40)) && english.out.contains("--lang <zh_CN|en>") && !hasHan(english.out))
        let usage = try run([Paths.binary, "--lang", "zh_CN", "explain", "no.such"], env: ["LANG": "C", "SRIOV_PREFLIGHT_LOCALEDIR": dir])
        #expect(usage.status == 64 && usage.err.contains("未知的检查项 'no.such'"), "\(usage.err)")
    }

    @Test("JSON and JUnit bytes are the same in English and Chinese")
    func machineOutputs() throws {
        let dir = try Self.localeDir()
        let out = temporaryDirectory("out")
        defer { for d in [dir, out] { try? FileManager.default.removeItem(atPath: d) } }
        _ = try run([Paths.binary, "check", "--root", Self.host, "--json", out + "/r.json", "--output", out + "/r.txt"], env: ["LANG": "C"])
        for format in ["json", "junit"] {
            let c = try run([Paths.binary, "report", "--from", out + "/r.json", "--format", format], env: ["LANG": "C"])
            let z = try run([Paths.binary, "--lang", "zh_CN", "report", "--from", out + "/r.json", "--format", format],
                            env: ["LANG": "C", "SRIOV_PREFLIGHT_LOCALEDIR": dir])
            #expect(c.out == z.out && !c.out.isEmpty, "\(format)")
        }
        let text = try run([Paths.binary, "--lang", "zh_CN", "report", "--from", out + "/r.json", "--no-color"],
                           env: ["LANG": "C", "SRIOV_PREFLIGHT_LOCALEDIR": dir])
        #expect(hasHan(text.out))
        // A C library message in a machine output is English in every language (the people-facing line says
        // it in the language, from the C library's catalog).
        let missing = try run([Paths.binary, "--lang", "zh_CN", "aggregate", "--format", "json", out + "/none.json"],
                              env: ["LANG": "C", "SRIOV_PREFLIGHT_LOCALEDIR": dir])
        #expect(missing.out.contains("\"no report file: No such file or directory\""), "\(missing.out)")
        let c = try run([Paths.binary, "list", "--format", "json"], env: ["LANG": "C"])
        let z = try run([Paths.binary, "--lang", "zh_CN", "list", "--format", "json"], env: ["LANG": "C", "SRIOV_PREFLIGHT_LOCALEDIR": dir])
        #expect(c.out == z.out)
    }

    @Test("a missing catalog gives English (and says so for --lang); an untranslated msgid gives its English, not a crash")
    func fallbacks() throws {
        // A copy of the binary away from the build tree finds no catalog next to it.
        let bin = temporaryDirectory("bin")
        defer { try? FileManager.default.removeItem(atPath: bin) }
        try FileManager.default.copyItem(atPath: Paths.binary, toPath: bin + "/sriov-preflight")
        let alone = try run([bin + "/sriov-preflight", "--lang", "zh_CN", "check", "--root", Self.host, "--no-color"],
                            env: ["LANG": "C", "SRIOV_PREFLIGHT_LOCALEDIR": bin + "/nowhere"])
        if !FileManager.default.fileExists(atPath: "/usr/share/locale/zh_CN/LC_MESSAGES/sriov-preflight.mo") {
            #expect(alone.status == 1 && alone.out.contains("NOT READY:") && !alone.out.contains("未就绪"))
            #expect(alone.err.contains("no zh_CN catalog"))
        }
        let quiet = try run([bin + "/sriov-preflight", "check", "--root", Self.host, "--no-color"],
                            env: ["LANG": "zh_CN.UTF-8", "SRIOV_PREFLIGHT_LOCALEDIR": bin + "/nowhere"])
        #expect(quiet.status == 1 && quiet.err.isEmpty)
        // One msgid left untranslated: that line in English, the rest in Chinese.
        let untranslated = UIStrings.ui.headerRoot.id
        let dir = try Self.localeDir(untranslating: untranslated)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try run([Paths.binary, "--lang", "zh_CN", "check", "--root", Self.host, "--no-color"],
                        env: ["LANG": "C", "SRIOV_PREFLIGHT_LOCALEDIR": dir])
        #expect(r.status == 1)
        #expect(r.out.contains(" — host unknown, kernel ") && r.out.contains("未就绪："), "\(r.out)")
        let bad = try run([Paths.binary, "--lang", "xx", "list"], env: ["LANG": "C"])
        #expect(bad.status == 0 && bad.err.contains("unknown language"))
    }

    @Test("a FIFO, a directory, a symlink loop, a garbage or truncated .mo at the catalog path: English, at once")
    func hostileCatalogs() throws {
        // A copy of the binary away from the build tree: the build tree's catalog is no fallback.
        let bin = temporaryDirectory("bin")
        defer { try? FileManager.default.removeItem(atPath: bin) }
        try FileManager.default.copyItem(atPath: Paths.binary, toPath: bin + "/sriov-preflight")
        let good = try Self.localeDir()
        defer { try? FileManager.default.removeItem(atPath: good) }
        let mo = try Array(Data(contentsOf: URL(fileURLWithPath: good + "/" + L10n.moPath("zh_CN"))))
        let system = FileManager.default.fileExists(atPath: "/usr/share/locale/" + L10n.moPath("zh_CN"))
            || FileManager.default.fileExists(atPath: "/usr/local/share/locale/" + L10n.moPath("zh_CN"))
        let cases: [(String, (String) throws -> Void)] = [
            ("fifo", { #expect(mkfifo($0, 0o600) == 0) }),
            ("directory", { try FileManager.default.createDirectory(atPath: $0, withIntermediateDirectories: false) }),
            ("symlink loop", { #expect(symlink($0, $0) == 0) }),
            ("garbage", { try Data(repeating: 0xA5, count: 4096).write(to: URL(fileURLWithPath: $0)) }),
            ("truncated", { try Data(mo.prefix(mo.count / 2)).write(to: URL(fileURLWithPath: $0)) }),
            ("header only", { try Data(mo.prefix(28)).write(to: URL(fileURLWithPath: $0)) }),
        ]
        for (name, make) in cases {
            let dir = temporaryDirectory("locale")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            try FileManager.default.createDirectory(atPath: dir + "/zh_CN/LC_MESSAGES", withIntermediateDirectories: true)
            let path = dir + "/" + L10n.moPath("zh_CN")
            try make(path)
            // In the library: never chosen as a locale directory (unless it is a regular file), never a catalog.
            #expect(L10n.translator(moFile: path, language: "zh_CN") == nil, "\(name)")
            let chosen = L10n.localeDirectory(for: "zh_CN", environment: ["SRIOV_PREFLIGHT_LOCALEDIR": dir], executable: bin + "/sriov-preflight")
            #expect(chosen != dir || ["garbage", "truncated", "header only"].contains(name), "\(name)")
            // The binary: English, without waiting (timeout's 124 would say it hung).
            for argv in [["--lang", "zh_CN", "list"], ["list"], ["--lang", "zh_CN", "check", "--root", Self.host, "--no-color"]] {
                let r = try run(["/usr/bin/timeout", "20", bin + "/sriov-preflight"] + argv,
                                env: ["LANG": "zh_CN.UTF-8", "SRIOV_PREFLIGHT_LOCALEDIR": dir])
                #expect(r.status != 124, "\(name) \(argv): hung")
                #expect(r.status == (argv.contains("check") ? 1 : 0), "\(name) \(argv): \(r.status) \(r.err)")
                if !system {
                    // (The NIC table's states carry their Chinese label in English too.)
                    let english = argv.contains("check") ? r.out.contains("NOT READY:") && !r.out.contains("未就绪") : !hasHan(r.out)
                    #expect(english && !r.out.isEmpty, "\(name) \(argv): \(r.out)")
                }
            }
        }
    }

    @Test("check --bundle says its errors in Chinese (an empty file, a directory); English without --lang")
    func bundleErrors() throws {
        let dir = try Self.localeDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data().write(to: URL(fileURLWithPath: dir + "/empty.tar.gz"))
        let env = ["LANG": "C", "SRIOV_PREFLIGHT_LOCALEDIR": dir]
        let zh = try run([Paths.binary, "--lang", "zh_CN", "check", "--bundle", dir + "/empty.tar.gz"], env: env)
        #expect(zh.status == 64 && zh.err.contains(dir + "/empty.tar.gz 是空文件，不是支持包"), "\(zh.err)")
        let en = try run([Paths.binary, "check", "--bundle", dir + "/empty.tar.gz"], env: env)
        #expect(en.status == 64 && en.err.contains(dir + "/empty.tar.gz is empty, not a support bundle"), "\(en.err)")
        let d = try run([Paths.binary, "--lang", "zh_CN", "check", "--bundle", dir + "/zh_CN"], env: env)
        #expect(d.status == 64 && d.err.contains("拒绝支持包 " + dir + "/zh_CN：是目录"), "\(d.err)")
    }

    @Test("LANG=zh_CN.UTF-8 with a private locale (localedef, LOCPATH): Chinese through the locale alone",
          .enabled(if: FileManager.default.fileExists(atPath: "/usr/share/i18n/locales/zh_CN")
              && FileManager.default.isExecutableFile(atPath: "/usr/bin/localedef"), "needs localedef and the locales package's zh_CN source"))
    func privateLocale() throws {
        let dir = try Self.localeDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/loc", withIntermediateDirectories: true)
        let def = try run(["/usr/bin/localedef", "-i", "zh_CN", "-f", "UTF-8", dir + "/loc/zh_CN.UTF-8"])
        try #require(def.status == 0 || def.status == 1, "localedef: \(def.err)")
        let r = try run([Paths.binary, "check", "--root", Self.host, "--no-color"],
                        env: ["LOCPATH": dir + "/loc", "LANG": "zh_CN.UTF-8", "SRIOV_PREFLIGHT_LOCALEDIR": dir])
        #expect(r.out.contains("未就绪："), "\(r.out)\(r.err)")
    }
}
