/// The machine-readable report. Its shape is fixed by reports/report.schema.json (draft 2020-12).
public enum JSONReporter {
    public static let schemaVersion = 1

    public static func render(_ report: Report, extraHost: [String: JSON] = [:]) -> String {
        document(report, extraHost: extraHost).serialized(pretty: true)
    }

    public static func document(_ report: Report, extraHost: [String: JSON] = [:]) -> JSON {
        let s = report.summary
        var host: [String: JSON] = [
            "hostname": .string(report.host.hostname),
            "kernel_release": .string(report.host.kernelRelease),
            "cmdline": .string(report.host.cmdline),
            "cpu_vendor": .string(report.host.cpuVendor),
            "root": .string(report.host.root),
        ]
        host.merge(extraHost) { _, new in new }
        return .object([
            "schema_version": .int(Int64(schemaVersion)),
            "tool": .object(["name": .string(Tool.name), "version": .string(Tool.version)]),
            "generated_at": .string(report.timestamp + "Z"),
            "strict": .bool(report.strict),
            "host": .object(host),
            "summary": .object([
                "pass": .num(s.pass), "warn": .num(s.warn), "fail": .num(s.fail), "skip": .num(s.skip),
                "error": .num(s.error), "ignored": .num(s.ignored), "ready": .bool(s.ready),
                "exit_code": .num(s.exitCode.rawValue),
            ]),
            "results": .array(report.results.map(result)),
        ])
    }

    static func result(_ r: CheckResult) -> JSON {
        .object([
            "id": .string(r.id),
            "object": .string(r.object),
            "status": .string(r.status.rawValue),
            "title": .string(r.title),
            "category": .string(r.category),
            "severity": .string(r.severity.rawValue),
            "message": .string(r.message),
            "evidence": .array(r.evidence.map { e in
                .object(["source": .string(e.source), "observed": .string(e.observed), "expected": .str(e.expected)])
            }),
            "remediation": .string(r.remediation),
            "fix": r.fix.map { f in
                .object(["id": .string(f.id), "available": .bool(f.available), "reboot_required": .bool(f.rebootRequired)])
            } ?? .null,
            "duration_ms": .double(r.durationMs),
            "ignored": .bool(r.ignored),
        ])
    }
}
