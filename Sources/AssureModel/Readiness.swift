import Foundation

/// The readiness rule (also written in the README):
/// - A control *counts* when it is implemented, or not applicable with a justification.
/// - A *blocking gap* is an open or in-progress gap of critical or high severity linked to the
///   criterion itself or to one of its mapped controls.
/// - A criterion is **addressed** when at least one mapped control counts and no blocking gap
///   touches it; **partly addressed** when it is not addressed but some mapped control is in
///   progress or counts; otherwise **not addressed**.
/// - Readiness of a category, a series or the whole scope is the share of its in-scope criteria
///   that are addressed. Out-of-scope categories are left out entirely.
/// - The rule is the same for every framework, applied at the framework's assessable level (a
///   SOC 2 criterion, an ISO control, a HIPAA standard); a control mapped to a detail below
///   such a node (a point of focus) counts for the node. Each framework is computed on its own,
///   so adding one never changes another's readiness.
public enum CriterionState: String, Sendable, CaseIterable {
    case addressed
    case partial = "partly-addressed"
    case notAddressed = "not-addressed"

    public var label: String {
        switch self {
        case .addressed: return "addressed"
        case .partial: return "partly addressed"
        case .notAddressed: return "not addressed"
        }
    }
}

/// What the rule needs to know about one criterion.
public struct ReadinessCriterion: Equatable, Sendable {
    public var ref: String
    public var series: String
    public var category: String
    public var inScope: Bool
    public var controls: [String]
    public init(ref: String, series: String, category: String, inScope: Bool, controls: [String]) {
        self.ref = ref; self.series = series; self.category = category; self.inScope = inScope; self.controls = controls
    }
}

public struct Share: Equatable, Sendable {
    public var addressed: Int
    public var total: Int
    public init(addressed: Int, total: Int) { self.addressed = addressed; self.total = total }
    /// 0...1; an empty group counts as 0.
    public var fraction: Double { total == 0 ? 0 : Double(addressed) / Double(total) }
    /// Whole percent, rounded down so "100%" is never shown before it is true.
    public var percent: Int { total == 0 ? 0 : addressed * 100 / total }
}

public struct Readiness: Equatable, Sendable {
    public var states: [String: CriterionState]
    public var overall: Share
    public var byCategory: [String: Share]
    public var bySeries: [String: Share]
    /// In-scope requirements reached by at least one mapped control, whatever its status.
    public var coverage: Share

    /// `framework`: the framework the criteria belong to; a gap blocks a criterion only when
    /// its requirement is in that framework.
    public static func compute(
        criteria: [ReadinessCriterion], controls: [Control], gaps: [Gap], framework: String = Framework.soc2ID
    ) -> Readiness {
        compute(criteria: criteria, facts: ReadinessFacts(controls: controls, gaps: gaps), framework: framework)
    }

    /// The same rule on facts gathered once (`ReadinessFacts`): callers that apply it many
    /// times (every framework, every trend sample, a control's impact) or that read only the
    /// columns it needs do not rebuild the lookups from whole controls and gaps each time.
    public static func compute(criteria: [ReadinessCriterion], facts: ReadinessFacts, framework: String = Framework.soc2ID) -> Readiness {
        let blockedCriteria = facts.blockedRequirements[framework] ?? []
        var states: [String: CriterionState] = [:]
        states.reserveCapacity(criteria.count)
        var overall = Share(addressed: 0, total: 0)
        var byCategory: [String: Share] = [:]
        var bySeries: [String: Share] = [:]
        var coverage = Share(addressed: 0, total: 0)
        for criterion in criteria {
            var mapped = false
            var counting = false
            var started = false
            var blocked = !blockedCriteria.isEmpty && blockedCriteria.contains(ReadinessFacts.key(criterion.ref))
            for ref in criterion.controls {
                let key = ReadinessFacts.key(ref)
                if let control = facts.controls[key] {
                    mapped = true
                    counting = counting || control.counts
                    started = started || control.started
                }
                if !blocked && facts.blockedControls.contains(key) { blocked = true }
            }
            let state: CriterionState = counting && !blocked ? .addressed : (started ? .partial : .notAddressed)
            states[criterion.ref] = state
            guard criterion.inScope else { continue }
            coverage.total += 1
            if mapped { coverage.addressed += 1 }
            let add = state == .addressed ? 1 : 0
            overall.total += 1; overall.addressed += add
            byCategory[criterion.category, default: Share(addressed: 0, total: 0)].total += 1
            byCategory[criterion.category]!.addressed += add
            bySeries[criterion.series, default: Share(addressed: 0, total: 0)].total += 1
            bySeries[criterion.series]!.addressed += add
        }
        return Readiness(states: states, overall: overall, byCategory: byCategory, bySeries: bySeries, coverage: coverage)
    }

    /// Implemented, or not applicable with a written justification.
    public static func counts(_ control: Control) -> Bool {
        control.status == .implemented || ControlLine.isJustified(status: control.status, justification: control.justification)
    }
}

/// What the readiness rule needs to know about the controls and gaps, keyed as the rule
/// compares them (references upper-cased): whether each control counts or has started, and
/// what open critical or high gaps block.
public struct ReadinessFacts: Equatable, Sendable {
    public struct ControlFact: Equatable, Sendable {
        /// `Readiness.counts`: implemented, or not applicable with a justification.
        public var counts: Bool
        /// In progress, or counts.
        public var started: Bool
        public init(counts: Bool, started: Bool) { self.counts = counts; self.started = started }
        public init(status: ControlStatus, justification: String) {
            self.init(status: status, justified: ControlLine.isJustified(status: status, justification: justification))
        }
        /// `justified`: not applicable with a justification (`ControlLine.isJustified`).
        public init(status: ControlStatus, justified: Bool) {
            counts = status == .implemented || justified
            started = status == .inProgress || counts
        }
    }

    /// By upper-cased control reference (the last of equal references wins, as before).
    public var controls: [String: ControlFact] = [:]
    /// Upper-cased references of controls an open critical or high gap is linked to.
    public var blockedControls = Set<String>()
    /// Upper-cased requirement references such a gap is linked to, by framework.
    public var blockedRequirements: [String: Set<String>] = [:]

    public init() {}

    /// A reference as the rule compares it: `uppercased()`. References are almost always
    /// ASCII and already upper case (`AC-03`, `CC6.1`): those come back as they are, with no
    /// new string, and other ASCII is mapped byte by byte; only other text takes the Unicode
    /// path. (At 5,000 controls and 10,000 mappings this was a large part of `assure status`.)
    @inline(__always)
    static func key(_ ref: String) -> String {
        var lower = false
        for byte in ref.utf8 {
            if byte >= 0x80 { return ref.uppercased() }
            if byte >= 0x61 && byte <= 0x7A { lower = true }
        }
        guard lower else { return ref }
        return String(decoding: ref.utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }, as: UTF8.self)
    }

    public init(controls: [Control], gaps: [Gap]) {
        self.controls.reserveCapacity(controls.count)
        for control in controls { add(control: control.ref, status: control.status, justification: control.justification) }
        for gap in gaps { add(gap: gap.status, severity: gap.severity, control: gap.control, requirement: gap.criterion, framework: gap.framework) }
    }

    public mutating func add(control ref: String, status: ControlStatus, justification: String) {
        controls[Self.key(ref)] = ControlFact(status: status, justification: justification)
    }

    /// The facts of the controls the workbench holds as lines, and no gap yet.
    public init(lines: [ControlLine]) {
        controls.reserveCapacity(lines.count)
        for line in lines { controls[Self.key(line.ref)] = ControlFact(status: line.status, justified: line.justified) }
    }

    /// The rule's blocking gap: open or in progress, and critical or high.
    public static func blocks(status: GapStatus, severity: Severity) -> Bool {
        status.isOpen && (severity == .critical || severity == .high)
    }

    /// Records a gap when it blocks (open or in progress, critical or high); others are ignored.
    public mutating func add(gap status: GapStatus, severity: Severity, control: String?, requirement: String?, framework: String?) {
        guard Self.blocks(status: status, severity: severity) else { return }
        addBlocking(control: control, requirement: requirement, framework: framework)
    }

    /// Records the links of a gap already known to block.
    public mutating func addBlocking(control: String?, requirement: String?, framework: String?) {
        if let requirement, let framework { blockedRequirements[framework, default: []].insert(Self.key(requirement)) }
        if let control { blockedControls.insert(Self.key(control)) }
    }

    /// These facts' controls with `other`'s blocked controls and requirements added: the
    /// workbench gathers the two halves on two threads.
    public func adding(blockedFrom other: ReadinessFacts) -> ReadinessFacts {
        var merged = self
        merged.blockedControls.formUnion(other.blockedControls)
        for (framework, refs) in other.blockedRequirements { merged.blockedRequirements[framework, default: []].formUnion(refs) }
        return merged
    }
}
