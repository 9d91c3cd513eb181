import Foundation
import SRIOVPreflight
import Testing

/// Where the repository and the shared data are, from this file's location.
enum Paths {
    static let repo: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// ../shared beside the repository, or $SRIOV_SHARED; nil when neither exists (a user's own clone).
    static let shared: String? = {
        let candidates = [repo + "/../shared", ProcessInfo.processInfo.environment["SRIOV_SHARED"]].compactMap { $0 }
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/hosts") }
    }()

    static var sharedHosts: [String] {
        guard let shared else { return [] }
        let dir = shared + "/hosts"
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { FileManager.default.fileExists(atPath: "\(dir)/\($0)/EXPECTED.json") }
            .sorted()
    }

    static let fixtureHosts = repo + "/Tests/Fixtures/hosts"

    static var committedFixtureHosts: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: fixtureHosts)) ?? [])
            .filter { FileManager.default.fileExists(atPath: "\(fixtureHosts)/\($0)/EXPECTED.tsv") }
            .sorted()
    }

    static let binary = repo + "/.build/debug/sriov-preflight"
    static let sharedMissing = "../shared not found beside the repository (and SRIOV_SHARED unset): shared-data tests skipped"
}

/// Runs a command and returns its exit status and output.
@discardableResult
func run(_ argv: [String], stdin: String? = nil, env: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: argv[0].hasPrefix("/") ? argv[0] : "/usr/bin/env")
    p.arguments = argv[0].hasPrefix("/") ? Array(argv.dropFirst()) : argv
    var environment = ProcessInfo.processInfo.environment
    // English unless a test asks for a language: the developer's own locale must not change the outputs.
    for k in ["LANGUAGE", "LC_ALL", "LC_MESSAGES", "SRIOV_PREFLIGHT_LANG", "SRIOV_PREFLIGHT_LOCALEDIR", "SRIOV_LOCALEDIR"] {
        environment[k] = nil
    }
    environment["LANG"] = "C.UTF-8"
    environment.merge(env) { _, new in new }
    p.environment = environment
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory(_ tag: String = "spf") -> String {
    let path = NSTemporaryDirectory() + "\(tag)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Validates JSON texts against reports/report.schema.json (or another schema of reports/) with python3-jsonschema.
func validateAgainstSchema(_ documents: [String], schema: String = "report.schema.json") throws -> String? {
    let dir = temporaryDirectory("json")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var files: [String] = []
    for (i, d) in documents.enumerated() {
        let f = "\(dir)/\(i).json"
        try d.write(toFile: f, atomically: true, encoding: .utf8)
        files.append(f)
    }
    let python = FileManager.default.fileExists(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
    let r = try run([python, Paths.repo + "/Tests/tools/validate_json.py", Paths.repo + "/reports/" + schema] + files)
    if r.status == 3 { return "python3-jsonschema missing: run `make deps`" }
    return r.status == 0 ? nil : r.out + r.err
}

/// The expected verdicts of a captured host: check id → object → allowed statuses.
func expectedVerdicts(_ hostDir: String) throws -> [String: [String: [String]]] {
    // The lab's fixtures: `check-id<TAB>object<TAB>status/status<TAB>why`, # comments.
    if let tsv = try? String(contentsOfFile: hostDir + "/EXPECTED.tsv", encoding: .utf8) {
        var out: [String: [String: [String]]] = [:]
        for line in tsv.split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 3 else { continue }
            out[f[0], default: [:]][f[1]] = f[2].split(separator: "/").map { String($0).trimmingCharacters(in: .whitespaces) }
        }
        return out
    }
    let data = try Data(contentsOf: URL(fileURLWithPath: hostDir + "/EXPECTED.json"))
    let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    return (obj?["expect"] as? [String: [String: [String]]]) ?? [:]
}
