import AssureModel
import AssureStore
import AssureTestSupport
import TerminalUI
import XCTest

@testable import Workbench

/// Collectors and drift in the workbench on the Larkspur sample (fixed day 2026-11-20): the
/// collectors' line in the Evidence pane, a run refused on a machine that has not allowed the
/// command, the drift view with its diff, a new baseline approved from it, and the agenda.
final class DriftViewTests: XCTestCase {
    func testTheDriftViewShowsTheDiffAndApprovesABaseline() throws {
        let h = try ScreenHarness()
        XCTAssertEqual(h.runtime.state.snapshot.drift.map(\.ref), ["DRIFT-1"])
        XCTAssertEqual(h.runtime.state.snapshot.collectors.map(\.name), ["audit-log-bucket", "aws-password-policy"])
        h.press("d")
        guard case .drift(0, 0, false) = h.runtime.state.mode else { return XCTFail("\(h.runtime.state.mode)") }
        XCTAssertTrue(h.screen.contains("DRIFT-1  aws-password-policy  AC-09"), h.screen)
        XCTAssertTrue(h.screen.contains("~ $.PasswordPolicy.MinimumPasswordLength: 14 -> 8"), h.screen)
        XCTAssertTrue(h.screen.contains("- $.PasswordPolicy.PasswordReusePrevention: 24"), h.screen)
        // b asks first; any key but y leaves the baseline alone.
        h.press("b")
        XCTAssertTrue(h.screen.contains("Approve run 2 of aws-password-policy as its new baseline?"), h.screen)
        h.press("n")
        XCTAssertEqual(try h.workspace.read { try $0.baselines(collector: "aws-password-policy") }.count, 1)
        h.press("b", "y")
        XCTAssertEqual(h.runtime.state.mode, .normal)
        XCTAssertTrue(h.screen.contains("aws-password-policy: run 2 approved as baseline v2; its open drift is resolved"), h.screen)
        XCTAssertTrue(h.runtime.state.snapshot.drift.isEmpty)
        XCTAssertEqual(try h.workspace.read { try $0.driftEvents(openOnly: false) }.first?.resolution, "new-baseline")
        h.press("d")
        XCTAssertEqual(h.runtime.state.mode, .normal)
        XCTAssertTrue(h.screen.contains("no open drift"), h.screen)
    }

    func testCollectorsShowInTheEvidenceDetailAndAnUnallowedRunIsRefused() throws {
        let h = try ScreenHarness()
        h.press("d", "Enter")
        // AC-09 owes one annual occurrence in the window (evidenced by the June run), so Enter
        // shows it in the Evidence pane.
        XCTAssertEqual(h.runtime.state.focus, .evidence)
        XCTAssertEqual(h.runtime.state.selectedLedgerRow?.control, "AC-09")
        XCTAssertTrue(h.screen.contains("collectors (c runs them): aws-password-policy daily, last passed 2026-11-16 08:00"), h.screen)
        XCTAssertTrue(h.screen.contains("drift DRIFT-1"), h.screen)
        h.press("c")
        XCTAssertTrue(h.screen.contains("not allowed on this machine"), h.screen)
        XCTAssertEqual(try h.workspace.read { try $0.collectorRuns(collector: "aws-password-policy", limit: 10) }.count, 2, "nothing ran")
    }

    func testTheAgendaListsOpenDrift() throws {
        let h = try ScreenHarness()
        let lines = agenda(h.runtime.state)
        let section = lines.firstIndex { $0.text.hasPrefix("8. Configuration drift (1)") }!
        XCTAssertTrue(
            lines[section + 1].text.contains("AC-09  DRIFT-1 aws-password-policy: 2 changes since the baseline, detected 2026-11-16"),
            lines[section + 1].text)
    }
}
