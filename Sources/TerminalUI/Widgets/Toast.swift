/// A one-line message that fades after a number of idle ticks: feedback that needs no answer.
/// Named `ToastMessage` so it does not clash with an application's own `Toast` type in files
/// that import both modules.
public struct ToastMessage: Equatable, Sendable {
    public enum Kind: Equatable, Hashable, Sendable {
        case info, success, error
    }

    public var text: String
    public var kind: Kind
    /// Idle ticks left before it goes.
    public var ticksLeft: Int

    public init(_ text: String, kind: Kind = .info, ticks: Int = 3) {
        self.text = text; self.kind = kind; ticksLeft = ticks
    }

    public var isExpired: Bool { ticksLeft <= 0 }

    /// The message after one idle tick, or nil once it has run out, so a caller writes
    /// `toast = toast?.ticked()`.
    public func ticked() -> ToastMessage? {
        var next = self
        next.ticksLeft -= 1
        return next.isExpired ? nil : next
    }

    /// Styles that keep the kinds apart without colour (errors must not look like success).
    public static func defaultStyle(_ kind: Kind) -> Style {
        switch kind {
        case .info: return .plain
        case .success: return Style(attributes: [.bold])
        case .error: return Style(attributes: [.bold, .underline])
        }
    }

    /// Fills the first line of `rect` and writes `prefix` and the text, newlines flattened and
    /// cut with `ellipsis` to the width.
    public func render(into buffer: inout ScreenBuffer, rect: Rect, style: Style? = nil, prefix: String = "", ellipsis: String = "…") {
        guard !rect.isEmpty else { return }
        let style = style ?? ToastMessage.defaultStyle(kind)
        let line = Rect(x: rect.x, y: rect.y, width: rect.width, height: 1)
        buffer.fill(line, with: Cell(" ", style: style))
        let flat = String((prefix + text).map { $0.isNewline ? " " : $0 })
        buffer.write(TextWidth.truncate(flat, to: rect.width, ellipsis: ellipsis), x: rect.x, y: rect.y, style: style, maxWidth: rect.width)
    }
}
