import AssureModel
import AssureTestSupport
import GRDB
import XCTest

@testable import AssureStore

/// `IN` lists padded to a power of two (`InList`) so window reads stay prepared: the padding
/// must change nothing a read returns, whatever the number of values.
final class InListTests: XCTestCase {
    func testListsArePaddedToAPowerOfTwoWithTheLastValue() {
        for count in 1...70 {
            let values = (1...count).map { Int64($0) }
            let list = InList.padded(values)
            let length = list.marks.split(separator: ",").count
            XCTAssertEqual(length, list.values.count)
            XCTAssertEqual(length & (length - 1), 0, "\(length) is a power of two")
            XCTAssertTrue(length >= count && length < 2 * count || count == 1 && length == 1)
            XCTAssertEqual(list.values, values + Array(repeating: Int64(count), count: length - count))
        }
        XCTAssertEqual(InList.padded([Int64]()).marks, "NULL", "an empty list selects nothing")
    }

    /// Fails if a padded value comes back twice or a window misses one: every length from 1 to
    /// 40 of the sample's controls and gaps.
    func testWindowReadsReturnEachRowOnce() throws {
        let workspace = try Fixtures.larkspur()
        let controls = try workspace.read { try $0.controls() }
        let gaps = try workspace.read { try $0.gapKeys() }
        for count in 1...min(40, controls.count, gaps.count) {
            let refs = Array(controls.map(\.ref).reversed().prefix(count))
            let read = try workspace.read { try $0.controls(refs: refs) }
            XCTAssertEqual(read, controls.filter { refs.contains($0.ref) }, "\(count) controls")
            let ids = gaps.prefix(count).map(\.id)
            let whole = try workspace.read { try $0.gaps(ids: ids) }
            XCTAssertEqual(Set(whole.map(\.ref)), Set(gaps.prefix(count).map(\.ref)))
            XCTAssertEqual(whole.count, count, "\(count) gaps")
        }
    }
}
