import AssureModel
import AssureTestSupport
import Foundation
import XCTest

@testable import AssureStore

/// The change log is a hash chain: tampering with it through plain `sqlite3` is caught.
final class ChainTests: XCTestCase {
    var folder: URL!
    var path: String!

    override func setUpWithError() throws {
        folder = try Fixtures.temporaryDirectory()
        path = folder.appendingPathComponent("chain.assure").path
        let alice = Actor("alice")
        let workspace = try Workspace.create(path: path, scope: Scope(company: "Acme"), by: alice)
        try workspace.write(alice) { try $0.addOwner(Owner(name: "Dana Kim")) }
        try workspace.write(alice) { try $0.loadStarterLibrary() }
        try workspace.write(alice) { try $0.assign(controls: ["AC-01", "AC-02"], owner: .some("Dana Kim")) }
        try workspace.write(alice) { try $0.openGap(GapDraft(title: "Weak password policy", severity: .high)) }
        try workspace.close()
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func sqlite(_ sql: String) throws {
        let result = try runProcess("/usr/bin/sqlite3", [path, sql])
        XCTAssertEqual(result.exitCode, 0, result.stderr)
    }

    func testIntactChainVerifies() throws {
        let workspace = try Workspace.open(path: path)
        let result = try workspace.read { try $0.verifyChain() }
        XCTAssertTrue(result.isIntact)
        XCTAssertEqual(result.rows, try workspace.read { try $0.log() }.count)
        XCTAssertEqual(result.head, try workspace.read { try $0.chainHead() })
        XCTAssertEqual(result.head.count, 64)
    }

    func testEditedRowIsCaught() throws {
        try sqlite("UPDATE change_log SET after = 'Mallory' WHERE field = 'owner' AND ref = 'AC-02'")
        let workspace = try Workspace.open(path: path)
        let badRow = try XCTUnwrap(workspace.read { try $0.log() }.first { $0.ref == "AC-02" && $0.field == "owner" }).id
        let result = try workspace.read { try $0.verifyChain() }
        XCTAssertEqual(result.firstBadRow, badRow)
        XCTAssertEqual(result.problem, "row \(badRow) was altered: its content does not match its hash")
    }

    func testDeletedRowIsCaught() throws {
        try sqlite("DELETE FROM change_log WHERE id = 3")
        let result = try Workspace.open(path: path).read { try $0.verifyChain() }
        XCTAssertEqual(result.firstBadRow, 3)
        XCTAssertEqual(result.problem, "row 3 is missing (next row is 4)")
    }

    func testRehashedRowStillBreaksTheLinkToTheNext() throws {
        // A forger who recomputes one row's hash must also rewrite every later row.
        try sqlite("UPDATE change_log SET hash = 'f00d' WHERE id = 2")
        let result = try Workspace.open(path: path).read { try $0.verifyChain() }
        XCTAssertEqual(result.firstBadRow, 2)
    }

    func testDeletingTheLastRowIsCaughtAgainstARecordedHead() throws {
        let head = try Workspace.open(path: path).read { try $0.chainHead() }
        try sqlite("DELETE FROM change_log WHERE id = (SELECT max(id) FROM change_log)")
        let result = try Workspace.open(path: path).read { try $0.verifyChain() }
        XCTAssertTrue(result.isIntact, "a truncated tail is a valid shorter chain...")
        XCTAssertNotEqual(result.head, head, "...but its head no longer matches the one printed by `assure log`")
    }
}
