import Foundation
import TerminalUI

/// The workbench's style tokens: what every theme file must define, and how each looks on a
/// terminal without colour.
public enum WorkbenchTokens {
    public static let required = [
        "text", "text.dim", "pane.border", "pane.border.focused", "pane.title", "row.selected", "row.selected.unfocused",
        "row.marked", "title.bar", "hint.bar", "hint.key", "detail", "toast", "toast.error", "prompt", "match", "help.key",
        "status.implemented", "status.in-progress", "status.not-started", "status.not-applicable",
        "gap.critical", "gap.high", "gap.medium", "gap.low", "gap.overdue", "gap.closed",
        "category.out-of-scope", "bar.filled", "bar.empty", "readiness.good", "readiness.mid", "readiness.bad",
        "evidence.evidenced", "evidence.late", "evidence.missing", "evidence.not-due",
    ]

    public static let monochrome: [String: Attributes] = [
        "text": [], "text.dim": [.dim], "pane.border": [], "pane.border.focused": [.bold], "pane.title": [.bold],
        "row.selected": [.reverse, .bold], "row.selected.unfocused": [.underline], "row.marked": [.bold, .underline],
        "title.bar": [.reverse], "hint.bar": [], "hint.key": [.bold], "detail": [], "toast": [.bold], "toast.error": [.bold, .underline],
        "prompt": [.underline], "match": [.underline], "help.key": [.bold],
        "status.implemented": [.bold], "status.in-progress": [], "status.not-started": [.dim], "status.not-applicable": [.dim],
        "gap.critical": [.bold, .underline], "gap.high": [.bold], "gap.medium": [], "gap.low": [.dim],
        "gap.overdue": [.bold, .underline], "gap.closed": [.dim], "category.out-of-scope": [.dim],
        "bar.filled": [.bold], "bar.empty": [.dim], "readiness.good": [.bold], "readiness.mid": [], "readiness.bad": [.underline],
        "evidence.evidenced": [.bold], "evidence.late": [.underline], "evidence.missing": [.bold, .underline], "evidence.not-due": [.dim],
    ]
}

/// The themes in `themes/`, compiled into the binary by the EmbedPlugin.
public enum BuiltInThemes {
    public static var names: [String] { EmbeddedFiles.byName.keys.map { String($0.dropLast(".yaml".count)) }.sorted() }
    public static func text(_ name: String) -> String? { EmbeddedFiles.byName["\(name).yaml"] }
}

/// Finds themes by name: the user's folder first, then the themes built into the binary.
public enum ThemeCatalog {
    /// The default theme built into the binary (themes/default.yaml), or a plain one if that
    /// file could not be read, so the screen always has something to draw with.
    public static let builtInDefault: Theme = {
        if let text = BuiltInThemes.text("default"), let theme = try? ThemeLoader.load(yaml: text, path: "themes/default.yaml") {
            var theme = theme
            theme.monochromeTable = WorkbenchTokens.monochrome
            return theme
        }
        return Theme(
            name: "default", description: "plain fallback",
            tokens: [
                "text": .plain, "row.selected": Style(attributes: [.reverse]), "pane.border.focused": Style(attributes: [.bold]),
            ], monochrome: WorkbenchTokens.monochrome)
    }()

    /// `$XDG_CONFIG_HOME/assure/themes`, else `~/.config/assure/themes`.
    public static var userFolder: String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.config")
        return base + "/assure/themes"
    }

    public static var builtInNames: [String] { BuiltInThemes.names }

    /// Built-in themes and the user's own, by name.
    public static var availableNames: [String] {
        let own = ((try? FileManager.default.contentsOfDirectory(atPath: userFolder)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(".yaml".count)) }
        return Array(Set(builtInNames + own)).sorted()
    }

    /// The theme called `name`, or the default with a warning naming the file, line and problem.
    public static func load(_ name: String) -> (theme: Theme, warning: String?) {
        let userPath = "\(userFolder)/\(name).yaml"
        if let text = try? String(contentsOfFile: userPath, encoding: .utf8) {
            return parse(text, path: userPath)
        }
        if let text = BuiltInThemes.text(name) {
            return parse(text, path: "themes/\(name).yaml")
        }
        let known = builtInNames.joined(separator: ", ")
        return (builtInDefault, "unknown theme '\(name)' (built in: \(known); yours go in \(userFolder)); using the default theme")
    }

    private static func parse(_ text: String, path: String) -> (theme: Theme, warning: String?) {
        do {
            var theme = try ThemeLoader.load(yaml: text, path: path)
            theme.monochromeTable = WorkbenchTokens.monochrome
            return (theme, nil)
        } catch {
            return (builtInDefault, "\(error); using the default theme")
        }
    }
}
