import AssureModel
import AssureStore
import AssureTestSupport
import TerminalUI
import XCTest

@testable import Workbench

/// The programme set on the Larkspur sample (fixed clock 2026-11-20): the risk register sorted by
/// score, the heat map's counts against the register, residual scores, a review recorded and
/// undone, the policies with their acknowledgements, and the agenda's reviews-due section.
final class ProgrammePaneTests: XCTestCase {
    func testRisksAndTheHeatMapAgreeWithTheRegister() throws {
        let h = try ScreenHarness()
        h.press("7")
        XCTAssertEqual(h.runtime.state.paneSet, .programme)
        XCTAssertEqual(h.runtime.state.focus, .risks)
        let risks = h.runtime.state.snapshot.risks
        XCTAssertEqual(risks.count, 14, "13 starter risks and Larkspur's accepted one")
        // Highest inherent score first; ties keep the register's order.
        let shown = (0..<h.runtime.state.rowCount(.risks)).compactMap { h.runtime.state.risk(at: $0)?.ref }
        XCTAssertEqual(shown.prefix(3), ["RISK-1", "RISK-8", "RISK-2"])
        XCTAssertTrue(h.screen.contains("7 Risks · inherent · 3 reviews overdue"), h.screen)
        XCTAssertTrue(h.screen.contains("inherent L4 × I4 = 16 high → residual L2 × I4 = 8 medium"), h.screen)

        // Each heat map row shows the register's counts for that likelihood.
        let row = h.screen.split(separator: "\n").first { $0.contains("│ L3 ") }!
        let cells = row[row.range(of: "│ L3 ")!.upperBound...].split(separator: " ").prefix(5).map(String.init)
        let expected = (1...5).map { impact in
            let n = risks.filter { $0.likelihood == 3 && $0.impact == impact }.count
            return n == 0 ? "·" : String(n)
        }
        XCTAssertEqual(cells, expected, String(row))

        h.press("r")
        XCTAssertTrue(h.runtime.state.riskResidual)
        XCTAssertTrue(h.screen.contains("7 Risks · residual"), h.screen)
        XCTAssertEqual(h.runtime.state.selectedRisk?.ref, "RISK-3", "the highest residual score (12) comes first")
        // Rows: the impacts' header, then L5, L4, L3...; no residual score has likelihood 4.
        h.press("8", "j", "j", "Enter")
        XCTAssertEqual(h.runtime.state.focus, .heatMap)
        XCTAssertTrue(h.screen.contains("no risk has likelihood 4"), h.screen)
        h.press("j", "Enter")
        XCTAssertEqual(h.runtime.state.focus, .risks, "Enter on a heat map row shows its highest risk")
        XCTAssertEqual(h.runtime.state.selectedRisk?.ref, "RISK-3")
        XCTAssertEqual(h.runtime.state.selectedRisk?.residualLikelihood, 3)
    }

    func testAReviewIsRecordedFromTheListAndUndone() throws {
        let h = try ScreenHarness()
        h.press("7")
        XCTAssertEqual(h.runtime.state.selectedRisk?.ref, "RISK-1")
        h.press("v")
        XCTAssertTrue(h.screen.contains("RISK-1 reviewed 2026-11-20, next review 2027-05-20"), h.screen)
        XCTAssertEqual(try h.workspace.read { try $0.risk("RISK-1", today: "2026-11-20") }.risk.reviewedOn, "2026-11-20")
        XCTAssertFalse(h.screen.contains("3 reviews overdue"), "RISK-1's review is no longer overdue\n\(h.screen)")
        h.press("z")
        XCTAssertEqual(try h.workspace.read { try $0.risk("RISK-1", today: "2026-11-20") }.risk.reviewedOn, "2026-03-16")
        XCTAssertTrue(h.screen.contains("3 reviews overdue"), h.screen)
    }

    func testPoliciesShowTheirLiveVersionAndAcknowledgements() throws {
        let h = try ScreenHarness()
        h.press("9")
        XCTAssertEqual(h.runtime.state.focus, .policies)
        XCTAssertTrue(h.screen.contains("9 Policies · 5/6 approved"), h.screen)
        let line = h.screen.split(separator: "\n").first { $0.contains("POL-IS") }!
        XCTAssertTrue(line.contains("v2") && line.contains("11/13"), String(line))
        XCTAssertTrue(h.screen.contains("live v2 approved 2026-02-10 · next review 2027-02-10 · acknowledged by 11 of 13 people"), h.screen)
    }

    func testTheAgendaListsReviewsDueAndGoesToThem() throws {
        let h = try ScreenHarness()
        h.press(":").type("agenda").press("Enter", "G", "k", "k", "k", "k")
        let lines = agenda(h.runtime.state)
        let section = lines.firstIndex { $0.text.hasPrefix("6. Reviews due") }!
        let end = lines.firstIndex { $0.text.hasPrefix("7. ") }!
        let items = lines[section..<end].compactMap(\.item)
        XCTAssertEqual(items, [.risk("RISK-1"), .risk("RISK-2"), .risk("RISK-7"), .policy("POL-BC"), .policy("POL-IR")])
        XCTAssertTrue(lines[section...].contains { $0.isNote && $0.text.contains("Rafael Costa: Security and HIPAA basics") })
        // Four items above the last (the vendors of section 7, the drift of section 8) is POL-IR:
        // Enter shows it in the Policies pane.
        h.press("Enter")
        XCTAssertEqual(h.runtime.state.focus, .policies)
        XCTAssertEqual(h.runtime.state.policy(at: h.runtime.state.pane(.policies).selection)?.ref, "POL-IR")
    }
}

/// The vendors set on the Larkspur sample: most critical first, window coverage and findings in
/// the rows and the detail strip, a review recorded and undone, and the agenda's section 7.
final class VendorsPaneTests: XCTestCase {
    func testVendorsShowCoverageAndFindings() throws {
        let h = try ScreenHarness()
        h.press("0")
        XCTAssertEqual(h.runtime.state.paneSet, .vendors)
        XCTAssertEqual(h.runtime.state.focus, .vendors)
        XCTAssertEqual(h.runtime.state.snapshot.vendors.map(\.name), ["Amazon Web Services", "Okta", "Zendesk", "Gusto"])
        XCTAssertTrue(h.screen.contains("0 Vendors · 4 · 3 with findings"), h.screen)
        let aws = h.screen.split(separator: "\n").first { $0.contains("Amazon Web Services") }!
        XCTAssertTrue(aws.contains("30d uncovered"), String(aws))
        XCTAssertTrue(h.screen.contains("SOC 2: covered to 2026-03-31, bridge to 2026-05-31; 30 days uncovered (2026-06-01..2026-06-30)"), h.screen)
        h.press("j", "j")
        XCTAssertTrue(h.screen.contains("findings: holds PHI without a BAA"), h.screen)
    }

    func testAVendorReviewIsRecordedAndUndone() throws {
        let h = try ScreenHarness()
        h.press("0", "j")
        XCTAssertTrue(h.runtime.state.snapshot.vendors[1].overdue, "Okta's six-month review fell due in July")
        h.press("v")
        XCTAssertTrue(h.screen.contains("VEN-2 reviewed 2026-11-20, next review 2027-05-20"), h.screen)
        XCTAssertFalse(h.runtime.state.snapshot.vendors[1].overdue)
        h.press("z")
        XCTAssertEqual(try h.workspace.read { try $0.vendor("VEN-2", today: "2026-11-20") }.vendor.reviewedOn, "2026-01-19")
        XCTAssertTrue(h.runtime.state.snapshot.vendors[1].overdue)
    }

    func testTheAgendaListsVendorsAndOpenRequests() throws {
        let h = try ScreenHarness()
        let lines = agenda(h.runtime.state)
        let section = lines.firstIndex { $0.text.hasPrefix("7. Vendors and privacy requests") }!
        let end = lines.firstIndex { $0.text.hasPrefix("8. ") }!
        XCTAssertEqual(lines[section..<end].compactMap(\.item), [.vendor("VEN-1"), .vendor("VEN-2"), .vendor("VEN-3")])
        XCTAssertTrue(
            lines[section...].contains { $0.isNote && $0.text.contains("DSR-2  erasure request  due 2026-12-09 (19 days left)") },
            lines[section...].map(\.text).joined(separator: "\n"))
        XCTAssertFalse(lines.contains { $0.text.contains("ZD-49907") }, "the subject's reference stays out of the agenda")
    }
}
