/// The machine-readable report: the report document as JSON (sorted keys, two-space indent). Its shape is
/// fixed by reports/report.schema.json (draft 2020-12); `ReportDocument.read(json:)` reads it back.
public struct JSONReporter: Reporter {
    public static var schemaVersion: Int { ReportDocument.currentSchemaVersion }

    public init() {}

    public static func render(_ report: ReportDocument) -> String { report.json() }

    public func render(_ report: ReportDocument) throws -> String {
        try JSONCoding.serialize(report)
    }
}
