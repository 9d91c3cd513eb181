import CLibXML2

/// JUnit XML for CI, written with libxml2's xmlTextWriter (never by string concatenation).
///
/// Valid under both public schemas in shared/schemas/junit (windyroad's Ant schema and Jenkins xunit's):
/// one testsuite per category, `properties` first and `system-out`/`system-err` last, timestamps without
/// a zone, times with at most three decimals, every text mapped into XML 1.0 characters.
public struct JUnitReporter: Reporter {
    public init() {}

    public enum Failure: Error, CustomStringConvertible {
        case libxml(String)
        public var description: String {
            if case .libxml(let s) = self { return "JUnit writer: \(s)" }
            return "JUnit writer"
        }
    }

    public static func render(_ report: ReportDocument) throws -> String { try JUnitReporter().render(report) }

    /// A result's JUnit outcome: nil (passed), or the child element and its type. Ignored and waived results
    /// (waived only when failing, warning or erroring) are skipped; a warning fails only in a strict run.
    /// The one mapping of the single-host and the fleet JUnit.
    static func outcome(_ status: Status, ignored: Bool, waived: Bool, strict: Bool) -> (element: String, type: String)? {
        if ignored { return ("skipped", "ignored") }
        if waived && status != .pass && status != .skip { return ("skipped", "waived") }
        switch status {
        case .pass: return nil
        case .fail: return ("failure", "fail")
        case .error: return ("error", "error")
        case .skip: return ("skipped", "skip")
        case .warn: return strict ? ("failure", "warn") : ("skipped", "warn")
        }
    }

    public func render(_ report: ReportDocument) throws -> String {
        try XMLDocumentWriter.write { w in try Writer(xml: w).document(report) }
    }

    /// Every Unicode scalar XML 1.0 cannot hold (controls, NUL, surrogates, U+FFFE/U+FFFF) as a visible
    /// escape, so the document stays well-formed whatever a message contains.
    public static func sanitize(_ s: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(s.unicodeScalars.count)
        for u in s.unicodeScalars {
            let v = u.value
            let ok = v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v)
                || (0x10000...0x10FFFF).contains(v)
            if ok { out.unicodeScalars.append(u) } else { out += "\\u{\(hex(v, 4))}" }
        }
        return out
    }

    static func seconds(_ ms: Double) -> String {
        let thousandths = Int64((max(ms, 0)).rounded())
        return "\(thousandths / 1000).\(String(thousandths % 1000).leftPadded(3, "0"))"
    }

    /// The report's elements, through the XML writer the fleet's JUnit uses too (`XMLDocumentWriter`: the
    /// declaration, indentation and the XML 1.0 mapping of every text).
    private struct Writer {
        let xml: XMLDocumentWriter

        func start(_ name: String) throws { try xml.start(name) }
        func end() throws { try xml.end() }
        func attr(_ name: String, _ value: String) throws { try xml.attr(name, value) }
        func text(_ value: String) throws { try xml.text(value) }

        func document(_ report: Report) throws {
            try start("testsuites")
            var categories: [String] = []
            for r in report.results where !categories.contains(r.category) { categories.append(r.category) }
            for (index, cat) in categories.enumerated() {
                try suite(report, category: cat, id: index)
            }
            try end()
        }

        func outcome(_ r: CheckResult, strict: Bool) -> (element: String, type: String)? {
            JUnitReporter.outcome(r.status, ignored: r.ignored, waived: r.waiver != nil, strict: strict)
        }

        func suite(_ report: Report, category: String, id: Int) throws {
            let results = report.results.filter { $0.category == category }
            var failures = 0, errors = 0, skipped = 0
            for r in results {
                switch outcome(r, strict: report.strict)?.element {
                case "failure": failures += 1
                case "error": errors += 1
                case "skipped": skipped += 1
                default: break
                }
            }
            try start("testsuite")
            try attr("name", "sriov-preflight.\(category)")
            try attr("package", "sriov-preflight")
            try attr("id", String(id))
            try attr("hostname", report.host.hostname.isEmpty ? "unknown" : report.host.hostname)
            try attr("timestamp", report.timestamp)
            try attr("tests", String(results.count))
            try attr("failures", String(failures))
            try attr("errors", String(errors))
            try attr("skipped", String(skipped))
            try attr("time", JUnitReporter.seconds(results.reduce(0) { $0 + $1.durationMs }))
            try start("properties")
            for (k, v) in [("tool", "\(report.tool.name) \(report.tool.version)"), ("root", report.host.root),
                           ("kernel_release", report.host.kernelRelease), ("cmdline", report.host.cmdline),
                           ("cpu_vendor", report.host.cpuVendor), ("strict", String(report.strict))] {
                try start("property")
                try attr("name", k)
                try attr("value", v)
                try end()
            }
            try end()
            for r in results { try testcase(r, strict: report.strict) }
            try start("system-out")
            try text(results.map { "\($0.status.rawValue.uppercased()) \($0.id)[\($0.object)]: \($0.message)" }
                .joined(separator: "\n"))
            try end()
            try start("system-err")
            if !report.warnings.isEmpty { try text(report.warnings.map { "warning: \($0)" }.joined(separator: "\n")) }
            try end()
            try end()
        }

        func testcase(_ r: CheckResult, strict: Bool) throws {
            try start("testcase")
            try attr("name", "\(r.id)[\(r.object)]")
            try attr("classname", "sriov-preflight.\(r.category)")
            try attr("time", JUnitReporter.seconds(r.durationMs))
            if let o = outcome(r, strict: strict) {
                try start(o.element)
                var prefix = (o.type == "warn" || o.type == "ignored") && o.element == "skipped" ? "\(o.type): " : ""
                if o.type == "waived", let w = r.waiver {
                    prefix = "waived: \(w.justification) (until \(w.expires)\(w.who.map { ", \($0)" } ?? "")): \(r.status.rawValue): "
                }
                if o.element != "skipped" { try attr("type", o.type) }
                try attr("message", prefix + r.message)
                if o.element != "skipped" {
                    var body = r.evidence.map { e -> String in
                        "\(e.source): \(e.observed)" + (e.expected.map { " (expected: \($0))" } ?? "")
                    }
                    if o.element == "failure" && !r.remediation.isEmpty { body.append("Remediation: \(r.remediation)") }
                    try text(body.joined(separator: "\n"))
                }
                try end()
            }
            try end()
        }
    }
}

extension String {
    /// Calls `body` with a NUL-terminated xmlChar copy of the string.
    func xml(_ body: (UnsafePointer<xmlChar>) -> Int32) -> Int32 {
        var bytes = Array(utf8)
        bytes.append(0)
        return bytes.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// XSD validation through libxml2, for the tests and for `sriov-preflight` self-checks.
public enum XMLSchemaValidator {
    /// Nil when `xml` is valid under the schema at `xsdPath`; otherwise the validator's messages.
    public static func validate(xml: String, xsdPath: String) -> String? {
        guard let pctx = xmlSchemaNewParserCtxt(xsdPath) else { return "cannot read schema \(xsdPath)" }
        defer { xmlSchemaFreeParserCtxt(pctx) }
        guard let schema = xmlSchemaParse(pctx) else { return "cannot parse schema \(xsdPath)" }
        defer { xmlSchemaFree(schema) }
        guard let vctx = xmlSchemaNewValidCtxt(schema) else { return "cannot create a validation context" }
        defer { xmlSchemaFreeValidCtxt(vctx) }
        let collector = ErrorCollector()
        let box = Unmanaged.passRetained(collector)
        defer { box.release() }
        xmlSchemaSetValidStructuredErrors(vctx, { ctx, err in
            guard let ctx, let err, let m = err.pointee.message else { return }
            let c = Unmanaged<ErrorCollector>.fromOpaque(ctx).takeUnretainedValue()
            c.messages.append("line \(err.pointee.line): " + String(cString: m).trimmingWhitespace())
        }, box.toOpaque())
        var bytes = Array(xml.utf8)
        let doc = bytes.withUnsafeMutableBufferPointer { b in
            b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) {
                xmlReadMemory($0, Int32(b.count), "report.xml", "UTF-8", Int32(XML_PARSE_NONET.rawValue))
            }
        }
        guard let doc else { return "not well-formed XML" }
        defer { xmlFreeDoc(doc) }
        let rc = xmlSchemaValidateDoc(vctx, doc)
        if rc == 0 { return nil }
        return collector.messages.isEmpty ? "invalid (code \(rc))" : collector.messages.joined(separator: "\n")
    }

    private final class ErrorCollector {
        var messages: [String] = []
    }
}
