import CPCIShim

/// One PCI function as libpci reports it, with its config space bytes.
public struct PCIFunctionRecord: Sendable, Equatable {
    public var address: PCIAddress
    public var vendorID: UInt16
    public var deviceID: UInt16
    /// 24-bit class code: base class << 16 | subclass << 8 | programming interface.
    public var classCode: UInt32
    public var revision: UInt8
    public var subsystemVendorID: UInt16
    public var subsystemID: UInt16
    /// All config bytes libpci could read: normally 4096 (root, PCIe), 256
    /// (conventional PCI, or a dump without extended space) or 64 (a non-root
    /// reader of real sysfs).
    public var config: [UInt8]

    public init(address: PCIAddress, vendorID: UInt16, deviceID: UInt16, classCode: UInt32, revision: UInt8,
                subsystemVendorID: UInt16, subsystemID: UInt16, config: [UInt8]) {
        self.address = address
        self.vendorID = vendorID
        self.deviceID = deviceID
        self.classCode = classCode
        self.revision = revision
        self.subsystemVendorID = subsystemVendorID
        self.subsystemID = subsystemID
        self.config = config
    }

    public var configSize: Int { config.count }

    /// Fewer than 256 bytes were readable: on real sysfs this means the reader is
    /// not root. Capabilities beyond the header (and all extended capabilities)
    /// are unknown; `configSpace` then decodes none of them.
    public var configIsTruncated: Bool { config.count < 256 }

    /// The decoders over `config`. A truncated config holds only the header, so
    /// no capability (standard or extended) is decoded from it.
    public var configSpace: PCIConfigSpace { PCIConfigSpace(bytes: config) }

    public var baseClass: UInt8 { UInt8(classCode >> 16) }
    public var subclass: UInt8 { UInt8((classCode >> 8) & 0xff) }
    public var programmingInterface: UInt8 { UInt8(classCode & 0xff) }
}

/// The result of a scan: records sorted by address, plus libpci's warnings.
public struct PCIScanResult: Sendable {
    public var records: [PCIFunctionRecord]
    /// Distinct warning (and, when requested, debug) lines libpci emitted during
    /// the scan, e.g. "warning: Cannot open /x/devices/0000:00:00.0/config".
    public var messages: [String]
}

/// Entry points: scan a sysfs tree or an `lspci -x...` dump with libpci.
/// Every call creates and cleans up its own `pci_access`, so concurrent calls
/// from different threads are safe.
public enum PCIAccess {
    public enum Source: Sendable, Equatable {
        /// A `.../sys/bus/pci` directory (libpci method linux-sysfs, `sysfs.path`).
        case sysfs(path: String)
        /// An `lspci -x`/`-xxx`/`-xxxx` dump file (libpci method dump, `dump.name`).
        case dump(file: String)
    }

    /// Scans a `ROOT/sys/bus/pci` directory (callers name it: there is no live default). Throws
    /// `PCIAccessError` with libpci's message, e.g. "Cannot open /x/devices" for a
    /// missing directory.
    public static func scanSysfs(path: String) throws -> [PCIFunctionRecord] {
        try scan(.sysfs(path: path)).records
    }

    /// Scans an `lspci -x...` dump. Unrecognised lines are skipped by libpci (a
    /// garbage file gives no functions); a bad hex byte throws "dump: Malformed line".
    public static func scanDump(file: String) throws -> [PCIFunctionRecord] {
        try scan(.dump(file: file)).records
    }

    /// Scans `source`, returning records sorted by address and libpci's warnings.
    public static func scan(_ source: Source, debug: Bool = false) throws -> PCIScanResult {
        cpci_clear_messages()
        let handle = switch source {
        case .sysfs(let path): try LibPCIHandle.open(method: Int32(CPCI_METHOD_SYSFS), path: path, debugging: debug)
        case .dump(let file): try LibPCIHandle.open(method: Int32(CPCI_METHOD_DUMP), path: file, debugging: debug)
        }
        let count = try handle.scanBus()
        var records: [PCIFunctionRecord] = []
        records.reserveCapacity(count)
        for index in 0..<count {
            let info = try handle.fillInfo(index)
            records.append(PCIFunctionRecord(
                address: PCIAddress(domain: info.domain, bus: info.bus, device: info.device, function: info.function),
                vendorID: info.vendor_id,
                deviceID: info.device_id,
                classCode: UInt32(info.device_class) << 8 | UInt32(info.prog_if),
                revision: info.revision,
                subsystemVendorID: info.subsystem_vendor_id,
                subsystemID: info.subsystem_id,
                config: try handle.readConfig(index)))
        }
        records.sort { $0.address < $1.address }
        // libpci repeats a warning on every read it retries; keep each line once.
        var seen = Set<String>()
        let messages = String(cString: cpci_messages()).split(separator: "\n").map(String.init)
            .filter { seen.insert($0).inserted }
        cpci_clear_messages()
        return PCIScanResult(records: records, messages: messages)
    }
}
