/// Walks a host root through `HostRoot` and copies, into a `BundleTree`, exactly the files the catalog's
/// checks read (see `Checks.*.description.reads` and the Facts collectors) and nothing else.
///
/// Everything is stored at its canonical path; sysfs links (real ones, or flattened link files of a
/// capture) are stored as symlinks with their link text, and the directory a link names is created so the
/// link resolves in the bundle as it did on the host. Special files are never copied: the kernel log of a
/// live host is read (as the snapshot does: /dev/kmsg, else syslog(2)) and stored as `var/log/dmesg`.
public struct BundleCollector {
    public let root: HostRoot
    public private(set) var tree = BundleTree()
    private var visitedPCI: Set<String> = []

    /// Attributes of a PCI function directory the PCI facts read (`virtfn*` and `sriov_*` by prefix).
    static let pciAttributes: Set<String> = [
        "vendor", "device", "class", "subsystem_vendor", "subsystem_device", "config", "resource", "irq",
        "numa_node", "current_link_speed", "current_link_width", "max_link_speed", "max_link_width",
        "ari_enabled", "secondary_bus_number", "subordinate_bus_number", "driver", "iommu_group", "physfn",
        "modalias", "revision",
    ]
    static let pciPrefixes = ["virtfn", "sriov_"]
    /// Attributes of a network interface directory the net facts read.
    static let netAttributes: Set<String> = [
        "address", "operstate", "carrier", "speed", "duplex", "mtu", "type", "ifindex", "flags", "master", "device",
    ]
    static let netTrees: Set<String> = ["bonding", "bonding_slave"]
    /// Modules whose parameters are copied (the others are kept as empty directories: their names tell
    /// which modules are built in).
    static let parameterModules = ["vfio", "vfio_iommu_type1", "iommufd", "vfio_pci"]

    public init(root: HostRoot) { self.root = root }

    /// Collects the whole list; `release` is the kernel release the snapshot found.
    public mutating func collectAll(release: String?, progress: (String) -> Void = { _ in }) {
        progress("proc, etc, boot")
        for p in ["proc/cmdline", "proc/cpuinfo", "proc/modules", "proc/interrupts", "proc/version", "proc/iomem",
                  "proc/sys/kernel/osrelease", "proc/sys/kernel/hostname",
                  "etc/os-release", "etc/hostname", "etc/default/grub", "boot/grub2/grubenv",
                  "sys/firmware/acpi/tables/DMAR", "sys/firmware/acpi/tables/IVRS"] {
            path(p)
        }
        for d in ["proc/net/bonding", "etc/modprobe.d", "lib/modprobe.d", "run/modprobe.d", "usr/lib/modprobe.d",
                  "etc/default/grub.d", "boot/loader/entries"] {
            for e in root.entries(d) { path("\(d)/\(e)") }
        }
        if let r = release {
            path("boot/config-\(r)")
            let dir = "lib/modules/\(r)"
            path("\(dir)/modules.dep")
            path("\(dir)/modules.builtin")
            path("\(dir)/modules.alias") { bytes in
                // Only the PCI aliases: the checks use nothing else, and they are a fraction of the size.
                var out: [UInt8] = []
                let prefix = Array("alias pci:".utf8)
                for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: true)
                where line.starts(with: prefix) {
                    out.append(contentsOf: line)
                    out.append(0x0A)
                }
                return out
            }
        }
        progress("kernel log")
        kernelLog()
        progress("iommu")
        path("sys/class/iommu", depth: 4, follow: true)
        path("sys/kernel/iommu_groups", depth: 3, follow: false)
        progress("modules")
        if root.exists("sys/module") { tree.directories.insert("sys/module") }
        for m in root.entries("sys/module") { tree.directories.insert("sys/module/\(m)") }
        var modules = Self.parameterModules
        for p in ModuleFacts.watchedParameters {
            if let m = p.split(separator: ".").first.map(String.init), !modules.contains(m) { modules.append(m) }
        }
        for m in modules { path("sys/module/\(m)/parameters", depth: 1, follow: false) }
        progress("pci")
        for name in root.entries("sys/bus/pci/devices") { pciFunction("sys/bus/pci/devices/\(name)") }
        progress("net")
        for name in root.entries("sys/class/net") { netInterface("sys/class/net/\(name)") }
    }

    // MARK: primitives

    /// Where `p` lives: its parent resolved through links, then its own name.
    private func placed(_ p: String) -> String? {
        let n = HostRoot.normalize(p)
        let (dir, name) = HostRoot.parent(n)
        guard case .success(let d) = root.canonical(dir) else { return nil }
        return d.isEmpty ? name : "\(d)/\(name)"
    }

    /// Copies `p`: a link as a link (followed into its target when `follow`), a file's bytes, a directory
    /// and, `depth` levels down, what it holds.
    private mutating func path(_ p: String, depth: Int = 0, follow: Bool = false,
                               transform: (([UInt8]) -> [UInt8])? = nil) {
        guard let at = placed(p) else { return }
        if let target = root.linkTarget(at) {
            addLink(at, target)
            if follow, case .success(let c) = root.canonical(at), root.backend.kind(c) == .directory {
                path(c, depth: depth, follow: false)
            }
            return
        }
        switch root.backend.kind(at) {
        case .directory?:
            tree.directories.insert(at)
            guard depth > 0 else { return }
            switch root.backend.list(at) {
            case .success(let names):
                for e in names { path("\(at)/\(e)", depth: depth - 1, follow: follow) }
            case .failure(let e):
                tree.unreadable[at] = "\(e)"
            }
        case .file?:
            switch root.read(at) {
            case .success(let b): tree.files[at] = transform.map { $0(b) } ?? b
            case .failure(let e): tree.unreadable[at] = "\(e)"
            }
        case .other?:
            tree.unreadable[at] = "special file: not copied"
        case .link?, nil:
            return
        }
    }

    /// Stores a link and makes the directory it names, so that it resolves in the bundle.
    private mutating func addLink(_ at: String, _ target: String) {
        tree.links[at] = target
        if case .success(let c) = root.canonical(at), !c.isEmpty, root.backend.kind(c) == .directory {
            tree.directories.insert(c)
        }
    }

    private mutating func pciFunction(_ p: String) {
        guard let at = placed(p) else { return }
        if let t = root.linkTarget(at) { addLink(at, t) }
        guard case .success(let dir) = root.canonical(at), root.backend.kind(dir) == .directory else { return }
        // The function and the bridges above it.
        var prefix: [Substring] = []
        for c in dir.split(separator: "/") {
            prefix.append(c)
            if PCIAddressText.isValid(String(c)) { pciDirectory(prefix.joined(separator: "/")) }
        }
    }

    private mutating func pciDirectory(_ dir: String) {
        guard visitedPCI.insert(dir).inserted else { return }
        tree.directories.insert(dir)
        for e in root.entries(dir)
        where Self.pciAttributes.contains(e) || Self.pciPrefixes.contains(where: { e.hasPrefix($0) }) {
            path("\(dir)/\(e)")
        }
        // `net/`: the interface names only; their attributes come with sys/class/net.
        if root.isDirectory("\(dir)/net") { path("\(dir)/net", depth: 1) }
    }

    private mutating func netInterface(_ p: String) {
        guard let at = placed(p) else { return }
        guard let t = root.linkTarget(at) else {
            path(at)   // bonding_masters, or an interface directory that is not a link
            if root.backend.kind(at) == .directory { netDirectory(at) }
            return
        }
        addLink(at, t)
        if case .success(let dir) = root.canonical(at), root.backend.kind(dir) == .directory { netDirectory(dir) }
    }

    private mutating func netDirectory(_ dir: String) {
        tree.directories.insert(dir)
        for e in root.entries(dir) {
            if Self.netAttributes.contains(e) {
                path("\(dir)/\(e)")
            } else if Self.netTrees.contains(e) {
                path("\(dir)/\(e)", depth: 1)
            }
        }
    }

    private mutating func kernelLog() {
        if root.isLive {
            let log = LiveKernelLog.read(root)
            if let bytes = log.bytes {
                tree.files["var/log/dmesg"] = bytes
                return
            }
            tree.unreadable["var/log/dmesg"] = log.reason
        }
        path("var/log/dmesg")
    }
}
