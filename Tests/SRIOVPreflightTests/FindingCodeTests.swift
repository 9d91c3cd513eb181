import Foundation
@testable import SRIOVPreflight
import Testing

/// Every result carries a finding code `<check id>.<short code>` whose template is in the check's message table
/// (or the engine's), with every placeholder in its params; every template of a table is produced by an example.
@Suite("Finding codes")
struct FindingCodeTests {
    /// Checks allowed to give literal messages (code `<id>.unconverted`). Empty: every check has its message table,
    /// and it must stay empty (a new finding takes a code and a template).
    static let unconverted: Set<String> = []

    static let checks: [String: Check] = Dictionary(uniqueKeysWithValues: Checks.all.map { ($0.id, $0) })

    /// What is wrong with the codes and params of `results` (empty: nothing).
    static func problems(_ results: [CheckResult], on host: String) -> [String] {
        var out: [String] = []
        for r in results {
            let at = "\(host): \(r.id)[\(r.object)] \(r.code)"
            guard let check = checks[r.id] else { out.append("\(at): no such check"); continue }
            if r.code == "\(r.id).unconverted" {
                if !unconverted.contains(r.id) { out.append("\(at): literal message \"\(r.message)\" (give it a code and a template)") }
                continue
            }
            guard r.code.hasPrefix(r.id + ".") else { out.append("\(at): code not under the check id"); continue }
            let short = String(r.code.dropFirst(r.id.count + 1))
            guard let template = check.description.messages[short] ?? Engine.messages[short] else {
                out.append("\(at): no template for \(short) in the check's table")
                continue
            }
            for name in MessageTemplate.placeholders(template) where r.params[name] == nil {
                out.append("\(at): placeholder {\(name)} has no param (params: \(r.params.keys.sorted()))")
            }
            if r.message != MessageTemplate.render(template, r.params) { out.append("\(at): message not rendered from its template") }
        }
        return out
    }

    @Test("example hosts: every result's code has a template, every placeholder a param; no dead template")
    func examples() {
        var problems: [String] = []
        for check in Checks.all {
            var produced = Set<String>()
            for e in check.description.examples {
                let results = Engine.run(HostSnapshot.collect(e.host.root(baseDir: Paths.fixtureHosts)), checks: [check])
                problems += Self.problems(results, on: "example '\(e.name)'")
                if ProcessInfo.processInfo.environment["SPF_DUMP_FINDINGS"] != nil {
                    for r in results { print("FINDING \(r.code) [\(r.object)] \(e.name): \(r.message)"); for v in r.evidence { print("  EV \(v.source): \(v.observed)") } }
                }
                produced.formUnion(results.map(\.code))
            }
            for short in check.description.messages.keys.sorted() where !produced.contains("\(check.id).\(short)") {
                problems.append("\(check.id).\(short): no example host produces it (add one to the check)")
            }
            if Self.unconverted.contains(check.id) && !produced.contains("\(check.id).unconverted") {
                problems.append("\(check.id) gives no literal message any more: remove it from FindingCodeTests.unconverted")
            }
        }
        #expect(problems.isEmpty, "\(problems.count) problem(s):\n\(problems.joined(separator: "\n"))")
    }

    @Test("message tables: kebab-case codes, snake_case placeholders")
    func tables() {
        func isKebab(_ s: String) -> Bool { !s.isEmpty && s.split(separator: "-", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLowercase || $0.isNumber } } }
        func isSnake(_ s: String) -> Bool { !s.isEmpty && s.split(separator: "_", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLowercase || $0.isNumber } } }
        for check in Checks.all {
            for (short, template) in check.description.messages {
                #expect(isKebab(short), "\(check.id): code '\(short)' is not kebab-case")
                #expect(Engine.messages[short] == nil, "\(check.id).\(short) shadows an engine finding")
                for name in MessageTemplate.placeholders(template) {
                    #expect(isSnake(name), "\(check.id).\(short): placeholder {\(name)} is not snake_case")
                }
            }
        }
    }

    @Test("the catalog JSON (`list --format json`) carries every check's templates under their published codes")
    func catalogJSON() {
        guard case .array(let entries) = CheckDocs.catalogJSON() else { Issue.record("catalog is not an array"); return }
        for (check, entry) in zip(Checks.all, entries) {
            guard case .object(let o) = entry, case .object(let messages)? = o["messages"] else {
                Issue.record("\(check.id): no messages object")
                continue
            }
            #expect(messages.count == check.description.messages.count, "\(check.id)")
            for (short, template) in check.description.messages {
                #expect(messages["\(check.id).\(short)"] == .string(template), "\(check.id).\(short)")
            }
        }
    }

    @Test("lab fixture hosts: every result's code has a template, every placeholder a param", arguments: Paths.committedFixtureHosts)
    func fixtureHost(_ name: String) {
        let (report, _) = Report.run(root: HostRoot.disk(Paths.fixtureHosts + "/" + name))
        let problems = Self.problems(report.results, on: name)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("shared hosts: every result's code has a template, every placeholder a param",
          .enabled(if: Paths.shared != nil, Comment(rawValue: Paths.sharedMissing)), arguments: Paths.sharedHosts)
    func sharedHost(_ name: String) {
        let (report, _) = Report.run(root: HostRoot.disk(Paths.shared! + "/hosts/" + name))
        let problems = Self.problems(report.results, on: name)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("templates: placeholders filled once, unknown names and unmatched braces left as written")
    func rendering() {
        #expect(MessageTemplate.render("{a} and {b}", ["a": "x", "b": "{a}"]) == "x and {a}")
        #expect(MessageTemplate.render("{a} {unknown}", ["a": "x"]) == "x {unknown}")
        #expect(MessageTemplate.render("VFs {count} of {", ["count": "4"]) == "VFs 4 of {")
        #expect(MessageTemplate.render("no close {count", ["count": "4"]) == "no close {count")
        #expect(MessageTemplate.render("", [:]) == "")
    }
}
