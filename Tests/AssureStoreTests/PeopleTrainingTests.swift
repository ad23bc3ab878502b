import AssureModel
import AssureTestSupport
import Foundation
import GRDB
import XCTest

@testable import AssureStore

/// The personnel list (owners plus imported people) and security training, on a workspace in
/// memory at the fixed test time (2026-11-20).
final class PeopleTrainingTests: XCTestCase {
    var workspace: Workspace!
    let alice = Fixtures.actor("alice")
    var folder: URL!

    override func setUpWithError() throws {
        folder = try Fixtures.temporaryDirectory()
        workspace = try Fixtures.workspace(scope: Scope(company: "Acme", categories: [.security]), by: alice)
        try workspace.write(alice) { w in
            try w.addOwner(Owner(name: "Dana Kim", handle: "dana@acme.example", role: "Head of Security"))
            try w.addOwner(Owner(name: "Omar Haddad", role: "SRE Lead"))
            try w.addOwner(Owner(name: "Platform", kind: .team))
        }
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    let firstFile = """
        Full Name,E-mail,Department,Start Date,End Date,Manager
        dana kim,,Security,,,Omar
        Jo Park,jo@acme.example,Engineering,2026-11-02,,Dana
        Sam Ortiz,sam@acme.example,Support,2023-04-01,2026-11-13,Dana
        Lee Chen,lee@acme.example,engineering,2021-02-01,,Dana

        """

    @discardableResult
    func importCSV(_ text: String, path: String = "people.csv", map: [String] = [], dryRun: Bool = false) throws -> PeopleImportResult {
        try workspace.importPeopleCSV(text, path: path, map: map, dryRun: dryRun, by: alice)
    }

    func people() throws -> [Person] { try workspace.read { try $0.people() } }

    func log(entity: String) throws -> [String] {
        try workspace.read { try $0.log() }.filter { $0.entity == entity }
            .map { "\($0.ref) \($0.field) \($0.before ?? "-") -> \($0.after ?? "-")" }
    }

    /// Everything a people or training write could touch.
    func snapshot() throws -> String {
        try workspace.read { r in
            var text = ""
            for table in ["person", "training_course", "training_record", "blob", "change_log", "owner"] {
                let rows = try Row.fetchAll(r.db, sql: "SELECT * FROM \(table) ORDER BY 1")
                text += "\(table):\(rows.map(\.description).joined(separator: "\n"))\n"
            }
            return text
        }
    }

    func assertRefused(_ message: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) throws {
        let before = try snapshot()
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual("\(error)", message, file: file, line: line)
        }
        XCTAssertEqual(try snapshot(), before, "a refused write changed the workspace", file: file, line: line)
    }

    // MARK: - People

    func testOwnersArePeopleAndTeamsAreNot() throws {
        XCTAssertEqual(try people().map(\.name), ["Dana Kim", "Omar Haddad"])
        XCTAssertEqual(try people().map(\.source), ["owner", "owner"])
        XCTAssertTrue(try people().allSatisfy(\.isOwner))
    }

    func testImportAddsUpdatesEnrichesOwnersAndLeavesOthersAlone() throws {
        let result = try importCSV(firstFile)
        XCTAssertEqual(result.summary, "people.csv: 3 added, 1 updated, 0 unchanged; 1 person not in the file was left alone")
        XCTAssertEqual(result.ignoredColumns, ["Manager"])
        XCTAssertEqual(result.added.map(\.name), ["Jo Park", "Sam Ortiz", "Lee Chen"])
        XCTAssertEqual(result.updated.map(\.name), ["Dana Kim"], "a row with an owner's name enriches the owner, spelled as the owner is")
        XCTAssertEqual(result.updated[0].line, 2)

        let byName = Dictionary(uniqueKeysWithValues: try people().map { ($0.name, $0) })
        XCTAssertEqual(byName.keys.sorted(), ["Dana Kim", "Jo Park", "Lee Chen", "Omar Haddad", "Sam Ortiz"])
        XCTAssertEqual(byName["Dana Kim"], Person(name: "Dana Kim", team: "Security", isOwner: true, source: "people.csv"))
        XCTAssertEqual(
            byName["Sam Ortiz"],
            Person(
                name: "Sam Ortiz", email: "sam@acme.example", team: "Support", startedOn: "2023-04-01",
                endedOn: "2026-11-13", isOwner: false, source: "people.csv"))
        XCTAssertEqual(byName["Omar Haddad"]?.source, "owner")
        XCTAssertEqual(
            try workspace.read { try $0.people(activeOn: "2026-11-20") }.map(\.name),
            ["Dana Kim", "Jo Park", "Lee Chen", "Omar Haddad"], "the leaver is not active")
        XCTAssertEqual(
            try workspace.read { try $0.people(activeOn: "2026-11-01") }.map(\.name),
            ["Dana Kim", "Lee Chen", "Omar Haddad", "Sam Ortiz"], "the new hire had not started")

        let rows = try log(entity: "person")
        XCTAssertEqual(
            rows.filter { $0.hasPrefix("Sam Ortiz") },
            [
                "Sam Ortiz created - -> Sam Ortiz", "Sam Ortiz source - -> people.csv", "Sam Ortiz email - -> sam@acme.example",
                "Sam Ortiz team - -> Support", "Sam Ortiz started_on - -> 2023-04-01", "Sam Ortiz ended_on - -> 2026-11-13",
            ])
        XCTAssertEqual(
            rows.filter { $0.hasPrefix("Dana Kim") },
            ["Dana Kim created - -> Dana Kim", "Dana Kim source - -> people.csv", "Dana Kim team - -> Security"])
        XCTAssertEqual(Set(try workspace.read { try $0.log() }.filter { $0.entity == "person" }.map(\.batch)).count, 1, "one import, one batch")

        // A second file: matched by name in any case, failing that by email; an empty cell keeps the value.
        let second = try importCSV(
            """
            name,email,team,start,end
            Jo Park,jo@acme.example,Engineering,2026-11-02,
            Samuel Ortiz,SAM@acme.example,Support,,
            LEE CHEN,lee@acme.example,Platform,,
            """, path: "/tmp/hr/q4.csv")
        XCTAssertEqual(second.summary, "q4.csv: 0 added, 1 updated, 2 unchanged; 2 people not in the file were left alone")
        XCTAssertEqual(second.updated.first?.fields, [PersonChange.Field(field: "team", before: "engineering", after: "Platform")])
        let sam = try XCTUnwrap(second.changes.first { $0.line == 3 })
        XCTAssertEqual(sam.name, "Sam Ortiz", "the workspace keeps its spelling")
        XCTAssertTrue(sam.matchedByEmail)
        XCTAssertEqual(sam.kind, .unchanged, "an empty end cell does not bring the leaver back")
        XCTAssertEqual(try people().first { $0.name == "Sam Ortiz" }?.endedOn, "2026-11-13")
        XCTAssertEqual(try log(entity: "person").last, "Lee Chen team engineering -> Platform")
    }

    func testAnOwnersEmailHandleMatchesARow() throws {
        let result = try importCSV("name,email,team\nDana K.,DANA@acme.example,Security\n")
        XCTAssertEqual(result.updated.map(\.name), ["Dana Kim"])
        XCTAssertTrue(result.updated[0].matchedByEmail)
        XCTAssertEqual(try people().first { $0.name == "Dana Kim" }?.email, "DANA@acme.example", "stored as the file gives it")
    }

    func testDryRunReportsTheSameAndWritesNothing() throws {
        let before = try snapshot()
        let dry = try importCSV(firstFile, dryRun: true)
        XCTAssertTrue(dry.dryRun)
        XCTAssertEqual(try snapshot(), before)
        let real = try importCSV(firstFile)
        XCTAssertEqual(dry.changes, real.changes)
        XCTAssertEqual(dry.summary, real.summary)
    }

    func testMapNamesOtherHeadersEitherWayRound() throws {
        let result = try importCSV(
            "Employee,Division,Joined\nJo Park,Eng,2026-11-02\n",
            map: ["name=Employee", "Division=team", "start=joined"])
        XCTAssertEqual(result.added.map(\.name), ["Jo Park"])
        XCTAssertEqual(
            try people().first { $0.name == "Jo Park" }, Person(name: "Jo Park", team: "Eng", startedOn: "2026-11-02", source: "people.csv"))
    }

    func testABadRowRefusesTheWholeFileNamingRowAndColumn() throws {
        try importCSV(firstFile)
        let cases: [(String, [String], String)] = [
            (
                "name,start\nAna Diaz,2026-01-01\nJo,2026-13-01\n", [],
                "bad.csv:3:2: column \"start\": '2026-13-01' is not a date: use YYYY-MM-DD"
            ),
            ("name,start\nJo,1/2/2026\n", [], "bad.csv:2:2: column \"start\": '1/2/2026' is not a date: use YYYY-MM-DD"),
            ("name,team\n,Eng\n", [], "bad.csv:2:1: column \"name\": a person needs a name"),
            ("name\nAna Diaz\nana diaz\n", [], "bad.csv:3:1: column \"name\": ana diaz is already on row 2; a person appears once"),
            (
                "name,email\nSam O,sam@acme.example\nSam Ortiz,\n", [],
                "bad.csv:3:1: column \"name\": Sam Ortiz is already named on row 2; a person appears once"
            ),
            (
                "name\nAna\tDiaz\n", [],
                "bad.csv:2:1: column \"name\": control character U+0009 is not allowed (one line of text, without tabs or control characters)"
            ),
            ("name,start,end\nAna Diaz,2026-05-01,2026-04-01\n", [], "bad.csv:2:3: column \"end\": ends (2026-04-01) before starting (2026-05-01)"),
            ("name,end\nSam Ortiz,2022-01-01\n", [], "bad.csv:2:2: column \"end\": Sam Ortiz would end (2022-01-01) before starting (2023-04-01)"),
            ("name,email\nAna Diaz,ana at acme\n", [], "bad.csv:2:2: column \"email\": 'ana at acme' is not an email address (name@domain)"),
            (
                "Full Name\nAna Diaz\n", ["name=Full Nme"],
                "bad.csv:1:1: --map name=Full Nme: the file has no column \"Full Nme\"; its columns: Full Name"
            ),
            (
                "Full Name\nAna Diaz\n", ["nickname=Full Name"],
                "bad.csv:1:1: --map nickname=Full Name: no such field; fields: name, email, team, start, end"
            ),
            ("who,email\nAna Diaz,a@b.c\n", [], "bad.csv:1:1: no column gives the name; its columns: who, email (use --map name=\"Your header\")"),
            ("name,Full Name\nA,B\n", [], "bad.csv:1:2: columns \"name\" and \"Full Name\" both give the name; map one with --map"),
            ("", [], "bad.csv:1:1: the file is empty"),
        ]
        for (text, map, message) in cases {
            try assertRefused(message) { try importCSV(text, path: "bad.csv", map: map) }
        }
        // A control character other than a tab is caught by the strict reader, naming the cell.
        let before = try snapshot()
        XCTAssertThrowsError(try importCSV("name\nAna\u{1B}[2JDiaz\n", path: "bad.csv")) { error in
            XCTAssertTrue("\(error)".hasPrefix("bad.csv:2:1: column \"name\": control character U+001B"), "\(error)")
        }
        XCTAssertEqual(try snapshot(), before)
    }

    func testAddAndEditByHand() throws {
        let added = try workspace.write(alice) {
            try $0.addPerson(PersonRow(name: "Jo Park", email: "jo@acme.example", team: "Engineering", startedOn: "2026-11-02"))
        }.value
        XCTAssertEqual(added.kind, .added)
        XCTAssertEqual(try people().first { $0.name == "Jo Park" }?.source, "manual")
        try assertRefused("Jo Park is already on the people list; change them with `assure people edit`") {
            try workspace.write(alice) { try $0.addPerson(PersonRow(name: "jo park")) }
        }
        // Edit by prefix; an empty value clears; an owner without a row gets one.
        let edited = try workspace.write(alice) { try $0.editPerson("jo", email: "", endedOn: "2026-11-30") }.value
        XCTAssertEqual(edited.fields.map(\.field), ["email", "end"])
        XCTAssertEqual(
            try people().first { $0.name == "Jo Park" },
            Person(
                name: "Jo Park", team: "Engineering", startedOn: "2026-11-02",
                endedOn: "2026-11-30", source: "manual"))
        let owner = try workspace.write(alice) { try $0.editPerson("omar", team: "SRE") }.value
        XCTAssertEqual(owner.name, "Omar Haddad")
        XCTAssertEqual(try people().first { $0.name == "Omar Haddad" }?.team, "SRE")
        XCTAssertEqual(try people().first { $0.name == "Omar Haddad" }?.isOwner, true)
        try assertRefused("--end: Jo Park would end (2026-01-01) before starting (2026-11-02)") {
            try workspace.write(alice) { try $0.editPerson("Jo Park", endedOn: "2026-01-01") }
        }
        try assertRefused("--start: '2026-02-30' is not a date: use YYYY-MM-DD") {
            try workspace.write(alice) { try $0.editPerson("Jo Park", startedOn: "2026-02-30") }
        }
        try assertRefused("unknown person 'Nobody Here'") {
            try workspace.write(alice) { try $0.editPerson("Nobody Here", team: "x") }
        }
    }

    func testImportPeopleFromParsedRowsNamesTheSourceRow() throws {
        let result = try workspace.write(alice) { w in
            try w.importPeople(
                [
                    PersonRow(name: "Jo Park", team: "Engineering", startedOn: "2026-11-02", line: 1),
                    PersonRow(name: "Sam Ortiz", endedOn: "2026-11-13", line: 2),
                ], source: "larkspur-health.yaml")
        }.value
        XCTAssertEqual(result.summary, "larkspur-health.yaml: 2 added, 0 updated, 0 unchanged; 2 people not in the file were left alone")
        try assertRefused("larkspur-health.yaml: row 4, start: '2026-1-2' is not a date: use YYYY-MM-DD") {
            try workspace.write(alice) { w in
                try w.importPeople([PersonRow(name: "Ana", startedOn: "2026-1-2", line: 4)], source: "larkspur-health.yaml")
            }
        }
    }

    // MARK: - Training

    /// People as in the issue: a new hire, a leaver, someone not started yet, and two teams.
    func seedTraining() throws {
        try importCSV(
            """
            name,email,team,start,end
            Jo Park,jo@acme.example,Engineering,2026-11-02,
            Sam Ortiz,sam@acme.example,Support,2023-04-01,2026-11-13
            Kim Lee,kim@acme.example,Engineering,2026-12-01,
            Lee Chen,lee@acme.example,engineering,2021-02-01,
            """)
        try workspace.write(alice) { w in
            XCTAssertEqual(try w.addTrainingCourse(TrainingCourseDraft(title: "Security awareness", createdOn: "2026-01-05")), "TRN-1")
            XCTAssertEqual(
                try w.addTrainingCourse(
                    TrainingCourseDraft(
                        title: "Secure coding", audience: TrainingAudience(teams: ["Engineering"]),
                        graceDays: 60, createdOn: "2026-01-05")), "TRN-2")
        }
    }

    func status(_ course: String? = nil) throws -> [String] {
        try workspace.read { try $0.trainingStatus(course: course, today: Fixtures.today) }
            .map { "\($0.courseRef) \($0.person) \($0.lastCompleted ?? "-") \($0.due ?? "-") \($0.state.rawValue)" }
    }

    func testStatusFollowsTheRulesForNewHiresLeaversAndTeams() throws {
        try seedTraining()
        let certificate = folder.appendingPathComponent("dana-certificate.pdf")
        try Data("certificate of completion".utf8).write(to: certificate)
        try workspace.write(alice) { w in
            let done = try w.recordTraining(course: "security", person: "dana", completedOn: "2026-03-01", evidence: certificate.path)
            XCTAssertEqual(done.person, "Dana Kim")
            XCTAssertEqual(done.evidenceName, "dana-certificate.pdf")
            try w.recordTraining(course: "TRN-1", person: "Lee Chen", completedOn: "2024-11-01")
            try w.recordTraining(course: "1", person: "lee chen", completedOn: "2025-11-10")
            try w.recordTraining(course: "security awareness", person: "Sam Ortiz", completedOn: "2026-02-01")
        }
        XCTAssertEqual(
            try status(),
            [
                "TRN-1 Dana Kim 2026-03-01 2027-03-01 done",
                "TRN-1 Jo Park - 2026-12-02 due",  // a new hire: grace from their start
                "TRN-1 Lee Chen 2025-11-10 2026-11-10 overdue",  // the latest completion counts
                "TRN-1 Omar Haddad - 2026-02-04 overdue",  // grace from the course's creation
                "TRN-2 Jo Park - 2027-01-01 not yet due",
                "TRN-2 Lee Chen - 2026-03-06 overdue",  // the team matched without case
            ], "the leaver (Sam) and the one not started (Kim) are not listed; Dana and Omar are not engineers")
        XCTAssertEqual(try status("secure"), ["TRN-2 Jo Park - 2027-01-01 not yet due", "TRN-2 Lee Chen - 2026-03-06 overdue"])
        let dana = try XCTUnwrap(try workspace.read { try $0.trainingStatus(today: Fixtures.today) }.first)
        XCTAssertEqual(dana.evidence, "dana-certificate.pdf")
        XCTAssertEqual(dana.course, "Security awareness")

        // The certificate is kept by its hash and comes back byte for byte.
        let record = try XCTUnwrap(try workspace.read { try $0.trainingRecords(course: "TRN-1") }.first { $0.person == "Dana Kim" })
        XCTAssertEqual(record.evidenceSHA256, try FileDigest.sha256(path: certificate.path))
        var bytes = Data()
        try workspace.read { r in try BlobStore.read(r.db, sha256: record.evidenceSHA256!) { bytes.append($0) } }
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "certificate of completion")
        XCTAssertEqual(try workspace.read { try $0.trainingRecords() }.count, 4)

        // Change log: the course's fields and each completion, under the course's reference.
        let rows = try log(entity: "training")
        XCTAssertEqual(
            Array(rows.prefix(4)),
            [
                "TRN-1 created - -> Security awareness", "TRN-1 cadence - -> annual", "TRN-1 audience - -> all",
                "TRN-1 grace_days - -> 30",
            ])
        XCTAssertTrue(
            rows.contains("TRN-1 completed - -> Dana Kim on 2026-03-01 (dana-certificate.pdf, sha256 \(record.evidenceSHA256!))"), "\(rows)")
        XCTAssertTrue(rows.contains("TRN-1 completed - -> Lee Chen on 2025-11-10"))

        // A leaver marked by hand drops out; a one-off course, once done, is done for good.
        try workspace.write(alice) { w in
            try w.editPerson("Lee Chen", endedOn: "2026-11-19")
            XCTAssertEqual(try w.editTrainingCourse("TRN-1", cadence: .once), ["cadence"])
        }
        XCTAssertEqual(
            try status("TRN-1"), ["TRN-1 Dana Kim 2026-03-01 - done", "TRN-1 Jo Park - 2026-12-02 due", "TRN-1 Omar Haddad - 2026-02-04 overdue"])
        XCTAssertEqual(try log(entity: "training").last, "TRN-1 cadence annual -> once")
    }

    func testCourseEditsAndLookups() throws {
        try seedTraining()
        try workspace.write(alice) { w in
            XCTAssertEqual(
                try w.editTrainingCourse(
                    "secure c", title: "Secure development", audience: TrainingAudience(teams: ["Engineering", "Support"]),
                    graceDays: 45), ["title", "audience", "grace_days"])
            XCTAssertEqual(try w.editTrainingCourse("TRN-2", graceDays: 45), [], "an unchanged value is not a change")
        }
        let course = try workspace.read { try $0.trainingCourse("secure development") }
        XCTAssertEqual(course.ref, "TRN-2")
        XCTAssertEqual(course.audience.text, "Engineering,Support")
        XCTAssertEqual(course.graceDays, 45)
        XCTAssertEqual(course.createdOn, "2026-01-05")
        XCTAssertEqual(try workspace.read { try $0.trainingCourses() }.map(\.ref), ["TRN-1", "TRN-2"])
        try assertRefused("course 'secur' is ambiguous: TRN-1 Security awareness, TRN-2 Secure development") {
            _ = try workspace.read { try $0.trainingCourse("secur") }
        }
        try assertRefused("unknown course 'Phishing drill'") {
            try workspace.write(alice) { try $0.recordTraining(course: "Phishing drill", person: "Dana Kim", completedOn: "2026-01-01") }
        }
        try assertRefused("a course titled 'Security awareness' already exists (TRN-1)") {
            try workspace.write(alice) { try $0.addTrainingCourse(TrainingCourseDraft(title: "SECURITY AWARENESS")) }
        }
        try assertRefused("TRN-1 already has the title 'Security awareness'") {
            try workspace.write(alice) { try $0.editTrainingCourse("TRN-2", title: "security awareness") }
        }
        try assertRefused("'TRN-9' reads as a course reference; choose a title in words") {
            try workspace.write(alice) { try $0.addTrainingCourse(TrainingCourseDraft(title: "TRN-9")) }
        }
        try assertRefused("--grace-days must be 0 to 365") {
            try workspace.write(alice) { try $0.addTrainingCourse(TrainingCourseDraft(title: "Phishing", graceDays: -1)) }
        }
        // A course added today (no backdating) is due 30 days from now for everyone.
        try workspace.write(alice) { try $0.addTrainingCourse(TrainingCourseDraft(title: "Phishing")) }
        XCTAssertEqual(
            try status("phishing"),
            [
                "TRN-3 Dana Kim - 2026-12-20 due", "TRN-3 Jo Park - 2026-12-20 due",
                "TRN-3 Lee Chen - 2026-12-20 due", "TRN-3 Omar Haddad - 2026-12-20 due",
            ])
    }

    func testBadCompletionsAreRefusedAndWriteNothing() throws {
        try seedTraining()
        try workspace.write(alice) { try $0.recordTraining(course: "TRN-1", person: "Jo Park", completedOn: "2026-11-20") }
        try assertRefused("--date: 2026-11-21 is in the future (today is 2026-11-20); record a completion once it has happened") {
            try workspace.write(alice) { try $0.recordTraining(course: "TRN-1", person: "Jo Park", completedOn: "2026-11-21") }
        }
        try assertRefused("--date: '2026-02-30' is not a date: use YYYY-MM-DD") {
            try workspace.write(alice) { try $0.recordTraining(course: "TRN-1", person: "Jo Park", completedOn: "2026-02-30") }
        }
        try assertRefused("unknown person 'Nobody'") {
            try workspace.write(alice) { try $0.recordTraining(course: "TRN-1", person: "Nobody", completedOn: "2026-11-01") }
        }
        try assertRefused("Jo Park already has TRN-1 recorded on 2026-11-20") {
            try workspace.write(alice) { try $0.recordTraining(course: "TRN-1", person: "jo park", completedOn: "2026-11-20") }
        }
        let missing = folder.appendingPathComponent("missing.pdf").path
        try assertRefused("--evidence: \(missing): no such file") {
            try workspace.write(alice) { try $0.recordTraining(course: "TRN-1", person: "Omar", completedOn: "2026-11-01", evidence: missing) }
        }
    }
}
