import AssureApp
import AssureModel
import AssureStore
import AssureTestSupport
import Foundation
import TerminalUI
import XCTest

@testable import Workbench

/// The Controls pane holds every control's line and reads a whole control only when one is
/// shown in full: the lines must say what whole controls say, and the pane must not read them all.
final class ControlWindowTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws { folder = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func checkLines(_ workspace: Workspace, file: StaticString = #filePath, line: UInt = #line) throws {
        let (whole, lines) = try workspace.read { r in (try r.controls(), try r.controlLines()) }
        XCTAssertFalse(whole.isEmpty, file: file, line: line)
        XCTAssertEqual(lines, whole.map(ControlLine.init), "every field the lines hold, control for control", file: file, line: line)
        XCTAssertEqual(ReadinessFacts(lines: lines), ReadinessFacts(controls: whole, gaps: []), file: file, line: line)
        XCTAssertEqual(lines.filter(Rules.isUnowned).map(\.ref), whole.filter(Rules.isUnowned).map(\.ref), file: file, line: line)
        // Whole controls by reference: the same controls, in reference order, unknown ones left out.
        let asked = [whole.last!.ref, "NO-SUCH-1", whole.first!.ref]
        let read = try workspace.read { try $0.controls(refs: asked) }
        XCTAssertEqual(read, [whole.first!, whole.last!], file: file, line: line)
    }

    func testLinesSayWhatWholeControlsSayOnTheSample() throws {
        let workspace = try Fixtures.larkspur(typeII: true)
        try checkLines(workspace)
        // The branches a line decides: not applicable with and without text that counts, a
        // retired owner, a control with no mapping.
        let controls = try workspace.read { try $0.controls() }
        let owner = try XCTUnwrap(controls.compactMap(\.owner).first)
        try workspace.write(Fixtures.actor()) { w in
            try w.setStatus(controls: [controls[0].ref], to: .notApplicable, justification: "No card data is stored")
            _ = try w.retireOwner(owner)
        }
        let lines = try workspace.read { try $0.controlLines() }
        XCTAssertTrue(lines[0].justified && lines[0].status == .notApplicable)
        XCTAssertTrue(lines.contains { $0.ownerRetired })
        try checkLines(workspace)
    }

    /// The lines are sorted here, not in SQL: references in mixed case and with characters
    /// between the cases ("_") must come in SQLite's `NOCASE` order, as `controls()` has them.
    func testLinesComeInTheReferenceOrderOfTheTable() throws {
        let workspace = try Fixtures.larkspur(typeII: false)
        let csv = "ref,title\naa-01,Lower\nAB-02,Upper\nA_1,Underscore\nAA1,Letters\nzz-9,Last\nÄB-1,Not ASCII\n"
        _ = try workspace.importCSV(csv, path: "c.csv", kind: .controls, by: Fixtures.actor())
        let refs = try workspace.read { try $0.controlLines() }.map(\.ref)
        XCTAssertLessThan(try XCTUnwrap(refs.firstIndex(of: "aa-01")), try XCTUnwrap(refs.firstIndex(of: "AB-02")))
        XCTAssertLessThan(try XCTUnwrap(refs.firstIndex(of: "A_1")), try XCTUnwrap(refs.firstIndex(of: "AA1")))
        try checkLines(workspace)
        // Sixteen bytes and a prefix of it (two integers each), then one longer (bytes).
        let more = "ref,title\nABCDEFGHIJKLMNOP,Sixteen\nabcdefghijklmno,Fifteen\nABCDEFGH,Eight\nabcdefgh-,Nine\n"
        _ = try workspace.importCSV(more, path: "d.csv", kind: .controls, by: Fixtures.actor())
        try checkLines(workspace)
        let long = "ref,title\nABCDEFGHIJKLMNOPQ,Seventeen\n"
        _ = try workspace.importCSV(long, path: "e.csv", kind: .controls, by: Fixtures.actor())
        try checkLines(workspace)
        let sorted = try workspace.read { try $0.controlLines() }.map(\.ref)
        XCTAssertEqual(
            sorted.filter { $0.uppercased().hasPrefix("ABCDEFGH") },
            ["ABCDEFGH", "abcdefgh-", "abcdefghijklmno", "ABCDEFGHIJKLMNOP", "ABCDEFGHIJKLMNOPQ"])
    }

    func testLinesSayWhatWholeControlsSayOnASyntheticWorkspace() throws {
        let workspace = try Workspace.synthetic(
            path: folder.appendingPathComponent("w.assure").path, controls: 300, owners: 12, gaps: 50, logRows: 20)
        try checkLines(workspace)
    }

    /// Fails if the Controls pane reads every whole control: 300 controls, a page at a time,
    /// the page around the selection and the last page read ahead after each frame.
    func testThePaneReadsOnlyTheControlItShowsInFull() throws {
        let workspace = try Workspace.synthetic(
            path: folder.appendingPathComponent("w.assure").path, controls: 300, owners: 12, gaps: 50, logRows: 20)
        let h = try ScreenHarness(workspace: workspace)
        h.press("2", "t")
        let cache = h.runtime.state.snapshot.controlRows
        XCTAssertEqual(h.runtime.state.rowCount(.controls), 300)
        // Pages so far: around the first row and the last, for the selected criterion's
        // controls and then for all of them.
        let queries = cache.queries
        XCTAssertLessThanOrEqual(queries, 4)
        for _ in 0..<10 { h.press("j") }
        let selected = try XCTUnwrap(h.runtime.state.selectedControl)
        XCTAssertEqual(selected.ref, h.runtime.state.snapshot.controls[h.runtime.state.controlRows[10]].ref)
        XCTAssertTrue(h.screen.contains(String(selected.description.prefix(30))), "the detail strip shows the description: \(h.screen)")
        XCTAssertEqual(cache.queries, queries, "ten moves within the page read nothing more")
        for _ in 0..<10 { h.press("k") }
        XCTAssertEqual(cache.queries, queries, "controls already read are not read again")
        h.press("G")
        let last = try XCTUnwrap(h.runtime.state.selectedControl)
        XCTAssertEqual(last.ref, h.runtime.state.snapshot.controls[h.runtime.state.controlRows[299]].ref)
        XCTAssertEqual(cache.queries, queries, "the last page was read ahead")
        XCTAssertLessThanOrEqual(cache.rowsRead, 4 * ControlRowCache.page, "never all 300")
        XCTAssertLessThan(cache.rowsRead, 300)
    }

    /// A control gone behind the snapshot shows no detail and is not asked for on every frame.
    func testAControlGoneSinceTheSnapshotIsNotReadAgain() throws {
        var snapshot = ReducerTests.snapshot()
        let whole = snapshot.controls.compactMap { snapshot.controlRows.control($0.ref) }
        snapshot = snapshot.with(lines: snapshot.controls, reader: InMemoryControls(Array(whole.dropFirst())))
        var state = AppState(snapshot: snapshot, size: (120, 40))
        _ = reduce(&state, .key(.char("2")))
        XCTAssertEqual(state.selectedControlLine?.ref, "AC-01")
        XCTAssertNil(state.selectedControl)
        XCTAssertEqual(state.snapshot.controlRows.queries, 1, "the page around it was read")
        _ = view(state, theme: ThemeCatalog.load("default").theme, depth: .palette256)
        XCTAssertNil(state.selectedControl)
        XCTAssertEqual(state.snapshot.controlRows.queries, 1, "the missing one is remembered, not asked for on every frame")
        _ = reduce(&state, .key(.char("j")))
        XCTAssertEqual(state.selectedControl?.ref, state.selectedControlLine?.ref)
        XCTAssertEqual(state.snapshot.controlRows.queries, 1, "its neighbour came with the page")
    }
}
