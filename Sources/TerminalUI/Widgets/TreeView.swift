/// A node of an outline. Values all the way down, so a tree is built, compared and flattened
/// in tests without any view.
public struct TreeNode: Equatable, Sendable {
    /// Stable across rebuilds, so the set of expanded nodes survives a reload or a filter.
    public var id: String
    public var label: String
    public var children: [TreeNode]

    public init(id: String, label: String, children: [TreeNode] = []) {
        self.id = id; self.label = label; self.children = children
    }
}

/// An outline drawn as a list: nodes are flattened into the rows currently visible (children
/// only under expanded parents) and those rows go through `ListView`, so selection, clipping
/// and scrolling work exactly as in a flat list.
public struct TreeView: Sendable {
    /// One visible line of the outline.
    public struct Row: Equatable, Sendable {
        public var id: String
        public var label: String
        public var depth: Int
        public var hasChildren: Bool
        public var isExpanded: Bool
    }

    /// Fold markers; leaves get blanks of the same width so labels line up.
    public struct Markers: Equatable, Sendable {
        public var collapsed: String
        public var expanded: String
        public var leaf: String
        public init(collapsed: String, expanded: String, leaf: String) {
            self.collapsed = collapsed; self.expanded = expanded; self.leaf = leaf
        }
        public static let unicode = Markers(collapsed: "▸", expanded: "▾", leaf: " ")
        public static let ascii = Markers(collapsed: "+", expanded: "-", leaf: " ")
    }

    public var roots: [TreeNode]
    public var expanded: Set<String>
    public var markers: Markers
    /// Columns of indentation per level.
    public var indent: Int
    public var list: ListView

    /// `list` supplies the placeholder, styles and scroll bar; its rows are replaced.
    public init(roots: [TreeNode], expanded: Set<String>, markers: Markers = .unicode, indent: Int = 2, list: ListView = ListView(rows: [])) {
        self.roots = roots; self.expanded = expanded; self.markers = markers; self.indent = max(0, indent); self.list = list
    }

    /// The visible rows, depth first, in the nodes' own order.
    public static func flatten(_ roots: [TreeNode], expanded: Set<String>) -> [Row] {
        var rows: [Row] = []
        // An explicit stack rather than recursion: deep outlines cannot overflow the call stack.
        var stack: [(node: TreeNode, depth: Int)] = roots.reversed().map { ($0, 0) }
        while let (node, depth) = stack.popLast() {
            let open = !node.children.isEmpty && expanded.contains(node.id)
            rows.append(Row(id: node.id, label: node.label, depth: depth, hasChildren: !node.children.isEmpty, isExpanded: open))
            if open { stack += node.children.reversed().map { ($0, depth + 1) } }
        }
        return rows
    }

    public var rows: [Row] { TreeView.flatten(roots, expanded: expanded) }

    /// A row as drawn: indentation, fold marker, a space, the label.
    public func text(of row: Row) -> String {
        let marker = row.hasChildren ? (row.isExpanded ? markers.expanded : markers.collapsed) : markers.leaf
        return String(repeating: " ", count: row.depth * indent) + marker + " " + row.label
    }

    /// The expanded set with `id` opened or closed, for the key that folds the selected row.
    public static func toggling(_ id: String, in expanded: Set<String>) -> Set<String> {
        var result = expanded
        if result.contains(id) { result.remove(id) } else { result.insert(id) }
        return result
    }

    /// Draws the visible rows; the scroll state indexes `rows`.
    @discardableResult
    public func render(into buffer: inout ScreenBuffer, rect: Rect, scroll: ScrollState) -> ScrollState {
        var view = list
        view.rows = rows.map { ListView.Row(text(of: $0)) }
        return view.render(into: &buffer, rect: rect, scroll: scroll)
    }
}
