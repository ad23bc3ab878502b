/// Semantic style tokens resolved from a theme file. Views ask for a token (`row.selected`),
/// never for a colour, so themes and the monochrome mode change everything. The application
/// names its tokens and their monochrome attributes; this toolkit knows none of them.
public struct Theme: Sendable {
    public var name: String
    public var description: String
    /// Styles at full colour, by token.
    public var tokens: [String: Style]
    /// Attributes by token for a terminal without colour, so states stay apart in bold,
    /// reverse, underline and dim.
    public var monochromeTable: [String: Attributes]

    public init(name: String, description: String = "", tokens: [String: Style], monochrome: [String: Attributes] = [:]) {
        self.name = name; self.description = description; self.tokens = tokens; self.monochromeTable = monochrome
    }

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
        if depth == .monochrome { return Style(attributes: monochrome(token)) }
        var style = resolve(token)
        style.foreground = ColorProfile.reduce(style.foreground, to: depth)
        style.background = ColorProfile.reduce(style.background, to: depth)
        return style
    }

    /// The token's monochrome attributes, else its parents', else none.
    public func monochrome(_ token: String) -> Attributes {
        var key = token
        while true {
            if let attributes = monochromeTable[key] { return attributes }
            guard let dot = key.lastIndex(of: ".") else { return [] }
            key = String(key[..<dot])
        }
    }
}
