import AssureTestSupport
import Foundation
import XCTest

/// `assure verify` checks the tables against the state the change log records: an edit made
/// in the sqlite3 shell, with no change-log row, fails it and names the table.
final class VerifyTablesCLITests: CLITestCase {
    @discardableResult
    func sqlite(_ sql: String) throws -> String {
        let result = try runProcess("/usr/bin/sqlite3", [path("larkspur.assure"), sql])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The change-log row that last recorded `table`'s digest.
    func lastRecorded(_ table: String) throws -> Int {
        try XCTUnwrap(Int(sqlite("SELECT max(id) FROM change_log WHERE ';' || state LIKE '%;\(table)=%'")))
    }

    func assertVerifyFails(naming tables: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try tables.map {
            "table \($0) does not match the change log (last recorded at row \(try lastRecorded($0))): it was changed without a change-log row"
        }
        let result = try assure("verify")
        XCTAssertEqual(result.exitCode, 1, file: file, line: line)
        XCTAssertEqual(result.stdout, "", file: file, line: line)
        XCTAssertEqual(result.stderr, "assure: verify failed: \(expected.joined(separator: "; "))\n", file: file, line: line)
    }

    func testAWorkspaceVerifiesAfterCLIWritesAndAMeeting() throws {
        try makeLarkspur()
        assertSucceeds(try assure("verify"))
        assertSucceeds(try assure("meeting", "start", "Readiness review 3", "--attendees", "Dana Kim"))
        assertSucceeds(try assure("gap", "open", "--title", "Badge readers log nothing", "--severity", "high"))
        assertSucceeds(try assure("meeting", "end"))
        let result = try assure("verify")
        assertSucceeds(result)
        XCTAssertTrue(result.stdout.hasPrefix("ok: "), result.stdout)
        XCTAssertTrue(result.stdout.contains(" change-log rows, chain intact; head "), result.stdout)
    }

    func testAnUpdateInTheSqliteShellIsCaughtAndVerifyWritesNothing() throws {
        try makeLarkspur()
        assertSucceeds(try assure("gap", "open", "--title", "Badge readers log nothing", "--severity", "high"))
        try sqlite("UPDATE gap SET status = 'risk-accepted', justification = 'nobody will look' WHERE title = 'Badge readers log nothing'")
        let before = FileManager.default.contents(atPath: path("larkspur.assure"))
        try assertVerifyFails(naming: ["gap"])
        // Read-only: the file is byte for byte the same, and nothing waits in a WAL (SQLite may
        // leave an empty one behind for readers).
        XCTAssertEqual(FileManager.default.contents(atPath: path("larkspur.assure")), before, "verify is read-only")
        XCTAssertEqual(FileManager.default.contents(atPath: path("larkspur.assure-wal"))?.count ?? 0, 0)
    }

    func testADeleteAndAnInsertAreCaughtTableByTable() throws {
        try makeLarkspur()
        try sqlite("INSERT INTO owner (name, role) VALUES ('Mallory', 'Intruder')")
        try sqlite("DELETE FROM risk WHERE id = (SELECT max(id) FROM risk)")
        try assertVerifyFails(naming: ["owner", "risk"])
    }

    func testForgingTheRecordedDigestBreaksTheChainInstead() throws {
        try makeLarkspur()
        let row = try lastRecorded("gap")
        try sqlite("UPDATE gap SET severity = 'low'")
        try sqlite(
            "UPDATE change_log SET state = replace(state, substr(state, instr(';' || state, ';gap=') + 4, 64), '\(String(repeating: "0", count: 64))') WHERE id = \(row)"
        )
        let result = try assure("verify")
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertTrue(result.stderr.hasPrefix("assure: verify failed: row \(row) was altered: its content does not match its hash"), result.stderr)
    }

    func testTableProblemsComeWithTheAnchorsProblems() throws {
        try makeLarkspur()
        let ok = try assure("verify")
        let match = try XCTUnwrap(ok.stdout.firstMatch(of: #/^ok: (\d+) change-log rows, chain intact; head ([0-9a-f]{64})\n$/#), ok.stdout)
        let (rows, head) = (Int(match.1)!, String(match.2))
        assertSucceeds(try assure("verify", "--expect", head, "--expect-count", String(rows)))
        try sqlite("UPDATE control SET title = 'Renamed quietly' WHERE id = 1")
        let result = try assure("verify", "--expect", head, "--expect-count", String(rows))
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(
            result.stderr,
            """
            assure: verify failed: table control does not match the change log (last recorded at row \(try lastRecorded("control"))): \
            it was changed without a change-log row

            """)
    }
}
