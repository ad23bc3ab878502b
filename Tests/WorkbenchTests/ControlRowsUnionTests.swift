import XCTest

@testable import Workbench

/// `AppState.union`: the Controls pane's rows for a category, its criteria's lists united in
/// order without repeats, must be what a set and a sort give.
final class ControlRowsUnionTests: XCTestCase {
    func testTheUnionIsTheSortedSetOfEveryList() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let count = Int.random(in: 1...300, using: &generator)
            let lists = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                Array(Set((0..<Int.random(in: 0...80, using: &generator)).map { _ in Int.random(in: 0..<count, using: &generator) })).sorted()
            }
            XCTAssertEqual(AppState.union(lists, count: count), Array(Set(lists.joined())).sorted(), "\(lists)")
        }
    }

    func testEdgeCases() {
        XCTAssertEqual(AppState.union([], count: 5), [])
        XCTAssertEqual(AppState.union([[1, 3]], count: 5), [1, 3], "one list is itself")
        XCTAssertEqual(AppState.union([[0, 4], [4], [2, 4]], count: 5), [0, 2, 4])
    }
}
