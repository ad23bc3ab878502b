import TerminalUI

/// Resolves theme tokens to styles for the terminal's colour depth, each token once per frame:
/// a frame asks for a few dozen tokens hundreds of times, and resolving one walks the token's
/// parents and maps both its colours to the depth (a search of the 256-colour palette).
struct Styles {
    let theme: Theme
    let depth: ColorDepth
    private let memo = Memo()

    init(theme: Theme, depth: ColorDepth) { self.theme = theme; self.depth = depth }

    func callAsFunction(_ token: String) -> Style {
        if let style = memo.styles[token] { return style }
        let style = theme.style(token, depth: depth)
        memo.styles[token] = style
        return style
    }

    /// One frame's resolved tokens; the frame is drawn on one thread and this dies with it.
    private final class Memo {
        var styles: [String: Style] = [:]
    }
}
