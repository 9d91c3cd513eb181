import CHostShim

/// SHA-256 (FIPS 180-4) of a byte buffer, for the record of the files a snapshot read and the bundle
/// manifest. No Foundation: one pass over 64-byte blocks, nothing allocated but the result (the state and
/// the message schedule live in registers and on the stack). The blocks go through the x86 SHA extensions
/// when the CPU has them (CHostShim, ~5× faster), else through the plain Swift rounds below.
public enum SHA256 {
    /// The round constants.
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    /// The 32-byte digest.
    public static func digest<C: Collection>(_ data: C) -> [UInt8] where C.Element == UInt8 {
        let h = state(data)
        return [UInt8](unsafeUninitializedCapacity: 32) { out, n in
            for i in 0..<8 {
                let v = word(h, i)
                out[i * 4] = UInt8(v >> 24); out[i * 4 + 1] = UInt8(truncatingIfNeeded: v >> 16)
                out[i * 4 + 2] = UInt8(truncatingIfNeeded: v >> 8); out[i * 4 + 3] = UInt8(truncatingIfNeeded: v)
            }
            n = 32
        }
    }

    /// The digest as 64 lower-case hex digits (as `sha256sum` prints it).
    public static func hex<C: Collection>(_ data: C) -> String where C.Element == UInt8 {
        let h = state(data)
        return String(unsafeUninitializedCapacity: 64) { out in
            for i in 0..<8 {
                let v = word(h, i)
                for j in 0..<8 {
                    let d = UInt8(truncatingIfNeeded: v >> UInt32(28 - 4 * j)) & 15
                    out[i * 8 + j] = d < 10 ? 0x30 + d : 0x57 + d
                }
            }
            return 64
        }
    }

    typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    private static func word(_ h: State, _ i: Int) -> UInt32 {
        switch i {
        case 0: return h.0
        case 1: return h.1
        case 2: return h.2
        case 3: return h.3
        case 4: return h.4
        case 5: return h.5
        case 6: return h.6
        default: return h.7
        }
    }

    private static func state<C: Collection>(_ data: C) -> State where C.Element == UInt8 {
        if let h = data.withContiguousStorageIfAvailable({ state(buffer: UnsafeRawBufferPointer($0)) }) { return h }
        return Array(data).withUnsafeBytes { state(buffer: $0) }
    }

    private static func state(buffer: UnsafeRawBufferPointer) -> State {
        var h: State = (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
        let n = buffer.count
        let full = n / 64
        if full > 0, let base = buffer.baseAddress { blocks(&h, base, full) }
        // The tail: the last partial block, 0x80, zeros, the bit length (one or two blocks), on the stack.
        let rest = n - full * 64
        withUnsafeTemporaryAllocation(byteCount: 128, alignment: 8) { tail in
            let t = tail.baseAddress!
            t.initializeMemory(as: UInt8.self, repeating: 0, count: 128)
            if rest > 0 { t.copyMemory(from: buffer.baseAddress! + full * 64, byteCount: rest) }
            t.storeBytes(of: 0x80, toByteOffset: rest, as: UInt8.self)
            let count = rest < 56 ? 1 : 2
            t.storeBytes(of: (UInt64(n) &* 8).bigEndian, toByteOffset: count * 64 - 8, as: UInt64.self)
            blocks(&h, UnsafeRawPointer(t), count)
        }
        return h
    }

    /// `count` 64-byte blocks from `p` into the state.
    private static func blocks(_ h: inout State, _ p: UnsafeRawPointer, _ count: Int) {
        let done = withUnsafeMutableBytes(of: &h) { s in
            spf_sha256_blocks(s.baseAddress!.assumingMemoryBound(to: UInt32.self),
                              p.assumingMemoryBound(to: UInt8.self), count) != 0
        }
        if done { return }
        k.withUnsafeBufferPointer { k in
            for i in 0..<count { compress(&h, p + i * 64, k.baseAddress!) }
        }
    }

    /// The plain Swift rounds (no SHA extensions), and the reference the tests hold the fast path to.
    static func portableHex(_ bytes: [UInt8]) -> String {
        var h: State = (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
        var m = bytes
        let n = bytes.count
        m.append(0x80)
        while m.count % 64 != 56 { m.append(0) }
        for i in (0..<8).reversed() { m.append(UInt8(truncatingIfNeeded: (UInt64(n) &* 8) >> (8 * UInt64(i)))) }
        m.withUnsafeBytes { p in
            k.withUnsafeBufferPointer { k in
                for i in 0..<(m.count / 64) { compress(&h, p.baseAddress! + i * 64, k.baseAddress!) }
            }
        }
        var out = ""
        for i in 0..<8 {
            let v = String(word(h, i), radix: 16)
            out += String(repeating: "0", count: 8 - v.count) + v
        }
        return out
    }

    @inline(__always)
    private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }

    /// One 64-byte block into the state. The schedule is a 16-word ring on the stack.
    @inline(__always)
    private static func compress(_ h: inout State, _ p: UnsafeRawPointer, _ k: UnsafePointer<UInt32>) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 16) { wb in
            let w = wb.baseAddress!
            for t in 0..<16 { w[t] = p.loadUnaligned(fromByteOffset: t * 4, as: UInt32.self).bigEndian }
            var (a, b, c, d, e, f, g, hh) = h
            for t in 0..<64 {
                let wt: UInt32
                if t < 16 {
                    wt = w[t]
                } else {
                    let x = w[(t - 15) & 15], y = w[(t - 2) & 15]
                    let s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3)
                    let s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >> 10)
                    wt = w[t & 15] &+ s0 &+ w[(t - 7) & 15] &+ s1
                    w[t & 15] = wt
                }
                let S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
                let ch = (e & f) ^ (~e & g)
                let t1 = hh &+ S1 &+ ch &+ k[t] &+ wt
                let S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
                let maj = (a & b) ^ (a & c) ^ (b & c)
                hh = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ S0 &+ maj
            }
            h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e, h.5 &+ f, h.6 &+ g, h.7 &+ hh)
        }
    }
}
