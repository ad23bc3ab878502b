import Foundation

/// What the evidence says is missing, as gaps `derive` can open: an occurrence of the audit
/// window with no evidence once its deadline passed (an auditor's exception in waiting), one
/// evidenced late, and a control whose newest evidence has expired. Keys name the control and
/// the period or expiry, so each is proposed once and a new one appears when the next falls due.
public struct StaleEvidence: Equatable, Sendable {
    public var control: String
    public var evidence: String
    public var expires: String
    public init(control: String, evidence: String, expires: String) { self.control = control; self.evidence = evidence; self.expires = expires }
}

extension Derive {
    /// One proposal per control and kind, not per occurrence (a daily control would otherwise
    /// bring 180), and only for controls said to operate (`implemented`): a control not started
    /// has its own proposal already. A key ends with the newest period concerned, so a control
    /// that misses again later is proposed again.
    public static func evidenceProposals(
        occurrences: [Occurrence], stale: [StaleEvidence], operating: Set<String>, owners: [String: String], existingKeys: Set<String>
    ) -> [DerivedGap] {
        var missing: [String: [Occurrence]] = [:]
        var late: [String: [Occurrence]] = [:]
        var order: [String] = []
        for occurrence in occurrences where operating.contains(occurrence.control) {
            if missing[occurrence.control] == nil && late[occurrence.control] == nil { order.append(occurrence.control) }
            switch occurrence.state {
            case .missing: missing[occurrence.control, default: []].append(occurrence)
            case .late: late[occurrence.control, default: []].append(occurrence)
            case .evidenced, .notDue: break
            }
        }
        func periods(_ list: [Occurrence]) -> String {
            let shown = list.prefix(3).map { "\($0.periodStart)..\($0.periodEnd)" }.joined(separator: ", ")
            return list.count > 3 ? shown + " and \(list.count - 3) more" : shown
        }
        var proposals: [DerivedGap] = []
        for control in order {
            if let list = missing[control], let last = list.last {
                proposals.append(
                    DerivedGap(
                        key: "ledger-missing:\(control):\(last.periodStart)",
                        draft: GapDraft(
                            title: list.count == 1
                                ? "\(control) has no evidence for \(periods(list))"
                                : "\(control) has no evidence for \(list.count) occurrences in the window",
                            description:
                                "Past their deadline with no accepted evidence: \(periods(list)). Find or produce it, or record why the control did not run.",
                            severity: .high, effort: .s, owner: owners[control], control: control)))
            }
            if let list = late[control], let last = list.last {
                proposals.append(
                    DerivedGap(
                        key: "ledger-late:\(control):\(last.periodStart)",
                        draft: GapDraft(
                            title: list.count == 1
                                ? "\(control) ran late for \(periods(list))" : "\(control) ran late for \(list.count) occurrences in the window",
                            description: "Evidenced after the deadline: \(periods(list)).",
                            severity: .medium, effort: .xs, owner: owners[control], control: control)))
            }
        }
        for item in stale where operating.contains(item.control) {
            proposals.append(
                DerivedGap(
                    key: "evidence-stale:\(item.control):\(item.expires)",
                    draft: GapDraft(
                        title: "\(item.control) evidence expired on \(item.expires)",
                        description: "The newest evidence (\(item.evidence)) no longer covers the control's frequency; add fresh evidence.",
                        severity: .medium, effort: .xs, owner: owners[item.control], control: item.control)))
        }
        var seen = Set<String>()
        return proposals.filter { !existingKeys.contains($0.key) && seen.insert($0.key).inserted }
    }
}
