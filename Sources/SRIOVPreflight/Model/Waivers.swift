/// Waivers (`check --waivers FILE`): known exceptions, each justified and with an end. A waived result keeps
/// its real status, is marked waived in every format and does not count against readiness; an expired waiver
/// has no effect and adds a warning naming it.
///
/// The file is TOML (a strict subset, parsed here: see `WaiverFile`), one `[[waiver]]` table per entry:
///
///     [[waiver]]
///     check = "cpu.virtualization@host"      # a check id, optionally @object (every object when absent)
///     justification = "lab VM: VT-x comes from the outer host"
///     expires = 2026-12-31                   # UTC; valid through the end of that day
///     who = "alice"                          # optional
public struct Waiver: Sendable, Equatable, Codable {
    public var check: String
    /// nil: every object of the check.
    public var object: String?
    public var justification: String
    /// `YYYY-MM-DD`, UTC; the waiver holds through 23:59:59 of that day.
    public var expires: String
    public var who: String?
    /// Line of its `[[waiver]]` header in the file.
    public var line: Int

    public init(check: String, object: String? = nil, justification: String, expires: String, who: String? = nil, line: Int = 0) {
        self.check = check
        self.object = object
        self.justification = justification
        self.expires = expires
        self.who = who
        self.line = line
    }

    /// `check@object` or `check`: how the file and every message name it.
    public var name: String { object.map { "\(check)@\($0)" } ?? check }

    /// Seconds since the epoch at which the waiver stops holding (00:00:00 UTC of the day after `expires`).
    public var end: Double? { WaiverFile.days(expires).map { Double($0 + 1) * 86_400 } }

    /// True while `now` (seconds since the epoch) is before the end of the expiry day.
    public func isValid(at now: Double) -> Bool { end.map { now < $0 } ?? false }

    public func matches(_ r: CheckResult) -> Bool { r.id == check && (object == nil || object == r.object) }
}

/// What a waived result carries (`results[].waiver`).
public struct AppliedWaiver: Sendable, Equatable, Codable {
    /// `check` or `check@object`, as in the file.
    public var waiver: String
    public var justification: String
    public var expires: String
    public var who: String?
}

/// The waivers of a run (`waivers` in the report): the file, and each entry with its state.
public struct WaiverReport: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        /// In force (whether or not a result needed it).
        case active
        /// Past its expiry day: no effect, and a warning.
        case expired
    }

    public struct Entry: Sendable, Equatable, Codable {
        public var waiver: String
        public var justification: String
        public var expires: String
        public var who: String?
        public var line: Int
        public var state: State
        /// Results it waived.
        public var waivedResults: Int
        /// The warning an expired waiver gives (English), nil otherwise.
        public var warning: String?

        enum CodingKeys: String, CodingKey {
            case waiver, justification, expires, who, line, state, warning
            case waivedResults = "waived_results"
        }
    }

    public var file: String
    public var entries: [Entry]

    public var warnings: [String] { entries.compactMap(\.warning) }
}

extension ReportDocument {
    /// Applies waivers as of `now` (seconds since the epoch; the run's start for `check`): each failing,
    /// warning or erroring result that is not ignored and that an unexpired waiver matches is marked waived;
    /// the summary is counted again. Idempotent for the same input.
    public mutating func apply(_ waivers: [Waiver], file: String, now: Double) {
        var entries: [WaiverReport.Entry] = []
        let active = waivers.map { $0.isValid(at: now) }
        var counts = Array(repeating: 0, count: waivers.count)
        for i in results.indices {
            results[i].waiver = nil
            let r = results[i]
            guard !r.ignored, r.status == .fail || r.status == .warn || r.status == .error else { continue }
            if let k = waivers.indices.first(where: { active[$0] && waivers[$0].matches(r) }) {
                let w = waivers[k]
                results[i].waiver = AppliedWaiver(waiver: w.name, justification: w.justification, expires: w.expires, who: w.who)
                counts[k] += 1
            }
        }
        for (k, w) in waivers.enumerated() {
            let warning = active[k] ? nil
                : UIStrings.ui.waiverExpired.render(["waiver": w.name, "file": file, "line": String(w.line), "expires": w.expires])
            entries.append(.init(waiver: w.name, justification: w.justification, expires: w.expires, who: w.who,
                                 line: w.line, state: active[k] ? .active : .expired, waivedResults: counts[k],
                                 warning: warning))
        }
        self.waivers = WaiverReport(file: file, entries: entries)
        summary = Summary(results, strict: strict)
    }

    /// Warnings about the run itself (an expired waiver), in English; every format shows them.
    public var warnings: [String] { waivers?.warnings ?? [] }
}
