import Foundation

/// Where one person stands with one course on a given day.
/// - `overdue`: the due date has passed.
/// - `due`: the due date is today or within the next `TrainingRules.dueWindowDays` days (a first
///   course or a retake alike), so it belongs on this month's agenda.
/// - `done`: completed, and the next retake falls after that window (or never, for `once`).
/// - `not yet due`: never completed, and the first due date is still more than the window away
///   (a long grace period).
public enum TrainingState: String, Sendable, CaseIterable, Codable {
    case done, due, overdue
    case notYetDue = "not yet due"
}

/// Who a course is for: everyone, or the people on the named teams (compared without case).
public struct TrainingAudience: Equatable, Sendable {
    /// Empty means everyone.
    public let teams: [String]

    public static let everyone = TrainingAudience(teams: [])

    public init(teams: [String]) { self.teams = teams }

    /// `all`, or teams separated by commas (`engineering, support`). Mixing `all` with teams is
    /// refused: it would read as a restriction that is not one.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { throw RuleViolation("an audience is 'all' or one or more teams separated by commas") }
        if parts.contains(where: { $0.lowercased() == "all" }) {
            guard parts.count == 1 else {
                throw RuleViolation("audience '\(text)': 'all' already includes every team; name teams or 'all', not both")
            }
            self = .everyone
            return
        }
        var seen = Set<String>()
        var teams: [String] = []
        for part in parts where seen.insert(part.lowercased()).inserted {
            if let problem = StoredText.firstProblem(in: part, multiline: false) {
                throw RuleViolation("audience team '\(part)': \(problem.description)")
            }
            teams.append(part)
        }
        self.teams = teams
    }

    /// As stored and shown: `all` or `engineering,support`.
    public var text: String { teams.isEmpty ? "all" : teams.joined(separator: ",") }

    public func includes(team: String) -> Bool {
        teams.isEmpty || teams.contains { $0.caseInsensitiveCompare(team.trimmingCharacters(in: .whitespaces)) == .orderedSame }
    }
}

/// What a course asks of people: the facts the rules need, nothing stored.
public struct TrainingTerms: Equatable, Sendable {
    public var cadence: ReviewCadence
    public var audience: TrainingAudience
    public var graceDays: Int
    /// The day the course was added (`YYYY-MM-DD`): nobody owes it before then.
    public var createdOn: String
    public init(cadence: ReviewCadence, audience: TrainingAudience, graceDays: Int, createdOn: String) {
        self.cadence = cadence; self.audience = audience; self.graceDays = graceDays; self.createdOn = createdOn
    }
}

/// One person's standing with one course.
public struct TrainingStanding: Equatable, Sendable {
    /// When they must (next) complete it; nil once a `once` course is done.
    public var due: String?
    public var state: TrainingState
    public init(due: String?, state: TrainingState) { self.due = due; self.state = state }
}

/// The training rules, pure so they are tested without a workspace.
public enum TrainingRules {
    /// How far ahead a due date counts as `due` rather than `not yet due` or `done`.
    public static let dueWindowDays = 30

    /// Whether someone owes a course on `today`: they are in its audience and employed that day
    /// (started by then, or start unknown, and not yet left). A leaver drops out the day after
    /// their last day; a new hire appears on their first.
    public static func owes(_ terms: TrainingTerms, team: String, startedOn: String?, endedOn: String?, today: String) -> Bool {
        guard terms.audience.includes(team: team) else { return false }
        if let startedOn, startedOn > today { return false }
        if let endedOn, endedOn < today { return false }
        return true
    }

    /// The first due date: the grace period counted from the later of the course's creation and
    /// the person's start, so a new hire owes it within the grace period of joining and people
    /// already there when a course is added get the same grace period from that day.
    public static func firstDue(_ terms: TrainingTerms, startedOn: String?) -> String? {
        var from = terms.createdOn
        if let startedOn, startedOn > from { from = startedOn }
        return addDays(terms.graceDays, to: from)
    }

    /// Their standing on `today`, from their latest completion (if any).
    public static func standing(_ terms: TrainingTerms, startedOn: String?, lastCompleted: String?, today: String) -> TrainingStanding {
        if let lastCompleted {
            // A one-off course, once completed, is done for good.
            guard let next = terms.cadence.nextDue(after: lastCompleted) else { return TrainingStanding(due: nil, state: .done) }
            return TrainingStanding(due: next, state: state(due: next, completed: true, today: today))
        }
        let first = firstDue(terms, startedOn: startedOn)
        return TrainingStanding(due: first, state: first.map { state(due: $0, completed: false, today: today) } ?? .due)
    }

    /// The state for a due date on `today` (see `TrainingState`).
    public static func state(due: String, completed: Bool, today: String) -> TrainingState {
        if due < today { return .overdue }
        if let horizon = addDays(dueWindowDays, to: today), due <= horizon { return .due }
        return completed ? .done : .notYetDue
    }

    /// `day` plus `days` calendar days, `YYYY-MM-DD` in UTC; nil when `day` does not parse.
    public static func addDays(_ days: Int, to day: String) -> String? {
        guard let date = DueDate.parseDay(day), let later = DueDate.calendar.date(byAdding: .day, value: days, to: date) else { return nil }
        return DueDate.format(later)
    }
}
