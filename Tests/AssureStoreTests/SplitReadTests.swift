import AssureModel
import AssureTestSupport
import Foundation
import XCTest

@testable import AssureStore

/// `Workspace.readSplit` runs two reads at once on two connections; together they must always
/// describe one state of the file, even when another process writes between them.
final class SplitReadTests: XCTestCase {
    var folder: URL!
    var path: String!

    override func setUpWithError() throws {
        folder = try Fixtures.temporaryDirectory()
        path = folder.appendingPathComponent("split.assure").path
        let alice = Actor("alice")
        let workspace = try Workspace.create(path: path, scope: Scope(company: "Acme"), by: alice)
        try workspace.write(alice) { try $0.addOwner(Owner(name: "Dana Kim")) }
        try workspace.close()
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func owners(_ r: WorkspaceReader) throws -> [String] { try r.owners(today: "2026-12-01").map(\.owner.name) }

    func testTheTwoHalvesReadWhatOneReadReads() throws {
        let workspace = try Workspace.open(path: path, readOnly: true)
        let (here, there) = try workspace.readSplit({ r in try self.owners(r) }, side: { r in try r.changeCounter() })
        XCTAssertEqual(here, ["Dana Kim"])
        XCTAssertEqual(there, try workspace.read { try $0.changeCounter() })
    }

    /// A write lands after this half took its state and before the side half took its own:
    /// the halves disagree, so both run again in one transaction and agree on the newer state.
    func testAWriteBetweenTheHalvesIsNeverMixedIn() throws {
        let workspace = try Workspace.open(path: path)
        let other = try Workspace.open(path: path)
        let written = DispatchSemaphore(value: 0)
        let sideRuns = Counter()
        var mainRuns = 0
        let (here, there) = try workspace.readSplit(
            { r in
                mainRuns += 1
                if mainRuns == 1 {
                    // This transaction keeps the state it began with; the file moves on.
                    try other.write(Actor("bob")) { try $0.addOwner(Owner(name: "Lee Park")) }
                    written.signal()
                }
                return try self.owners(r)
            },
            side: { r in
                _ = sideRuns.increment()
                return try r.owners(today: "2026-12-01").map(\.owner.name)
            },
            beforeSide: { written.wait() })
        XCTAssertEqual(mainRuns, 2, "the halves saw two states, so both ran again")
        XCTAssertEqual(sideRuns.value, 2)
        XCTAssertEqual(here, ["Dana Kim", "Lee Park"])
        XCTAssertEqual(there, here)
    }

    /// Without the write, each half runs once.
    func testEachHalfRunsOnceWhenNothingIsWritten() throws {
        let workspace = try Workspace.open(path: path)
        let sideRuns = Counter()
        var mainRuns = 0
        _ = try workspace.readSplit(
            { r in
                mainRuns += 1; return try self.owners(r)
            },
            side: { r in
                _ = sideRuns.increment(); return try r.changeCounter()
            })
        XCTAssertEqual(mainRuns, 1)
        XCTAssertEqual(sideRuns.value, 1)
    }
}

/// Counts calls from the side half's thread. Unchecked: guarded by its lock.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() -> Int {
        lock.withLock {
            count += 1; return count
        }
    }
    var value: Int { lock.withLock { count } }
}
