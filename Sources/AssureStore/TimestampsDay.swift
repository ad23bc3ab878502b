import Foundation

extension Timestamps {
    /// `iso` and `day` without a formatter: `YYYY-MM-DDTHH:MM:SSZ` of the whole second, as `ISO8601DateFormatter` writes it with
    /// `.withInternetDateTime` in UTC (TimestampsDayTests compares the two), built from
    /// `gmtime_r`. A formatter loads time-zone and calendar data on first use: milliseconds,
    /// and megabytes of ICU's tables, in every command that writes (each change-log row carries
    /// a timestamp). Nil for a year outside 1...9999, which is left to the formatter.
    static func utcISO(_ date: Date) -> String? {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite, var seconds = time_t(exactly: interval.rounded(.down)) else { return nil }
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return nil }
        let year = Int(parts.tm_year) + 1900
        guard (1...9999).contains(year) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(0x30 + (value / divisor) % 10))
                divisor /= 10
            }
        }
        digits(year, 4)
        bytes.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2)
        bytes.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2)
        bytes.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2)
        bytes.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2)
        bytes.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2)
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
