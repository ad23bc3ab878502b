import AssureModel
import AssureTestSupport
import Foundation
import XCTest

@testable import AssureStore

/// Undo/redo by batch, conflicts between two writers, and meetings.
final class UndoMeetingTests: XCTestCase {
    var workspace: Workspace!
    let alice = Fixtures.actor("alice")
    let omar = Fixtures.actor("omar")

    override func setUpWithError() throws {
        workspace = try Fixtures.workspace(scope: Scope(company: "Acme"), by: alice)
        try workspace.write(alice) { try $0.loadStarterLibrary() }
        try workspace.write(alice) { try $0.addOwner(Owner(name: "Dana Kim")) }
        try workspace.write(alice) { try $0.addOwner(Owner(name: "Omar Haddad")) }
    }

    func control(_ ref: String) throws -> Control { try XCTUnwrap(workspace.read { try $0.controls() }.first { $0.ref == ref }) }
    func gaps() throws -> [Gap] { try workspace.read { try $0.gaps() } }
    func log() throws -> [ChangeRecord] { try workspace.read { try $0.log() } }

    func testUndoAndRedoAcrossKindsOfEdit() throws {
        let assignBatch = try XCTUnwrap(workspace.write(alice) { try $0.assign(controls: ["AC-01", "AC-02"], owner: .some("Dana Kim")) }.batch)
        let statusBatch = try XCTUnwrap(workspace.write(alice) { try $0.setStatus(controls: ["AC-01"], to: .implemented) }.batch)
        let opened = try workspace.write(alice) {
            try $0.openGap(GapDraft(title: "No MFA on VPN", severity: .high, owner: "Omar Haddad", due: "+7d"))
        }
        let gapRef = opened.value
        let gapBatch = try XCTUnwrap(opened.batch)
        let remediateBatch = try XCTUnwrap(workspace.write(alice) { try $0.remediateGaps([gapRef], note: "MFA enforced") }.batch)
        let logBefore = try log().count

        var undo = try workspace.write(alice) { try $0.undo(batch: remediateBatch) }
        XCTAssertEqual(undo.value, "GAP-1 status: open")
        XCTAssertEqual(try gaps().first?.status, .open)
        XCTAssertNil(try gaps().first?.remediatedBy)

        undo = try workspace.write(alice) { try $0.undo(batch: gapBatch) }
        XCTAssertEqual(undo.value, "GAP-1 removed")
        XCTAssertEqual(try gaps().count, 0)
        let undoBatch = try XCTUnwrap(undo.batch)
        let redoGap = try workspace.write(alice) { try $0.undo(batch: undoBatch) }  // redo = undo of the undo
        XCTAssertEqual(redoGap.value, "GAP-1 restored")
        let gap = try XCTUnwrap(gaps().first)
        XCTAssertEqual(
            [gap.ref, gap.title, gap.severity.rawValue, gap.owner ?? "", gap.due ?? ""],
            ["GAP-1", "No MFA on VPN", "high", "Omar Haddad", "2026-11-27"])

        try workspace.write(alice) { try $0.undo(batch: statusBatch) }
        XCTAssertEqual(try control("AC-01").status, .notStarted)
        let multi = try workspace.write(alice) { try $0.undo(batch: assignBatch) }
        XCTAssertEqual(multi.value, "2 items (AC-01, AC-02)")
        XCTAssertNil(try control("AC-01").owner)
        XCTAssertNil(try control("AC-02").owner)

        // History only grows, and the chain stays intact.
        XCTAssertGreaterThan(try log().count, logBefore)
        XCTAssertTrue(try workspace.read { try $0.verifyChain() }.isIntact)
    }

    func testAnUndoRecordsWhatItDidInItsOwnBatchAndRedoIsLabelled() throws {
        try workspace.write(alice) { try $0.assign(controls: ["AC-03"], owner: .some("Omar Haddad")) }
        let edit = try XCTUnwrap(workspace.write(alice) { try $0.assign(controls: ["AC-03"], owner: .some("Dana Kim")) }.batch)
        func rows(_ batch: Int64) throws -> [String] {
            try log().filter { $0.batch == batch }.map { "\($0.entity) \($0.ref) \($0.field): \($0.before ?? "nil") -> \($0.after ?? "nil")" }
        }

        let undo = try workspace.write(alice) { try $0.undo(batch: edit) }
        XCTAssertEqual(undo.value, "AC-03 owner: Omar Haddad")
        let undoBatch = try XCTUnwrap(undo.batch)
        XCTAssertEqual(
            try rows(undoBatch),
            [
                "control AC-03 owner: Dana Kim -> Omar Haddad",
                "batch \(edit) undone: nil -> AC-03 owner: Omar Haddad",
            ])

        // Redo is the undo of the undo: its marker row is skipped, not refused.
        let redo = try workspace.write(alice) { try $0.undo(batch: undoBatch) }
        XCTAssertEqual(redo.value, "AC-03 owner: Dana Kim")
        XCTAssertEqual(try control("AC-03").owner, "Dana Kim")
        let redoBatch = try XCTUnwrap(redo.batch)
        XCTAssertEqual(
            try rows(redoBatch),
            [
                "control AC-03 owner: Omar Haddad -> Dana Kim",
                "batch \(undoBatch) redone: nil -> AC-03 owner: Dana Kim",
            ])

        // Undoing the redo reverts the original change again: an undo.
        let again = try workspace.write(alice) { try $0.undo(batch: redoBatch) }
        XCTAssertEqual(again.value, "AC-03 owner: Omar Haddad")
        XCTAssertEqual(try control("AC-03").owner, "Omar Haddad")
        XCTAssertEqual(
            try rows(XCTUnwrap(again.batch)),
            [
                "control AC-03 owner: Dana Kim -> Omar Haddad",
                "batch \(redoBatch) undone: nil -> AC-03 owner: Omar Haddad",
            ])
        let verification = try workspace.read { try $0.verifyChain() }
        XCTAssertTrue(verification.isIntact, verification.problem ?? "")
        XCTAssertEqual(verification.rows, try log().count)
    }

    func testUndoingAGapOpeningRecordsOneMarkerAndRedoBringsItBack() throws {
        let opened = try workspace.write(alice) { try $0.openGap(GapDraft(title: "No MFA on VPN", severity: .high, owner: "Omar Haddad")) }
        let openBatch = try XCTUnwrap(opened.batch)
        let undo = try workspace.write(alice) { try $0.undo(batch: openBatch) }
        let markers = try log().filter { $0.entity == "batch" }
        XCTAssertEqual(
            markers.map { "\($0.batch) \($0.ref) \($0.field) \($0.after ?? "")" }, ["\(try XCTUnwrap(undo.batch)) \(openBatch) undone GAP-1 removed"])
        let redo = try workspace.write(alice) { try $0.undo(batch: try XCTUnwrap(undo.batch)) }
        XCTAssertEqual(redo.value, "GAP-1 restored")
        XCTAssertEqual(try gaps().map { "\($0.ref) \($0.title) \($0.owner ?? "")" }, ["GAP-1 No MFA on VPN Omar Haddad"])
        XCTAssertEqual(try log().filter { $0.entity == "batch" }.map(\.field), ["undone", "redone"])
        XCTAssertTrue(try workspace.read { try $0.verifyChain() }.isIntact)
    }

    func testUndoIsRefusedWhenSomeoneChangedTheFieldSince() throws {
        let batch = try XCTUnwrap(workspace.write(alice) { try $0.assign(controls: ["AC-03"], owner: .some("Dana Kim")) }.batch)
        try workspace.write(omar) { try $0.assign(controls: ["AC-03"], owner: .some("Omar Haddad")) }
        let logCount = try log().count
        XCTAssertThrowsError(try workspace.write(alice) { try $0.undo(batch: batch) }) { error in
            XCTAssertEqual("\(error)", "cannot undo: AC-03 owner was changed since by omar at 2026-11-20 09:00")
        }
        XCTAssertEqual(try control("AC-03").owner, "Omar Haddad")
        XCTAssertEqual(try log().count, logCount)
    }

    func testAStaleEditIsRefusedNamingWhoChangedTheField() throws {
        let seen = try workspace.read { try $0.changeCounter() }  // what the screen was showing
        try workspace.write(omar) { try $0.setStatus(controls: ["AC-04"], to: .inProgress) }
        // Alice acts on what she saw: her writes carry that baseline.
        let staleAlice = Actor("alice", now: Fixtures.fixedDate, baseline: seen)
        XCTAssertThrowsError(try workspace.write(staleAlice) { try $0.setStatus(controls: ["AC-04"], to: .implemented) }) { error in
            XCTAssertEqual("\(error)", "AC-04 status was changed by omar at 2026-11-20 09:00 (now in-progress); nothing was written")
        }
        XCTAssertEqual(try control("AC-04").status, .inProgress)
        // A different field of the same control is not a conflict.
        try workspace.write(staleAlice) { try $0.assign(controls: ["AC-04"], owner: .some("Dana Kim")) }
        XCTAssertEqual(try control("AC-04").owner, "Dana Kim")
    }

    func testMeetingCollectsItsChangesAndWritesMinutes() throws {
        let meeting = try workspace.write(alice) {
            try $0.startMeeting(title: "Readiness review 3", attendees: ["Dana Kim", " Omar Haddad"])
        }.value
        XCTAssertThrowsError(try workspace.write(alice) { try $0.startMeeting(title: "Another", attendees: []) }) {
            XCTAssertEqual("\($0)", "meeting 'Readiness review 3' is still open; end it first (assure meeting end)")
        }
        try workspace.write(alice) { try $0.assign(controls: ["AC-05"], owner: .some("Dana Kim")) }
        try workspace.write(alice) { try $0.setStatus(controls: ["AC-05"], to: .implemented) }
        let ref = try workspace.write(alice) {
            try $0.openGap(GapDraft(title: "Backups not tested", severity: .high, owner: "Omar Haddad", due: "2026-12-15"))
        }.value
        try workspace.write(alice) { try $0.endMeeting() }
        try workspace.write(alice) { try $0.assign(controls: ["AC-06"], owner: .some("Dana Kim")) }  // after the meeting: not in the minutes

        let minutes = try workspace.read { r in
            MeetingMinutes.build(meeting: try r.meeting("readiness review 3"), changes: try r.changes(inMeeting: meeting.id), gaps: try r.gaps())
        }
        XCTAssertEqual(
            minutes.decisions.map(\.text),
            [
                "AC-05 owner: none → Dana Kim", "AC-05 status: not-started → implemented",
                "\(ref) opened: Backups not tested (high, owner Omar Haddad, due 2026-12-15)",
            ])
        XCTAssertEqual(minutes.actionItems.map { "\($0.owner) \($0.gap) \($0.due ?? "")" }, ["Omar Haddad GAP-1 2026-12-15"])
        XCTAssertEqual(
            minutes.markdown(),
            """
            # Minutes: Readiness review 3

            - Started: 2026-11-20T09:00:00Z by alice
            - Ended: 2026-11-20T09:00:00Z
            - Attendees: Dana Kim, Omar Haddad

            ## Decisions (3)

            - 09:00 AC-05 owner: none → Dana Kim (alice)
            - 09:00 AC-05 status: not-started → implemented (alice)
            - 09:00 GAP-1 opened: Backups not tested (high, owner Omar Haddad, due 2026-12-15) (alice)

            ## Action items

            ### Omar Haddad

            - [ ] GAP-1 Backups not tested (high, due 2026-12-15)

            """)
    }
}

/// The target audit is a meeting decision like any other: undo puts the previous target back
/// (none, at first), redo sets it again, and an undo is refused once someone set it since.
final class TargetUndoTests: XCTestCase {
    let alice = Fixtures.actor("alice")
    let omar = Fixtures.actor("omar")

    func testUndoAndRedoOfTheTargetAudit() throws {
        let workspace = try Fixtures.workspace(scope: Scope(company: "Acme"), by: alice)
        let kindBefore = try workspace.read { try $0.auditLabels()[Framework.soc2ID] }
        let march = AuditTarget(reportType: .type2, windowStart: "2027-03-01", window: "6m")
        let first = try XCTUnwrap(workspace.write(alice) { try $0.setAuditTarget(march) }.batch)
        let june = AuditTarget(reportType: .type1, windowStart: "2027-06-01", window: "3m")
        let second = try XCTUnwrap(workspace.write(alice) { try $0.setAuditTarget(june) }.batch)
        XCTAssertEqual(try workspace.read { try $0.auditTarget() }, june)

        let undone = try XCTUnwrap(workspace.write(alice) { try $0.undo(batch: second) }.batch)
        XCTAssertEqual(try workspace.read { try $0.auditTarget() }, march)
        try workspace.write(alice) { try $0.undo(batch: first) }
        XCTAssertNil(try workspace.read { try $0.auditTarget() }, "before the first target there was none")
        XCTAssertEqual(try workspace.read { try $0.auditLabels()[Framework.soc2ID] }, kindBefore)

        // Redo of the first undo needs the state that undo left: refused now, since the first
        // target's own undo has changed the window since.
        XCTAssertThrowsError(try workspace.write(alice) { try $0.undo(batch: undone) })
        // Setting it again by hand, then undoing the original change, names who changed it.
        try workspace.write(omar) { try $0.setAuditTarget(june) }
        XCTAssertThrowsError(try workspace.write(alice) { try $0.undo(batch: first) }) { error in
            XCTAssertTrue("\(error)".contains("omar"), "\(error)")
        }
        XCTAssertEqual(try workspace.read { try $0.auditTarget() }, june)
        XCTAssertTrue(try workspace.read { try $0.verifyWorkspace() }.isIntact, "the chain and the tables agree")
    }
}
