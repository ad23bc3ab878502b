import Foundation

/// How often a collector runs when `assure collect --due` is called (from cron or a timer).
public enum CollectorEvery: String, CaseIterable, Sendable, Codable {
    case daily, weekly, monthly, quarterly

    /// Accepts the raw value and a few spellings people type (`day`, `week`, `quarter`).
    public init?(text: String) {
        switch text.lowercased() {
        case "daily", "day": self = .daily
        case "weekly", "week": self = .weekly
        case "monthly", "month": self = .monthly
        case "quarterly", "quarter": self = .quarterly
        default: return nil
        }
    }
}

/// What a collector's output is: kept as it comes (`text`), or checked to parse as JSON.
public enum CollectorFormat: String, CaseIterable, Sendable, Codable { case text, json }

/// How one run ended. Only `passed` output becomes evidence.
public enum CollectorOutcome: String, CaseIterable, Sendable, Codable {
    case passed, failed
    case timedOut = "timed-out"
    case tooLarge = "too-large"
}

/// When a collector falls due, in calendar days (UTC), so `--due` called every few minutes
/// runs a daily collector once a day, whatever hour the first run happened at.
public enum CollectorSchedule {
    /// After a failed run, `--due` waits this long before trying again, so a broken collector
    /// called from cron every five minutes does not fill the trail with a failure per call.
    public static let retryAfterFailure: TimeInterval = 3600

    /// The day a collector is next due after its last passed run on `lastPassedDay`
    /// (`YYYY-MM-DD`): the next day, a week, a calendar month or three later. Nil when it has
    /// no schedule (it runs only when named); `today` when it never passed.
    public static func nextDue(every: CollectorEvery?, lastPassedDay: String?, today: String) -> String? {
        guard let every else { return nil }
        guard let lastPassedDay, let day = DueDate.parseDay(lastPassedDay) else { return today }
        let next: Date?
        switch every {
        case .daily: next = DueDate.calendar.date(byAdding: .day, value: 1, to: day)
        case .weekly: next = DueDate.calendar.date(byAdding: .day, value: 7, to: day)
        case .monthly: next = DueDate.calendar.date(byAdding: .month, value: 1, to: day)
        case .quarterly: next = DueDate.calendar.date(byAdding: .month, value: 3, to: day)
        }
        return next.map(DueDate.format) ?? today
    }

    /// Whether `--due` runs it now: scheduled, its next due day reached, and no failed run in
    /// the last `retryAfterFailure` (a failure is retried, but not on every call).
    public static func isDue(every: CollectorEvery?, lastPassedDay: String?, lastFailedAt: Date?, today: String, now: Date) -> Bool {
        guard let next = nextDue(every: every, lastPassedDay: lastPassedDay, today: today), next <= today else { return false }
        if let lastFailedAt, now.timeIntervalSince(lastFailedAt) < retryAfterFailure { return false }
        return true
    }

    /// `--timeout`: `90`, `90s`, `5m` or `1h`, one second to a day.
    public static func parseTimeout(_ text: String) throws -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Int)] = [("s", 1), ("m", 60), ("h", 3600)]
        var number = trimmed
        var scale = 1
        if let unit = units.first(where: { trimmed.hasSuffix($0.0) }) { number = String(trimmed.dropLast()); scale = unit.1 }
        guard let value = Int(number), value > 0, value <= 86_400 / scale else {
            throw RuleViolation("'\(text)' is not a timeout: give seconds, minutes or hours up to a day, e.g. 60s, 5m or 1h")
        }
        return value * scale
    }

    /// A size limit: `1048576`, `512K`, `50M`, `1G` (binary units; `MiB`/`MB` spellings too).
    public static func parseSize(_ text: String) throws -> Int64 {
        var trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        for suffix in ["IB", "B"] where trimmed.hasSuffix(suffix) && trimmed.count > suffix.count { trimmed.removeLast(suffix.count); break }
        let units: [(Character, Int64)] = [("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30)]
        var scale: Int64 = 1
        if let last = trimmed.last, let unit = units.first(where: { $0.0 == last }) { trimmed.removeLast(); scale = unit.1 }
        guard let value = Int64(trimmed), value > 0, value <= (Int64(64) << 30) / scale else {
            throw RuleViolation("'\(text)' is not a size: give bytes or K, M, G up to 64G, e.g. 50M")
        }
        return value * scale
    }

    /// A byte count for people: `512 bytes`, `3.2 KiB`, `50.0 MiB`.
    public static func describeSize(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) byte\(bytes == 1 ? "" : "s")" }
        let units = ["KiB", "MiB", "GiB"]
        var value = Double(bytes) / 1024
        var index = 0
        while value >= 1024 && index < units.count - 1 { value /= 1024; index += 1 }
        return String(format: "%.1f %@", value, units[index])
    }

    /// A duration for people: `1s`, `5m`, `1h30m`.
    public static func describeSeconds(_ seconds: Int) -> String {
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds / 60)m\(seconds % 60)s" }
        return seconds % 3600 == 0 ? "\(seconds / 3600)h" : "\(seconds / 3600)h\((seconds % 3600) / 60)m"
    }
}
