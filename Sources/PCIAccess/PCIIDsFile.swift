#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import Synchronization

/// Vendor and device names read straight from a pci.ids file.
///
/// `PCINameDatabase` (libpci) parses the whole file into a hash table of every entry on its first lookup:
/// about 6 ms of CPU for the 1.3 MB database, more than a check of a small host takes for everything else. A
/// report names a handful of devices, so this reader passes over the file once with libpci's grammar
/// (names-parse.c: the line ends at the first LF or CR, one trailing blank is dropped, blank and `#` lines are
/// skipped, a vendor line is 4 hex digits, a blank and a name; a device line is one tab deeper; `C`, `S` and
/// other one-letter blocks hold no vendors) and notes where each vendor's block starts; a device's name is
/// read from its vendor's block when it is asked for. `prefetch` makes that pass on another thread while the
/// host is read. On a well-formed file (every distribution's) it gives libpci's names. On a damaged one the
/// pass ends at the first line libpci's grammar rejects (a bad ID, an empty name, a NUL, a line of 1023 bytes
/// or more): an entry after it has no name, as with libpci, whose first lookup fails on any damage; one before
/// it keeps its name. What libpci checks across lines is not: a duplicate entry (libpci rejects the file; here
/// the first one counts) and an `S` block's vendor. A gzip-compressed file (libpci reads those through zlib)
/// is left to `PCINameDatabase`.
public final class PCIIDsFile: Sendable {
    public let path: String
    /// The file's bytes (nil: no names), read by the caller's bounded reader when first needed.
    private let contents: @Sendable () -> [UInt8]?
    private struct State {
        var loaded = false
        var bytes: [UInt8] = []
        var compressed = false
        /// No CR and no NUL in the file: lines end at their LF (the byte-by-byte look for either is skipped).
        var plain = false
        /// Vendor ID → the offset of the line after its vendor line, and its name's bytes (the first line of
        /// a vendor that has two: libpci rejects such a file).
        var vendors: [UInt16: (next: Int, name: Range<Int>)] = [:]
        var devices: [UInt32: String?] = [:]
    }
    private let state = Mutex(State())
    private let fallback: PCINameDatabase

    /// `contents` reads `path` (once, on the first lookup or in `prefetch`).
    public init(path: String, contents: @escaping @Sendable () -> [UInt8]?) {
        self.path = path
        self.contents = contents
        fallback = PCINameDatabase(idsPath: path)
    }

    /// Reads and indexes the file on another thread (a lookup that comes first waits for it, or does it).
    public func prefetch() {
        DispatchQueue.global().async { [self] in state.withLock { load(&$0) } }
    }

    public func vendorName(_ vendor: UInt16) -> String? {
        state.withLock { s -> String?? in
            load(&s)
            if s.compressed { return .none }
            return .some(s.vendors[vendor].map { v in s.bytes.withUnsafeBufferPointer { Self.text($0, v.name) } })
        } ?? fallback.vendorName(vendor)
    }

    public func deviceName(vendor: UInt16, device: UInt16) -> String? {
        state.withLock { s -> String?? in
            load(&s)
            if s.compressed { return .none }
            let key = UInt32(vendor) << 16 | UInt32(device)
            if let known = s.devices[key] { return .some(known) }
            var name: String?
            if let v = s.vendors[vendor] { name = Self.device(device, from: v.next, s.bytes, plain: s.plain) }
            s.devices[key] = .some(name)
            return .some(name)
        } ?? fallback.deviceName(vendor: vendor, device: device)
    }

    private func load(_ s: inout State) {
        guard !s.loaded else { return }
        s.loaded = true
        s.bytes = contents() ?? []
        s.compressed = s.bytes.count >= 2 && s.bytes[0] == 0x1F && s.bytes[1] == 0x8B
        if s.compressed { return }
        s.plain = s.bytes.withUnsafeBytes { b in
            b.isEmpty || (memchr(b.baseAddress!, 0x0D, b.count) == nil && memchr(b.baseAddress!, 0, b.count) == nil)
        }
        s.vendors = Self.vendors(s.bytes, plain: s.plain)
    }

    static func text(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self)
    }

    /// libpci's categories of entries (names.h).
    enum Category { case vendor, device, subsystem, genericSubsystem, classBlock, subclass, progIf, unknown }

    /// The entry a line of the file holds, read with libpci's grammar from where the previous line left
    /// `category`; nil for a blank or comment line; `.failure` where libpci stops with an error. `id1`: a
    /// vendor's or a class's ID (0 on a nested line), `id2`: a device's or a subclass's.
    struct Entry {
        var category: Category
        var id1: Int
        var id2: Int
        var name: Range<Int>
    }

    /// Reads the line at `at` (its end: the LF, or the end of the file) and moves `at` past it.
    /// `plain`: the file holds no CR and no NUL (a line then ends at its LF).
    static func next(_ b: UnsafeBufferPointer<UInt8>, plain: Bool, _ at: inout Int, _ category: inout Category?)
        -> Result<Entry?, Damage> {
        let count = b.count
        let start = at
        let stop = memchr(b.baseAddress! + start, 0x0A, count - start)
            .map { b.baseAddress!.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? count
        at = stop < count ? stop + 1 : count
        // gzgets gives at most 1023 bytes: a line whose text (up to its first CR or NUL, where libpci's scan
        // stops) is longer is "Line too long", as is a NUL before the LF unless the file ends with that line.
        var end = start
        if plain { end = stop } else { while end < stop, b[end] != 0x0D, b[end] != 0 { end += 1 } }
        if end - start >= 1023 && (stop < count || end - start > 1023) || (at < count && end < stop && b[end] == 0) {
            return .failure(Damage())
        }
        if end > start, b[end - 1] == 0x20 || b[end - 1] == 0x09 { end -= 1 }
        func white(_ i: Int) -> Bool { i < end && (b[i] == 0x20 || b[i] == 0x09) }
        func hex(_ p: Int, _ digits: Int) -> Int? {
            guard p + digits <= end else { return nil }
            var x = 0
            for i in p..<p + digits {
                switch b[i] {
                case 0x30...0x39: x = x << 4 | Int(b[i] - 0x30)
                case 0x61...0x66: x = x << 4 | Int(b[i] - 0x61 + 10)
                case 0x41...0x46: x = x << 4 | Int(b[i] - 0x41 + 10)
                default: return nil
                }
            }
            return x
        }
        var p = start
        while white(p) { p += 1 }
        if p == end || b[p] == 0x23 { return .success(nil) }
        p = start
        while p < end, b[p] == 0x09 { p += 1 }
        let nest = p - start
        var id1 = 0, id2 = 0
        let cat: Category
        switch nest {
        case 0:
            if end - p >= 2, b[p + 1] == 0x20, b[p] == 0x43 {         // C xx  class
                guard let c = hex(p + 2, 2), white(p + 4) else { return .failure(Damage()) }
                id1 = c; cat = .classBlock; p += 5
            } else if end - p >= 2, b[p + 1] == 0x20, b[p] == 0x53 {  // S xxxx  generic subsystems
                guard hex(p + 2, 4) != nil, p + 6 == end else { return .failure(Damage()) }
                category = .genericSubsystem
                return .success(nil)
            } else if end - p >= 2, b[p + 1] == 0x20, (0x41...0x5A).contains(b[p]) {
                category = .unknown
                return .success(nil)
            } else {
                guard let v = hex(p, 4), white(p + 4) else { return .failure(Damage()) }
                id1 = v; cat = .vendor; p += 5
            }
        default:
            switch (category, nest) {
            case (.unknown, _): return .success(nil)
            case (.vendor, 1), (.device, 1), (.subsystem, 1):
                guard let d = hex(p, 4), white(p + 4) else { return .failure(Damage()) }
                id2 = d; cat = .device; p += 5
            case (.genericSubsystem, 1):
                guard let d = hex(p, 4), white(p + 4) else { return .failure(Damage()) }
                id2 = d; cat = .genericSubsystem; p += 5
            case (.classBlock, 1), (.subclass, 1), (.progIf, 1):
                guard let c = hex(p, 2), white(p + 2) else { return .failure(Damage()) }
                id2 = c; cat = .subclass; p += 3
            case (.device, 2), (.subsystem, 2):
                guard hex(p, 4) != nil, white(p + 4), hex(p + 5, 4) != nil, white(p + 9) else { return .failure(Damage()) }
                cat = .subsystem; p += 10
            case (.classBlock, 2), (.subclass, 2), (.progIf, 2):
                guard hex(p, 2) != nil, white(p + 2) else { return .failure(Damage()) }
                cat = .progIf; p += 3
            default:
                return .failure(Damage())
            }
        }
        category = cat
        while white(p) { p += 1 }
        guard p < end else { return .failure(Damage()) }
        return .success(Entry(category: cat, id1: id1, id2: id2, name: p..<end))
    }

    /// A line libpci rejects (its load ends with an error there).
    struct Damage: Error {}

    /// Every vendor line up to the first line libpci rejects, in one pass.
    static func vendors(_ bytes: [UInt8], plain: Bool) -> [UInt16: (next: Int, name: Range<Int>)] {
        var out: [UInt16: (next: Int, name: Range<Int>)] = [:]
        bytes.withUnsafeBufferPointer { b in
            var at = 0
            var category: Category?
            while at < b.count {
                guard case .success(let e) = next(b, plain: plain, &at, &category) else { return }
                if let e, e.category == .vendor, out[UInt16(e.id1)] == nil { out[UInt16(e.id1)] = (at, e.name) }
            }
        }
        return out
    }

    /// The device line of a vendor's block, whose lines start at `from`.
    static func device(_ device: UInt16, from: Int, _ bytes: [UInt8], plain: Bool) -> String? {
        bytes.withUnsafeBufferPointer { b in
            var at = from
            var category: Category? = .vendor
            while at < b.count {
                guard case .success(let e) = next(b, plain: plain, &at, &category) else { return nil }
                guard let e else { continue }
                if e.category != .device && e.category != .subsystem { return nil }
                if e.category == .device, e.id2 == Int(device) { return text(b, e.name) }
            }
            return nil
        }
    }
}
