import AssureModel
import TerminalUI

public enum ControlSort: String, CaseIterable, Sendable {
    case ref, status, owner
}

/// A row of the Criteria pane: a category or series (foldable) or a criterion.
public struct CriteriaRow: Equatable, Sendable {
    public var ref: String
    public var depth: Int
    public var foldable: Bool
    public var expanded: Bool
}

/// A row of the Owners pane.
public enum OwnerRow: Equatable, Sendable {
    case owner(Int)
    case unassigned
}

/// Selection, scroll and filter of one pane.
public struct PaneState: Equatable, Sendable {
    public var selection = 0
    public var offset = 0
    public var filter = ""
}

/// What has the keyboard besides the panes.
public enum Mode: Equatable, Sendable {
    case normal
    /// Typing into the focused pane's filter.
    case filter(TextField)
    case palette(TextField, selection: Int)
    case help(scroll: Int)
    /// The meeting's agenda; `selection` is the line of the selected item.
    case agenda(selection: Int)
    case dashboard(scroll: Int)
    /// "Create these N gaps?" after :derive.
    case confirmDerive([String])
    case picker(OwnerPicker)
    case menu(ChoiceMenu)
    case prompt(TextPrompt)
    case form(EditForm)
    /// Open drift events: `selection` picks one, `scroll` moves through its diff; `confirming`
    /// asks before its run becomes the new baseline.
    case drift(selection: Int, scroll: Int, confirming: Bool)
}

public struct Toast: Equatable, Sendable {
    public var text: String
    public var isError: Bool
    /// Idle ticks left before it fades; any key also clears it.
    public var ticksLeft: Int
}

/// The terminal's size in cells.
public struct ScreenSize: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) { self.width = width; self.height = height }
}

/// The whole state of the workbench: one value, changed only by `reduce`. Equatable, so a
/// reducer test can compare whole states.
public struct AppState: Equatable, Sendable {
    /// A new index is a new snapshot: the Controls pane's rows can no longer be narrowed.
    public var index: WorkspaceIndex { didSet { controlRowsBasis = nil } }
    public var focus: Pane = .criteria
    /// The framework the requirements pane (1) shows; `f` there, or Enter in the Frameworks pane, switches.
    public var framework: String = Framework.soc2ID
    /// The pane set on screen (`[` and `]` switch).
    public var paneSet: PaneSetID = .readiness
    public var panes: [Pane: PaneState] = Dictionary(uniqueKeysWithValues: Pane.allCases.map { ($0, PaneState()) })
    /// Rows of the panes added after the first release, as indices into their snapshot lists.
    public internal(set) var extraRows: [Pane: [Int]] = [:]
    public var mode: Mode = .normal
    public var expanded: Set<String> = []
    /// When true, the Controls pane shows only the controls of the selected criterion.
    public var criteriaDrivesControls = true
    /// Limit Controls and Gaps to one owner ("" for unassigned).
    public var ownerLimit: String?
    public var controlSort: ControlSort = .ref
    /// The Risks pane and heat map show residual scores (after treatment) instead of inherent ones.
    public var riskResidual = false
    public var toast: Toast?
    public var size: ScreenSize
    public var unicode = true
    public var readOnly = false
    public var themeName = "default"
    public var shouldQuit = false
    /// Rows marked with Space in Controls and Gaps, by reference; edits apply to all of them.
    public var marked: [Pane: Set<String>] = [:]
    public var history = UndoHistory()
    /// The dashboard's trend, loaded when it opens.
    public var trend: [TrendSample] = []
    /// The change token of the snapshot on screen; edits are checked against it.
    public var baseline: Int64 = 0
    /// The agenda line an edit was started from: closing or applying it returns there.
    public var agendaReturn: Int?
    /// The last change of the selected item, loaded on demand for the detail strip.
    public var detailChange: ChangeRecord?

    // Rows of each pane, recomputed only when what they depend on changes.
    public internal(set) var criteriaRows: [CriteriaRow] = []
    public internal(set) var controlRows: [Int] = []
    /// What `controlRows` were built from; a filter typed one more letter narrows them.
    var controlRowsBasis: ControlRowsBasis?
    public internal(set) var ownerRows: [OwnerRow] = []
    /// The Gaps pane's rows as keys, in order: whole gaps are read for the rows on screen.
    public internal(set) var gapKeys: [GapKey] = []
    /// How many of `gapKeys` are open (they come first): counted when the rows are rebuilt,
    /// not on every frame.
    public internal(set) var openGapRowCount = 0
    /// The longest reference among them (at least 5), so titles line up: measured when the
    /// rows are rebuilt, from the keys, never from whole gaps.
    public internal(set) var gapRefWidth = 5

    public init(snapshot: WorkspaceSnapshot, size: (width: Int, height: Int)) {
        index = WorkspaceIndex(snapshot)
        baseline = snapshot.changeToken
        self.size = ScreenSize(width: size.width, height: size.height)
        readOnly = snapshot.readOnly
        // Start with in-scope categories open, out-of-scope ones folded.
        for root in index.roots where index.isInScope(root) {
            expanded.insert(root.ref)
            for series in index.children[root.ref] ?? [] where series.kind == .series { expanded.insert(series.ref) }
        }
        rebuildAllRows()
    }

    public var snapshot: WorkspaceSnapshot { index.snapshot }

    public func pane(_ pane: Pane) -> PaneState { panes[pane] ?? PaneState() }

    // MARK: - Selected items

    public var selectedCriteriaRow: CriteriaRow? {
        let i = pane(.criteria).selection
        return criteriaRows.indices.contains(i) ? criteriaRows[i] : nil
    }

    /// The line of the control selected in the Controls pane.
    public var selectedControlLine: ControlLine? {
        let i = pane(.controls).selection
        return controlRows.indices.contains(i) ? snapshot.controls[controlRows[i]] : nil
    }

    /// The whole control selected (description, evidence hint, justification), read with the
    /// page of rows around it on first use.
    public var selectedControl: Control? {
        snapshot.controlRows.control(pane(.controls).selection, count: controlRows.count) { snapshot.controls[controlRows[$0]].ref }
    }

    public var selectedGap: Gap? { gap(at: pane(.gaps).selection) }

    /// The gap on row `row` of the Gaps pane, read with the window around it on first use.
    public func gap(at row: Int) -> Gap? { snapshot.gapRows.gap(gapKeys, row) }

    public var selectedOwnerRow: OwnerRow? {
        let i = pane(.owners).selection
        return ownerRows.indices.contains(i) ? ownerRows[i] : nil
    }

    /// The criterion refs the Controls pane is limited to, or nil for all controls.
    public var controlsCriterionScope: [String]? {
        guard criteriaDrivesControls, let row = selectedCriteriaRow else { return nil }
        return index.criteria(under: row.ref)
    }
}

/// What the Controls pane's rows were built from. Rows built for a filter hold every row a
/// longer filter could match (the query's letters must appear in order, so adding letters only
/// removes rows), already in the pane's order: typing one more letter filters these rows
/// alone instead of every control, and sorts nothing.
struct ControlRowsBasis: Equatable, Sendable {
    var criteria: [String]?
    var owner: String?
    var sort: ControlSort
    var filter: String

    /// Whether rows built on `self` contain, in order, every row `next` shows.
    func narrows(to next: ControlRowsBasis) -> Bool {
        criteria == next.criteria && owner == next.owner && sort == next.sort && next.filter.hasPrefix(filter)
    }
}
