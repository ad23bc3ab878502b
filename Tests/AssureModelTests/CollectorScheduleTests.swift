import AssureModel
import Foundation
import XCTest

/// When a collector falls due, and how its timeout and output limit are typed.
final class CollectorScheduleTests: XCTestCase {
    let noon = Date(timeIntervalSince1970: 1_795_176_000)  // 2026-11-20T12:00:00Z

    func testNextDueFollowsTheScheduleInCalendarDays() {
        XCTAssertEqual(CollectorSchedule.nextDue(every: .daily, lastPassedDay: "2026-11-20", today: "2026-11-20"), "2026-11-21")
        XCTAssertEqual(CollectorSchedule.nextDue(every: .weekly, lastPassedDay: "2026-11-20", today: "2026-11-20"), "2026-11-27")
        XCTAssertEqual(
            CollectorSchedule.nextDue(every: .monthly, lastPassedDay: "2026-01-31", today: "2026-01-31"), "2026-02-28",
            "a month end clamps")
        XCTAssertEqual(CollectorSchedule.nextDue(every: .quarterly, lastPassedDay: "2026-11-30", today: "2026-11-30"), "2027-02-28")
        XCTAssertEqual(
            CollectorSchedule.nextDue(every: .weekly, lastPassedDay: nil, today: "2026-11-20"), "2026-11-20",
            "never passed: due today")
        XCTAssertNil(CollectorSchedule.nextDue(every: nil, lastPassedDay: "2026-11-20", today: "2026-11-20"), "no schedule: only when named")
    }

    func testDueOncePerPeriodAndAFailureIsRetriedAfterAnHour() {
        XCTAssertTrue(CollectorSchedule.isDue(every: .daily, lastPassedDay: nil, lastFailedAt: nil, today: "2026-11-20", now: noon))
        XCTAssertFalse(
            CollectorSchedule.isDue(every: .daily, lastPassedDay: "2026-11-20", lastFailedAt: nil, today: "2026-11-20", now: noon),
            "already passed today")
        XCTAssertTrue(CollectorSchedule.isDue(every: .daily, lastPassedDay: "2026-11-19", lastFailedAt: nil, today: "2026-11-20", now: noon))
        XCTAssertFalse(CollectorSchedule.isDue(every: .weekly, lastPassedDay: "2026-11-14", lastFailedAt: nil, today: "2026-11-20", now: noon))
        XCTAssertTrue(CollectorSchedule.isDue(every: .weekly, lastPassedDay: "2026-11-13", lastFailedAt: nil, today: "2026-11-20", now: noon))
        XCTAssertFalse(
            CollectorSchedule.isDue(
                every: .daily, lastPassedDay: nil, lastFailedAt: noon.addingTimeInterval(-600),
                today: "2026-11-20", now: noon), "failed ten minutes ago: wait")
        XCTAssertTrue(
            CollectorSchedule.isDue(
                every: .daily, lastPassedDay: nil, lastFailedAt: noon.addingTimeInterval(-3700),
                today: "2026-11-20", now: noon), "failed over an hour ago: retry")
        XCTAssertFalse(CollectorSchedule.isDue(every: nil, lastPassedDay: nil, lastFailedAt: nil, today: "2026-11-20", now: noon))
    }

    func testTimeoutsParseInSecondsMinutesAndHours() throws {
        XCTAssertEqual(try CollectorSchedule.parseTimeout("60s"), 60)
        XCTAssertEqual(try CollectorSchedule.parseTimeout("90"), 90)
        XCTAssertEqual(try CollectorSchedule.parseTimeout("5m"), 300)
        XCTAssertEqual(try CollectorSchedule.parseTimeout("1H"), 3600)
        for bad in ["", "0s", "-5s", "2d", "25h", "fast", "1.5m"] {
            XCTAssertThrowsError(try CollectorSchedule.parseTimeout(bad), bad) { error in
                XCTAssertTrue("\(error)".contains("is not a timeout"), "\(error)")
            }
        }
    }

    func testSizesParseInBinaryUnits() throws {
        XCTAssertEqual(try CollectorSchedule.parseSize("1024"), 1024)
        XCTAssertEqual(try CollectorSchedule.parseSize("512K"), 512 * 1024)
        XCTAssertEqual(try CollectorSchedule.parseSize("50M"), 50 << 20)
        XCTAssertEqual(try CollectorSchedule.parseSize("50MiB"), 50 << 20)
        XCTAssertEqual(try CollectorSchedule.parseSize("1g"), 1 << 30)
        for bad in ["", "0", "M", "-1M", "65G", "lots"] {
            XCTAssertThrowsError(try CollectorSchedule.parseSize(bad), bad)
        }
        XCTAssertEqual(CollectorSchedule.describeSize(30), "30 bytes")
        XCTAssertEqual(CollectorSchedule.describeSize(50 << 20), "50.0 MiB")
        XCTAssertEqual(CollectorSchedule.describeSeconds(90), "1m30s")
        XCTAssertEqual(CollectorSchedule.describeSeconds(3600), "1h")
    }

    func testScheduleSpellings() {
        XCTAssertEqual(CollectorEvery(text: "Weekly"), .weekly)
        XCTAssertEqual(CollectorEvery(text: "quarter"), .quarterly)
        XCTAssertNil(CollectorEvery(text: "hourly"))
    }
}
