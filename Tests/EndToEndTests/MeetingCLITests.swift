import AssureStore
import AssureTestSupport
import Foundation
import XCTest

/// `assure meeting list --format` and the minutes through the command line.
final class MeetingCLITests: CLITestCase {
    func json(_ text: String) throws -> [[String: Any]] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]], text)
    }

    func testMeetingListAsJSONCSVAndTable() throws {
        try makeLarkspur()
        assertSucceeds(try assure("meeting", "start", "Readiness review 3", "--attendees", "Dana Kim, Omar Haddad"))

        let open = try assure("meeting", "list", "--format", "json")
        assertSucceeds(open)
        let rows = try json(open.stdout)
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(Set(rows[0].keys), ["id", "title", "attendees", "started_at", "started_by", "ended_at"])
        XCTAssertEqual(rows[0]["id"] as? Int, 1)
        XCTAssertEqual(rows[0]["title"] as? String, "Readiness review 3")
        XCTAssertEqual(rows[0]["attendees"] as? [String], ["Dana Kim", "Omar Haddad"])
        XCTAssertEqual(rows[0]["started_by"] as? String, "tester")
        XCTAssertTrue(rows[0]["ended_at"] is NSNull, open.stdout)
        XCTAssertTrue(open.stdout.contains("\"ended_at\": null"), open.stdout)
        let started = try XCTUnwrap(rows[0]["started_at"] as? String)
        XCTAssertEqual(started.count, 20, started)  // 2026-11-20T09:00:00Z

        let openTable = try assure("meeting", "list")
        assertSucceeds(openTable)
        XCTAssertEqual(
            openTable.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") },
            [
                "# Started Ended Title Attendees",
                "1 \(started) open Readiness review 3 Dana Kim, Omar Haddad",
            ])

        assertSucceeds(try assure("meeting", "end"))
        let ended = try json(try assure("meeting", "list", "--format", "json").stdout)
        let endedAt = try XCTUnwrap(ended[0]["ended_at"] as? String)
        XCTAssertEqual(endedAt.count, 20, endedAt)

        let csv = try assure("meeting", "list", "--format", "csv")
        assertSucceeds(csv)
        XCTAssertEqual(
            csv.stdout,
            "#,Title,Attendees,Started,Started by,Ended\r\n1,Readiness review 3,\"Dana Kim, Omar Haddad\",\(started),tester,\(endedAt)\r\n")

        let bad = try assure("meeting", "list", "--format", "xml")
        XCTAssertNotEqual(bad.exitCode, 0)
    }

    func testMinutesThroughTheCommandLineCarryTheMeetingAndNotApplicableReasons() throws {
        try makeLarkspur()
        assertSucceeds(try assure("meeting", "start", "Readiness review 3", "--attendees", "Dana Kim, Omar Haddad"))
        assertSucceeds(try assure("control", "set-status", "DP-08", "not-applicable", "--justification", "No email-borne customer data"))
        assertSucceeds(try assure("meeting", "end"))
        let meeting = try XCTUnwrap(try json(try assure("meeting", "list", "--format", "json").stdout).first)
        let (started, endedAt) = (try XCTUnwrap(meeting["started_at"] as? String), try XCTUnwrap(meeting["ended_at"] as? String))

        let csv = try assure("meeting", "minutes", "1", "--format", "csv")
        assertSucceeds(csv)
        let records = CSV.parse(csv.stdout)
        XCTAssertEqual(
            Array(records.prefix(5)),
            [
                ["Kind", "At", "Who", "What", "Due", "Severity"],
                ["meeting", "", "", "title: Readiness review 3", "", ""],
                ["meeting", started, "tester", "started", "", ""],
                ["meeting", endedAt, "", "ended", "", ""],
                ["meeting", "", "", "attendees: Dana Kim, Omar Haddad", "", ""],
            ])
        XCTAssertEqual(
            records.dropFirst(6).map { "\($0[0]) \($0[2]) \($0[3])" },
            [
                "decision tester DP-08 status: not-started → not-applicable",
                "decision tester DP-08 not applicable: No email-borne customer data",
            ])

        let markdown = try assure("meeting", "minutes", "Readiness review 3")
        assertSucceeds(markdown)
        XCTAssertTrue(markdown.stdout.contains(" DP-08 not applicable: No email-borne customer data (tester)\n"), markdown.stdout)
    }
}
