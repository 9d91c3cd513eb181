/// How `sriov-preflight fix` shows its plans: what each fix answers, every file with a unified diff,
/// every runtime action, and whether a reboot is needed.
public enum FixPlanRenderer {
    public static func text(_ outcomes: [(FixDefinition, FixOutcome)], live: Bool) -> String {
        var out = ""
        for (def, outcome) in outcomes {
            switch outcome {
            case .notNeeded(let why):
                out += "fix \(def.id): not needed — \(why)\n"
            case .refused(let why):
                out += "fix \(def.id): REFUSED — \(why)\n"
            case .plan(let p):
                out += "fix \(def.id): \(p.title)\n"
                out += "  answers: \(p.answers.joined(separator: ", "))\n"
                for n in p.notes { out += "  note: \(n)\n" }
                if let flag = p.requiredFlag { out += "  requires: \(flag) with --apply\n" }
                for f in p.files {
                    out += "  \(f.kind.rawValue) /\(f.path)\n"
                    for line in UnifiedDiff.lines(f.diff) { out += "    \(TextReporter.oneLine(line))\n" }
                }
                for a in p.actions {
                    out += "  run\(live ? "" : " (live host only; skipped here)"): \(a.shellText)    # \(a.description)\n"
                }
                out += "  reboot required: \(p.rebootRequired ? "yes" : "no")\n"
            }
            out += "\n"
        }
        let plans = outcomes.filter { if case .plan = $0.1 { return true }; return false }.count
        out += plans == 0 ? "nothing to change\n" : "\(plans) fix\(plans == 1 ? "" : "es") planned; nothing was changed (add --apply to make the changes)\n"
        return out
    }

    public static func json(_ outcomes: [(FixDefinition, FixOutcome)]) -> JSON {
        .array(outcomes.map { def, outcome in
            switch outcome {
            case .notNeeded(let why): return .object(["id": .string(def.id), "status": .string("not-needed"), "reason": .string(why)])
            case .refused(let why): return .object(["id": .string(def.id), "status": .string("refused"), "reason": .string(why)])
            case .plan(let p):
                return .object([
                    "id": .string(def.id), "status": .string("planned"), "title": .string(p.title),
                    "answers": .array(p.answers.map { .string($0) }), "notes": .array(p.notes.map { .string($0) }),
                    "requires": .str(p.requiredFlag), "reboot_required": .bool(p.rebootRequired),
                    "files": .array(p.files.map { .object(["path": .string($0.path), "change": .string($0.kind.rawValue), "diff": .string($0.diff)]) }),
                    "actions": .array(p.actions.map { .object(["run": .string($0.shellText), "why": .string($0.description)]) }),
                ])
            }
        })
    }
}
