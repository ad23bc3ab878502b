/// A short list of actions. Items may have a one-key accelerator, and an item that cannot be
/// used right now stays listed with the reason, so the user learns why instead of wondering
/// where it went.
public struct Menu: Equatable, Sendable {
    public struct Item: Equatable, Sendable {
        public var label: String
        /// Chooses the item directly when typed.
        public var key: Character?
        /// Why the item cannot be chosen now; nil when it can.
        public var disabledReason: String?

        public init(_ label: String, key: Character? = nil, disabledReason: String? = nil) {
            self.label = label; self.key = key; self.disabledReason = disabledReason
        }

        public var isEnabled: Bool { disabledReason == nil }
    }

    public enum Outcome: Equatable, Sendable {
        case handled, ignored, cancelled
        case chosen(Int)
        /// A disabled item was asked for; the reason to show.
        case refused(String)
    }

    public var items: [Item]
    public var scroll: ScrollState

    public init(items: [Item], selection: Int = 0) {
        self.items = items
        scroll = ScrollState(selection: selection, count: items.count).clamped()
    }

    /// The reason the selected item is disabled, for a hint line; nil when it is usable.
    public var selectedReason: String? {
        items.indices.contains(scroll.selection) ? items[scroll.selection].disabledReason : nil
    }

    /// Keys for a menu `height` rows tall. Arrows only move (letters are accelerators); Enter
    /// or an accelerator chooses; Esc cancels.
    @discardableResult
    public mutating func handle(_ key: Key, height: Int) -> Outcome {
        var state = scroll
        state.count = items.count
        switch key {
        case .up, .ctrl("p"): scroll = state.move(by: -1, height: height)
        case .down, .ctrl("n"): scroll = state.move(by: 1, height: height)
        case .pageUp: scroll = state.pageUp(height: height)
        case .pageDown: scroll = state.pageDown(height: height)
        case .home: scroll = state.home()
        case .end: scroll = state.end(height: height)
        case .escape: return .cancelled
        case .enter:
            guard items.indices.contains(state.clamped().selection) else { return .handled }
            return choose(state.clamped().selection)
        case .char(let c):
            guard let index = items.firstIndex(where: { $0.key == c }) else { return .ignored }
            scroll = ScrollState(selection: index, offset: state.offset, count: items.count).ensureVisible(height: height)
            return choose(index)
        default:
            return .ignored
        }
        return .handled
    }

    private func choose(_ index: Int) -> Outcome {
        items[index].disabledReason.map { .refused($0) } ?? .chosen(index)
    }

    /// The rows as drawn: the accelerator (a blank column when an item has none but others
    /// do, so labels line up), the label, and for a disabled item its reason in brackets.
    public func rows(keyStyle: Style = Style(attributes: [.bold]), disabledStyle: Style = Style(attributes: [.dim])) -> [ListView.Row] {
        let hasKeys = items.contains { $0.key != nil }
        return items.map { item in
            var spans: [ListView.Span] = []
            if hasKeys {
                let key = item.key.map { String($0) } ?? " "
                spans.append(ListView.Span(TextWidth.pad(key, to: 1), style: item.isEnabled ? keyStyle : disabledStyle))
                spans.append(ListView.Span(" "))
            }
            if let reason = item.disabledReason {
                spans.append(ListView.Span(item.label + " (" + reason + ")", style: disabledStyle))
            } else {
                spans.append(ListView.Span(item.label))
            }
            return ListView.Row(spans: spans)
        }
    }

    /// Draws the items into `rect` through `list` (styles, scroll bar).
    @discardableResult
    public func render(
        into buffer: inout ScreenBuffer, rect: Rect, keyStyle: Style = Style(attributes: [.bold]),
        disabledStyle: Style = Style(attributes: [.dim]), list: ListView = ListView(rows: [])
    ) -> ScrollState {
        var view = list
        view.rows = rows(keyStyle: keyStyle, disabledStyle: disabledStyle)
        return view.render(into: &buffer, rect: rect, scroll: scroll)
    }
}
