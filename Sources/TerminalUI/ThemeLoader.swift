import Foundation
import Yams

/// A problem in a theme file, reported as `path:line:column: message`.
public struct ThemeError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var line: Int
    public var column: Int
    public var message: String
    public var description: String { "\(path):\(line):\(column): \(message)" }
}

/// Reads theme YAML: `name`, `description`, a `palette` of named colours and `tokens`, each
/// `{fg, bg, attrs}` naming palette entries or colours (ANSI names, 0-255, `#rrggbb`, `default`).
public enum ThemeLoader {
    public static func load(yaml: String, path: String) throws -> Theme {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else { throw ThemeError(path: path, line: 1, column: 1, message: "the theme is empty") }
            root = node
        } catch let error as YamlError {
            throw convert(error, path: path)
        }
        func fail(_ node: Node, _ message: String) -> ThemeError {
            ThemeError(path: path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, message: message)
        }
        guard let mapping = root.mapping else { throw fail(root, "a theme is a mapping with name, palette and tokens") }
        var name = ""
        var description = ""
        var palette: [String: Color] = [:]
        var tokenNodes: Node.Mapping?
        for (key, value) in mapping {
            switch key.string ?? "" {
            case "name": name = value.string ?? ""
            case "description": description = value.string ?? ""
            case "palette":
                guard let entries = value.mapping else { throw fail(value, "palette must map names to colours") }
                for (entry, colour) in entries {
                    guard let text = colour.string, let parsed = parseColor(text, palette: [:]) else {
                        throw fail(colour, "unknown colour '\(colour.string ?? "")' for palette entry '\(entry.string ?? "")'")
                    }
                    palette[entry.string ?? ""] = parsed
                }
            case "tokens":
                guard let entries = value.mapping else { throw fail(value, "tokens must map token names to styles") }
                tokenNodes = entries
            default:
                throw fail(key, "unknown field '\(key.string ?? "")' (expected name, description, palette, tokens)")
            }
        }
        var tokens: [String: Style] = [:]
        for (key, value) in tokenNodes ?? [:] {
            let token = key.string ?? ""
            guard let fields = value.mapping else { throw fail(value, "token '\(token)' must be a mapping like {fg: accent, attrs: [bold]}") }
            var style = Style()
            for (field, setting) in fields {
                switch field.string ?? "" {
                case "fg", "bg":
                    guard let text = setting.string, let colour = parseColor(text, palette: palette) else {
                        throw fail(setting, "unknown colour '\(setting.string ?? "")' in token '\(token)'")
                    }
                    if field.string == "fg" { style.foreground = colour } else { style.background = colour }
                case "attrs":
                    let names = setting.sequence.map { $0.map { $0.string ?? "" } } ?? [setting.string ?? ""]
                    for attr in names {
                        guard let parsed = attribute(attr) else {
                            throw fail(setting, "unknown attribute '\(attr)' (bold, dim, underline, reverse, italic)")
                        }
                        style.attributes.insert(parsed)
                    }
                default:
                    throw fail(field, "unknown field '\(field.string ?? "")' in token '\(token)' (fg, bg, attrs)")
                }
            }
            tokens[token] = style
        }
        if name.isEmpty { name = String(path.split(separator: "/").last?.split(separator: ".").first ?? "theme") }
        return Theme(name: name, description: description, tokens: tokens)
    }

    static let ansiNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// A colour as written in a theme, or nil.
    public static func parseColor(_ text: String, palette: [String: Color]) -> Color? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "default" || t == "none" { return .default }
        if let colour = palette[text] { return colour }
        if let i = ansiNames.firstIndex(of: t) { return .ansi(UInt8(i)) }
        if t.hasPrefix("bright"), let i = ansiNames.firstIndex(of: String(t.dropFirst(6))) { return .ansi(UInt8(i + 8)) }
        if t == "gray" || t == "grey" { return .ansi(8) }
        if let n = Int(t), (0...255).contains(n) { return n < 16 ? .ansi(UInt8(n)) : .indexed(UInt8(n)) }
        if t.hasPrefix("#"), t.count == 7, let v = UInt32(t.dropFirst(), radix: 16) {
            return .rgb(UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF))
        }
        return nil
    }

    static func attribute(_ name: String) -> Attributes? {
        switch name.lowercased() {
        case "bold": return .bold
        case "dim": return .dim
        case "underline": return .underline
        case "reverse": return .reverse
        case "italic": return .italic
        default: return nil
        }
    }

    static func convert(_ error: YamlError, path: String) -> ThemeError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return ThemeError(path: path, line: mark.line, column: mark.column, message: "YAML syntax: \(what)")
        default:
            return ThemeError(path: path, line: 1, column: 1, message: "YAML: \(error)")
        }
    }
}
