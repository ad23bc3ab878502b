import AssureModel
import AssureTestSupport
import XCTest

@testable import AssureStore

final class SnapshotTests: XCTestCase {
    func testDiffListsWhatChangedSinceASnapshot() throws {
        let workspace = try Fixtures.larkspur()
        let tester = Fixtures.actor()
        try workspace.write(tester) { try $0.takeSnapshot(title: "before Q1 review") }
        try workspace.write(tester) { try $0.setStatus(controls: ["AC-03"], to: .implemented) }
        try workspace.write(tester) { try $0.assign(controls: ["AC-14"], owner: .some("Dana Kim")) }
        try workspace.write(tester) { try $0.remediateGaps(["GAP-1", "GAP-4"], note: "Failover and restore drills done") }
        try workspace.write(tester) { try $0.reopenGaps(["GAP-21"]) }
        try workspace.write(tester) { try $0.acceptGaps(["GAP-20"], justification: "Remote company") }
        let opened = try workspace.write(tester) { try $0.openGap(GapDraft(title: "New finding", severity: .low)) }.value
        let diff = try workspace.read { try $0.diff(from: "before q1 review") }
        XCTAssertEqual(
            diff.controlChanges,
            [
                .init(ref: "AC-03", field: "status", before: "in-progress", after: "implemented"),
                .init(ref: "AC-14", field: "owner", before: nil, after: "Dana Kim"),
            ])
        XCTAssertEqual(diff.opened.map(\.ref), [opened])
        XCTAssertEqual(diff.remediated.map(\.ref), ["GAP-1", "GAP-4"])
        XCTAssertEqual(diff.reopened.map(\.ref), ["GAP-21"])
        XCTAssertEqual(diff.accepted.map(\.ref), ["GAP-20"])
        let availability = try XCTUnwrap(diff.readiness.first { $0.category == "availability" })
        XCTAssertEqual(availability.before, Share(addressed: 1, total: 3))
        XCTAssertEqual(availability.after, Share(addressed: 3, total: 3), "A1.2 and A1.3 are no longer blocked through BC-02 and BC-03")
        assertGolden(diff.text(), named: "diff-text")
        assertGolden(diff.json(), named: "diff-json")

        try workspace.write(tester) { try $0.takeSnapshot(title: "after") }
        XCTAssertTrue(try workspace.read { try $0.diff(from: "after") }.isEmpty)
        XCTAssertEqual(try workspace.read { try $0.diff(from: "1", to: "2") }.remediated.map(\.ref), ["GAP-1", "GAP-4"])
        XCTAssertThrowsError(try workspace.read { try $0.diff(from: "befor Q1 review") }) {
            XCTAssertEqual("\($0)", "unknown snapshot 'befor Q1 review'; did you mean before Q1 review?")
        }
        XCTAssertTrue(try workspace.read { try $0.readinessReport(now: Fixtures.fixedDate) }.markdown().contains("Gaps: 0 opened, 0 remediated"))
    }
}
