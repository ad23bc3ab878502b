import AssureModel
import AssureStore
import AssureTestSupport
import TerminalUI
import XCTest

@testable import Workbench

/// Each defect a readiness meeting found, on the real runtime and an in-memory workspace.
final class MeetingDefectTests: XCTestCase {
    func gap(_ h: ScreenHarness, _ ref: String) throws -> Gap {
        try XCTUnwrap(h.workspace.read { try $0.gaps() }.first { $0.ref == ref })
    }

    func control(_ h: ScreenHarness, _ ref: String) throws -> Control {
        try XCTUnwrap(h.workspace.read { try $0.controls() }.first { $0.ref == ref })
    }

    func testTheAgendaActsOnAnItemAndComesBack() throws {
        let h = try ScreenHarness()
        h.press(":").type("agenda").press("Enter")
        guard case .agenda(let first) = h.runtime.state.mode else { return XCTFail("the agenda opens") }
        let item = try XCTUnwrap(agenda(h.runtime.state)[first].item)
        guard case .control(let ref) = item else { return XCTFail("the first item is an unowned control") }
        h.press("a").type("Omar").press("Enter")
        XCTAssertEqual(try control(h, ref).owner, "Omar Haddad", "assigned from the agenda")
        guard case .agenda = h.runtime.state.mode else { return XCTFail("back on the agenda after the edit") }
        XCTAssertTrue(h.screen.contains("1. Unowned controls (10)"), h.screen)
        // Enter goes to an item in its pane.
        h.press("Enter")
        XCTAssertEqual(h.runtime.state.mode, .normal)
        XCTAssertEqual(h.runtime.state.focus, .controls)
    }

    func testTheAgendaLeavesOutControlsThatOnlyMapOutOfScopeCriteria() throws {
        let h = try ScreenHarness()
        let unowned = h.runtime.state.snapshot.controls.filter(Rules.isUnowned)
        let listed = Set(
            agenda(h.runtime.state).compactMap { line -> String? in
                if case .control(let ref) = line.item { return ref } else { return nil }
            })
        XCTAssertEqual(unowned.count, 14)
        XCTAssertEqual(listed.count, 11)
        let left = unowned.map(\.ref).filter { !listed.contains($0) }
        XCTAssertTrue(left.allSatisfy { $0.hasPrefix("PI-") || $0.hasPrefix("PR-") }, "\(left)")
    }

    func testPaletteCommandsTakeTheirArgumentsAndNeverFailSilently() throws {
        let h = try ScreenHarness()
        h.press(":").type("meeting start Review 4 | Dana Kim").press("Enter")
        XCTAssertEqual(h.runtime.state.snapshot.meeting, "Review 4")
        h.press(":").type("target 2 2027-02-01 6m").press("Enter")
        XCTAssertEqual(try h.workspace.read { try $0.auditTarget() }?.windowStart, "2027-02-01")
        h.press(":").type("target 2 soon").press("Enter")
        XCTAssertTrue(h.screen.contains("write the target as TYPE START LENGTH"), h.screen)
        h.press(":").type("theme nosuch").press("Enter")
        XCTAssertTrue(h.screen.contains("unknown theme 'nosuch'; themes: colorblind, default, high-contrast, light"), h.screen)
        h.press(":").type("qqqqzzz").press("Enter")
        XCTAssertTrue(h.screen.contains("no command matches 'qqqqzzz'"), h.screen)
    }

    func testLongInputScrollsInsteadOfBeingCut() throws {
        let h = try ScreenHarness(width: 80, height: 24)
        let long = "meeting start " + String(repeating: "abcdefghij", count: 9) + "END"
        h.press(":").type(long)
        XCTAssertTrue(h.screen.contains("END"), "the end of what is being typed is visible\n\(h.screen)")
    }

    func testHelpWrapsAtWordsAndNeverCutsOne() {
        let lines = wrappedHelpLines(textWidth: 30)
        XCTAssertTrue(lines.allSatisfy { TextWidth.of($0.text) <= 30 })
        let original = helpLines().filter { !$0.isSection }.map(\.text).joined(separator: " ")
        let wrapped = lines.filter { !$0.isSection }.map(\.text).joined(separator: " ")
        XCTAssertEqual(wrapped.filter { $0 != " " }, original.filter { $0 != " " }, "nothing is lost")
        // Lines break between words: every line but a long path's pieces ends where a word ends.
        let words = Set(original.split(separator: " ").map(String.init))
        let broken = lines.filter { line in line.text.split(separator: " ").contains { !words.contains(String($0)) } }
        XCTAssertTrue(broken.allSatisfy { !$0.text.contains(" ") }, "only a word longer than a line is broken: \(broken.map(\.text))")
    }

    func testTheDetailStripSaysEachThingOnceAndClosedGapsAreNotScored() throws {
        let h = try ScreenHarness()
        h.press("2")
        let control = try XCTUnwrap(h.runtime.state.selectedControl)
        XCTAssertFalse(control.description.isEmpty)
        XCTAssertEqual(h.screen.components(separatedBy: String(control.description.prefix(40))).count - 1, 1, h.screen)
        h.press("4", "r").type("Failover tested").press("Enter")
        XCTAssertEqual(try gap(h, "GAP-1").status, .remediated)
        h.press("G")  // closed gaps sort last
        let closed = try XCTUnwrap(h.runtime.state.selectedGap)
        XCTAssertFalse(closed.status.isOpen)
        let lines = detailLines(h.runtime.state, Glyphs(unicode: true))
        XCTAssertTrue(lines[1].hasPrefix("closed, not ranked"), lines[1])
        XCTAssertFalse(lines.joined().contains("= 0.0"))
    }

    func testHintsMatchWhatTheKeysDo() throws {
        let h = try ScreenHarness(width: 160, height: 50)
        h.press("4")
        XCTAssertTrue(h.screen.contains("x accept") && h.screen.contains("e edit"), h.screen)
        h.press("/").type("GAP").press("Enter")
        XCTAssertFalse(h.screen.contains("n new gap"), "while filtering n steps through matches")
        XCTAssertTrue(h.screen.contains("n/N next/prev"), h.screen)
        let readOnly = try ScreenHarness(width: 160, height: 50, readOnly: true)
        readOnly.press("4")
        for edit in ["a assign", "r remediate", "x accept", "z undo", "Space mark"] {
            XCTAssertFalse(readOnly.screen.contains(edit), "read-only does not advertise \(edit)")
        }
    }

    func testEscOnAFilterKeepsTheSelectedRow() throws {
        let h = try ScreenHarness()
        h.press("2", "/").type("LM-07").press("Enter")
        XCTAssertEqual(h.runtime.state.selectedControl?.ref, "LM-07")
        h.press("Esc")
        XCTAssertEqual(h.runtime.state.pane(.controls).filter, "")
        XCTAssertEqual(h.runtime.state.selectedControl?.ref, "LM-07")
        let height = layout(h.runtime.state).visibleRows(.controls)
        let pane = h.runtime.state.pane(.controls)
        XCTAssertTrue((pane.offset..<pane.offset + height).contains(pane.selection), "and it is on screen")
    }

    func testSmallWordingDefects() throws {
        let h = try ScreenHarness()
        h.press("2", "A")
        XCTAssertTrue(h.screen.contains("(none) remove the backup"), h.screen)
        XCTAssertFalse(h.screen.contains("(none) remove the owner"))
        h.press("Esc")
        XCTAssertEqual(count(1, "open gap"), "1 open gap")
        XCTAssertEqual(count(2, "open gap"), "2 open gaps")
        let bare = try ScreenHarness(typeII: false)
        bare.press("D")
        XCTAssertTrue(bare.screen.contains("Target: none set"), bare.screen)
        let ascii = try ScreenHarness(width: 80, height: 24, unicode: false)
        XCTAssertFalse(ascii.screen.contains("…"), ascii.screen)
        XCTAssertTrue(ascii.screen.contains("~"))
    }

    func testRetiredOwnersAreNotOfferedInThePicker() throws {
        let h = try ScreenHarness()
        try h.workspace.write(Fixtures.actor()) { try $0.retireOwner("Marcus Bell") }
        h.runtime.runUntilIdle()
        h.press("2", "a")
        XCTAssertFalse(h.screen.contains("Marcus Bell ·"), h.screen)
        XCTAssertTrue(h.screen.contains("Omar Haddad"), h.screen)
    }
}

/// The new-gap form: the owner is picked from the people there are; effort takes only its values.
final class GapFormTests: XCTestCase {
    func testTheOwnerFieldCompletesToAnOwnerAndEffortTakesOnlyItsValues() throws {
        let h = try ScreenHarness()
        h.press("4", "n").type("Laptop encryption not enforced")
        h.press("Tab", "Tab")  // to Effort
        h.type("q")
        func effort() -> String? { if case .form(let form) = h.runtime.state.mode { return form.value("Effort") } else { return nil } }
        XCTAssertEqual(effort(), "M", "a letter that starts no value is ignored")
        h.type("x")
        XCTAssertEqual(effort(), "XL")
        h.type("x")
        XCTAssertEqual(effort(), "XS", "the same letter again moves to the next value starting with it")
        h.press("backspace")
        XCTAssertEqual(effort(), "XS", "a choice cannot be edited into free text")
        h.press("Tab", "ctrl-u").type("omar")
        XCTAssertTrue(h.screen.contains("→ Omar Haddad (Tab)"), h.screen)
        h.press("Tab")
        guard case .form(let form) = h.runtime.state.mode else { return XCTFail("the form is still open") }
        XCTAssertEqual(form.value("Owner"), "Omar Haddad")
        h.press("ctrl-s")
        let gap = try XCTUnwrap(h.workspace.read { try $0.gaps() }.last)
        XCTAssertEqual(gap.title, "Laptop encryption not enforced")
        XCTAssertEqual(gap.owner, "Omar Haddad")
        XCTAssertEqual(gap.effort, .xs)
    }
}

/// A meeting walking the agenda can take back what it just did without leaving it.
final class AgendaUndoTests: XCTestCase {
    func testUndoFromTheAgendaRevertsAndStaysOnIt() throws {
        let h = try ScreenHarness()
        h.press(":").type("agenda").press("Enter")
        h.press("a").type("Omar").press("Enter")
        XCTAssertTrue(h.screen.contains("1. Unowned controls (10)"), h.screen)
        h.press("z")
        guard case .agenda = h.runtime.state.mode else { return XCTFail("still on the agenda after undo") }
        XCTAssertTrue(h.screen.contains("1. Unowned controls (11)"), h.screen)
        XCTAssertNil(try h.workspace.read { try $0.controls() }.first { $0.ref == "AC-14" }?.owner)
    }
}
