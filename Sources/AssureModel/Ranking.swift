/// The remediation backlog's score (also written in the README):
///
///     score = severity weight × criteria touched × overdue factor ÷ effort divisor
///
/// where "criteria touched" counts the in-scope criteria the gap affects (its own criterion
/// plus those mapped to its control; at least 1), the overdue factor applies to open gaps past
/// their due date, and closed gaps score 0. Each part is kept so the screen can show it.
public struct RankingWeights: Equatable, Sendable {
    public var severity: [Severity: Double] = [.critical: 10, .high: 6, .medium: 3, .low: 1]
    public var overdueFactor: Double = 1.5
    public var effort: [Effort: Double] = [.xs: 1, .s: 2, .m: 3, .l: 5, .xl: 8]
    public init() {}

    /// The range a weight may take: anything else (an infinity, a NaN, 1e19) is a typo and
    /// would make scores that no listing can print.
    public static let smallest = 0.001
    public static let largest = 1000.0
    public static func isSane(_ value: Double) -> Bool { value.isFinite && value >= smallest && value <= largest }
}

public struct GapScore: Equatable, Sendable {
    public var ref: String
    public var severityWeight: Double
    public var criteriaTouched: Int
    public var overdueFactor: Double
    public var effortDivisor: Double
    public var score: Double

    /// "10 × 3 × 1.5 ÷ 5 = 9.0"
    public var explanation: String {
        func n(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }
        return "\(n(severityWeight)) × \(criteriaTouched) × \(n(overdueFactor)) ÷ \(n(effortDivisor)) = \(String(format: "%.1f", score))"
    }
}

public enum Ranking {
    /// Scores every gap; `criteriaOfControl` gives a control's mapped criteria.
    public static func score(
        _ gap: Gap, weights: RankingWeights = RankingWeights(), today: String,
        criteriaOfControl: [String: [String]], inScope: (String) -> Bool
    ) -> GapScore {
        var touched = Set<String>()
        if let criterion = gap.criterion, inScope(criterion) { touched.insert(criterion) }
        if let control = gap.control { for c in criteriaOfControl[control] ?? [] where inScope(c) { touched.insert(c) } }
        let severity = weights.severity[gap.severity] ?? 1
        let overdue = gap.isOverdue(today: today) ? weights.overdueFactor : 1
        let effort = max(0.1, weights.effort[gap.effort] ?? 1)
        let count = max(1, touched.count)
        let score = gap.status.isOpen ? severity * Double(count) * overdue / effort : 0
        return GapScore(ref: gap.ref, severityWeight: severity, criteriaTouched: count, overdueFactor: overdue,
                        effortDivisor: effort, score: score)
    }

    /// Gaps in backlog order: highest score first; ties by severity, due date, then number.
    public static func rank(
        _ gaps: [Gap], weights: RankingWeights = RankingWeights(), today: String,
        criteriaOfControl: [String: [String]], inScope: (String) -> Bool
    ) -> [(gap: Gap, score: GapScore)] {
        let scored = gaps.map { ($0, score($0, weights: weights, today: today, criteriaOfControl: criteriaOfControl, inScope: inScope)) }
        return scored.sorted { a, b in
            if a.1.score != b.1.score { return a.1.score > b.1.score }
            return GapOrder.urgencyFirst(a.0, b.0)
        }.map { (gap: $0.0, score: $0.1) }
    }
}

/// The one order of gaps where no score applies (the Gaps pane, and ties in the backlog).
public enum GapOrder {
    /// Open and in-progress gaps first, then by severity, due date (none last) and number.
    public static func triage(_ a: Gap, _ b: Gap) -> Bool {
        if a.status.isOpen != b.status.isOpen { return a.status.isOpen }
        return urgencyFirst(a, b)
    }

    /// Severity, then due date (none last), then number.
    public static func urgencyFirst(_ a: Gap, _ b: Gap) -> Bool {
        if a.severity != b.severity { return a.severity < b.severity }
        if (a.due ?? "9999") != (b.due ?? "9999") { return (a.due ?? "9999") < (b.due ?? "9999") }
        return number(a.ref) < number(b.ref)
    }

    static func number(_ ref: String) -> Int { Int(ref.split(separator: "-").last ?? "") ?? Int.max }
}
