import AssureModel
import AssureTestSupport
import Foundation
import XCTest

@testable import AssureStore

/// What the minutes say: why a control does not apply, what an undo or redo did, and (in CSV)
/// the meeting's title, times and attendees.
final class MinutesTests: XCTestCase {
    var workspace: Workspace!
    let alice = Fixtures.actor("alice")

    override func setUpWithError() throws {
        workspace = try Fixtures.workspace(scope: Scope(company: "Acme"), by: alice)
        try workspace.write(alice) { try $0.loadStarterLibrary() }
        try workspace.write(alice) { try $0.addOwner(Owner(name: "Dana Kim")) }
        try workspace.write(alice) { try $0.addOwner(Owner(name: "Omar Haddad")) }
    }

    func start(_ title: String = "Readiness review 3", attendees: [String] = ["Dana Kim", "Omar Haddad"]) throws -> Meeting {
        try workspace.write(alice) { try $0.startMeeting(title: title, attendees: attendees) }.value
    }

    func minutes(_ meeting: Meeting) throws -> MeetingMinutes {
        try workspace.read { r in
            MeetingMinutes.build(meeting: try r.meeting(String(meeting.id)), changes: try r.changes(inMeeting: meeting.id), gaps: try r.gaps())
        }
    }

    func testANotApplicableControlShowsItsJustificationInMarkdownAndCSV() throws {
        let meeting = try start()
        try workspace.write(alice) { try $0.setStatus(controls: ["DP-08"], to: .notApplicable, justification: "No email-borne customer data") }
        // Back to a status that needs no reason: the cleared justification is not a decision.
        try workspace.write(alice) { try $0.setStatus(controls: ["AC-07"], to: .notApplicable, justification: "No shared accounts") }
        try workspace.write(alice) { try $0.setStatus(controls: ["AC-07"], to: .implemented) }
        try workspace.write(alice) { try $0.endMeeting() }

        let minutes = try minutes(meeting)
        XCTAssertEqual(
            minutes.decisions.map(\.text),
            [
                "DP-08 status: not-started → not-applicable",
                "DP-08 not applicable: No email-borne customer data",
                "AC-07 status: not-started → not-applicable",
                "AC-07 not applicable: No shared accounts",
                "AC-07 status: not-applicable → implemented",
            ])
        XCTAssertTrue(
            minutes.markdown().contains(
                """
                ## Decisions (5)

                - 09:00 DP-08 status: not-started → not-applicable (alice)
                - 09:00 DP-08 not applicable: No email-borne customer data (alice)

                """), minutes.markdown())
        let records = CSV.parse(minutes.csv())
        XCTAssertTrue(
            records.contains(["decision", "2026-11-20T09:00:00Z", "alice", "DP-08 not applicable: No email-borne customer data", "", ""]),
            minutes.csv())
        XCTAssertTrue(minutes.csv().contains("decision,2026-11-20T09:00:00Z,alice,DP-08 not applicable: No email-borne customer data,,\r\n"))
    }

    func testCSVMinutesBeginWithTheTitleTimesAndAttendees() throws {
        let meeting = try start()
        try workspace.write(alice) { try $0.assign(controls: ["AC-05"], owner: .some("Dana Kim")) }
        try workspace.write(alice) { try $0.endMeeting() }
        XCTAssertEqual(
            try minutes(meeting).csv(),
            """
            Kind,At,Who,What,Due,Severity\r
            meeting,,,title: Readiness review 3,,\r
            meeting,2026-11-20T09:00:00Z,alice,started,,\r
            meeting,2026-11-20T09:00:00Z,,ended,,\r
            meeting,,,"attendees: Dana Kim, Omar Haddad",,\r
            decision,2026-11-20T09:00:00Z,alice,AC-05 owner: none → Dana Kim,,\r

            """)

        // An open meeting with no attendees says so; a title with a comma stays one RFC 4180 field.
        let open = try start("Review, part 2", attendees: [])
        let records = CSV.parse(try minutes(open).csv())
        XCTAssertEqual(
            Array(records.prefix(5)),
            [
                ["Kind", "At", "Who", "What", "Due", "Severity"],
                ["meeting", "", "", "title: Review, part 2", "", ""],
                ["meeting", "2026-11-20T09:00:00Z", "alice", "started", "", ""],
                ["meeting", "", "", "still open", "", ""],
                ["meeting", "", "", "attendees: not recorded", "", ""],
            ])
        XCTAssertEqual(records.count, 5)
    }

    func testAnUndoAndARedoAreEachOneLabelledDecision() throws {
        try workspace.write(alice) { try $0.assign(controls: ["AC-03"], owner: .some("Omar Haddad")) }
        let gap = try workspace.write(alice) {
            try $0.openGap(GapDraft(title: "No MFA on VPN", severity: .high, owner: "Omar Haddad", due: "2026-12-15"))
        }.value
        let meeting = try start()
        let assign = try XCTUnwrap(workspace.write(alice) { try $0.assign(controls: ["AC-03"], owner: .some("Dana Kim")) }.batch)
        let undo = try XCTUnwrap(workspace.write(alice) { try $0.undo(batch: assign) }.batch)
        try workspace.write(alice) { try $0.undo(batch: undo) }  // redo
        // Remediating writes four fields; its undo is still one line.
        let remediate = try XCTUnwrap(workspace.write(alice) { try $0.remediateGaps([gap], note: "MFA enforced") }.batch)
        try workspace.write(alice) { try $0.undo(batch: remediate) }
        // A gap opened and taken back in the meeting.
        let opened = try XCTUnwrap(workspace.write(alice) { try $0.openGap(GapDraft(title: "Typo", severity: .low)) }.batch)
        try workspace.write(alice) { try $0.undo(batch: opened) }
        try workspace.write(alice) { try $0.endMeeting() }

        let minutes = try minutes(meeting)
        XCTAssertEqual(
            minutes.decisions.map(\.text),
            [
                "AC-03 owner: Omar Haddad → Dana Kim",
                "undo: AC-03 owner: Omar Haddad",
                "redo: AC-03 owner: Dana Kim",
                "GAP-1 remediated",
                "GAP-1 note: MFA enforced",
                "undo: GAP-1 status: open",
                "GAP-2 opened: Typo (low)",
                "undo: GAP-2 removed",
            ])
        XCTAssertEqual(minutes.actionItems.map { "\($0.owner) \($0.gap) \($0.due ?? "")" }, ["Omar Haddad GAP-1 2026-12-15"])
        let markdown = minutes.markdown()
        XCTAssertTrue(markdown.contains("- 09:00 undo: AC-03 owner: Omar Haddad (alice)\n- 09:00 redo: AC-03 owner: Dana Kim (alice)\n"), markdown)
        XCTAssertTrue(minutes.csv().contains("decision,2026-11-20T09:00:00Z,alice,undo: GAP-1 status: open,,\r\n"), minutes.csv())
    }
}
