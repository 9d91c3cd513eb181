/// The machine-readable report: the report document as JSON (sorted keys, two-space indent). Its shape is
/// fixed by reports/report.schema.json (draft 2020-12); `ReportDocument.read(json:)` reads it back.
public struct JSONReporter: Reporter {
    public static var schemaVersion: Int { ReportDocument.currentSchemaVersion }

    public init() {}

    public static func render(_ report: ReportDocument) -> String { report.json() }

    public func render(_ report: ReportDocument) throws -> String {
        try JSONCoding.serialize(report)
    }

    /// Streamed: the 2.7 MB report of a host with 1,000 functions never exists whole in memory. This is the
    /// `check` command's last act: the written tree is kept until the process ends (`KeptUntilExit`).
    public func render(_ report: ReportDocument, to sink: (UnsafeRawBufferPointer) -> Void) throws {
        try JSONCoding.serialize(report, keepingTree: true, to: sink)
    }
}
