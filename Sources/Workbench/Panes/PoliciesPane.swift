import AssureModel
import TerminalUI

extension Pane {
    public static let policies = Pane(9)
}

/// Pane 9, the programme set: the policies with their live version, next review and how many
/// people active today have acknowledged the live version.
extension PaneDefinition {
    static let policiesPane = PaneDefinition(
        pane: .policies, title: "Policies", set: .programme,
        rebuild: { state in
            let filter = state.pane(.policies).filter
            let policies = state.snapshot.policies
            state.extraRows[.policies] = policies.indices.filter {
                AppState.matches(filter, [policies[$0].ref, policies[$0].title, policies[$0].owner, policies[$0].status])
            }
            state.clamp(.policies)
        },
        rowCount: { $0.rows(.policies).count },
        rowKey: { state, row in state.policy(at: row)?.ref },
        columns: [
            PaneColumn("ref", .fixed(7)), PaneColumn("live version", .fixed(4)), PaneColumn("title", .flexible(1)), PaneColumn("acknowledged", .fit),
        ],
        cells: { state, row, glyphs in state.policy(at: row).map { policyCells($0, glyphs) } ?? [] },
        titleSuffix: { state, glyphs in
            let approved = state.snapshot.policies.filter { $0.liveVersion != nil }.count
            return " \(glyphs.dot) \(approved)/\(state.snapshot.policies.count) approved"
        },
        emptyText: { _ in "no policies: assure policy install adds the six core policies" },
        detail: policyDetail,
        detailEntity: { state in state.policy(at: state.pane(.policies).selection).map { ("policy", $0.ref) } },
        bindings: [
            Command(
                id: CommandID("focusPolicies"), title: "Focus Policies (the programme set)", keys: [.char("9")], hint: nil, section: "Panes",
                handler: { setFocus(&$0, .policies) })
        ])
}

extension AppState {
    func policy(at row: Int) -> PolicyLoad? {
        let rows = self.rows(.policies)
        guard rows.indices.contains(row), snapshot.policies.indices.contains(rows[row]) else { return nil }
        return snapshot.policies[rows[row]]
    }
}

private func policyToken(_ policy: PolicyLoad) -> String {
    if policy.overdue || policy.liveVersion == nil { return "readiness.bad" }
    return policy.status == "approved" ? "readiness.good" : "readiness.mid"
}

/// "3/12" acknowledged the live version; a policy never approved has no version and no count.
private func policyCells(_ policy: PolicyLoad, _ glyphs: Glyphs) -> [PaneCell] {
    let acks = policy.liveVersion == nil ? "" : "\(policy.acknowledged)/\(policy.people)"
    return [
        PaneCell(policy.ref), PaneCell(policy.liveVersion.map { "v\($0)" } ?? glyphs.dash, policyToken(policy)), PaneCell(policy.title),
        PaneCell(acks, policy.acknowledged == policy.people ? "readiness.good" : "readiness.mid"),
    ]
}

private func policyDetail(_ state: AppState, _ glyphs: Glyphs) -> [String] {
    let dot = " \(glyphs.dot) "
    guard let policy = state.policy(at: state.pane(.policies).selection) else {
        return ["\(count(state.snapshot.policies.count, "policy", plural: "policies")); assure policies lists them with their review dates"]
    }
    var head = "\(policy.ref) \(policy.title)\(dot)\(policy.status)\(dot)owner \(policy.owner ?? "none")\(dot)approver \(policy.approver ?? "none")"
    head += "\(dot)\(policy.cadence) review"
    var live = "never approved: assure policy approve \(policy.ref)"
    if let version = policy.liveVersion {
        live = "live v\(version) approved \(policy.approvedOn ?? "")"
        if let next = policy.nextReview { live += "\(dot)next review \(next)" + (policy.overdue ? " (overdue)" : "") }
        live += "\(dot)acknowledged by \(policy.acknowledged) of \(policy.people) people"
    }
    return [head, live, "assure policy render \(policy.ref) --format html -o \(policy.ref.lowercased()).html renders it"]
}
