/// Metrics in the Prometheus text exposition format (0.0.4), for node_exporter's textfile collector
/// (`check --prometheus FILE`, `check --textfile-dir DIR`). Conventions followed:
/// - every family has `# HELP` and `# TYPE` and its series together; all gauges (a textfile is a snapshot);
/// - no timestamps on samples (node_exporter refuses them); the run's time is a metric of its own;
/// - enum-style status: one series per status, 1 on the current one and 0 on the others, so an alert
///   needs no string matching (`sriov_preflight_check_status{status="fail",disposition="counted"} == 1`);
/// - labels hold identifiers only (check ids, objects, statuses, PCI addresses), never free text;
/// - one series per label set: should two results name the same check and object, the worse one stands.
/// Renders the report document only.
public struct PrometheusReporter: Reporter {
    public init() {}

    /// The file name `--textfile-dir` writes (node_exporter reads `*.prom`).
    public static let fileName = "sriov_preflight.prom"
    /// Where Debian's prometheus-node-exporter reads textfiles.
    public static let debianTextfileDirectory = "/var/lib/prometheus/node-exporter"
    public static let prefix = "sriov_preflight"

    /// One series: its labels (name, value) and its value.
    typealias Sample = (labels: [(String, String)], value: String)

    /// A gauge family: `# HELP`, `# TYPE` and its series together.
    static func family(_ name: String, _ help: String, _ samples: [Sample], into out: inout String) {
        out += "# HELP \(prefix)_\(name) \(escape(help, label: false))\n"
        out += "# TYPE \(prefix)_\(name) gauge\n"
        for s in samples {
            out += "\(prefix)_\(name)"
            if !s.labels.isEmpty {
                out += "{" + s.labels.map { "\($0.0)=\"\(escape($0.1, label: true))\"" }.joined(separator: ",") + "}"
            }
            out += " \(s.value)\n"
        }
    }

    public func render(_ report: ReportDocument) -> String {
        var out = ""
        func family(_ name: String, _ help: String, _ samples: [Sample]) { Self.family(name, help, samples, into: &out) }
        let s = report.summary

        family("build_info", "Version of sriov-preflight that wrote these metrics and of its report schema (always 1).",
               [([("schema", String(report.schemaVersion)), ("version", report.tool.version)], "1")])
        family("host_ready", "1 when the host is ready for SR-IOV (exit code 0), else 0.",
               [([], s.ready ? "1" : "0")])
        family("exit_code", "Exit code of the run: 0 ready, 1 not ready, 2 undecided (some checks could not run).",
               [([], String(s.exitCode.rawValue))])
        family("last_run_timestamp_seconds", "When the run started, in seconds since the Unix epoch.",
               [([], Self.number(report.timings.startedAt))])
        family("run_duration_seconds", "How long the run took, in seconds.",
               [([], Self.number(report.timings.durationMs / 1000))])
        let counts: [(String, Int)] = [("pass", s.pass), ("warn", s.warn), ("fail", s.fail), ("skip", s.skip),
                                       ("error", s.error), ("ignored", s.ignored), ("waived", s.waived)]
        family("results", "Results of the run by status; ignored and waived results are counted apart, not by status.",
               counts.map { ([("status", $0.0)], String($0.1)) })

        // One entry per (check, object): the worse result when a check named an object twice.
        var order: [String] = []
        var byKey: [String: CheckResult] = [:]
        for r in report.results {
            let key = r.id + "\u{0}" + r.object
            if let old = byKey[key] {
                if r.status.rank > old.status.rank { byKey[key] = r }
            } else {
                order.append(key)
                byKey[key] = r
            }
        }
        var statusSamples: [Sample] = []
        for key in order {
            let r = byKey[key]!
            for st in Status.allCases {
                statusSamples.append(([("check", r.id), ("object", r.object), ("category", r.category),
                                       ("severity", r.severity.rawValue), ("disposition", r.disposition.rawValue),
                                       ("status", st.rawValue)], st == r.status ? "1" : "0"))
            }
        }
        family("check_status",
               "Result of one check on one object: one series per status, 1 on the current one, 0 on the others. disposition: counted, ignored (--ignore) or waived (--waivers).",
               statusSamples)

        family("nic_info", "One physical NIC (always 1): interface, PCI address, driver and SR-IOV state.",
               report.nics.map { n in
                   ([("pf", n.pciAddress), ("interface", Self.interface(n)), ("driver", n.driver ?? ""),
                     ("sriov_state", n.state.rawValue)], "1")
               })
        var vfSamples: [Sample] = []
        for n in report.nics where n.vfsTotal > 0 {
            for (kind, v) in [("total", n.vfsTotal), ("enabled", n.vfsEnabled), ("in_use", n.vfsInUse),
                              ("available", n.vfsAvailable)] {
                vfSamples.append(([("pf", n.pciAddress), ("interface", Self.interface(n)), ("kind", kind)], String(v)))
            }
        }
        family("pf_vfs",
               "Virtual functions of an SR-IOV physical function: total (the device's maximum), enabled, in_use (bound to a driver), available.",
               vfSamples)
        out += extraFamilies(report)
        return out
    }

    static func interface(_ n: NICRow) -> String { n.name == "-" ? "" : n.name }

    /// With a waiver file: its entries by state, and one series naming each expired waiver (the warning).
    func extraFamilies(_ report: ReportDocument) -> String {
        guard let w = report.waivers else { return "" }
        var out = ""
        Self.family("waivers", "Entries of the waiver file by state (an expired waiver has no effect).",
                    [WaiverReport.State.active, .expired].map { st in
                        ([("state", st.rawValue)], String(w.entries.filter { $0.state == st }.count))
                    }, into: &out)
        var expired: [Sample] = []
        var seen: Set<[String]> = []
        for e in w.entries where e.state == .expired && seen.insert([e.waiver, e.expires]).inserted {
            expired.append(([("waiver", e.waiver), ("expires", e.expires)], "1"))
        }
        Self.family("waiver_expired", "An expired waiver (always 1): it waives nothing, renew or remove it.", expired, into: &out)
        return out
    }

    /// A sample value: integers without a fraction, others in Swift's shortest round-trip form.
    static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }

    /// The text format's escapes: backslash and line feed in HELP text; in label values the double quote too.
    static func escape(_ s: String, label: Bool) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"" where label: out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
