import Foundation

/// The shared corpus of real DMAR/IVRS tables (`*.bin`, each with an iasl
/// `-d` reference `*.dsl` beside it) and its MANIFEST.tsv.
///
/// Located relative to this source file: the repo root is three levels up
/// (Tests/ACPITablesTests/Corpus.swift), the corpus is
/// `<repo root>/../shared/corpus/acpi`; failing that,
/// `$SRIOV_SHARED/corpus/acpi`. Nothing is copied into the module.
enum Corpus {
    static let directory: String? = locate()

    static func locate(filePath: String = #filePath) -> String? {
        let root = URL(fileURLWithPath: filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var candidates = [root.appendingPathComponent("../shared/corpus/acpi").standardizedFileURL.path]
        if let shared = ProcessInfo.processInfo.environment["SRIOV_SHARED"], !shared.isEmpty {
            candidates.append(URL(fileURLWithPath: shared).appendingPathComponent("corpus/acpi").path)
        }
        return candidates.first { path in
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
        }
    }

    /// Sorted names of every `*.bin` table in the corpus.
    static func tableNames() -> [String] {
        guard let dir = directory,
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return names.filter { $0.hasSuffix(".bin") }.sorted()
    }

    static func bytes(_ name: String) -> [UInt8] {
        guard let dir = directory, let data = FileManager.default.contents(atPath: dir + "/" + name) else { return [] }
        return [UInt8](data)
    }

    /// The iasl disassembly beside `name` (x.bin -> x.dsl), nil if missing.
    static func dsl(for name: String) -> String? {
        guard let dir = directory else { return nil }
        let path = dir + "/" + name.dropLast(4) + ".dsl"
        return (try? String(contentsOfFile: path, encoding: .utf8))
            ?? FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// MANIFEST.tsv `key_facts` of each `.bin`, keyed by file name, as
    /// key -> value (split on "; " and the first "=").
    static func manifestFacts() -> [String: [String: String]] {
        guard let dir = directory,
              let text = try? String(contentsOfFile: dir + "/../MANIFEST.tsv", encoding: .utf8) else { return [:] }
        var result: [String: [String: String]] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard cols.count >= 4, cols[0].hasPrefix("acpi/"), cols[0].hasSuffix(".bin") else { continue }
            var facts: [String: String] = [:]
            for part in cols[3].components(separatedBy: "; ") {
                guard let eq = part.firstIndex(of: "=") else { continue }
                facts[String(part[..<eq])] = String(part[part.index(after: eq)...])
            }
            result[String(cols[0].dropFirst(5))] = facts
        }
        return result
    }
}

/// Whether the corpus tests can run (they are skipped otherwise).
let corpusAvailable = Corpus.directory != nil
