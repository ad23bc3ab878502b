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
        func n(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : FixedPoint.format(v, digits: 1) }
        return "\(n(severityWeight)) × \(criteriaTouched) × \(n(overdueFactor)) ÷ \(n(effortDivisor)) = \(FixedPoint.format(score, digits: 1))"
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
        return score(gap, criteriaTouched: touched.count, weights: weights, today: today)
    }

    /// The score once the in-scope criteria the gap touches are counted (0 counts as 1).
    public static func score(_ gap: Gap, criteriaTouched touched: Int, weights: RankingWeights, today: String) -> GapScore {
        let severity = weights.severity[gap.severity] ?? 1
        let overdue = gap.isOverdue(today: today) ? weights.overdueFactor : 1
        let effort = max(0.1, weights.effort[gap.effort] ?? 1)
        let count = max(1, touched)
        let score = gap.status.isOpen ? severity * Double(count) * overdue / effort : 0
        return GapScore(
            ref: gap.ref, severityWeight: severity, criteriaTouched: count, overdueFactor: overdue,
            effortDivisor: effort, score: score)
    }

    /// Gaps in backlog order: highest score first; ties by severity, due date, then number.
    public static func rank(
        _ gaps: [Gap], weights: RankingWeights = RankingWeights(), today: String,
        criteriaOfControl: [String: [String]], inScope: (String) -> Bool
    ) -> [(gap: Gap, score: GapScore)] {
        let scores = gaps.map { score($0, weights: weights, today: today, criteriaOfControl: criteriaOfControl, inScope: inScope) }
        return order(gaps, scores: scores).map { (gap: gaps[$0], score: scores[$0]) }
    }

    /// The indices of `gaps` in backlog order, given each gap's score (same positions).
    /// Sorts small keys, not the gaps: moving and comparing whole gaps (a dozen strings each)
    /// was most of ranking 20,000 of them.
    public static func order(_ gaps: [Gap], scores: [GapScore]) -> [Int] {
        precondition(gaps.count == scores.count, "one score per gap")
        return order(gaps, scores: scores, among: Array(gaps.indices))
    }

    /// The same for the gaps at `positions` only (say, the open ones): `scores` holds one
    /// score per position, and the result gives indices of `gaps`.
    public static func order(_ gaps: [Gap], scores: [GapScore], among positions: [Int]) -> [Int] {
        precondition(positions.count == scores.count, "one score per position")
        let keys = positions.indices.map { i in
            let gap = gaps[positions[i]]
            return GapOrder.Key(score: scores[i].score, severity: gap.severity, due: gap.due, number: GapOrder.number(gap.ref))
        }
        return keys.indices.sorted { a, b in
            let x = keys[a]
            let y = keys[b]
            if x.score != y.score { return x.score > y.score }
            return x.urgencyFirst(y)
        }.map { positions[$0] }
    }
}

/// What scoring a gap needs besides the gap itself: the weights, the in-scope requirements
/// (`framework:ref`) and what each control is mapped to. The workbench keeps one per snapshot
/// and scores only the gap on screen; `rank` scores every gap with the same rule. A control's
/// in-scope requirements are worked out when one of its gaps is scored, not for every control
/// in advance.
public struct RankingContext: Equatable, Sendable {
    public var weights: RankingWeights
    public var inScope: Set<String>
    /// Every requirement each control addresses, as `framework:ref`, in or out of scope.
    public var mappedByControl: [String: [String]]

    public init(weights: RankingWeights, inScope: Set<String>, mappedByControl: [String: [String]]) {
        self.weights = weights; self.inScope = inScope; self.mappedByControl = mappedByControl
    }

    /// The in-scope requirements a control addresses.
    public func touched(byControl ref: String) -> Set<String>? { mappedByControl[ref].map(inScope(of:)) }

    /// Every control's in-scope requirements, worked out once: for scoring every gap (the
    /// backlog), where each of a control's gaps would work them out again.
    public func touchedByControl() -> [String: Set<String>] { mappedByControl.mapValues(inScope(of:)) }

    private func inScope(of requirements: [String]) -> Set<String> { Set(requirements.filter(inScope.contains)) }

    /// The gap's score: the in-scope requirements it touches through its control, plus its
    /// own requirement when that is in scope and not already among them.
    public func score(_ gap: Gap, today: String) -> GapScore {
        score(gap, today: today, viaControl: gap.control.flatMap(touched(byControl:)))
    }

    /// The same with the control's in-scope requirements already worked out.
    public func score(_ gap: Gap, today: String, viaControl: Set<String>?) -> GapScore {
        var touched = viaControl?.count ?? 0
        if let criterion = gap.criterion {
            let qualified = gap.framework.map { "\($0):\(criterion)" } ?? criterion
            if inScope.contains(qualified) && viaControl?.contains(qualified) != true { touched += 1 }
        }
        return Ranking.score(gap, criteriaTouched: touched, weights: weights, today: today)
    }
}

/// The one order of gaps where no score applies (the Gaps pane, and ties in the backlog).
public enum GapOrder {
    /// Open and in-progress gaps first, then by severity, due date (none last) and number.
    public static func triage(_ a: Gap, _ b: Gap) -> Bool {
        if a.status.isOpen != b.status.isOpen { return a.status.isOpen }
        return urgencyFirst(a, b)
    }

    /// The indices of `gaps` in triage order: `triage` on small keys computed once per gap,
    /// so the Gaps pane's 20,000 rows sort without copying or re-parsing any gap.
    public static func triageOrder(_ gaps: [Gap]) -> [Int] {
        triageOrder(entries: gaps.map { TriageEntry(isOpen: $0.status.isOpen, severity: $0.severity, due: $0.due, number: number($0.ref)) })
    }

    /// Severity, then due date (none last), then number.
    public static func urgencyFirst(_ a: Gap, _ b: Gap) -> Bool {
        if a.severity != b.severity { return a.severity < b.severity }
        if (a.due ?? "9999") != (b.due ?? "9999") { return (a.due ?? "9999") < (b.due ?? "9999") }
        return number(a.ref) < number(b.ref)
    }

    /// What the backlog order compares, computed once per gap.
    struct Key {
        var score: Double
        var severity: Severity
        var due: String?
        var number: Int

        /// `urgencyFirst` on the keys.
        func urgencyFirst(_ other: Key) -> Bool {
            if severity != other.severity { return severity < other.severity }
            let a = due ?? "9999"
            let b = other.due ?? "9999"
            if a != b { return a < b }
            return number < other.number
        }
    }

    /// The number in `GAP-12`: the digits after the last "-" (no number sorts last).
    static func number(_ ref: String) -> Int {
        // Fast path for the usual shape, PREFIX-DIGITS; anything else takes the general rule.
        let utf8 = ref.utf8
        if let dash = utf8.lastIndex(of: UInt8(ascii: "-")) {
            let digits = utf8[utf8.index(after: dash)...]
            if !digits.isEmpty && digits.count <= 18 && digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
                return digits.reduce(0) { $0 * 10 + Int($1 - 48) }
            }
        }
        return Int(ref.split(separator: "-").last ?? "") ?? Int.max
    }
}
