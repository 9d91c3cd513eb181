/// What changed between two report documents (`sriov-preflight diff OLD NEW`): results that newly fail, that
/// were fixed, that changed otherwise; objects (a NIC, a VF, any checked object) that appeared or are gone; the
/// NIC inventory; host facts (kernel, command line, CPU vendor) and the checksums of the files that decide
/// them (firmware tables, boot and module configuration) from `files_read`. Two runs of one host, or two
/// hosts ("why does A work and B not?"). Computed from the documents only.
public struct ReportDiff: Sendable, Equatable, Codable {
    public static let schema = "sriov-preflight/diff/1"

    public struct Side: Sendable, Equatable, Codable {
        /// The file given on the command line.
        public var source: String
        public var hostname: String
        public var generatedAt: String
        public var toolVersion: String
        public var ready: Bool
        public var exitCode: Int

        enum CodingKeys: String, CodingKey {
            case source, hostname, ready
            case generatedAt = "generated_at"
            case toolVersion = "tool_version"
            case exitCode = "exit_code"
        }
    }

    /// One result (check and object) on both sides; a side where it was not reported is null.
    public struct ResultChange: Sendable, Equatable, Codable {
        public var id: String
        public var object: String
        public var oldStatus: Status?
        public var newStatus: Status?
        /// counted, ignored or waived.
        public var oldDisposition: String?
        public var newDisposition: String?
        public var oldMessage: String?
        public var newMessage: String?

        enum CodingKeys: String, CodingKey {
            case id, object
            case oldStatus = "old_status"
            case newStatus = "new_status"
            case oldDisposition = "old_disposition"
            case newDisposition = "new_disposition"
            case oldMessage = "old_message"
            case newMessage = "new_message"
        }
    }

    /// An object present on one side only.
    public struct ObjectChange: Sendable, Equatable, Codable {
        /// `nic` (a physical NIC of the inventory), `vf` (a virtual function seen in sysfs) or `object` (a
        /// checked object: a PCI function, a bond).
        public var kind: String
        public var object: String
        public var detail: String
    }

    /// A value that differs: a host fact, a NIC's field, a file's checksum.
    public struct ValueChange: Sendable, Equatable, Codable {
        /// The fact (`kernel_release`), `PCI-ADDRESS field` for a NIC, or the file's path.
        public var name: String
        public var old: String?
        public var new: String?
    }

    public var schema: String
    public var old: Side
    public var new: Side
    public var newlyFailing: [ResultChange]
    public var fixed: [ResultChange]
    public var changed: [ResultChange]
    public var appeared: [ObjectChange]
    public var disappeared: [ObjectChange]
    public var nics: [ValueChange]
    public var hostFacts: [ValueChange]
    public var files: [ValueChange]
    /// 1 when something newly fails, else 0.
    public var exitCode: Int

    enum CodingKeys: String, CodingKey {
        case schema, old, new, fixed, changed, appeared, disappeared, nics, files
        case newlyFailing = "newly_failing"
        case hostFacts = "host_facts"
        case exitCode = "exit_code"
        case isEmpty = "empty"
    }

    /// Nothing differs.
    public var isEmpty: Bool {
        newlyFailing.isEmpty && fixed.isEmpty && changed.isEmpty && appeared.isEmpty && disappeared.isEmpty
            && nics.isEmpty && hostFacts.isEmpty && files.isEmpty
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema, forKey: .schema)
        try c.encode(old, forKey: .old)
        try c.encode(new, forKey: .new)
        try c.encode(newlyFailing, forKey: .newlyFailing)
        try c.encode(fixed, forKey: .fixed)
        try c.encode(changed, forKey: .changed)
        try c.encode(appeared, forKey: .appeared)
        try c.encode(disappeared, forKey: .disappeared)
        try c.encode(nics, forKey: .nics)
        try c.encode(hostFacts, forKey: .hostFacts)
        try c.encode(files, forKey: .files)
        try c.encode(exitCode, forKey: .exitCode)
        try c.encode(isEmpty, forKey: .isEmpty)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decode(String.self, forKey: .schema)
        old = try c.decode(Side.self, forKey: .old)
        new = try c.decode(Side.self, forKey: .new)
        newlyFailing = try c.decode([ResultChange].self, forKey: .newlyFailing)
        fixed = try c.decode([ResultChange].self, forKey: .fixed)
        changed = try c.decode([ResultChange].self, forKey: .changed)
        appeared = try c.decode([ObjectChange].self, forKey: .appeared)
        disappeared = try c.decode([ObjectChange].self, forKey: .disappeared)
        nics = try c.decode([ValueChange].self, forKey: .nics)
        hostFacts = try c.decode([ValueChange].self, forKey: .hostFacts)
        files = try c.decode([ValueChange].self, forKey: .files)
        exitCode = try c.decode(Int.self, forKey: .exitCode)
    }

    /// Paths (prefixes) of `files_read` whose checksums the diff compares: what decides the IOMMU and SR-IOV
    /// setup besides the kernel's own state (firmware tables, boot and module configuration).
    public static let watchedFiles = ["sys/firmware/", "etc/", "boot/", "proc/cmdline"]

    /// Who holds the PF's VFs: `VF guest` pairs, sorted (a QEMU without a guest name by its process id).
    static func holders(_ n: NICRow) -> String {
        let list = n.vfHolders.map { "\($0.device) \($0.guest ?? $0.pid.map { "pid \($0)" } ?? "?")" }.sorted()
        return list.isEmpty ? "-" : list.joined(separator: ", ")
    }

    static func countedFail(_ r: CheckResult?) -> Bool {
        guard let r else { return false }
        return r.status == .fail && r.disposition == .counted
    }

    /// The VFs a report saw: `virtfnN` links under a PF's sysfs directory, VF address → PF address and N.
    static func vfs(_ d: ReportDocument) -> [String: String] {
        var out: [String: String] = [:]
        for f in d.filesRead {
            let comps = f.path.split(separator: "/")
            guard comps.count >= 2, comps.last!.hasPrefix("virtfn"), let target = f.target,
                  let vf = target.split(separator: "/").last else { continue }
            out[String(vf)] = "\(comps.last!) of \(comps[comps.count - 2])"
        }
        return out
    }

    public init(old a: ReportDocument, new b: ReportDocument, oldSource: String, newSource: String) {
        schema = Self.schema
        func side(_ d: ReportDocument, _ s: String) -> Side {
            Side(source: s, hostname: d.host.hostname, generatedAt: d.generatedAt, toolVersion: d.tool.version,
                 ready: d.summary.ready, exitCode: Int(d.summary.exitCode.rawValue))
        }
        old = side(a, oldSource)
        new = side(b, newSource)

        // Objects: checked objects (not `host`), NICs by PCI address, VFs by address.
        func objects(_ d: ReportDocument) -> [String: ObjectChange] {
            var out: [String: ObjectChange] = [:]
            for r in d.results where r.object != "host" {
                let key = "object " + r.object
                if var o = out[key] {
                    if !o.detail.split(separator: " ").contains(Substring(r.id)) { o.detail += " " + r.id }
                    out[key] = o
                } else {
                    out[key] = ObjectChange(kind: "object", object: r.object, detail: UIStrings.ui.diffCheckedBy.render(["checks": r.id]))
                }
            }
            for n in d.nics {
                out["nic " + n.pciAddress] = ObjectChange(kind: "nic", object: n.pciAddress,
                                                          detail: "\(n.name) \(n.model) (\(n.driver ?? "no driver"))")
            }
            for (vf, of) in Self.vfs(d) { out["vf " + vf] = ObjectChange(kind: "vf", object: vf, detail: of) }
            return out
        }
        let oa = objects(a), ob = objects(b)
        let order: (ObjectChange, ObjectChange) -> Bool = { ($0.kind, $0.object) < ($1.kind, $1.object) }
        appeared = ob.filter { oa[$0.key] == nil }.map(\.value).sorted(by: order)
        disappeared = oa.filter { ob[$0.key] == nil }.map(\.value).sorted(by: order)
        let goneObjects = Set(disappeared.filter { $0.kind == "object" }.map(\.object))
        let newObjects = Set(appeared.filter { $0.kind == "object" }.map(\.object))

        // Results by (id, object), in the order of the new report, then the old one's leftovers.
        func key(_ r: CheckResult) -> String { r.id + "\u{0}" + r.object }
        var ra: [String: CheckResult] = [:], rb: [String: CheckResult] = [:]
        for r in a.results where ra[key(r)] == nil { ra[key(r)] = r }
        for r in b.results where rb[key(r)] == nil { rb[key(r)] = r }
        var keys: [String] = []
        var seen: Set<String> = []
        for r in b.results + a.results where seen.insert(key(r)).inserted { keys.append(key(r)) }
        var nf: [ResultChange] = [], fx: [ResultChange] = [], ch: [ResultChange] = []
        for k in keys {
            let x = ra[k], y = rb[k]
            let any = (y ?? x)!
            let c = ResultChange(id: any.id, object: any.object, oldStatus: x?.status, newStatus: y?.status,
                                 oldDisposition: x?.disposition.rawValue, newDisposition: y?.disposition.rawValue,
                                 oldMessage: x?.message, newMessage: y?.message)
            if Self.countedFail(y) && !Self.countedFail(x) {
                nf.append(c)
            } else if x == nil && newObjects.contains(any.object) || y == nil && goneObjects.contains(any.object) {
                continue   // told by appeared / disappeared
            } else if Self.countedFail(x) && !Self.countedFail(y) && y != nil {
                fx.append(c)
            } else if x?.status != y?.status || x?.message != y?.message || c.oldDisposition != c.newDisposition {
                ch.append(c)
            }
        }
        newlyFailing = nf
        fixed = fx
        changed = ch

        // NICs on both sides: what differs.
        var nicChanges: [ValueChange] = []
        let na = Dictionary(a.nics.map { ($0.pciAddress, $0) }, uniquingKeysWith: { x, _ in x })
        for n in b.nics {
            guard let m = na[n.pciAddress] else { continue }
            let fields: [(String, String, String)] = [
                ("name", m.name, n.name), ("driver", m.driver ?? "-", n.driver ?? "-"), ("link", m.link, n.link),
                ("bond", m.bond ?? "-", n.bond ?? "-"), ("sriov_state", m.state.rawValue, n.state.rawValue),
                ("vfs_total", String(m.vfsTotal), String(n.vfsTotal)), ("vfs_enabled", String(m.vfsEnabled), String(n.vfsEnabled)),
                ("vfs_in_use", String(m.vfsInUse), String(n.vfsInUse)),
                ("vf_holders", Self.holders(m), Self.holders(n)),
            ]
            for (f, x, y) in fields where x != y { nicChanges.append(ValueChange(name: "\(n.pciAddress) \(f)", old: x, new: y)) }
        }
        nics = nicChanges

        var facts: [ValueChange] = []
        for (name, x, y) in [("hostname", a.host.hostname, b.host.hostname),
                             ("kernel_release", a.host.kernelRelease, b.host.kernelRelease),
                             ("cmdline", a.host.cmdline, b.host.cmdline),
                             ("cpu_vendor", a.host.cpuVendor, b.host.cpuVendor),
                             ("tool_version", a.tool.version, b.tool.version)] where x != y {
            facts.append(ValueChange(name: name, old: x, new: y))
        }
        hostFacts = facts

        // Watched files: the sha256 (or why it was not read, or its link text), present or not.
        func state(_ f: FileRead) -> String? {
            if let e = f.error { return "not read: \(e)" }
            if let s = f.sha256 { return "sha256:" + s }
            if let t = f.target { return "-> " + t }
            return nil
        }
        func watched(_ d: ReportDocument) -> [String: String] {
            var out: [String: String] = [:]
            for f in d.filesRead where f.kind != .directory && Self.watchedFiles.contains(where: { f.path.hasPrefix($0) }) {
                if let s = state(f) { out[f.path] = s }
            }
            return out
        }
        let fa = watched(a), fb = watched(b)
        files = Set(fa.keys).union(fb.keys).sorted().compactMap { p in
            fa[p] == fb[p] ? nil : ValueChange(name: p, old: fa[p], new: fb[p])
        }
        exitCode = newlyFailing.isEmpty ? 0 : 1
    }

    /// The JSON form (sorted keys, two-space indent).
    public func json() -> String {
        (try? JSONCoding.serialize(self)) ?? "null\n"
    }

    /// The text form: what changed, section by section; empty sections left out.
    /// The diff for people, in `t`'s language (ids, objects, paths and values as they are; a result's message
    /// translated when this version's template renders it).
    public func text(_ t: Translator = L10n.current) -> String {
        let ui = UIStrings.ui
        func one(_ s: String?) -> String { s.map { TextReporter.oneLine($0) } ?? t(ui.diffNotReported) }
        func message(_ id: String, _ s: String?) -> String { one(s.map { t.message(id: id, english: $0) }) }
        func verdict(_ s: Side) -> String { t(s.ready ? ui.ready : s.exitCode == 2 ? ui.undecided : ui.notReady) }
        var out = "sriov-preflight diff\n"
        for (m, s) in [(ui.diffOldSide, old), (ui.diffNewSide, new)] {
            out += t(m, ["source": TextReporter.oneLine(s.source), "hostname": TextReporter.oneLine(s.hostname), "generated": s.generatedAt,
                         "tool": "\(Tool.name) \(s.toolVersion)", "verdict": verdict(s), "exit": String(s.exitCode)]) + "\n"
        }
        if isEmpty { return out + "\n" + t(ui.diffNone) + "\n" }
        func status(_ s: Status?, _ d: String?) -> String {
            guard let s else { return "-" }
            let word = t.isEnglish ? s.rawValue : t(ui.status(s))
            guard let d, d != "counted" else { return word }
            return t(ui.diffStatusDisposition, ["status": word, "disposition": t.text(d, context: "disposition")])
        }
        func heading(_ m: Msg, _ count: Int) -> String { "\n" + t(m, ["count": String(count)]) + "\n" }
        func was(_ v: String) -> String { "      " + t(ui.diffWas, ["value": v]) + "\n" }
        func now(_ v: String) -> String { "      " + t(ui.diffNow, ["value": v]) + "\n" }
        func results(_ title: Msg, _ list: [ResultChange]) {
            guard !list.isEmpty else { return }
            out += heading(title, list.count)
            for c in list {
                out += "  \(c.id)  \(c.object)  \(status(c.oldStatus, c.oldDisposition)) → \(status(c.newStatus, c.newDisposition))\n"
                if c.oldMessage == c.newMessage {
                    out += "      \(message(c.id, c.newMessage))\n"
                } else {
                    out += was(message(c.id, c.oldMessage)) + now(message(c.id, c.newMessage))
                }
            }
        }
        results(ui.diffNewlyFailing, newlyFailing)
        results(ui.diffFixed, fixed)
        results(ui.diffChanged, changed)
        func objects(_ title: Msg, _ mark: String, _ list: [ObjectChange]) {
            guard !list.isEmpty else { return }
            out += heading(title, list.count)
            for o in list {
                let detail = t.isEnglish ? o.detail : MessageTemplate.match(ui.diffCheckedBy.id, o.detail).map { t(ui.diffCheckedBy, $0) } ?? o.detail
                out += "  \(mark) \(o.kind) \(o.object): \(TextReporter.oneLine(detail))\n"
            }
        }
        objects(ui.diffAppeared, "+", appeared)
        objects(ui.diffDisappeared, "-", disappeared)
        func values(_ title: Msg, _ list: [ValueChange]) {
            guard !list.isEmpty else { return }
            out += heading(title, list.count)
            for v in list {
                out += "  \(TextReporter.oneLine(v.name))\n"
                out += was(v.old.map { TextReporter.oneLine($0) } ?? t(ui.diffAbsent)) + now(v.new.map { TextReporter.oneLine($0) } ?? t(ui.diffAbsent))
            }
        }
        values(ui.diffNICs, nics)
        values(ui.diffHostFacts, hostFacts)
        values(ui.diffFiles, files)
        out += "\n" + t(ui.diffSummary, ["newly": String(newlyFailing.count), "fixed": String(fixed.count), "changed": String(changed.count),
                                        "appeared": String(appeared.count), "disappeared": String(disappeared.count),
                                        "facts": String(nics.count + hostFacts.count + files.count), "exit": String(exitCode)]) + "\n"
        return out
    }
}

extension ReportDocument {
    /// A JSON report, or a support bundle (`.tar.gz`, the report it holds): what `diff` compares.
    public static func load(reportOrBundle path: String) throws -> ReportDocument {
        let head = try FileInput.read(path, limit: FileInput.reportLimit)
        if head.count >= 2 && head[0] == 0x1F && head[1] == 0x8B {
            let dir = try SupportBundle.unpack(path)
            defer { SupportBundle.removeTemporaryDirectory(dir) }
            let text: String
            do {
                text = try FileInput.readText(dir + "/report.json", limit: FileInput.reportLimit)
            } catch {
                throw ReadError.notAReport("the bundle holds no readable report.json (\(error))")
            }
            return try read(json: text)
        }
        return try read(json: String(decoding: head, as: UTF8.self))
    }
}
