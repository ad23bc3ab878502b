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
        compute(control: ref, criteria: criteria, facts: ReadinessFacts(controls: controls, gaps: gaps))
    }

    /// The same on facts gathered once for the whole workspace (the workbench computes them per
    /// snapshot, then a control's impact on every keystroke). "Failed" is the same facts with
    /// this control not started; only the controls of the requirements it reaches are copied,
    /// so the cost is what the control touches, not the size of the workspace.
    public static func compute(
        control ref: String, criteria: [(framework: String, criteria: [ReadinessCriterion])], facts: ReadinessFacts
    ) -> ControlImpact {
        let key = ReadinessFacts.key(ref)
        let reachedByFramework = criteria.map { entry in
            (framework: entry.framework, criteria: entry.criteria.filter { $0.controls.contains { ReadinessFacts.key($0) == key } })
        }
        var failed = ReadinessFacts()
        failed.blockedControls = facts.blockedControls
        failed.blockedRequirements = facts.blockedRequirements
        for entry in reachedByFramework {
            for criterion in entry.criteria {
                for control in criterion.controls {
                    let other = ReadinessFacts.key(control)
                    if let fact = facts.controls[other] { failed.controls[other] = fact }
                }
            }
        }
        if failed.controls[key] != nil { failed.controls[key] = ReadinessFacts.ControlFact(status: .notStarted, justification: "") }
        var consequences: [Consequence] = []
        for (framework, reached) in reachedByFramework where !reached.isEmpty {
            let now = Readiness.compute(criteria: reached, facts: facts, framework: framework)
            let after = Readiness.compute(criteria: reached, facts: failed, framework: framework)
            for criterion in reached {
                consequences.append(
                    Consequence(
                        framework: framework, ref: criterion.ref, inScope: criterion.inScope,
                        now: now.states[criterion.ref] ?? .notAddressed, ifFailed: after.states[criterion.ref] ?? .notAddressed,
                        sole: criterion.controls.allSatisfy { ReadinessFacts.key($0) == key }))
            }
        }
        return ControlImpact(control: ref, consequences: consequences)
    }
}
