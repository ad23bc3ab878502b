import AssureModel
import AssureTestSupport
import GRDB
import XCTest

@testable import AssureStore

/// The detail strip's "last change": the first row of the newest batch that touched the item.
final class LastChangeTests: XCTestCase {
    func testTheFirstRowOfTheNewestBatchThatTouchedIt() throws {
        let workspace = try Fixtures.larkspur()
        let control = try XCTUnwrap(try workspace.read { try $0.controls() }.first)
        try workspace.write(Fixtures.actor("dana")) { try $0.assign(controls: [control.ref], owner: .some("Omar Haddad")) }
        // A later batch changes two fields of the same control: its first row is the answer.
        let newest = try workspace.write(Fixtures.actor("omar")) { w in
            try w.setStatus(controls: [control.ref], to: .notApplicable, justification: "Runs on the vendor's platform")
        }
        // A batch for another control after it does not count.
        let other = try XCTUnwrap(try workspace.read { try $0.controls() }.last)
        try workspace.write(Fixtures.actor("priya")) { try $0.setStatus(controls: [other.ref], to: .inProgress, justification: "") }

        let last = try XCTUnwrap(try workspace.read { try $0.lastChange(entity: "control", ref: control.ref) })
        XCTAssertEqual(last.batch, newest.batch)
        XCTAssertEqual(last.actor, "omar")
        let rows = try workspace.read { try $0.log(LogFilter(entity: "control", ref: control.ref)) }.filter { $0.batch == newest.batch }
        XCTAssertGreaterThan(rows.count, 1, "the batch wrote more than one row for the control")
        XCTAssertEqual(last.id, rows.map(\.id).min())
        XCTAssertNil(try workspace.read { try $0.lastChange(entity: "control", ref: "NO-SUCH") })
    }

    /// An undone remediation writes its fields back in reverse; the strip says what a meeting
    /// asks about, the status going back, not the timestamp that was cleared first.
    func testAfterAnUndoTheStatusChangeIsShown() throws {
        let workspace = try Fixtures.larkspur()
        let gap = try XCTUnwrap(try workspace.read { try $0.gaps() }.first { $0.status == .open })
        let fixed = try workspace.write(Fixtures.actor("dana")) { try $0.remediateGaps([gap.ref], note: "Rotated the keys") }
        var last = try XCTUnwrap(try workspace.read { try $0.lastChange(entity: "gap", ref: gap.ref) })
        XCTAssertEqual([last.field, last.before, last.after], ["status", "open", "remediated"])
        let undone = try workspace.write(Fixtures.actor("omar")) { try $0.undo(batch: try XCTUnwrap(fixed.batch)) }
        let rows = try workspace.read { try $0.log(LogFilter(entity: "gap", ref: gap.ref)) }.filter { $0.batch == undone.batch }
        XCTAssertNotEqual(rows.min { $0.id < $1.id }?.field, "status", "the undo's first row is bookkeeping, so the choice matters")
        last = try XCTUnwrap(try workspace.read { try $0.lastChange(entity: "gap", ref: gap.ref) })
        XCTAssertEqual([last.field, last.before, last.after, last.actor], ["status", "remediated", "open", "omar"])
    }

    /// A bulk batch with many rows for one item is weighed whole: as in a small batch, its
    /// earliest status row is chosen, however many rows come after it.
    func testABulkBatchIsWeighedWhole() throws {
        let workspace = try Fixtures.larkspur()
        let control = try XCTUnwrap(try workspace.read { try $0.controls() }.first)
        let bulk = try workspace.write(Fixtures.actor("import")) { w in
            for i in 0..<40 { try w.setStatus(controls: [control.ref], to: i % 2 == 0 ? .inProgress : .implemented) }
        }
        let statusRows = try workspace.read { try $0.log(LogFilter(entity: "control", ref: control.ref)) }
            .filter { $0.batch == bulk.batch && $0.field == "status" }.map(\.id).sorted()
        XCTAssertGreaterThan(statusRows.count, 30)
        let last = try XCTUnwrap(try workspace.read { try $0.lastChange(entity: "control", ref: control.ref) })
        XCTAssertEqual(last.batch, bulk.batch)
        XCTAssertEqual(last.id, statusRows.first)
        XCTAssertEqual(last.after, ControlStatus.inProgress.rawValue)
    }

    /// The strip's choice is made from the item index alone (schema v14): SQLite's plan reads
    /// no row of the log for it, which on a million-row log cost a cold read per row weighed.
    func testTheChoiceReadsOnlyTheIndex() throws {
        let workspace = try Fixtures.larkspur()
        let plan = try workspace.read { r in
            try Row.fetchAll(r.db, sql: "EXPLAIN QUERY PLAN " + WorkspaceReader.lastChangeSQL, arguments: ["control", "AC-01"])
                .map { $0["detail"] as String }
        }
        .joined(separator: "\n")
        XCTAssertTrue(plan.contains("USING COVERING INDEX change_log_item"), plan)
        XCTAssertFalse(plan.contains("SCAN change_log"), plan)
    }
}
