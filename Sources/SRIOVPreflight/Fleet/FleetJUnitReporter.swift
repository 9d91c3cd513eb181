import CLibXML2

/// Fleet JUnit: one `<testsuite>` per host (`name` and `hostname` = the host, `id` from 0, `package`
/// sriov-preflight), one testcase per result (`classname` HOST.category, `name` ID[object]); a host without
/// a usable report is one testcase `host.reachable` (unreachable) or `host.report` (missing, unreadable) with
/// an `<error>`. Valid under the same two public XSDs as the single-host JUnit (see JUnitReporter).
public struct FleetJUnitReporter: FleetReporter {
    public init() {}

    public func render(_ fleet: FleetDocument) throws -> String {
        try XMLDocumentWriter.write { w in
            try w.start("testsuites")
            let remediation = Dictionary(fleet.checks.map { ($0.id, $0.remediation) }, uniquingKeysWith: { a, _ in a })
            for (i, h) in fleet.hosts.enumerated() {
                try suite(w, h, id: i, fleetStamp: String(fleet.generatedAt.dropLast(fleet.generatedAt.hasSuffix("Z") ? 1 : 0)),
                          remediation: remediation)
            }
            try w.end()
        }
    }

    /// The single-host JUnit's mapping.
    func outcome(_ r: FleetResult, strict: Bool) -> (element: String, type: String)? {
        JUnitReporter.outcome(r.status, ignored: r.ignored, waived: r.waived, strict: strict)
    }

    func suite(_ w: XMLDocumentWriter, _ h: FleetHost, id: Int, fleetStamp: String, remediation: [String: String]) throws {
        let strict = h.strict ?? false
        var failures = 0, errors = 0, skipped = 0
        for r in h.results {
            switch outcome(r, strict: strict)?.element {
            case "failure": failures += 1
            case "error": errors += 1
            case "skipped": skipped += 1
            default: break
            }
        }
        let noReport = !h.state.hasReport
        if noReport { errors = 1 }
        let stamp = h.generatedAt.map { String($0.dropLast($0.hasSuffix("Z") ? 1 : 0)) } ?? fleetStamp
        try w.start("testsuite")
        try w.attr("name", h.name.isEmpty ? "unknown" : h.name)
        try w.attr("package", Tool.name)
        try w.attr("id", String(id))
        try w.attr("hostname", h.name.isEmpty ? "unknown" : h.name)
        try w.attr("timestamp", stamp)
        try w.attr("tests", String(noReport ? 1 : h.results.count))
        try w.attr("failures", String(failures))
        try w.attr("errors", String(errors))
        try w.attr("skipped", String(skipped))
        try w.attr("time", JUnitReporter.seconds(h.results.reduce(0) { $0 + $1.durationMs }))
        try w.start("properties")
        var props: [(String, String)] = [("state", h.state.rawValue)]
        if let v = h.toolVersion { props.append(("tool", "\(Tool.name) \(v)")) }
        if let s = h.source { props.append(("source", s)) }
        if let s = h.sha256 { props.append(("sha256", s)) }
        if let s = h.hostname { props.append(("reported_hostname", s)) }
        if let s = h.kernelRelease { props.append(("kernel_release", s)) }
        if let s = h.strict { props.append(("strict", String(s))) }
        for (k, v) in props {
            try w.start("property")
            try w.attr("name", k)
            try w.attr("value", v)
            try w.end()
        }
        try w.end()
        if noReport {
            try w.start("testcase")
            try w.attr("name", h.state == .unreachable ? "host.reachable" : "host.report")
            try w.attr("classname", "\(h.name).fleet")
            try w.attr("time", "0.000")
            try w.start("error")
            try w.attr("type", h.state.rawValue)
            try w.attr("message", h.problem ?? h.state.rawValue)
            if let s = h.source { try w.text("report file: \(s)") }
            try w.end()
            try w.end()
        }
        for r in h.results {
            try w.start("testcase")
            try w.attr("name", "\(r.id)[\(r.object)]")
            try w.attr("classname", "\(h.name).\(r.category)")
            try w.attr("time", JUnitReporter.seconds(r.durationMs))
            if let o = outcome(r, strict: strict) {
                try w.start(o.element)
                if o.element != "skipped" { try w.attr("type", o.type) }
                let prefix = o.element == "skipped" && (o.type == "warn" || o.type == "ignored" || o.type == "waived") ? "\(o.type): " : ""
                try w.attr("message", prefix + r.message)
                if o.element == "failure", let fix = remediation[r.id], !fix.isEmpty {
                    try w.text("\(r.code): \(r.message)\nRemediation: \(fix)")
                } else if o.element == "error" {
                    try w.text("\(r.code): \(r.message)")
                }
                try w.end()
            }
            try w.end()
        }
        try w.start("system-out")
        try w.text(h.results.map { "\($0.status.rawValue.uppercased()) \($0.id)[\($0.object)]: \($0.message)" }
            .joined(separator: "\n"))
        try w.end()
        try w.start("system-err")
        if let p = h.problem { try w.text(p) }
        try w.end()
        try w.end()
    }
}

/// A small XML document writer over libxml2's xmlTextWriter (indented, UTF-8, every text mapped into
/// XML 1.0 characters by `JUnitReporter.sanitize`).
public struct XMLDocumentWriter {
    let w: xmlTextWriterPtr

    public static func write(_ body: (XMLDocumentWriter) throws -> Void) throws -> String {
        guard let buffer = xmlBufferCreate() else { throw JUnitReporter.Failure.libxml("cannot allocate a buffer") }
        defer { xmlBufferFree(buffer) }
        guard let tw = xmlNewTextWriterMemory(buffer, 0) else { throw JUnitReporter.Failure.libxml("cannot create a writer") }
        let writer = XMLDocumentWriter(w: tw)
        do {
            try writer.check(xmlTextWriterSetIndent(tw, 1), "indentation")
            try writer.check(xmlTextWriterStartDocument(tw, "1.0", "UTF-8", nil), "the XML declaration")
            try body(writer)
            try writer.check(xmlTextWriterEndDocument(tw), "the end of the document")
            xmlFreeTextWriter(tw)
        } catch {
            xmlFreeTextWriter(tw)
            throw error
        }
        guard let content = xmlBufferContent(buffer) else { throw JUnitReporter.Failure.libxml("empty output") }
        return String(cString: content)
    }

    func check(_ rc: Int32, _ what: String) throws {
        if rc < 0 { throw JUnitReporter.Failure.libxml("failed to write \(what)") }
    }

    public func start(_ name: String) throws {
        try check(name.xml { xmlTextWriterStartElement(w, $0) }, "<\(name)>")
    }

    public func end() throws { try check(xmlTextWriterEndElement(w), "an end tag") }

    public func attr(_ name: String, _ value: String) throws {
        let v = JUnitReporter.sanitize(value)
        try check(name.xml { n in v.xml { xmlTextWriterWriteAttribute(w, n, $0) } }, "attribute \(name)")
    }

    public func text(_ value: String) throws {
        let v = JUnitReporter.sanitize(value)
        try check(v.xml { xmlTextWriterWriteString(w, $0) }, "text")
    }
}
