import AssureModel
import AssureTestSupport
import Foundation
import GRDB
import XCTest

@testable import AssureStore

/// `verify` walks a long log in two halves at once (`ChainWalk`). Whatever was done to the log,
/// the two halves must find exactly what one walk from the first row finds: the same first
/// broken row and reason, the same row count and head, the same recorded table states.
final class ChainWalkTests: XCTestCase {
    var folder: URL!
    var base: String!
    var rows: Int64 = 0

    override func setUpWithError() throws {
        folder = try Fixtures.temporaryDirectory()
        base = folder.appendingPathComponent("base.assure").path
        let alice = Actor("alice")
        let workspace = try Workspace.create(path: base, scope: Scope(company: "Acme"), by: alice)
        try workspace.write(alice) { try $0.addOwner(Owner(name: "Dana Kim")) }
        try workspace.write(alice) { try $0.loadStarterLibrary() }
        try workspace.write(alice) { try $0.assign(controls: ["AC-01", "AC-02"], owner: .some("Dana Kim")) }
        for title in ["Weak password policy", "No backup restore test", "Stale access review"] {
            try workspace.write(alice) { try $0.openGap(GapDraft(title: title, severity: .high)) }
        }
        rows = try workspace.read { try Int64.fetchOne($0.db, sql: "SELECT max(id) FROM change_log") } ?? 0
        try workspace.close()
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// A copy of the base workspace with `sql` run on it behind assure's back.
    func tampered(_ sql: String) throws -> Workspace {
        let path = folder.appendingPathComponent("case-\(UUID().uuidString).assure").path
        // The base's newest pages may still be in its write-ahead log.
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: base + suffix) {
            try FileManager.default.copyItem(atPath: base + suffix, toPath: path + suffix)
        }
        let queue = try DatabaseQueue(path: path)
        if !sql.isEmpty { try queue.write { try $0.execute(sql: sql) } }
        try queue.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try queue.close()
        return try Workspace.open(path: path, readOnly: true)
    }

    /// Both walks on one read transaction; fails the test where they differ.
    @discardableResult
    func assertSameFindings(_ sql: String, line: UInt = #line) throws -> ChainVerification {
        let workspace = try tampered(sql)
        defer { try? workspace.close() }
        let (one, two) = try workspace.read { r in
            (try r.walkChain(), try ChainWalk.split(r, workspace: workspace, minimumRows: 1))
        }
        XCTAssertEqual(two.walks, 2, "the log was walked in two halves", line: line)
        XCTAssertEqual(two.verification, one.verification, sql, line: line)
        XCTAssertEqual(two.recorded, one.recorded, sql, line: line)
        let whole = try workspace.read { r in (try r.verifyWorkspace(), try r.verifyWorkspace(parallelOn: workspace, splitFrom: 1)) }
        XCTAssertEqual(whole.1, whole.0, sql, line: line)
        return one.verification
    }

    func testAnIntactLogGivesTheSameCountAndHead() throws {
        XCTAssertGreaterThan(rows, 20, "enough rows that each half holds several")
        let result = try assertSameFindings("")
        XCTAssertTrue(result.isIntact)
        XCTAssertEqual(Int64(result.rows), rows)
    }

    /// The rows on each side of the middle matter most: the newer half starts from the older
    /// half's last stored hash.
    func testAnAlteredRowIsFoundAtTheSamePlaceWhereverItIs() throws {
        let middle = rows / 2
        var ids: Set<Int64> = [1, 2, middle - 1, middle, middle + 1, middle + 2, rows - 1, rows]
        ids.formUnion(stride(from: 3, to: rows, by: 11))
        for id in ids.sorted() {
            let result = try assertSameFindings("UPDATE change_log SET actor = 'mallory' WHERE id = \(id)")
            XCTAssertEqual(result.firstBadRow, id)
            XCTAssertEqual(result.problem, "row \(id) was altered: its content does not match its hash")
        }
    }

    func testABrokenLinkOrADeletedRowIsFoundAtTheSamePlace() throws {
        let middle = rows / 2
        for id in [middle, middle + 1] {
            // The row's own hash replaced: its content no longer matches it, and the next row's
            // link no longer matches what the row stores.
            let rehashed = try assertSameFindings("UPDATE change_log SET hash = 'f00d' WHERE id = \(id)")
            XCTAssertEqual(rehashed.firstBadRow, id)
            let unlinked = try assertSameFindings("UPDATE change_log SET prev_hash = 'f00d' WHERE id = \(id)")
            XCTAssertEqual(unlinked.problem, "row \(id) does not link to row \(id - 1)")
        }
        for id in [2, middle - 1, middle + 1, rows - 1] {
            let deleted = try assertSameFindings("DELETE FROM change_log WHERE id = \(id)")
            XCTAssertEqual(deleted.problem, "row \(id) is missing (next row is \(id + 1))")
        }
    }

    func testTheNewestRowsDeletedLeaveTheSameShorterChain() throws {
        let result = try assertSameFindings("DELETE FROM change_log WHERE id > \(rows - 3)")
        XCTAssertTrue(result.isIntact)
        XCTAssertEqual(Int64(result.rows), rows - 3)
    }

    /// The row in the middle gone: the newer half has no hash to start from, so one walk runs.
    func testAMissingMiddleRowFallsBackToOneWalk() throws {
        let middle = rows / 2
        let workspace = try tampered("DELETE FROM change_log WHERE id = \(middle)")
        let part = try workspace.read { r in try ChainWalk.split(r, workspace: workspace, minimumRows: 1) }
        XCTAssertEqual(part.walks, 1)
        XCTAssertEqual(part.verification.problem, "row \(middle) is missing (next row is \(middle + 1))")
    }

    /// A table changed without a log row is found from the states both halves record.
    func testATableEditedBehindTheLogIsFoundTheSameWay() throws {
        try assertSameFindings("UPDATE control SET title = 'Renamed' WHERE ref = 'AC-01'")
        let workspace = try tampered("UPDATE control SET title = 'Renamed' WHERE ref = 'AC-01'")
        let result = try workspace.read { r in try r.verifyWorkspace(parallelOn: workspace, splitFrom: 1) }
        XCTAssertEqual(result.tables.map(\.table), ["control"])
    }

    func testASmallLogIsWalkedOnce() throws {
        let workspace = try tampered("")
        let part = try workspace.read { r in try ChainWalk.split(r, workspace: workspace, minimumRows: Int(rows) + 1) }
        XCTAssertEqual(part.walks, 1)
        XCTAssertTrue(part.verification.isIntact)
    }
}
