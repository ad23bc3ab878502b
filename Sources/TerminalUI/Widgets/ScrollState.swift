/// Where a list's cursor is and which rows are on screen. A pure value: every method returns a
/// new state, so key handling and rendering are tested without a terminal and a view can never
/// leave the selection off screen by forgetting a step.
public struct ScrollState: Equatable, Sendable {
    /// The selected row, 0..<count (0 when the list is empty).
    public var selection: Int
    /// The first row on screen.
    public var offset: Int
    /// How many rows the list has.
    public var count: Int

    public init(selection: Int = 0, offset: Int = 0, count: Int = 0) {
        self.selection = selection; self.offset = offset; self.count = count
    }

    /// Selection and offset pulled back inside the list. Lists shrink under a filter or a
    /// deletion, so a stale selection must land on the last row rather than past it.
    public func clamped() -> ScrollState {
        let count = max(0, self.count)
        let last = max(0, count - 1)
        return ScrollState(selection: min(max(0, selection), last), offset: min(max(0, offset), last), count: count)
    }

    /// Moves the offset as little as possible so the selection is inside
    /// [offset, offset + height), and never leaves blank rows under the last one when the
    /// list could fill the view.
    public func ensureVisible(height: Int) -> ScrollState {
        var state = clamped()
        // A view with no rows still "shows" its selection, so the arithmetic stays sane.
        let height = max(1, height)
        if state.selection < state.offset { state.offset = state.selection }
        if state.selection >= state.offset + height { state.offset = state.selection - height + 1 }
        state.offset = max(0, min(state.offset, state.count - height))
        return state
    }

    /// Moves the selection by `delta` rows (negative is up), stopping at either end.
    public func move(by delta: Int, height: Int) -> ScrollState {
        var state = clamped()
        state.selection += delta
        return state.ensureVisible(height: height)
    }

    /// Scrolls a whole page: offset and selection move together so the selected row keeps its
    /// place on screen, as in a pager.
    public func pageDown(height: Int) -> ScrollState {
        var state = ensureVisible(height: height)
        let page = max(1, height)
        state.offset += page
        state.selection += page
        return state.ensureVisible(height: height)
    }

    public func pageUp(height: Int) -> ScrollState {
        var state = ensureVisible(height: height)
        let page = max(1, height)
        state.offset -= page
        state.selection -= page
        return state.ensureVisible(height: height)
    }

    public func home() -> ScrollState {
        ScrollState(selection: 0, offset: 0, count: max(0, count))
    }

    /// Selects the last row with it on the bottom line of the view.
    public func end(height: Int) -> ScrollState {
        let count = max(0, self.count)
        return ScrollState(selection: max(0, count - 1), offset: max(0, count - max(1, height)), count: count)
    }

    /// The rows on screen for a view `height` rows tall, as the state stands (call
    /// `ensureVisible` first to be sure the selection is among them).
    public func visibleRange(height: Int) -> Range<Int> {
        let state = clamped()
        return state.offset..<max(state.offset, min(state.count, state.offset + max(0, height)))
    }
}
