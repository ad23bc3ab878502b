import Foundation

/// Due dates as users type them: `2027-01-31`, `+10d`, `-5d`, `+2w`, `+3m`, `today`, `eoq`
/// (the last day of the current calendar quarter). Results are `YYYY-MM-DD` in UTC.
public enum DueDate {
    public enum ParseError: Error, CustomStringConvertible, Equatable {
        case invalid(String)
        case outOfRange(String)
        public var description: String {
            switch self {
            case .invalid(let text):
                return "'\(text)' is not a date: use YYYY-MM-DD, +10d, +2w, +3m, today or eoq"
            case .outOfRange(let text):
                return "'\(text)' is out of range: a due date falls between \(DueDate.earliest) and \(DueDate.latest)"
            }
        }
    }

    /// The range of due dates accepted: anything outside is a typo (or an attack), not a plan.
    public static let earliestYear = 1970
    public static let latestYear = 2200
    public static var earliest: String { "\(earliestYear)-01-01" }
    public static var latest: String { "\(latestYear)-12-31" }
    /// The largest relative amount per unit that could still land in range; larger ones are
    /// refused before any date arithmetic (which would overflow or wrap around).
    static let largestAmount: [Character: Int] = ["d": 100_000, "w": 15_000, "m": 3_000, "y": 250]

    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    /// Parses a due date; the result lies between `earliest` and `latest`, or
    /// `ParseError.outOfRange` is thrown.
    public static func parse(_ text: String, today: Date) throws -> String {
        let date = try parseUnchecked(text, today: today)
        let year = calendar.component(.year, from: date)
        guard (earliestYear...latestYear).contains(year) else { throw ParseError.outOfRange(text) }
        return format(date)
    }

    private static func parseUnchecked(_ text: String, today: Date) throws -> Date {
        let input = text.trimmingCharacters(in: .whitespaces).lowercased()
        let cal = calendar
        if input == "today" { return today }
        if input == "eoq" {
            let parts = cal.dateComponents([.year, .month], from: today)
            let quarterEndMonth = ((parts.month! - 1) / 3 + 1) * 3
            let firstOfNext = cal.date(from: DateComponents(year: parts.year, month: quarterEndMonth + 1, day: 1))!
            return cal.date(byAdding: .day, value: -1, to: firstOfNext)!
        }
        if let first = input.first, first == "+" || first == "-", input.count >= 3,
            let unit = input.last, let largest = largestAmount[unit]
        {
            let digits = input.dropFirst().dropLast()
            guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw ParseError.invalid(text) }
            // Too many digits for an Int is as out of range as a large number.
            guard let amount = Int(digits), amount <= largest else { throw ParseError.outOfRange(text) }
            let signed = first == "-" ? -amount : amount
            let date: Date?
            switch unit {
            case "d": date = cal.date(byAdding: .day, value: signed, to: today)
            case "w": date = cal.date(byAdding: .day, value: 7 * signed, to: today)
            case "m": date = cal.date(byAdding: .month, value: signed, to: today)
            default: date = cal.date(byAdding: .year, value: signed, to: today)
            }
            if let date { return date }
            throw ParseError.outOfRange(text)
        }
        if let date = parseDay(input) { return date }
        throw ParseError.invalid(text)
    }

    /// Parses a strict `YYYY-MM-DD` that names a real day (2027-02-30 is refused).
    public static func parseDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        let cal = calendar
        guard let date = cal.date(from: DateComponents(year: y, month: m, day: d)) else { return nil }
        let back = cal.dateComponents([.year, .month, .day], from: date)
        guard back.year == y, back.month == m, back.day == d else { return nil }
        return date
    }

    public static func format(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}
