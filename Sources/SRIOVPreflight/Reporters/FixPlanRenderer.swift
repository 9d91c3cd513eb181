/// How `sriov-preflight fix` shows its plans: what each fix answers, every file with a unified diff,
/// every runtime action, and whether a reboot is needed.
public enum FixPlanRenderer {
    /// `results`: the run the plans were made from (to say again, in `t`'s language, where the checks of a
    /// fix that is not needed stand).
    public static func text(_ outcomes: [(FixDefinition, FixOutcome)], live: Bool, results: [CheckResult] = [],
                            translator t: Translator = L10n.current) -> String {
        let ui = UIStrings.ui
        func reason(_ why: String) -> String { Self.reason(why, results: results, t) }
        var out = ""
        for (def, outcome) in outcomes {
            switch outcome {
            case .notNeeded(let why):
                out += t(ui.fixNotNeeded, ["id": def.id, "why": reason(why)]) + "\n"
            case .refused(let why):
                out += t(ui.fixRefused, ["id": def.id, "why": reason(why)]) + "\n"
            case .plan(let p):
                out += t(ui.fixPlanTitle, ["id": def.id, "title": t.text(p.title)]) + "\n"
                out += "  " + t(ui.fixAnswers, ["results": p.answers.joined(separator: ", ")]) + "\n"
                for n in p.notes { out += "  " + t(ui.fixNote, ["note": FixStrings.translate(n, t)]) + "\n" }
                if let flag = p.requiredFlag { out += "  " + t(ui.fixRequires, ["flag": flag]) + "\n" }
                for f in p.files {
                    out += "  " + t(ui.fixStepFile, ["change": t.text(f.kind.rawValue, context: "file change"), "path": f.path]) + "\n"
                    for line in UnifiedDiff.lines(f.diff) { out += "    \(TextReporter.oneLine(line))\n" }
                }
                for a in p.actions {
                    out += "  " + t(live ? ui.fixRun : ui.fixRunLiveOnly, ["command": a.shellText, "why": FixStrings.translate(a.description, t)]) + "\n"
                }
                out += "  " + t(p.rebootRequired ? ui.fixReboot : ui.fixNoReboot) + "\n"
            }
            out += "\n"
        }
        let plans = outcomes.filter { if case .plan = $0.1 { return true }; return false }.count
        out += (plans == 0 ? t(ui.fixNothing) : t.plural(ui.fixPlanned, plans)) + "\n"
        return out
    }

    /// Why a fix is not needed or refused, in `t`'s language: where the checks stand (from `results`), a fix
    /// text, or an error of the fix's writes; as it is when none of them renders it.
    public static func reason(_ why: String, results: [CheckResult], _ t: Translator) -> String {
        guard !t.isEnglish else { return why }
        if let c = CheckID.allCases.first(where: { FixContext.standing($0, results) == why }) {
            return FixContext.standing(c, results, t)
        }
        let fix = FixStrings.translate(why, t)
        return fix != why ? fix : t.error(why)
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
