import AssureModel
import TerminalUI

extension Pane {
    public static let vendors = Pane(10)
}

/// Pane 10 (key 0), the vendors set: each vendor most critical first, with what its SOC 2 reports
/// leave of our audit window uncovered and what an auditor would flag (a missing BAA or DPA, an
/// unreviewed qualified opinion, a CUEC no control answers, a review past due).
extension PaneDefinition {
    static let vendorsPane = PaneDefinition(
        pane: .vendors, title: "Vendors", set: .vendors,
        rebuild: { state in
            let filter = state.pane(.vendors).filter
            let vendors = state.snapshot.vendors
            state.extraRows[.vendors] = vendors.indices.filter {
                AppState.matches(filter, [vendors[$0].ref, vendors[$0].name, vendors[$0].service, vendors[$0].owner, vendors[$0].criticality])
            }
            state.clamp(.vendors)
        },
        rowCount: { $0.rows(.vendors).count },
        rowKey: { state, row in state.vendor(at: row)?.ref },
        columns: [
            PaneColumn("ref", .fixed(6)), PaneColumn("criticality", .fixed(8)), PaneColumn("data", .fixed(12), from: 70),
            PaneColumn("name", .flexible(1)), PaneColumn("flags", .fit),
        ],
        cells: { state, row, glyphs in state.vendor(at: row).map { vendorCells($0, glyphs) } ?? [] },
        titleSuffix: { state, glyphs in
            let flagged = state.snapshot.vendors.filter { !$0.findings.isEmpty }.count
            return " \(glyphs.dot) \(state.snapshot.vendors.count)" + (flagged > 0 ? " \(glyphs.dot) \(flagged) with findings" : "")
        },
        emptyText: { _ in "no vendors yet: assure vendor add NAME --criticality high --data personal" },
        detail: vendorDetail,
        detailEntity: { state in state.vendor(at: state.pane(.vendors).selection).map { ("vendor", $0.ref) } },
        bindings: [
            Command(
                id: CommandID("focusVendors"), title: "Focus Vendors (the vendors set)", keys: [.char("0")], hint: nil, section: "Panes",
                handler: { setFocus(&$0, .vendors) }),
            Command(
                id: .reviewVendor, title: "Record that the vendor was reviewed today (its next review follows from its criticality)",
                keys: [.char("v")], hint: "reviewed", section: "Vendors", panes: [.vendors],
                handler: { state in
                    guard let vendor = state.vendor(at: state.pane(.vendors).selection) else { return [] }
                    return [.apply(.reviewVendor(ref: vendor.ref), .normal, baseline: state.baseline, reopen: nil)]
                }),
        ])
}

extension CommandID {
    public static let reviewVendor = CommandID("reviewVendor")
}

extension AppState {
    func vendor(at row: Int) -> VendorLoad? {
        let rows = self.rows(.vendors)
        guard rows.indices.contains(row), snapshot.vendors.indices.contains(rows[row]) else { return nil }
        return snapshot.vendors[rows[row]]
    }
}

/// What an auditor would flag first: days of our window no report covers, findings, a review
/// past due; "ok" when nothing is.
private func vendorCells(_ vendor: VendorLoad, _ glyphs: Glyphs) -> [PaneCell] {
    var flag = ""
    if let days = vendor.uncoveredDays, days > 0 { flag = "\(days)d uncovered" }
    if !vendor.findings.isEmpty { flag += (flag.isEmpty ? "" : " \(glyphs.dot) ") + count(vendor.findings.count, "finding") }
    if flag.isEmpty { flag = vendor.overdue ? "review overdue" : "ok" }
    return [
        PaneCell(vendor.ref), PaneCell(vendor.criticality, "gap.\(vendor.criticality)"), PaneCell(vendor.data, "text.dim"), PaneCell(vendor.name),
        PaneCell(flag, flag == "ok" ? "readiness.good" : "gap.overdue"),
    ]
}

private func vendorDetail(_ state: AppState, _ glyphs: Glyphs) -> [String] {
    let dot = " \(glyphs.dot) "
    guard let vendor = state.vendor(at: state.pane(.vendors).selection) else {
        return ["\(count(state.snapshot.vendors.count, "vendor")); assure vendors lists them with their reports and findings"]
    }
    var head = "\(vendor.ref) \(vendor.name)\(dot)\(vendor.criticality)\(dot)data \(vendor.data)"
    if vendor.subprocessor { head += "\(dot)subprocessor" }
    if !vendor.service.isEmpty { head += "\(dot)\(vendor.service)" }
    head += "\(dot)owner \(vendor.owner ?? "none")"
    if let next = vendor.nextReview { head += "\(dot)next review \(next)" + (vendor.overdue ? " (overdue)" : "") }
    var second = "SOC 2: " + (vendor.coverage.isEmpty ? "\(count(vendor.reports, "report"))" : vendor.coverage)
    second += "\(dot)agreements " + (vendor.agreements.isEmpty ? "none" : vendor.agreements.joined(separator: ", "))
    if vendor.cuecs > 0 { second += "\(dot)\(count(vendor.cuecs, "CUEC")), \(vendor.unmappedCuecs) without a control" }
    let findings = vendor.findings.isEmpty ? "no findings" : "findings: " + vendor.findings.joined(separator: "; ")
    return [head, second, findings]
}
