import AssureTestSupport
import Foundation
import XCTest
import ZIPFoundation

@testable import AssureStore

/// The evidence package: a deterministic ZIP (manifest, index, each distinct file once), written
/// by streaming and refusing a damaged store; its verifier; and its index in a real browser.
final class EvidencePackageTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("assure-package-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    // MARK: - Fixtures

    /// A file served in `chunk`-byte pieces; `pulls` counts the chunks handed out. Unchecked:
    /// the package writer pulls every chunk on the calling thread, so `pulls` is never shared.
    private final class Source: @unchecked Sendable {
        let data: Data
        let chunk: Int
        var pulls = 0
        init(_ data: Data, chunk: Int) { self.data = data; self.chunk = chunk }

        func file(_ name: String, sha256: String? = nil, size: Int64? = nil) -> PackageFile {
            PackageFile(sha256: sha256 ?? ExportSignature.digest(data), name: name, size: size ?? Int64(data.count)) { [self] in
                var offset = 0
                return {
                    guard offset < self.data.count else { return nil }
                    let piece = self.data.subdata(in: offset..<min(offset + self.chunk, self.data.count))
                    offset += piece.count
                    self.pulls += 1
                    return piece
                }
            }
        }
    }

    private func file(_ name: String, _ text: String) -> PackageFile { Source(Data(text.utf8), chunk: 5).file(name) }

    /// Bytes that do not compress (a fixed xorshift stream), so deflate stores them as they are.
    private func noise(_ count: Int) -> Data {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return Data(
            (0..<count).map { _ in
                state ^= state << 13; state ^= state >> 7; state ^= state << 17
                return UInt8(truncatingIfNeeded: state)
            })
    }

    private func evidence(
        _ id: String, control: String = "AC-01", requirements: [String] = ["soc2:CC6.1"], requests: [String] = [],
        review: String = "accepted", file: PackageFile
    ) -> PackageEvidence {
        PackageEvidence(
            id: id, version: 1, control: control, controlTitle: "Quarterly access review", requirements: requirements,
            requests: requests, provedFrom: "2026-04-01", provedTo: "2026-06-30", addedAt: "2026-07-02T10:00:00Z",
            addedBy: "Dana Kim", review: review, file: file)
    }

    /// Four items: EV-2 and EV-4 share their bytes, EV-3's name has spaces and non-ASCII, PBC-4 is
    /// answered by two of them and PBC-9 by none.
    private func contents(company: String = "Larkspur Health", reversed: Bool = false) -> PackageContents {
        let shared = "policy text, version 3\n"
        var items = [
            evidence("EV-1", file: file("access-review-q2.csv", "user,decision\nana,keep\nbo,remove\n")),
            evidence("EV-2", control: "GV-03", requirements: ["soc2:CC1.3", "soc2:CC6.1"], requests: ["PBC-4"], file: file("policy.pdf", shared)),
            evidence(
                "EV-3", control: "GV-03", requirements: ["soc2:CC1.3"], requests: ["PBC-4"], review: "pending",
                file: file("Zugriffsprüfung Q2 – résumé ✓.txt", "Prüfung bestanden\n")),
            evidence("EV-10", control: "CM-02", requirements: ["soc2:CC8.1"], file: file("policy (copy).pdf", shared)),
        ]
        if reversed { items.reverse() }
        return PackageContents(
            company: company, window: (from: "2026-01-01", to: "2026-06-30"), framework: "soc2",
            chainHead: String(repeating: "ab", count: 32), chainCount: 266, createdAt: "2026-07-03T08:15:00Z", evidence: items,
            requests: [
                PackageRequest(ref: "PBC-4", text: "Access review evidence for Q2", state: "open"),
                PackageRequest(ref: "PBC-9", text: "Org chart", state: "open"),
            ],
            requirementTitles: ["soc2:CC6.1": "Logical access security", "soc2:CC1.3": "Structures and reporting lines"])
    }

    private func write(_ contents: PackageContents, _ name: String = "package.zip") throws -> URL {
        let url = folder.appendingPathComponent(name)
        _ = try EvidencePackage.write(contents, to: url)
        return url
    }

    private func manifest(_ url: URL) throws -> [String: Any] {
        let archive = try Archive(url: url, accessMode: .read)
        var data = Data()
        _ = try archive.extract(try XCTUnwrap(archive["manifest.json"])) { data.append($0) }
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    // MARK: - Writer

    func testLayoutEntriesAndManifest() throws {
        let url = folder.appendingPathComponent("package.zip")
        let summary = try EvidencePackage.write(contents(), to: url)
        XCTAssertEqual(summary.files, 3, "the shared bytes are stored once")
        XCTAssertEqual(summary.evidence, 4)

        let entries = Array(try Archive(url: url, accessMode: .read))
        let paths = entries.map(\.path)
        XCTAssertEqual(Array(paths.prefix(2)), ["manifest.json", "index.html"])
        XCTAssertEqual(Array(paths.dropFirst(2)), paths.dropFirst(2).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        for entry in entries {
            XCTAssertEqual(entry.fileAttributes[.modificationDate] as? Date, Date(timeIntervalSince1970: 315_532_800), entry.path)
            XCTAssertEqual((entry.fileAttributes[.posixPermissions] as? NSNumber)?.uint16Value, 0o644, entry.path)
        }
        XCTAssertTrue(entries[0].isCompressed && entries[1].isCompressed, "the manifest and the index are deflated")
        XCTAssertTrue(entries.dropFirst(2).allSatisfy { !$0.isCompressed }, "evidence files are stored as they are")

        let sha = ExportSignature.digest(Data("policy text, version 3\n".utf8))
        // Of the two names sharing the bytes, the first in order: "policy (copy).pdf".
        XCTAssertTrue(paths.contains("evidence/\(sha.prefix(2))/\(sha)-policy (copy).pdf"), "\(paths)")
        let unicode = try XCTUnwrap(paths.first { $0.hasSuffix("-Zugriffsprüfung Q2 – résumé ✓.txt") }, "\(paths)")

        let m = try manifest(url)
        XCTAssertEqual(m["format"] as? String, "assure-evidence-package/1")
        XCTAssertEqual(m["company"] as? String, "Larkspur Health")
        XCTAssertEqual(m["framework"] as? String, "soc2")
        XCTAssertEqual(m["created_at"] as? String, "2026-07-03T08:15:00Z")
        XCTAssertEqual(m["window"] as? [String: String], ["from": "2026-01-01", "to": "2026-06-30"])
        XCTAssertEqual((m["chain"] as? [String: Any])?["count"] as? Int, 266)
        let files = try XCTUnwrap(m["files"] as? [[String: Any]])
        XCTAssertEqual(files.map { $0["path"] as? String }, Array(paths.dropFirst(2)))
        let evidence = try XCTUnwrap(m["evidence"] as? [[String: Any]])
        XCTAssertEqual(evidence.map { $0["id"] as? String }, ["EV-1", "EV-2", "EV-3", "EV-10"], "in reference order")
        XCTAssertEqual(evidence[1]["path"] as? String, evidence[3]["path"] as? String, "shared bytes, one path")
        XCTAssertEqual(evidence[2]["path"] as? String, unicode)
        XCTAssertEqual(evidence[2]["name"] as? String, "Zugriffsprüfung Q2 – résumé ✓.txt")
        XCTAssertEqual(evidence[2]["requirements"] as? [String], ["soc2:CC1.3"])
        let requests = try XCTUnwrap(m["requests"] as? [[String: Any]])
        XCTAssertEqual(requests.map { $0["ref"] as? String }, ["PBC-4", "PBC-9"])
        XCTAssertEqual(requests[0]["evidence"] as? [String], ["EV-2", "EV-3"])
    }

    func testSameContentsGiveTheSameBytes() throws {
        let first = try write(contents(), "a.zip")
        let second = try write(contents(reversed: true), "b.zip")
        XCTAssertEqual(try Data(contentsOf: first), try Data(contentsOf: second), "input order and time of writing change nothing")
        XCTAssertEqual(
            try EvidencePackage.write(contents(), to: first).sha256,
            ExportSignature.digest(try Data(contentsOf: second)), "the summary's hash is the file's")
    }

    func testFilesAreStreamedInChunks() throws {
        let big = Source(noise(1_000_003), chunk: 7_001)
        let onDisk = folder.appendingPathComponent("stored.bin")
        try noise(200_000).write(to: onDisk)
        var items = contents()
        items.evidence.append(evidence("EV-20", file: big.file("big.bin")))
        items.evidence.append(
            evidence(
                "EV-21",
                file: PackageFile(
                    sha256: ExportSignature.digest(try Data(contentsOf: onDisk)),
                    name: "stored.bin", size: 200_000, contentsOf: onDisk)))
        let url = try write(items, "streamed.zip")
        XCTAssertEqual(big.pulls, 143, "pulled chunk by chunk, each once")
        let archive = try Archive(url: url, accessMode: .read)
        for (suffix, data) in [("-big.bin", big.data), ("-stored.bin", try Data(contentsOf: onDisk))] {
            let entry = try XCTUnwrap(archive.first { $0.path.hasSuffix(suffix) })
            var copy = Data()
            _ = try archive.extract(entry) { copy.append($0) }
            XCTAssertEqual(copy, data, suffix)
        }
    }

    func testADamagedStoreIsRefusedAndNothingIsWritten() throws {
        let url = folder.appendingPathComponent("package.zip")
        func refusal(_ file: PackageFile) -> String {
            var items = contents()
            items.evidence.append(evidence("EV-7", file: file))
            var message = ""
            XCTAssertThrowsError(try EvidencePackage.write(items, to: url)) { message = "\($0)" }
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), [], "no package, no partial file")
            return message
        }
        let bytes = Data("the real bytes".utf8)
        let damaged = refusal(Source(bytes, chunk: 3).file("scan.pdf", sha256: ExportSignature.digest(Data("other".utf8))))
        XCTAssertTrue(damaged.hasPrefix("EV-7 (scan.pdf): the stored bytes hash to \(ExportSignature.digest(bytes))"), damaged)
        XCTAssertTrue(damaged.contains("the evidence store may be damaged"), damaged)
        let short = refusal(Source(bytes, chunk: 3).file("scan.pdf", size: 20))
        XCTAssertTrue(short.hasPrefix("EV-7 (scan.pdf): the stored file has only 14 bytes, not 20"), short)
        let long = refusal(Source(bytes, chunk: 3).file("scan.pdf", size: 10))
        XCTAssertTrue(long.hasPrefix("EV-7 (scan.pdf): the stored file has more than 10 bytes, not 10"), long)
        let gone = refusal(
            PackageFile(
                sha256: ExportSignature.digest(bytes), name: "scan.pdf", size: 14,
                contentsOf: folder.appendingPathComponent("store/missing.pdf")))
        XCTAssertTrue(gone.hasPrefix("EV-7 (scan.pdf): cannot read the stored file: "), gone)
        let badHash = refusal(Source(bytes, chunk: 3).file("scan.pdf", sha256: "../../etc"))
        XCTAssertEqual(badHash, "EV-7 (scan.pdf): '../../etc' is not a SHA-256 in hex")
    }

    func testNamesAreSanitisedButReadable() {
        XCTAssertEqual(EvidencePackage.sanitisedName("Zugriffsprüfung Q2 ✓.pdf"), "Zugriffsprüfung Q2 ✓.pdf")
        XCTAssertEqual(EvidencePackage.sanitisedName("../../etc/passwd"), "_.._etc_passwd")
        XCTAssertEqual(EvidencePackage.sanitisedName("C:\\Users\\x?.txt"), "C__Users_x_.txt")
        XCTAssertEqual(EvidencePackage.sanitisedName(".hidden"), "hidden")
        XCTAssertEqual(EvidencePackage.sanitisedName("report\u{202E}fdp.exe"), "report_fdp.exe", "no right-to-left override")
        XCTAssertEqual(EvidencePackage.sanitisedName("two\nlines\u{0}.txt"), "two_lines_.txt")
        XCTAssertEqual(EvidencePackage.sanitisedName(" .. "), "file")
        XCTAssertEqual(EvidencePackage.sanitisedName("Pru\u{308}fung.txt"), "Prüfung.txt", "NFC, whatever the file system gave")
        let long = EvidencePackage.sanitisedName(String(repeating: "é", count: 200) + ".pdf")
        XCTAssertTrue(long.hasSuffix("é.pdf") && long.utf8.count <= 120, long)
    }

    func testIndexEscapesEverythingUsersTyped() throws {
        var items = contents(company: "<script>alert(1)</script> & \"Co\"")
        items.evidence[0].file.name = "<img src=x onerror=alert(2)>.png"
        items.evidence[0].controlTitle = "a\u{1}b"
        items.requests[0].text = "'><b>bold</b>"
        let html = EvidencePackageIndex.html(items, try PackageLayout(items))
        for raw in ["<script>alert", "<img src=x", "<b>bold", "\u{1}"] { XCTAssertFalse(html.contains(raw), raw) }
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Co&quot;"))
        XCTAssertTrue(html.contains("&#39;&gt;&lt;b&gt;bold&lt;/b&gt;"))
        // The only network-capable things are the page's own links; the CSP allows no fetches at all.
        XCTAssertTrue(html.contains("default-src 'none'"))
        for external in ["http://", "https://", "@import", "url("] { XCTAssertFalse(html.contains(external), external) }
        XCTAssertTrue(html.contains("href=\"evidence/"), "relative links to the files")
        XCTAssertTrue(html.contains("%C3%BC"), "non-ASCII names percent-encoded in links")
    }

    // MARK: - Verifier

    func testAnIntactPackageVerifies() throws {
        let check = try EvidencePackageVerifier.verify(try write(contents()))
        XCTAssertEqual(check.problems, [])
        XCTAssertTrue(check.isIntact)
        XCTAssertEqual(check.files, 4, "three evidence files and index.html")
        XCTAssertEqual(check.evidence, 4)
        XCTAssertEqual(check.chainCount, 266)
        XCTAssertEqual(check.createdAt, "2026-07-03T08:15:00Z")
    }

    func testAFlippedByteNamesItsFile() throws {
        var items = contents()
        items.evidence.append(evidence("EV-30", file: Source(noise(50_000), chunk: 4096).file("export.bin")))
        let url = try write(items)
        let path = try XCTUnwrap(Array(try Archive(url: url, accessMode: .read)).first { $0.path.hasSuffix("-export.bin") }?.path)

        // The entry's data: after its local header (30 bytes), its name and its extra field.
        var bytes = [UInt8](try Data(contentsOf: url))
        let name = Array(path.utf8)
        let header = try XCTUnwrap(
            (0..<bytes.count - 30 - name.count).first { i in
                bytes[i] == 0x50 && bytes[i + 1] == 0x4B && bytes[i + 2] == 3 && bytes[i + 3] == 4
                    && Array(bytes[i + 30..<i + 30 + name.count]) == name
            })
        func le16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        let start = header + 30 + le16(header + 26) + le16(header + 28)
        bytes[start + 25_000] ^= 0xFF
        try Data(bytes).write(to: url)

        let check = try EvidencePackageVerifier.verify(url)
        XCTAssertFalse(check.isIntact)
        XCTAssertEqual(check.problems.count, 1, "\(check.problems)")
        XCTAssertTrue(check.problems[0].hasPrefix("\(path): SHA-256 is "), check.problems[0])
    }

    func testMissingAndUnlistedEntriesAreNamed() throws {
        let url = try write(contents())
        let archive = try Archive(url: url, accessMode: .update)
        let removed = try XCTUnwrap(archive.first { $0.path.hasSuffix("-access-review-q2.csv") })
        try archive.remove(removed)
        let extra = Data("slipped in".utf8)
        try archive.addEntry(with: "evidence/zz/extra.txt", type: .file, uncompressedSize: Int64(extra.count)) { _, _ in extra }

        let check = try EvidencePackageVerifier.verify(url)
        XCTAssertEqual(
            check.problems,
            [
                "\(removed.path): listed in the manifest but missing",
                "evidence/zz/extra.txt: in the ZIP but not listed in the manifest",
            ])
    }

    func testGarbageTruncatedAndForeignZIPsAreRefusedClearly() throws {
        let garbage = folder.appendingPathComponent("garbage.zip")
        try Data("this is not a zip file at all".utf8).write(to: garbage)
        XCTAssertThrowsError(try EvidencePackageVerifier.verify(garbage)) {
            XCTAssertTrue("\($0)".hasPrefix("\(garbage.path): not an evidence package (not a ZIP file, or a truncated one"), "\($0)")
        }
        let whole = try Data(contentsOf: write(contents()))
        let truncated = folder.appendingPathComponent("truncated.zip")
        try whole.prefix(whole.count / 2).write(to: truncated)
        XCTAssertThrowsError(try EvidencePackageVerifier.verify(truncated)) {
            XCTAssertTrue("\($0)".hasPrefix("\(truncated.path): not an evidence package"), "\($0)")
        }
        let foreign = folder.appendingPathComponent("foreign.zip")
        let archive = try Archive(url: foreign, accessMode: .create)
        try archive.addEntry(with: "readme.txt", type: .file, uncompressedSize: Int64(2)) { _, _ in Data("hi".utf8) }
        XCTAssertThrowsError(try EvidencePackageVerifier.verify(foreign)) {
            XCTAssertEqual("\($0)", "\(foreign.path): a ZIP, but not an evidence package: it has no manifest.json")
        }
        XCTAssertThrowsError(try EvidencePackageVerifier.verify(folder.appendingPathComponent("nowhere.zip"))) {
            XCTAssertTrue("\($0)".hasSuffix("nowhere.zip: not an evidence package (no such file)"), "\($0)")
        }
    }

    // MARK: - The index in a browser

    func testIndexLoadsCleanlyInChromiumAndEveryLinkResolves() throws {
        let browser = try Browser.require()
        let unzipped = folder.appendingPathComponent("unzipped")
        try FileManager.default.unzipItem(at: try write(contents()), to: unzipped)
        let index = unzipped.appendingPathComponent("index.html")
        let dump = try Browser.dumpDOM(index, browser: browser)

        XCTAssertTrue(dump.dom.contains("<html lang=\"en\""), "no DOM came back (exit \(dump.exitCode)):\n\(dump.log)")
        XCTAssertTrue(dump.dom.contains("data-ready=\"1\""), "the page's script did not finish:\n\(dump.log)")
        XCTAssertFalse(dump.dom.contains("data-errors="), "page errors: \(dump.dom.prefix(400))")
        XCTAssertEqual(dump.consoleLines, [], "the page writes nothing to the console (CSP violations included)")

        let ids = Set(matches(of: #"\sid="([^"]*)""#, in: dump.dom))
        let targets = matches(of: #"\s(?:href|src)="([^"]*)""#, in: dump.dom)
        XCTAssertGreaterThan(targets.count, 20)
        var files = 0
        for target in targets {
            XCTAssertFalse(target.contains(":"), "\(target): only relative links")
            if target.hasPrefix("#") {
                XCTAssertTrue(ids.contains(String(target.dropFirst())), "\(target): no such anchor")
            } else {
                let path = try XCTUnwrap(target.removingPercentEncoding, target)
                XCTAssertTrue(FileManager.default.fileExists(atPath: unzipped.appendingPathComponent(path).path), "\(target): no such file")
                files += 1
            }
        }
        // Rows: by requirement 5 (EV-2 answers two), by control 4, by request 2, all evidence 4.
        XCTAssertEqual(files, 15, "every evidence row links its file")
        for anchor in ["req-soc2-CC6.1", "control-GV-03", "request-PBC-4", "ev-EV-10-v1"] { XCTAssertTrue(ids.contains(anchor), anchor) }
    }

    private func matches(of pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range(at: 1), in: text)!]).replacingOccurrences(of: "&amp;", with: "&")
        }
    }
}
