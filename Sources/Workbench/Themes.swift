import Foundation
import TerminalUI

/// Finds themes by name: the user's folder first, then the themes built into the binary.
public enum ThemeCatalog {
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
        return (Theme.builtInDefault, "unknown theme '\(name)' (built in: \(known); yours go in \(userFolder)); using the default theme")
    }

    private static func parse(_ text: String, path: String) -> (theme: Theme, warning: String?) {
        do {
            return (try ThemeLoader.load(yaml: text, path: path), nil)
        } catch {
            return (Theme.builtInDefault, "\(error); using the default theme")
        }
    }
}
