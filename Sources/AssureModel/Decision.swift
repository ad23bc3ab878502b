/// What a company decided about a requirement the framework lets it weigh: the HIPAA Security
/// Rule's addressable implementation specifications (45 CFR 164.306(d)(3)).
public enum RequirementDecision: String, CaseIterable, Codable, Sendable {
    /// The specification is implemented as written.
    case implemented
    /// An equivalent alternative measure is implemented instead.
    case alternative
    /// Neither is reasonable and appropriate here.
    case notReasonable = "not-reasonable"

    public var label: String {
        switch self {
        case .implemented: return "implemented"
        case .alternative: return "equivalent alternative"
        case .notReasonable: return "not reasonable and appropriate"
        }
    }

    /// The rule asks for the reason to be documented when the specification is not
    /// implemented as written.
    public var needsReason: Bool { self != .implemented }
}

/// A recorded decision with who made it and why.
public struct DecisionRecord: Equatable, Sendable {
    public var decision: RequirementDecision
    public var reason: String
    public var decidedBy: String
    public var decidedAt: String
    public init(decision: RequirementDecision, reason: String, decidedBy: String, decidedAt: String) {
        self.decision = decision; self.reason = reason; self.decidedBy = decidedBy; self.decidedAt = decidedAt
    }
}
