import AssureModel
import TerminalUI
import XCTest

@testable import Workbench

/// Reducer tests on a small hand-built snapshot: exact state changes and effects.
final class ReducerTests: XCTestCase {
    static func snapshot() -> WorkspaceSnapshot {
        func req(_ ref: String, _ parent: String?, _ kind: RequirementKind, _ category: String, _ title: String, _ order: Int) -> Requirement {
            Requirement(
                frameworkID: "soc2", ref: ref, parentRef: parent, kind: kind, category: category, title: title, summary: "About \(ref)", order: order)
        }
        let requirements = [
            req("CC", nil, .category, "security", "Security", 0),
            req("CC6", "CC", .series, "security", "Logical access", 1),
            req("CC6.1", "CC6", .criterion, "security", "Access software", 2),
            req("CC6.2", "CC6", .criterion, "security", "User registration", 3),
            req("A", nil, .category, "availability", "Availability", 4),
            req("A1", "A", .series, "availability", "Availability criteria", 5),
            req("A1.1", "A1", .criterion, "availability", "Capacity", 6),
        ]
        let controls = [
            Control(ref: "AC-01", title: "SSO enforced", status: .implemented, owner: "Dana Kim", criteria: ["CC6.1"]),
            Control(ref: "AC-02", title: "MFA for admins", status: .inProgress, criteria: ["CC6.1", "CC6.2"]),
            Control(ref: "AC-03", title: "Quarterly access review", status: .notStarted, owner: "Omar Haddad", criteria: ["CC6.2"]),
            Control(ref: "AV-01", title: "Capacity alerts", status: .implemented, owner: "Omar Haddad", criteria: ["A1.1"]),
        ]
        let owners = [
            OwnerLoad(owner: Owner(name: "Dana Kim", role: "Head of Security"), controls: 1, openGaps: 1, overdueGaps: 0),
            OwnerLoad(owner: Owner(name: "Omar Haddad", role: "SRE Lead"), controls: 2, openGaps: 1, overdueGaps: 1),
        ]
        let gaps = [
            Gap(ref: "GAP-1", title: "No DR test", severity: .high, owner: "Omar Haddad", due: "2026-11-01", status: .open),
            Gap(ref: "GAP-2", title: "Old laptops", severity: .low, owner: "Dana Kim", status: .remediated),
            Gap(ref: "GAP-3", title: "MFA gaps", severity: .critical, owner: "Dana Kim", due: "2027-01-10", status: .inProgress),
        ]
        var snapshot = WorkspaceSnapshot(
            scope: Scope(company: "Acme", categories: [.security]), requirements: requirements,
            pointsOfFocus: [:], controls: controls, owners: owners, gaps: gaps, today: "2026-11-20")
        // What the store would hand over as the readiness rule's input (A1.1's category is out of scope).
        snapshot.readinessInput = [
            ReadinessCriterion(ref: "CC6.1", series: "CC6", category: "security", inScope: true, controls: ["AC-01", "AC-02"]),
            ReadinessCriterion(ref: "CC6.2", series: "CC6", category: "security", inScope: true, controls: ["AC-02", "AC-03"]),
            ReadinessCriterion(ref: "A1.1", series: "A1", category: "availability", inScope: false, controls: ["AV-01"]),
        ]
        return snapshot
    }

    func makeState(width: Int = 120, height: Int = 40) -> AppState { AppState(snapshot: Self.snapshot(), size: (width, height)) }

    func send(_ state: inout AppState, _ keys: Key...) -> [Effect] {
        var effects: [Effect] = []
        for key in keys { effects += reduce(&state, .key(key)) }
        return effects
    }

    func testInitialTreeOpensInScopeCategoriesAndFoldsOthers() {
        let state = makeState()
        XCTAssertEqual(state.criteriaRows.map(\.ref), ["CC", "CC6", "CC6.1", "CC6.2", "A"])
        XCTAssertEqual(state.criteriaRows.map(\.depth), [0, 1, 2, 2, 0])
        XCTAssertEqual(
            state.index.readiness.overall, Share(addressed: 1, total: 2), "CC6.1 is addressed; CC6.2 has no implemented control; A1.1 is out of scope"
        )
    }

    func testMovingInCriteriaDrivesControls() {
        var state = makeState()
        XCTAssertEqual(state.controlRows.count, 3, "the category row selects every control under it (AV-01 is under A)")
        _ = send(&state, .char("j"), .char("j"))
        XCTAssertEqual(state.selectedCriteriaRow?.ref, "CC6.1")
        XCTAssertEqual(state.controlRows.map { state.snapshot.controls[$0].ref }, ["AC-01", "AC-02"])
        _ = send(&state, .down)
        XCTAssertEqual(state.controlRows.map { state.snapshot.controls[$0].ref }, ["AC-02", "AC-03"])
        _ = send(&state, .char("t"))
        XCTAssertEqual(state.controlRows.count, 4)
        XCTAssertFalse(state.criteriaDrivesControls)
    }

    func testFoldingAndUnfolding() {
        var state = makeState()
        _ = send(&state, .char("j"))  // CC6
        _ = send(&state, .enter)
        XCTAssertEqual(state.criteriaRows.map(\.ref), ["CC", "CC6", "A"])
        _ = send(&state, .char("l"))
        XCTAssertEqual(state.criteriaRows.map(\.ref), ["CC", "CC6", "CC6.1", "CC6.2", "A"])
        _ = send(&state, .char("j"), .char("h"))  // on CC6.1: folds its series and moves there
        XCTAssertEqual(state.selectedCriteriaRow?.ref, "CC6")
        XCTAssertEqual(state.criteriaRows.map(\.ref), ["CC", "CC6", "A"])
        _ = send(&state, .char("G"), .char(" "))
        XCTAssertEqual(state.criteriaRows.map(\.ref), ["CC", "CC6", "A", "A1"])
    }

    func testEnterOnACriterionFocusesItsControls() {
        var state = makeState()
        _ = send(&state, .char("j"), .char("j"))
        let effects = send(&state, .enter)
        XCTAssertEqual(state.focus, .controls)
        XCTAssertEqual(effects, [.loadDetail(entity: "control", ref: "AC-01")])
    }

    func testPaneSwitching() {
        var state = makeState()
        _ = send(&state, .tab)
        XCTAssertEqual(state.focus, .controls)
        _ = send(&state, .tab, .tab, .tab)
        XCTAssertEqual(state.focus, .criteria)
        _ = send(&state, .backTab)
        XCTAssertEqual(state.focus, .gaps)
        _ = send(&state, .char("3"))
        XCTAssertEqual(state.focus, .owners)
    }

    func testGapsAreOpenFirstBySeverity() {
        let state = makeState()
        XCTAssertEqual(state.gapKeys.map(\.ref), ["GAP-3", "GAP-1", "GAP-2"])
    }

    func testFilterNarrowsAsYouTypeAndEscClears() {
        var state = makeState()
        _ = send(&state, .char("2"), .char("t"), .char("/"))
        XCTAssertEqual(state.mode, .filter(TextField(text: "")))
        _ = send(&state, .char("q"), .char("a"))  // typing q does not quit
        XCTAssertFalse(state.shouldQuit)
        XCTAssertEqual(state.pane(.controls).filter, "qa")
        XCTAssertEqual(state.controlRows.map { state.snapshot.controls[$0].ref }, ["AC-03"])
        _ = send(&state, .enter)
        XCTAssertEqual(state.mode, .normal)
        XCTAssertEqual(state.pane(.controls).filter, "qa", "Enter keeps the filter")
        _ = send(&state, .escape)
        XCTAssertEqual(state.pane(.controls).filter, "")
        XCTAssertEqual(state.controlRows.count, 4)
        XCTAssertFalse(state.shouldQuit, "Esc never quits")
    }

    /// Each letter typed narrows the rows the filter already holds (`ControlRowsBasis`); the
    /// result is always what building the rows afresh for that filter gives, in the pane's
    /// order, also after a sort, a deleted letter, and a new snapshot.
    func testTypingAFilterNarrowsToWhatAFreshBuildGives() {
        func fresh(_ state: AppState) -> [Int] {
            var copy = state
            copy.controlRowsBasis = nil
            copy.rebuildControlRows()
            return copy.controlRows
        }
        var state = makeState()
        _ = send(&state, .char("2"), .char("t"), .char("o"), .char("/"))
        XCTAssertEqual(state.controlSort, .status)
        for key in [Key.char("a"), .char("c"), .char("0"), .backspace, .backspace, .char("m")] {
            _ = send(&state, key)
            XCTAssertEqual(state.controlRows, fresh(state), "after \(key) the filter is '\(state.pane(.controls).filter)'")
        }
        XCTAssertEqual(
            state.controlRows.map { state.snapshot.controls[$0].ref }, ["AC-02", "AC-01"],
            "am (MFA for admins, Dana Kim): in progress before implemented")
        // A new snapshot (one control fewer) is never narrowed from the old one's rows.
        var smaller = Self.snapshot()
        smaller.controls.removeFirst()
        _ = reduce(&state, .snapshotLoaded(smaller))
        XCTAssertNil(state.controlRows.first { $0 >= state.snapshot.controls.count })
        XCTAssertEqual(state.controlRows, fresh(state))
    }

    func testFilterMatchesOwnerAndNextMatchWraps() {
        var state = makeState()
        _ = send(&state, .char("2"), .char("t"), .char("/"), .char("o"), .char("m"), .char("a"), .char("r"), .enter)
        XCTAssertEqual(state.controlRows.map { state.snapshot.controls[$0].ref }, ["AC-03", "AV-01"])
        _ = send(&state, .char("n"))
        XCTAssertEqual(state.selectedControl?.ref, "AV-01")
        _ = send(&state, .char("n"))
        XCTAssertEqual(state.selectedControl?.ref, "AC-03")
        _ = send(&state, .char("N"))
        XCTAssertEqual(state.selectedControl?.ref, "AV-01")
    }

    func testOwnerLimit() {
        var state = makeState()
        _ = send(&state, .char("3"), .char("j"), .enter)  // Omar Haddad
        XCTAssertEqual(state.ownerLimit, "Omar Haddad")
        _ = send(&state, .char("2"), .char("t"))
        XCTAssertEqual(state.controlRows.map { state.snapshot.controls[$0].ref }, ["AC-03", "AV-01"])
        XCTAssertEqual(state.gapKeys.map(\.ref), ["GAP-1"])
        _ = send(&state, .escape)
        XCTAssertNil(state.ownerLimit)
        XCTAssertEqual(state.gapKeys.count, 3)
        _ = send(&state, .char("3"), .char("G"), .enter)  // (unassigned)
        XCTAssertEqual(state.ownerLimit, "")
        XCTAssertEqual(state.controlRows.map { state.snapshot.controls[$0].ref }, ["AC-02"])
    }

    func testSortControlsCycles() {
        var state = makeState()
        _ = send(&state, .char("2"), .char("o"))
        XCTAssertEqual(state.controlSort, .status)
        XCTAssertEqual(state.controlRows.map { state.snapshot.controls[$0].ref }, ["AC-03", "AC-02", "AC-01"])
        _ = send(&state, .char("o"))
        XCTAssertEqual(state.controlRows.map { state.snapshot.controls[$0].ref }, ["AC-01", "AC-03", "AC-02"])
        _ = send(&state, .char("t"))
        XCTAssertEqual(state.controlRows.map { state.snapshot.controls[$0].ref }, ["AC-01", "AC-03", "AV-01", "AC-02"])
    }

    func testPaletteFindsAndRunsCommands() {
        var state = makeState()
        _ = send(&state, .ctrl("p"))
        guard case .palette = state.mode else { return XCTFail("palette not open") }
        for c in "focus gaps" { _ = send(&state, .char(c)) }
        _ = send(&state, .enter)
        XCTAssertEqual(state.mode, .normal)
        XCTAssertEqual(state.focus, .gaps)
        _ = send(&state, .char(":"))
        for c in "theme light" { _ = send(&state, .char(c)) }
        XCTAssertEqual(send(&state, .enter), [.switchTheme("light")])
    }

    func testHelpOpensClosesAndScrolls() {
        var state = makeState()
        _ = send(&state, .function(1))
        XCTAssertEqual(state.mode, .help(scroll: 0))
        _ = send(&state, .char("j"), .char("j"))
        XCTAssertEqual(state.mode, .help(scroll: 2))
        _ = send(&state, .char("q"))
        XCTAssertEqual(state.mode, .normal)
        XCTAssertFalse(state.shouldQuit, "q closes help first")
        XCTAssertEqual(send(&state, .char("q")), [.quit])
    }

    func testScrollingKeepsTheSelectionVisible() {
        var state = makeState(width: 80, height: 24)
        let rows = ScreenLayout.compute(width: 80, height: 24, focus: .criteria).visibleRows(.gaps)
        _ = send(&state, .char("4"), .char("G"))
        XCTAssertEqual(state.pane(.gaps).selection, 2)
        XCTAssertLessThanOrEqual(state.pane(.gaps).offset, 2)
        XCTAssertGreaterThan(state.pane(.gaps).offset + rows, 2)
    }

    /// Fails if `ensureVisible` does nothing: the list is far longer than the pane.
    func testScrollingFollowsTheSelectionThroughALongList() {
        var snapshot = Self.snapshot()
        snapshot.setGaps((1...60).map { Gap(ref: "GAP-\($0)", title: "Gap \($0)", severity: .medium, due: nil, status: .open) })
        var state = AppState(snapshot: snapshot, size: (80, 24))
        let height = ScreenLayout.compute(width: 80, height: 24, focus: .gaps).visibleRows(.gaps)
        XCTAssertLessThan(height, 60)
        _ = send(&state, .char("4"), .char("G"))
        XCTAssertEqual(state.pane(.gaps).selection, 59)
        XCTAssertEqual(state.pane(.gaps).offset, 60 - height, "the last row is at the bottom of the pane")
        _ = send(&state, .char("g"))
        XCTAssertEqual(state.pane(.gaps).offset, 0)
        _ = send(&state, .pageDown)
        XCTAssertEqual(state.pane(.gaps).selection, height)
        XCTAssertEqual(state.pane(.gaps).offset, 1, "one row scrolled, so the selection is just visible")
        _ = send(&state, .char("k"))
        XCTAssertEqual(state.pane(.gaps).offset, 1, "moving up inside the window does not scroll")
        _ = reduce(&state, .resize(width: 80, height: 14))
        let smaller = ScreenLayout.compute(width: 80, height: 14, focus: .gaps).visibleRows(.gaps)
        XCTAssertGreaterThan(state.pane(.gaps).offset + smaller, state.pane(.gaps).selection, "a resize keeps the selection visible")
    }

    /// Nobody can see what a key does on a "too small" screen, so nothing changes.
    func testKeysDoNothingWhileTheScreenIsTooSmall() {
        var state = makeState(width: 30, height: 8)
        XCTAssertEqual(layout(state).kind, .tooSmall)
        state.history.undo = [7]
        let before = state
        for key: Key in [.char("z"), .char("j"), .char("4"), .char("a"), .char("n"), .char("/"), .char(":"), .enter, .char("D")] {
            XCTAssertEqual(reduce(&state, .key(key)), [], "\(key)")
        }
        XCTAssertEqual(state, before, "the whole state is unchanged")
        XCTAssertEqual(reduce(&state, .mouse(.left, x: 2, y: 2)), [])
        XCTAssertEqual(reduce(&state, .key(.char("q"))), [.quit])
    }

    func testMouseClickFocusesAndSelects() {
        var state = makeState()
        let layout = ScreenLayout.compute(width: 120, height: 40, focus: .criteria)
        let gaps = layout.panes[.gaps]!
        _ = reduce(&state, .mouse(.left, x: gaps.x + 3, y: gaps.y + 2))
        XCTAssertEqual(state.focus, .gaps)
        XCTAssertEqual(state.selectedGap?.ref, "GAP-1")
    }

    func testWheelScrollsThePaneUnderThePointer() {
        var state = makeState()
        let gaps = ScreenLayout.compute(width: 120, height: 40, focus: .criteria).panes[.gaps]!
        _ = reduce(&state, .mouse(.wheelDown, x: gaps.x + 2, y: gaps.y + 2))
        XCTAssertEqual(state.focus, .gaps)
        XCTAssertEqual(state.pane(.gaps).selection, 2)
        _ = reduce(&state, .mouse(.wheelUp, x: gaps.x + 2, y: gaps.y + 2))
        XCTAssertEqual(state.pane(.gaps).selection, 0)
    }

    func testEveryRegisteredKeyAppearsInHelp() {
        let help = helpLines()
        for command in CommandRegistry.all where !command.keys.isEmpty {
            XCTAssertTrue(help.contains { $0.key == command.keyLabel && $0.text == command.title }, "\(command.id) missing from help")
        }
        for command in CommandRegistry.all where !command.keys.isEmpty {
            for key in command.keys {
                XCTAssertTrue(help.contains { $0.key.contains(KeyNames.label(key)) }, "\(KeyNames.label(key)) missing from help")
            }
        }
    }

    func testLayoutsBySize() {
        XCTAssertEqual(ScreenLayout.compute(width: 160, height: 50, focus: .criteria).kind, .roomy)
        XCTAssertEqual(ScreenLayout.compute(width: 120, height: 40, focus: .criteria).kind, .wide)
        XCTAssertEqual(ScreenLayout.compute(width: 80, height: 24, focus: .criteria).kind, .grid)
        XCTAssertEqual(ScreenLayout.compute(width: 60, height: 20, focus: .gaps).panes.keys.sorted { $0.rawValue < $1.rawValue }, [.gaps])
        XCTAssertEqual(ScreenLayout.compute(width: 39, height: 30, focus: .criteria).kind, .tooSmall)
        XCTAssertEqual(ScreenLayout.compute(width: 80, height: 11, focus: .criteria).kind, .tooSmall)
        // Panes tile the body without overlapping at every size.
        for (w, h) in [(160, 50), (120, 40), (100, 30), (80, 24)] {
            let layout = ScreenLayout.compute(width: w, height: h, focus: .criteria)
            let rects = Array(layout.panes.values)
            for i in rects.indices {
                for j in rects.indices where i < j {
                    let a = rects[i]
                    let b = rects[j]
                    XCTAssertFalse(a.x < b.maxX && b.x < a.maxX && a.y < b.maxY && b.y < a.maxY, "\(w)x\(h): \(a) overlaps \(b)")
                }
            }
            XCTAssertEqual(rects.map { $0.width * $0.height }.reduce(0, +), w * (h - 2 - layout.detail.height))
        }
    }
}
