import AssureModel
import TerminalUI

/// What an open picker, menu, prompt or form is for.
public enum EditTarget: Equatable, Sendable {
    case controlOwner([String])
    case controlBackup([String])
    case gapOwner([String])
    case status([String])
    case notApplicable([String])
    case remediate([String])
    case accept([String])
    case newGap(control: String?, criterion: String?)
    case editGap(String)
    case editControl(String)
    case meetingTitle
    case target
}

/// A fuzzy list of owners; typing a name that does not exist offers to create it.
public struct OwnerPicker: Equatable, Sendable {
    public var target: EditTarget
    /// The change-log id on screen when it opened: a conflict is judged against what the person saw.
    public var baseline: Int64
    public var field = TextField(text: "")
    public var selection = 0
}

/// A short list of choices, e.g. the four control statuses.
public struct ChoiceMenu: Equatable, Sendable {
    public var target: EditTarget
    public var baseline: Int64
    public var choices: [String]
    public var selection = 0
}

/// One line of text with a question; `error` shows why the last Enter was refused.
public struct TextPrompt: Equatable, Sendable {
    public var target: EditTarget
    public var baseline: Int64
    public var question: String
    public var field = TextField(text: "")
    public var error: String?
}

/// A small form: labelled fields, Tab between them, Enter on the last (or ctrl-s) submits.
public struct EditForm: Equatable, Sendable {
    public struct Field: Equatable, Sendable {
        public var label: String
        public var field: TextField
        /// Allowed values, cycled with ←/→ (empty: free text).
        public var choices: [String] = []
    }
    public var target: EditTarget
    public var baseline: Int64
    public var title: String
    public var fields: [Field]
    public var focus = 0
    public var error: String?

    public func value(_ label: String) -> String {
        fields.first { $0.label == label }?.field.text.trimmingCharacters(in: .whitespaces) ?? ""
    }
}

/// Undo and redo stacks of change-log batches made in this session.
public struct UndoHistory: Equatable, Sendable {
    public var undo: [Int64] = []
    public var redo: [Int64] = []
}
