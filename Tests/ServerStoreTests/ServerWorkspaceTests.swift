import AssureModel
import AssureServerStore
import AssureStore
import AssureTestSupport
import Foundation
import GRDB
import XCTest

/// Several people on one server workspace, each through a local copy of their own.
final class ServerWorkspaceTests: XCTestCase {
    var folder: URL!
    var address: ServerAddress!

    override func setUpWithError() throws {
        folder = try Fixtures.temporaryDirectory()
        address = try TestServer.larkspurOnServer(in: folder)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// One person's copy: a cache folder of their own, as on their own machine.
    func person(_ name: String, readOnly: Bool = false) throws -> Workspace {
        let cache = folder.appendingPathComponent("cache-\(name)").path
        return try ServerWorkspace.open(address, readOnly: readOnly, environment: ["XDG_CACHE_HOME": cache])
    }

    func owner(of control: String, in workspace: Workspace) throws -> String? {
        try workspace.read { r in try r.controls().first { $0.ref == control }?.owner }
    }

    /// Every change-log row on the server hashes the same in PL/pgSQL as in assure.
    func serverChain() throws -> (rows: Int, bad: Int) {
        try ServerSession.with(address) { session in
            let rows = try await session.rows("SELECT count(*)::bigint FROM assure.change_log").first!.decode(Int.self)
            let bad = try await session.rows(
                """
                SELECT count(*)::bigint FROM assure.change_log c
                LEFT JOIN assure.change_log p ON p.id = c.id - 1
                WHERE assure.chain_hash(c) <> c.hash OR c.prev_hash <> coalesce(p.hash, repeat('0', 64))
                """
            ).first!.decode(Int.self)
            return (rows, bad)
        }
    }

    func testTheServerComputesTheSameHashesAsAssure() throws {
        let chain = try serverChain()
        XCTAssertGreaterThan(chain.rows, 100)
        XCTAssertEqual(chain.bad, 0)
    }

    func testAWriteOnOneCopyReachesAnotherAndBothVerify() throws {
        let dana = try person("dana")
        let omar = try person("omar")
        try dana.write(Actor("dana")) { try $0.assign(controls: ["AC-01"], owner: "Omar Haddad") }
        XCTAssertEqual(try owner(of: "AC-01", in: dana), "Omar Haddad")
        XCTAssertEqual(try owner(of: "AC-01", in: omar), "Dana Kim", "omar's copy has not caught up yet")

        let omarAgain = try person("omar", readOnly: true)
        XCTAssertEqual(try owner(of: "AC-01", in: omarAgain), "Omar Haddad", "opening catches up")
        for workspace in [dana, omarAgain] {
            let verification = try workspace.read { try $0.verifyWorkspace() }
            XCTAssertTrue(verification.isIntact, "\(verification)")
        }
        let danaHead = try dana.read { try $0.verifyChain().head }
        XCTAssertEqual(try omarAgain.read { try $0.verifyChain().head }, danaHead)
        XCTAssertEqual(try serverChain().bad, 0)
    }

    /// Omar writes on a copy that is behind: the server refuses that first attempt, his copy
    /// takes in Dana's write, and his write is made again on top of it. Nothing is lost.
    func testAWriteMadeOnAnOlderStateIsMadeAgainOnTheNewer() throws {
        let dana = try person("dana")
        let omar = try person("omar")
        try dana.write(Actor("dana")) { try $0.assign(controls: ["AC-01"], owner: "Priya Raman") }
        try omar.write(Actor("omar")) { try $0.assign(controls: ["AC-02"], owner: "Tomasz Nowak") }
        XCTAssertEqual(try owner(of: "AC-01", in: omar), "Priya Raman")
        XCTAssertEqual(try owner(of: "AC-02", in: omar), "Tomasz Nowak")
        let check = try person("check", readOnly: true)
        XCTAssertEqual(try owner(of: "AC-01", in: check), "Priya Raman")
        XCTAssertEqual(try owner(of: "AC-02", in: check), "Tomasz Nowak")
        XCTAssertTrue(try check.read { try $0.verifyWorkspace() }.isIntact)
        XCTAssertEqual(try serverChain().bad, 0)
    }

    /// Both looked at AC-03 when its owner was Dana Kim; Dana's change lands first. Omar's,
    /// made against what he saw, is refused naming who changed it, and nothing of it is written.
    func testTwoPeopleChangingOneFieldSeeTheConflictNamed() throws {
        let dana = try person("dana")
        let omar = try person("omar")
        let seen = try omar.read { try $0.changeCounter() }
        try dana.write(Actor("dana")) { try $0.assign(controls: ["AC-03"], owner: "Aisha Bello") }
        XCTAssertThrowsError(try omar.write(Actor("omar", baseline: seen)) { try $0.assign(controls: ["AC-03"], owner: "Tomasz Nowak") }) {
            error in
            XCTAssertTrue("\(error)".contains("AC-03 owner was changed by dana"), "\(error)")
        }
        let check = try person("check", readOnly: true)
        XCTAssertEqual(try owner(of: "AC-03", in: check), "Aisha Bello")
    }

    /// A copy opened `live` (the workbench's) takes in Dana's write as the server announces it,
    /// without Omar doing anything. (Waited for with a generous deadline, not timed.)
    func testALiveCopyTakesInAnotherPersonsWriteByItself() throws {
        let omar = try ServerWorkspace.open(
            address, readOnly: true, live: true, environment: ["XDG_CACHE_HOME": folder.appendingPathComponent("cache-omar").path])
        defer { try? omar.close() }
        let before = try omar.dataVersion()
        let dana = try person("dana")
        try dana.write(Actor("dana")) { try $0.assign(controls: ["AC-04"], owner: "Priya Raman") }
        var seen = false
        for _ in 0..<1000 where !seen {
            seen = try owner(of: "AC-04", in: omar) == "Priya Raman"
            if !seen { usleep(10_000) }
        }
        XCTAssertTrue(seen, "the live copy took in the write")
        XCTAssertNotEqual(try omar.dataVersion(), before, "the workbench's idle check sees the copy change")
    }

    /// A local copy whose history no longer matches the server's (edited by hand here) is
    /// fetched again whole when it is opened.
    func testACopyThatDriftedFromTheServerIsFetchedAgain() throws {
        let dana = try person("dana")
        let path = dana.path
        try dana.close()
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "UPDATE change_log SET hash = 'forged' WHERE id = (SELECT max(id) FROM change_log)") }
        try queue.close()
        let again = try person("dana")
        XCTAssertEqual(again.path, path)
        XCTAssertTrue(try again.read { try $0.verifyWorkspace() }.isIntact)
        try again.write(Actor("dana")) { try $0.assign(controls: ["AC-05"], owner: "Omar Haddad") }
    }

    /// Two copies on one machine share one file (the workbench beside a command): each takes in
    /// the other's writes without taking any twice.
    func testTwoProcessesSharingOneCopyTakeInEachWriteOnce() throws {
        let first = try person("shared")
        let second = try person("shared")
        XCTAssertEqual(first.path, second.path)
        let dana = try person("dana")
        for (index, name) in ["Omar Haddad", "Priya Raman", "Tomasz Nowak"].enumerated() {
            try dana.write(Actor("dana")) { try $0.assign(controls: ["AC-0\(index + 4)"], owner: name) }
        }
        try first.write(Actor("first")) { try $0.assign(controls: ["AC-09"], owner: "Aisha Bello") }
        try second.write(Actor("second")) { try $0.assign(controls: ["AC-11"], owner: "Aisha Bello") }
        let reopened = try person("shared", readOnly: true)
        XCTAssertEqual(try owner(of: "AC-06", in: reopened), "Tomasz Nowak")
        XCTAssertEqual(try owner(of: "AC-09", in: reopened), "Aisha Bello")
        XCTAssertEqual(try owner(of: "AC-11", in: reopened), "Aisha Bello")
        XCTAssertTrue(try reopened.read { try $0.verifyWorkspace() }.isIntact)
    }

    /// The workbench and a command opening the workspace for the first time at once (found
    /// in tmux): both fetch the copy, and the second uses the first's instead of failing.
    func testTwoFirstOpensAtOnceBothSucceed() throws {
        let opened = OpenCount()
        let (address, cache) = (address!, folder.appendingPathComponent("cache-together").path)
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            if (try? ServerWorkspace.open(address, readOnly: false, environment: ["XDG_CACHE_HOME": cache])) != nil { opened.add() }
        }
        XCTAssertEqual(opened.value, 3)
    }

    /// A client that sends a change-log row with a made-up hash is refused by the server itself.
    func testTheServerRefusesARowThatBreaksTheChain() throws {
        let head = try ServerSession.with(address) { session in
            try await session.rows("SELECT id, hash FROM assure.change_log ORDER BY id DESC LIMIT 1").first!.decode((Int64, String).self)
        }
        let forged = """
            [{"t":"change_log","op":"insert","old":{},"new":{"id":\(head.0 + 1),"at":"2026-12-01T00:00:00Z","actor":"mallory",\
            "entity":"control","ref":"AC-01","field":"owner","before":"Dana Kim","after":"Mallory","batch":999,\
            "prev_hash":"\(head.1)","hash":"\(String(repeating: "a", count: 64))"}}]
            """
        XCTAssertThrowsError(
            try ServerSession.with(address) { session in
                try await session.execute("SELECT assure.apply_batch($1, $2::jsonb)", [.integer(head.0), .text(forged)])
            }
        ) { error in
            XCTAssertTrue("\(error)".contains("does not continue the chain"), "\(error)")
        }
        XCTAssertEqual(try serverChain().rows, Int(head.0), "nothing of the refused batch was kept")
    }
}

/// Counts successes across threads.
private final class OpenCount: @unchecked Sendable {
    // Read and written under `lock` only.
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
