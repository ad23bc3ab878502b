import AssureModel

/// What the workbench needs from a workspace. The workbench owns this protocol so that it never
/// imports the store: the app wires in the real workspace, tests an in-memory one.
public protocol WorkbenchStore: AnyObject {
    /// Everything the screen shows, read in one consistent snapshot.
    func loadSnapshot() throws -> WorkspaceSnapshot
    /// Changes whenever anything is written, by this process or another.
    func changeToken() throws -> Int64
    /// The newest change to an entity, for the detail strip.
    func lastChange(entity: String, ref: String) throws -> ChangeRecord?
    /// Open gaps and overall readiness at the end of each recent week, oldest first.
    func trend(weeks: Int) throws -> [TrendSample]
    /// Titles of the gaps `derive` would open now.
    func proposedGaps() throws -> [String]
    /// Applies an edit as one transaction with its change-log rows. `baseline` is the change
    /// token the screen was showing: a field someone changed after it is a conflict, refused.
    func apply(_ edit: Edit, baseline: Int64?) throws -> EditResult
}

/// An edit the workbench asks for. Every case is one user intent, so one transaction and one
/// undo step, whatever the number of rows it touches. `create` adds a missing owner first.
public enum Edit: Equatable, Sendable {
    case assignOwner(controls: [String], owner: String?, create: Bool)
    case assignBackup(controls: [String], owner: String?, create: Bool)
    case assignGapOwner(gaps: [String], owner: String?, create: Bool)
    case setStatus(controls: [String], status: ControlStatus, justification: String)
    case openGap(GapDraftFields)
    case editControl(ref: String, title: String, description: String, evidence: String, frequency: Frequency)
    case editGap(ref: String, title: String, description: String, severity: Severity, effort: Effort, due: String)
    case remediate(gaps: [String], note: String)
    case reopen(gaps: [String])
    case accept(gaps: [String], justification: String)
    /// Reverses a change-log batch; redo is the undo of an undo.
    case undo(batch: Int64)
    case startMeeting(title: String, attendees: [String])
    /// Opens every gap `derive` proposes.
    case deriveGaps
    /// Sets the target audit: report type ("1" or "2"), window start (YYYY-MM-DD), length ("6m").
    case setTarget(type: String, windowStart: String, window: String)
    case endMeeting
    /// Stores `file` as a new evidence item for `control`, proving the day `from` (== `to`) or
    /// the period `from`...`to`; it starts pending review.
    case addEvidence(control: String, file: String, from: String, to: String)
    /// Accepts or rejects an evidence item with a note (the independent-review rule applies).
    case reviewEvidence(ref: String, accept: Bool, note: String)
    /// Records that a risk was reviewed today (its next review follows from its cadence).
    case reviewRisk(ref: String)
    /// Records that a vendor was reviewed today (its next review follows from its criticality).
    case reviewVendor(ref: String)
    /// Runs every active collector of a control now (each run recorded, passed or failed).
    case runCollectors(control: String)
    /// Approves a run's output as its collector's new baseline (resolving its open drift).
    case approveBaseline(collector: String, run: Int64)
}

/// One week of the dashboard's trend.
public struct TrendSample: Equatable, Sendable {
    public var date: String
    public var openGaps: Int
    public var readinessPercent: Int
    public init(date: String, openGaps: Int, readinessPercent: Int) {
        self.date = date; self.openGaps = openGaps; self.readinessPercent = readinessPercent
    }
}

/// The fields of the new-gap form: the model's own gap draft.
public typealias GapDraftFields = GapDraft

/// What an edit did: the change-log batch it wrote (for undo) and a one-line summary.
public struct EditResult: Equatable, Sendable {
    public var batch: Int64?
    public var summary: String
    public init(batch: Int64?, summary: String) { self.batch = batch; self.summary = summary }
}

/// One framework's tree as the requirements pane shows it.
public struct FrameworkView: Equatable, Sendable {
    /// Groups and assessable requirements in document order (no details such as points of focus).
    public var requirements: [Requirement]
    /// Details (points of focus) by the ref of the requirement above them.
    public var details: [String: [Requirement]]
    /// The readiness rule's input for this framework, as the store computes it.
    public var readinessInput: [ReadinessCriterion]
    /// Refs of every node in scope.
    public var inScope: Set<String>
    public init(requirements: [Requirement], details: [String: [Requirement]], readinessInput: [ReadinessCriterion], inScope: Set<String>) {
        self.requirements = requirements; self.details = details; self.readinessInput = readinessInput; self.inScope = inScope
    }
}

/// A framework row of the Frameworks pane.
public struct FrameworkLoad: Equatable, Sendable {
    public var id: String
    public var title: String
    public var version: String
    public var publisher: String
    public var notice: String
    public var assessableLevel: String
    public var inScope: Bool
    public var requirementsInScope: Int
    public var readiness: Share
    public var coverage: Share
    /// "Type II", an ISO certification, or nil.
    public var audit: String?
    public init(
        id: String, title: String, version: String, publisher: String, notice: String, assessableLevel: String, inScope: Bool,
        requirementsInScope: Int, readiness: Share, coverage: Share, audit: String?
    ) {
        self.id = id; self.title = title; self.version = version; self.publisher = publisher; self.notice = notice
        self.assessableLevel = assessableLevel; self.inScope = inScope; self.requirementsInScope = requirementsInScope
        self.readiness = readiness; self.coverage = coverage; self.audit = audit
    }
}

extension FrameworkLoad {
    /// A framework before its figures are computed (`WorkspaceSnapshot.computeFrameworkFigures`).
    public init(framework: Framework, audit: String?) {
        self.init(
            id: framework.id, title: framework.title, version: framework.version, publisher: framework.publisher,
            notice: framework.notice, assessableLevel: framework.assessableLevel, inScope: framework.inScope, requirementsInScope: 0,
            readiness: Share(addressed: 0, total: 0), coverage: Share(addressed: 0, total: 0), audit: audit)
    }
}

extension WorkspaceSnapshot {
    /// The readiness input of a framework as this snapshot holds it (SOC 2's in the first
    /// release's field).
    public func readinessInput(framework id: String) -> [ReadinessCriterion] {
        id == Framework.soc2ID ? readinessInput : (views[id]?.readinessInput ?? [])
    }

    /// Each framework's requirements in scope, readiness and coverage, by the readiness rule
    /// over the input and facts this snapshot already holds (what `assure frameworks` says,
    /// without reading the workspace a second time).
    public mutating func computeFrameworkFigures() {
        computeFrameworkFigures(facts: readinessFacts())
    }

    /// The same, from the facts' two halves gathered elsewhere: `lineFacts` must be
    /// `ReadinessFacts(lines: controls)` and `blocked` `blockedFacts(blockingLinks)` (a store
    /// works them out on the threads that read the controls and the gaps).
    public mutating func computeFrameworkFigures(lineFacts: ReadinessFacts, blocked: ReadinessFacts) {
        computeFrameworkFigures(facts: lineFacts.adding(blockedFrom: blocked))
    }

    private mutating func computeFrameworkFigures(facts: ReadinessFacts) {
        var memo = FactsMemo(facts: facts)
        for i in frameworks.indices {
            let input = readinessInput(framework: frameworks[i].id)
            let readiness = Readiness.compute(criteria: input, facts: facts, framework: frameworks[i].id)
            memo.readiness[frameworks[i].id] = readiness
            frameworks[i].requirementsInScope = input.filter(\.inScope).count
            frameworks[i].readiness = readiness.overall
            frameworks[i].coverage = readiness.coverage
        }
        gatheredFacts = memo
    }
}

/// An owner row of the Owners pane.
public struct OwnerLoad: Equatable, Sendable {
    public var owner: Owner
    public var controls: Int
    public var openGaps: Int
    public var overdueGaps: Int
    public init(owner: Owner, controls: Int, openGaps: Int, overdueGaps: Int) {
        self.owner = owner; self.controls = controls; self.openGaps = openGaps; self.overdueGaps = overdueGaps
    }
}

/// Where an evidence item stands in its review.
public enum EvidenceReviewState: String, Equatable, Sendable, CaseIterable {
    case pending, accepted, rejected
}

/// An evidence item as the Evidence pane shows it.
public struct EvidenceLoad: Equatable, Sendable {
    public var ref: String
    public var control: String
    public var provedFrom: String
    public var provedTo: String
    public var review: EvidenceReviewState
    public var reviewNote: String
    public var reviewedBy: String?
    public var version: Int
    /// The current version's file names.
    public var files: [String]
    public var addedBy: String
    public var addedAt: String
    /// The day after which it no longer proves its control operates, if it expires.
    public var expires: String?
    /// Expired and still its control's newest item: fresh evidence is due.
    public var stale: Bool
    public init(
        ref: String, control: String, provedFrom: String, provedTo: String, review: EvidenceReviewState, reviewNote: String = "",
        reviewedBy: String? = nil, version: Int = 1, files: [String], addedBy: String = "", addedAt: String = "",
        expires: String? = nil, stale: Bool = false
    ) {
        self.ref = ref; self.control = control; self.provedFrom = provedFrom; self.provedTo = provedTo; self.review = review
        self.reviewNote = reviewNote; self.reviewedBy = reviewedBy; self.version = version; self.files = files
        self.addedBy = addedBy; self.addedAt = addedAt; self.expires = expires; self.stale = stale
    }

    /// "2026-03-30" or "2026-01-01..2026-03-31".
    public var proves: String { provedFrom == provedTo ? provedFrom : "\(provedFrom)..\(provedTo)" }
    /// The number in `EV-12`, for "newest" (the last one added).
    public var number: Int { Int(ref.split(separator: "-").last ?? "") ?? 0 }
}

/// One control's occurrences in the Type II window, as the ledger matched them with evidence.
public struct LedgerControlLoad: Equatable, Sendable {
    public var control: String
    public var frequency: Frequency
    public var occurrences: [Occurrence]
    public var coverage: LedgerCoverage
    public init(control: String, frequency: Frequency, occurrences: [Occurrence], coverage: LedgerCoverage) {
        self.control = control; self.frequency = frequency; self.occurrences = occurrences; self.coverage = coverage
    }
}

/// The SOC 2 Type II observation window and its ledger (the Evidence pane, agenda, dashboard).
public struct TypeIIWindowLoad: Equatable, Sendable {
    public var windowStart: String
    /// Inclusive.
    public var windowEnd: String
    /// "6m".
    public var length: String
    public var graceDays: Int
    /// Controls that owe occurrences, in reference order.
    public var controls: [LedgerControlLoad]
    public var overall: LedgerCoverage
    /// Event-driven controls, proven through populations and samples rather than by period.
    public var eventDriven: [String]
    public init(
        windowStart: String, windowEnd: String, length: String, graceDays: Int, controls: [LedgerControlLoad],
        overall: LedgerCoverage, eventDriven: [String] = []
    ) {
        self.windowStart = windowStart; self.windowEnd = windowEnd; self.length = length; self.graceDays = graceDays
        self.controls = controls; self.overall = overall; self.eventDriven = eventDriven
    }
}

/// Readiness facts kept with a snapshot: derived from it, so they never make two snapshots
/// differ (equal whatever they hold).
struct FactsMemo: Equatable, Sendable {
    var facts: ReadinessFacts?
    /// Each framework's readiness by id, as `computeFrameworkFigures` worked it out.
    var readiness: [String: Readiness] = [:]
    static func == (_: FactsMemo, _: FactsMemo) -> Bool { true }
}

/// The workspace as the screen sees it.
public struct WorkspaceSnapshot: Equatable, Sendable {
    public var scope: Scope
    /// Categories, series and criteria of every framework, in document order (no points of focus).
    public var requirements: [Requirement]
    /// Points of focus by criterion ref.
    public var pointsOfFocus: [String: [Requirement]]
    /// Every control's line in reference order: status, owners, mappings, what rows and rules
    /// need. Whole controls are read through `controlRows` for the one shown in full.
    public var controls: [ControlLine] { didSet { gatheredFacts = FactsMemo() } }
    /// Reads whole controls (description, evidence hint, justification), cached for this snapshot.
    public var controlRows: ControlRowCache
    public var owners: [OwnerLoad]
    /// Every gap's key in the Gaps pane's order (no owner limit, no filter), read with the
    /// rest of the snapshot; whole gaps are read a window at a time through `gapRows`.
    public var gapKeys: [GapKey] { didSet { gapFigures = nil } }
    /// `GapKey.figures` of `gapKeys`, when the thread that read them worked them out too.
    public private(set) var gapFigures: GapFigures?
    /// Reads whole gaps for the rows on screen, cached for this snapshot.
    public var gapRows: GapRowCache
    /// The links of open critical and high gaps: all the readiness rule looks at of a gap.
    public var blockingLinks: [BlockingLink] { didSet { gatheredFacts = FactsMemo() } }
    /// The readiness facts of `controls` and `blockingLinks`, kept once gathered
    /// (`computeFrameworkFigures`) so the index and the frameworks' figures share one pass over
    /// 5,000 controls; any change to either forgets them.
    private var gatheredFacts = FactsMemo()
    public var gapCounts: GapCounts
    /// `YYYY-MM-DD` the snapshot was taken, for overdue marks.
    public var today: String
    public var readOnly: Bool
    /// The meeting in progress, if any, shown in the title bar with live counters.
    public var meeting: String?
    /// What scoring a gap needs: the detail strip scores the one gap it shows and says how
    /// ("10 × 3 × 1.5 ÷ 5 = 9.0"), instead of every load scoring and sorting 20,000 of them.
    public var ranking: RankingContext?
    /// The target audit and how many threats it has, when one is set.
    public var target: String?
    /// The readiness rule's input, as the store computes it for every other view.
    public var readinessInput: [ReadinessCriterion] = []
    /// The change-log id this snapshot was read at.
    public var changeToken: Int64 = 0
    /// Every framework with its scope, readiness and coverage (the Frameworks pane).
    public var frameworks: [FrameworkLoad] = []
    /// Each framework's tree, by id, for the requirements pane's framework switcher. SOC 2's is
    /// also in `requirements`, `pointsOfFocus` and `readinessInput`.
    public var views: [String: FrameworkView] = [:]
    /// The SOC 2 Type II window and its ledger, when a target audit sets one.
    public var typeII: TypeIIWindowLoad?
    /// The evidence items that are stale (expired, and still their control's newest), by
    /// control in reference order: the agenda lists them.
    public var staleEvidence: [EvidenceLoad] = []
    /// Reads a control's evidence items for the Evidence pane, cached for this snapshot.
    public var evidenceRows = EvidenceRowCache(InMemoryEvidence([]))
    /// The risk register, by reference.
    public var risks: [RiskLoad] = []
    /// Policies, by reference.
    public var policies: [PolicyLoad] = []
    /// Training past its due date, by due date.
    public var trainingOverdue: [TrainingDueLoad] = []
    /// Vendors, most critical first.
    public var vendors: [VendorLoad] = []
    /// Data subject requests still open, by due date.
    public var openRequests: [SubjectRequestLoad] = []
    /// Active collectors by control, and open drift events, oldest first.
    public var collectors: [CollectorLoad] = []
    public var drift: [DriftLoad] = []

    public init(
        scope: Scope, requirements: [Requirement], pointsOfFocus: [String: [Requirement]], controls: [Control],
        owners: [OwnerLoad], gaps: [Gap], today: String, readOnly: Bool = false, meeting: String? = nil
    ) {
        self.meeting = meeting
        self.scope = scope; self.requirements = requirements; self.pointsOfFocus = pointsOfFocus
        self.controls = controls.map(ControlLine.init); controlRows = ControlRowCache(InMemoryControls(controls))
        self.owners = owners; self.today = today; self.readOnly = readOnly
        let memory = InMemoryGaps(gaps)
        gapKeys = memory.gapKeys(owner: nil)
        gapRows = GapRowCache(memory)
        blockingLinks = Self.links(gaps)
        gapCounts = GapCounts(gaps, today: today)
    }

    /// Replaces the evidence with items held in memory (tests): by control, newest proved first.
    public mutating func setEvidence(_ items: [EvidenceLoad]) {
        staleEvidence = items.filter(\.stale)
        evidenceRows = EvidenceRowCache(InMemoryEvidence(items))
    }

    /// Replaces the controls with ones held in memory (tests, and a workspace read whole).
    public mutating func setControls(_ controls: [Control]) {
        self.controls = controls.map(ControlLine.init)
        controlRows = ControlRowCache(InMemoryControls(controls))
    }

    /// The snapshot with controls read from a store: every line, and a reader for whole ones.
    public func with(lines: [ControlLine], reader: ControlReading) -> WorkspaceSnapshot {
        var copy = self
        copy.controls = lines
        copy.controlRows = ControlRowCache(reader)
        return copy
    }

    /// Replaces the gaps with ones held in memory (tests, and a workspace read whole).
    public mutating func setGaps(_ gaps: [Gap]) {
        let memory = InMemoryGaps(gaps)
        self = WorkspaceSnapshot(
            copying: self, keys: memory.gapKeys(owner: nil), rows: GapRowCache(memory), blocking: Self.links(gaps),
            counts: GapCounts(gaps, today: today))
    }

    /// The snapshot with gaps read from a store: keys in order, the blocking ones whole, counts.
    public init(
        copying other: WorkspaceSnapshot, keys: [GapKey], rows: GapRowCache, blocking: [BlockingLink], counts: GapCounts,
        figures: (open: Int, refWidth: Int)? = nil
    ) {
        self = other
        gapKeys = keys; gapRows = rows; blockingLinks = blocking; gapCounts = counts
        gapFigures = figures.map { GapFigures(open: $0.open, refWidth: $0.refWidth) }
        gatheredFacts = FactsMemo()  // observers do not run in an initializer
    }

    /// A framework's readiness as `computeFrameworkFigures` worked it out, so the index does
    /// not apply the rule to the shown framework a second time; nil before that.
    public func gatheredReadiness(framework id: String) -> Readiness? { gatheredFacts.readiness[id] }

    /// What the readiness rule reads of this snapshot: every control's line and the links of
    /// the gaps that block (all the rule looks at of a gap).
    public func readinessFacts() -> ReadinessFacts {
        if let facts = gatheredFacts.facts { return facts }
        return ReadinessFacts(lines: controls).adding(blockedFrom: Self.blockedFacts(blockingLinks))
    }

    /// The facts of blocking links alone (no control): what a store's gaps thread gathers
    /// beside the other reads, for `computeFrameworkFigures(lineFacts:blocked:)`.
    public static func blockedFacts(_ links: [BlockingLink]) -> ReadinessFacts {
        var facts = ReadinessFacts()
        for link in links { facts.addBlocking(control: link.control, requirement: link.requirement, framework: link.framework) }
        return facts
    }

    /// The links of the gaps that block readiness, in the order given.
    public static func links(_ gaps: [Gap]) -> [BlockingLink] {
        gaps.filter(blocks).map { BlockingLink(control: $0.control, requirement: $0.criterion, framework: $0.framework) }
    }

    /// What makes a gap block readiness: open and critical or high.
    public static func blocks(_ gap: Gap) -> Bool { ReadinessFacts.blocks(status: gap.status, severity: gap.severity) }
}

/// How many gap keys are open and the longest reference: what the Gaps pane's header and
/// column need of all 20,000 keys.
public struct GapFigures: Equatable, Sendable {
    public var open: Int
    public var refWidth: Int
}
