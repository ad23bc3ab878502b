import AssureModel
import AssureTestSupport
import Foundation
import GRDB
import XCTest

@testable import AssureStore

#if canImport(Glibc)
    import Glibc
#endif

/// Bad input refused where it enters, with the file, row and column (or the argument) named,
/// and nothing written: the change log keeps its length and its chain.
final class BadInputTests: XCTestCase {
    var folder: URL!
    override func setUpWithError() throws { folder = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws {
        _ = chmod(folder.path, 0o755)
        try? FileManager.default.removeItem(at: folder)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The change log's length and head, checked intact.
    func chain(_ workspace: Workspace, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try workspace.read { try $0.verifyChain() }
        XCTAssertTrue(result.isIntact, result.problem ?? "", file: file, line: line)
        return "\(result.rows) \(result.head)"
    }

    func assertRefused<T>(_ expression: @autoclosure () throws -> T, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            XCTAssertEqual("\(error)", message, file: file, line: line)
        }
    }

    func makeWorkspace(_ name: String = "w.assure") throws -> Workspace {
        try Workspace.create(path: path(name), scope: Scope(company: "Acme", categories: [.security]), by: Fixtures.actor("alice"))
    }

    func bytes(_ name: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path(name))) }

    // MARK: - 1. Control characters

    func testStoredTextRuleNamesLineAndColumn() throws {
        XCTAssertNil(StoredText.firstProblem(in: "plain text, é, 日本"))
        XCTAssertNil(StoredText.firstProblem(in: "tab\tand\r\nline breaks\n"))
        let nul = try XCTUnwrap(StoredText.firstProblem(in: "one\r\ntwo\nab\u{0}cd"))
        XCTAssertEqual([nul.line, nul.column, nul.position], [3, 3, 12])
        XCTAssertEqual(nul.code, "U+0000")
        XCTAssertEqual(StoredText.firstProblem(in: "a\u{7F}")?.code, "U+007F")
        XCTAssertEqual(StoredText.firstProblem(in: "a\u{1B}[31m")?.code, "U+001B")
        XCTAssertEqual(
            StoredText.firstProblem(in: "Bob\tX", multiline: false)?.description,
            "control character U+0009 is not allowed (one line of text, without tabs or control characters)")
        XCTAssertEqual(StoredText.firstProblem(in: "a\nb", multiline: false)?.position, 2)
    }

    func testNULInImportedCSVIsRefusedNamingRowAndColumn() throws {
        let workspace = try Fixtures.larkspur()
        let before = try chain(workspace)
        assertRefused(
            try workspace.importCSV("title,severity\nab\0cd,high\n", path: "n.csv", kind: .gaps, by: Fixtures.actor()),
            "n.csv:2:1: column \"title\": control character U+0000 is not allowed (text may hold tabs and line breaks, no other control characters), at character 3 of the cell"
        )
        // A quoted cell spanning lines counts as one row; the escape is in row 3, column 2.
        let csv = "ref,title,description\r\nAC-01,\"Access\nreview\",\"two\r\nlines\tand a tab\"\r\nZZ-09,\"\u{1B}[2Jwiped\",x\r\n"
        assertRefused(
            try workspace.importCSV(csv, path: "c.csv", kind: .controls, by: Fixtures.actor()),
            "c.csv:3:2: column \"title\": control character U+001B is not allowed (text may hold tabs and line breaks, no other control characters), at character 1 of the cell"
        )
        // Even a dry run refuses, and a header cell is named by its row and column.
        assertRefused(
            try workspace.importCSV("ref,ti\u{7}tle\nAC-01,x\n", path: "h.csv", kind: .controls, dryRun: true, by: Fixtures.actor()),
            "h.csv:1:2: control character U+0007 is not allowed (text may hold tabs and line breaks, no other control characters), at character 3 of the cell"
        )
        XCTAssertEqual(try chain(workspace), before)
        // Tabs and line breaks inside a cell are text, and import as before.
        let fine = try workspace.importCSV(
            "ref,description\nAC-01,\"two\nlines\tand a tab\"\n", path: "ok.csv", kind: .controls, by: Fixtures.actor())
        XCTAssertEqual(fine.changes.count, 1, "\(fine.changes)")
        XCTAssertTrue(try workspace.read { try $0.verifyChain() }.isIntact)
    }

    func testRowNumbersCountBlankLines() throws {
        let workspace = try Fixtures.larkspur()
        assertRefused(
            try workspace.importCSV("title,severity\n\nfine,high\n\nbad,extreme\n", path: "b.csv", kind: .gaps, by: Fixtures.actor()),
            "b.csv:5:2: column \"severity\": unknown severity 'extreme'; use critical, high, medium, low")
    }

    static let catalogWithNUL = """
        catalog: 2
        framework:
          id: tiny
          title: "Tiny"
          assessable_level: control
        requirements:
          - ref: T.1
            level: control
            title: "ab\u{0}cd"

        """

    func testControlCharactersInYAMLAreRefusedWithLineAndColumn() throws {
        let workspace = try makeWorkspace()
        let before = try chain(workspace)
        assertRefused(
            try workspace.write(Fixtures.actor()) { try $0.importCatalog(yaml: Self.catalogWithNUL, path: "tiny.yaml") },
            "tiny.yaml:9:15: control character U+0000 is not allowed (text may hold tabs and line breaks, no other control characters)")
        XCTAssertEqual(try chain(workspace), before)
        XCTAssertEqual(try workspace.read { try $0.frameworkSummaries() }.map(\.framework.id), ["soc2"])

        // A sample (assure init --from) leaves no file behind.
        let sample = try Fixtures.sampleText("larkspur-health").replacingOccurrences(of: "\"Larkspur Health\"", with: "\"Larkspur\u{1}Health\"")
        assertRefused(
            try Workspace.create(path: path("sample.assure"), fromYAML: sample, sourcePath: "larkspur.yaml", by: Fixtures.actor()),
            "larkspur.yaml:9:19: control character U+0001 is not allowed (text may hold tabs and line breaks, no other control characters)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("sample.assure")))

        // A control library too.
        let library = "library: 1\ncontrols:\n  - ref: X-01\n    title: \"a\u{1B}]0;pwned\u{7}\"\n    frequency: annual\n"
        assertRefused(
            try LibraryParser.parse(library, path: "lib.yaml"),
            "lib.yaml:4:14: control character U+001B is not allowed (text may hold tabs and line breaks, no other control characters)")
    }

    // MARK: - 2. Due dates

    func testDueDatesOutsideSaneYearsAreRefused() throws {
        let today = Fixtures.fixedDate
        for text in [
            "+1317624576693539402w", "+9223372036854775807d", "+999999999999d", "-9223372036854775808d", "+100001d",
            "+3001m", "+251y", "2201-01-01", "1969-12-31", "0001-01-01", "9999-12-31",
            "+99999999999999999999999999d",
        ] {
            XCTAssertThrowsError(try DueDate.parse(text, today: today), text) { error in
                XCTAssertEqual("\(error)", "'\(text)' is out of range: a due date falls between 1970-01-01 and 2200-12-31")
            }
        }
        XCTAssertEqual(try DueDate.parse("2200-12-31", today: today), "2200-12-31")
        XCTAssertEqual(try DueDate.parse("1970-01-01", today: today), "1970-01-01")
        XCTAssertEqual(try DueDate.parse("+1000w", today: today), "2046-01-19")
        XCTAssertEqual(try DueDate.parse("-5d", today: today), "2026-11-15")
        for text in ["+1e5d", "+ 5d", "++5d", "+-5d", "+5.5d"] {
            XCTAssertThrowsError(try DueDate.parse(text, today: today), text) { error in
                XCTAssertEqual("\(error)", "'\(text)' is not a date: use YYYY-MM-DD, +10d, +2w, +3m, today or eoq")
            }
        }
    }

    func testOutOfRangeDueDatesWriteNothing() throws {
        let workspace = try Fixtures.larkspur()
        let before = try chain(workspace)
        assertRefused(
            try workspace.write(Fixtures.actor()) { try $0.openGap(GapDraft(title: "x", due: "+1317624576693539402w")) },
            "'+1317624576693539402w' is out of range: a due date falls between 1970-01-01 and 2200-12-31")
        assertRefused(
            try workspace.importCSV("title,due\nlate,+999999999999d\n", path: "g.csv", kind: .gaps, by: Fixtures.actor()),
            "g.csv:2:2: column \"due\": '+999999999999d' is out of range: a due date falls between 1970-01-01 and 2200-12-31")
        XCTAssertEqual(try chain(workspace), before)
    }

    // MARK: - 3. Weights

    func testNonFiniteAndAbsurdWeightsAreRefused() throws {
        let workspace = try Fixtures.larkspur()
        let before = try chain(workspace)
        let cases: [(String, Double, String)] = [
            ("critical", 1e19, "1e+19"), ("critical", .infinity, "inf"), ("high", .nan, "nan"), ("overdue", 1000.5, "1000.5"),
            ("effort-xs", 0, "0.0"), ("effort-xl", 1e-300, "1e-300"), ("low", -.infinity, "-inf"),
        ]
        for (name, value, shown) in cases {
            assertRefused(
                try workspace.write(Fixtures.actor()) { try $0.setWeights([name: value]) },
                "weight \(name) must be a number from 0.001 to 1000 (got \(shown))")
        }
        XCTAssertEqual(try chain(workspace), before)
        try workspace.write(Fixtures.actor()) { try $0.setWeights(["critical": 1000, "effort-xs": 0.001]) }
        let weights = try workspace.read { try $0.rankingWeights() }
        XCTAssertEqual(weights.severity[.critical], 1000)
        XCTAssertEqual(weights.effort[.xs], 0.001)
    }

    func testAStoredAbsurdWeightIsReadAsTheDefault() throws {
        let workspace = try Fixtures.larkspur()
        try workspace.write(Fixtures.actor()) { w in
            try w.setSettings([("weight.critical", "inf"), ("weight.high", "nan"), ("weight.overdue", "1e19"), ("weight.effort-m", "7")])
        }
        let weights = try workspace.read { try $0.rankingWeights() }
        var expected = RankingWeights()
        expected.effort[.m] = 7
        XCTAssertEqual(weights.severity, expected.severity)
        XCTAssertEqual(weights.overdueFactor, expected.overdueFactor)
        XCTAssertEqual(weights.effort, expected.effort)
    }

    // MARK: - 4. Workspace paths

    func testADirectoryIsRefused() throws {
        try FileManager.default.createDirectory(atPath: path("folder.assure"), withIntermediateDirectories: false)
        assertRefused(
            try Workspace.open(path: path("folder.assure")),
            "\(path("folder.assure")): not an assure workspace (it is a directory, not a file); nothing was written")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path("folder.assure")), [])
    }

    func testANamedPipeIsRefusedWithoutWaiting() throws {
        let fifo = path("pipe.assure")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // Were the pipe opened, it would block until a writer came: be that writer after a
        // while, so that a regression fails instead of hanging.
        let rescue = PipeRescue(fifo)
        assertRefused(
            try Workspace.open(path: fifo, readOnly: true),
            "\(fifo): not an assure workspace (it is a named pipe, not a file); nothing was written")
        XCTAssertFalse(rescue.stop(), "the pipe was refused without being opened for reading")
    }

    func testASymbolicLinkOpensItsTarget() throws {
        try makeWorkspace("real.assure").close()
        try FileManager.default.createDirectory(atPath: path("links"), withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: path("links/w.assure"), withDestinationPath: "../real.assure")
        let linked = try Workspace.open(path: path("links/w.assure"))
        try linked.write(Fixtures.actor()) { _ = try $0.openGap(GapDraft(title: "Through the link")) }
        try linked.close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("links/w.assure-wal")), "SQLite's files stay by the target")
        let real = try Workspace.open(path: path("real.assure"), readOnly: true)
        XCTAssertEqual(try real.read { try $0.gaps() }.map(\.title), ["Through the link"])
        XCTAssertTrue(try real.read { try $0.verifyChain() }.isIntact)

        try FileManager.default.createSymbolicLink(atPath: path("dangling.assure"), withDestinationPath: "gone.assure")
        assertRefused(
            try Workspace.open(path: path("dangling.assure")),
            "\(path("dangling.assure")): cannot open workspace: it is a symbolic link to a file that does not exist")
    }

    func testANewerUserVersionIsRefusedLikeANewerSchema() throws {
        try makeWorkspace().close()
        let queue = try DatabaseQueue(path: path("w.assure"))
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA user_version = 9") }
        try queue.close()
        let before = try bytes("w.assure")
        for readOnly in [false, true] {
            assertRefused(
                try Workspace.open(path: path("w.assure"), readOnly: readOnly),
                "\(path("w.assure")) was written by a newer assure (schema user_version 9); upgrade assure to open it")
        }
        XCTAssertEqual(try bytes("w.assure"), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("w.assure-wal")))
    }

    // MARK: - 6. Suggestions

    func testAHugeUnknownNameAnswersAtOnce() throws {
        let huge = String(repeating: "x", count: 1 << 20)
        let names = (0..<500).map { "Owner \($0)" }
        // Names over 200 characters get no suggestions, so no edit distance is computed at all
        // (no timing is asserted: the machines are noisy).
        XCTAssertEqual(Suggestions.closest(to: huge, in: names), [])

        let workspace = try Fixtures.larkspur()
        let before = try chain(workspace)
        assertRefused(
            try workspace.write(Fixtures.actor()) { try $0.assign(controls: ["AC-01"], owner: .some(huge)) },
            "unknown owner '\(String(repeating: "x", count: 80))…' (1048576 characters)")
        assertRefused(
            try workspace.write(Fixtures.actor()) { try $0.assign(controls: [huge], owner: .some("Dana Kim")) },
            "unknown control '\(String(repeating: "x", count: 80))…' (1048576 characters)")
        XCTAssertEqual(try chain(workspace), before)
        // Ordinary names still get their suggestions.
        XCTAssertEqual(Suggestions.closest(to: "Dana Kin", in: ["Dana Kim", "Omar Haddad"]), ["Dana Kim"])
        XCTAssertEqual(Suggestions.editDistance("kitten", "sitting"), 3)
        XCTAssertNil(Suggestions.editDistance("kitten", "sitting", atMost: 2))
        XCTAssertNil(Suggestions.editDistance(huge, "x", atMost: 3))
    }

    // MARK: - 7. Read-only opens

    func testAReadOnlyOpenOfAnOlderWorkspaceWritesNothing() throws {
        let fixture = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/v4/larkspur-v4.sqlite")
        try FileManager.default.copyItem(at: fixture, to: folder.appendingPathComponent("old.assure"))
        let before = try bytes("old.assure")
        assertRefused(
            try Workspace.open(path: path("old.assure"), readOnly: true),
            "\(path("old.assure")): cannot open workspace: written by an older assure; open it once writable (without --readonly, e.g. `assure open \(path("old.assure"))`) to upgrade it"
        )
        XCTAssertEqual(try bytes("old.assure"), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".bak-") }, [])
    }

    func testReadingACurrentWorkspaceReadOnlyLeavesItsBytes() throws {
        try makeWorkspace().close()
        let before = try bytes("w.assure")
        let workspace = try Workspace.open(path: path("w.assure"), readOnly: true)
        _ = try workspace.read { r in (try r.verifyChain(), try r.controls(), try r.frameworkSummaries()) }
        assertRefused(try workspace.write(Fixtures.actor()) { try $0.setWeights(["low": 2]) }, "the workspace is open read-only")
        try workspace.close()
        XCTAssertEqual(try bytes("w.assure"), before)
    }

    func testImmutableOpenReadsAClosedWorkspace() throws {
        let workspace = try makeWorkspace()
        try workspace.write(Fixtures.actor()) { _ = try $0.openGap(GapDraft(title: "Seen without -shm")) }
        let expected = try chain(workspace)
        // Immutable reads the file alone: everything must be in it, none in the -wal file.
        try workspace.writer.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try workspace.close()
        try FileManager.default.createDirectory(atPath: path("odd ?#% name"), withIntermediateDirectories: false)
        try FileManager.default.moveItem(atPath: path("w.assure"), toPath: path("odd ?#% name/w.assure"))
        let queue = try Workspace.openImmutable(path("odd ?#% name/w.assure"))
        let immutable = Workspace(path: path("odd ?#% name/w.assure"), writer: queue, readOnly: true)
        XCTAssertEqual(try chain(immutable), expected)
        XCTAssertEqual(try immutable.read { try $0.gaps() }.map(\.title), ["Seen without -shm"])
        try immutable.close()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path("odd ?#% name")), ["w.assure"])
    }
}
