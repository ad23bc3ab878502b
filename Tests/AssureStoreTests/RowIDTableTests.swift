import XCTest

@testable import AssureStore

/// The table answers for every id as a dictionary would, whether the id lands in its array or not.
final class RowIDTableTests: XCTestCase {
    func testEveryIdReadsBackWhatWasStored() {
        let ids: [Int64] = [1, 2, 3, 7, 0, -5, 4_000, Int64.max, Int64.min, 1_030]
        var table = RowIDTable<String>(largestID: 7, count: ids.count)
        var reference: [Int64: String] = [:]
        for id in ids {
            table[id] = "row \(id)"
            reference[id] = "row \(id)"
        }
        for id in ids + [5, 6, 8, -1, 1_029] { XCTAssertEqual(table[id], reference[id], "id \(id)") }
        table[3] = nil
        table[Int64.max] = nil
        XCTAssertNil(table[3])
        XCTAssertNil(table[Int64.max])
        XCTAssertEqual(table[Int64.min], "row \(Int64.min)")
    }

    func testSparseIdsStillWork() {
        // A largest id far beyond the count: nothing goes in an array.
        var table = RowIDTable<Int>(largestID: 10_000_000, count: 3)
        table[10_000_000] = 1
        table[1] = 2
        XCTAssertEqual(table[10_000_000], 1)
        XCTAssertEqual(table[1], 2)
        XCTAssertNil(table[2])
    }

    func testModifyAppendsInPlaceFromTheInitialValue() {
        var table = RowIDTable<[String]>(largestID: 4, count: 4)
        for (id, name) in [(Int64(2), "a"), (2, "b"), (9_000, "c"), (9_000, "d"), (-1, "e")] {
            table.modify(id, initial: []) { $0.append(name) }
        }
        XCTAssertEqual(table[2], ["a", "b"])
        XCTAssertEqual(table[9_000], ["c", "d"])
        XCTAssertEqual(table[-1], ["e"])
        XCTAssertNil(table[3])
    }
}
