import AssureApp
import AssureModel
import AssureStore
import AssureTestSupport
import Foundation
import XCTest

@testable import Workbench

/// The Evidence pane reads the items of the control it shows, and the snapshot only the stale
/// ones: the stale read must say what the whole read says, and the pane must not read them all.
final class EvidenceWindowTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws { folder = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func refs(_ items: [EvidenceItem]) -> [String] { items.map { "\($0.control) \($0.ref) \($0.stale) \($0.expires ?? "-")" } }

    func testTheStaleReadIsWhatTheWholeReadMarksStale() throws {
        let workspace = try Fixtures.larkspur(typeII: true)
        // Old evidence for two monthly controls (long expired), then a rejected newer item on
        // one of them: a rejected item neither goes stale nor shields the older one.
        let file = folder.appendingPathComponent("old.txt")
        try "proof".write(to: file, atomically: true, encoding: .utf8)
        let monthly = try workspace.read { try $0.controls() }.filter { $0.frequency == .monthly }.prefix(2).map(\.ref)
        XCTAssertEqual(monthly.count, 2, "the sample has monthly controls")
        try workspace.write(Fixtures.actor()) { w in
            for control in monthly {
                _ = try w.addEvidence(EvidenceDraft(control: control, files: [file.path], provedFrom: "2020-01-01", provedTo: "2020-01-31"))
            }
        }
        let rejected = try workspace.write(Fixtures.actor()) { w in
            try w.addEvidence(EvidenceDraft(control: monthly[0], files: [file.path], provedFrom: "2020-02-01", provedTo: "2020-02-29"))
        }.value
        try workspace.write(Fixtures.actor("reviewer")) { w in try w.reviewEvidence(rejected, accept: false, note: "Wrong system") }
        let today = Fixtures.today
        let whole = try workspace.read { try $0.evidence(today: today) }
        let stale = try workspace.read { try $0.staleEvidence(today: today) }
        XCTAssertFalse(stale.isEmpty, "the data has stale items")
        XCTAssertFalse(stale.contains { $0.ref == rejected }, "a rejected item never goes stale")
        XCTAssertGreaterThan(whole.count, stale.count)
        XCTAssertEqual(refs(stale), refs(whole.filter(\.stale)))
        // Each control's own read is the whole read's items of that control.
        for control in Set(whole.map(\.control)) {
            XCTAssertEqual(refs(try workspace.read { try $0.evidence(control: control, today: today) }), refs(whole.filter { $0.control == control }))
        }
    }

    /// Fails if the snapshot reads every item: the pane reads the selected control's only.
    func testThePaneReadsOnlyTheSelectedControlsItems() throws {
        let workspace = try Fixtures.larkspur(typeII: true)
        let h = try ScreenHarness(workspace: workspace)
        let cache = h.runtime.state.snapshot.evidenceRows
        XCTAssertEqual(cache.controlsRead, 0, "opening reads no control's evidence")
        h.press("6")
        let selected = try XCTUnwrap(h.runtime.state.selectedLedgerRow?.control)
        let items = h.runtime.state.evidence(of: selected)
        XCTAssertEqual(items.map(\.ref), try workspace.read { try $0.evidence(control: selected, today: Fixtures.today) }.map(\.ref))
        XCTAssertEqual(cache.controlsRead, 1, "one control's items")
        h.press("j")
        XCTAssertEqual(cache.controlsRead, 2)
        h.press("k")
        XCTAssertEqual(cache.controlsRead, 2, "a control already read is not read again")
    }
}
