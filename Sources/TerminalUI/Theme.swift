/// Semantic style tokens resolved from a theme file. Views ask for `pane.border.focused` or
/// `gap.critical`, never for a colour, so themes and the monochrome mode change everything.
public struct Theme: Sendable {
    public var name: String
    public var description: String
    /// Styles at full colour, by token.
    public var tokens: [String: Style]

    public init(name: String, description: String = "", tokens: [String: Style]) {
        self.name = name; self.description = description; self.tokens = tokens
    }

    /// Every token the workbench draws with; each theme file must define them all.
    public static let requiredTokens = [
        "text", "text.dim", "pane.border", "pane.border.focused", "pane.title", "row.selected", "row.selected.unfocused",
        "row.marked", "title.bar", "hint.bar", "hint.key", "detail", "toast", "toast.error", "prompt", "match", "help.key",
        "status.implemented", "status.in-progress", "status.not-started", "status.not-applicable",
        "gap.critical", "gap.high", "gap.medium", "gap.low", "gap.overdue", "gap.closed",
        "category.out-of-scope", "bar.filled", "bar.empty", "readiness.good", "readiness.mid", "readiness.bad",
    ]

    /// The token itself, else its parents (`row.selected.unfocused` -> `row.selected`), else `text`.
    public func resolve(_ token: String) -> Style {
        var key = token
        while true {
            if let style = tokens[key] { return style }
            guard let dot = key.lastIndex(of: ".") else { return tokens["text"] ?? .plain }
            key = String(key[..<dot])
        }
    }

    /// The style for a terminal of the given depth. Monochrome ignores colours and uses the
    /// attribute table below, so selection, focus, errors and dimmed text stay distinct.
    public func style(_ token: String, depth: ColorDepth) -> Style {
        if depth == .monochrome { return Style(attributes: Theme.monochrome(token)) }
        var style = resolve(token)
        style.foreground = ColorProfile.reduce(style.foreground, to: depth)
        style.background = ColorProfile.reduce(style.background, to: depth)
        return style
    }

    static let monochromeTable: [String: Attributes] = [
        "text": [], "text.dim": [.dim], "pane.border": [], "pane.border.focused": [.bold], "pane.title": [.bold],
        "row.selected": [.reverse, .bold], "row.selected.unfocused": [.underline], "row.marked": [.bold, .underline],
        "title.bar": [.reverse], "hint.bar": [], "hint.key": [.bold], "detail": [], "toast": [.bold], "toast.error": [.bold, .underline],
        "prompt": [.underline], "match": [.underline], "help.key": [.bold],
        "status.implemented": [.bold], "status.in-progress": [], "status.not-started": [.dim], "status.not-applicable": [.dim],
        "gap.critical": [.bold, .underline], "gap.high": [.bold], "gap.medium": [], "gap.low": [.dim],
        "gap.overdue": [.bold, .underline], "gap.closed": [.dim], "category.out-of-scope": [.dim],
        "bar.filled": [.bold], "bar.empty": [.dim], "readiness.good": [.bold], "readiness.mid": [], "readiness.bad": [.underline],
    ]

    public static func monochrome(_ token: String) -> Attributes {
        var key = token
        while true {
            if let attributes = monochromeTable[key] { return attributes }
            guard let dot = key.lastIndex(of: ".") else { return [] }
            key = String(key[..<dot])
        }
    }

    /// The default theme built into the binary (themes/default.yaml), or a plain one if that
    /// file could not be read, so the screen always has something to draw with.
    public static let builtInDefault: Theme = {
        if let text = BuiltInThemes.text("default"), let theme = try? ThemeLoader.load(yaml: text, path: "themes/default.yaml") {
            return theme
        }
        return Theme(name: "default", description: "plain fallback", tokens: [
            "text": .plain, "row.selected": Style(attributes: [.reverse]), "pane.border.focused": Style(attributes: [.bold]),
        ])
    }()
}

/// The themes in `themes/`, compiled into the binary by the EmbedPlugin.
public enum BuiltInThemes {
    public static var names: [String] { EmbeddedFiles.byName.keys.map { String($0.dropLast(".yaml".count)) }.sorted() }
    public static func text(_ name: String) -> String? { EmbeddedFiles.byName["\(name).yaml"] }
}
