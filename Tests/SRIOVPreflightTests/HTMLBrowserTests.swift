import Foundation
@testable import SRIOVPreflight
import Testing

/// The HTML report in a real browser: headless Chromium (Debian's `chromium`) renders fixture reports to PNG
/// in .build/screenshots/ for a person to look at, and prints one to PDF to show that printing unfolds every
/// result. `make html-test` installs Chromium and runs this suite with SRIOV_REQUIRE_BROWSER=1 (then a missing
/// browser is a failure, not a skip); without Chromium a plain `swift test` skips it and says why.
@Suite("HTML report in a browser", .serialized, .enabled(if: Browser.path != nil || Browser.required,
                                                          "chromium not installed: browser screenshots skipped (`make html-test` installs it)"))
struct HTMLBrowserTests {
    static var browser: String? { Browser.path }
    static var required: Bool { Browser.required }
    static let outputDir = Paths.repo + "/.build/screenshots"
    static let window = (width: 1280, height: 2000)

    /// Runs Chromium headless on `page` with `arguments` (a fresh profile, a deadline); returns its time in ms.
    @discardableResult
    static func chromium(_ arguments: [String], page: String) throws -> Double {
        let browser = try #require(browser, "chromium is required (SRIOV_REQUIRE_BROWSER=1) but not installed")
        let profile = temporaryDirectory("chromium-profile")
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let started = Date()
        let r = try run(["/usr/bin/timeout", "-k", "5", "120", browser, "--headless", "--no-sandbox", "--disable-gpu",
                         "--hide-scrollbars", "--no-first-run", "--disable-extensions", "--disable-sync",
                         "--user-data-dir=\(profile)"] + arguments + ["file://" + page])
        #expect(r.status == 0, "chromium exited \(r.status): \(r.err.suffix(2000))")
        return Date().timeIntervalSince(started) * 1000
    }

    /// Width and height from a PNG's IHDR chunk.
    static func pngSize(_ path: String) -> (Int, Int)? {
        guard let d = FileManager.default.contents(atPath: path), d.count > 24,
              Array(d.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { return nil }
        let b = Array(d[16..<24])
        func be(_ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
        return (be(0), be(4))
    }

    /// The pages rendered: a ready host, two not-ready hosts (one with a fix plan), a 4-host fleet, and in
    /// Chinese a not-ready host and the fleet (CJK glyphs from the font fallback: fonts-wqy-microhei).
    static func pages() -> [(name: String, html: String)] {
        [("intel-igb-ready", HTMLReporter(translator: .english).render(GoldenTests.document("intel-igb-ready"))),
         ("no-iommu", HTMLReporter(translator: .english).render(GoldenTests.document("no-iommu"))),
         ("intel-intremap-off", HTMLReporter(translator: .english).render(GoldenTests.document("intel-intremap-off"))),
         ("fleet-4-hosts", FleetHTMLReporter(translator: .english).render(FleetHTMLTests.fourHosts())),
         ("zh_CN-intel-intremap-off", HTMLReporter(translator: PO.zh).render(GoldenTests.document("intel-intremap-off"))),
         ("zh_CN-fleet-4-hosts", FleetHTMLReporter(translator: PO.zh).render(FleetHTMLTests.fourHosts()))]
    }

    @Test("a CJK font is installed for the Chinese pages (fontconfig knows one for lang zh-cn)")
    func cjkFont() throws {
        let fcList = "/usr/bin/fc-list"
        guard FileManager.default.isExecutableFile(atPath: fcList) else {
            #expect(!Self.required, "fc-list (fontconfig) is required with SRIOV_REQUIRE_BROWSER=1")
            return
        }
        let fonts = try run([fcList, ":lang=zh-cn", "family"]).out
        if Self.required { #expect(!fonts.isEmpty, "no CJK font: the Chinese screenshots would show boxes (install fonts-wqy-microhei)") }
        print("CJK fonts: \(fonts.split(separator: "\n").sorted().joined(separator: "; "))")
    }

    @Test("Chromium renders the reports of a ready and of not-ready fixture hosts, and a 4-host fleet, to PNG (and two pages in Chinese)")
    func screenshots() throws {
        try FileManager.default.createDirectory(atPath: Self.outputDir, withIntermediateDirectories: true)
        for (name, html) in Self.pages() {
            let page = "\(Self.outputDir)/\(name).html"
            let png = "\(Self.outputDir)/\(name).png"
            try html.write(toFile: page, atomically: true, encoding: .utf8)
            try? FileManager.default.removeItem(atPath: png)
            let ms = try Self.chromium(["--screenshot=\(png)", "--window-size=\(Self.window.width),\(Self.window.height)"], page: page)
            let size = Self.pngSize(png)
            #expect(size?.0 == Self.window.width && size?.1 == Self.window.height, "\(png): \(String(describing: size))")
            let bytes = (try? FileManager.default.attributesOfItem(atPath: png)[.size] as? Int) ?? 0
            // A blank page compresses to a few kB; a rendered report is far larger.
            #expect(bytes > 50_000, "\(png) is \(bytes) bytes: nothing rendered?")
            print("screenshot: \(png) (\(bytes) bytes, \(Int(ms)) ms)")
        }
    }

    @Test("printing unfolds every result: a passing result's folded evidence is in the PDF")
    func printing() throws {
        try FileManager.default.createDirectory(atPath: Self.outputDir, withIntermediateDirectories: true)
        let doc = GoldenTests.document("intel-igb-ready")
        let page = "\(Self.outputDir)/intel-igb-ready.print.html"
        let pdf = "\(Self.outputDir)/intel-igb-ready.pdf"
        try HTMLReporter().render(doc).write(toFile: page, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: pdf)
        let ms = try Self.chromium(["--print-to-pdf=\(pdf)", "--no-pdf-header-footer"], page: page)
        let data = try #require(FileManager.default.contents(atPath: pdf), "no PDF written")
        #expect(data.starts(with: Array("%PDF-".utf8)))
        print("print: \(pdf) (\(data.count) bytes, \(Int(ms)) ms)")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") else {
            #expect(!Self.required, "pdftotext (poppler-utils) is required with SRIOV_REQUIRE_BROWSER=1")
            print("pdftotext missing (poppler-utils): the PDF's text not checked")
            return
        }
        // Without white space and hyphens: the PDF breaks long codes across lines, at their hyphens too.
        func squeezed(_ s: String) -> String { String(s.filter { !$0.isWhitespace && $0 != "-" }) }
        let text = squeezed(try run(["/usr/bin/pdftotext", pdf, "-"]).out)
        // Only inside folded (closed) details: the finding codes of passing results.
        let folded = doc.results.filter { $0.status == .pass }.map(\.code)
        #expect(folded.count > 10)
        let missing = folded.filter { !text.contains(squeezed($0)) }
        #expect(missing.isEmpty, "\(missing) missing from the printed page: folded results not unfolded")
    }
}

/// The headless browser, when installed; whether the run demands one (`make html-test`).
enum Browser {
    static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let required = ProcessInfo.processInfo.environment["SRIOV_REQUIRE_BROWSER"] == "1"
}
