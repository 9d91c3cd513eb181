/// Every fact the checks use, read once from the host root. Checks are pure functions of it.
public struct HostSnapshot: Sendable {
    public var rootLabel: String
    /// The root is the machine the tool runs on (its kernel log, uname, libpci were read).
    public var isLive: Bool
    /// How the evidence was obtained (the report's `host.evidence_source`).
    public var evidence: EvidenceSource = .hostRoot
    /// Absence is a verdict (the live host, or a record of it): a path that is not here is not on the host.
    /// Otherwise (a capture) a path that is not here is "not in this evidence", never a verdict.
    public var absenceIsVerdict = false
    /// Set when the root itself is absent or unreadable: every check then reports why.
    public var rootProblem: String?
    /// Set when the root is an unpacked sosreport: PCI functions and interfaces then come from its text outputs.
    public var sosreport: SosReport?
    public var system: SystemFacts
    public var firmware: FirmwareFacts
    public var iommu: IOMMUFacts
    public var kernelLog: KernelLog
    public var boot: BootFacts
    public var modules: ModuleFacts
    public var ir: IRFacts
    public var pci: PCIFacts
    public var net: NetFacts
    /// Who holds the PCI functions given to guests (libvirt domain status, QEMU command lines).
    public var guests: GuestFacts
    /// pci.ids names (the root's own database when it has one), loaded on first use.
    public var names = PCINames()
    /// Every path the facts touched, sorted by path: files read (size, sha256), directories listed,
    /// links read (target), and what could not be read (why).
    public var filesRead: [FileRead] = []

    /// Collects the facts of `root`, recording what they read (into `recorder`, or a new one).
    public static func collect(_ root: HostRoot, recorder: FileRecorder? = nil) -> HostSnapshot {
        let (snapshot, recorder) = collectRecording(root, recorder: recorder)
        var s = snapshot
        s.filesRead = recorder.filesRead
        return s
    }

    /// The facts, and the record of what they read: `filesRead` is left for the caller to take from it (a
    /// run builds it while the checks run).
    static func collectRecording(_ root: HostRoot, recorder: FileRecorder? = nil) -> (HostSnapshot, FileRecorder) {
        let recorder = recorder ?? root.recorder ?? FileRecorder()
        let snapshot = collectFacts(root.recording(into: recorder))
        // libpci reads config spaces on its own, outside HostRoot: record what it gave.
        for f in snapshot.pci.functions where !f.fromText {
            if case .success(let b) = f.config { recorder.readByLibrary("\(f.path)/config", b) }
        }
        return (snapshot, recorder)
    }

    /// The problem `problem` (of a path the facts looked for) is its absence from a capture: "not in this
    /// evidence", never a verdict. False on the live host (or a record of it), where absence is a fact about
    /// the host, and for any other problem (unreadable, not a directory).
    public func notCaptured(_ problem: FSError?) -> Bool {
        !absenceIsVerdict && problem == .missing
    }

    /// `notCaptured` for a fact read from one file (`Fact.unknown`'s reason).
    public func notCaptured<T>(_ fact: Fact<T>) -> Bool {
        !absenceIsVerdict && fact.value == nil && fact.reason == FSError.missing.description
    }

    /// The engine's finding for a path missing from a capture: `<check>.not-captured`.
    static func notCapturedFinding(_ status: Status, path: String, fact: String, object: String = "host") -> Finding {
        Finding(status, code: "not-captured", ["path": path, "fact": fact], object: object,
                evidence: [Evidence(path, "not in this capture", expected: "the host's \(path)")])
    }

    static func collectFacts(_ root: HostRoot) -> HostSnapshot {
        var problem: String?
        if case .failure(let e) = root.list("") {
            problem = "the host root \(root.label) cannot be read: \(e)"
        } else if root.entries("").isEmpty {
            problem = "the host root \(root.label) is empty"
        }
        let sos = SosReport.detect(root)
        let system = SystemFacts.collect(root)
        let log = sos != nil ? SosReport.kernelLog(root) : KernelLog.collect(root)
        // A sosreport keeps no PCI sysfs (its functions come from its text outputs). Elsewhere the IOMMU
        // units and groups are listed while the PCI functions no PF names (the PFs first) are read one by one;
        // then the VFs are read on two workers, and the groups' members are the functions' links. (A parallel
        // loop inside another runs on one thread: the two big readers are not nested.)
        let pciFromText = sos != nil && !root.isDirectory(PCIFacts.devicesDir)
        let read = Parallel.both({ IOMMUFacts.collect(root) }, { pciFromText ? nil : PCIFacts.collectPFs(root) })
        var iommu = read.0
        let fromSysfs = read.1.map { PCIFacts.collectRest(root, $0) }
        var pci: PCIFacts
        var net = NetFacts.collect(root)
        if let sos, pciFromText {
            // A sosreport keeps no PCI sysfs: the functions, their groups and interfaces come from its text outputs.
            pci = PCIFacts.collectSos(root, sos)
            NetFacts.completeFromSos(&net, root)
            for i in net.interfaces {
                guard let a = i.pciAddress, let k = pci.functions.firstIndex(where: { $0.address == a }),
                      !pci.functions[k].netdevs.contains(i.name) else { continue }
                pci.functions[k].netdevs.append(i.name)
            }
            iommu.sysfsCaptured = root.isDirectory(IOMMUFacts.classDir)
            if !iommu.sysfsCaptured {
                var groups: [String: [String]] = [:]
                for f in pci.functions { if let g = f.iommuGroup { groups[g, default: []].append(f.address) } }
                if !groups.isEmpty { iommu.groups = .success(groups); iommu.groupsFromLspci = true }
            }
        } else {
            pci = fromSysfs ?? PCIFacts()
            if sos != nil { NetFacts.completeFromSos(&net, root) }
        }
        iommu.completeGroups(root, pci)
        // The NICs' names (the report's NIC table): pci.ids is read and indexed while the other facts are read.
        let names = PCINames(root: root)
        if pci.functions.contains(where: \.isNetwork) { names.prefetch() }
        return HostSnapshot(
            rootLabel: root.label,
            isLive: root.isLive,
            evidence: root.evidence,
            absenceIsVerdict: root.absenceIsVerdict,
            rootProblem: problem,
            sosreport: sos,
            system: system,
            firmware: FirmwareFacts.collect(root),
            iommu: iommu,
            kernelLog: log,
            boot: BootFacts.collect(root, release: system.kernelRelease.value),
            modules: ModuleFacts.collect(root, release: system.kernelRelease.value),
            ir: IRFacts.collect(root, log: log),
            pci: pci,
            net: net,
            guests: GuestFacts.collect(root),
            names: names)
    }
}
