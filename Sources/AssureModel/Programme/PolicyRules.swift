import Foundation

/// An approved policy version as the rules need it: its number and the day it was approved.
public struct PolicyVersionStamp: Equatable, Sendable {
    public var version: Int
    /// `YYYY-MM-DD`.
    public var approvedOn: String
    public init(version: Int, approvedOn: String) { self.version = version; self.approvedOn = approvedOn }
}

/// Where a policy stands today, as `assure policies` shows it.
public enum PolicyStatus: String, Sendable, CaseIterable {
    /// Never approved: there is only a draft.
    case draft
    /// The live version is the draft and its review is not yet due.
    case approved
    /// The draft has been edited since the live version was approved.
    case changed
    /// The live version's review date has passed. Shown before `changed`: an edited draft does
    /// not make an overdue review any less overdue.
    case reviewOverdue = "review overdue"
}

/// Who among the people who owe an acknowledgement has given one for the live version.
public struct AckCoverage: Equatable, Sendable {
    /// People active on the day who acknowledged it, in the order given.
    public var acknowledged: [String]
    /// People active on the day who have not.
    public var missing: [String]
    public var total: Int { acknowledged.count + missing.count }
    /// `11/14`.
    public var fraction: String { "\(acknowledged.count)/\(total)" }
    public init(acknowledged: [String], missing: [String]) { self.acknowledged = acknowledged; self.missing = missing }
}

/// The rules behind policy versions, reviews and acknowledgements. Pure, so the boundaries an
/// auditor samples (the day before an approval, the day of it) are tested without a workspace.
public enum PolicyRules {
    /// The version live on `day`: the highest-numbered version approved on or before it. Two
    /// versions approved the same day: the later one (higher number) is the one that stood at
    /// the end of that day. Nil before the first approval.
    public static func live(on day: String, versions: [PolicyVersionStamp]) -> PolicyVersionStamp? {
        versions.filter { $0.approvedOn <= day }.max { $0.version < $1.version }
    }

    /// The day the live version must be reviewed again: its approval day plus the cadence in
    /// calendar months (`ReviewCadence`).
    public static func nextReview(approvedOn: String, cadence: ReviewCadence) -> String? {
        cadence.nextDue(after: approvedOn)
    }

    /// A review is overdue the day after it fell due.
    public static func isOverdue(nextReview: String?, today: String) -> Bool {
        guard let nextReview else { return false }
        return nextReview < today
    }

    public static func status(live: PolicyVersionStamp?, draftMatchesLive: Bool, nextReview: String?, today: String) -> PolicyStatus {
        guard live != nil else { return .draft }
        if isOverdue(nextReview: nextReview, today: today) { return .reviewOverdue }
        return draftMatchesLive ? .approved : .changed
    }

    /// Why a version may not be approved on `day`, or nil when it may: a day in the future is
    /// not yet an approval, and versions are numbered in the order they took effect, so a new
    /// one may not predate the previous one (the same day is allowed).
    public static func approvalProblem(day: String, previous: PolicyVersionStamp?, today: String) -> String? {
        guard DueDate.parseDay(day) != nil else { return "'\(day)' is not a date (YYYY-MM-DD)" }
        if day > today { return "\(day) is in the future; an approval is recorded on or after the day it is given" }
        if let previous, day < previous.approvedOn {
            return
                "\(day) is before version \(previous.version) was approved (\(previous.approvedOn)); a new version cannot take effect earlier than the one it replaces"
        }
        return nil
    }

    /// Who owes an acknowledgement of the live version: everyone in `people` (those active on
    /// the day), matched by name without regard to case. Someone who acknowledged and has since
    /// left is not in `people`, so they count neither way.
    public static func coverage(people: [String], acknowledged: [String]) -> AckCoverage {
        let done = Set(acknowledged.map { $0.lowercased() })
        var yes: [String] = []
        var no: [String] = []
        for person in people {
            if done.contains(person.lowercased()) { yes.append(person) } else { no.append(person) }
        }
        return AckCoverage(acknowledged: yes, missing: no)
    }
}
