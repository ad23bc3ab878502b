import AssureModel
import Foundation
import GRDB

/// A framework with its scope and readiness, for `assure frameworks` and `assure status`.
public struct FrameworkSummary: Equatable, Sendable {
    public var framework: Framework
    /// Requirements at the assessable level, in scope.
    public var inScope: Int
    public var assessable: Int
    public var readiness: Share
    /// In-scope assessable requirements reached by at least one control.
    public var coverage: Share
    public var target: AuditTarget?
    /// SOC 2: "Type II"; others: the audit kind recorded, if any.
    public var auditKind: String
}

/// One framework with its readiness input, read apart from the facts the rule weighs it by.
public struct FrameworkInput: Sendable {
    public var framework: Framework
    public var criteria: [ReadinessCriterion]
    public var target: AuditTarget?
    public var auditKind: String

    /// The framework's summary and its whole readiness under `facts`.
    public func readiness(facts: ReadinessFacts) -> (summary: FrameworkSummary, readiness: Readiness) {
        let readiness = Readiness.compute(criteria: criteria, facts: facts, framework: framework.id)
        let summary = FrameworkSummary(
            framework: framework, inScope: criteria.filter(\.inScope).count, assessable: criteria.count,
            readiness: readiness.overall, coverage: readiness.coverage, target: target, auditKind: auditKind)
        return (summary, readiness)
    }
}

enum FrameworkRows {
    static func framework(_ row: Row) -> Framework {
        Framework(
            id: row["id"], title: row["title"], version: row["version"], publisher: row["publisher"],
            source: row["source"], notice: row["notice"], assessableLevel: row["assessable_level"],
            inScope: row["in_scope"])
    }
}

extension WorkspaceReader {
    public func frameworks() throws -> [Framework] {
        try Row.fetchAll(db, sql: "SELECT * FROM framework ORDER BY sort_order").map(FrameworkRows.framework)
    }

    public func framework(_ id: String) throws -> Framework {
        let key = try Lookup.framework(db, id)
        return FrameworkRows.framework(try Row.fetchOne(db, sql: "SELECT * FROM framework WHERE id = ?", arguments: [key])!)
    }

    /// Every framework with its scope, readiness and coverage, read in this one transaction.
    public func frameworkSummaries() throws -> [FrameworkSummary] {
        try frameworkSummaries(facts: try readinessFacts())
    }

    /// The same, from readiness facts already gathered in this transaction.
    public func frameworkSummaries(facts: ReadinessFacts) throws -> [FrameworkSummary] {
        try frameworkReadiness(facts: facts).map(\.summary)
    }

    /// Each framework's summary with the whole readiness it was computed from, so a caller
    /// that also needs one framework's states and categories (`assure status`: SOC 2's)
    /// does not apply the rule to it a second time.
    public func frameworkReadiness(facts: ReadinessFacts) throws -> [(summary: FrameworkSummary, readiness: Readiness)] {
        try frameworkInputs().map { $0.readiness(facts: facts) }
    }

    /// What `frameworkReadiness` reads of each framework, without the facts: a read that can
    /// run beside the one gathering the facts (`assure status`, `Workspace.readSplit`).
    public func frameworkInputs() throws -> [FrameworkInput] {
        let audits = try auditLabels()
        return try frameworks().map { framework in
            FrameworkInput(
                framework: framework, criteria: try readinessInput(framework: framework.id),
                target: try auditTarget(framework: framework.id), auditKind: audits[framework.id] ?? "")
        }
    }

    /// The audit each framework is prepared for, by framework id, as listings name it ("Type
    /// II", "certification"); frameworks with none set are left out.
    public func auditLabels() throws -> [String: String] {
        var labels: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, audit_kind FROM framework WHERE coalesce(audit_kind, '') <> ''") {
            let kind: String = row[1]
            labels[row[0]] = ReportType(auditKind: kind)?.label ?? kind
        }
        return labels
    }

    /// The company and SOC 2's scope: its Trust Services Categories and report type.
    public func scope() throws -> Scope {
        guard let row = try Row.fetchOne(db, sql: "SELECT company, system FROM workspace WHERE id = 1") else {
            throw WorkspaceError.invalid("the workspace has no company record")
        }
        let kind = try String.fetchOne(db, sql: "SELECT audit_kind FROM framework WHERE id = ?", arguments: [Framework.soc2ID]) ?? ""
        let excluded = Set(
            try String.fetchAll(
                db,
                sql: """
                    SELECT json_extract(r.attributes, '$.key') FROM framework_scope s JOIN requirement r ON r.id = s.requirement_id
                    WHERE s.framework_id = ? AND s.applicable = 0 AND r.role = 'category'
                    """, arguments: [Framework.soc2ID]))
        return Scope(
            company: row["company"], system: row["system"], reportType: ReportType(auditKind: kind) ?? .type2,
            categories: Set(TSCCategory.allCases.filter { !excluded.contains($0.rawValue) }))
    }

    /// The audit a framework is prepared for, when a window has been set.
    public func auditTarget(framework: String = Framework.soc2ID) throws -> AuditTarget? {
        let id = try Lookup.framework(db, framework)
        guard let row = try Row.fetchOne(db, sql: "SELECT audit_kind, window_start, window_length FROM framework WHERE id = ?", arguments: [id]),
            let start = row["window_start"] as String?, let window = row["window_length"] as String?
        else { return nil }
        return AuditTarget(reportType: ReportType(auditKind: row["audit_kind"]) ?? .type2, windowStart: start, window: window)
    }
}

extension ReportType {
    /// `type1`/`type2` as stored in `framework.audit_kind`.
    public init?(auditKind: String) {
        switch auditKind {
        case "type1": self = .type1
        case "type2": self = .type2
        default: return nil
        }
    }
    public var auditKind: String { "type\(rawValue)" }
}

extension WorkspaceWriter {
    /// Sets SOC 2's categories in scope (Security always) and its report type.
    public func setSOC2Scope(_ scope: Scope) throws {
        let categories = try Row.fetchAll(
            db,
            sql: """
                SELECT id, json_extract(attributes, '$.key') AS key FROM requirement WHERE framework_id = ? AND role = 'category'
                """, arguments: [Framework.soc2ID])
        let hadScope =
            try Bool.fetchOne(db, sql: "SELECT 1 FROM framework_scope WHERE framework_id = ? LIMIT 1", arguments: [Framework.soc2ID]) ?? false
        let before = hadScope ? try reader.scope().orderedCategories.map(\.rawValue).joined(separator: ",") : nil
        for row in categories {
            guard let key = row["key"] as String?, let category = TSCCategory(rawValue: key) else { continue }
            try db.execute(
                sql: """
                    INSERT INTO framework_scope (requirement_id, framework_id, applicable, justification) VALUES (?, ?, ?, '')
                    ON CONFLICT(requirement_id) DO UPDATE SET applicable = excluded.applicable
                    """, arguments: [row["id"], Framework.soc2ID, scope.categories.contains(category)])
        }
        try log.record(
            db, entity: "scope", ref: "scope", field: "categories",
            before: before,
            after: scope.orderedCategories.map(\.rawValue).joined(separator: ","))
        try setAuditKind(framework: Framework.soc2ID, scope.reportType.auditKind)
    }

    func setAuditKind(framework: String, _ kind: String) throws {
        let before = try String.fetchOne(db, sql: "SELECT audit_kind FROM framework WHERE id = ?", arguments: [framework])
        try db.execute(sql: "UPDATE framework SET audit_kind = ? WHERE id = ?", arguments: [kind, framework])
        try log.record(db, entity: "framework", ref: framework, field: "audit_kind", before: before?.isEmpty == true ? nil : before, after: kind)
    }

    /// Takes a framework in or out of scope as a whole (HIPAA is scoped as one rule).
    public func setFrameworkInScope(_ framework: String, _ inScope: Bool) throws {
        let id = try Lookup.framework(db, framework)
        let before = try Bool.fetchOne(db, sql: "SELECT in_scope FROM framework WHERE id = ?", arguments: [id]) ?? true
        try db.execute(sql: "UPDATE framework SET in_scope = ? WHERE id = ?", arguments: [inScope, id])
        try log.record(db, entity: "framework", ref: id, field: "in_scope", before: before ? "yes" : "no", after: inScope ? "yes" : "no")
    }

    /// Includes or excludes one requirement (and everything under it). Excluding one at the
    /// assessable level needs a justification (the Statement of Applicability).
    public func setApplicable(_ ref: String, framework: String?, applicable: Bool, justification: String) throws {
        let requirement = try Lookup.requirement(db, ref, framework: framework)
        let role = try String.fetchOne(db, sql: "SELECT role FROM requirement WHERE id = ?", arguments: [requirement.id]) ?? ""
        try Rules.checkExclusion(
            ref: requirement.ref, applicable: applicable, atAssessableLevel: role == RequirementKind.criterion.rawValue,
            justification: justification)
        let before = try Row.fetchOne(
            db, sql: "SELECT applicable, justification FROM framework_scope WHERE requirement_id = ?", arguments: [requirement.id])
        let reason = applicable ? "" : justification.trimmingCharacters(in: .whitespacesAndNewlines)
        try db.execute(
            sql: """
                INSERT INTO framework_scope (requirement_id, framework_id, applicable, justification) VALUES (?, ?, ?, ?)
                ON CONFLICT(requirement_id) DO UPDATE SET applicable = excluded.applicable, justification = excluded.justification
                """, arguments: [requirement.id, requirement.framework, applicable, reason])
        let ref = "\(requirement.framework):\(requirement.ref)"
        try log.record(
            db, entity: "requirement", ref: ref, id: requirement.id, field: "applicable",
            before: (before?["applicable"] as Bool? ?? true) ? "yes" : "no", after: applicable ? "yes" : "no")
        try log.record(
            db, entity: "requirement", ref: ref, id: requirement.id, field: "scope_justification",
            before: before?["justification"] as String? ?? "", after: reason)
    }

    /// Sets the audit a framework is prepared for.
    public func setAuditTarget(_ target: AuditTarget, framework: String = Framework.soc2ID) throws {
        try target.validate()
        let id = try Lookup.framework(db, framework)
        let before = try reader.auditTarget(framework: id)
        try setAuditKind(framework: id, target.reportType.auditKind)
        try db.execute(
            sql: "UPDATE framework SET window_start = ?, window_length = ? WHERE id = ?",
            arguments: [target.windowStart, target.window, id])
        try log.record(db, entity: "framework", ref: id, field: "window_start", before: before?.windowStart, after: target.windowStart)
        try log.record(db, entity: "framework", ref: id, field: "window", before: before?.window, after: target.window)
    }
}
