import TerminalUI

/// Resolves theme tokens to styles for the terminal's colour depth, once per frame.
struct Styles {
    let theme: Theme
    let depth: ColorDepth

    func callAsFunction(_ token: String) -> Style { theme.style(token, depth: depth) }
}
