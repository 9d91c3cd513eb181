import Foundation
@testable import SRIOVPreflight
import Testing

/// Hostile bundles: each is refused with a clear error within seconds, and nothing is written outside
/// the directory the bundle is unpacked into.
@Suite("Hostile bundles")
struct HostileBundleTests {
    /// One ustar member, written by hand so that any type, name or link can be made without privileges.
    struct Member {
        var name: String
        var type: Character = "0"
        var link = ""
        var data: [UInt8] = []
        /// Declared size when it differs from the data (a truncated member).
        var size: Int?
    }

    static func header(_ m: Member) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ s: String, _ at: Int, _ len: Int) {
            for (i, b) in s.utf8.prefix(len).enumerated() { h[at + i] = b }
        }
        func octal(_ v: Int, _ at: Int, _ len: Int) { put(String(String(v, radix: 8).leftPadded(len - 1, "0")), at, len - 1) }
        put(m.name, 0, 100)
        octal(m.type == "5" ? 0o755 : 0o644, 100, 8)
        octal(0, 108, 8); octal(0, 116, 8)
        octal(m.size ?? m.data.count, 124, 12)
        octal(0, 136, 12)
        for i in 148..<156 { h[i] = 0x20 }
        h[156] = m.type.asciiValue!
        put(m.link, 157, 100)
        put("ustar", 257, 6); put("00", 263, 2)
        let sum = h.reduce(0) { $0 + Int($1) }
        put(String(String(sum, radix: 8).leftPadded(6, "0")) + "\0 ", 148, 8)
        return h
    }

    /// A .tar.gz of `members` (with the end-of-archive blocks unless `end` is false).
    static func archive(_ members: [Member], at path: String, end: Bool = true) throws {
        var tar: [UInt8] = []
        for var m in members {
            if m.name.utf8.count > 100 {
                // GNU long name: a 'L' member holding the name, then the member with a cut name.
                let long = Member(name: "././@LongLink", type: "L", data: Array(m.name.utf8) + [0])
                tar += header(long) + long.data + [UInt8](repeating: 0, count: (512 - long.data.count % 512) % 512)
                m.name = String(m.name.prefix(100))
            }
            tar += header(m)
            tar += m.data
            tar += [UInt8](repeating: 0, count: (512 - m.data.count % 512) % 512)
        }
        if end { tar += [UInt8](repeating: 0, count: 1024) }
        try Data(tar).write(to: URL(fileURLWithPath: path + ".tar"))
        try run(["gzip", "-f", path + ".tar"])
        try FileManager.default.moveItem(atPath: path + ".tar.gz", toPath: path)
    }

    /// Unpacks `archive` into a fresh directory under `work` and expects a BundleError containing `words`,
    /// within `seconds`; nothing may appear in `work` but the archive and that directory.
    static func expectRefused(_ archive: String, _ words: String, work: String, budget: Archive.Budget = Archive.Budget(),
                              seconds: Double = 10, sourceLocation: SourceLocation = #_sourceLocation) {
        let out = work + "/out-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: false)
        let before = Set((try? FileManager.default.contentsOfDirectory(atPath: work)) ?? [])
        let t0 = Date()
        do {
            try Archive.extract(archive, into: out, budget: budget)
            Issue.record("\(archive) was accepted", sourceLocation: sourceLocation)
        } catch let e as BundleError {
            #expect(e.description.contains(words), "\(e.description)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(archive): not a BundleError: \(error)", sourceLocation: sourceLocation)
        }
        #expect(Date().timeIntervalSince(t0) < seconds, "\(archive) took \(Date().timeIntervalSince(t0)) s", sourceLocation: sourceLocation)
        let after = Set((try? FileManager.default.contentsOfDirectory(atPath: work)) ?? [])
        #expect(after == before, "written outside the output directory: \(after.subtracting(before))", sourceLocation: sourceLocation)
    }

    @Test("bomb, FIFO, deep path, escaping links, hard link, device, truncated, not an archive: refused in seconds")
    func battery() throws {
        let root = temporaryDirectory("hostile")
        defer { SupportBundle.removeTemporaryDirectory(root) }
        let work = root + "/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let a = { (name: String) in root + "/" + name }

        // A gzip bomb, small but over a 4 MiB budget: 64 MiB of zeros in one member.
        let bomb = a("bomb.tar.gz")
        let head = Self.header(Member(name: "zeros", size: 64 << 20))
        try Data(head).write(to: URL(fileURLWithPath: bomb + ".h"))
        try run(["sh", "-c", "{ cat '\(bomb).h'; head -c 67108864 /dev/zero; head -c 1024 /dev/zero; } | gzip -c > '\(bomb)'"])
        Self.expectRefused(bomb, "more than the 4 MiB budget", work: work, budget: Archive.Budget(bytes: 4 << 20))
        // The same spread over many members: stopped while streaming.
        try Self.archive((0..<64).map { Member(name: "z\($0)", data: [UInt8](repeating: 0, count: 1 << 20)) }, at: a("bomb2.tar.gz"))
        Self.expectRefused(a("bomb2.tar.gz"), "unpacks to more than 4 MiB", work: work, budget: Archive.Budget(bytes: 4 << 20))
        // Too many members.
        try Self.archive((0..<200).map { Member(name: "f\($0)", data: [0x41]) }, at: a("many.tar.gz"))
        Self.expectRefused(a("many.tar.gz"), "more than 100 members", work: work, budget: Archive.Budget(members: 100))
        // A FIFO given as the bundle.
        mkfifo(a("fifo"), 0o644)
        Self.expectRefused(a("fifo"), "not a regular file", work: work)
        // A directory given as the bundle.
        Self.expectRefused(work, "a directory", work: work)
        // A deep path: the real reason, not "truncated".
        let deep = (0..<150).map { _ in "d" }.joined(separator: "/") + "/f"
        try Self.archive([Member(name: deep, data: Array("x".utf8))], at: a("deep.tar.gz"))
        Self.expectRefused(a("deep.tar.gz"), "151 directories deep (limit 128)", work: work)
        // Links leaving the root: `../`, absolute, and through another link of the archive.
        try Self.archive([Member(name: "sys", type: "5"), Member(name: "sys/l", type: "2", link: "../../etc/passwd")], at: a("dotdot.tar.gz"))
        Self.expectRefused(a("dotdot.tar.gz"), "leads out of the bundle", work: work)
        try Self.archive([Member(name: "l", type: "2", link: "/etc/passwd")], at: a("abs.tar.gz"))
        Self.expectRefused(a("abs.tar.gz"), "absolute path", work: work)
        try Self.archive([Member(name: "d", type: "5"), Member(name: "d/x", type: "2", link: ".."),
                          Member(name: "d/y", type: "2", link: "x/../etc")], at: a("chain.tar.gz"))
        Self.expectRefused(a("chain.tar.gz"), "leads out of the bundle", work: work)
        try Self.archive([Member(name: "l", type: "2", link: "."), Member(name: "l/x", data: [1])], at: a("below.tar.gz"))
        Self.expectRefused(a("below.tar.gz"), "below the symlink", work: work)
        // Members with `..` and absolute names.
        try Self.archive([Member(name: "../x", data: [1])], at: a("up.tar.gz"))
        Self.expectRefused(a("up.tar.gz"), "'..'", work: work)
        try Self.archive([Member(name: "/tmp/x", data: [1])], at: a("absname.tar.gz"))
        Self.expectRefused(a("absname.tar.gz"), "absolute path", work: work)
        // Hard link, devices, FIFO member.
        try Self.archive([Member(name: "a", data: [1]), Member(name: "b", type: "1", link: "a")], at: a("hard.tar.gz"))
        Self.expectRefused(a("hard.tar.gz"), "hard link", work: work)
        try Self.archive([Member(name: "dev/kmsg", type: "3")], at: a("chr.tar.gz"))
        Self.expectRefused(a("chr.tar.gz"), "device file", work: work)
        try Self.archive([Member(name: "dev/sda", type: "4")], at: a("blk.tar.gz"))
        Self.expectRefused(a("blk.tar.gz"), "device file", work: work)
        try Self.archive([Member(name: "p", type: "6")], at: a("fifomember.tar.gz"))
        Self.expectRefused(a("fifomember.tar.gz"), "FIFO", work: work)
        // The same name twice.
        try Self.archive([Member(name: "a", data: [1]), Member(name: "a", data: [2])], at: a("twice.tar.gz"))
        Self.expectRefused(a("twice.tar.gz"), "appears twice", work: work)
        // Truncated: a member that ends early, and an archive without its end blocks.
        try Self.archive([Member(name: "a", data: [1, 2, 3], size: 4096)], at: a("short.tar.gz"), end: false)
        Self.expectRefused(a("short.tar.gz"), "truncated", work: work)
        let good = a("good.tar.gz")
        try Self.archive((0..<50).map { Member(name: "f\($0)", data: [UInt8](repeating: UInt8($0), count: 3000)) }, at: good)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: a("half.tar.gz")))
        Self.expectRefused(a("half.tar.gz"), "truncated", work: work)
        // Not an archive: text, gzip of text, empty.
        try "not a bundle\n".write(toFile: a("text.tar.gz"), atomically: true, encoding: .utf8)
        Self.expectRefused(a("text.tar.gz"), "not a gzip file", work: work)
        try run(["sh", "-c", "echo 'just some text' | gzip -c > '\(a("textgz.tar.gz"))'"])
        Self.expectRefused(a("textgz.tar.gz"), "not a tar archive", work: work)
        try Data().write(to: URL(fileURLWithPath: a("empty.tar.gz")))
        Self.expectRefused(a("empty.tar.gz"), "empty", work: work)
        Self.expectRefused(a("missing.tar.gz"), "cannot read bundle", work: work)
        // The good one unpacks.
        let out = work + "/ok"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: false)
        try Archive.extract(good, into: out)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).count == 50)
        #expect(FileManager.default.contents(atPath: out + "/f7") == Data(repeating: 7, count: 3000))
    }

    @Test("a long-running tool is killed at its timeout and reaped")
    func timeout() throws {
        let t0 = Date()
        #expect(throws: BundleError.self) { _ = try Subprocess.run("sleep", ["30"], timeout: 1) }
        #expect(Date().timeIntervalSince(t0) < 5)
    }

    @Test("a host with thousands of PCI functions bundles (the member list is not on tar's command line)")
    func manyMembers() throws {
        let work = temporaryDirectory("hostile")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let stage = work + "/stage"
        var names: [String] = []
        let long = String(repeating: "x", count: 120)
        try FileManager.default.createDirectory(atPath: stage + "/d", withIntermediateDirectories: true)
        names.append("d")
        for i in 0..<20_000 {
            let n = "d/\(long)-\(i)"
            FileManager.default.createFile(atPath: stage + "/" + n, contents: nil)
            names.append(n)
        }
        try Archive.create(work + "/b.tar.gz", from: stage, names: names)
        let out = work + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: false)
        try Archive.extract(work + "/b.tar.gz", into: out)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/d").count == 20_000)
    }
}
