import AssureModel
import AssureTestSupport
import Foundation
import GRDB
import XCTest

@testable import AssureStore

final class WorkspaceFileTests: XCTestCase {
    var folder: URL!
    override func setUpWithError() throws { folder = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func makeWorkspace(_ name: String = "w.assure") throws -> Workspace {
        try Workspace.create(
            path: path(name), scope: Scope(company: "Acme", categories: [.security, .availability]),
            by: Fixtures.actor("alice"))
    }

    func testCreatedFileIsPrivateAndMarked() throws {
        let workspace = try makeWorkspace()
        try workspace.close()
        let mode = try FileManager.default.attributesOfItem(atPath: path("w.assure"))[.posixPermissions] as! Int
        XCTAssertEqual(mode & 0o777, 0o600)
        let queue = try DatabaseQueue(path: path("w.assure"))
        let applicationID = try queue.read { try Int32.fetchOne($0, sql: "PRAGMA application_id") }
        XCTAssertEqual(applicationID, 0x4153_5552)
        let journal = try queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(journal, "wal")
    }

    /// The file's header marks it as ours. A new workspace's first pages go to its write-ahead
    /// log, and stay there while the creating process keeps it open (`assure demo` goes on to
    /// the workbench): a colleague's `assure status` on it must still see the mark.
    func testANewWorkspaceOpensInAnotherHandleWhileItsCreatorKeepsItOpen() throws {
        let creator = try makeWorkspace()
        defer { try? creator.close() }
        let other = try Workspace.open(path: path("w.assure"), readOnly: true)
        XCTAssertEqual(try other.read { try $0.scope() }.company, "Acme")
        let synthetic = try Workspace.synthetic(path: path("s.assure"), controls: 10, owners: 2, gaps: 3, logRows: 20)
        defer { try? synthetic.close() }
        XCTAssertEqual(try Workspace.open(path: path("s.assure"), readOnly: true).read { try $0.controls() }.count, 10)
    }

    func testCreateRefusesAnExistingFile() throws {
        try "keep me".write(toFile: path("w.assure"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try makeWorkspace()) { error in
            XCTAssertEqual(error as? WorkspaceError, .alreadyExists(path("w.assure")))
        }
        XCTAssertEqual(try String(contentsOfFile: path("w.assure"), encoding: .utf8), "keep me")
    }

    func testTextFileIsRefusedAndUntouched() throws {
        let text = "company: not a database\n"
        try text.write(toFile: path("notes.assure"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Workspace.open(path: path("notes.assure"))) { error in
            XCTAssertEqual("\(error)", "\(path("notes.assure")): not an assure workspace (not an SQLite database); nothing was written")
        }
        XCTAssertEqual(try String(contentsOfFile: path("notes.assure"), encoding: .utf8), text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("notes.assure-wal")))
    }

    func testForeignSQLiteFileIsRefusedAndUntouched() throws {
        let foreign = try DatabaseQueue(path: path("other.db"))
        try foreign.write { try $0.execute(sql: "CREATE TABLE t (x); INSERT INTO t VALUES (1)") }
        try foreign.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path("other.db")))
        XCTAssertThrowsError(try Workspace.open(path: path("other.db"))) { error in
            XCTAssertTrue("\(error)".contains("an SQLite database from another application"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("other.db"))), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("other.db-wal")))
    }

    func testTruncatedFileIsRefused() throws {
        let workspace = try makeWorkspace()
        try workspace.close()
        let data = try Data(contentsOf: URL(fileURLWithPath: path("w.assure")))
        try data.prefix(data.count / 2 + 100).write(to: URL(fileURLWithPath: path("cut.assure")))
        XCTAssertThrowsError(try Workspace.open(path: path("cut.assure"))) { error in
            XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
        }
        try data.prefix(40).write(to: URL(fileURLWithPath: path("tiny.assure")))
        XCTAssertThrowsError(try Workspace.open(path: path("tiny.assure"))) { error in
            XCTAssertTrue("\(error)".contains("truncated"), "\(error)")
        }
    }

    func testMissingFileIsReported() {
        XCTAssertThrowsError(try Workspace.open(path: path("none.assure"))) { error in
            XCTAssertEqual(error as? WorkspaceError, .fileNotFound(path("none.assure")))
        }
    }

    func testNewerWorkspaceIsRefused() throws {
        let workspace = try makeWorkspace()
        try workspace.close()
        let queue = try DatabaseQueue(path: path("w.assure"))
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')") }
        try queue.close()
        XCTAssertThrowsError(try Workspace.open(path: path("w.assure"))) { error in
            XCTAssertEqual(error as? WorkspaceError, .newerVersion(path: path("w.assure"), unknown: ["v99-future"]))
        }
    }

    func testOlderWorkspaceIsBackedUpThenMigrated() throws {
        // Build a file as the first release wrote it: only the first migration applied.
        try WorkspaceFile.createPrivate(path: path("old.assure"))
        let pool = try DatabasePool(path: path("old.assure"))
        try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA application_id = \(Schema.applicationID)") }
        try Schema.migrator.migrate(pool, upTo: "v1-foundation")
        try pool.write { db in
            try db.execute(sql: "INSERT INTO workspace (id, company, report_type, created_at) VALUES (1, 'Old Co', '2', '2026-01-01T00:00:00Z')")
        }
        try pool.close()
        let workspace = try Workspace.open(path: path("old.assure"), now: Fixtures.fixedDate)
        let backup = try XCTUnwrap(workspace.backupPath)
        XCTAssertEqual(backup, path("old.assure") + ".bak-20261120-090000")
        XCTAssertTrue(FileManager.default.fileExists(atPath: backup))
        let migrated = try workspace.read { try Schema.migrator.appliedIdentifiers($0.db) }
        XCTAssertEqual(migrated, Set(Schema.knownMigrations))
        let backupQueue = try DatabaseQueue(path: backup)
        let backedUp = try backupQueue.read { try Schema.migrator.appliedIdentifiers($0) }
        XCTAssertEqual(backedUp, ["v1-foundation"])
        XCTAssertEqual(try workspace.read { try $0.scope() }.company, "Old Co")
    }
}
