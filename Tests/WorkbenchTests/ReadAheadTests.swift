import AssureModel
import Foundation
import XCTest

@testable import Workbench

/// Pages read ahead on another thread (`PagedRows.readAhead`): they land in the cache, a row
/// being read ahead is waited for instead of read twice, and a failed read ahead leaves the
/// row to the screen's own read.
final class ReadAheadTests: XCTestCase {
    /// A fetch that counts what it is asked for, and can be held until the test lets it go.
    final class Source: @unchecked Sendable {
        let lock = NSLock()
        var asked: [[Int]] = []
        var failing = false
        let gate = DispatchSemaphore(value: 0)
        var held = false

        func fetch(_ keys: [Int]) throws -> [Int: String] {
            lock.lock()
            asked.append(keys)
            let (hold, fail) = (held, failing)
            lock.unlock()
            if hold { gate.wait() }
            if fail { throw CocoaError(.fileReadUnknown) }
            // Key 13 is gone from the store.
            return Dictionary(uniqueKeysWithValues: keys.filter { $0 != 13 }.map { ($0, "row \($0)") })
        }
    }

    private func rows(_ source: Source) -> PagedRows<Int, String> {
        PagedRows(page: 10, limit: 1_000) { keys in try source.fetch(keys) }
    }

    func testThePageAroundTheRowAndTheLastPageAreThereWhenShown() {
        let source = Source()
        let pages = rows(source)
        pages.readAhead(around: 30, count: 100) { $0 }
        ReadAhead.wait()
        XCTAssertEqual(source.asked, [Array(27..<37) + Array(90..<100)], "the page starts a third of a page above the row")
        XCTAssertEqual(pages.row(30, count: 100) { $0 }, "row 30")
        XCTAssertEqual(pages.row(36, count: 100) { $0 }, "row 36")
        XCTAssertEqual(pages.row(99, count: 100) { $0 }, "row 99")
        XCTAssertEqual(pages.queries, 1, "the rows came with the read ahead")
        // Asking again reads nothing: every row of both pages is there.
        pages.readAhead(around: 30, count: 100) { $0 }
        ReadAhead.wait()
        XCTAssertEqual(source.asked.count, 1)
    }

    func testARowGoneFromTheStoreIsRememberedByTheReadAhead() {
        let source = Source()
        let pages = rows(source)
        pages.readAhead(around: 13, count: 100) { $0 }
        ReadAhead.wait()
        XCTAssertNil(pages.row(13, count: 100) { $0 })
        XCTAssertEqual(source.asked.count, 1, "a row the read ahead found gone is not asked for again")
    }

    /// Fails if asks pile up: a newer ask replaces an older one whose read has not started.
    func testAnAskNotStartedIsReplacedByTheNewerOne() {
        let source = Source()
        source.held = true
        let pages = rows(source)
        pages.readAhead(around: 50, count: 100) { $0 }
        // Wait until that read has started (and is held), then ask twice more.
        while source.lock.withLock({ source.asked.isEmpty }) { usleep(1_000) }
        pages.readAhead(around: 10, count: 100) { $0 }
        pages.readAhead(around: 70, count: 100) { $0 }
        source.lock.withLock { source.held = false }
        source.gate.signal()
        ReadAhead.wait()
        XCTAssertEqual(source.asked, [Array(47..<57) + Array(90..<100), Array(67..<77)], "nothing around row 10 was read")
    }

    /// Fails if a row being read ahead is read a second time by the screen.
    func testARowBeingReadAheadIsWaitedForNotReadTwice() {
        let source = Source()
        source.held = true
        let pages = rows(source)
        pages.readAhead(around: 50, count: 100) { $0 }
        XCTAssertEqual(readWhileHeld(release: source.gate) { pages.row(50, count: 100) { $0 } }, "row 50")
        XCTAssertEqual(source.asked.count, 1, "one read, the read ahead's")
    }

    func testAFailedReadAheadLeavesTheRowToTheScreensRead() {
        let source = Source()
        source.failing = true
        let pages = rows(source)
        pages.readAhead(around: 5, count: 100) { $0 }
        ReadAhead.wait()
        XCTAssertEqual(pages.queries, 0)
        source.lock.lock()
        source.failing = false
        source.lock.unlock()
        XCTAssertEqual(pages.row(5, count: 100) { $0 }, "row 5")
        XCTAssertEqual(source.asked.count, 2, "the screen read the row itself")
    }

    /// Fails if an owner's keys being read ahead are read a second time by Enter.
    func testAnOwnersKeysBeingReadAheadAreWaitedForNotReadTwice() {
        let gate = DispatchSemaphore(value: 0)
        let count = Counter()
        let keys = OwnerGapKeys { owner in
            count.add()
            gate.wait()
            return [GapKey(id: 1, ref: "GAP-1 of \(owner)", isOpen: true)]
        }
        let landed = Counter()
        keys.readAhead(owner: "Dana") { _ in landed.add() }
        while count.value == 0 { usleep(1_000) }
        XCTAssertEqual(readWhileHeld(release: gate) { (try? keys.keys(owner: "Dana"))?.first?.ref }, "GAP-1 of Dana")
        ReadAhead.wait()
        XCTAssertEqual(count.value, 1, "one read, the read ahead's")
        XCTAssertEqual(keys.reads, 1)
        XCTAssertEqual(landed.value, 1, "then the first page was asked for")
        // Another owner not read ahead is read when asked for.
        gate.signal()
        XCTAssertEqual(try keys.keys(owner: "Omar").first?.ref, "GAP-1 of Omar")
        XCTAssertEqual(count.value, 2)
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func add() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }

    /// Runs the screen's `read` on another thread while a read ahead is held at `release`:
    /// checks that it waits, lets the read ahead go, and returns what the screen got.
    private func readWhileHeld(release: DispatchSemaphore, _ read: @escaping @Sendable () -> String?) -> String? {
        let done = DispatchSemaphore(value: 0)
        let result = Result()
        Thread.detachNewThread {
            result.value = read()
            done.signal()
        }
        XCTAssertEqual(done.wait(timeout: .now() + 0.2), .timedOut, "the screen's read waits for the read ahead")
        release.signal()
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        return result.value
    }

    /// Written by the screen's thread before it signals, read after the wait.
    final class Result: @unchecked Sendable { var value: String? }
}
