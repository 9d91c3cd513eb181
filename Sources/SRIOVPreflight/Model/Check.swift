/// The verdict of one check on one object.
public enum Status: String, Sendable, CaseIterable, Codable, Comparable {
    case pass, warn, fail, skip, error

    /// Order of badness, used to sort and to pick the worst.
    var rank: Int {
        switch self {
        case .pass: return 0
        case .skip: return 1
        case .warn: return 2
        case .error: return 3
        case .fail: return 4
        }
    }

    public static func < (a: Status, b: Status) -> Bool { a.rank < b.rank }
}

public enum Severity: String, Sendable, Codable {
    case error, warning, info
}

/// What a check saw, where, and what it wanted to see.
public struct Evidence: Sendable, Equatable, Codable {
    public var source: String
    public var observed: String
    public var expected: String?

    /// The most of one text a piece of evidence keeps (a 50 MB file echoed into every report is no evidence).
    public static let maxText = 64 << 10

    public init(_ source: String, _ observed: String, expected: String? = nil) {
        self.source = Self.capped(source)
        self.observed = Self.capped(observed)
        self.expected = expected.map(Self.capped)
    }

    /// `text`, or its first `maxText` bytes (on a character boundary) and a note saying it was cut.
    static func capped(_ text: String) -> String {
        guard text.utf8.count > maxText else { return text }
        let bytes = Array(text.utf8.prefix(maxText + 1))
        var n = maxText   // bytes[n] is the first byte left out: never cut inside a character
        while n > 0 && bytes[n] & 0xC0 == 0x80 { n -= 1 }
        return String(decoding: bytes[..<n], as: UTF8.self) + " … [cut: \(text.utf8.count) bytes, the first \(n) shown]"
    }
}

/// A fix a result can point to (the `fix` subcommand applies it).
public struct FixOffer: Sendable, Equatable, Codable {
    public var id: FixID
    public var available: Bool
    public var rebootRequired: Bool

    enum CodingKeys: String, CodingKey {
        case id, available
        case rebootRequired = "reboot_required"
    }

    public init(id: FixID, available: Bool = true, rebootRequired: Bool = false) {
        self.id = id
        self.available = available
        self.rebootRequired = rebootRequired
    }
}

/// One result: a check's verdict on one object (`host`, a PCI function `0000:3b:00.0`, a bond `bond0`).
public struct CheckResult: Sendable, Equatable, Codable {
    public var id: String
    public var object: String
    public var status: Status
    /// Stable finding code, `<check id>.<finding>` (e.g. `ir.supported.unit-without-ir`).
    public var code: String
    /// The named values of the finding (unit names, values, paths); the message is rendered from them.
    public var params: [String: String]
    /// English, rendered from the check's message table with `params`.
    public var message: String
    public var evidence: [Evidence]
    public var fix: FixOffer?
    public var durationMs: Double = 0
    /// Reported, but not counted against readiness (`--ignore`).
    public var ignored = false
    /// Reported with its real status, but not counted against readiness: the waiver that covers it (`--waivers`).
    public var waiver: AppliedWaiver?
    // Copied from the description so a result stands alone in reports.
    public var title = ""
    public var category = ""
    public var severity = Severity.error
    public var remediation = ""

    /// The typed id (nil only for a result read from a report of checks this version does not know).
    public var checkID: CheckID? { CheckID(rawValue: id) }

    /// Whether the result weighs on readiness, and if not why; its raw value is the word every format uses.
    public enum Disposition: String, Sendable {
        case counted
        /// `--ignore`.
        case ignored
        /// `--waivers`.
        case waived
    }

    public var disposition: Disposition { ignored ? .ignored : waiver != nil ? .waived : .counted }

    enum CodingKeys: String, CodingKey {
        case id, object, status, code, params, message, evidence, fix, ignored, waiver, title, category, severity, remediation
        case durationMs = "duration_ms"
    }

    public init(id: String = "", object: String = "host", status: Status, code: String = "", params: [String: String] = [:],
                message: String, evidence: [Evidence] = [], fix: FixOffer? = nil) {
        self.id = id
        self.object = object
        self.status = status
        self.code = code
        self.params = params
        self.message = message
        self.evidence = evidence
        self.fix = fix
    }
}

/// What a check's `evaluate` returns for one object: a status, a finding code (short, within the check) with
/// its named params, evidence and maybe a fix. The engine renders the message from the check's table.
public struct Finding: Sendable {
    public var object: String
    public var status: Status
    /// Short code within the check (`unit-without-ir`); empty for a legacy literal message.
    public var code: String
    public var params: [String: String]
    /// A literal message (legacy form, before the check has a message table).
    public var literal: String?
    public var evidence: [Evidence]
    public var fix: FixOffer?

    public init(_ status: Status, code: String, _ params: [String: String], object: String = "host",
                evidence: [Evidence] = [], fix: FixOffer? = nil) {
        self.object = object
        self.status = status
        self.code = code
        self.params = params
        self.literal = nil
        self.evidence = evidence
        self.fix = fix
    }

    public init(_ status: Status, _ message: String, object: String = "host", evidence: [Evidence] = [],
                fix: FixOffer? = nil) {
        self.object = object
        self.status = status
        self.code = ""
        self.params = [:]
        self.literal = message
        self.evidence = evidence
        self.fix = fix
    }

    // The code form: `.fail("unit-without-ir", ["units": "dmar1"], ev, fix: …)`.
    public static func pass(_ code: String, _ params: [String: String], object: String = "host", _ e: [Evidence] = []) -> Finding {
        Finding(.pass, code: code, params, object: object, evidence: e)
    }
    public static func warn(_ code: String, _ params: [String: String], object: String = "host", _ e: [Evidence] = [], fix: FixOffer? = nil) -> Finding {
        Finding(.warn, code: code, params, object: object, evidence: e, fix: fix)
    }
    public static func fail(_ code: String, _ params: [String: String], object: String = "host", _ e: [Evidence] = [], fix: FixOffer? = nil) -> Finding {
        Finding(.fail, code: code, params, object: object, evidence: e, fix: fix)
    }
    public static func skip(_ code: String, _ params: [String: String], object: String = "host", _ e: [Evidence] = []) -> Finding {
        Finding(.skip, code: code, params, object: object, evidence: e)
    }
    public static func error(_ code: String, _ params: [String: String], object: String = "host", _ e: [Evidence] = []) -> Finding {
        Finding(.error, code: code, params, object: object, evidence: e)
    }

    // The legacy literal form, kept while checks move to message tables.
    public static func pass(_ m: String, object: String = "host", _ e: [Evidence] = []) -> Finding {
        Finding(.pass, m, object: object, evidence: e)
    }
    public static func warn(_ m: String, object: String = "host", _ e: [Evidence] = [], fix: FixOffer? = nil) -> Finding {
        Finding(.warn, m, object: object, evidence: e, fix: fix)
    }
    public static func fail(_ m: String, object: String = "host", _ e: [Evidence] = [], fix: FixOffer? = nil) -> Finding {
        Finding(.fail, m, object: object, evidence: e, fix: fix)
    }
    public static func skip(_ m: String, object: String = "host", _ e: [Evidence] = []) -> Finding {
        Finding(.skip, m, object: object, evidence: e)
    }
    public static func error(_ m: String, object: String = "host", _ e: [Evidence] = []) -> Finding {
        Finding(.error, m, object: object, evidence: e)
    }
}

/// Message templates: `{name}` stands for the finding's param `name`.
public enum MessageTemplate {
    public static func render(_ template: String, _ params: [String: String]) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { rest = rest[open...]; break }
            let name = String(rest[rest.index(after: open)..<close])
            if let v = params[name] { out += v } else { out += rest[open...close] }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out
    }

    /// The placeholder names of a template, in order.
    public static func placeholders(_ template: String) -> [String] {
        var names: [String] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}

/// An example host a check must give `expect` on, for `object`. The test suite runs every example.
public struct CheckExample: Sendable {
    public var name: String
    public var host: ExampleHost
    public var object: String
    public var expect: Set<Status>

    public init(_ name: String, _ host: ExampleHost, object: String = "host", expect: Set<Status>) {
        self.name = name
        self.host = host
        self.object = object
        self.expect = expect
    }

    public static func passes(_ name: String, _ host: ExampleHost, object: String = "host") -> CheckExample {
        CheckExample(name, host, object: object, expect: [.pass])
    }
    public static func fails(_ name: String, _ host: ExampleHost, object: String = "host") -> CheckExample {
        CheckExample(name, host, object: object, expect: [.fail])
    }
    public static func warns(_ name: String, _ host: ExampleHost, object: String = "host") -> CheckExample {
        CheckExample(name, host, object: object, expect: [.warn])
    }
    public static func skips(_ name: String, _ host: ExampleHost, object: String = "host") -> CheckExample {
        CheckExample(name, host, object: object, expect: [.skip])
    }
    public static func errors(_ name: String, _ host: ExampleHost, object: String = "host") -> CheckExample {
        CheckExample(name, host, object: object, expect: [.error])
    }
}

/// Everything a check says about itself: the catalog, `explain`, `checks/*.md` and the tests read it.
public struct CheckDescription: Sendable {
    public var checkID: CheckID
    public var id: String { checkID.rawValue }
    public var title: String
    public var categoryID: Category
    public var category: String { categoryID.rawValue }
    public var severity: Severity
    public var rationale: String
    public var remediation: String
    /// Root-relative paths (or patterns) the check's facts come from.
    public var reads: [String]
    public var fixID: FixID?
    /// How to verify the verdict by hand (shown by `explain`).
    public var manualCheck: String?
    /// Short finding code → English message template (`{param}` placeholders). The published code of a
    /// finding is `<id>.<short code>`; a translation is a second table keyed the same way.
    public var messages: [String: String]
    /// Built on demand: example hosts cost time, and only tests, docs and `explain` need them.
    private let exampleBuilder: @Sendable () -> [CheckExample]
    public var examples: [CheckExample] { exampleBuilder() }

    public init(id: CheckID, title: String, category: Category, severity: Severity, rationale: String,
                remediation: String, reads: [String], fixID: FixID? = nil, manualCheck: String? = nil,
                messages: [String: String] = [:],
                examples: @autoclosure @escaping @Sendable () -> [CheckExample]) {
        self.checkID = id
        self.title = title
        self.categoryID = category
        self.severity = severity
        self.rationale = rationale
        self.remediation = remediation
        self.reads = reads
        self.fixID = fixID
        self.manualCheck = manualCheck
        self.messages = messages
        self.exampleBuilder = examples
    }
}

/// A check: its description and a pure function from the host snapshot to findings.
public struct Check: Sendable {
    public var description: CheckDescription
    public var evaluate: @Sendable (HostSnapshot) -> [Finding]

    public init(_ description: CheckDescription, evaluate: @escaping @Sendable (HostSnapshot) -> [Finding]) {
        self.description = description
        self.evaluate = evaluate
    }

    public var id: String { description.id }
    public var checkID: CheckID { description.checkID }

    /// Turns a finding into its published code and English message.
    public func render(_ f: Finding) -> (code: String, message: String) {
        if let literal = f.literal { return ("\(id).unconverted", literal) }
        let code = "\(id).\(f.code)"
        guard let template = description.messages[f.code] ?? Engine.messages[f.code] else {
            return (code, "\(code) \(f.params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        }
        return (code, MessageTemplate.render(template, f.params))
    }
}
