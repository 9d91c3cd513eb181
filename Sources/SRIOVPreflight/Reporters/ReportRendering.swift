/// Renders a report with the host sections that come from the snapshot (the NIC table, the fix hint).
public enum ReportRendering {
    public static func text(_ report: Report, snapshot: HostSnapshot, color: Bool) -> String {
        var reporter = TextReporter(color: color)
        let rows = snapshot.nicTable
        if !rows.isEmpty {
            reporter.trailer.append("NICs\n" + NICTableRenderer.text(rows) + "\n")
        }
        let fixes = Set(report.results.filter { !$0.ignored && ($0.status == .fail || $0.status == .warn) }.compactMap { $0.fix?.id })
        if !fixes.isEmpty {
            reporter.trailer.append("run `sriov-preflight fix` to see \(fixes.count) available fix\(fixes.count == 1 ? "" : "es") (\(fixes.sorted().joined(separator: ", ")))")
        }
        return reporter.render(report)
    }

    public static func json(_ report: Report, snapshot: HostSnapshot) -> String {
        JSONReporter.render(report, extraHost: ["nics": NICTableRenderer.json(snapshot.nicTable)])
    }
}
