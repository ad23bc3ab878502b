import Foundation

extension Timestamps {
    /// `day(date)` without an `ISO8601DateFormatter`: building one loads time-zone data, a few
    /// milliseconds of every command that only needs today's date. The UTC calendar date of
    /// the whole second, as the formatter takes it (TimestampsDayTests compares the two); a
    /// year outside 1...9999 is left to the formatter.
    public static func utcDay(_ date: Date) -> String {
        var seconds = time_t(exactly: (date.timeIntervalSince1970).rounded(.down)) ?? 0
        var parts = tm()
        guard date.timeIntervalSince1970.isFinite, gmtime_r(&seconds, &parts) != nil else { return day(date) }
        let year = Int(parts.tm_year) + 1900
        guard (1...9999).contains(year) else { return day(date) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(0x30 + (value / divisor) % 10))
                divisor /= 10
            }
        }
        digits(year, 4)
        bytes.append(0x2D)
        digits(Int(parts.tm_mon) + 1, 2)
        bytes.append(0x2D)
        digits(Int(parts.tm_mday), 2)
        return String(decoding: bytes, as: UTF8.self)
    }
}
