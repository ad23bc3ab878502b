import Foundation

/// How often something must be done again: a risk reviewed, a policy re-approved, a course
/// retaken. Calendar months, not day counts, so an annual review approved on 15 March is due
/// on 15 March next year (a month end clamps: 31 August plus six months is 28 or 29 February).
public enum ReviewCadence: String, CaseIterable, Sendable, Codable {
    case once, quarterly
    case semiAnnual = "semi-annual"
    case annual

    public var months: Int? {
        switch self {
        case .once: return nil
        case .quarterly: return 3
        case .semiAnnual: return 6
        case .annual: return 12
        }
    }

    /// The day it falls due again after being done on `day` (`YYYY-MM-DD`); nil for `once` or
    /// a day that does not parse.
    public func nextDue(after day: String) -> String? {
        guard let months, let date = DueDate.parseDay(day),
            let next = DueDate.calendar.date(byAdding: .month, value: months, to: date)
        else { return nil }
        return DueDate.format(next)
    }

    /// Accepts the raw value and a few spellings people type (`semiannual`, `yearly`).
    public init?(text: String) {
        switch text.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "once": self = .once
        case "quarterly": self = .quarterly
        case "semi-annual", "semiannual", "half-yearly": self = .semiAnnual
        case "annual", "annually", "yearly": self = .annual
        default: return nil
        }
    }
}
