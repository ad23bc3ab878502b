import AssureModel
import AssureTestSupport
import XCTest

@testable import AssureStore

/// `assure log --format csv` copies cells straight from SQLite's rows (`logCSV`); it must give
/// the bytes of the whole listing's CSV, whatever the filter and whatever the text holds.
final class LogCSVTests: XCTestCase {
    func testTheCopiedCSVIsTheListingsCSVForEveryFilter() throws {
        let workspace = try Fixtures.larkspur()
        let owner = try XCTUnwrap(workspace.read { try $0.owners(today: Fixtures.today) }.first).owner.name
        // Text that needs quoting or a formula guard, text beyond ASCII, and a renamed owner
        // (the log names owners as they are called today).
        try workspace.write(Fixtures.actor("dana")) {
            _ = try $0.openGap(GapDraft(title: "=SUM(A1), \"quoted\"", description: "line one\nline two", severity: .high, owner: owner))
            _ = try $0.openGap(GapDraft(title: "Überprüfung der Zugänge – 日本", severity: .low))
        }
        try workspace.write(Fixtures.actor("dana")) { try $0.editOwner(owner, newName: owner + " Jr.") }
        let filters = [
            LogFilter(), LogFilter(actor: "dana"), LogFilter(entity: "gap"), LogFilter(ref: owner + " Jr."), LogFilter(limit: 3),
            LogFilter(since: "2026-01-01"), LogFilter(actor: "nobody"),
        ]
        for filter in filters {
            let (copied, listed) = try workspace.read { r in
                var bytes: [UInt8] = []
                var pieces = 0
                try r.logCSV(filter) {
                    bytes += $0; pieces += 1
                }
                XCTAssertGreaterThan(pieces, 0)
                return (bytes, Listings.log(try r.log(filter)).csv())
            }
            XCTAssertEqual(String(decoding: copied, as: UTF8.self), listed, "\(filter)")
        }
        let all = try workspace.read { Listings.log(try $0.log()).csv() }
        XCTAssertTrue(all.contains("\"'=SUM(A1), \"\"quoted\"\"\""), "quoted and guarded")
        XCTAssertTrue(all.contains(owner + " Jr."))
    }

    func testALongLogIsHandedOverInPieces() throws {
        let workspace = try Fixtures.larkspur()
        for i in 0..<40 {
            try workspace.write(Fixtures.actor()) { _ = try $0.openGap(GapDraft(title: "Gap number \(i) " + String(repeating: "x", count: 2_000))) }
        }
        var sizes: [Int] = []
        try workspace.read { r in try r.logCSV { sizes.append($0.count) } }
        XCTAssertGreaterThan(sizes.count, 1)
        XCTAssertTrue(sizes.dropLast().allSatisfy { $0 >= 1 << 16 && $0 < (1 << 16) + 10_000 }, "\(sizes)")
    }
}
