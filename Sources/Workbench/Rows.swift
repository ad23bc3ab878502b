import AssureModel
import TerminalUI

/// Recomputes pane rows. Navigation never calls these for the pane it moves in; the Controls
/// rows follow the Criteria selection through the per-criterion index, so their cost is the
/// number of controls shown, not the size of the workspace.
extension AppState {
    mutating func rebuildAllRows() {
        // Criteria before controls: the Controls rows follow the selected criterion.
        for definition in PaneRegistry.all { definition.rebuild(&self) }
    }

    /// True when `query` fuzzy-matches any of the fields.
    static func matches(_ query: String, _ fields: [String?]) -> Bool {
        if query.isEmpty { return true }
        return fields.contains { field in field.map { Fuzzy.matches(query, in: $0) } ?? false }
    }

    mutating func rebuildCriteriaRows() {
        let filter = pane(.criteria).filter
        var rows: [CriteriaRow] = []
        func visit(_ requirement: Requirement, depth: Int) {
            let children = (index.children[requirement.ref] ?? []).filter { $0.kind != .point }
            let foldable = requirement.kind != .criterion && !children.isEmpty
            if filter.isEmpty {
                let open = expanded.contains(requirement.ref)
                rows.append(CriteriaRow(ref: requirement.ref, depth: depth, foldable: foldable, expanded: open))
                if foldable && open { for child in children { visit(child, depth: depth + 1) } }
            } else {
                // While filtering, show every match with the path down to it, folds ignored.
                let before = rows.count
                rows.append(CriteriaRow(ref: requirement.ref, depth: depth, foldable: foldable, expanded: true))
                for child in children { visit(child, depth: depth + 1) }
                let selfMatches = Self.matches(filter, [requirement.ref, requirement.title])
                if rows.count == before + 1 && !selfMatches { rows.removeLast() }
            }
        }
        for root in index.roots { visit(root, depth: 0) }
        criteriaRows = rows
        clamp(.criteria)
    }

    mutating func rebuildControlRows() {
        let controls = snapshot.controls
        let filter = pane(.controls).filter
        let basis = ControlRowsBasis(criteria: controlsCriterionScope, owner: ownerLimit, sort: controlSort, filter: filter)
        defer { controlRowsBasis = basis }
        if let previous = controlRowsBasis, previous.narrows(to: basis) {
            if previous.filter != filter { controlRows = Self.rows(controlRows, of: controls, matching: filter) }
            clamp(.controls)
            return
        }
        var rows: [Int]
        if let criteria = controlsCriterionScope {
            rows = Self.union(criteria.map { index.controlsByCriterion[$0] ?? [] }, count: controls.count)
        } else {
            rows = Array(controls.indices)
        }
        // Lines read through the array's storage (see `rows(_:of:matching:)`).
        controls.withUnsafeBufferPointer { lines in
            // Field by field: `Rules.isUnowned(lines[$0])` in the same closure copied every
            // line (six retains) for both branches, most of Enter on an owner.
            if let owner = ownerLimit, owner.isEmpty {
                rows = rows.filter {
                    Rules.isUnowned(status: lines[$0].status, owner: lines[$0].owner, ownerRetired: lines[$0].ownerRetired)
                }
            } else if let owner = ownerLimit {
                rows = rows.filter { lines[$0].owner == owner || lines[$0].backupOwner == owner }
            }
            if !filter.isEmpty { rows = Self.rows(rows, of: controls, matching: filter) }
            switch controlSort {
            case .ref: break
            case .status:
                // Each row's key once (a status's place in the list), not two lookups per comparison.
                let order = Dictionary(uniqueKeysWithValues: ControlStatus.allCases.enumerated().map { ($1, $0) })
                let keys = rows.map { (order[lines[$0].status]!, $0) }
                rows = keys.sorted { $0 < $1 }.map(\.1)
            case .owner:
                let keys = rows.map { (lines[$0].owner ?? "\u{10FFFF}", $0) }
                rows = keys.sorted { $0 < $1 }.map(\.1)
            }
        }
        controlRows = rows
        clamp(.controls)
    }

    /// The rows of several criteria, each list ascending, as one ascending list without
    /// repeats. Marked in an array of `count` flags and read back in order: a category's
    /// thousands of links went through a hash set and a sort on every move in the Criteria
    /// pane, a third of a keystroke at 5,000 controls.
    static func union(_ lists: [[Int]], count: Int) -> [Int] {
        if lists.count == 1 { return lists[0] }
        var marked = [Bool](repeating: false, count: count)
        var total = 0
        for list in lists { for i in list where i < count && !marked[i] { marked[i] = true; total += 1 } }
        var rows: [Int] = []
        rows.reserveCapacity(total)
        for i in marked.indices where marked[i] { rows.append(i) }
        return rows
    }

    /// The rows whose control's reference, title or owner matches `filter`, in order. Read
    /// through the array's storage, field by field: `controls[i]` in the closure copied the
    /// whole line (a retain and a release of each of its strings) three times a row, which was
    /// most of a keystroke's filtering at 5,000 controls.
    static func rows(_ rows: [Int], of controls: [ControlLine], matching filter: String) -> [Int] {
        let pattern = Fuzzy.Pattern(filter)
        return controls.withUnsafeBufferPointer { lines in
            rows.filter { pattern.matches(any: lines[$0].ref, lines[$0].title, lines[$0].owner) }
        }
    }

    mutating func rebuildOwnerRows() {
        let filter = pane(.owners).filter
        var rows: [OwnerRow] = snapshot.owners.indices
            .filter { Self.matches(filter, [snapshot.owners[$0].owner.name, snapshot.owners[$0].owner.role]) }
            .map { .owner($0) }
        if Self.matches(filter, ["(unassigned)"]) { rows.append(.unassigned) }
        ownerRows = rows
        clamp(.owners)
    }

    /// The keys of the gaps shown, in triage order: the snapshot's own keys unless a limit or
    /// a filter asks the store for others (a filter reads each gap's reference, title and
    /// owner, never whole gaps).
    mutating func rebuildGapRows() {
        let filter = pane(.gaps).filter
        if ownerLimit == nil && filter.isEmpty {
            gapKeys = snapshot.gapKeys
            (openGapRowCount, gapRefWidth) = (index.openGapKeyCount, index.gapRefWidth)
        } else {
            gapKeys = (try? snapshot.gapRows.keys(owner: ownerLimit, filter: filter)) ?? []
            (openGapRowCount, gapRefWidth) = GapKey.figures(gapKeys)
        }
        clamp(.gaps)
    }

    mutating func clamp(_ pane: Pane) {
        let count = rowCount(pane)
        var state = self.pane(pane)
        state.selection = max(0, min(state.selection, count - 1))
        panes[pane] = state
    }
}

extension GapKey {
    /// How many of `keys` are open, and the longest reference (at least 5 columns). By
    /// position: 20,000 keys handed over one by one were each a copy (a retain and a release).
    public static func figures(_ keys: [GapKey]) -> (open: Int, refWidth: Int) {
        var open = 0
        var longestRef = 5
        for index in keys.indices {
            if keys[index].isOpen { open += 1 }
            longestRef = max(longestRef, TextWidth.of(keys[index].ref))
        }
        return (open, longestRef)
    }
}
