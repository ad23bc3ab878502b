import TerminalUI

/// Where everything goes for a terminal size: a pure function, tested as ASCII boxes.
public struct ScreenLayout: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// 160x50 and up: three columns and a tall detail strip.
        case roomy
        /// 120 columns and up: three columns, Owners over Gaps on the right.
        case wide
        /// 80x24 and up: a 2x2 grid.
        case grid
        /// Below 80x24: one pane at a time with a tab line.
        case single
        /// Below 40x12: only a message.
        case tooSmall
    }

    public var kind: Kind
    public var title: Rect
    public var tabs: Rect?
    public var panes: [Pane: Rect]
    public var detail: Rect
    public var hints: Rect

    public static let minimumWidth = 40
    public static let minimumHeight = 12

    /// `set`: the pane set on screen. The readiness set has the layouts below; a set of one pane
    /// gives it the whole body.
    public static func compute(width: Int, height: Int, focus: Pane, set: PaneSetID = .readiness) -> ScreenLayout {
        let full = Rect(x: 0, y: 0, width: width, height: height)
        if width < minimumWidth || height < minimumHeight {
            return ScreenLayout(
                kind: .tooSmall, title: full, tabs: nil, panes: [:], detail: Rect(x: 0, y: 0, width: 0, height: 0),
                hints: Rect(x: 0, y: 0, width: 0, height: 0))
        }
        let title = Rect(x: 0, y: 0, width: width, height: 1)
        let hints = Rect(x: 0, y: height - 1, width: width, height: 1)
        if width < 80 || height < 24 {
            let tabs = Rect(x: 0, y: 1, width: width, height: 1)
            let detail = Rect(x: 0, y: height - 3, width: width, height: 2)
            let pane = Rect(x: 0, y: 2, width: width, height: height - 5)
            return ScreenLayout(kind: .single, title: title, tabs: tabs, panes: [focus: pane], detail: detail, hints: hints)
        }
        let roomy = width >= 160 && height >= 50
        let detailHeight = roomy ? 6 : 3
        let detail = Rect(x: 0, y: height - 1 - detailHeight, width: width, height: detailHeight)
        let top = 1
        let body = height - 2 - detailHeight
        let panesOfSet = PaneRegistry.panes(in: set)
        if set == .programme && width >= 80 {
            // The risk register on the left; its heat map (a header and five rows) above the policies on the right.
            let left = width * 56 / 100
            let mapHeight = min(8, max(3, body / 2))
            return ScreenLayout(
                kind: roomy ? .roomy : (width >= 120 ? .wide : .grid), title: title, tabs: nil,
                panes: [
                    .risks: Rect(x: 0, y: top, width: left, height: body),
                    .heatMap: Rect(x: left, y: top, width: width - left, height: mapHeight),
                    .policies: Rect(x: left, y: top + mapHeight, width: width - left, height: body - mapHeight),
                ],
                detail: detail, hints: hints)
        }
        if set != .readiness {
            // Other sets share the body evenly, side by side.
            var panes: [Pane: Rect] = [:]
            let each = width / max(1, panesOfSet.count)
            for (i, pane) in panesOfSet.enumerated() {
                let x = i * each
                panes[pane] = Rect(x: x, y: top, width: i == panesOfSet.count - 1 ? width - x : each, height: body)
            }
            return ScreenLayout(
                kind: roomy ? .roomy : (width >= 120 ? .wide : .grid), title: title, tabs: nil, panes: panes,
                detail: detail, hints: hints)
        }
        if width >= 120 {
            let left = width * 30 / 100
            let middle = width * 44 / 100
            let right = width - left - middle
            let ownersHeight = max(5, body * 2 / 5)
            return ScreenLayout(
                kind: roomy ? .roomy : .wide, title: title, tabs: nil,
                panes: [
                    .criteria: Rect(x: 0, y: top, width: left, height: body),
                    .controls: Rect(x: left, y: top, width: middle, height: body),
                    .owners: Rect(x: left + middle, y: top, width: right, height: ownersHeight),
                    .gaps: Rect(x: left + middle, y: top + ownersHeight, width: right, height: body - ownersHeight),
                ],
                detail: detail, hints: hints)
        }
        let left = width * 42 / 100
        let leftTop = body * 3 / 5
        let rightTop = body * 11 / 20
        return ScreenLayout(
            kind: .grid, title: title, tabs: nil,
            panes: [
                .criteria: Rect(x: 0, y: top, width: left, height: leftTop),
                .owners: Rect(x: 0, y: top + leftTop, width: left, height: body - leftTop),
                .controls: Rect(x: left, y: top, width: width - left, height: rightTop),
                .gaps: Rect(x: left, y: top + rightTop, width: width - left, height: body - rightTop),
            ],
            detail: detail, hints: hints)
    }

    /// Rows of list content inside a pane's border.
    public func visibleRows(_ pane: Pane) -> Int { max(1, (panes[pane]?.height ?? 3) - 2) }
}
