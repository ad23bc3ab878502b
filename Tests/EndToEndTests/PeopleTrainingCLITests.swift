import AssureModel
import AssureStore
import AssureTestSupport
import Foundation
import XCTest

/// The personnel list and training through the built binary. The binary's clock is the real
/// one, so the dates here are counted from today.
final class PeopleTrainingCLITests: CLITestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        assertSucceeds(try assure("init", "acme.assure", "--company", "Acme"))
        assertSucceeds(try assure("owner", "add", "Dana Kim", "--handle", "dana@acme.example"))
    }

    /// Today plus `days` (negative for the past), `YYYY-MM-DD` in UTC as the binary counts.
    func day(_ days: Int) -> String { TrainingRules.addDays(days, to: Timestamps.day(Date()))! }

    func write(_ name: String, _ text: String) throws { try text.write(toFile: path(name), atomically: true, encoding: .utf8) }

    func json(_ arguments: String...) throws -> [[String: Any]] {
        let result = try runProcess(
            Self.binary, arguments + ["--format", "json"],
            environment: ["PATH": "/usr/bin:/bin", "HOME": folder.path, "ASSURE_USER": "tester", "TMPDIR": folder.path, "LANG": "C.UTF-8"],
            currentDirectory: folder.path)
        assertSucceeds(result)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]], result.stdout)
    }

    func changes() throws -> String { try assure("verify").stdout }

    var hrExport: String {
        """
        Full Name,Work Email,Dept,Start,Leaving,Manager
        Jo Park,jo@acme.example,Engineering,\(day(-3)),,Dana Kim
        Sam Ortiz,sam@acme.example,Support,2023-04-01,\(day(-5)),Dana Kim
        Kim Lee,kim@acme.example,Engineering,\(day(10)),,Dana Kim
        dana kim,,Security,2020-01-06,,

        """
    }

    func testImportDryRunThenForRealThenAgain() throws {
        try write("hr.csv", hrExport)
        let before = try changes()
        let dry = try assure("people", "import", "hr.csv", "--map", "name=Full Name", "--map", "Dept=team", "--map", "end=Leaving", "--dry-run")
        assertSucceeds(dry)
        XCTAssertTrue(dry.stdout.contains("row 2: added Jo Park: email jo@acme.example, team Engineering, start \(day(-3))"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("row 5: updated Dana Kim: team none -> Security, start none -> 2020-01-06"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("ignored columns: Manager"), dry.stdout)
        XCTAssertTrue(
            dry.stdout.contains("hr.csv: 3 added, 1 updated, 0 unchanged; 0 people not in the file were left alone (dry run: nothing written)"),
            dry.stdout)
        XCTAssertEqual(try changes(), before, "a dry run writes nothing")
        XCTAssertEqual(try json("people").map { $0["name"] as? String }, ["Dana Kim"])

        let real = try assure("people", "import", "hr.csv", "--map", "name=Full Name,Dept=team,end=Leaving")
        assertSucceeds(real)
        XCTAssertTrue(real.stdout.hasSuffix("hr.csv: 3 added, 1 updated, 0 unchanged; 0 people not in the file were left alone\n"), real.stdout)
        let people = try json("people")
        XCTAssertEqual(people.map { $0["name"] as? String }, ["Dana Kim", "Jo Park", "Kim Lee", "Sam Ortiz"])
        let sam = try XCTUnwrap(people.first { $0["name"] as? String == "Sam Ortiz" })
        XCTAssertEqual(sam["end"] as? String, day(-5))
        XCTAssertEqual(sam["owner"] as? Bool, false)
        XCTAssertEqual(sam["source"] as? String, "hr.csv")
        XCTAssertEqual(people.first?["owner"] as? Bool, true)
        XCTAssertEqual(
            try json("people", "--active-on", day(0)).map { $0["name"] as? String }, ["Dana Kim", "Jo Park"],
            "the leaver and the one not started yet are not active today")

        let again = try assure("people", "import", "hr.csv", "--map", "name=Full Name,Dept=team,end=Leaving")
        XCTAssertEqual(again.stdout, "ignored columns: Manager\nhr.csv: 0 added, 0 updated, 4 unchanged; 0 people not in the file were left alone\n")

        let table = try assure("people").stdout.split(separator: "\n")
        XCTAssertEqual(table.first?.split(separator: " "), ["Name", "Email", "Team", "Start", "End", "Owner", "Source"])
        XCTAssertEqual(table.count, 5)
    }

    func testABadRowRefusesTheFileWithRowAndColumn() throws {
        try write("bad.csv", "name,email,start\nJo Park,jo@acme.example,2026-11-02\nSam Ortiz,sam@acme.example,2026-02-30\n")
        let before = try changes()
        for arguments in [
            ["people", "import", "bad.csv"],
            ["people", "import", "bad.csv", "--map", "team=Department"],
            ["people", "import", "missing.csv"],
            ["people", "add", "Ana Diaz", "--start", "tomorrow"],
            ["people", "edit", "Nobody", "--team", "x"],
            ["people", "edit", "Dana Kim"],
        ] {
            let result = try assure(arguments)
            XCTAssertNotEqual(result.exitCode, 0, arguments.joined(separator: " "))
            XCTAssertTrue(result.stderr.hasPrefix("Error: "), result.stderr)
        }
        XCTAssertEqual(
            try assure(["people", "import", "bad.csv"]).stderr,
            "Error: bad.csv:3:3: column \"start\": '2026-02-30' is not a date: use YYYY-MM-DD\n")
        XCTAssertEqual(
            try assure(["people", "import", "bad.csv", "--map", "team=Department"]).stderr,
            "Error: bad.csv:1:1: --map team=Department: the file has no column \"Department\"; its columns: name, email, start\n")
        XCTAssertEqual(try changes(), before, "nothing was written")
        XCTAssertEqual(try json("people").count, 1)
    }

    func testTrainingFromCourseToOverdue() throws {
        try write("hr.csv", hrExport)
        assertSucceeds(try assure("people", "import", "hr.csv", "--map", "name=Full Name,Dept=team,end=Leaving"))
        let added = try assure("training", "add", "Security awareness")
        XCTAssertEqual(added.stdout, "TRN-1: Security awareness (annual, for all, 30 days' grace)\n")
        assertSucceeds(try assure("training", "add", "Secure coding", "--audience", "engineering", "--grace-days", "0", "--cadence", "once"))

        // An old completion: the annual retake is overdue.
        assertSucceeds(try assure("training", "record", "security", "--person", "dana", "--date", day(-400)))
        let future = try assure("training", "record", "TRN-1", "--person", "Jo Park", "--date", day(1))
        XCTAssertNotEqual(future.exitCode, 0)
        XCTAssertTrue(future.stderr.contains("is in the future"), future.stderr)
        let stranger = try assure("training", "record", "TRN-1", "--person", "Nobody", "--date", day(0))
        XCTAssertNotEqual(stranger.exitCode, 0)
        XCTAssertTrue(stranger.stderr.contains("unknown person 'Nobody'"), stranger.stderr)

        let rows = try json("training")
        XCTAssertEqual(
            rows.map {
                "\($0["course"] as? String ?? "") \($0["person"] as? String ?? "") \($0["due"] as? String ?? "-") \($0["state"] as? String ?? "")"
            },
            [
                "TRN-1 Dana Kim \(ReviewCadence.annual.nextDue(after: day(-400))!) overdue",
                "TRN-1 Jo Park \(day(30)) due",  // grace counted from the course's creation today, after Jo's start
                "TRN-2 Jo Park \(day(0)) due",  // a grace of 0: due today, not yet overdue
            ], "the leaver and the one not started yet owe nothing; Dana is not an engineer")
        XCTAssertEqual(rows[0]["last_completed"] as? String, day(-400))
        XCTAssertEqual(try json("training", "--overdue").map { $0["person"] as? String }, ["Dana Kim"])
        XCTAssertEqual(try json("training", "secure").count, 1)
        XCTAssertEqual(try json("training", "courses").map { $0["overdue"] as? Int }, [1, 0])

        try write("certificate.pdf", "completed: security awareness")
        let recorded = try assure("training", "record", "security", "--person", "dana", "--date", day(-1), "--evidence", path("certificate.pdf"))
        assertSucceeds(recorded)
        XCTAssertTrue(recorded.stdout.hasPrefix("TRN-1: Dana Kim completed it on \(day(-1)) (certificate.pdf, sha256 "), recorded.stdout)
        let dana = try XCTUnwrap(try json("training", "TRN-1").first)
        XCTAssertEqual(dana["state"] as? String, "done")
        XCTAssertEqual(dana["evidence"] as? String, "certificate.pdf")
        XCTAssertEqual(dana["due"] as? String, ReviewCadence.annual.nextDue(after: day(-1)))
        let table = try assure("training")
        XCTAssertTrue(table.stdout.hasSuffix("3 owed: 1 done, 2 due\n"), table.stdout)
        let courses = try json("training", "courses")
        XCTAssertEqual(courses.map { $0["overdue"] as? Int }, [0, 0])
        XCTAssertEqual(courses.map { $0["audience"] as? String }, ["all", "engineering"])

        // Jo leaves; a finished one-off course stays done.
        assertSucceeds(try assure("people", "edit", "Jo", "--end", day(-1)))
        XCTAssertEqual(try json("training").map { $0["person"] as? String }, ["Dana Kim"])
        let edit = try assure("training", "edit", "TRN-2", "--audience", "all", "--title", "Secure development")
        XCTAssertEqual(edit.stdout, "TRN-2: Secure development (once, for all, 0 days' grace); changed title, audience\n")

        let log = try assure("log", "--format", "json").stdout
        XCTAssertTrue(log.contains("\"Dana Kim on \(day(-1)) (certificate.pdf, sha256 "), "completions are on the change log")
        assertSucceeds(try assure("verify"))
    }

    func assure(_ arguments: [String]) throws -> ProcessResult {
        try runProcess(
            Self.binary, arguments,
            environment: [
                "PATH": "/usr/bin:/bin", "HOME": folder.path, "ASSURE_USER": "tester",
                "TMPDIR": folder.path, "LANG": "C.UTF-8",
            ], currentDirectory: folder.path)
    }
}
