import AssureModel
import AssureStore
import AssureTestSupport
import TerminalUI
import XCTest

@testable import Workbench

/// Editing flows on the real runtime and an in-memory workspace: the screen, the data and the
/// change log after each step, including refusals.
final class EditingTests: XCTestCase {
    func control(_ h: ScreenHarness, _ ref: String) throws -> Control {
        try XCTUnwrap(h.workspace.read { try $0.controls() }.first { $0.ref == ref })
    }

    func testBulkAssignIsOneTransactionAndOneUndoStep() throws {
        let h = try ScreenHarness()
        h.press("2", "t", "/").type("AC-14").press("Enter")  // unowned control
        XCTAssertEqual(h.runtime.state.selectedControl?.ref, "AC-14")
        h.press("Esc", "/").type("CM-09").press("Enter", "Space", "Esc", "/").type("LM-07").press("Enter", "Space")
        XCTAssertEqual(h.runtime.state.marked[.controls], ["CM-09", "LM-07"])
        h.press("Esc", "a").type("Omar").press("Enter")
        XCTAssertTrue(h.screen.contains("2 items owner: Omar Haddad · z to undo"), h.screen)
        XCTAssertEqual(try control(h, "CM-09").owner, "Omar Haddad")
        XCTAssertEqual(try control(h, "LM-07").owner, "Omar Haddad")
        let rows = try h.workspace.read { try $0.log() }.suffix(2)
        XCTAssertEqual(rows.map(\.ref), ["CM-09", "LM-07"])
        XCTAssertEqual(Set(rows.map(\.batch)).count, 1, "one transaction, one batch")
        XCTAssertEqual(h.runtime.state.marked, [:], "marks clear after the edit")

        h.press("z")
        XCTAssertTrue(h.screen.contains("undone: 2 items (CM-09, LM-07) · Z to redo"), h.screen)
        XCTAssertNil(try control(h, "CM-09").owner)
        XCTAssertNil(try control(h, "LM-07").owner)
        h.press("Z")
        XCTAssertEqual(try control(h, "LM-07").owner, "Omar Haddad")
        let log = try h.workspace.read { try $0.log() }
        XCTAssertEqual(
            log.filter { $0.entity == "control" }.suffix(6).map { "\($0.ref) \($0.before ?? "-")>\($0.after ?? "-")" },
            [
                "CM-09 ->Omar Haddad", "LM-07 ->Omar Haddad", "LM-07 Omar Haddad>-", "CM-09 Omar Haddad>-",
                "CM-09 ->Omar Haddad", "LM-07 ->Omar Haddad",
            ])
        XCTAssertTrue(try h.workspace.read { try $0.verifyChain() }.isIntact)
    }

    /// Setting the target audit in a meeting is a decision like any other: `z` puts the
    /// previous target back and `Z` sets it again.
    func testTheTargetAuditIsUndoable() throws {
        let h = try ScreenHarness()
        let before = try h.workspace.read { try $0.auditTarget() }
        h.press(":").type("target").press("Enter").type("2 2027-06-01 6m").press("Enter")
        XCTAssertTrue(h.screen.contains("target: SOC 2 Type II, 6m from 2027-06-01"), h.screen)
        XCTAssertEqual(try h.workspace.read { try $0.auditTarget() }?.windowStart, "2027-06-01")
        h.press("z")
        XCTAssertTrue(h.screen.contains("undone:"), h.screen)
        XCTAssertEqual(try h.workspace.read { try $0.auditTarget() }, before)
        h.press("Z")
        XCTAssertEqual(try h.workspace.read { try $0.auditTarget() }?.windowStart, "2027-06-01")
        XCTAssertTrue(try h.workspace.read { try $0.verifyWorkspace() }.isIntact)
    }

    func testPickerCreatesANewOwner() throws {
        let h = try ScreenHarness()
        h.press("2", "a").type("Nadia Petrova")
        XCTAssertTrue(h.screen.contains("+ create owner \"Nadia Petrova\""), h.screen)
        h.press("Enter")
        let ref = try XCTUnwrap(h.runtime.state.selectedControl?.ref)
        XCTAssertEqual(try control(h, ref).owner, "Nadia Petrova")
        XCTAssertTrue(try h.workspace.read { try $0.owners(today: Fixtures.today) }.contains { $0.owner.name == "Nadia Petrova" })
        h.press("z")
        XCTAssertFalse(
            try h.workspace.read { try $0.owners(today: Fixtures.today) }.contains { $0.owner.name == "Nadia Petrova" }, "one undo removes both")
    }

    func testNotApplicableNeedsAJustification() throws {
        let h = try ScreenHarness()
        h.press("2", "s")
        XCTAssertTrue(h.screen.contains("Status of AC-01"), h.screen)
        let before = try h.workspace.read { try $0.log() }.count
        h.press("4", "Enter")  // not applicable
        XCTAssertTrue(h.screen.contains("Why does AC-01 not apply? (required)"), h.screen)
        h.press("Enter")
        XCTAssertTrue(h.screen.contains("an answer is required; Esc cancels"), h.screen)
        XCTAssertEqual(try h.workspace.read { try $0.log() }.count, before, "nothing written")
        h.type("Covered by the cloud provider").press("Enter")
        XCTAssertEqual(try control(h, "AC-01").status, .notApplicable)
        XCTAssertEqual(try control(h, "AC-01").justification, "Covered by the cloud provider")
    }

    func testNewGapFormRefusesABadDateAndAcceptsRelativeOnes() throws {
        let h = try ScreenHarness()
        h.press("2", "n")
        XCTAssertTrue(h.screen.contains("New gap on AC-01"), h.screen)
        h.type("Admin MFA bypass via API tokens").press("Tab", "Left", "Left", "Tab", "Tab", "Tab", "ctrl-u").type("31/12/2026").press("Enter")
        XCTAssertTrue(h.screen.contains("'31/12/2026' is not a date"), h.screen)
        let count = try h.workspace.read { try $0.gaps() }.count
        h.press("ctrl-u").type("eoq").press("Enter")
        let gap = try XCTUnwrap(h.workspace.read { try $0.gaps() }.last)
        XCTAssertEqual(try h.workspace.read { try $0.gaps() }.count, count + 1)
        XCTAssertEqual(
            [gap.title, gap.severity.rawValue, gap.due ?? "", gap.control ?? "", gap.owner ?? ""],
            ["Admin MFA bypass via API tokens", "critical", "2026-12-31", "AC-01", "Dana Kim"])
    }

    func testRemediateReopenAndAcceptRisk() throws {
        let h = try ScreenHarness()
        h.press("4", "r").type("Failover drill done").press("Enter")
        XCTAssertEqual(try h.workspace.read { try $0.gaps() }.first { $0.ref == "GAP-1" }?.status, .remediated)
        h.press("/").type("disaster").press("Enter")
        XCTAssertEqual(h.runtime.state.selectedGap?.ref, "GAP-1")
        h.press("r")  // on a remediated gap: reopen
        XCTAssertEqual(try h.workspace.read { try $0.gaps() }.first { $0.ref == "GAP-1" }?.status, .open)
        h.press("x", "Enter")
        XCTAssertTrue(h.screen.contains("an answer is required"), h.screen)
        h.type("Board accepted until Q2").press("Enter")
        let gap = try XCTUnwrap(h.workspace.read { try $0.gaps() }.first { $0.ref == "GAP-1" })
        XCTAssertEqual(gap.status, .riskAccepted)
        XCTAssertEqual(gap.justification, "Board accepted until Q2")
    }

    func testReadOnlyRefusesEveryEdit() throws {
        let h = try ScreenHarness(readOnly: true)
        XCTAssertTrue(h.screen.contains("READ-ONLY"))
        let before = try h.workspace.read { try $0.log() }.count
        for key in ["a", "A", "s", "n", "e", "Space", "z"] {
            h.press("2", key)
            XCTAssertEqual(h.runtime.state.mode, .normal, key)
            XCTAssertTrue(h.screen.contains("read-only: this workbench was opened with --readonly"), "\(key): \(h.screen)")
        }
        h.press("4", "r")
        XCTAssertTrue(h.screen.contains("read-only"))
        XCTAssertEqual(try h.workspace.read { try $0.log() }.count, before)
    }

    func testMeetingFromTheWorkbenchShowsCountersAndAgenda() throws {
        let h = try ScreenHarness()
        h.press(":").type("meeting start").press("Enter").type("Readiness review 3 | Dana Kim, Omar Haddad").press("Enter")
        // 11, not the 14 without an owner: three of those map only to Processing Integrity and Privacy, out of scope.
        XCTAssertTrue(h.screen.contains("● unowned 11 · uncovered 2 · open C2 H6 M10 L2 · overdue 4 · meeting: Readiness review 3"), h.screen)
        h.press(":").type("agenda").press("Enter")
        XCTAssertTrue(h.screen.contains("1. Unowned controls (11)"), h.screen)
        XCTAssertTrue(h.screen.contains("2. Overdue gaps (4)"), h.screen)
        h.press("Esc", "4", "r").type("Done in the meeting").press("Enter")
        h.press(":").type("meeting end").press("Enter")
        XCTAssertFalse(h.screen.contains("meeting: Readiness review 3"))
        let meeting = try XCTUnwrap(h.workspace.read { try $0.meetings() }.first)
        XCTAssertEqual(meeting.attendees, ["Dana Kim", "Omar Haddad"])
        let minutes = MeetingMinutes.build(
            meeting: meeting, changes: try h.workspace.read { try $0.changes(inMeeting: meeting.id) }, gaps: try h.workspace.read { try $0.gaps() })
        XCTAssertEqual(minutes.decisions.map(\.text), ["GAP-1 remediated", "GAP-1 note: Done in the meeting"])
    }

    func testStaleEditIsRefusedAndTheScreenShowsTheCurrentValue() throws {
        let h = try ScreenHarness()
        h.press("2")
        // Someone else changes AC-01's owner after this screen loaded.
        try h.workspace.write(Fixtures.actor("omar")) { try $0.assign(controls: ["AC-01"], owner: .some("Omar Haddad")) }
        // The edit races the idle reload: send it straight to the reducer with the old baseline.
        h.runtime.send(.key(.char("a")))
        h.runtime.send(.key(.char("P")))
        h.runtime.send(.key(.enter))
        h.runtime.render()
        XCTAssertTrue(h.screen.contains("AC-01 owner was changed by omar at 2026-11-20 09:00 (now Omar Haddad); nothing was written"), h.screen)
        XCTAssertEqual(try control(h, "AC-01").owner, "Omar Haddad")
        XCTAssertTrue(h.screen.contains("O. Haddad"), "the screen shows the current value")
    }

    func testEditFormsChangeGapAndControlFields() throws {
        let h = try ScreenHarness()
        h.press("4", "e")
        XCTAssertTrue(h.screen.contains("Edit GAP-1"), h.screen)
        h.press("Tab", "Tab", "Right", "Tab", "Left", "Tab", "ctrl-u").type("+1m").press("Enter")
        var gap = try XCTUnwrap(h.workspace.read { try $0.gaps() }.first { $0.ref == "GAP-1" })
        XCTAssertEqual([gap.severity.rawValue, gap.effort.rawValue, gap.due ?? ""], ["high", "M", "2026-12-20"])
        XCTAssertEqual(try h.workspace.read { try $0.log() }.suffix(3).map(\.field), ["severity", "effort", "due"])
        h.press("z")
        gap = try XCTUnwrap(h.workspace.read { try $0.gaps() }.first { $0.ref == "GAP-1" })
        XCTAssertEqual([gap.severity.rawValue, gap.effort.rawValue], ["critical", "L"])

        h.press("2", "e", "Tab", "Tab", "Tab", "Right").press("ctrl-s")
        let control = try XCTUnwrap(h.workspace.read { try $0.controls() }.first { $0.ref == "AC-01" })
        XCTAssertEqual(control.frequency, .daily, "continuous -> daily")
        h.press("e", "ctrl-u", "ctrl-s")
        XCTAssertTrue(h.screen.contains("a title is required"), h.screen)
    }
}

final class DashboardTests: XCTestCase {
    func testDashboardAndDeriveFromTheWorkbench() throws {
        let h = try ScreenHarness()
        h.press("D")
        XCTAssertTrue(h.screen.contains("Dashboard · j/k scroll · Esc closes"), h.screen)
        XCTAssertTrue(h.screen.contains("Security              ") && h.screen.contains("63%  21/33"), h.screen)
        XCTAssertTrue(h.screen.contains("open gaps  ▄  20"), h.screen)
        assertGolden(h.screen, named: "dashboard-120x40")
        h.press("Esc", ":").type("derive").press("Enter")
        XCTAssertTrue(h.screen.contains("Derive: open these 157 gaps? Enter creates · Esc cancels"), h.screen)
        let before = try h.workspace.read { try $0.gaps() }.count
        h.press("Esc")
        XCTAssertEqual(try h.workspace.read { try $0.gaps() }.count, before, "Esc creates nothing")
        h.press(":").type("derive").press("Enter", "Enter")
        XCTAssertEqual(try h.workspace.read { try $0.gaps() }.count, before + 157)
        XCTAssertTrue(h.screen.contains("157 gaps opened (GAP-27...GAP-183) · z to undo"), h.screen)
        h.press(":").type("derive").press("Enter")
        XCTAssertTrue(h.screen.contains("nothing to derive"), h.screen)
    }

    func testTargetFromTheWorkbench() throws {
        let h = try ScreenHarness()
        h.press(":").type("target audit").press("Enter").type("2 next spring").press("Enter")
        XCTAssertTrue(h.screen.contains("write the target as TYPE START LENGTH, e.g. 2 2027-03-01 6m"), h.screen)
        h.press("ctrl-u").type("2 2027-01-01 6m").press("Enter")
        XCTAssertTrue(h.screen.contains("target: SOC 2 Type II, 6m from 2027-01-01;"), h.screen)
        h.press("D")
        XCTAssertTrue(h.screen.contains("Target: SOC 2 Type II, 6m window from 2027-01-01:"), h.screen)
        XCTAssertNotNil(try h.workspace.read { try $0.auditTarget() })
    }

    func testGapDetailShowsItsScore() throws {
        let h = try ScreenHarness()
        h.press("4")
        XCTAssertTrue(h.screen.contains("score 10 × 4 × 1.5 ÷ 5 = 12.0 · control BC-03 · criterion A1.3"), h.screen)
    }
}
