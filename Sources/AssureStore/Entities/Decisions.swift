import AssureModel
import Foundation
import GRDB

extension WorkspaceReader {
    /// Recorded decisions of one framework, by requirement ref.
    public func decisions(framework: String) throws -> [String: DecisionRecord] {
        let id = try Lookup.framework(db, framework)
        var result: [String: DecisionRecord] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT r.ref, d.decision, d.reason, d.decided_by, d.decided_at FROM requirement_decision d
                JOIN requirement r ON r.id = d.requirement_id WHERE r.framework_id = ?
                """, arguments: [id])
        {
            guard let decision = RequirementDecision(rawValue: row["decision"]) else { continue }
            result[row["ref"]] = DecisionRecord(decision: decision, reason: row["reason"], decidedBy: row["decided_by"], decidedAt: row["decided_at"])
        }
        return result
    }
}

extension WorkspaceWriter {
    /// Records the decision on an addressable requirement (one that carries
    /// `implementation: addressable`). An alternative or a "not reasonable" needs its reason.
    public func decide(_ ref: String, framework: String?, decision: RequirementDecision, reason: String) throws {
        let requirement = try Lookup.requirement(db, ref, framework: framework)
        let attributes = RequirementRows.attributes(
            try String.fetchOne(db, sql: "SELECT attributes FROM requirement WHERE id = ?", arguments: [requirement.id]) ?? "{}")
        guard attributes["implementation"] == "addressable" else {
            throw WorkspaceError.invalid(
                "\(requirement.framework):\(requirement.ref) is not addressable"
                    + (attributes["implementation"].map { " (it is \($0))" } ?? "") + "; only addressable specifications take a decision")
        }
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        try StoredText.check(why)
        if decision.needsReason && why.isEmpty {
            throw WorkspaceError.invalid(
                "\(requirement.ref): say why with --reason (the rule asks for the reason to be documented when a specification is \(decision.label))")
        }
        let before = try Row.fetchOne(
            db, sql: "SELECT decision, reason FROM requirement_decision WHERE requirement_id = ?", arguments: [requirement.id])
        try db.execute(
            sql: """
                INSERT INTO requirement_decision (requirement_id, decision, reason, decided_by, decided_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(requirement_id) DO UPDATE SET decision = excluded.decision, reason = excluded.reason,
                    decided_by = excluded.decided_by, decided_at = excluded.decided_at
                """, arguments: [requirement.id, decision.rawValue, why, log.actor, log.at])
        let qualified = "\(requirement.framework):\(requirement.ref)"
        try log.record(
            db, entity: "requirement", ref: qualified, id: requirement.id, field: "decision",
            before: before?["decision"], after: decision.rawValue)
        try log.record(
            db, entity: "requirement", ref: qualified, id: requirement.id, field: "decision_reason",
            before: before?["reason"], after: why)
    }
}
