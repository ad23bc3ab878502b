import AssureModel
import Foundation

/// Command-line text that may end up in the workspace (titles, names, notes, `--as`) is held
/// to `StoredText`'s rule before any command runs: a control character is refused, naming the
/// argument. Tab and line breaks are allowed only in the texts that may span lines.
enum ArgumentText {
    /// Options whose value may span lines.
    static let multiline: Set<String> = ["--description", "--note", "--justification"]
    /// Options that take no value, so the word after one is not its value.
    static let flags: Set<String> = [
        "--in-scope", "--in", "--out", "--include", "--exclude", "--no-color", "--no-mouse", "--readonly", "--print-path",
        "--list", "--yes", "--unowned", "--team", "--dry-run", "--create-owners", "--help", "-h", "--version",
    ]

    static func check(_ arguments: [String], environment: [String: String]) throws {
        var previousOption: String?
        for (index, argument) in arguments.enumerated() {
            var option: String?
            var value = argument
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                option = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            } else if let previousOption {
                option = previousOption
            }
            let isMultiline = option.map(multiline.contains) ?? false
            if let problem = StoredText.firstProblem(in: value, multiline: isMultiline) {
                let name = option ?? "argument \(index + 1) ('\(shown(value))')"
                throw CLIError("\(name): \(problem.description), at character \(problem.position)")
            }
            // The next word is this option's value when this is an option that takes one.
            previousOption =
                argument.hasPrefix("-") && argument != "--" && !argument.contains("=") && !flags.contains(argument)
                    && Double(argument) == nil ? argument : nil
        }
        if let user = environment["ASSURE_USER"], let problem = StoredText.firstProblem(in: user, multiline: false) {
            throw CLIError("$ASSURE_USER: \(problem.description), at character \(problem.position)")
        }
    }

    /// The argument as it can be shown: control characters as '?', cut to 40 characters.
    static func shown(_ value: String) -> String {
        var text = String(String.UnicodeScalarView(value.unicodeScalars.map { StoredText.isAllowed($0, multiline: false) ? $0 : "?" }))
        if text.count > 40 { text = text.prefix(40) + "…" }
        return text
    }
}
