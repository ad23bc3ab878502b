import AssureModel
import AssureServerStore
import AssureStore
import AssureTestSupport
import Foundation
import GRDB
import XCTest

/// `assure copy` between a file and a real PostgreSQL server, both ways.
final class ServerCopyTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws { folder = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// The Larkspur sample as a file, with a few decisions on top so the chain has many batches.
    func makeLarkspur(_ name: String = "larkspur.assure") throws -> String {
        let file = path(name)
        let workspace = try Workspace.create(
            path: file, fromYAML: try Fixtures.sampleText("larkspur-health"), sourcePath: "samples/larkspur-health.yaml", by: Fixtures.actor())
        try workspace.close()
        return file
    }

    /// Every row of every table, in key order, as text: what two workspaces must agree on.
    func dump(_ file: String) throws -> [String: [String]] {
        let workspace = try Workspace.open(path: file, readOnly: true)
        defer { try? workspace.close() }
        return try workspace.database.read { db in
            var tables: [String: [String]] = [:]
            for shape in try Workspace.tableShapes(db) {
                let order = shape.primaryKey.map(Workspace.quoted).joined(separator: ", ")
                tables[shape.name] = try Row.fetchAll(db, sql: "SELECT * FROM \(Workspace.quoted(shape.name)) ORDER BY \(order)").map {
                    $0.databaseValues.map { "\($0.storage)" }.joined(separator: "|")
                }
            }
            return tables
        }
    }

    func testARoundTripKeepsEveryRowAndTheChain() throws {
        let file = try makeLarkspur()
        let address = try TestServer.freshDatabase()
        let up = try CopyToServer.run(file: file, to: address)
        let back = path("back.assure")
        let down = try CopyToFile.run(from: address, to: back)

        XCTAssertEqual(up, down)
        XCTAssertGreaterThan(up.logRows, 100)
        XCTAssertEqual(up.tables, try dump(file).count)
        let original = try dump(file)
        let copied = try dump(back)
        XCTAssertEqual(Set(original.keys), Set(copied.keys))
        for (table, rows) in original { XCTAssertEqual(copied[table], rows, "table \(table)") }
        XCTAssertGreaterThan(original["blob_chunk"]?.count ?? 0, 0, "the sample's evidence files travel as bytes")

        // The copy verifies: the same chain (same head) and tables that match what it records.
        let workspace = try Workspace.open(path: back, readOnly: true)
        defer { try? workspace.close() }
        let verification = try workspace.read { try $0.verifyWorkspace() }
        XCTAssertTrue(verification.isIntact, "\(verification)")
        XCTAssertEqual(verification.chain.head, up.head)
        XCTAssertEqual(verification.chain.rows, up.logRows)
    }

    func testTheServerHoldsTheRowsAndTheMigrations() throws {
        let file = try makeLarkspur()
        let address = try TestServer.freshDatabase()
        let summary = try CopyToServer.run(file: file, to: address)
        let (logRows, meta, head) = try ServerSession.with(address) { session in
            let count = try await session.rows("SELECT count(*) FROM assure.change_log").first!.decode(Int.self)
            let head = try await session.rows("SELECT hash FROM assure.change_log ORDER BY id DESC LIMIT 1").first!.decode(String.self)
            return (count, try await ServerSchema.meta(session), head)
        }
        XCTAssertEqual(logRows, summary.logRows)
        XCTAssertEqual(head, summary.head)
        XCTAssertEqual(meta["migrations"], Workspace.schemaMigrations.joined(separator: ","))
        // The tables' migrations only: one that changes the file's SQLite indexes alone (v14)
        // is not the server's, so a store copied by a build before it still matches.
        XCTAssertTrue(meta["migrations"]!.hasSuffix("v13-table-state"), meta["migrations"]!)
        XCTAssertEqual(meta["format"], "1")
        XCTAssertEqual(meta["copied_from"], "larkspur.assure")
    }

    func testASecondCopyToTheSameDatabaseIsRefusedAndChangesNothing() throws {
        let file = try makeLarkspur()
        let address = try TestServer.freshDatabase()
        let first = try CopyToServer.run(file: file, to: address)
        XCTAssertThrowsError(try CopyToServer.run(file: file, to: address)) { error in
            XCTAssertTrue("\(error)".contains("already holds a workspace"), "\(error)")
            XCTAssertTrue("\(error)".contains("nothing was written"), "\(error)")
        }
        let rows = try ServerSession.with(address) { session in
            try await session.rows("SELECT count(*) FROM assure.change_log").first!.decode(Int.self)
        }
        XCTAssertEqual(rows, first.logRows)
    }

    /// A value the server cannot take, in a table copied after many others: the tables before
    /// it were already sent in the transaction, and none of them may stay.
    func testAFailedCopyLeavesTheServerAsItWas() throws {
        let file = try makeLarkspur()
        let queue = try DatabaseQueue(path: file)
        try queue.write { db in try db.execute(sql: "INSERT INTO setting (key, value) VALUES ('x', X'00')") }
        try queue.close()
        let address = try TestServer.freshDatabase()
        XCTAssertThrowsError(try CopyToServer.run(file: file, to: address)) { error in
            XCTAssertTrue("\(error)".contains("setting.value of the row \"x\" holds bytes where TEXT is declared"), "\(error)")
        }
        let exists = try ServerSession.with(address) { session in try await ServerSchema.exists(session) }
        XCTAssertFalse(exists)
    }

    func testCopyingFromADatabaseWithoutAWorkspaceWritesNoFile() throws {
        let address = try TestServer.freshDatabase()
        let target = path("none.assure")
        XCTAssertThrowsError(try CopyToFile.run(from: address, to: target)) { error in
            XCTAssertTrue("\(error)".contains("holds no workspace"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: target))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        XCTAssertEqual(leftovers, [], "the partial file is removed")
    }

    func testCopyingOntoAnExistingFileIsRefused() throws {
        let file = try makeLarkspur()
        let address = try TestServer.freshDatabase()
        _ = try CopyToServer.run(file: file, to: address)
        let before = try Data(contentsOf: URL(fileURLWithPath: file))
        XCTAssertThrowsError(try CopyToFile.run(from: address, to: file)) { error in
            XCTAssertEqual(error as? WorkspaceError, .alreadyExists(file))
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: file)), before)
    }

    func testAServerFromANewerAssureIsRefused() throws {
        let file = try makeLarkspur()
        let address = try TestServer.freshDatabase()
        _ = try CopyToServer.run(file: file, to: address)
        try ServerSession.with(address) { session in
            try await session.execute("UPDATE assure.meta SET value = value || ',v99-future' WHERE key = 'migrations'")
        }
        XCTAssertThrowsError(try CopyToFile.run(from: address, to: path("x.assure"))) { error in
            XCTAssertTrue("\(error)".contains("from a newer assure (v99-future)"), "\(error)")
        }
    }

    func testAWrongPasswordNamesTheServerButNotThePassword() throws {
        var address = try TestServer.freshDatabase()
        address.urlPassword = "not-the-password"
        XCTAssertThrowsError(try CopyToServer.run(file: try makeLarkspur(), to: address)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix("cannot connect to postgres://assure_admin@127.0.0.1:"), message)
            XCTAssertTrue(message.contains("password authentication failed"), message)
            XCTAssertFalse(message.contains("not-the-password"), message)
        }
    }

    /// No password in the URL: PGPASSWORD, then the password file, as libpq does.
    func testThePasswordComesFromPGPASSWORDOrThePasswordFile() throws {
        let full = try TestServer.freshDatabase()
        let password = try XCTUnwrap(full.urlPassword)
        var withoutPassword = full
        withoutPassword.urlPassword = nil
        let address = withoutPassword
        let fromEnvironment = try Blocking.run {
            let session = try await ServerSession.connect(address, environment: ["PGPASSWORD": password])
            let user = try await session.rows("SELECT current_user::text").first!.decode(String.self)
            await session.close()
            return user
        }
        XCTAssertEqual(fromEnvironment, "assure_admin")

        let passFile = path("pgpass")
        try "# comment\nother:*:*:*:wrong\n127.0.0.1:\(address.port):*:assure_admin:\(password)\n".write(
            toFile: passFile, atomically: true, encoding: .utf8)
        chmod(passFile, 0o600)
        let fromFile = try Blocking.run {
            let session = try await ServerSession.connect(address, environment: ["PGPASSFILE": passFile])
            await session.close()
            return true
        }
        XCTAssertTrue(fromFile)
    }
}
