import TerminalUI

/// A command's stable name. Panes declare their own beside the shared ones below.
public struct CommandID: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let up = CommandID("up"), down = CommandID("down"), top = CommandID("top"), bottom = CommandID("bottom")
    public static let pageUp = CommandID("pageUp"), pageDown = CommandID("pageDown")
    public static let nextPane = CommandID("nextPane"), previousPane = CommandID("previousPane")
    public static let nextSet = CommandID("nextSet"), previousSet = CommandID("previousSet")
    public static let focusCriteria = CommandID("focusCriteria"), focusControls = CommandID("focusControls")
    public static let focusOwners = CommandID("focusOwners"), focusGaps = CommandID("focusGaps"), focusFrameworks = CommandID("focusFrameworks")
    public static let focusEvidence = CommandID("focusEvidence")
    public static let open = CommandID("open"), collapse = CommandID("collapse"), expand = CommandID("expand")
    public static let filter = CommandID("filter"), nextMatch = CommandID("nextMatch"), previousMatch = CommandID("previousMatch")
    public static let back = CommandID("back")
    public static let sortControls = CommandID("sortControls"), toggleCriterionLink = CommandID("toggleCriterionLink")
    public static let palette = CommandID("palette"), help = CommandID("help"), redraw = CommandID("redraw")
    public static let suspend = CommandID("suspend"), quit = CommandID("quit")
    public static let themeDefault = CommandID("themeDefault"), themeLight = CommandID("themeLight")
    public static let themeHighContrast = CommandID("themeHighContrast"), themeColorblind = CommandID("themeColorblind")
    public static let assign = CommandID("assign"), assignBackup = CommandID("assignBackup"), setStatus = CommandID("setStatus")
    public static let newGap = CommandID("newGap"), edit = CommandID("edit"), remediate = CommandID("remediate")
    public static let acceptRisk = CommandID("acceptRisk"), mark = CommandID("mark"), undo = CommandID("undo"), redo = CommandID("redo")
    public static let meetingStart = CommandID("meetingStart"), meetingEnd = CommandID("meetingEnd"), agenda = CommandID("agenda")
    public static let dashboard = CommandID("dashboard"), derive = CommandID("derive"), target = CommandID("target")
    public static let addEvidence = CommandID("addEvidence"), acceptEvidence = CommandID("acceptEvidence")
    public static let rejectEvidence = CommandID("rejectEvidence")

    /// Commands that change the workspace (refused with --readonly).
    var isEdit: Bool { Self.edits.contains(self) }
    private static let edits: Set<CommandID> = [
        .assign, .assignBackup, .setStatus, .newGap, .edit, .remediate, .acceptRisk, .mark,
        .undo, .redo, .meetingStart, .meetingEnd, .derive, .target,
        .addEvidence, .acceptEvidence, .rejectEvidence, .reviewRisk, .reviewVendor, .runCollectors,
    ]

    /// Why an edit cannot run on a read-only screen: one wording for every path.
    static let readOnlyReason = "read-only: this workbench was opened with --readonly, so editing is off"
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
    /// What the command does, when its pane declares it; the shared commands run in `run`.
    var handler: (@Sendable (inout AppState) -> [Effect])?
    /// Why the command cannot run now (shown when its key is pressed), or nil when it can.
    var disabledReason: (@Sendable (AppState) -> String?)?

    init(
        id: CommandID, title: String, keys: [Key], hint: String?, section: String, panes: Set<Pane>? = nil,
        handler: (@Sendable (inout AppState) -> [Effect])? = nil, disabledReason: (@Sendable (AppState) -> String?)? = nil
    ) {
        self.id = id; self.title = title; self.keys = keys; self.hint = hint; self.section = section; self.panes = panes
        self.handler = handler; self.disabledReason = disabledReason
    }

    public var keyLabel: String { keys.map(KeyNames.label).joined(separator: "/") }

    /// Why it cannot run now: its own reason, or read-only for an edit.
    func whyDisabled(_ state: AppState) -> String? {
        if state.readOnly && id.isEdit && id != .agenda {
            return CommandID.readOnlyReason
        }
        return disabledReason?(state)
    }
}

public enum CommandRegistry {
    public static let sections = [
        "Move", "Panes", "Criteria", "Controls", "Owners", "Frameworks", "Evidence", "Risks", "Vendors", "Edit", "Meeting", "Filter", "View", "App",
    ]

    /// Every command: the shared ones, then each pane's own.
    public static let all: [Command] = PaneRegistry.all.flatMap(\.bindings) + shared

    static let shared: [Command] = [
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
        Command(id: .focusFrameworks, title: "Focus Frameworks (the frameworks set)", keys: [.char("5")], hint: nil, section: "Panes"),
        Command(id: .focusEvidence, title: "Focus Evidence (the Type II set)", keys: [.char("6")], hint: nil, section: "Panes"),
        Command(
            id: .nextSet, title: "Next pane set (Readiness, Frameworks, Type II, Programme, Vendors)", keys: [.char("]")], hint: nil, section: "Panes"
        ),
        Command(id: .previousSet, title: "Previous pane set", keys: [.char("[")], hint: nil, section: "Panes"),
        Command(
            id: .assign, title: "Assign an owner (fuzzy picker; a new name creates the owner)", keys: [.char("a")], hint: "assign",
            section: "Edit", panes: [.controls, .gaps]),
        Command(id: .assignBackup, title: "Set the backup owner", keys: [.char("A")], hint: nil, section: "Edit", panes: [.controls]),
        Command(id: .setStatus, title: "Set the control's status", keys: [.char("s")], hint: "status", section: "Edit", panes: [.controls]),
        Command(
            id: .newGap, title: "Open a new gap on the selected criterion or control", keys: [.char("n")], hint: "new gap",
            section: "Edit", panes: [.criteria, .controls, .gaps]),
        Command(
            id: .remediate, title: "Mark the gap remediated (with a note); on a closed gap, reopen it", keys: [.char("r")],
            hint: "remediate", section: "Edit", panes: [.gaps]),
        Command(
            id: .acceptRisk, title: "Accept the gap's risk (with a justification)", keys: [.char("x")], hint: "accept", section: "Edit",
            panes: [.gaps]),
        Command(id: .edit, title: "Edit the selected gap or control", keys: [.char("e")], hint: "edit", section: "Edit", panes: [.controls, .gaps]),
        Command(
            id: .mark, title: "Mark the row; a, s and r then apply to every marked row", keys: [.char(" ")], hint: "mark",
            section: "Edit", panes: [.controls, .gaps]),
        Command(id: .undo, title: "Undo your last change (recorded, never erased)", keys: [.char("z")], hint: "undo", section: "Edit"),
        Command(id: .redo, title: "Redo", keys: [.char("Z")], hint: nil, section: "Edit"),
        Command(id: .meetingStart, title: "Meeting: start (every change then belongs to it)", keys: [], hint: nil, section: "Meeting"),
        Command(id: .meetingEnd, title: "Meeting: end", keys: [], hint: nil, section: "Meeting"),
        Command(
            id: .agenda, title: "Agenda: unowned controls, overdue gaps, uncovered criteria, missing evidence", keys: [], hint: nil,
            section: "Meeting"),
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

extension CommandRegistry {
    /// The README's key table, generated from the registry (a test keeps the README equal to it).
    public static func markdownKeyTable() -> String {
        var out = "| keys | where | what they do |\n| --- | --- | --- |\n"
        for section in sections {
            for command in all where command.section == section {
                let keys = command.keys.isEmpty ? "`:` palette" : command.keys.map { "`\(KeyNames.label($0))`" }.joined(separator: " ")
                let panes = command.panes.map { $0.sorted().map(\.title).joined(separator: ", ") } ?? "any"
                out += "| \(keys) | \(panes) | \(command.title.replacingOccurrences(of: "|", with: "\\|")) |\n"
            }
        }
        return out
    }
}
