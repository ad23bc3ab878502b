import AssureModel
import AssureStore
import AssureTestSupport
import TerminalUI
import XCTest

@testable import Workbench

/// "Never silently overwritten", whatever the wait: a picker, menu, prompt, form or bulk edit
/// left open across many polls is judged against what the person saw when it opened.
final class ConflictTests: XCTestCase {
    /// Someone else writes from another process (here: straight to the store), then several
    /// idle polls pass, as a minute in a meeting would.
    func otherPersonWrites(_ h: ScreenHarness, _ body: (WorkspaceWriter) throws -> Void) throws {
        try h.workspace.write(Fixtures.actor("omar")) { try body($0) }
        for _ in 0..<5 { h.runtime.runUntilIdle() }
    }

    func control(_ h: ScreenHarness, _ ref: String) throws -> Control {
        try XCTUnwrap(h.workspace.read { try $0.controls() }.first { $0.ref == ref })
    }

    func gap(_ h: ScreenHarness, _ ref: String) throws -> Gap {
        try XCTUnwrap(h.workspace.read { try $0.gaps() }.first { $0.ref == ref })
    }

    func testAPickerLeftOpenIsRefusedNamingTheOtherPersonAndKeepsWhatWasTyped() throws {
        let h = try ScreenHarness()
        h.press("2", "a").type("Priya")
        try otherPersonWrites(h) { try $0.assign(controls: ["AC-01"], owner: .some("Omar Haddad")) }
        guard case .picker = h.runtime.state.mode else { return XCTFail("the picker stays open across polls") }
        h.press("Enter")
        XCTAssertTrue(h.screen.contains("AC-01 owner was changed by omar"), h.screen)
        XCTAssertTrue(h.screen.contains("(now Omar Haddad)"), h.screen)
        XCTAssertEqual(try control(h, "AC-01").owner, "Omar Haddad", "nothing was overwritten")
        guard case .picker(let picker) = h.runtime.state.mode else { return XCTFail("the picker comes back") }
        XCTAssertEqual(picker.field.text, "Priya", "what was typed is kept")
        // Applying again, now knowing the other change, goes through.
        h.press("Enter")
        XCTAssertEqual(try control(h, "AC-01").owner, "Priya Raman")
    }

    func testAFormLeftOpenIsRefusedAndKeepsItsFields() throws {
        let h = try ScreenHarness()
        h.press("4", "e", "Tab", "Tab", "Right")  // GAP-1: severity critical -> high
        try otherPersonWrites(h) { try $0.editGap("GAP-1", GapEdit(severity: .low)) }
        h.press("ctrl-s")
        XCTAssertTrue(h.screen.contains("GAP-1 severity was changed by omar"), h.screen)
        XCTAssertEqual(try gap(h, "GAP-1").severity, .low)
        guard case .form(let form) = h.runtime.state.mode else { return XCTFail("the form comes back") }
        XCTAssertEqual(form.value("Severity"), "high")
        XCTAssertNotNil(form.error)
    }

    func testAPromptLeftOpenDoesNotWipeAnotherPersonsRiskAcceptance() throws {
        let h = try ScreenHarness()
        h.press("4", "r").type("Failover test done")
        try otherPersonWrites(h) { try $0.acceptGaps(["GAP-1"], justification: "Board accepted until Q2") }
        h.press("Enter")
        XCTAssertEqual(try gap(h, "GAP-1").status, .riskAccepted)
        XCTAssertEqual(try gap(h, "GAP-1").justification, "Board accepted until Q2")
        guard case .prompt(let prompt) = h.runtime.state.mode else { return XCTFail("the prompt comes back") }
        XCTAssertEqual(prompt.field.text, "Failover test done")
        XCTAssertTrue(prompt.error?.contains("changed by omar") == true, prompt.error ?? "")
    }

    func testABulkStatusChangeIsRefusedWholeWhenOneRowChanged() throws {
        let h = try ScreenHarness()
        h.press("2", "Space", "Space", "s")  // marks the first two controls, opens the status menu
        let marked = try XCTUnwrap(h.runtime.state.marked[.controls]).sorted()
        XCTAssertEqual(marked.count, 2)
        try otherPersonWrites(h) { try $0.setStatus(controls: [marked[1]], to: .inProgress) }
        let before = try h.workspace.read { try $0.log().count }
        h.press("3")  // "implemented"
        h.press("Enter")
        XCTAssertTrue(h.screen.contains("\(marked[1]) status was changed by omar"), h.screen)
        XCTAssertEqual(try h.workspace.read { try $0.log().count }, before, "nothing of the bulk edit was written")
        XCTAssertEqual(try control(h, marked[1]).status, .inProgress)
    }
}
