import AssureModel
import AssureTestSupport
import Crypto
import Foundation
import GRDB
import XCTest

@testable import AssureStore

/// The change log records each table's digest with every write (schema v13), so a table edited
/// behind assure's back, with no change-log row, is caught by `verify`.
final class TableStateTests: XCTestCase {
    var folder: URL!
    var path: String!
    let alice = Fixtures.actor("alice")

    override func setUpWithError() throws {
        folder = try Fixtures.temporaryDirectory()
        path = folder.appendingPathComponent("state.assure").path
        let workspace = try Workspace.create(path: path, scope: Scope(company: "Acme"), by: alice)
        try workspace.write(alice) { try $0.addOwner(Owner(name: "Dana Kim")) }
        try workspace.write(alice) { try $0.loadStarterLibrary() }
        try workspace.write(alice) { try $0.assign(controls: ["AC-01", "AC-02"], owner: .some("Dana Kim")) }
        try workspace.write(alice) { try $0.openGap(GapDraft(title: "Weak password policy", severity: .high)) }
        try workspace.close()
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// Runs SQL on the file as someone with the sqlite3 shell would: no assure, no change log.
    func tamper(_ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: sql) }
        try queue.close()
    }

    func verify() throws -> WorkspaceVerification {
        let workspace = try Workspace.open(path: path, readOnly: true)
        defer { try? workspace.close() }
        return try workspace.read { try $0.verifyWorkspace() }
    }

    /// Rows that carry a state: (id, entity, field, state).
    func stateRows() throws -> [(id: Int64, entity: String, field: String, state: String)] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, entity, field, state FROM change_log WHERE state IS NOT NULL ORDER BY id")
                .map { ($0[0], $0[1], $0[2], $0[3]) }
        }
    }

    func tables(in state: String) -> [String] { TableState.parse(state).map(\.table) }

    func testANewWorkspaceRecordsEveryTableOnItsFirstBatchAndEachWriteItsOwnTables() throws {
        let result = try verify()
        XCTAssertTrue(result.isIntact, "\(result.tables)")
        let queue = try DatabaseQueue(path: path)
        let (everyTable, firstBatchLast, batches, stateOnly) = try queue.read { db in
            (
                try TableDigest.tables(db),
                try Int64.fetchOne(db, sql: "SELECT max(id) FROM change_log WHERE batch = 1")!,
                try Int.fetchOne(db, sql: "SELECT count(DISTINCT batch) FROM change_log")!,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM change_log WHERE field = 'state'")!
            )
        }
        try queue.close()
        XCTAssertEqual(result.tablesChecked, everyTable.count)
        XCTAssertGreaterThan(everyTable.count, 40)
        XCTAssertFalse(everyTable.contains("change_log"))
        XCTAssertFalse(everyTable.contains("grdb_migrations"))
        let states = try stateRows()
        // One state per write, on the batch's last row; no extra rows.
        XCTAssertEqual(states.count, batches)
        XCTAssertEqual(stateOnly, 0)
        XCTAssertEqual(states[0].id, firstBatchLast)
        XCTAssertEqual(tables(in: states[0].state), everyTable)
        XCTAssertEqual(tables(in: states[1].state), ["owner"])
        XCTAssertEqual(tables(in: states[3].state), ["control"])
        XCTAssertEqual(tables(in: states[4].state), ["gap"])
        // The state text: sorted `table=digest` pairs, each digest 64 hex digits.
        for pair in TableState.parse(states[0].state) {
            XCTAssertEqual(pair.digest.count, 64)
            XCTAssertTrue(pair.digest.allSatisfy { $0.isHexDigit })
        }
        XCTAssertEqual(states[4].state, "gap=\(TableState.parse(states[4].state)[0].digest)")
    }

    func testAnUpdateADeleteAndAnInsertOnAnEntityTableAreCaughtNamingTheTable() throws {
        let gapState = try XCTUnwrap(stateRows().last { tables(in: $0.state).contains("gap") }).id
        let ownerState = try XCTUnwrap(stateRows().last { tables(in: $0.state).contains("owner") }).id
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let cases: [(sql: String, table: String, row: Int64)] = [
            ("UPDATE gap SET status = 'remediated', remediation_note = 'done' WHERE ref = 'GAP-1'", "gap", gapState),
            ("DELETE FROM gap", "gap", gapState),
            ("INSERT INTO owner (name) VALUES ('Mallory')", "owner", ownerState),
        ]
        for (sql, table, row) in cases {
            try original.write(to: URL(fileURLWithPath: path))
            try? FileManager.default.removeItem(atPath: path + "-wal")
            try? FileManager.default.removeItem(atPath: path + "-shm")
            XCTAssertTrue(try verify().isIntact, sql)
            try tamper(sql)
            let result = try verify()
            XCTAssertTrue(result.chain.isIntact, sql)
            XCTAssertFalse(result.isIntact, sql)
            XCTAssertEqual(
                result.tables,
                [
                    TableMismatch(
                        table: table, recordedAt: row,
                        problem:
                            "table \(table) does not match the change log (last recorded at row \(row)): it was changed without a change-log row")
                ], sql)
        }
    }

    func testATableWithoutRowIDAndATableTheLogNeverRecordedAreCaught() throws {
        try tamper("DELETE FROM control_requirement")
        XCTAssertEqual(try verify().tables.map(\.table), ["control_requirement"])
        try tamper("CREATE TABLE hidden (id INTEGER PRIMARY KEY, note TEXT); INSERT INTO hidden (note) VALUES ('x')")
        let result = try verify()
        XCTAssertEqual(result.tables.map(\.table), ["control_requirement", "hidden"])
        XCTAssertNil(result.tables[1].recordedAt)
        XCTAssertEqual(result.tables[1].problem, "table hidden holds rows the change log never recorded: they were added without a change-log row")
    }

    func testForgingTheRecordedStateAsWellBreaksTheChain() throws {
        let last = try XCTUnwrap(stateRows().last { tables(in: $0.state).contains("gap") })
        try tamper("UPDATE gap SET severity = 'low'")
        let queue = try DatabaseQueue(path: path)
        let forged = try queue.read { try TableDigest.digest($0, table: "gap") }
        try queue.close()
        try tamper("UPDATE change_log SET state = 'gap=\(forged)' WHERE id = \(last.id)")
        let result = try verify()
        XCTAssertEqual(result.chain.firstBadRow, last.id)
        XCTAssertEqual(result.chain.problem, "row \(last.id) was altered: its content does not match its hash")
        XCTAssertFalse(result.isIntact)
    }

    func testDeletingTheNewestRowsIsCaughtByTheTablesTheyChanged() throws {
        // The chain alone cannot see a shorter chain; the gap table no longer matches it.
        try tamper("DELETE FROM change_log WHERE batch = (SELECT max(batch) FROM change_log)")
        let result = try verify()
        XCTAssertTrue(result.chain.isIntact)
        XCTAssertEqual(result.tables.map(\.table), ["gap"])
    }

    func testAWriteThatLogsNothingButChangesATableRecordsAStateRowAndOneThatChangesNothingAddsNone() throws {
        let workspace = try Workspace.open(path: path)
        defer { try? workspace.close() }
        let rows = try workspace.read { try $0.log() }.count
        // Changes nothing: an UPDATE to the same value fires a row event, but the digest is the same.
        let unchanged = try workspace.write(alice) { w in try w.db.execute(sql: "UPDATE control SET title = title WHERE ref = 'AC-01'") }
        XCTAssertNil(unchanged.batch)
        XCTAssertEqual(try workspace.read { try $0.log() }.count, rows)
        // Changes two tables (one without rowid), logs nothing: one workspace/state row.
        let stored = try workspace.write(alice) { w in
            try w.db.execute(sql: "INSERT INTO blob (sha256, size, chunks) VALUES ('ab', 1, 1)")
            try w.db.execute(sql: "INSERT INTO blob_chunk (sha256, seq, data) VALUES ('ab', 0, x'00')")
            try w.db.execute(sql: "INSERT INTO setting (key, value) VALUES ('x', 'y')")
        }
        XCTAssertNil(stored.batch, "a state row is no change to undo")
        let log = try workspace.read { try $0.log() }
        XCTAssertEqual(log.count, rows + 1)
        let row = try XCTUnwrap(log.last)
        XCTAssertEqual(
            [row.actor, row.entity, row.ref, row.field, row.after ?? ""], ["alice", "workspace", "tables", "state", "blob, blob_chunk, setting"])
        XCTAssertEqual(tables(in: try stateRows().last!.state), ["blob", "blob_chunk", "setting"])
        XCTAssertTrue(try workspace.read { try $0.verifyWorkspace() }.isIntact)
    }

    func testAnEvidenceChunkIsDigestedByItsLengthNotItsBytes() throws {
        let workspace = try Workspace.open(path: path)
        try workspace.write(alice) { w in
            try w.db.execute(sql: "INSERT INTO blob (sha256, size, chunks) VALUES ('cd', 3, 1)")
            try w.db.execute(sql: "INSERT INTO blob_chunk (sha256, seq, data) VALUES ('cd', 0, x'010203')")
        }
        try workspace.close()
        // Same length: the blob's own SHA-256 catches it when the file is read (BlobStore.read).
        try tamper("UPDATE blob_chunk SET data = x'030201'")
        XCTAssertTrue(try verify().isIntact)
        try tamper("UPDATE blob_chunk SET data = x'0102'")
        XCTAssertEqual(try verify().tables.map(\.table), ["blob_chunk"])
    }

    func testUndoAndAMeetingStillVerify() throws {
        let workspace = try Workspace.open(path: path)
        defer { try? workspace.close() }
        try workspace.write(alice) { _ = try $0.startMeeting(title: "Review", attendees: ["Dana Kim"]) }
        let batch = try XCTUnwrap(workspace.write(alice) { try $0.setStatus(controls: ["AC-01"], to: .implemented) }.batch)
        let undone = try XCTUnwrap(workspace.write(alice) { try $0.undo(batch: batch) }.batch)
        try workspace.write(alice) { try $0.undo(batch: undone) }
        try workspace.write(alice) { _ = try $0.endMeeting() }
        let result = try workspace.read { try $0.verifyWorkspace() }
        XCTAssertTrue(result.isIntact, "\(result.tables) \(result.chain.problem ?? "")")
        XCTAssertEqual(try workspace.read { try $0.controls() }.first { $0.ref == "AC-01" }?.status, .implemented)
    }

    func testTheFirstReleasesWorkspaceMigratesGetsItsStartingStateAndVerifies() throws {
        let copy = folder.appendingPathComponent("v4.assure")
        try FileManager.default.copyItem(at: MigrationV4Tests.fixtures.appendingPathComponent("larkspur-v4.sqlite"), to: copy)
        let workspace = try Workspace.open(path: copy.path, now: Fixtures.fixedDate)
        defer { try? workspace.close() }
        let log = try workspace.read { try $0.log() }
        let last = try XCTUnwrap(log.last)
        XCTAssertEqual([last.actor, last.entity, last.ref, last.field], ["assure", "workspace", "tables", "state"])
        XCTAssertNil(last.meeting)
        XCTAssertEqual(last.batch, log.dropLast().last!.batch + 1)
        let (verification, everyTable) = try workspace.read { r in (try r.verifyWorkspace(), try TableDigest.tables(r.db)) }
        XCTAssertTrue(verification.isIntact, "\(verification.tables) \(verification.chain.problem ?? "")")
        XCTAssertEqual(last.after, "starting state: \(everyTable.count) tables")
        // Writes after the upgrade keep it verifying.
        try workspace.write(alice) { try $0.addOwner(Owner(name: "Quentin Okafor")) }
        XCTAssertTrue(try workspace.read { try $0.verifyWorkspace() }.isIntact)
    }

    /// The hash rule as every release before schema v13 wrote it; rows without a state must
    /// hash exactly so (the v4 fixture's 900 rows prove it too, in MigrationV4Tests).
    func previousRule(_ row: ChangeRecord, previous: String) -> String {
        func field(_ value: String?) -> String { value ?? "\u{0}" }
        var parts = [
            previous, String(row.id), row.at, row.actor, row.entity, row.ref, row.field,
            field(row.before), field(row.after), String(row.batch), field(row.meeting),
        ]
        if row.entityID != nil || row.beforeID != nil || row.afterID != nil {
            parts += [row.entityID, row.beforeID, row.afterID].map { field($0.map(String.init)) }
        }
        let digest = SHA256.hash(data: Array(parts.joined(separator: "\u{1F}").utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    func testRowsWithoutAStateHashAsBeforeAndAStateChangesTheHash() throws {
        let previous = String(repeating: "a", count: 64)
        let rows = [
            ChangeRecord(
                id: 1, at: "2026-01-01T00:00:00Z", actor: "Zoë", entity: "gap", ref: "GAP-1", field: "title",
                before: nil, after: "", batch: 7),
            ChangeRecord(
                id: -12, at: "t", actor: "a", entity: "control", ref: "AC-01", field: "owner",
                before: "Dana", after: nil, batch: 1_000_000_000_000, meeting: "3", entityID: 5, beforeID: nil, afterID: 9),
            ChangeRecord(
                id: 42, at: "t", actor: "a\u{1F}b", entity: "e", ref: "r", field: "f", before: "x\ny", after: "✓",
                batch: 0, meeting: nil, entityID: nil, beforeID: 3, afterID: nil),
        ]
        for row in rows {
            XCTAssertEqual(ChangeRecorder.hash(row, previous: previous), previousRule(row, previous: previous))
            XCTAssertEqual(ChangeRecorder.hash(row, state: nil, previous: previous), previousRule(row, previous: previous))
            XCTAssertNotEqual(ChangeRecorder.hash(row, state: "gap=00", previous: previous), previousRule(row, previous: previous))
        }
        // A state is hashed after all three ids, so a row with one never reads as a row with ids.
        let plain = rows[0]
        var withIDs = plain
        withIDs.entityID = 1
        XCTAssertNotEqual(ChangeRecorder.hash(plain, state: "", previous: previous), ChangeRecorder.hash(withIDs, previous: previous))
    }
}
