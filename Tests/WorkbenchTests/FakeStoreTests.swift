import AssureModel
import TerminalUI
import XCTest

@testable import Workbench

/// A workbench store in memory, with no SQLite: it serves a snapshot, records the edits it is
/// asked for, and can be told to refuse the next one, as a conflict would.
final class FakeStore: WorkbenchStore {
    var snapshot: WorkspaceSnapshot
    var token: Int64 = 1
    private(set) var applied: [(edit: Edit, baseline: Int64?)] = []
    var refuseNext: String?

    init(_ snapshot: WorkspaceSnapshot) { self.snapshot = snapshot }

    func loadSnapshot() throws -> WorkspaceSnapshot {
        var copy = snapshot
        copy.changeToken = token
        return copy
    }
    func changeToken() throws -> Int64 { token }
    func lastChange(entity: String, ref: String) throws -> ChangeRecord? { nil }
    func trend(weeks: Int) throws -> [TrendSample] { [] }
    func proposedGaps() throws -> [String] { [] }

    struct Refusal: Error, CustomStringConvertible { var description: String }

    func apply(_ edit: Edit, baseline: Int64?) throws -> EditResult {
        if let message = refuseNext {
            refuseNext = nil
            token += 1
            throw Refusal(description: message)
        }
        applied.append((edit, baseline))
        token += 1
        return EditResult(batch: token, summary: "done")
    }
}

/// The runtime and the reducer against the fake store: the loop, effects and refusals without
/// a database.
final class FakeStoreTests: XCTestCase {
    func runtime(width: Int = 120, height: Int = 40) throws -> (Runtime, HeadlessTerminal, FakeStore) {
        let store = FakeStore(ReducerTests.snapshot())
        let terminal = HeadlessTerminal(width: width, height: height)
        let runtime = try Runtime(store: store, terminal: terminal)
        runtime.runUntilIdle()
        return (runtime, terminal, store)
    }

    func testAnEditCarriesTheBaselineOfWhenItsPickerOpened() throws {
        let (runtime, terminal, store) = try runtime()
        terminal.press(.char("2"), .char("a"))
        runtime.runUntilIdle()
        store.token = 9  // someone else wrote while the picker was open; the poll reloads
        runtime.runUntilIdle()
        XCTAssertEqual(runtime.state.baseline, 9)
        terminal.type("Omar")
        terminal.press(.enter)
        runtime.runUntilIdle()
        XCTAssertEqual(store.applied.count, 1)
        XCTAssertEqual(store.applied[0].baseline, 1, "judged against what was on screen when the picker opened")
        XCTAssertEqual(store.applied[0].edit, .assignOwner(controls: ["AC-01"], owner: "Omar Haddad", create: false))
    }

    func testARefusedEditBringsThePromptBackWithWhatWasTyped() throws {
        let (runtime, terminal, store) = try runtime()
        terminal.press(.char("4"), .char("r"))
        terminal.type("Tested")
        store.refuseNext = "GAP-1 status was changed by omar at 2026-11-20 09:00 (now risk-accepted); nothing was written"
        terminal.press(.enter)
        runtime.runUntilIdle()
        guard case .prompt(let prompt) = runtime.state.mode else { return XCTFail("the prompt comes back") }
        XCTAssertEqual(prompt.field.text, "Tested")
        XCTAssertEqual(
            prompt.error, store.refuseNext ?? "GAP-1 status was changed by omar at 2026-11-20 09:00 (now risk-accepted); nothing was written")
        XCTAssertEqual(prompt.baseline, runtime.state.baseline, "a second Enter is judged against the state just reloaded")
        XCTAssertTrue(store.applied.isEmpty)
    }

    func testAMouseClickThroughTheTerminalFocusesAndSelects() throws {
        let (runtime, terminal, _) = try runtime()
        let gaps = try XCTUnwrap(ScreenLayout.compute(width: 120, height: 40, focus: .criteria).panes[.gaps])
        terminal.send(.mouse(.left, x: gaps.x + 3, y: gaps.y + 3))
        runtime.runUntilIdle()
        XCTAssertEqual(runtime.state.focus, .gaps)
        XCTAssertEqual(runtime.state.pane(.gaps).selection, 2)
        terminal.send(.mouse(.wheelUp, x: gaps.x + 3, y: gaps.y + 3))
        runtime.runUntilIdle()
        XCTAssertEqual(runtime.state.pane(.gaps).selection, 0, "the wheel moves the selection in the pane under the pointer")
        XCTAssertTrue(terminal.screenText.contains("┌ 4 Gaps"), terminal.screenText)
    }
}
