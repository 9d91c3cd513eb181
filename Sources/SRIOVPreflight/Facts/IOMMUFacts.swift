import Dispatch

/// What the running kernel shows of its IOMMU: the units in sys/class/iommu and the groups.
public struct IOMMUFacts: Sendable {
    public static let classDir = "sys/class/iommu"
    public static let groupsDir = "sys/kernel/iommu_groups"

    /// Unit names (dmar0, ivhd0, …), or why the directory could not be read.
    public var units: Result<[String], FSError>
    /// Group number → member PCI addresses, or why the directory could not be read.
    public var groups: Result<[String: [String]], FSError>

    public var unitNames: [String] { (try? units.get()) ?? [] }
    public var groupMap: [String: [String]] { (try? groups.get()) ?? [:] }

    /// The kernel has an IOMMU running: units registered and devices grouped.
    public var active: Bool { !unitNames.isEmpty && !groupMap.isEmpty }
    /// The evidence holds the kernel's sysfs (a live host, a capture with sys/class, sys/kernel or sys/bus);
    /// false for a root made of a kernel log and a few files, where a missing sys/class/iommu says nothing.
    public var sysfsCaptured = true
    /// The groups come from a report's lspci text (`IOMMU group: N`), not from sys/kernel/iommu_groups.
    public var groupsFromLspci = false

    /// The kernel has grouped devices for the IOMMU, as sysfs (units and groups) or lspci's text shows it.
    public var grouping: Bool { active || (groupsFromLspci && !groupMap.isEmpty) }

    /// The units and the groups' names; their members come with `completeGroups`, once the PCI functions
    /// (each with its `iommu_group` link) are read.
    static func collect(_ root: HostRoot) -> IOMMUFacts {
        let groups: Result<[String: [String]], FSError> = root.list(groupsDir).map { names in
            Dictionary(names.map { ($0, []) }, uniquingKeysWith: { a, _ in a })
        }
        var f = IOMMUFacts(units: root.list(classDir), groups: groups)
        f.sysfsCaptured = root.absenceIsVerdict || ["sys/class", "sys/kernel", "sys/bus", "sys/module", "sys/devices"].contains { root.isDirectory($0) }
        return f
    }

    /// Each group's members: the PCI functions read from sysfs whose `iommu_group` link names it (read with
    /// each function already: one readlink, where listing a group's `devices/` takes four system calls), in
    /// address order, as the listing gives them. A group that no such function names (its members are not
    /// PCI functions, or the evidence holds no links) is listed. A group's members that are not PCI
    /// functions are not asked for where a PCI function names it: no check looks at them (a group's
    /// intruders are PCI functions bound to a host driver).
    mutating func completeGroups(_ root: HostRoot, _ pci: PCIFacts) {
        guard !groupsFromLspci, case .success(var map) = groups else { return }
        for f in pci.functions where !f.fromText {
            guard let g = f.iommuGroup, map[g] != nil else { continue }
            map[g]!.append(f.address)
        }
        let unnamed = map.filter(\.value.isEmpty).keys.sorted()
        for g in unnamed { map[g] = root.entries("\(Self.groupsDir)/\(g)/devices") }
        groups = .success(map)
    }
}
