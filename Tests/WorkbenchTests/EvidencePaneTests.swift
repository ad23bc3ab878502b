import AssureModel
import AssureTestSupport
import TerminalUI
import XCTest

@testable import Workbench

/// The Evidence pane (the Type II set) on the fake store: rows, timelines, the detail strip, the
/// empty and no-window states, its edits (add, accept, reject) as store edits, read-only, the
/// agenda's and the dashboard's Type II sections, and help and the palette.
final class EvidencePaneTests: XCTestCase {
    /// The reducer tests' workspace with a window (2026-06-01..2026-11-30, today 2026-11-20) in
    /// which AC-01 is monthly (two evidenced, one late, two missing, one not yet due), AC-02
    /// continuous (not yet due), AC-03 quarterly (evidenced by a period, then not yet due) and
    /// AV-01 event-driven (no occurrences: it goes by samples).
    static func snapshot(window: Bool = true) -> WorkspaceSnapshot {
        var snapshot = ReducerTests.snapshot()
        func o(_ control: String, _ start: String, _ end: String, _ state: OccurrenceState, _ evidence: [String] = []) -> Occurrence {
            Occurrence(control: control, periodStart: start, periodEnd: end, due: end, state: state, evidence: evidence)
        }
        let ac01 = [
            o("AC-01", "2026-06-01", "2026-06-30", .evidenced, ["EV-1"]), o("AC-01", "2026-07-01", "2026-07-31", .evidenced, ["EV-2"]),
            o("AC-01", "2026-08-01", "2026-08-31", .late, ["EV-3"]), o("AC-01", "2026-09-01", "2026-09-30", .missing),
            o("AC-01", "2026-10-01", "2026-10-31", .missing), o("AC-01", "2026-11-01", "2026-11-30", .notDue),
        ]
        let ac02 = [o("AC-02", "2026-06-01", "2026-11-30", .notDue)]
        let ac03 = [o("AC-03", "2026-06-01", "2026-08-31", .evidenced, ["EV-4"]), o("AC-03", "2026-09-01", "2026-11-30", .notDue)]
        let rows = [
            LedgerControlLoad(control: "AC-01", frequency: .monthly, occurrences: ac01, coverage: Ledger.coverage(ac01)),
            LedgerControlLoad(control: "AC-02", frequency: .continuous, occurrences: ac02, coverage: Ledger.coverage(ac02)),
            LedgerControlLoad(control: "AC-03", frequency: .quarterly, occurrences: ac03, coverage: Ledger.coverage(ac03)),
            LedgerControlLoad(control: "AV-01", frequency: .onEvent, occurrences: [], coverage: LedgerCoverage()),
        ]
        if window {
            snapshot.typeII = TypeIIWindowLoad(
                windowStart: "2026-06-01", windowEnd: "2026-11-30", length: "6m", graceDays: 14, controls: rows,
                overall: Ledger.coverage(ac01 + ac02 + ac03), eventDriven: ["AV-01"])
        }
        snapshot.setEvidence([
            EvidenceLoad(
                ref: "EV-6", control: "AC-01", provedFrom: "2026-10-28", provedTo: "2026-10-28", review: .pending, files: ["oct-review.pdf"]),
            EvidenceLoad(ref: "EV-5", control: "AC-01", provedFrom: "2026-10-05", provedTo: "2026-10-05", review: .pending, files: ["oct-draft.pdf"]),
            EvidenceLoad(
                ref: "EV-3", control: "AC-01", provedFrom: "2026-09-20", provedTo: "2026-09-20", review: .accepted, reviewNote: "Held late",
                reviewedBy: "Omar Haddad", files: ["aug-review.pdf"]),
            EvidenceLoad(
                ref: "EV-2", control: "AC-01", provedFrom: "2026-07-15", provedTo: "2026-07-15", review: .accepted, reviewedBy: "Omar Haddad",
                version: 2, files: ["jul-review.pdf", "jul-signoff.txt"]),
            EvidenceLoad(
                ref: "EV-1", control: "AC-01", provedFrom: "2026-06-20", provedTo: "2026-06-20", review: .accepted, reviewedBy: "Omar Haddad",
                files: ["jun-review.pdf"]),
            EvidenceLoad(
                ref: "EV-4", control: "AC-03", provedFrom: "2026-06-01", provedTo: "2026-08-15", review: .accepted, reviewedBy: "Dana Kim",
                files: ["q3-access.csv"], expires: "2026-11-14", stale: true),
        ])
        return snapshot
    }

    func state(window: Bool = true, width: Int = 120, height: Int = 40) -> AppState {
        AppState(snapshot: Self.snapshot(window: window), size: (width, height))
    }

    func runtime(window: Bool = true, width: Int = 120, height: Int = 40, unicode: Bool = true, readOnly: Bool = false)
        throws -> (Runtime, HeadlessTerminal, FakeStore)
    {
        let store = FakeStore(Self.snapshot(window: window))
        let terminal = HeadlessTerminal(width: width, height: height, unicode: unicode)
        let runtime = try Runtime(store: store, terminal: terminal, options: RuntimeOptions(readOnly: readOnly))
        runtime.runUntilIdle()
        return (runtime, terminal, store)
    }

    func press(_ runtime: Runtime, _ terminal: HeadlessTerminal, _ keys: String...) {
        for key in keys { terminal.press(KeyNames.parse(key)!) }
        runtime.runUntilIdle()
    }

    // MARK: - Rows, timelines, detail

    func testRowsAreTheControlsThatOweOccurrences() {
        var state = state()
        _ = reduce(&state, .key(.char("6")))
        XCTAssertEqual(state.paneSet, .typeII)
        XCTAssertEqual(state.focus, .evidence)
        XCTAssertEqual(
            (0..<state.rowCount(.evidence)).map { state.ledgerRow(at: $0)?.control }, ["AC-01", "AC-02", "AC-03"],
            "AV-01 is event-driven: it owes no occurrence")
        _ = reduce(&state, .key(.char("/")))
        for c in "access" { _ = reduce(&state, .key(.char(c))) }
        XCTAssertEqual(state.selectedLedgerRow?.control, "AC-03", "the filter matches the control's title")
    }

    func testTheTimelineAndDetailStrip() throws {
        let (runtime, terminal, _) = try runtime()
        press(runtime, terminal, "6")
        let screen = terminal.screenText
        XCTAssertTrue(screen.contains("┌ 6 Evidence · 2026-06-01..2026-11-30 · on time 50% "), screen)
        XCTAssertTrue(screen.contains("│ AC-01   monthly     ●●◐✗✗·  40%  SSO enforced"), screen)
        XCTAssertTrue(screen.contains("│ AC-02   continuous  ·         —  MFA for admins"), screen)
        XCTAssertTrue(screen.contains("│ AC-03   quarterly   ●·     100%  Quarterly access review"), screen)
        XCTAssertFalse(screen.contains("AV-01"), screen)
        let detail = detailLines(runtime.state, Glyphs(unicode: true))
        XCTAssertEqual(detail[0], "AC-01 SSO enforced · monthly · on time 2 of 5 due (40%) · 1 late · 2 missing · 1 not yet due · owner Dana Kim")
        XCTAssertEqual(detail[1], "occurrences (due): 06-30 ● EV-1 · 07-31 ● EV-2 · 08-31 ◐ EV-3 · 09-30 ✗ · 10-31 ✗ · 11-30 ·")
        XCTAssertEqual(
            detail[2],
            "evidence (5): EV-6 2026-10-28 pending v1 oct-review.pdf · EV-5 2026-10-05 pending v1 oct-draft.pdf · "
                + "EV-3 2026-09-20 accepted v1 aug-review.pdf · EV-2 2026-07-15 accepted v2 jul-review.pdf, jul-signoff.txt · "
                + "EV-1 2026-06-20 accepted v1 jun-review.pdf")
        assertGolden(screen, named: "evidence-120x40")
        press(runtime, terminal, "j", "j")
        XCTAssertTrue(terminal.screenText.contains("evidence (1): EV-4 2026-06-01..2026-08-15 accepted v1 q3-access.csv stale"), terminal.screenText)
    }

    func testEverySizeAndASCII() throws {
        for (w, h) in [(160, 50), (80, 24), (40, 12)] {
            let (runtime, terminal, _) = try runtime(width: w, height: h)
            press(runtime, terminal, "]", "]")
            XCTAssertEqual(runtime.state.focus, .evidence)
            assertGolden(terminal.screenText, named: "evidence-\(w)x\(h)")
        }
        let (runtime, terminal, _) = try runtime(width: 80, height: 24, unicode: false)
        press(runtime, terminal, "6")
        XCTAssertTrue(terminal.screenText.contains("| AC-01   monthly     **~xx.  40%"), terminal.screenText)
        assertGolden(terminal.screenText, named: "evidence-80x24-ascii")
    }

    func testRoomyDetailListsEachItemWithItsReview() throws {
        let (runtime, terminal, _) = try runtime(width: 160, height: 50)
        press(runtime, terminal, "6")
        let detail = detailLines(runtime.state, Glyphs(unicode: true))
        XCTAssertEqual(detail[2], "EV-6 · proves 2026-10-28 · pending · v1 oct-review.pdf")
        XCTAssertEqual(detail[4], "EV-3 · proves 2026-09-20 · accepted by Omar Haddad: Held late · v1 aug-review.pdf")
    }

    func testTimelinesTooLongForTheRowShowTheMostPressingStateOfEachRun() {
        let days = (0..<181).map { i in
            Occurrence(control: "BC-01", periodStart: "", periodEnd: "", due: "", state: i == 100 ? .missing : (i < 150 ? .evidenced : .notDue))
        }
        let cells = timelineCells(days, width: 26)
        XCTAssertEqual(cells.count, 26)
        XCTAssertEqual(cells.filter { $0 == .missing }.count, 1, "one missing day is never hidden")
        XCTAssertEqual(cells.last, .notDue)
        XCTAssertEqual(timelineCells(Array(days.prefix(6)), width: 26).count, 6, "one cell per occurrence when they fit")
    }

    // MARK: - Empty and no window

    func testWithNoWindowThePaneSaysHowToSetOne() throws {
        let (runtime, terminal, store) = try runtime(window: false, width: 80, height: 24)
        press(runtime, terminal, "6")
        XCTAssertTrue(terminal.screenText.contains("no Type II window: set one with :target 2 2026-01-01 6m"), terminal.screenText)
        XCTAssertTrue(terminal.screenText.contains("6 Evidence · no window"), terminal.screenText)
        assertGolden(terminal.screenText, named: "evidence-no-window-80x24")
        press(runtime, terminal, "a")
        XCTAssertEqual(runtime.state.mode, .normal)
        XCTAssertEqual(runtime.state.toast?.text, "no Type II window: set one with :target 2 2026-01-01 6m")
        XCTAssertTrue(store.applied.isEmpty)

        var snapshot = Self.snapshot()
        snapshot.typeII!.controls = snapshot.typeII!.controls.filter { $0.occurrences.isEmpty }
        var state = AppState(snapshot: snapshot, size: (120, 40))
        _ = reduce(&state, .key(.char("6")))
        XCTAssertEqual(state.rowCount(.evidence), 0)
        XCTAssertEqual(
            Pane.evidence.definition.emptyText(state),
            "no control owes evidence in 2026-06-01..2026-11-30 (1 event-driven control with no sample yet)")
    }

    // MARK: - Edits

    func testAddAcceptAndRejectAreEditsThroughTheStore() throws {
        let (runtime, terminal, store) = try runtime()
        press(runtime, terminal, "6", "a")
        guard case .form(let form) = runtime.state.mode else { return XCTFail("the add form opens") }
        XCTAssertEqual(form.title, "Evidence for AC-01")
        XCTAssertEqual(form.value("Proves"), "2026-11-20", "today unless told otherwise")
        terminal.type("~/evidence/q3 access.csv")
        press(runtime, terminal, "Enter", "ctrl-u")
        terminal.type("2026-09-30..2026-07-01")
        press(runtime, terminal, "Enter")
        guard case .form(let refused) = runtime.state.mode else { return XCTFail("a period ending before it starts keeps the form") }
        XCTAssertTrue(refused.error?.hasPrefix("proves: a date") == true, refused.error ?? "")
        XCTAssertTrue(store.applied.isEmpty)
        press(runtime, terminal, "ctrl-u")
        terminal.type("2026-07-01..2026-09-30")
        press(runtime, terminal, "Enter")
        XCTAssertEqual(
            store.applied.last?.edit, .addEvidence(control: "AC-01", file: "~/evidence/q3 access.csv", from: "2026-07-01", to: "2026-09-30"))
        XCTAssertEqual(store.applied.last?.baseline, 1, "checked against what was on screen")
        XCTAssertEqual(runtime.state.toast?.text, "done · z to undo")
        XCTAssertEqual(runtime.state.history.undo.count, 1, "one undo step")

        // y accepts the newest pending item (the last one added), with a note.
        press(runtime, terminal, "y")
        guard case .prompt(let prompt) = runtime.state.mode else { return XCTFail("the note prompt opens") }
        XCTAssertEqual(prompt.question, "Accept EV-6 (AC-01, proves 2026-10-28)? What was checked:")
        press(runtime, terminal, "Enter")
        XCTAssertEqual(store.applied.count, 1, "a review needs a note")
        terminal.type("Signed by the system owner")
        press(runtime, terminal, "Enter")
        XCTAssertEqual(store.applied.last?.edit, .reviewEvidence(ref: "EV-6", accept: true, note: "Signed by the system owner"))

        // The independent-review refusal comes back as the usual error, with the prompt.
        press(runtime, terminal, "x")
        terminal.type("Wrong month")
        store.refuseNext = "EV-6: Dana Kim owns the control, and this workspace asks for someone else to review its evidence"
        press(runtime, terminal, "Enter")
        guard case .prompt(let back) = runtime.state.mode else { return XCTFail("the prompt comes back") }
        XCTAssertEqual(back.target, .reviewEvidence(ref: "EV-6", accept: false))
        XCTAssertEqual(back.field.text, "Wrong month")
        XCTAssertEqual(back.error, "EV-6: Dana Kim owns the control, and this workspace asks for someone else to review its evidence")
        press(runtime, terminal, "Enter")
        XCTAssertEqual(store.applied.last?.edit, .reviewEvidence(ref: "EV-6", accept: false, note: "Wrong month"))

        // Nothing pending: said, nothing opened.
        press(runtime, terminal, "G", "y")
        XCTAssertEqual(runtime.state.mode, .normal)
        XCTAssertEqual(runtime.state.toast?.text, "AC-03 has no evidence pending review; a adds some")

        // Enter shows the control in the Controls pane.
        press(runtime, terminal, "Enter")
        XCTAssertEqual(runtime.state.focus, .controls)
        XCTAssertEqual(runtime.state.paneSet, .readiness)
        XCTAssertEqual(runtime.state.selectedControl?.ref, "AC-03")
        XCTAssertEqual(runtime.state.toast?.text, "AC-03 in the Controls pane · 6 goes back to Evidence")
    }

    func testReadOnlyRefusesTheEditsAndTheHintBarDoesNotOfferThem() throws {
        let (runtime, terminal, store) = try runtime(readOnly: true)
        press(runtime, terminal, "6")
        let keys = hints(for: runtime.state).map(\.1)
        XCTAssertFalse(keys.contains("add evidence") || keys.contains("accept") || keys.contains("reject") || keys.contains("undo"), "\(keys)")
        XCTAssertTrue(keys.contains("control"), "\(keys)")
        XCTAssertFalse(keys.contains("collect"), "\(keys)")
        for key in ["a", "y", "x", "c"] {
            press(runtime, terminal, key)
            XCTAssertEqual(runtime.state.mode, .normal)
            XCTAssertEqual(runtime.state.toast?.text, "read-only: this workbench was opened with --readonly, so editing is off")
        }
        XCTAssertTrue(store.applied.isEmpty)
        var writable = state()
        _ = reduce(&writable, .key(.char("6")))
        XCTAssertEqual(hints(for: writable).map(\.0).prefix(8), ["?", "[ ]", "a", "y", "x", "c", "Enter", "z"])
    }

    // MARK: - Agenda, dashboard, help, palette

    func testTheAgendaListsMissingLateAndStaleEvidence() {
        var state = state()
        let lines = agenda(state).map(\.text)
        XCTAssertTrue(lines.contains("4. Type II: missing and late evidence (3 in 2026-06-01..2026-11-30)"), "\(lines)")
        XCTAssertTrue(lines.contains("   AC-01  missing: due 2026-09-30, 2026-10-31; late: due 2026-08-31 (EV-3)  Dana Kim"), "\(lines)")
        XCTAssertTrue(lines.contains("5. Stale evidence (1)"), "\(lines)")
        XCTAssertTrue(lines.contains("   AC-03  EV-4 proves 2026-06-01..2026-08-15, expired 2026-11-14  q3-access.csv"), "\(lines)")
        // Enter on an item goes to the control in the Evidence pane.
        _ = reduce(&state, .run(.agenda))
        let line = agenda(state).firstIndex { $0.item == .evidence("AC-03") }!
        state.mode = .agenda(selection: line)
        _ = reduce(&state, .key(.enter))
        XCTAssertEqual(state.mode, .normal)
        XCTAssertEqual(state.focus, .evidence)
        XCTAssertEqual(state.paneSet, .typeII)
        XCTAssertEqual(state.selectedLedgerRow?.control, "AC-03")

        let none = agenda(self.state(window: false)).map(\.text)
        XCTAssertTrue(none.contains("4. Type II: missing and late evidence (no window: :target 2 2026-01-01 6m)"), "\(none)")
    }

    func testTheDashboardHasATypeIIWindowSection() {
        let lines = dashboardLines(state(), Glyphs(unicode: true), width: 76).map(\.0)
        let start = try! XCTUnwrap(lines.firstIndex(of: "Type II window"))
        XCTAssertEqual(
            Array(lines[start + 1...start + 4]),
            [
                "  2026-06-01..2026-11-30 (6m), grace 14 days: 3 controls owe 9 occurrences",
                "  On time               ██████████████████░░░░░░░░░░░░░░░░░░  50%  3/6 due on time",
                "  ● evidenced 3  ◐ late 1  ✗ missing 2  · not yet due 3",
                "  1 event-driven control with no sample yet: AV-01",
            ])
        XCTAssertTrue(
            dashboardLines(state(window: false), Glyphs(unicode: true), width: 76).map(\.0)
                .contains("  none set (:target 2 2026-01-01 6m)"))
    }

    func testHelpAndThePaletteShowTheNewKeys() {
        let help = helpLines()
        XCTAssertTrue(help.contains { $0.key == "6" && $0.text == "Focus Evidence (the Type II set)" })
        let section = help.firstIndex { $0.isSection && $0.key == "Evidence" }!
        XCTAssertEqual(help[(section + 1)...].prefix(6).map(\.key), ["a", "y", "x", "c", "d", "Enter"])
        let palette = paletteMatches("evidence").map(\.id)
        for id in [CommandID.addEvidence, .acceptEvidence, .rejectEvidence, .focusEvidence] { XCTAssertTrue(palette.contains(id), "\(id)") }
        XCTAssertEqual(CommandRegistry.command(for: .char("y"), in: .evidence)?.id, .acceptEvidence)
        XCTAssertEqual(CommandRegistry.command(for: .char("x"), in: .gaps)?.id, .acceptRisk, "x keeps its meaning in Gaps")
        XCTAssertEqual(CommandRegistry.command(for: .char("a"), in: .controls)?.id, .assign)
        XCTAssertEqual(PaneSetID.allCases.map(\.title), ["Readiness", "Frameworks", "Type II", "Programme", "Vendors"])
        var state = state()
        _ = reduce(&state, .key(.char("]")))
        _ = reduce(&state, .key(.char("]")))
        XCTAssertEqual(state.focus, .evidence)
        _ = reduce(&state, .key(.char("]")))
        XCTAssertEqual(state.focus, .risks)
        _ = reduce(&state, .key(.char("]")))
        XCTAssertEqual(state.focus, .vendors)
        _ = reduce(&state, .key(.char("]")))
        XCTAssertEqual(state.paneSet, .readiness, "] cycles the five sets")
    }
}
