import AssureModel

/// Lookups computed once per snapshot, so that moving the selection never scans the workspace.
public struct WorkspaceIndex: Equatable, Sendable {
    public let snapshot: WorkspaceSnapshot
    public let readiness: Readiness
    /// Control positions (into `snapshot.controls`) by criterion ref.
    public let controlsByCriterion: [String: [Int]]
    public let controlByRef: [String: Int]
    /// Implemented controls by criterion ref: every visible requirements row shows it.
    public let implementedByCriterion: [String: Int]
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
    /// What the Owners pane's "(unassigned)" row counts: controls that need an owner
    /// (`Rules.isUnowned`) and open gaps without one, counted once per snapshot.
    public let unownedControlCount: Int
    public let unassignedOpenGapCount: Int
    /// In-scope criteria with no implemented control.
    public let uncoveredCriteria: [Requirement]

    /// The display width of the framework's longest assessable reference ("CC6.1", "A.5.23",
    /// "164.312(a)(2)(iv)"), so the requirements pane never cuts a reference short.
    public let refWidth: Int

    /// Open critical and high gaps (the only ones the readiness rule looks at), as positions in
    /// `snapshot.gaps`, by uppercased control ref and by uppercased `framework:ref` of their
    /// requirement: the detail strip's blast radius takes only the gaps of the controls and
    /// requirements it looks at, never every gap, on each keystroke.
    public let blockingGapsByControl: [String: [Int]]
    public let blockingGapsByRequirement: [String: [Int]]

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
        let view =
            snapshot.views[framework]
            ?? FrameworkView(
                requirements: snapshot.requirements, details: snapshot.pointsOfFocus, readinessInput: snapshot.readinessInput,
                inScope: Set(snapshot.requirements.filter { snapshot.scope.includes(category: $0.category) }.map(\.ref)))
        self.framework = snapshot.views[framework] == nil ? Framework.soc2ID : framework
        self.view = view
        let prefix = self.framework + ":"
        var byCriterion: [String: [Int]] = [:]
        var byRef: [String: Int] = [:]
        var implemented: [String: Int] = [:]
        for (index, control) in snapshot.controls.enumerated() {
            byRef[control.ref] = index
            for qualified in control.requirements where qualified.hasPrefix(prefix) {
                let ref = String(qualified.dropFirst(prefix.count))
                byCriterion[ref, default: []].append(index)
                if control.status == .implemented { implemented[ref, default: 0] += 1 }
            }
        }
        controlsByCriterion = byCriterion
        implementedByCriterion = implemented
        controlByRef = byRef
        var requirements: [String: Requirement] = [:]
        var children: [String: [Requirement]] = [:]
        var roots: [Requirement] = []
        for requirement in view.requirements {
            requirements[requirement.ref] = requirement
            if let parent = requirement.parentRef { children[parent, default: []].append(requirement) } else { roots.append(requirement) }
        }
        requirementByRef = requirements
        var blockingByControl: [String: [Int]] = [:]
        var blockingByRequirement: [String: [Int]] = [:]
        for (i, gap) in snapshot.gaps.enumerated() where gap.status.isOpen && (gap.severity == .critical || gap.severity == .high) {
            if let control = gap.control { blockingByControl[control.uppercased(), default: []].append(i) }
            if let criterion = gap.criterion, let framework = gap.framework {
                blockingByRequirement["\(framework):\(criterion)".uppercased(), default: []].append(i)
            }
        }
        blockingGapsByControl = blockingByControl
        blockingGapsByRequirement = blockingByRequirement
        refWidth = max(6, view.requirements.filter { $0.kind == .criterion }.map { $0.ref.count }.max() ?? 0)
        self.children = children
        self.roots = roots
        // The rules' inputs come from the store, so the screen and the command line agree.
        readiness = Readiness.compute(criteria: view.readinessInput, controls: snapshot.controls, gaps: snapshot.gaps, framework: self.framework)
        gapOrder = GapOrder.triageOrder(snapshot.gaps)
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
                && (implemented[requirement.ref] ?? 0) == 0
        }
        unownedControlCount = snapshot.controls.lazy.filter(Rules.isUnowned).count
        var gapsByControl: [String: Int] = [:]
        var gapsByCriterion: [String: Int] = [:]
        var unassigned = 0
        for gap in snapshot.gaps where gap.status.isOpen {
            if gap.owner == nil { unassigned += 1 }
            if let control = gap.control { gapsByControl[control, default: 0] += 1 }
            if let criterion = gap.criterion, gap.framework == self.framework { gapsByCriterion[criterion, default: 0] += 1 }
        }
        unassignedOpenGapCount = unassigned
        openGapsByControl = gapsByControl
        openGapsByCriterion = gapsByCriterion
        var evidence: [String: [Int]] = [:]
        for (i, item) in snapshot.evidence.enumerated() { evidence[item.control, default: []].append(i) }
        evidenceByControl = evidence
        longestTimeline = snapshot.typeII?.controls.map(\.occurrences.count).max() ?? 0
    }

    /// Implemented and mapped control counts of a criterion.
    public func coverage(of criterionRef: String) -> (implemented: Int, mapped: Int) {
        (implementedByCriterion[criterionRef] ?? 0, controlsByCriterion[criterionRef]?.count ?? 0)
    }

    /// The blocking gaps (open critical and high) on any of these controls or requirements
    /// (`framework:ref`), each once, in `snapshot.gaps` order.
    public func blockingGaps(controls: some Sequence<String>, requirements: some Sequence<String>) -> [Gap] {
        var positions = Set<Int>()
        for ref in controls { positions.formUnion(blockingGapsByControl[ref.uppercased()] ?? []) }
        for key in requirements { positions.formUnion(blockingGapsByRequirement[key.uppercased()] ?? []) }
        return positions.sorted().map { snapshot.gaps[$0] }
    }

    public func isInScope(_ requirement: Requirement) -> Bool { view.inScope.contains(requirement.ref) }

    /// Every criterion below a category or series (or the criterion itself).
    public func criteria(under ref: String) -> [String] {
        guard let requirement = requirementByRef[ref] else { return [] }
        if requirement.kind == .criterion { return [ref] }
        return (children[ref] ?? []).flatMap { criteria(under: $0.ref) }
    }
}
