import Foundation

/// How the organisation answers a risk. Only an accepted risk needs a written justification and
/// a named approver: the other answers are work that shows up as controls or contracts.
public enum RiskTreatment: String, CaseIterable, Sendable, Codable {
    case mitigate, accept, transfer, avoid
}

/// A closed risk stays in the register (its history matters) but leaves the heat map, the
/// review agenda and the derived gaps.
public enum RiskStatus: String, CaseIterable, Sendable, Codable {
    case open, closed
}

/// The security property a risk threatens, stored as its letter (`c,i,a`).
public enum CIAProperty: String, CaseIterable, Sendable, Codable {
    case confidentiality = "c"
    case integrity = "i"
    case availability = "a"

    public var word: String {
        switch self {
        case .confidentiality: return "confidentiality"
        case .integrity: return "integrity"
        case .availability: return "availability"
        }
    }

    /// `c,i,a`, `ci`, `confidentiality,availability` or empty (`none`); answered in c, i, a
    /// order without repeats, so the stored text is the same however it was typed.
    public static func parseList(_ text: String) throws -> [CIAProperty] {
        var found = Set<CIAProperty>()
        for raw in text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "/" }) {
            let token = raw.lowercased()
            if token == "none" { continue }
            if let word = allCases.first(where: { $0.word == token }) { found.insert(word); continue }
            let letters = token.map { CIAProperty(rawValue: String($0)) }
            guard !letters.isEmpty, letters.allSatisfy({ $0 != nil }) else {
                throw RuleViolation("unknown CIA property '\(raw)'; use c, i and a (confidentiality, integrity, availability), e.g. c,i")
            }
            for letter in letters { found.insert(letter!) }
        }
        return allCases.filter(found.contains)
    }

    /// The stored and displayed form: `c,i,a`.
    public static func format(_ list: [CIAProperty]) -> String {
        allCases.filter(list.contains).map(\.rawValue).joined(separator: ",")
    }
}

/// A score's band. Scores are likelihood x impact on 1-5 scales, so only 14 values occur; the
/// bands split them where most registers do: 1-4 low, 5-9 medium, 10-16 high, 20-25 critical
/// (a 5 on one axis with a 4 or 5 on the other).
public enum RiskRating: String, CaseIterable, Sendable, Codable, Comparable {
    case low, medium, high, critical

    public init(score: Int) {
        switch score {
        case ..<5: self = .low
        case 5...9: self = .medium
        case 10...16: self = .high
        default: self = .critical
        }
    }

    /// The scores in the band, for legends.
    public var scores: ClosedRange<Int> {
        switch self {
        case .low: return 1...4
        case .medium: return 5...9
        case .high: return 10...16
        case .critical: return 20...25
        }
    }

    public static func < (a: RiskRating, b: RiskRating) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// "low 1-4, medium 5-9, high 10-16, critical 20-25".
    public static var legend: String {
        allCases.map { "\($0.rawValue) \($0.scores.lowerBound)-\($0.scores.upperBound)" }.joined(separator: ", ")
    }
}

/// One entry of the risk register as stored: the inherent assessment (before any control), the
/// residual one (after treatment; unassessed until someone scores it), and its review cadence.
public struct Risk: Equatable, Sendable {
    public static let scale = 1...5
    /// A risk is reviewed at least yearly; `once` is not a review cadence.
    public static let cadences: [ReviewCadence] = [.quarterly, .semiAnnual, .annual]

    public var ref: String
    public var title: String
    public var description: String
    public var likelihood: Int
    public var impact: Int
    public var cia: [CIAProperty]
    public var treatment: RiskTreatment
    public var residualLikelihood: Int?
    public var residualImpact: Int?
    public var owner: String?
    /// The controls that treat it, by reference, sorted.
    public var controls: [String]
    public var justification: String
    public var approver: String
    public var reviewCadence: ReviewCadence
    public var reviewedOn: String?
    public var status: RiskStatus
    /// The day it entered the register: the first review falls due a cadence after it.
    public var createdOn: String

    public init(
        ref: String, title: String, description: String = "", likelihood: Int, impact: Int, cia: [CIAProperty] = [],
        treatment: RiskTreatment = .mitigate, residualLikelihood: Int? = nil, residualImpact: Int? = nil,
        owner: String? = nil, controls: [String] = [], justification: String = "", approver: String = "",
        reviewCadence: ReviewCadence = .annual, reviewedOn: String? = nil, status: RiskStatus = .open, createdOn: String
    ) {
        self.ref = ref; self.title = title; self.description = description; self.likelihood = likelihood; self.impact = impact
        self.cia = cia; self.treatment = treatment; self.residualLikelihood = residualLikelihood; self.residualImpact = residualImpact
        self.owner = owner; self.controls = controls; self.justification = justification; self.approver = approver
        self.reviewCadence = reviewCadence; self.reviewedOn = reviewedOn; self.status = status; self.createdOn = createdOn
    }

    public var inherentScore: Int { likelihood * impact }
    public var inherentRating: RiskRating { RiskRating(score: inherentScore) }

    /// Whether someone has scored the risk after treatment. Until then the residual risk is the
    /// inherent risk: a control nobody has judged reduces nothing.
    public var residualAssessed: Bool { residualLikelihood != nil && residualImpact != nil }
    public var currentLikelihood: Int { residualLikelihood ?? likelihood }
    public var currentImpact: Int { residualImpact ?? impact }
    public var residualScore: Int { currentLikelihood * currentImpact }
    /// The rating of the residual score: the exposure the organisation is living with now.
    public var rating: RiskRating { RiskRating(score: residualScore) }

    /// A cadence after the last review, or after it was registered if never reviewed.
    public var nextReview: String? { reviewCadence.nextDue(after: reviewedOn ?? createdOn) }

    /// Open and past its review date (the due day itself is still on time).
    public func isOverdue(today: String) -> Bool {
        guard status == .open, let nextReview else { return false }
        return nextReview < today
    }
}

/// A risk as listed on a given day: the stored risk plus when its review falls due and whether
/// that has passed. Reads like the risk itself (`summary.title`, `summary.residualScore`).
@dynamicMemberLookup
public struct RiskSummary: Equatable, Sendable {
    public var risk: Risk
    public var nextReview: String?
    public var overdue: Bool

    public init(_ risk: Risk, today: String) {
        self.risk = risk
        nextReview = risk.nextReview
        overdue = risk.isOverdue(today: today)
    }

    public subscript<T>(dynamicMember keyPath: KeyPath<Risk, T>) -> T { risk[keyPath: keyPath] }
}

/// The register's rules, checked on every write before the table's own CHECKs could fire, so
/// the message says which option to give.
public enum RiskRules {
    public static func check(_ risk: Risk) throws {
        let ref = risk.ref
        if risk.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw RuleViolation("\(ref): a risk needs a title") }
        // Titles and names are one line: they are table cells and heat-map labels.
        for (name, value) in [("title", risk.title), ("approver", risk.approver)] {
            if let problem = StoredText.firstProblem(in: value, multiline: false) { throw RuleViolation("\(ref) \(name): \(problem.description)") }
        }
        for (name, value) in [("likelihood", risk.likelihood), ("impact", risk.impact)] where !Risk.scale.contains(value) {
            throw RuleViolation("\(ref): --\(name) must be 1 to 5, not \(value)")
        }
        for (name, value) in [("residual-likelihood", risk.residualLikelihood), ("residual-impact", risk.residualImpact)] {
            if let value, !Risk.scale.contains(value) { throw RuleViolation("\(ref): --\(name) must be 1 to 5, not \(value)") }
        }
        if (risk.residualLikelihood == nil) != (risk.residualImpact == nil) {
            throw RuleViolation(
                "\(ref): a residual assessment needs both --residual-likelihood and --residual-impact (until then the residual risk is the inherent one)"
            )
        }
        // Treatment lowers a risk or leaves it; a residual above the inherent score on either
        // axis means one of the two assessments is wrong.
        if let residual = risk.residualLikelihood, residual > risk.likelihood {
            throw RuleViolation("\(ref): the residual likelihood (\(residual)) cannot exceed the inherent likelihood (\(risk.likelihood))")
        }
        if let residual = risk.residualImpact, residual > risk.impact {
            throw RuleViolation("\(ref): the residual impact (\(residual)) cannot exceed the inherent impact (\(risk.impact))")
        }
        if risk.treatment == .accept {
            let missing = [
                risk.justification.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "a justification (--justification TEXT)" : nil,
                risk.approver.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "an approver (--approver NAME)" : nil,
            ]
            .compactMap { $0 }
            if !missing.isEmpty { throw RuleViolation("\(ref): an accepted risk needs \(missing.joined(separator: " and "))") }
        }
        if !Risk.cadences.contains(risk.reviewCadence) {
            throw RuleViolation("\(ref): a risk is reviewed quarterly, semi-annual or annual, not \(risk.reviewCadence.rawValue)")
        }
    }

    /// `--review` text: quarterly, semi-annual or annual (and the spellings `ReviewCadence` knows).
    public static func cadence(_ text: String) throws -> ReviewCadence {
        guard let cadence = ReviewCadence(text: text), Risk.cadences.contains(cadence) else {
            throw RuleViolation("unknown review cadence '\(text)'; use quarterly, semi-annual or annual")
        }
        return cadence
    }

    public static func treatment(_ text: String) throws -> RiskTreatment {
        guard let treatment = RiskTreatment(rawValue: text.lowercased()) else {
            throw RuleViolation("unknown treatment '\(text)'; use \(RiskTreatment.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return treatment
    }
}

/// The 5 x 5 grid of how many open risks sit at each likelihood and impact, inherent or residual.
public struct RiskHeatMap: Equatable, Sendable {
    public let residual: Bool
    /// `counts[likelihood - 1][impact - 1]`.
    public let counts: [[Int]]

    /// Closed risks are left out: the map shows the exposure being carried now.
    public init(risks: [Risk], residual: Bool = false) {
        var counts = Array(repeating: Array(repeating: 0, count: 5), count: 5)
        for risk in risks where risk.status == .open {
            let l = residual ? risk.currentLikelihood : risk.likelihood
            let i = residual ? risk.currentImpact : risk.impact
            guard Risk.scale.contains(l), Risk.scale.contains(i) else { continue }
            counts[l - 1][i - 1] += 1
        }
        self.residual = residual
        self.counts = counts
    }

    public init(summaries: [RiskSummary], residual: Bool = false) { self.init(risks: summaries.map(\.risk), residual: residual) }

    /// How many risks sit in a cell (0 outside the 1-5 scales).
    public func count(likelihood: Int, impact: Int) -> Int {
        guard Risk.scale.contains(likelihood), Risk.scale.contains(impact) else { return 0 }
        return counts[likelihood - 1][impact - 1]
    }

    public var total: Int { counts.joined().reduce(0, +) }

    /// The band a cell's score falls in: what the cell is coloured by.
    public static func rating(likelihood: Int, impact: Int) -> RiskRating { RiskRating(score: likelihood * impact) }

    public var title: String { residual ? "Residual risk" : "Inherent risk" }

    /// The grid for a terminal: likelihood rows 5 (top) to 1, impact columns 1 to 5, counts
    /// (`.` for none), then the legend.
    public func text() -> String {
        var out = "\(title): \(total) open risk\(total == 1 ? "" : "s") by likelihood (rows) and impact (columns)\n"
        out += "                 impact\n"
        out += "                " + (1...5).map { pad(String($0)) }.joined() + "\n"
        for likelihood in (1...5).reversed() {
            let label = likelihood == 5 ? "likelihood  5 " : "            \(likelihood) "
            out +=
                label + "  "
                + (1...5).map { impact in
                    let n = count(likelihood: likelihood, impact: impact)
                    return pad(n == 0 ? "." : String(n))
                }.joined() + "\n"
        }
        out += "score = likelihood x impact: \(RiskRating.legend)\n"
        return out
    }

    private func pad(_ text: String) -> String { String(repeating: " ", count: max(0, 5 - text.count)) + text }
}

extension Derive {
    /// What the register says is missing, as gaps `derive` can open: an open risk to be
    /// mitigated that no control treats (key `risk-untreated:RISK-3`), and an open risk past its
    /// review date (key `risk-review:RISK-3:<due>`, so the next missed review is proposed again).
    /// A risk accepted, transferred or avoided needs no control of ours.
    public static func riskProposals(risks: [RiskSummary], existingKeys: Set<String>) -> [DerivedGap] {
        var proposals: [DerivedGap] = []
        for summary in risks where summary.status == .open {
            let risk = summary.risk
            if risk.treatment == .mitigate && risk.controls.isEmpty {
                proposals.append(
                    DerivedGap(
                        key: "risk-untreated:\(risk.ref)",
                        draft: GapDraft(
                            title: "\(risk.ref) has no control treating it",
                            description:
                                "\(risk.title) (inherent \(risk.inherentScore), \(risk.inherentRating.rawValue)) is to be mitigated, but no control is linked to it. Link the controls that treat it (assure risk edit \(risk.ref) --add-control REF), or record another treatment.",
                            severity: severity(risk.inherentRating), effort: .s, owner: risk.owner)))
            }
            if summary.overdue, let due = summary.nextReview {
                proposals.append(
                    DerivedGap(
                        key: "risk-review:\(risk.ref):\(due)",
                        draft: GapDraft(
                            title: "\(risk.ref) review was due on \(due)",
                            description:
                                "\(risk.title) is reviewed \(risk.reviewCadence.rawValue); the last review was \(risk.reviewedOn.map { "on \($0)" } ?? "never recorded"). Review it and record it (assure risk review \(risk.ref)).",
                            severity: risk.rating >= .high ? .high : .medium, effort: .xs, owner: risk.owner)))
            }
        }
        var seen = Set<String>()
        return proposals.filter { !existingKeys.contains($0.key) && seen.insert($0.key).inserted }
    }

    static func severity(_ rating: RiskRating) -> Severity {
        switch rating {
        case .low: return .low
        case .medium: return .medium
        case .high: return .high
        case .critical: return .critical
        }
    }
}
