/// A fleet format. A fleet reporter renders the fleet document and nothing else: no report files, no I/O.
public protocol FleetReporter {
    func render(_ fleet: FleetDocument) throws -> String
}

/// The formats `aggregate --format` offers.
public enum FleetFormat: String, CaseIterable, Sendable {
    case text, json, junit, html

    public func reporter() -> any FleetReporter {
        switch self {
        case .text: return FleetTextReporter()
        case .json: return FleetJSONReporter()
        case .junit: return FleetJUnitReporter()
        case .html: return FleetHTMLReporter()
        }
    }
}

/// The fleet document as JSON (sorted keys, two-space indent), shaped by reports/fleet.schema.json.
public struct FleetJSONReporter: FleetReporter {
    public init() {}
    public func render(_ fleet: FleetDocument) throws -> String {
        try JSONCoding.serialize(fleet)
    }
}

extension FleetHostState {
    /// The word the text matrix shows for a host.
    public var verdict: String {
        switch self {
        case .ready: return "READY"
        case .notReady: return "NOT READY"
        case .undecided: return "UNDECIDED"
        case .unreachable: return "UNREACHABLE"
        case .missing: return "MISSING"
        case .unreadable: return "UNREADABLE"
        }
    }
}
