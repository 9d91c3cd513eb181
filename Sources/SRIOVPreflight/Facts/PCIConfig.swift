#if canImport(Glibc)
import Glibc
#endif

import PCIAccess

/// The capabilities decoded from a function's config space (nil when it is absent or too short).
public struct PCICapabilities: Sendable {
    public var pcie: PCIeCapability?
    public var sriov: SRIOVCapability?
    public var ari: ARICapability?
    public var acs: ACSCapability?

    init(_ bytes: [UInt8]) {
        let space = PCIConfigSpace(bytes: bytes)
        pcie = space.pcie
        // Extended capabilities exist only in a full config space; a 64-byte read (non-root) has none.
        if bytes.count >= 256 {
            sriov = space.sriov
            ari = space.ari
            acs = space.acs
        }
    }
}

extension PCIFunction {
    public var hasSRIOVCapability: Bool { caps?.sriov != nil }
    public var sriovCapability: SRIOVCapability? { caps?.sriov }

    /// TotalVFs: sysfs first (what the kernel allows), else the capability.
    public var totalVFs: Int { sriov?.totalVFs ?? caps?.sriov.map { Int($0.totalVFs) } ?? 0 }

    /// NumVFs: sysfs first, else the `virtfn*` links, else the capability.
    public var numVFs: Int { sriov?.numVFs ?? (virtfns.isEmpty ? caps?.sriov.map { Int($0.numVFs) } ?? 0 : virtfns.count) }
}

/// Vendor and device names from pci.ids, loaded only when a report shows them: the host root's own
/// database when it has one (so a capture or a bundle names its devices as the host did), else the one of
/// the machine running the tool, else IDs.
public final class PCINames: @unchecked Sendable {
    /// Where distributions keep pci.ids: Debian/Ubuntu, RHEL/Fedora (hwdata), others.
    public static let databasePaths = ["usr/share/misc/pci.ids", "usr/share/hwdata/pci.ids", "usr/share/pci.ids"]
    /// pci.ids is 1.3 MB; anything beyond this is not one.
    static let databaseLimit = 64 << 20

    /// The database at `path`, read with FileInput's bounded reader when first needed.
    static func database(_ path: String) -> PCIIDsFile {
        PCIIDsFile(path: path) { try? FileInput.read(path, limit: databaseLimit) }
    }

    /// Read only as far as a lookup needs (libpci's whole-file parse costs more than a small host's check).
    private let db: PCIIDsFile
    /// The database used: a root-relative path, an absolute path on this machine, or nil (IDs only).
    public let source: String?

    /// This machine's database: the first readable of `databasePaths`.
    public static func localDatabase() -> String? {
        databasePaths.map { "/" + $0 }.first { access($0, R_OK) == 0 }
    }

    public init() {
        let local = Self.localDatabase()
        db = Self.database(local ?? "/nonexistent/pci.ids")
        source = local
    }

    /// The root's own database when it holds one (a regular file inside the root), else this machine's.
    public init(root: HostRoot) {
        for rel in Self.databasePaths {
            guard root.size(rel) != nil, let abs = root.absolutePath(rel) else { continue }
            var st = stat()
            guard lstat(abs, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
            db = Self.database(abs)
            source = root.isLive ? abs : rel
            return
        }
        let local = Self.databasePaths.map { "/" + $0 }.first { access($0, R_OK) == 0 }
        db = Self.database(local ?? "/nonexistent/pci.ids")
        source = local
    }

    /// Reads the database on another thread, ahead of the first lookup.
    public func prefetch() { db.prefetch() }

    public func model(_ f: PCIFunction) -> String {
        guard let v = f.vendorID, let d = f.deviceID else { return f.ids }
        let vendor = db.vendorName(v)
        let device = db.deviceName(vendor: v, device: d)
        switch (vendor, device) {
        case (let vn?, let dn?): return "\(Self.short(vn)) \(dn)"
        case (let vn?, nil): return "\(Self.short(vn)) \(f.ids)"
        default: return f.ids
        }
    }

    /// "Intel Corporation" → "Intel".
    static func short(_ vendor: String) -> String {
        var v = vendor
        for suffix in [" Corporation", " Corp.", ", Inc.", " Inc.", " Co., Ltd.", " Technologies", " Ltd."] where v.hasSuffix(suffix) {
            v.removeLast(suffix.count)
        }
        return v
    }
}
