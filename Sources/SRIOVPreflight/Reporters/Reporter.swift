/// A report format. A reporter renders the report document and nothing else: no snapshot, no I/O.
public protocol Reporter {
    func render(_ report: ReportDocument) throws -> String
    /// The same text handed to `sink` in pieces (UTF-8; a piece may end inside a character), so a big report
    /// need not be whole in memory. By default the whole text in one piece.
    func render(_ report: ReportDocument, to sink: (UnsafeRawBufferPointer) -> Void) throws
}

extension Reporter {
    public func render(_ report: ReportDocument, to sink: (UnsafeRawBufferPointer) -> Void) throws {
        var text = try render(report)
        text.withUTF8 { sink(UnsafeRawBufferPointer($0)) }
    }
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
