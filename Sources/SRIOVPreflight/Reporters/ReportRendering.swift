/// Renders a report with the host sections that come from the snapshot (what the reporters add beyond results).
public enum ReportRendering {
    public static func text(_ report: Report, snapshot: HostSnapshot, color: Bool) -> String {
        TextReporter(color: color).render(report)
    }

    public static func json(_ report: Report, snapshot: HostSnapshot) -> String {
        JSONReporter.render(report)
    }
}
