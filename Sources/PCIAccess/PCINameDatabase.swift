import CPCIShim
import Synchronization

/// Names from pci.ids through libpci. Nothing is loaded until the first lookup,
/// which creates a private `pci_access` and reads the database (about 10 ms).
/// Names come from the pci.ids file alone: udev's hwdb, DNS and the
/// ~/.pciids-cache are disabled. Lookups are serialised; the instance may be
/// shared between threads.
public final class PCINameDatabase: Sendable {
    /// nil: libpci's default (/usr/share/misc/pci.ids.gz, falling back to pci.ids).
    public let idsPath: String?
    private let state = Mutex<LibPCIHandle?>(nil)

    public init(idsPath: String? = nil) {
        self.idsPath = idsPath
    }

    /// Whether a lookup has created the libpci access (the first lookup also reads
    /// the database; a missing file just makes every lookup return nil).
    public var isLoaded: Bool {
        state.withLock { $0 != nil }
    }

    public func vendorName(_ vendor: UInt16) -> String? {
        lookup("pci_lookup_name(vendor)") { cpci_lookup_vendor($0, vendor, $1, $2, $3) }
    }

    public func deviceName(vendor: UInt16, device: UInt16) -> String? {
        lookup("pci_lookup_name(device)") { cpci_lookup_device($0, vendor, device, $1, $2, $3) }
    }

    /// `classCode` is the 24-bit class code of `PCIFunctionRecord.classCode`;
    /// the name is that of its base class and subclass.
    public func className(_ classCode: UInt32) -> String? {
        className(baseClass: UInt8((classCode >> 16) & 0xff), subclass: UInt8((classCode >> 8) & 0xff))
    }

    public func className(baseClass: UInt8, subclass: UInt8) -> String? {
        let deviceClass = UInt16(baseClass) << 8 | UInt16(subclass)
        return lookup("pci_lookup_name(class)") { cpci_lookup_class($0, deviceClass, $1, $2, $3) }
    }

    public func subsystemName(vendor: UInt16, device: UInt16, subsystemVendor: UInt16, subsystem: UInt16) -> String? {
        lookup("pci_lookup_name(subsystem)") {
            cpci_lookup_subsystem($0, vendor, device, subsystemVendor, subsystem, $1, $2, $3)
        }
    }

    /// Runs one lookup; a libpci failure (which the shim reports instead of
    /// exiting) counts as "not found".
    private func lookup(_ operation: String,
                        _ call: (OpaquePointer, UnsafeMutablePointer<CChar>, Int, UnsafeMutablePointer<Int32>) -> Int32)
        -> String? {
        state.withLock { handle -> String? in
            if handle == nil { handle = try? LibPCIHandle.openNames(idsPath: idsPath) }
            return (try? handle?.lookup(operation, call)) ?? nil
        }
    }
}
