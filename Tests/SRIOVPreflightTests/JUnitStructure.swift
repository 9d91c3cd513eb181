import CLibXML2
import Foundation

/// An in-repository check of a JUnit report's structure, read with libxml2: what the Ant (windyroad) and the
/// Jenkins xunit XSDs both ask for, so the suite checks the JUnit output even where ../shared (which holds the
/// XSDs themselves) is absent.
enum JUnitStructure {
    struct Element {
        var name: String
        var attributes: [String: String]
        var children: [Element]

        func all(_ n: String) -> [Element] { children.filter { $0.name == n } }
    }

    static func parse(_ xml: String) -> Element? {
        var bytes = Array(xml.utf8)
        let doc = bytes.withUnsafeMutableBufferPointer { b in
            b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) {
                xmlReadMemory($0, Int32(b.count), "r.xml", "UTF-8", Int32(XML_PARSE_NONET.rawValue))
            }
        }
        guard let doc else { return nil }
        defer { xmlFreeDoc(doc) }
        guard let root = xmlDocGetRootElement(doc) else { return nil }
        return element(root)
    }

    private static func element(_ node: xmlNodePtr) -> Element {
        let name = String(cString: node.pointee.name)
        var attributes: [String: String] = [:]
        var attr = node.pointee.properties
        while let a = attr {
            let key = String(cString: a.pointee.name)
            var value = ""
            if let text = a.pointee.children, let content = text.pointee.content { value = String(cString: content) }
            attributes[key] = value
            attr = a.pointee.next
        }
        var children: [Element] = []
        var child = node.pointee.children
        while let c = child {
            if c.pointee.type == XML_ELEMENT_NODE { children.append(element(c)) }
            child = c.pointee.next
        }
        return Element(name: name, attributes: attributes, children: children)
    }

    /// Totals over every suite, nil when the document does not parse.
    static func totals(_ xml: String) -> (tests: Int, failures: Int, errors: Int, skipped: Int)? {
        guard let root = parse(xml) else { return nil }
        var t = (tests: 0, failures: 0, errors: 0, skipped: 0)
        for s in root.all("testsuite") {
            t.tests += Int(s.attributes["tests"] ?? "") ?? 0
            t.failures += Int(s.attributes["failures"] ?? "") ?? 0
            t.errors += Int(s.attributes["errors"] ?? "") ?? 0
            t.skipped += Int(s.attributes["skipped"] ?? "") ?? 0
        }
        return t
    }

    /// Everything wrong with the document's structure; empty when none.
    static func problems(_ xml: String) -> [String] {
        guard let root = parse(xml) else { return ["not well-formed XML"] }
        var out: [String] = []
        if root.name != "testsuites" { out.append("root element is <\(root.name)>, not <testsuites>") }
        if root.children.isEmpty { out.append("no <testsuite>") }
        func isDecimal(_ s: String?) -> Bool {
            guard let s, !s.isEmpty else { return false }
            return s.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") } && s.filter { $0 == "." }.count <= 1
        }
        func isCount(_ s: String?) -> Bool { s.flatMap { Int($0) }.map { $0 >= 0 } ?? false }
        let timestamp = try! NSRegularExpression(pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$")
        for (i, s) in root.children.enumerated() {
            let where_ = "testsuite \(i) (\(s.attributes["name"] ?? "?"))"
            guard s.name == "testsuite" else { out.append("<\(s.name)> inside <testsuites>"); continue }
            for a in ["name", "package", "id", "hostname", "timestamp", "tests", "failures", "errors", "time"]
                where s.attributes[a] == nil { out.append("\(where_): no \(a) attribute") }
            if let n = s.attributes["name"], n.isEmpty || n.contains(where: \.isWhitespace) { out.append("\(where_): name is not a token") }
            if let h = s.attributes["hostname"], h.isEmpty { out.append("\(where_): empty hostname") }
            if let ts = s.attributes["timestamp"],
               timestamp.firstMatch(in: ts, range: NSRange(ts.startIndex..., in: ts)) == nil {
                out.append("\(where_): timestamp \(ts) is not yyyy-mm-ddThh:mm:ss")
            }
            for a in ["tests", "failures", "errors", "skipped"] where s.attributes[a] != nil && !isCount(s.attributes[a]) {
                out.append("\(where_): \(a)=\(s.attributes[a]!) is not a count")
            }
            if !isDecimal(s.attributes["time"]) { out.append("\(where_): time is not a decimal") }
            // Ant's order: properties, testcase*, system-out, system-err.
            let order = s.children.map(\.name)
            let expected = ["properties"] + Array(repeating: "testcase", count: s.all("testcase").count) + ["system-out", "system-err"]
            if order != expected { out.append("\(where_): children \(order), expected properties, testcase…, system-out, system-err") }
            for p in s.all("properties").flatMap(\.children) where p.name != "property" || p.attributes["name"] == nil || p.attributes["value"] == nil {
                out.append("\(where_): a property without name and value")
            }
            var counted = (failures: 0, errors: 0, skipped: 0)
            for c in s.all("testcase") {
                let cw = "\(where_) testcase \(c.attributes["name"] ?? "?")"
                for a in ["name", "classname"] where (c.attributes[a] ?? "").isEmpty { out.append("\(cw): no \(a)") }
                // A host's report: classname = the suite's name; a fleet's (a suite per host): HOST.category.
                let suiteName = s.attributes["name"] ?? ""
                if let cn = c.attributes["classname"], cn != suiteName && !cn.hasPrefix(suiteName + ".") {
                    out.append("\(cw): classname is neither the suite's name nor under it")
                }
                if !isDecimal(c.attributes["time"]) { out.append("\(cw): time is not a decimal") }
                let outcome = c.children.filter { ["failure", "error", "skipped"].contains($0.name) }
                if outcome.count > 1 { out.append("\(cw): more than one of failure/error/skipped") }
                for o in c.children where !["failure", "error", "skipped", "system-out", "system-err"].contains(o.name) {
                    out.append("\(cw): unexpected <\(o.name)>")
                }
                for o in outcome where o.name != "skipped" && o.attributes["type"] == nil { out.append("\(cw): <\(o.name)> without type") }
                switch outcome.first?.name {
                case "failure": counted.failures += 1
                case "error": counted.errors += 1
                case "skipped": counted.skipped += 1
                default: break
                }
            }
            if Int(s.attributes["tests"] ?? "") != s.all("testcase").count { out.append("\(where_): tests does not count its testcases") }
            if Int(s.attributes["failures"] ?? "") != counted.failures { out.append("\(where_): failures=\(s.attributes["failures"] ?? "?"), counted \(counted.failures)") }
            if Int(s.attributes["errors"] ?? "") != counted.errors { out.append("\(where_): errors=\(s.attributes["errors"] ?? "?"), counted \(counted.errors)") }
            if let sk = s.attributes["skipped"], Int(sk) != counted.skipped { out.append("\(where_): skipped=\(sk), counted \(counted.skipped)") }
        }
        return out
    }
}
