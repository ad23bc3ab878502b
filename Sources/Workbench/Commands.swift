import TerminalUI

public enum CommandID: String, CaseIterable, Sendable {
    case up, down, top, bottom, pageUp, pageDown
    case nextPane, previousPane, focusCriteria, focusControls, focusOwners, focusGaps
    case open, collapse, expand
    case filter, nextMatch, previousMatch, back
    case sortControls, toggleCriterionLink
    case palette, help, redraw, suspend, quit
    case themeDefault, themeLight, themeHighContrast, themeColorblind
    case assign, assignBackup, setStatus, newGap, edit, remediate, acceptRisk, mark, undo, redo
    case meetingStart, meetingEnd, agenda, dashboard, derive, target

    /// Commands that change the workspace (refused with --readonly).
    var isEdit: Bool {
        [.assign, .assignBackup, .setStatus, .newGap, .edit, .remediate, .acceptRisk, .mark, .undo, .redo,
         .meetingStart, .meetingEnd, .derive, .target].contains(self)
    }
}

/// One entry of the command registry. The registry drives key dispatch, the hint bar, the
/// help overlay and the palette, so the four can never disagree.
public struct Command: Sendable {
    public var id: CommandID
    public var title: String
    public var keys: [Key]
    /// Short label for the hint bar; nil keeps the command out of it.
    public var hint: String?
    public var section: String
    /// Panes where the command applies; nil means everywhere.
    public var panes: Set<Pane>?

    public var keyLabel: String { keys.map(KeyNames.label).joined(separator: "/") }
}

public enum CommandRegistry {
    public static let sections = ["Move", "Panes", "Criteria", "Controls", "Owners", "Edit", "Meeting", "Filter", "View", "App"]

    public static let all: [Command] = [
        Command(id: .down, title: "Move down", keys: [.char("j"), .down], hint: nil, section: "Move"),
        Command(id: .up, title: "Move up", keys: [.char("k"), .up], hint: nil, section: "Move"),
        Command(id: .top, title: "Go to the first row", keys: [.char("g"), .home], hint: nil, section: "Move"),
        Command(id: .bottom, title: "Go to the last row", keys: [.char("G"), .end], hint: nil, section: "Move"),
        Command(id: .pageDown, title: "Page down", keys: [.pageDown, .ctrl("d")], hint: nil, section: "Move"),
        Command(id: .pageUp, title: "Page up", keys: [.pageUp, .ctrl("u")], hint: nil, section: "Move"),
        Command(id: .nextPane, title: "Next pane", keys: [.tab], hint: nil, section: "Panes"),
        Command(id: .previousPane, title: "Previous pane", keys: [.backTab], hint: nil, section: "Panes"),
        Command(id: .focusCriteria, title: "Focus Criteria", keys: [.char("1")], hint: nil, section: "Panes"),
        Command(id: .focusControls, title: "Focus Controls", keys: [.char("2")], hint: nil, section: "Panes"),
        Command(id: .focusOwners, title: "Focus Owners", keys: [.char("3")], hint: nil, section: "Panes"),
        Command(id: .focusGaps, title: "Focus Gaps", keys: [.char("4")], hint: nil, section: "Panes"),
        Command(id: .open, title: "Fold or unfold; on a criterion, show its controls", keys: [.enter, .char(" ")], hint: "fold/open",
                section: "Criteria", panes: [.criteria]),
        Command(id: .collapse, title: "Fold the category or series", keys: [.char("h"), .left], hint: nil, section: "Criteria", panes: [.criteria]),
        Command(id: .expand, title: "Unfold the category or series", keys: [.char("l"), .right], hint: nil, section: "Criteria", panes: [.criteria]),
        Command(id: .toggleCriterionLink, title: "Show all controls / only the selected criterion's", keys: [.char("t")], hint: "all/linked",
                section: "Controls", panes: [.criteria, .controls]),
        Command(id: .sortControls, title: "Sort controls by reference, status or owner", keys: [.char("o")], hint: "sort",
                section: "Controls", panes: [.controls]),
        Command(id: .open, title: "Limit Controls and Gaps to this owner (again to clear)", keys: [.enter], hint: "limit",
                section: "Owners", panes: [.owners]),
        Command(id: .assign, title: "Assign an owner (fuzzy picker; a new name creates the owner)", keys: [.char("a")], hint: "assign",
                section: "Edit", panes: [.controls, .gaps]),
        Command(id: .assignBackup, title: "Set the backup owner", keys: [.char("A")], hint: nil, section: "Edit", panes: [.controls]),
        Command(id: .setStatus, title: "Set the control's status", keys: [.char("s")], hint: "status", section: "Edit", panes: [.controls]),
        Command(id: .newGap, title: "Open a new gap on the selected criterion or control", keys: [.char("n")], hint: "new gap",
                section: "Edit", panes: [.criteria, .controls, .gaps]),
        Command(id: .remediate, title: "Mark the gap remediated (with a note); on a closed gap, reopen it", keys: [.char("r")],
                hint: "remediate", section: "Edit", panes: [.gaps]),
        Command(id: .acceptRisk, title: "Accept the gap's risk (with a justification)", keys: [.char("x")], hint: "accept", section: "Edit", panes: [.gaps]),
        Command(id: .edit, title: "Edit the selected gap or control", keys: [.char("e")], hint: "edit", section: "Edit", panes: [.controls, .gaps]),
        Command(id: .mark, title: "Mark the row; a, s and r then apply to every marked row", keys: [.char(" ")], hint: "mark",
                section: "Edit", panes: [.controls, .gaps]),
        Command(id: .undo, title: "Undo your last change (recorded, never erased)", keys: [.char("z")], hint: "undo", section: "Edit"),
        Command(id: .redo, title: "Redo", keys: [.char("Z")], hint: nil, section: "Edit"),
        Command(id: .meetingStart, title: "Meeting: start (every change then belongs to it)", keys: [], hint: nil, section: "Meeting"),
        Command(id: .meetingEnd, title: "Meeting: end", keys: [], hint: nil, section: "Meeting"),
        Command(id: .agenda, title: "Agenda: unowned controls, overdue gaps, uncovered criteria", keys: [], hint: nil, section: "Meeting"),
        Command(id: .dashboard, title: "Dashboard: readiness, gaps by severity, owners' load, trend", keys: [.char("D")], hint: nil, section: "View"),
        Command(id: .derive, title: "Derive gaps for what is missing (shows them, creates on Enter)", keys: [], hint: nil, section: "Edit"),
        Command(id: .target, title: "Target audit: type, window start and length (e.g. 2 2027-03-01 6m)", keys: [], hint: nil, section: "Edit"),
        Command(id: .filter, title: "Filter the pane as you type (fuzzy: ref, title, owner)", keys: [.char("/")], hint: "filter", section: "Filter"),
        Command(id: .nextMatch, title: "Next match (while a filter is set)", keys: [.char("n")], hint: nil, section: "Filter"),
        Command(id: .previousMatch, title: "Previous match (while a filter is set)", keys: [.char("N")], hint: nil, section: "Filter"),
        Command(id: .back, title: "Clear the filter, then the owner limit (never quits)", keys: [.escape], hint: nil, section: "Filter"),
        Command(id: .palette, title: "Command palette", keys: [.char(":"), .ctrl("p")], hint: "commands", section: "App"),
        Command(id: .help, title: "Help: every key", keys: [.char("?"), .function(1)], hint: "help", section: "App"),
        Command(id: .redraw, title: "Redraw the screen", keys: [.ctrl("l")], hint: nil, section: "View"),
        Command(id: .themeDefault, title: "Theme: default (dark)", keys: [], hint: nil, section: "View"),
        Command(id: .themeLight, title: "Theme: light", keys: [], hint: nil, section: "View"),
        Command(id: .themeHighContrast, title: "Theme: high contrast", keys: [], hint: nil, section: "View"),
        Command(id: .themeColorblind, title: "Theme: colour-blind safe", keys: [], hint: nil, section: "View"),
        Command(id: .suspend, title: "Suspend to the shell (fg to return)", keys: [.ctrl("z")], hint: nil, section: "App"),
        Command(id: .quit, title: "Quit", keys: [.char("q"), .ctrl("c"), .function(10)], hint: "quit", section: "App"),
    ]

    /// The command a key runs in a pane, in normal mode. `n` and `N` step through matches only
    /// while the pane has a filter; otherwise `n` opens a new gap.
    public static func command(for key: Key, in pane: Pane, filtering: Bool = false) -> Command? {
        all.first {
            $0.keys.contains(key) && ($0.panes == nil || $0.panes!.contains(pane))
                && (filtering || ($0.id != .nextMatch && $0.id != .previousMatch))
                && !(filtering && $0.id == .newGap)
        }
    }

    /// Commands shown in the hint bar for a pane, in registry order.
    public static func hints(for pane: Pane) -> [Command] {
        all.filter { $0.hint != nil && ($0.panes == nil || $0.panes!.contains(pane)) }
    }

    /// Commands offered by the palette: one entry per command id, everything that has a title.
    public static var paletteEntries: [Command] {
        var seen = Set<String>()
        return all.filter { seen.insert($0.id.rawValue + $0.title).inserted }
    }
}
