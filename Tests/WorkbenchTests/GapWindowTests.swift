import AssureApp
import AssureModel
import AssureTestSupport
import Foundation
import TerminalUI
import XCTest

@testable import AssureStore
@testable import Workbench

/// The Gaps pane reads a window of whole gaps, not the table: the store's keys, counts and
/// windows must say exactly what the in-memory rule says over every gap.
final class GapWindowTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws { folder = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// A synthetic workspace (every gap due, owned and linked) plus gaps without a due date,
    /// an owner or any link, so every branch of the order and the counts is exercised.
    func synthetic(gaps: Int = 1_200) throws -> Workspace {
        let workspace = try Workspace.synthetic(
            path: folder.appendingPathComponent("w.assure").path, controls: 200, owners: 12, gaps: gaps, logRows: 20)
        try workspace.write(Fixtures.actor()) { w in
            for severity in Severity.allCases { _ = try w.openGap(GapDraft(title: "Loose \(severity.rawValue) gap", severity: severity)) }
            try w.assignGaps(["GAP-5", "GAP-6", "GAP-7"], owner: nil)
        }
        return workspace
    }

    /// Keys as the checks compare them: the in-memory ids are positions, the store's row ids.
    func refs(_ keys: [GapKey]) -> [String] { keys.map { "\($0.ref)\($0.isOpen ? "" : " closed")" } }

    func checkParity(_ workspace: Workspace, today: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let gaps = try workspace.read { try $0.gaps() }
        let memory = InMemoryGaps(gaps)
        let owners = Set(gaps.compactMap(\.owner)).sorted()
        XCTAssertFalse(owners.isEmpty, file: file, line: line)
        let store = try workspace.read { r in
            (
                all: try r.gapKeys(), unowned: try r.gapKeys(owner: ""), owner: try r.gapKeys(owner: owners[0]),
                search: try r.gapSearchRows(owner: nil), overview: try r.gapOverview(today: today),
                overdue: try r.overdueGaps(today: today)
            )
        }
        XCTAssertEqual(refs(store.all), refs(memory.gapKeys(owner: nil)), "the triage order, row for row", file: file, line: line)
        XCTAssertEqual(refs(store.unowned), refs(memory.gapKeys(owner: "")), file: file, line: line)
        XCTAssertEqual(refs(store.owner), refs(memory.gapKeys(owner: owners[0])), file: file, line: line)
        XCTAssertEqual(
            store.search.map { "\($0.key.ref) \($0.title) \($0.owner ?? "-")" },
            memory.gapSearchRows(owner: nil).map { "\($0.key.ref) \($0.title) \($0.owner ?? "-")" }, file: file, line: line)
        XCTAssertEqual(refs(store.overview.keys), refs(memory.gapKeys(owner: nil)), file: file, line: line)
        XCTAssertEqual(store.overview.counts, GapCounts(gaps, today: today), file: file, line: line)
        XCTAssertEqual(store.overview.blocking, WorkspaceSnapshot.links(gaps), "in number order, as the table holds them", file: file, line: line)
        // The facts gathered by slot in the same pass are those of the links, and of the rule over whole gaps.
        XCTAssertEqual(store.overview.blocked, WorkspaceSnapshot.blockedFacts(store.overview.blocking), file: file, line: line)
        let ruled = ReadinessFacts(controls: [], gaps: gaps)
        XCTAssertEqual(store.overview.blocked.blockedControls, ruled.blockedControls, file: file, line: line)
        XCTAssertEqual(store.overview.blocked.blockedRequirements, ruled.blockedRequirements, file: file, line: line)
        XCTAssertEqual(store.overdue, memory.overdueGaps(today: today), file: file, line: line)
        // The Owners pane's loads from the same pass are what `assure owners` counts.
        let loads = try workspace.read { r in (try r.owners(counts: store.overview.counts), try r.owners(today: today)) }
        XCTAssertEqual(loads.0, loads.1, file: file, line: line)
        XCTAssertTrue(loads.1.contains { $0.overdueGaps > 0 } && loads.1.contains { $0.openGaps > 0 }, file: file, line: line)
        // A window by id is the same whole gaps, whatever order they are asked in.
        let window = Array(store.all.prefix(40).reversed())
        let read = try workspace.read { try $0.gaps(ids: window.map(\.id)) }
        XCTAssertEqual(Set(read.map(\.ref)), Set(window.map(\.ref)), file: file, line: line)
        for gap in read { XCTAssertEqual(gap, gaps.first { $0.ref == gap.ref }, file: file, line: line) }
    }

    func testTheStoreOrdersAndCountsAsTheRuleDoesOnASyntheticWorkspace() throws {
        let workspace = try synthetic()
        let today = Fixtures.today
        let open = try workspace.read { try $0.gaps() }.filter(\.status.isOpen)
        XCTAssertTrue(open.contains { $0.isOverdue(today: today) } && open.contains { $0.due == nil }, "the data exercises every branch")
        try checkParity(workspace, today: today)
    }

    func testTheStoreOrdersAndCountsAsTheRuleDoesOnTheSample() throws {
        let workspace = try Fixtures.larkspur(typeII: true)
        try checkParity(workspace, today: Fixtures.today)
        // Edits change the order (a closed gap sinks, a new due date moves one up): still equal.
        try workspace.write(Fixtures.actor()) { w in
            try w.remediateGaps(["GAP-1"], note: "Fixed")
            try w.acceptGaps(["GAP-2"], justification: "Accepted for now")
        }
        try checkParity(workspace, today: Fixtures.today)
    }

    /// Due dates written otherwise than as a date (only raw SQL can store them) take the
    /// general path of the order and the overdue count, and still agree with the rule.
    func testIrregularDueDatesAreOrderedAndCountedAsTheRuleDoes() throws {
        let workspace = try synthetic(gaps: 300)
        try workspace.writer.write { db in
            try db.execute(sql: "UPDATE gap SET due = 'soon' WHERE ref = 'GAP-3'")
            try db.execute(sql: "UPDATE gap SET due = '' WHERE ref = 'GAP-4'")
            try db.execute(sql: "UPDATE gap SET due = '2026-13-45' WHERE ref = 'GAP-8'")
            try db.execute(sql: "UPDATE gap SET due = '2020-1-1' WHERE ref = 'GAP-9'")
        }
        try checkParity(workspace, today: Fixtures.today)
        // Only impossible days: still the integer path, still the rule.
        try workspace.writer.write { db in try db.execute(sql: "UPDATE gap SET due = '0000-00-00' WHERE due NOT GLOB '[0-9][0-9][0-9][0-9]-*'") }
        try checkParity(workspace, today: Fixtures.today)
    }

    func testTheFilterMatchesWhatTheInMemoryFilterMatches() throws {
        let workspace = try synthetic()
        let gaps = try workspace.read { try $0.gaps() }
        let reader = WorkspaceGapReader(workspace)
        for (owner, filter) in [(nil, "gap 1"), (nil, "owner 3"), ("", "1"), (gaps.compactMap(\.owner).first, "9"), (nil, "no such thing")] {
            let store = try reader.keys(owner: owner, filter: filter)
            let memory = try InMemoryGaps(gaps).keys(owner: owner, filter: filter)
            XCTAssertEqual(refs(store), refs(memory), "owner \(owner ?? "any"), filter \(filter)")
        }
        XCTAssertEqual(try reader.keys(owner: nil, filter: "no such thing"), [])
    }

    /// Fails if the pane reads every gap: 1,200 gaps, a screen of 40 lines.
    func testThePaneReadsAWindowOfWholeGapsNotTheTable() throws {
        let workspace = try synthetic()
        let h = try ScreenHarness(workspace: workspace)
        h.press("4")
        let cache = h.runtime.state.snapshot.gapRows
        XCTAssertEqual(h.runtime.state.rowCount(.gaps), 1_204)
        XCTAssertGreaterThan(cache.rowsRead, 0)
        XCTAssertLessThanOrEqual(cache.rowsRead, 2 * GapRowCache.page, "one page for the first screen, and the last read ahead")
        let first = try XCTUnwrap(h.runtime.state.gapKeys.first)
        XCTAssertTrue(h.screen.contains(first.ref), h.screen)
        let queries = cache.queries
        h.press("G")
        let last = try XCTUnwrap(h.runtime.state.gapKeys.last)
        XCTAssertEqual(h.runtime.state.selectedGap?.ref, last.ref)
        XCTAssertTrue(h.screen.contains(last.ref), h.screen)
        XCTAssertEqual(cache.queries, queries, "the last screen was read ahead")
        XCTAssertLessThanOrEqual(cache.rowsRead, 2 * GapRowCache.page)
        h.press("g")
        XCTAssertLessThanOrEqual(cache.rowsRead, 2 * GapRowCache.page, "the first screen is still cached")
        XCTAssertEqual(h.runtime.state.selectedGap?.ref, first.ref)
    }

    /// The first page of whole gaps comes with the snapshot, from the same read as the keys:
    /// the first screen asks the store for nothing more, and shows what the store holds.
    func testTheFirstPageComesWithTheSnapshot() throws {
        let workspace = try synthetic()
        let snapshot = try WorkspaceAdapter(workspace, actor: "tester", clock: { Fixtures.fixedDate }).loadSnapshot()
        let cache = snapshot.gapRows
        XCTAssertEqual(cache.queries, 1)
        XCTAssertEqual(cache.rowsRead, GapRowCache.page)
        var state = AppState(snapshot: snapshot, size: (120, 40))
        _ = reduce(&state, .key(.char("4")))
        _ = view(state, theme: ThemeCatalog.load("default").theme, depth: .palette256)
        XCTAssertEqual(cache.queries, 1, "the first screen drew from the prefilled page")
        let shown = (0..<30).compactMap { state.gap(at: $0) }
        XCTAssertEqual(shown.count, 30)
        let read = try workspace.read { try $0.gaps(ids: snapshot.gapKeys.prefix(30).map(\.id)) }
        XCTAssertEqual(shown, snapshot.gapKeys.prefix(30).map { key in read.first { $0.ref == key.ref }! })
        XCTAssertEqual(cache.queries, 1)
        // Beyond the first page the pane reads as before.
        XCTAssertNotNil(state.gap(at: GapRowCache.page + 5))
        XCTAssertEqual(cache.queries, 2)
    }

    /// The owner under the cursor is read ahead: Enter on them limits the Gaps pane to their
    /// gaps without reading the keys or the first page again, and shows what the store holds.
    func testEnterOnAnOwnerFindsTheirGapsReadAhead() throws {
        let workspace = try synthetic()
        let h = try ScreenHarness(workspace: workspace)
        h.press("3", "j")
        let cache = h.runtime.state.snapshot.gapRows
        guard case .owner(let i) = try XCTUnwrap(h.runtime.state.selectedOwnerRow) else { return XCTFail("an owner is selected") }
        let name = h.runtime.state.snapshot.owners[i].owner.name
        XCTAssertEqual(cache.owners.reads, 1, "the owner under the cursor was read ahead")
        let queries = cache.queries
        h.press("Enter")
        XCTAssertEqual(h.runtime.state.ownerLimit, name)
        XCTAssertEqual(cache.owners.reads, 1, "Enter read no keys of its own")
        XCTAssertEqual(cache.queries, queries, "nor the first page")
        let expected = try workspace.read { try $0.gapKeys(owner: name) }
        XCTAssertFalse(expected.isEmpty)
        XCTAssertEqual(h.runtime.state.gapKeys, expected)
        XCTAssertTrue(h.screen.contains(expected[0].ref), h.screen)
        // Moving on reads the next owner ahead, once; Enter again clears the limit.
        h.press("Enter")
        XCTAssertNil(h.runtime.state.ownerLimit)
        h.press("j")
        XCTAssertEqual(cache.owners.reads, 2)
    }

    /// A gap deleted behind the snapshot (an undone "new gap") draws as changed, then goes.
    func testARowDeletedSinceTheSnapshotShowsAsChangedUntilTheReload() throws {
        let gaps = [Gap(ref: "GAP-1", title: "One", severity: .high, status: .open), Gap(ref: "GAP-2", title: "Two", severity: .low, status: .open)]
        var snapshot = ReducerTests.snapshot()
        snapshot.setGaps(gaps)
        let shrunk = InMemoryGaps([gaps[0]])
        snapshot = WorkspaceSnapshot(
            copying: snapshot, keys: snapshot.gapKeys, rows: GapRowCache(shrunk), blocking: snapshot.blockingLinks, counts: snapshot.gapCounts)
        var state = AppState(snapshot: snapshot, size: (120, 40))
        _ = reduce(&state, .key(.char("4")))
        XCTAssertEqual(state.gap(at: 0)?.ref, "GAP-1")
        XCTAssertNil(state.gap(at: 1), "GAP-2 is no longer in the store")
        let screen = view(state, theme: ThemeCatalog.load("default").theme, depth: .palette256).text()
        XCTAssertTrue(screen.contains("GAP-2") && screen.contains("(changed"), screen)
        // The missing row is remembered: the next frames do not ask the store for it again.
        let queries = state.snapshot.gapRows.queries
        XCTAssertNil(state.gap(at: 1))
        _ = view(state, theme: ThemeCatalog.load("default").theme, depth: .palette256)
        XCTAssertEqual(state.snapshot.gapRows.queries, queries)
    }
}
