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
    /// The add-evidence form of a control (Evidence pane).
    case addEvidence(control: String)
    /// The note of accepting (or rejecting) an evidence item.
    case reviewEvidence(ref: String, accept: Bool)
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
        /// Allowed values, cycled with ←/→ or chosen by their first letter (empty: free text).
        public var choices: [String] = []
        /// Values to pick from by typing (a fuzzy match completes on Tab or Enter): the owners.
        public var options: [String] = []

        /// The option a picker field's text completes to, if any.
        public var completion: String? {
            let typed = field.text.trimmingCharacters(in: .whitespaces)
            guard !options.isEmpty, !typed.isEmpty else { return nil }
            if let exact = options.first(where: { $0.lowercased() == typed.lowercased() }) { return exact }
            return options.compactMap { option in Fuzzy.match(typed, in: option).map { (option, $0.score) } }
                .max { $0.1 < $1.1 }?.0
        }
    }
    public var target: EditTarget
    public var baseline: Int64
    public var title: String
    public var fields: [Field]
    public var focus = 0
    public var error: String?

    /// A picker field's typed text replaced by the option it completes to.
    mutating func complete(_ index: Int) {
        guard fields.indices.contains(index), let match = fields[index].completion else { return }
        fields[index].field = TextField(text: match)
    }

    public func value(_ label: String) -> String {
        fields.first { $0.label == label }?.field.text.trimmingCharacters(in: .whitespaces) ?? ""
    }
}

/// Undo and redo stacks of change-log batches made in this session.
public struct UndoHistory: Equatable, Sendable {
    public var undo: [Int64] = []
    public var redo: [Int64] = []
}
