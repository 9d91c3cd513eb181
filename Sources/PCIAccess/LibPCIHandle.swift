import CPCIShim

/// An error from libpci or from the shim around it. `message` is libpci's own
/// text for libpci errors (e.g. "Cannot open /x/devices", "dump: Malformed line").
public struct PCIAccessError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// libpci reported a fatal error (its error callback fired).
        case libpci
        /// The shim refused the call (bad argument or index).
        case invalidArgument
        case outOfMemory
        /// An earlier libpci error left the access unusable.
        case unusableAccess
    }

    public let kind: Kind
    /// The libpci step that failed: "pci_init", "pci_scan_bus", "pci_fill_info", ...
    public let operation: String
    public let message: String

    public init(kind: Kind, operation: String, message: String) {
        self.kind = kind
        self.operation = operation
        self.message = message
    }

    public var description: String { message }

    /// Maps a shim status code; nil for CPCI_OK.
    init?(status: Int32, operation: String) {
        switch status {
        case Int32(CPCI_OK):
            return nil
        case Int32(CPCI_E_LIBPCI):
            self.init(kind: .libpci, operation: operation, message: String(cString: cpci_last_error()))
        case Int32(CPCI_E_NOMEM):
            self.init(kind: .outOfMemory, operation: operation, message: "\(operation): out of memory")
        case Int32(CPCI_E_POISONED):
            self.init(kind: .unusableAccess, operation: operation,
                      message: "\(operation): the libpci access is unusable after an earlier error")
        default:
            self.init(kind: .invalidArgument, operation: operation, message: "\(operation): invalid argument")
        }
    }

    static func check(_ status: Int32, _ operation: String) throws {
        if let error = PCIAccessError(status: status, operation: operation) { throw error }
    }
}

/// Owns one shim handle (one `pci_access`). libpci state is not tied to a thread,
/// so a handle may move between threads, but it must never be used by two at
/// once: a scan keeps its handle local, PCINameDatabase uses its own under a lock.
final class LibPCIHandle: @unchecked Sendable {
    private let handle: OpaquePointer

    private init(_ handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        cpci_close(handle)
    }

    static func open(method: Int32, path: String, debugging: Bool) throws -> LibPCIHandle {
        try make("pci_init") { cpci_open(method, path, debugging ? 1 : 0, &$0) }
    }

    static func openNames(idsPath: String?) throws -> LibPCIHandle {
        try make("pci_alloc") { raw in
            if let idsPath { cpci_open_names(idsPath, &raw) } else { cpci_open_names(nil, &raw) }
        }
    }

    private static func make(_ operation: String, _ open: (inout OpaquePointer?) -> Int32) throws -> LibPCIHandle {
        var raw: OpaquePointer?
        try PCIAccessError.check(open(&raw), operation)
        guard let raw else { throw PCIAccessError(kind: .invalidArgument, operation: operation, message: "\(operation): no access") }
        return LibPCIHandle(raw)
    }

    func scanBus() throws -> Int {
        var count = 0
        try PCIAccessError.check(cpci_scan_bus(handle, &count), "pci_scan_bus")
        return count
    }

    func fillInfo(_ index: Int) throws -> cpci_function_info {
        var info = cpci_function_info()
        try PCIAccessError.check(cpci_fill_info(handle, index, &info), "pci_fill_info")
        return info
    }

    /// The bytes at `offset..<offset+length`, or nil when libpci cannot read all of them.
    func readBlock(_ index: Int, offset: Int, length: Int) throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: length)
        var readable: Int32 = 0
        let status = buffer.withUnsafeMutableBufferPointer {
            cpci_read_block(handle, index, UInt32(offset), $0.baseAddress, UInt32(length), &readable)
        }
        try PCIAccessError.check(status, "pci_read_block")
        return readable != 0 ? buffer : nil
    }

    /// The config space as far as libpci can read it: 4096, 256 or 64 bytes (the
    /// first of these sizes that reads whole), else the longest readable prefix
    /// below 64 bytes. A 64-byte sysfs `config` (what a non-root reader gets) thus
    /// shows up as 64 bytes instead of libpci's silent 0xFFFF reads past the end.
    func readConfig(_ index: Int) throws -> [UInt8] {
        for size in [4096, 256, 64] {
            if let bytes = try readBlock(index, offset: 0, length: size) { return bytes }
        }
        var readable = 0, unreadable = 64 // binary search; readability of a prefix is monotonic
        while unreadable - readable > 1 {
            let middle = (readable + unreadable) / 2
            if try readBlock(index, offset: 0, length: middle) != nil { readable = middle } else { unreadable = middle }
        }
        return readable == 0 ? [] : try readBlock(index, offset: 0, length: readable) ?? []
    }

    /// A name lookup: nil when the ID is not in the database.
    func lookup(_ operation: String, _ call: (OpaquePointer, UnsafeMutablePointer<CChar>, Int, UnsafeMutablePointer<Int32>) -> Int32) throws -> String? {
        var buffer = [CChar](repeating: 0, count: 1024)
        var found: Int32 = 0
        let status = buffer.withUnsafeMutableBufferPointer { call(handle, $0.baseAddress!, $0.count, &found) }
        try PCIAccessError.check(status, operation)
        guard found != 0 else { return nil }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
