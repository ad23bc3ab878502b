import AssureModel
import Foundation
import XCTest

/// `FixedPoint.format` must print exactly what `String(format: "%.Nf")` prints.
final class FixedPointTests: XCTestCase {
    func check(_ value: Double, file: StaticString = #filePath, line: UInt = #line) {
        for digits in 0...3 {
            XCTAssertEqual(
                FixedPoint.format(value, digits: digits), String(format: "%.\(digits)f", value),
                "\(value) to \(digits) digits", file: file, line: line)
        }
    }

    func testHalvesRoundToEvenAsPrintfDoes() {
        // Exact halves in binary: the tie rule decides.
        for k in 0...400 { check(Double(k) / 8) }
        for k in 0...400 { check(Double(k) / 20) }
        for value in [0.05, 0.15, 0.25, 0.35, 0.45, 1.005, 2.675, 0.125, 0.375, 9.995, 99.95, 1e11 + 0.5] { check(value) }
    }

    func testScoresAndOddValues() {
        let severities = [10.0, 6, 3, 1, 0.001, 1000, 7.3]
        let efforts = [1.0, 2, 3, 5, 8, 0.1, 0.7]
        for s in severities { for e in efforts { for c in 1...12 { for o in [1.0, 1.5, 2.25] { check(s * Double(c) * o / e) } } } }
        var random = SystemRandomNumberGenerator()
        for _ in 0..<5_000 { check(Double.random(in: 0..<1_000_000, using: &random)) }
        for value in [0.0, -0.0, -1.25, -3.5, .infinity, -.infinity, .nan, 1e13, 1e300, Double.leastNonzeroMagnitude, 0.0049999999] { check(value) }
    }
}
