/// A report format. A reporter renders the report document and nothing else: no snapshot, no I/O.
public protocol Reporter {
    func render(_ report: ReportDocument) throws -> String
}

/// The formats `check --format` and `report --format` offer.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, junit, prometheus, html

    public func reporter(color: Bool = false) -> any Reporter {
        switch self {
        case .text: return TextReporter(color: color)
        case .json: return JSONReporter()
        case .junit: return JUnitReporter()
        case .prometheus: return PrometheusReporter()
        case .html: return HTMLReporter()
        }
    }
}
