import AssureModel
import TerminalUI

/// A pane of the workbench, named by the number key that focuses it.
public struct Pane: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }

    public static let criteria = Pane(1), controls = Pane(2), owners = Pane(3), gaps = Pane(4)

    /// Every registered pane, in key order.
    public static var allCases: [Pane] { PaneRegistry.all.map(\.pane) }
    public var definition: PaneDefinition { PaneRegistry.definition(self) }
    public var title: String { definition.title }
    /// The number key that focuses it: 1 to 9, then 0 for the tenth.
    public var key: Int { rawValue % 10 }
    public var description: String { title }
    public static func < (a: Pane, b: Pane) -> Bool { a.rawValue < b.rawValue }
}

/// One pane, declared as data (in the manner of lazygit's controllers): its title, its rows
/// (counted, keyed, drawn one visible row at a time), its columns, its detail strip and its
/// key bindings.
/// The reducer, the view, the hint bar, help and the palette all read it from `PaneRegistry`;
/// adding a pane is one file that declares a `PaneDefinition` and one line in the registry.
public struct PaneDefinition: Sendable {
    public var pane: Pane
    public var title: String
    /// The pane set it belongs to.
    public var set: PaneSetID
    /// Recomputes the rows after the snapshot, a filter or a limit changed.
    var rebuild: @Sendable (inout AppState) -> Void
    var rowCount: @Sendable (AppState) -> Int
    /// A stable key for a row (the reference it shows), to keep a selection across rebuilds.
    var rowKey: @Sendable (AppState, Int) -> String?
    /// Draws a row itself: panes whose rows are not a table (a tree, a timeline, a grid).
    var drawRow: (@Sendable (inout ScreenBuffer, AppState, Int, Rect, Styles, Glyphs) -> Void)? = nil
    /// Or declares columns and each row's cells, laid out by `drawColumns`.
    var columns: [PaneColumn] = []
    var cells: (@Sendable (AppState, Int, Glyphs) -> [PaneCell])? = nil
    /// Text after the title: "· CC6.1 (7)", "· open 23".
    var titleSuffix: @Sendable (AppState, Glyphs) -> String = { _, _ in "" }
    var emptyText: @Sendable (AppState) -> String
    /// The detail strip for the selected row.
    var detail: @Sendable (AppState, Glyphs) -> [String]
    /// The change-log entity whose last change the detail strip shows, for the selected row.
    var detailEntity: @Sendable (AppState) -> (entity: String, ref: String)? = { _ in nil }
    /// Keys that apply only in this pane.
    var bindings: [Command] = []
    /// Reads ahead (on another thread) the whole rows the next keys are likely to show; called
    /// after each frame for the panes on screen.
    var readAhead: (@Sendable (AppState) -> Void)? = nil
}

/// Panes are shown in sets that share the screen: the readiness set (requirements, controls,
/// owners, gaps) and the sets added after it. `[` and `]` move between sets.
public enum PaneSetID: String, CaseIterable, Sendable {
    case readiness, frameworks, typeII, programme, vendors

    public var title: String {
        switch self {
        case .readiness: return "Readiness"
        case .frameworks: return "Frameworks"
        case .typeII: return "Type II"
        case .programme: return "Programme"
        case .vendors: return "Vendors"
        }
    }
}

public enum PaneRegistry {
    /// The registration: one line per pane, in key order.
    public static let all: [PaneDefinition] = [
        .criteriaPane, .controlsPane, .ownersPane, .gapsPane, .frameworksPane, .evidencePane, .risksPane, .heatMapPane, .policiesPane, .vendorsPane,
    ]

    public static func definition(_ pane: Pane) -> PaneDefinition {
        all.first { $0.pane == pane } ?? all[0]
    }

    public static func panes(in set: PaneSetID) -> [Pane] { all.filter { $0.set == set }.map(\.pane) }
}

extension AppState {
    public func rowCount(_ pane: Pane) -> Int { pane.definition.rowCount(self) }

    /// The panes of the set on screen.
    public var visiblePanes: [Pane] { PaneRegistry.panes(in: paneSet) }

    /// Rows of a pane that keep plain indices (panes added after the first release keep theirs here).
    func rows(_ pane: Pane) -> [Int] { extraRows[pane] ?? [] }
}
