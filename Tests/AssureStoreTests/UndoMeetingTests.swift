import AssureModel
import AssureTestSupport
import Foundation
import XCTest

@testable import AssureStore

/// Undo/redo by batch, conflicts between two writers, and meetings.
final class UndoMeetingTests: XCTestCase {
    var workspace: Workspace!

    override func setUpWithError() throws {
        workspace = try Workspace.inMemory(scope: Scope(company: "Acme"), actor: "alice", clock: { Fixtures.fixedDate })
        try workspace.loadStarterLibrary()
        try workspace.addOwner(Owner(name: "Dana Kim"))
        try workspace.addOwner(Owner(name: "Omar Haddad"))
    }

    func control(_ ref: String) throws -> Control { try XCTUnwrap(workspace.controls().first { $0.ref == ref }) }

    func testUndoAndRedoAcrossKindsOfEdit() throws {
        try workspace.assign(controls: ["AC-01", "AC-02"], owner: .some("Dana Kim"))
        let assignBatch = try XCTUnwrap(workspace.lastBatch)
        try workspace.setStatus(controls: ["AC-01"], to: .implemented)
        let statusBatch = try XCTUnwrap(workspace.lastBatch)
        let gapRef = try workspace.openGap(GapDraft(title: "No MFA on VPN", severity: .high, owner: "Omar Haddad", due: "+7d"))
        let gapBatch = try XCTUnwrap(workspace.lastBatch)
        try workspace.remediateGaps([gapRef], note: "MFA enforced")
        let remediateBatch = try XCTUnwrap(workspace.lastBatch)
        let logBefore = try workspace.log().count

        var undo = try workspace.undo(batch: remediateBatch)
        XCTAssertEqual(undo.summary, "GAP-1 status: open")
        XCTAssertEqual(try workspace.gaps().first?.status, .open)
        XCTAssertNil(try workspace.gaps().first?.remediatedBy)

        undo = try workspace.undo(batch: gapBatch)
        XCTAssertEqual(undo.summary, "GAP-1 removed")
        XCTAssertEqual(try workspace.gaps().count, 0)
        let redoGap = try workspace.undo(batch: undo.batch)  // redo = undo of the undo
        XCTAssertEqual(redoGap.summary, "GAP-1 restored")
        let gap = try XCTUnwrap(workspace.gaps().first)
        XCTAssertEqual([gap.ref, gap.title, gap.severity.rawValue, gap.owner ?? "", gap.due ?? ""],
                       ["GAP-1", "No MFA on VPN", "high", "Omar Haddad", "2026-11-27"])

        try workspace.undo(batch: statusBatch)
        XCTAssertEqual(try control("AC-01").status, .notStarted)
        let multi = try workspace.undo(batch: assignBatch)
        XCTAssertEqual(multi.summary, "2 items (AC-01, AC-02)")
        XCTAssertNil(try control("AC-01").owner)
        XCTAssertNil(try control("AC-02").owner)

        // History only grows, and the chain stays intact.
        XCTAssertGreaterThan(try workspace.log().count, logBefore)
        XCTAssertTrue(try workspace.verifyChain().isIntact)
    }

    func testUndoIsRefusedWhenSomeoneChangedTheFieldSince() throws {
        try workspace.assign(controls: ["AC-03"], owner: .some("Dana Kim"))
        let batch = try XCTUnwrap(workspace.lastBatch)
        workspace.actor = "omar"
        try workspace.assign(controls: ["AC-03"], owner: .some("Omar Haddad"))
        workspace.actor = "alice"
        let logCount = try workspace.log().count
        XCTAssertThrowsError(try workspace.undo(batch: batch)) { error in
            XCTAssertEqual("\(error)", "cannot undo: AC-03 owner was changed since by omar at 2026-11-20 09:00")
        }
        XCTAssertEqual(try control("AC-03").owner, "Omar Haddad")
        XCTAssertEqual(try workspace.log().count, logCount)
    }

    func testAStaleEditIsRefusedNamingWhoChangedTheField() throws {
        let seen = try workspace.changeCounter()  // what the screen was showing
        workspace.actor = "omar"
        try workspace.setStatus(controls: ["AC-04"], to: .inProgress)
        workspace.actor = "alice"
        workspace.conflictBaseline = seen
        XCTAssertThrowsError(try workspace.setStatus(controls: ["AC-04"], to: .implemented)) { error in
            XCTAssertEqual("\(error)", "AC-04 status was changed by omar at 2026-11-20 09:00 (now in-progress); nothing was written")
        }
        XCTAssertEqual(try control("AC-04").status, .inProgress)
        // A different field of the same control is not a conflict.
        try workspace.assign(controls: ["AC-04"], owner: .some("Dana Kim"))
        XCTAssertEqual(try control("AC-04").owner, "Dana Kim")
    }

    func testMeetingCollectsItsChangesAndWritesMinutes() throws {
        let meeting = try workspace.startMeeting(title: "Readiness review 3", attendees: ["Dana Kim", " Omar Haddad"])
        XCTAssertThrowsError(try workspace.startMeeting(title: "Another", attendees: [])) {
            XCTAssertEqual("\($0)", "meeting 'Readiness review 3' is still open; end it first (assure meeting end)")
        }
        try workspace.assign(controls: ["AC-05"], owner: .some("Dana Kim"))
        try workspace.setStatus(controls: ["AC-05"], to: .implemented)
        let ref = try workspace.openGap(GapDraft(title: "Backups not tested", severity: .high, owner: "Omar Haddad", due: "2026-12-15"))
        try workspace.endMeeting()
        try workspace.assign(controls: ["AC-06"], owner: .some("Dana Kim"))  // after the meeting: not in the minutes

        let changes = try workspace.changes(inMeeting: meeting.id)
        let minutes = MeetingMinutes.build(meeting: try workspace.meeting("readiness review 3"), changes: changes, gaps: try workspace.gaps())
        XCTAssertEqual(minutes.decisions.map(\.text), [
            "AC-05 owner: none → Dana Kim", "AC-05 status: not-started → implemented", "\(ref) opened: Backups not tested (high, owner Omar Haddad, due 2026-12-15)",
        ])
        XCTAssertEqual(minutes.actionItems.map { "\($0.owner) \($0.gap) \($0.due ?? "")" }, ["Omar Haddad GAP-1 2026-12-15"])
        XCTAssertEqual(minutes.markdown(), """
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
