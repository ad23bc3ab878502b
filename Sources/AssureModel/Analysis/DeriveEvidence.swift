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
    public static func evidenceProposals(
        occurrences: [Occurrence], stale: [StaleEvidence], owners: [String: String], existingKeys: Set<String>
    ) -> [DerivedGap] {
        var proposals: [DerivedGap] = []
        for occurrence in occurrences {
            let period = "\(occurrence.periodStart)..\(occurrence.periodEnd)"
            switch occurrence.state {
            case .missing:
                proposals.append(DerivedGap(key: "occurrence-missing:\(occurrence.control):\(occurrence.periodStart)", draft: GapDraft(
                    title: "\(occurrence.control) has no evidence for \(period)",
                    description: "Due \(occurrence.due). Find or produce the evidence for this occurrence, or record why it did not happen.",
                    severity: .high, effort: .s, owner: owners[occurrence.control], control: occurrence.control)))
            case .late:
                proposals.append(DerivedGap(key: "occurrence-late:\(occurrence.control):\(occurrence.periodStart)", draft: GapDraft(
                    title: "\(occurrence.control) ran late for \(period)",
                    description: "Due \(occurrence.due); the evidence (\(occurrence.evidence.joined(separator: ", "))) is dated after the grace period.",
                    severity: .medium, effort: .xs, owner: owners[occurrence.control], control: occurrence.control)))
            case .evidenced, .notDue:
                break
            }
        }
        for item in stale {
            proposals.append(DerivedGap(key: "evidence-stale:\(item.control):\(item.expires)", draft: GapDraft(
                title: "\(item.control) evidence expired on \(item.expires)",
                description: "The newest evidence (\(item.evidence)) no longer covers the control's frequency; add fresh evidence.",
                severity: .medium, effort: .xs, owner: owners[item.control], control: item.control)))
        }
        var seen = Set<String>()
        return proposals.filter { !existingKeys.contains($0.key) && seen.insert($0.key).inserted }
    }
}
