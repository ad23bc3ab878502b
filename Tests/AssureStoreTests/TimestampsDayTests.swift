import Foundation
import XCTest

@testable import AssureStore

/// `Timestamps.iso` and `day` (built from `gmtime_r`, without a date formatter) must
/// write what Foundation's `ISO8601DateFormatter` writes.
final class TimestampsDayTests: XCTestCase {
    func testTimestampsMatchTheFormatter() {
        var dates: [Date] = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: -0.5),
            Date(timeIntervalSince1970: 1_795_165_200), Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29
            Date(timeIntervalSince1970: 4_107_542_399.999), Date(timeIntervalSince1970: -2_208_988_800),  // 1900-01-01
        ]
        // Each side of midnight, by a second and by less than one, across several years.
        for day in stride(from: -30_000, through: 80_000, by: 997) {
            let midnight = Double(day) * 86_400
            for offset in [-1.0, -0.999, -0.001, 0, 0.001, 0.5, 0.999, 1, 43_200] {
                dates.append(Date(timeIntervalSince1970: midnight + offset))
            }
        }
        for date in dates {
            let formatted = Timestamps.formatterISO(date)
            XCTAssertEqual(Timestamps.iso(date), formatted, "\(date.timeIntervalSince1970)")
            XCTAssertEqual(Timestamps.day(date), String(formatted.prefix(10)), "\(date.timeIntervalSince1970)")
        }
        // Outside the years 1 to 9999 the formatter decides.
        let far = Date(timeIntervalSince1970: 1e13)
        XCTAssertNil(Timestamps.utcISO(far))
        XCTAssertEqual(Timestamps.iso(far), Timestamps.formatterISO(far))
    }
}
