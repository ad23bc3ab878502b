import AssureStore
import AssureTestSupport
import Foundation
import XCTest

/// `assure verify --expect HEAD --expect-count N`, and the anchor the minutes, the report and
/// Markdown exports print for it.
final class VerifyCLITests: CLITestCase {
    /// The rows and head `assure verify` prints: "ok: 914 change-log rows, chain intact; head …".
    func verified(file: StaticString = #filePath, line: UInt = #line) throws -> (rows: Int, head: String) {
        let result = try assure("verify")
        assertSucceeds(result, file: file, line: line)
        let match = try XCTUnwrap(
            result.stdout.firstMatch(of: #/^ok: (\d+) change-log rows, chain intact; head ([0-9a-f]{64})\n$/#),
            result.stdout, file: file, line: line)
        return (Int(match.1)!, String(match.2))
    }

    /// The anchor printed in some output: "Change log: 232 rows, head …" (or "change log: " in CSV).
    func anchor(in text: String, file: StaticString = #filePath, line: UInt = #line) throws -> (rows: Int, head: String) {
        let match = try XCTUnwrap(text.firstMatch(of: #/[Cc]hange log: (\d+) rows, head ([0-9a-f]{64})/#), text, file: file, line: line)
        return (Int(match.1)!, String(match.2))
    }

    func sqlite(_ sql: String) throws {
        let result = try runProcess("/usr/bin/sqlite3", [path("larkspur.assure"), sql])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
    }

    func testExpectAndExpectCountCatchDeletedNewestRowsThatTheChainAloneCannot() throws {
        try makeLarkspur()
        let (rows, head) = try verified()
        XCTAssertEqual(rows, 914)

        let matching = try assure("verify", "--expect", head, "--expect-count", String(rows))
        assertSucceeds(matching)
        XCTAssertEqual(matching.stdout, "ok: 914 change-log rows, chain intact; head \(head)\n")
        // Upper case and surrounding spaces are the same hash.
        assertSucceeds(try assure("verify", "--expect", " \(head.uppercased()) "))

        try sqlite("DELETE FROM change_log WHERE id > 230")
        // A shorter chain is still a valid chain; since schema v13 the tables no longer match
        // the state it records (the deleted batch recorded them last), and the anchor says more.
        let shorter = try assure("verify")
        XCTAssertEqual(shorter.exitCode, 1)
        let tables = "; table control does not match the change log (last recorded at row 114): it was changed without a change-log row"
        XCTAssertTrue(shorter.stderr.hasPrefix("assure: verify failed: table "), shorter.stderr)
        XCTAssertTrue(shorter.stderr.contains(String(tables.dropFirst(2))), shorter.stderr)
        let runner = try runProcess("/usr/bin/sqlite3", [path("larkspur.assure"), "SELECT hash FROM change_log WHERE id = 230"])
        let newHead = runner.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(newHead.count, 64)
        XCTAssertNotEqual(newHead, head)

        let byHead = try assure("verify", "--expect", head)
        XCTAssertEqual(byHead.exitCode, 1)
        XCTAssertEqual(byHead.stdout, "")
        XCTAssertTrue(
            byHead.stderr.hasPrefix(
                """
                assure: verify failed: the chain head is \(newHead), expected \(head) \
                (no row has the expected hash: that row and any after it were deleted, or the hash is from another workspace); table
                """), byHead.stderr)
        XCTAssertTrue(byHead.stderr.contains(tables), byHead.stderr)

        let byCount = try assure("verify", "--expect-count", "232")
        XCTAssertEqual(byCount.exitCode, 1)
        XCTAssertTrue(
            byCount.stderr.hasPrefix("assure: verify failed: the change log has 230 rows, expected 232: 2 of the newest were deleted; table "),
            byCount.stderr)

        let both = try assure("verify", "--expect", head, "--expect-count", "232")
        XCTAssertEqual(both.exitCode, 1)
        XCTAssertTrue(both.stderr.contains("230 rows, expected 232: 2 of the newest were deleted; the chain head is \(newHead)"), both.stderr)
    }

    func testAnExpectedHeadWithRowsAfterItSaysHowMany() throws {
        try makeLarkspur()
        let (rows, head) = try verified()
        assertSucceeds(try assure("gap", "open", "--title", "Written after the anchor", "--severity", "low"))
        let (now, _) = try verified()
        XCTAssertGreaterThan(now, rows)
        let result = try assure("verify", "--expect", head, "--expect-count", String(rows))
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertTrue(
            result.stderr.hasPrefix("assure: verify failed: the change log has \(now) rows, expected \(rows): \(now - rows) were written since; "),
            result.stderr)
        XCTAssertTrue(result.stderr.contains("(row \(rows) has the expected hash; \(now - rows) rows were written after it)\n"), result.stderr)
    }

    func testABrokenChainFailsBeforeTheExpectationsAndABadHashIsRefused() throws {
        try makeLarkspur()
        let (rows, head) = try verified()
        try sqlite("UPDATE change_log SET after = 'Mallory' WHERE id = 10")
        let broken = try assure("verify", "--expect", head, "--expect-count", String(rows))
        XCTAssertEqual(broken.exitCode, 1)
        XCTAssertEqual(broken.stderr, "assure: verify failed: row 10 was altered: its content does not match its hash (checked 9 rows before it)\n")

        for bad in ["6d9b42", String(repeating: "g", count: 64), head + "0"] {
            let refused = try assure("verify", "--expect", bad)
            XCTAssertNotEqual(refused.exitCode, 0, bad)
            XCTAssertNotEqual(refused.exitCode, 1, "a usage error, not a failed verification")
            XCTAssertTrue(refused.stderr.contains("--expect takes the full chain head: 64 hexadecimal digits"), refused.stderr)
        }
        let negative = try assure("verify", "--expect-count", "-1")
        XCTAssertNotEqual(negative.exitCode, 0)
    }

    func testMinutesReportAndMarkdownExportsPrintTheAnchorThatVerifies() throws {
        try makeLarkspur()
        assertSucceeds(try assure("meeting", "start", "Readiness review 3", "--attendees", "Dana Kim"))
        assertSucceeds(try assure("gap", "open", "--title", "Badge readers log nothing", "--severity", "high"))
        assertSucceeds(try assure("meeting", "end"))
        let (rows, head) = try verified()
        let line = "Change log: \(rows) rows, head \(head)"

        let minutes = try assure("meeting", "minutes", "1")
        assertSucceeds(minutes)
        XCTAssertTrue(minutes.stdout.contains("- Attendees: Dana Kim\n- \(line)\n\n## Decisions (1)\n"), minutes.stdout)
        let csv = try assure("meeting", "minutes", "1", "--format", "csv")
        assertSucceeds(csv)
        let records = CSV.parse(csv.stdout)
        XCTAssertGreaterThan(records.count, 6, csv.stdout)
        guard records.count > 6 else { return }
        XCTAssertEqual(records.prefix(6).map { $0[0] }, ["Kind", "meeting", "meeting", "meeting", "meeting", "meeting"])
        XCTAssertEqual(records[5], ["meeting", "", "", "change log: \(rows) rows, head \(head)", "", ""])
        XCTAssertEqual(records[6][0], "decision")

        let report = try assure("report", "--format", "md")
        assertSucceeds(report)
        XCTAssertTrue(report.stdout.contains("\n\n\(line)\n\n## Executive summary\n"), report.stdout)
        let html = try assure("report", "--format", "html")
        XCTAssertTrue(html.stdout.contains("<p class=\"meta\">\(line)</p>"), html.stdout)

        for what in ["controls", "gaps"] {
            let markdown = try assure("export", what, "--format", "md")
            assertSucceeds(markdown)
            XCTAssertTrue(markdown.stdout.hasSuffix(" |\n\n\(line)\n"), markdown.stdout)
            // CSV and JSON keep their documented shapes: no anchor.
            let csv = try assure("export", what, "--format", "csv").stdout
            XCTAssertFalse(csv.contains("Change log"))
            XCTAssertTrue(csv.hasPrefix(what == "controls" ? "Reference,Title,Description," : "Rank,Reference,Title,Score,"), csv)
            let json = try assure("export", what, "--format", "json").stdout
            XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
            XCTAssertFalse(json.contains("Change log"))
        }

        // What a report printed is what verify checks against.
        let printed = try anchor(in: report.stdout)
        assertSucceeds(try assure("verify", "--expect", printed.head, "--expect-count", String(printed.rows)))
        try sqlite("DELETE FROM change_log WHERE id = (SELECT max(id) FROM change_log)")
        XCTAssertEqual(try assure("verify", "--expect", printed.head, "--expect-count", String(printed.rows)).exitCode, 1)
    }
}
