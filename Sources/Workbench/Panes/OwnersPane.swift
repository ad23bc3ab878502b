import AssureModel
import TerminalUI

/// Pane 3: owners with their load; Enter limits Controls and Gaps to one of them.
extension PaneDefinition {
    static let ownersPane = PaneDefinition(
        pane: .owners, title: "Owners", set: .readiness,
        rebuild: { $0.rebuildOwnerRows() },
        rowCount: { $0.ownerRows.count },
        rowKey: { state, row in
            guard state.ownerRows.indices.contains(row) else { return nil }
            switch state.ownerRows[row] {
            case .owner(let i): return state.snapshot.owners[i].owner.name
            case .unassigned: return "(unassigned)"
            }
        },
        columns: [PaneColumn("owner", .flexible(1)), PaneColumn("controls/open gaps", .fit, alignment: .right)],
        cells: ownerCells,
        titleSuffix: { _, glyphs in " \(glyphs.dot) controls/gaps" },
        emptyText: { _ in "no owners yet" },
        detail: ownerDetail,
        detailEntity: { state in
            if case .owner(let i) = state.selectedOwnerRow { return ("owner", state.snapshot.owners[i].owner.name) }
            return nil
        },
        bindings: [
            Command(
                id: .open, title: "Limit Controls and Gaps to this owner (again to clear)", keys: [.enter], hint: "limit",
                section: "Owners", panes: [.owners], handler: limitToSelectedOwner)
        ],
        readAhead: { state in
            // The gaps Enter would limit the Gaps pane to, while the cursor rests on an owner.
            guard state.focus == .owners, let name = selectedOwnerName(state), state.ownerLimit != name else { return }
            state.snapshot.gapRows.readAhead(owner: name)
        })
}

/// The owner on the selected row: "" for the unassigned row.
private func selectedOwnerName(_ state: AppState) -> String? {
    switch state.selectedOwnerRow {
    case .owner(let i): return state.snapshot.owners[i].owner.name
    case .unassigned: return ""
    case nil: return nil
    }
}

private func limitToSelectedOwner(_ state: inout AppState) -> [Effect] {
    guard let name = selectedOwnerName(state) else { return [] }
    return limitOwner(&state, state.ownerLimit == name ? nil : name)
}

private func ownerDetail(_ state: AppState, _ glyphs: Glyphs) -> [String] {
    let dot = " \(glyphs.dot) "
    let last = lastChangeLine(state, glyphs)
    guard let row = state.selectedOwnerRow else { return [] }
    switch row {
    case .unassigned:
        let controls = state.index.unownedControlCount
        let gaps = state.index.unassignedOpenGapCount
        return ["(unassigned)", "\(count(controls, "control")) and \(count(gaps, "open gap")) have no owner\(dot)Enter shows them"]
    case .owner(let i):
        let load = state.snapshot.owners[i]
        let o = load.owner
        let backups = state.snapshot.controls.filter { $0.backupOwner == o.name }.count
        return [
            "\(o.name)\(o.role.isEmpty ? "" : dot + o.role)\(o.handle.isEmpty ? "" : dot + o.handle)\(dot)\(o.kind.rawValue)",
            "owns \(count(load.controls, "control"))\(dot)backup for \(backups)\(dot)\(count(load.openGaps, "open gap")) (\(load.overdueGaps) overdue)\(dot)Enter limits Controls and Gaps",
            last ?? "",
        ]
    }
}

/// "3/2!": controls, open gaps, and "!" when any is overdue. The owner the other panes are
/// limited to shows marked.
private func ownerCells(_ state: AppState, _ row: Int, _ glyphs: Glyphs) -> [PaneCell] {
    switch state.ownerRows[row] {
    case .owner(let i):
        let load = state.snapshot.owners[i]
        let limited = state.ownerLimit == load.owner.name
        return [
            PaneCell(load.owner.name + (load.owner.kind == .team ? " (team)" : ""), limited ? "row.marked" : "text"),
            PaneCell("\(load.controls)/\(load.openGaps)" + (load.overdueGaps > 0 ? "!" : " "), load.overdueGaps > 0 ? "gap.overdue" : "text.dim"),
        ]
    case .unassigned:
        return [
            PaneCell("(unassigned)", state.ownerLimit == "" ? "row.marked" : "text.dim"),
            PaneCell("\(state.index.unownedControlCount)/\(state.index.unassignedOpenGapCount) ", "text.dim"),
        ]
    }
}
