#if canImport(Glibc)
import Glibc
#endif

/// One host's input to the aggregate: its report, or why there is none.
public struct FleetInput: Sendable {
    public enum Outcome: Sendable {
        /// The report's fleet part.
        case report(FleetReport)
        /// No report file (the reason, as the system gave it).
        case missing(String)
        /// A file that is not a report this version reads, or a report refused by the version policy.
        case unreadable(String)
        /// The fleet run could not reach the host.
        case unreachable
    }

    public var name: String
    public var source: String?
    public var sha256: String?
    public var outcome: Outcome

    public init(name: String, source: String?, sha256: String? = nil, outcome: Outcome) {
        self.name = name
        self.source = source
        self.sha256 = sha256
        self.outcome = outcome
    }
}

/// Which reports an aggregate accepts.
public enum FleetVersionPolicy: String, Sendable, CaseIterable {
    /// Any tool version writing the report schema this version reads (the default).
    case schema
    /// Only reports written by this very tool version.
    case same
}

/// Reading report files for the aggregate: a bounded regular-file read, its sha256, the report document.
public enum FleetLoader {
    /// The host name of a report file: its file name without `.json` (`results/node-a.json` → `node-a`).
    public static func hostName(ofReport path: String) -> String {
        var base = Substring(path)
        while base.hasSuffix("/") { base = base.dropLast() }
        if let slash = base.lastIndex(of: "/") { base = base[base.index(after: slash)...] }
        if base.hasSuffix(".json") && base.count > 5 { base = base.dropLast(5) }
        return base.isEmpty ? "unnamed" : String(base)
    }

    public static func load(_ path: String, policy: FleetVersionPolicy = .schema) -> FleetInput {
        let name = hostName(ofReport: path)
        let bytes: [UInt8]
        do {
            bytes = try FileInput.read(path, limit: FileInput.reportLimit)
        } catch let e as FileInput.Failure {
            if e.code == ENOENT {
                return FleetInput(name: name, source: path, outcome: .missing(ErrorStrings.ui.fleetNoReportFile.render(["problem": e.description])))
            }
            return FleetInput(name: name, source: path, outcome: .unreadable(ErrorStrings.ui.fleetCannotRead.render(["problem": e.description])))
        } catch {
            return FleetInput(name: name, source: path, outcome: .unreadable(ErrorStrings.ui.fleetCannotRead.render(["problem": "\(error)"])))
        }
        let digest = SHA256.hex(bytes)
        let report: FleetReport
        do {
            // The lean reader takes what the fleet shows; where it gives up (a malformed or truncated file,
            // another schema version, a form it does not take) the full decoder reads the report or says
            // what is wrong with it.
            report = try bytes.withUnsafeBytes { try FleetReport.read($0) }
        } catch {
            do {
                report = FleetReport(try ReportDocument.read(json: String(decoding: bytes, as: UTF8.self)))
            } catch {
                return FleetInput(name: name, source: path, sha256: digest, outcome: .unreadable("\(error)"))
            }
        }
        if policy == .same && report.toolVersion != Tool.version {
            return FleetInput(name: name, source: path, sha256: digest, outcome: .unreadable(
                ErrorStrings.ui.fleetOtherVersion.render(["writer": "\(report.toolName) \(report.toolVersion)", "version": Tool.version])))
        }
        return FleetInput(name: name, source: path, sha256: digest, outcome: .report(report))
    }

    /// Every file read, two at a time; in the order given.
    public static func loadAll(_ paths: [String], policy: FleetVersionPolicy = .schema, workers: Int = 2) -> [FleetInput] {
        Parallel.map(paths.count, workers: workers) { load(paths[$0], policy: policy) }
    }
}

/// Builds the fleet document from the hosts' inputs: pure, no I/O (the clock is a parameter).
public enum FleetAggregator {
    /// - Parameters:
    ///   - inputs: one per report file given.
    ///   - unreachable: hosts the run could not reach (their stale report files, if any, are not used).
    ///   - expected: hosts that must be there; one without an input is listed as missing.
    ///   - now: seconds since the epoch, for `generated_at`.
    public static func build(_ inputs: [FleetInput], unreachable: [String] = [], expected: [String] = [],
                             now: Double) -> FleetDocument {
        // One input per name: an unreachable host wins over a stale file; a repeated name keeps its path.
        var byName: [String: FleetInput] = [:]
        var order: [String] = []
        for var input in inputs {
            if byName[input.name] != nil {
                input.name = "\(input.name) (\(input.source ?? "?"))"
                if byName[input.name] != nil { continue }
            }
            byName[input.name] = input
            order.append(input.name)
        }
        for name in unreachable where !name.isEmpty {
            if var old = byName[name] {
                old.outcome = .unreachable
                byName[name] = old
            } else {
                byName[name] = FleetInput(name: name, source: nil, outcome: .unreachable)
                order.append(name)
            }
        }
        for name in expected where !name.isEmpty && byName[name] == nil {
            byName[name] = FleetInput(name: name, source: nil, outcome: .missing(ErrorStrings.ui.fleetNoFileGiven.id))
            order.append(name)
        }
        let names = order.sorted { a, b in a.lexicographicallyPrecedes(b) }
        var hosts: [FleetHost] = []
        hosts.reserveCapacity(names.count)
        var checkInfo: [String: FleetCheck] = [:]
        for name in names { hosts.append(host(byName[name]!, checks: &checkInfo)) }

        // The checks: the catalog's order, then checks this version does not know.
        var catalogIndex: [String: Int] = [:]
        for (i, c) in Checks.all.enumerated() { catalogIndex[c.id] = i }
        let ids = checkInfo.keys.sorted { a, b in
            switch (catalogIndex[a], catalogIndex[b]) {
            case let (x?, y?): return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil): return a < b
            }
        }
        let checks = ids.map { checkInfo[$0]! }

        var matrix: [String: [String: FleetCell]] = [:]
        var counts: [String: FleetCheckCounts] = [:]
        for id in ids {
            matrix[id] = Dictionary(minimumCapacity: hosts.count)
            counts[id] = FleetCheckCounts(id: id)
        }
        for h in hosts {
            let cells = Self.cells(h)
            for id in ids {
                let cell = h.state.hasReport ? (cells[id] ?? .absent) : .unknown
                matrix[id]![h.name] = cell
                switch cell {
                case .pass: counts[id]!.pass += 1
                case .warn: counts[id]!.warn += 1; counts[id]!.hostsWarning.append(h.name)
                case .fail: counts[id]!.fail += 1; counts[id]!.hostsFailing.append(h.name)
                case .skip: counts[id]!.skip += 1
                case .error: counts[id]!.error += 1
                case .ignored: counts[id]!.ignored += 1
                case .absent, .unknown: break
                }
            }
        }

        var summary = FleetSummary()
        summary.hosts = hosts.count
        for h in hosts {
            switch h.state {
            case .ready: summary.ready += 1
            case .notReady: summary.notReady += 1
            case .undecided: summary.undecided += 1
            case .unreachable: summary.unreachable += 1
            case .missing: summary.missing += 1
            case .unreadable: summary.unreadable += 1
            }
            if let v = h.toolVersion { summary.toolVersions[v, default: 0] += 1 }
        }
        if summary.undecided + summary.unreachable + summary.missing + summary.unreadable > 0 || hosts.isEmpty {
            summary.exitCode = .undecided
        } else if summary.notReady > 0 {
            summary.exitCode = .failed
        }
        return FleetDocument(schema: FleetDocument.currentSchema, generatedAt: ReportDocument.utcStamp(now) + "Z",
                             toolVersion: Tool.version, hosts: hosts, checks: checks, matrix: matrix,
                             byCheck: ids.map { counts[$0]! }, summary: summary)
    }

    /// A host's cell per check id: the worst status over its results that count (neither ignored nor
    /// waived); `ignored` when no result of the check counted.
    public static func cells(_ h: FleetHost) -> [String: FleetCell] {
        var worst: [String: Status] = [:]
        var seen: Set<String> = []
        for r in h.results {
            seen.insert(r.id)
            if !r.counted { continue }
            if let w = worst[r.id], w.rank >= r.status.rank { continue }
            worst[r.id] = r.status
        }
        var out: [String: FleetCell] = [:]
        for id in seen { out[id] = worst[id].map(FleetCell.init) ?? .ignored }
        return out
    }

    static func host(_ input: FleetInput, checks: inout [String: FleetCheck]) -> FleetHost {
        switch input.outcome {
        case .unreachable:
            return FleetHost(name: input.name, source: input.source, sha256: input.sha256, state: .unreachable,
                             problem: ErrorStrings.ui.fleetUnreachable.id)
        case .missing(let why):
            return FleetHost(name: input.name, source: input.source, state: .missing, problem: why)
        case .unreadable(let why):
            return FleetHost(name: input.name, source: input.source, sha256: input.sha256, state: .unreadable, problem: why)
        case .report(let r):
            let state: FleetHostState
            switch r.summary.exitCode {
            case .ready: state = .ready
            case .failed: state = .notReady
            default: state = .undecided
            }
            var h = FleetHost(name: input.name, source: input.source, sha256: input.sha256, state: state)
            h.ready = r.summary.ready
            h.exitCode = Int(r.summary.exitCode.rawValue)
            h.counts = FleetCounts(r.summary)
            h.toolVersion = r.toolVersion
            h.strict = r.strict
            h.hostname = r.hostname
            h.kernelRelease = r.kernelRelease
            h.evidenceSource = r.evidenceSource.rawValue
            h.generatedAt = r.generatedAt
            h.results = r.results.map(\.fleet)
            for res in r.results where checks[res.fleet.id] == nil {
                let id = res.fleet.id
                let known = Checks.named(id)?.description
                checks[id] = FleetCheck(id: id, title: res.title.isEmpty ? (known?.title ?? id) : res.title,
                                        category: res.fleet.category.isEmpty ? (known?.category ?? "") : res.fleet.category,
                                        severity: res.severity,
                                        remediation: res.remediation.isEmpty ? (known?.remediation ?? "") : res.remediation)
            }
            return h
        }
    }
}
