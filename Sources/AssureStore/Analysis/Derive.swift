import AssureModel
import GRDB

/// A gap `gaps derive` would open for something missing. `key` is stable, so a proposal that
/// was ever created (even if later remediated) is never proposed again.
public struct DerivedGap: Equatable, Sendable {
    public var key: String
    public var draft: GapDraft
}

extension GapDraft: Equatable {
    public static func == (a: GapDraft, b: GapDraft) -> Bool {
        a.title == b.title && a.severity == b.severity && a.effort == b.effort && a.owner == b.owner && a.due == b.due
            && a.control == b.control && a.criterion == b.criterion && a.description == b.description
    }
}

extension Workspace {
    /// What is missing: in-scope criteria with no mapped control, controls with no owner,
    /// controls not started, periodic controls with no evidence hint. Already-derived ones are left out.
    public func proposeGaps() throws -> [DerivedGap] {
        let existing = Set(try read { db in try String.fetchAll(db, sql: "SELECT derived_key FROM gap WHERE derived_key IS NOT NULL") })
        var proposals: [DerivedGap] = []
        for c in try criteria() where c.inScope && c.controls.isEmpty {
            proposals.append(DerivedGap(key: "criterion-unmapped:\(c.requirement.ref)", draft: GapDraft(
                title: "No control addresses \(c.requirement.ref)", description: "Map or write a control for: \(c.requirement.title)",
                severity: .high, effort: .m, criterion: c.requirement.ref)))
        }
        for control in try controls() where control.status != .notApplicable {
            if control.owner == nil {
                proposals.append(DerivedGap(key: "control-unowned:\(control.ref)", draft: GapDraft(
                    title: "\(control.ref) has no owner", description: "Name someone to run \(control.title).",
                    severity: .medium, effort: .xs, control: control.ref)))
            }
            if control.status == .notStarted {
                proposals.append(DerivedGap(key: "control-not-started:\(control.ref)", draft: GapDraft(
                    title: "\(control.ref) not started: \(control.title)", severity: .medium, effort: .m, owner: control.owner,
                    control: control.ref)))
            }
            if control.frequency.periodDays != nil && control.evidenceHint.trimmingCharacters(in: .whitespaces).isEmpty {
                proposals.append(DerivedGap(key: "control-no-evidence:\(control.ref)", draft: GapDraft(
                    title: "\(control.ref) has no evidence defined", description: "Say what proves each \(control.frequency.label) run.",
                    severity: .low, effort: .xs, owner: control.owner, control: control.ref)))
            }
        }
        return proposals.filter { !existing.contains($0.key) }
    }

    /// Opens the proposed gaps in one transaction; returns their references.
    @discardableResult
    public func createDerivedGaps(_ proposals: [DerivedGap]) throws -> [String] {
        let today = clock()
        return try perform { db, log in
            try proposals.map { proposal in
                let ref = try GapWriter.insert(proposal.draft, status: .open, db: db, log: &log, today: today)
                try db.execute(sql: "UPDATE gap SET derived_key = ? WHERE ref = ?", arguments: [proposal.key, ref])
                try log.record(db, entity: "gap", ref: ref, field: "derived_from", before: nil, after: proposal.key)
                return ref
            }
        }
    }
}
