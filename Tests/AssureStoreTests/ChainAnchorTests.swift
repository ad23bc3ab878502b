import AssureModel
import AssureTestSupport
import Foundation
import XCTest

@testable import AssureStore

/// The change-log anchor (row count and head) on minutes, the readiness report and Markdown
/// exports, and Markdown that workspace text cannot break.
final class ChainAnchorTests: XCTestCase {
    let alice = Fixtures.actor("alice")

    /// A small workspace with a fixed clock: its change log is the same rows every time.
    func acme(company: String = "Acme") throws -> Workspace {
        let workspace = try Fixtures.workspace(scope: Scope(company: company), by: alice)
        try workspace.write(alice) { try $0.loadStarterLibrary() }
        try workspace.write(alice) { try $0.addOwner(Owner(name: "Dana Kim")) }
        return workspace
    }

    // MARK: - The anchor

    func testTheAnchorIsTheRowCountAndTheNewestHash() throws {
        let workspace = try acme()
        let (anchor, log, head) = try workspace.read { r in (try r.chainAnchor(), try r.log(), try r.chainHead()) }
        XCTAssertEqual(anchor.rows, log.count)
        XCTAssertEqual(anchor.head, head)
        XCTAssertEqual(anchor.head, log.last?.hash)
        XCTAssertEqual(anchor.line, "Change log: \(log.count) rows, head \(head)")
        XCTAssertEqual(ChainAnchor(rows: 1, head: "ab").line, "Change log: 1 row, head ab")

        // The same rows with the same clock give the same anchor; one more change moves both.
        XCTAssertEqual(try acme().read { try $0.chainAnchor() }, anchor)
        try workspace.write(alice) { try $0.assign(controls: ["AC-05"], owner: .some("Dana Kim")) }
        let after = try workspace.read { try $0.chainAnchor() }
        XCTAssertEqual(after.rows, anchor.rows + 1)
        XCTAssertNotEqual(after.head, anchor.head)
        XCTAssertEqual(after.head.count, 64)
    }

    func testANewWorkspaceWithOneOwnerIsAnchoredAtItsLastRow() throws {
        // Created (workspace, SOC 2 imported, scope, audit kind, the six core policies, the
        // starter risks), then one owner (created, kind): two rows more, ids without a hole.
        let workspace = try Fixtures.workspace(scope: Scope(company: "Acme"), by: alice)
        let created = try workspace.read { try $0.log() }
        XCTAssertEqual(created.filter { $0.entity == "policy" && $0.field == "created" }.count, 6)
        XCTAssertEqual(created.filter { $0.entity == "risk" && $0.field == "created" }.count, 13)
        try workspace.write(alice) { try $0.addOwner(Owner(name: "Dana Kim")) }
        let (anchor, log) = try workspace.read { r in (try r.chainAnchor(), try r.log()) }
        XCTAssertEqual(anchor.rows, created.count + 2)
        XCTAssertEqual(log.map(\.id), Array(1...Int64(created.count + 2)))
        XCTAssertEqual(anchor.head, log.last!.hash)
        XCTAssertEqual(anchor.line, "Change log: \(created.count + 2) rows, head \(log.last!.hash)")
    }

    func testAnEmptyLogIsAnchoredAtTheGenesisHash() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("empty.assure").path
        try Workspace.create(path: path, scope: Scope(company: "Acme"), by: alice).close()
        XCTAssertEqual(try runProcess("/usr/bin/sqlite3", [path, "DELETE FROM change_log"]).exitCode, 0)
        let anchor = try Workspace.open(path: path).read { try $0.chainAnchor() }
        XCTAssertEqual(anchor, ChainAnchor(rows: 0, head: String(repeating: "0", count: 64)))
    }

    func testTheAnchorBelongsToTheSameReadTransactionAsTheData() throws {
        // Two handles on one file: a write from the other one, made while a read transaction is
        // open, shows neither in that transaction's data nor in its anchor.
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("two.assure").path
        let created = try Workspace.create(path: path, scope: Scope(company: "Acme"), by: alice)
        try created.write(alice) { try $0.loadStarterLibrary() }
        try created.close()
        let first = try Workspace.open(path: path)
        let second = try Workspace.open(path: path)
        defer { try? first.close(); try? second.close() }
        let before = try first.read { try $0.chainAnchor() }
        let report = try first.read { r -> ReadinessReport in
            _ = try r.controls()  // the transaction's snapshot starts here
            try second.write(alice) { try $0.openGap(GapDraft(title: "Written meanwhile", severity: .high)) }
            return try r.readinessReport(now: Fixtures.fixedDate, withAnchor: true)
        }
        XCTAssertEqual(report.anchor, before)
        XCTAssertFalse(report.backlog.contains { $0.gap.title == "Written meanwhile" })
        let now = try first.read { try $0.chainAnchor() }
        XCTAssertGreaterThan(now.rows, before.rows, "the next transaction sees the write")
        XCTAssertEqual(now.head, try first.read { try $0.log() }.last?.hash)
    }

    // MARK: - Where it is printed

    func testMinutesCarryTheAnchorInMarkdownAndAsAMeetingRowInCSV() throws {
        let workspace = try acme()
        let meeting = try workspace.write(alice) { try $0.startMeeting(title: "Readiness review 3", attendees: ["Dana Kim"]) }.value
        try workspace.write(alice) { try $0.assign(controls: ["AC-05"], owner: .some("Dana Kim")) }
        try workspace.write(alice) { try $0.endMeeting() }
        let (minutes, anchor) = try workspace.read { r in
            let anchor = try r.chainAnchor()
            return (
                MeetingMinutes.build(
                    meeting: try r.meeting(String(meeting.id)), changes: try r.changes(inMeeting: meeting.id),
                    gaps: try r.gaps(), anchor: anchor), anchor
            )
        }
        XCTAssertEqual(
            minutes.markdown(),
            """
            # Minutes: Readiness review 3

            - Started: 2026-11-20T09:00:00Z by alice
            - Ended: 2026-11-20T09:00:00Z
            - Attendees: Dana Kim
            - Change log: \(anchor.rows) rows, head \(anchor.head)

            ## Decisions (1)

            - 09:00 AC-05 owner: none → Dana Kim (alice)

            ## Action items

            None.

            """)
        XCTAssertEqual(
            minutes.csv(),
            """
            Kind,At,Who,What,Due,Severity\r
            meeting,,,title: Readiness review 3,,\r
            meeting,2026-11-20T09:00:00Z,alice,started,,\r
            meeting,2026-11-20T09:00:00Z,,ended,,\r
            meeting,,,attendees: Dana Kim,,\r
            meeting,,,"change log: \(anchor.rows) rows, head \(anchor.head)",,\r
            decision,2026-11-20T09:00:00Z,alice,AC-05 owner: none → Dana Kim,,\r

            """)
        // Without an anchor the minutes are as before (the first release's shape).
        let plain = MeetingMinutes.build(meeting: minutes.meeting, changes: try workspace.read { try $0.changes(inMeeting: meeting.id) }, gaps: [])
        XCTAssertFalse(plain.markdown().contains("Change log"))
        XCTAssertEqual(CSV.parse(plain.csv()).filter { $0.first == "meeting" }.count, 4)
    }

    func testTheReportCarriesTheAnchorInMarkdownAndHTML() throws {
        let workspace = try Fixtures.larkspur()
        let (report, anchor) = try workspace.read { r in (try r.readinessReport(now: Fixtures.fixedDate, withAnchor: true), try r.chainAnchor()) }
        XCTAssertEqual(report.anchor, anchor)
        XCTAssertEqual(anchor.rows, try workspace.read { try $0.log() }.count)
        let markdown = report.markdown()
        XCTAssertTrue(markdown.contains(".\n\nChange log: \(anchor.rows) rows, head \(anchor.head)\n\n## Executive summary\n"), markdown)
        XCTAssertTrue(
            report.html().contains("<p class=\"meta\">Change log: \(anchor.rows) rows, head \(anchor.head)</p>\n<section class=\"summary\">"))
        // Asked for nothing, the report has no anchor (and is byte for byte its golden).
        let plain = try workspace.read { try $0.readinessReport(now: Fixtures.fixedDate) }
        XCTAssertNil(plain.anchor)
        XCTAssertFalse(plain.markdown().contains("Change log"))
        XCTAssertFalse(plain.html().contains("Change log"))
    }

    func testMarkdownExportsEndWithTheAnchorAndCSVAndJSONKeepTheirShape() throws {
        let workspace = try Fixtures.larkspur()
        let (controls, gaps, anchor) = try workspace.read { r in
            (try r.controlMatrix(), try r.backlog(today: Fixtures.today), try r.chainAnchor())
        }
        for table in [controls, gaps] {
            let markdown = table.markdown(anchor: anchor)
            XCTAssertEqual(markdown, table.markdown() + "\nChange log: \(anchor.rows) rows, head \(anchor.head)\n")
            XCTAssertTrue(markdown.hasPrefix(table.markdown()))
            XCTAssertFalse(table.csv().contains("Change log"))
            XCTAssertFalse(table.json().contains("Change log"))
            XCTAssertTrue(table.json().hasPrefix("[\n  {\n"))
        }
        XCTAssertTrue(
            controls.csv().hasPrefix("Reference,Title,Description,Criteria addressed,Owner,Backup,Status,Frequency,Evidence,Justification\r\n"))
        XCTAssertTrue(gaps.csv().hasPrefix("Rank,Reference,Title,Score,Score parts,Severity,Effort,Status,Owner,Due,Overdue,Control,Criterion\r\n"))
    }

    // MARK: - Markdown safety

    func testMarkdownTextAndCellsNormaliseLineBreaksAndEscapeHTML() {
        XCTAssertEqual(Markdown.text("one\rtwo\r\nthree\nfour"), "one two three four")
        XCTAssertEqual(Markdown.text("<b>Tom & Jerry</b>"), "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;")
        XCTAssertEqual(Markdown.text("a\\b"), "a\\\\b")
        XCTAssertEqual(Markdown.text("&amp;"), "&amp;amp;", "an entity in a title is shown, not decoded")
        XCTAssertEqual(Markdown.cell("x|y\r<z>"), "x\\|y &lt;z&gt;")
        let table = Table(
            columns: [.init("a", "A"), .init("b", "B")],
            rows: [[.text("one\rtwo"), .text("<img src=x onerror=alert(1)> & co")], [.text("a|b\r\nc"), .text(nil)]])
        XCTAssertEqual(
            table.markdown(),
            """
            | A | B |
            | --- | --- |
            | one two | &lt;img src=x onerror=alert(1)&gt; &amp; co |
            | a\\|b c |  |

            """)
    }

    func testHostileTitlesCannotBreakTheMarkdownReportOrExports() throws {
        let workspace = try acme(company: "Evil <script>alert(1)</script>\rCorp")
        let hostile = ["Lone\rcarriage return", "<img src=x onerror=alert(1)> & <b>bold</b>", "Pipe | and\r\nCRLF\nand LF"]
        for title in hostile {
            try workspace.write(alice) { try $0.openGap(GapDraft(title: title, severity: .critical, effort: .xs, owner: "Dana Kim")) }
        }
        let (report, backlog) = try workspace.read { r in
            (try r.readinessReport(now: Fixtures.fixedDate, withAnchor: true).markdown(), try r.backlog(today: Fixtures.today).markdown())
        }
        for markdown in [report, backlog] {
            XCTAssertFalse(markdown.contains("\r"), "no carriage return survives")
            XCTAssertFalse(markdown.contains("<img"), markdown)
            XCTAssertFalse(markdown.contains("<script"), markdown)
            XCTAssertFalse(markdown.contains("<b>"), markdown)
            XCTAssertTrue(markdown.contains("&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"), markdown)
            XCTAssertTrue(markdown.contains("Lone carriage return"), markdown)
            XCTAssertTrue(markdown.contains("Pipe \\| and CRLF and LF"), markdown)
            assertTablesAreRectangular(markdown)
        }
        XCTAssertTrue(report.hasPrefix("# SOC 2 readiness: Evil &lt;script&gt;alert(1)&lt;/script&gt; Corp\n\n"), report)
        // The backlog's first rows are the three critical, extra-small gaps, each on one row.
        let rows = backlog.split(separator: "\n").filter { $0.hasPrefix("| ") }.dropFirst()
        XCTAssertEqual(rows.filter { $0.contains("Lone carriage return") || $0.contains("onerror") || $0.contains("CRLF") }.count, 3)
    }

    /// Every table row has as many unescaped pipes as its header: no value left its cell or row.
    func assertTablesAreRectangular(_ markdown: String, file: StaticString = #filePath, line: UInt = #line) {
        func pipes(_ row: Substring) -> Int {
            var count = 0
            var escaped = false
            for c in row {
                if escaped { escaped = false; continue }
                if c == "\\" { escaped = true } else if c == "|" { count += 1 }
            }
            return count
        }
        var expected: Int?
        for row in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            guard row.hasPrefix("|") else { expected = nil; continue }
            if let expected {
                XCTAssertEqual(pipes(row), expected, String(row), file: file, line: line)
            } else {
                expected = pipes(row)
            }
        }
    }
}
