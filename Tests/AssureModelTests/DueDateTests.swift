import AssureModel
import Foundation
import XCTest

final class DueDateTests: XCTestCase {
    let today = DueDate.parseDay("2026-11-20")!

    func testForms() throws {
        XCTAssertEqual(try DueDate.parse("2027-01-31", today: today), "2027-01-31")
        XCTAssertEqual(try DueDate.parse("+10d", today: today), "2026-11-30")
        XCTAssertEqual(try DueDate.parse("-5d", today: today), "2026-11-15")
        XCTAssertEqual(try DueDate.parse("+2w", today: today), "2026-12-04")
        XCTAssertEqual(try DueDate.parse("+3m", today: today), "2027-02-20")
        XCTAssertEqual(try DueDate.parse("EOQ", today: today), "2026-12-31")
        XCTAssertEqual(try DueDate.parse("eoq", today: DueDate.parseDay("2027-02-03")!), "2027-03-31")
        XCTAssertEqual(try DueDate.parse("eoq", today: DueDate.parseDay("2027-06-30")!), "2027-06-30")
        XCTAssertEqual(try DueDate.parse("today", today: today), "2026-11-20")
    }

    func testRefusals() {
        for bad in ["2027-02-30", "2027-13-01", "31/01/2027", "+d", "+10x", "soon", "", "2027-1-5"] {
            XCTAssertThrowsError(try DueDate.parse(bad, today: today), bad) { error in
                XCTAssertEqual("\(error)", "'\(bad)' is not a date: use YYYY-MM-DD, +10d, +2w, +3m, today or eoq")
            }
        }
    }

    func testOverdueComparesDays() {
        var gap = Gap(ref: "GAP-1", title: "x", due: "2026-11-19")
        XCTAssertTrue(gap.isOverdue(today: "2026-11-20"))
        gap.due = "2026-11-20"
        XCTAssertFalse(gap.isOverdue(today: "2026-11-20"))
        gap.due = "2026-11-01"; gap.status = .remediated
        XCTAssertFalse(gap.isOverdue(today: "2026-11-20"))
    }
}
