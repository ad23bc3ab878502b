import AssureModel
import TerminalUI

/// Lookups computed once per snapshot, so that moving the selection never scans the workspace.
public struct WorkspaceIndex: Equatable, Sendable {
    public let snapshot: WorkspaceSnapshot
    public let readiness: Readiness
    /// What the readiness rule looks up, gathered once: the blast radius on every keystroke
    /// reuses it instead of rebuilding it from the controls it touches.
    public let readinessFacts: ReadinessFacts
    /// Every framework's readiness input, in the order frameworks are listed.
    public let frameworkInputs: [FrameworkInput]
    /// Where each control appears in `frameworkInputs` (framework, criterion), in order: the
    /// blast radius finds what a control reaches without scanning every mapping, and the index
    /// holds two small numbers per mapping rather than a copy of each requirement.
    public let criteriaByControl: [String: [CriterionPosition]]
    /// Control positions (into `snapshot.controls`) by criterion ref.
    public let controlsByCriterion: [String: [Int]]
    public let controlByRef: [String: Int]
    /// Implemented controls by criterion ref: every visible requirements row shows it.
    public let implementedByCriterion: [String: Int]
    public let requirementByRef: [String: Requirement]
    /// Children of each category or series, in order.
    public let children: [String: [Requirement]]
    public let roots: [Requirement]
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
    /// The longest control reference (at least 5), so the Controls pane's titles line up.
    public let controlRefWidth: Int
    /// The Gaps pane's figures for the snapshot's own keys (no owner, no filter): how many are
    /// open and the longest reference, counted once rather than over 20,000 keys whenever the
    /// pane shows them all again.
    public let openGapKeyCount: Int
    public let gapRefWidth: Int
    /// Each owner's name as the Controls pane's rows show it ("D. Kim"), made once per
    /// snapshot rather than for every row of every frame.
    public let shortNames: [String: String]

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
        // What each control reaches, on another core while this one builds the rest: the
        // two halves take about as long, and every snapshot (the first frame, each reload
        // after an edit) waits for both.
        let reach = Background { Reach(snapshot) }
        var byCriterion: [String: [Int]] = [:]
        var byRef: [String: Int] = [:]
        var implemented: [String: Int] = [:]
        // Sized once: grown step by step, these tables were rehashed a dozen times each.
        byRef.reserveCapacity(snapshot.controls.count)
        byCriterion.reserveCapacity(view.readinessInput.count)
        implemented.reserveCapacity(view.readinessInput.count)
        // By position, not `enumerated()`: each line would be copied (six retains) 5,000 times.
        let prefixLength = prefix.utf8.count
        for index in snapshot.controls.indices {
            byRef[snapshot.controls[index].ref] = index
            let isImplemented = snapshot.controls[index].status == .implemented
            for qualified in snapshot.controls[index].requirements where qualified.hasPrefix(prefix) {
                let ref = String(Substring(qualified.utf8.dropFirst(prefixLength)))
                byCriterion[ref, default: []].append(index)
                if isImplemented { implemented[ref, default: 0] += 1 }
            }
        }
        controlsByCriterion = byCriterion
        implementedByCriterion = implemented
        controlByRef = byRef
        // By position here too: `lazy.map` and `lazy.filter` hand each line over as a copy.
        var longestRef = 5
        var unowned = 0
        for index in snapshot.controls.indices {
            longestRef = max(longestRef, TextWidth.of(snapshot.controls[index].ref))
            if Self.isUnowned(snapshot.controls, index) { unowned += 1 }
        }
        controlRefWidth = longestRef
        unownedControlCount = unowned
        (openGapKeyCount, gapRefWidth) = snapshot.gapFigures.map { ($0.open, $0.refWidth) } ?? GapKey.figures(snapshot.gapKeys)
        shortNames = Dictionary(snapshot.owners.map { ($0.owner.name, shortName($0.owner.name)) }, uniquingKeysWith: { first, _ in first })
        var requirements: [String: Requirement] = [:]
        var children: [String: [Requirement]] = [:]
        var roots: [Requirement] = []
        for requirement in view.requirements {
            requirements[requirement.ref] = requirement
            if let parent = requirement.parentRef { children[parent, default: []].append(requirement) } else { roots.append(requirement) }
        }
        requirementByRef = requirements
        refWidth = max(6, view.requirements.filter { $0.kind == .criterion }.map { $0.ref.count }.max() ?? 0)
        self.children = children
        self.roots = roots
        // The rules' inputs come from the store, so the screen and the command line agree.
        // Only blocking gaps count in the rule: the snapshot holds just their links.
        let facts = snapshot.readinessFacts()
        readinessFacts = facts
        readiness =
            snapshot.gatheredReadiness(framework: self.framework)
            ?? Readiness.compute(criteria: view.readinessInput, facts: facts, framework: self.framework)
        let inScopeCriteria = Set(view.readinessInput.filter(\.inScope).map(\.ref))
        uncoveredCriteria = view.requirements.filter { requirement in
            requirement.kind == .criterion && inScopeCriteria.contains(requirement.ref)
                && (implemented[requirement.ref] ?? 0) == 0
        }
        unassignedOpenGapCount = snapshot.gapCounts.unassignedOpen
        openGapsByControl = snapshot.gapCounts.openByControl
        var gapsByCriterion: [String: Int] = [:]
        for (key, count) in snapshot.gapCounts.openByRequirement where key.hasPrefix(prefix) {
            gapsByCriterion[String(key.dropFirst(prefix.count)), default: 0] += count
        }
        openGapsByCriterion = gapsByCriterion
        longestTimeline = snapshot.typeII?.controls.map(\.occurrences.count).max() ?? 0
        let reached = reach.value
        frameworkInputs = reached.frameworkInputs
        criteriaByControl = reached.criteriaByControl
        unownedInScope = reached.unownedInScope
    }

    /// Where each control reaches in every framework, and the unowned controls an audit covers.
    private struct Reach: Sendable {
        var frameworkInputs: [FrameworkInput]
        var criteriaByControl: [String: [CriterionPosition]] = [:]
        var unownedInScope: [Int]

        init(_ snapshot: WorkspaceSnapshot) {
            let byFramework =
                snapshot.frameworks.isEmpty
                ? [FrameworkInput(id: Framework.soc2ID, criteria: snapshot.readinessInput)]
                : snapshot.frameworks.map { f in FrameworkInput(id: f.id, criteria: snapshot.readinessInput(framework: f.id)) }
            var reached: [String: [CriterionPosition]] = [:]
            reached.reserveCapacity(snapshot.controls.count)
            for (f, input) in byFramework.enumerated() {
                for (c, criterion) in input.criteria.enumerated() {
                    let position = CriterionPosition(framework: Int32(f), criterion: Int32(c))
                    // A control listed twice under one requirement still reaches it once.
                    for control in criterion.controls where reached[control]?.last != position {
                        reached[control, default: []].append(position)
                    }
                }
            }
            frameworkInputs = byFramework
            criteriaByControl = reached
            // A control an audit covers: it reaches a requirement in scope in any framework the
            // workspace has (the positions just gathered, rather than a set of every mapped ref).
            unownedInScope = snapshot.controls.indices.filter { i in
                guard WorkspaceIndex.isUnowned(snapshot.controls, i) else { return false }
                if snapshot.controls[i].requirements.isEmpty { return true }
                return reached[snapshot.controls[i].ref]?.contains { byFramework[Int($0.framework)].criteria[Int($0.criterion)].inScope }
                    ?? false
            }
        }
    }

    /// `Rules.isUnowned` of one line, its fields read in place: handing the rule the whole
    /// line copied it (six retains) for each of 5,000 controls, twice per snapshot.
    @inline(__always)
    fileprivate static func isUnowned(_ lines: [ControlLine], _ i: Int) -> Bool {
        Rules.isUnowned(status: lines[i].status, owner: lines[i].owner, ownerRetired: lines[i].ownerRetired)
    }

    /// The requirements `control` reaches, per framework in the order frameworks are listed
    /// (every framework present, an empty list where it reaches none).
    public func criteriaReached(by control: String) -> [(framework: String, criteria: [ReadinessCriterion])] {
        var result = frameworkInputs.map { (framework: $0.id, criteria: [ReadinessCriterion]()) }
        for position in criteriaByControl[control] ?? [] {
            let f = Int(position.framework)
            result[f].criteria.append(frameworkInputs[f].criteria[Int(position.criterion)])
        }
        return result
    }

    /// Implemented and mapped control counts of a criterion.
    public func coverage(of criterionRef: String) -> (implemented: Int, mapped: Int) {
        (implementedByCriterion[criterionRef] ?? 0, controlsByCriterion[criterionRef]?.count ?? 0)
    }

    public func isInScope(_ requirement: Requirement) -> Bool { view.inScope.contains(requirement.ref) }

    /// Every criterion below a category or series (or the criterion itself).
    public func criteria(under ref: String) -> [String] {
        guard let requirement = requirementByRef[ref] else { return [] }
        if requirement.kind == .criterion { return [ref] }
        return (children[ref] ?? []).flatMap { criteria(under: $0.ref) }
    }
}

/// One framework's readiness input, as the index keeps it.
public struct FrameworkInput: Equatable, Sendable {
    public var id: String
    public var criteria: [ReadinessCriterion]
}

/// A requirement's place in `WorkspaceIndex.frameworkInputs`.
public struct CriterionPosition: Equatable, Sendable {
    public var framework: Int32
    public var criterion: Int32
}
