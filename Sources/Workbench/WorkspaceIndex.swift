import AssureModel

/// Lookups computed once per snapshot, so that moving the selection never scans the workspace.
public struct WorkspaceIndex: Equatable, Sendable {
    public let snapshot: WorkspaceSnapshot
    public let readiness: Readiness
    /// Control positions (into `snapshot.controls`) by criterion ref.
    public let controlsByCriterion: [String: [Int]]
    public let controlByRef: [String: Int]
    public let requirementByRef: [String: Requirement]
    /// Children of each category or series, in order.
    public let children: [String: [Requirement]]
    public let roots: [Requirement]
    /// Gaps in the Gaps pane's order (rule: `GapOrder.triage`).
    public let gapOrder: [Int]
    /// Open gaps by linked control and by linked criterion.
    public let openGapsByControl: [String: Int]
    public let openGapsByCriterion: [String: Int]

    /// Controls that need an owner (`Rules.isUnowned`) and that an audit covers: mapped to an
    /// in-scope criterion, or not mapped at all. The agenda and the meeting counters use it.
    public let unownedInScope: [Int]
    /// In-scope criteria with no implemented control.
    public let uncoveredCriteria: [Requirement]

    /// The display width of the framework's longest assessable reference ("CC6.1", "A.5.23",
    /// "164.312(a)(2)(iv)"), so the requirements pane never cuts a reference short.
    public let refWidth: Int

    /// Open critical and high gaps: the only ones the readiness rule looks at, so the detail
    /// strip's blast radius never walks every gap on a keystroke.
    public let blockingGaps: [Gap]

    /// Evidence items (positions in `snapshot.evidence`) by control ref, newest proved first.
    public let evidenceByControl: [String: [Int]]
    /// The most occurrences any control owes in the Type II window (the timelines' width).
    public let longestTimeline: Int

    /// The framework the requirements pane shows.
    public let framework: String
    /// That framework's tree (the SOC 2 fields of the snapshot when it has no views).
    public let view: FrameworkView

    public init(_ snapshot: WorkspaceSnapshot, framework: String = Framework.soc2ID) {
        self.snapshot = snapshot
        let view = snapshot.views[framework] ?? FrameworkView(
            requirements: snapshot.requirements, details: snapshot.pointsOfFocus, readinessInput: snapshot.readinessInput,
            inScope: Set(snapshot.requirements.filter { snapshot.scope.includes(category: $0.category) }.map(\.ref)))
        self.framework = snapshot.views[framework] == nil ? Framework.soc2ID : framework
        self.view = view
        let prefix = self.framework + ":"
        var byCriterion: [String: [Int]] = [:]
        var byRef: [String: Int] = [:]
        for (index, control) in snapshot.controls.enumerated() {
            byRef[control.ref] = index
            for qualified in control.requirements where qualified.hasPrefix(prefix) {
                byCriterion[String(qualified.dropFirst(prefix.count)), default: []].append(index)
            }
        }
        controlsByCriterion = byCriterion
        controlByRef = byRef
        var requirements: [String: Requirement] = [:]
        var children: [String: [Requirement]] = [:]
        var roots: [Requirement] = []
        for requirement in view.requirements {
            requirements[requirement.ref] = requirement
            if let parent = requirement.parentRef { children[parent, default: []].append(requirement) } else { roots.append(requirement) }
        }
        requirementByRef = requirements
        blockingGaps = snapshot.gaps.filter { $0.status.isOpen && ($0.severity == .critical || $0.severity == .high) }
        refWidth = max(6, view.requirements.filter { $0.kind == .criterion }.map { $0.ref.count }.max() ?? 0)
        self.children = children
        self.roots = roots
        // The rules' inputs come from the store, so the screen and the command line agree.
        readiness = Readiness.compute(criteria: view.readinessInput, controls: snapshot.controls, gaps: snapshot.gaps, framework: self.framework)
        gapOrder = snapshot.gaps.indices.sorted { GapOrder.triage(snapshot.gaps[$0], snapshot.gaps[$1]) }
        // A control an audit covers: in scope in any framework the workspace has.
        let inputs = snapshot.views.isEmpty ? [snapshot.readinessInput] : snapshot.views.values.map(\.readinessInput)
        let audited = Set(inputs.flatMap { $0.filter(\.inScope).flatMap(\.controls) })
        unownedInScope = snapshot.controls.indices.filter {
            let control = snapshot.controls[$0]
            return Rules.isUnowned(control) && (audited.contains(control.ref) || control.requirements.isEmpty)
        }
        let inScopeCriteria = Set(view.readinessInput.filter(\.inScope).map(\.ref))
        uncoveredCriteria = view.requirements.filter { requirement in
            requirement.kind == .criterion && inScopeCriteria.contains(requirement.ref)
                && !(byCriterion[requirement.ref] ?? []).contains { snapshot.controls[$0].status == .implemented }
        }
        var gapsByControl: [String: Int] = [:]
        var gapsByCriterion: [String: Int] = [:]
        for gap in snapshot.gaps where gap.status.isOpen {
            if let control = gap.control { gapsByControl[control, default: 0] += 1 }
            if let criterion = gap.criterion, gap.framework == self.framework { gapsByCriterion[criterion, default: 0] += 1 }
        }
        openGapsByControl = gapsByControl
        openGapsByCriterion = gapsByCriterion
        var evidence: [String: [Int]] = [:]
        for (i, item) in snapshot.evidence.enumerated() { evidence[item.control, default: []].append(i) }
        evidenceByControl = evidence
        longestTimeline = snapshot.typeII?.controls.map(\.occurrences.count).max() ?? 0
    }

    /// Implemented and mapped control counts of a criterion.
    public func coverage(of criterionRef: String) -> (implemented: Int, mapped: Int) {
        let mapped = controlsByCriterion[criterionRef] ?? []
        return (mapped.filter { snapshot.controls[$0].status == .implemented }.count, mapped.count)
    }

    public func isInScope(_ requirement: Requirement) -> Bool { view.inScope.contains(requirement.ref) }

    /// Every criterion below a category or series (or the criterion itself).
    public func criteria(under ref: String) -> [String] {
        guard let requirement = requirementByRef[ref] else { return [] }
        if requirement.kind == .criterion { return [ref] }
        return (children[ref] ?? []).flatMap { criteria(under: $0.ref) }
    }
}
