import Foundation

/// The blast radius of one control: what it serves in every framework, and which requirements
/// would stop being addressed if it failed (stopped counting: not implemented, or its N/A no
/// longer justified). "Failed" is judged by the readiness rule itself, so a requirement held up
/// by another counting control is not at risk, and one already blocked by a gap is not either.
public struct ControlImpact: Equatable, Sendable {
    public struct Consequence: Equatable, Sendable {
        public var framework: String
        public var ref: String
        public var inScope: Bool
        public var now: CriterionState
        public var ifFailed: CriterionState
        /// No other control is mapped to it at all.
        public var sole: Bool
        public var wouldStop: Bool { now == .addressed && ifFailed != .addressed }
    }

    public var control: String
    /// Every assessable requirement the control reaches, per framework, in the order given.
    public var consequences: [Consequence]

    public var wouldStop: [Consequence] { consequences.filter(\.wouldStop) }

    /// `criteria`: each framework's readiness input, in the order frameworks are listed.
    public static func compute(
        control ref: String, criteria: [(framework: String, criteria: [ReadinessCriterion])], controls: [Control], gaps: [Gap]
    ) -> ControlImpact {
        let key = ref.uppercased()
        // The facts once, and "failed" as the same facts with this control not started.
        let facts = ReadinessFacts(controls: controls, gaps: gaps)
        var failed = facts
        if failed.controls[key] != nil { failed.controls[key] = ReadinessFacts.ControlFact(status: .notStarted, justification: "") }
        var consequences: [Consequence] = []
        for (framework, list) in criteria {
            let reached = list.filter { $0.controls.contains { $0.uppercased() == key } }
            guard !reached.isEmpty else { continue }
            let now = Readiness.compute(criteria: reached, facts: facts, framework: framework)
            let after = Readiness.compute(criteria: reached, facts: failed, framework: framework)
            for criterion in reached {
                consequences.append(
                    Consequence(
                        framework: framework, ref: criterion.ref, inScope: criterion.inScope,
                        now: now.states[criterion.ref] ?? .notAddressed, ifFailed: after.states[criterion.ref] ?? .notAddressed,
                        sole: criterion.controls.allSatisfy { $0.uppercased() == key }))
            }
        }
        return ControlImpact(control: ref, consequences: consequences)
    }
}
