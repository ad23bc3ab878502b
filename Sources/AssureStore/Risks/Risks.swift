import AssureModel
import Foundation
import GRDB

/// What `assure risk add` asks for. Owner and controls are names as typed; the writer resolves them.
public struct RiskDraft: Equatable, Sendable {
    public var title: String
    public var description: String
    public var likelihood: Int
    public var impact: Int
    public var cia: [CIAProperty]
    public var treatment: RiskTreatment
    public var owner: String?
    public var controls: [String]
    public var residualLikelihood: Int?
    public var residualImpact: Int?
    public var justification: String
    public var approver: String
    public var reviewCadence: ReviewCadence

    public init(
        title: String, description: String = "", likelihood: Int, impact: Int, cia: [CIAProperty] = [],
        treatment: RiskTreatment = .mitigate, owner: String? = nil, controls: [String] = [],
        residualLikelihood: Int? = nil, residualImpact: Int? = nil, justification: String = "", approver: String = "",
        reviewCadence: ReviewCadence = .annual
    ) {
        self.title = title; self.description = description; self.likelihood = likelihood; self.impact = impact; self.cia = cia
        self.treatment = treatment; self.owner = owner; self.controls = controls; self.residualLikelihood = residualLikelihood
        self.residualImpact = residualImpact; self.justification = justification; self.approver = approver; self.reviewCadence = reviewCadence
    }
}

/// What `assure risk edit` changes: nil leaves a field as it is. `controls` replaces the whole
/// set; `addControls`/`removeControls` change it one by one.
public struct RiskEdit: Equatable, Sendable {
    public var title: String?
    public var description: String?
    public var likelihood: Int?
    public var impact: Int?
    public var cia: [CIAProperty]?
    public var treatment: RiskTreatment?
    public var owner: String?
    /// Leaves the risk without an owner (`--no-owner`); refused together with `owner`.
    public var clearOwner = false
    public var controls: [String]?
    public var addControls: [String] = []
    public var removeControls: [String] = []
    public var residualLikelihood: Int?
    public var residualImpact: Int?
    public var justification: String?
    public var approver: String?
    public var reviewCadence: ReviewCadence?
    public init() {}
}

extension WorkspaceReader {
    /// The register in reference order, each with its next review as of `today`.
    public func risks(today: String) throws -> [RiskSummary] {
        try RiskRows.fetch(db, id: nil).map { RiskSummary($0.risk, today: today) }
    }

    /// One risk by `RISK-7`, `risk-7` or `7`.
    public func risk(_ ref: String, today: String) throws -> RiskSummary {
        let found = try Lookup.risk(db, ref)
        guard let row = try RiskRows.fetch(db, id: found.id).first else {
            throw WorkspaceError.unknownReference(kind: "risk", name: ref, suggestions: [])
        }
        return RiskSummary(row.risk, today: today)
    }

    /// The register's derived gaps (see `Derive.riskProposals`), for `gaps derive`.
    public func riskProposals(today: String, existingKeys: Set<String>) throws -> [DerivedGap] {
        Derive.riskProposals(risks: try risks(today: today), existingKeys: existingKeys)
    }
}

extension WorkspaceWriter {
    /// Adds a risk to the register; returns its reference (`RISK-7`).
    @discardableResult
    public func addRisk(_ draft: RiskDraft) throws -> String {
        let number = try Int64.fetchOne(db, sql: "SELECT coalesce(max(number), 0) + 1 FROM risk") ?? 1
        let ref = "RISK-\(number)"
        let title = draft.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw WorkspaceError.invalid("a risk needs a title") }
        if let problem = StoredText.firstProblem(in: title, multiline: false) {
            throw WorkspaceError.invalid("the risk's title: \(problem.description)")
        }
        let owner = try draft.owner.map { try Lookup.activeOwner(db, $0) }
        let controls = try resolveControls(draft.controls)
        let risk = Risk(
            ref: ref, title: title, description: draft.description,
            likelihood: draft.likelihood, impact: draft.impact, cia: draft.cia, treatment: draft.treatment,
            residualLikelihood: draft.residualLikelihood, residualImpact: draft.residualImpact, owner: owner?.name,
            controls: controls.map(\.ref), justification: draft.justification.trimmingCharacters(in: .whitespacesAndNewlines),
            approver: draft.approver.trimmingCharacters(in: .whitespacesAndNewlines), reviewCadence: draft.reviewCadence,
            createdOn: Timestamps.day(actor.now))
        // Refusals name the risk by its title: a number it never got would only confuse.
        var named = risk
        named.ref = "'\(risk.title)'"
        try RiskRules.check(named)
        try insert(risk, number: number, ownerID: owner?.id, controlIDs: controls.map(\.id))
        return ref
    }

    /// Changes a risk's fields; one change-log row per field that changed (a control linked or
    /// unlinked is a `control` row). Returns how many fields changed.
    @discardableResult
    public func editRisk(_ ref: String, _ edit: RiskEdit) throws -> Int {
        let found = try Lookup.risk(db, ref)
        guard let current = try RiskRows.fetch(db, id: found.id).first else {
            throw WorkspaceError.unknownReference(kind: "risk", name: ref, suggestions: [])
        }
        var risk = current.risk
        if let title = edit.title { risk.title = title.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let description = edit.description { risk.description = description }
        if let likelihood = edit.likelihood { risk.likelihood = likelihood }
        if let impact = edit.impact { risk.impact = impact }
        if let cia = edit.cia { risk.cia = cia }
        if let treatment = edit.treatment { risk.treatment = treatment }
        if let value = edit.residualLikelihood { risk.residualLikelihood = value }
        if let value = edit.residualImpact { risk.residualImpact = value }
        if let justification = edit.justification { risk.justification = justification.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let approver = edit.approver { risk.approver = approver.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let cadence = edit.reviewCadence { risk.reviewCadence = cadence }
        var ownerID = current.ownerID
        if edit.clearOwner {
            guard edit.owner == nil else { throw WorkspaceError.invalid("\(risk.ref): give an owner or --no-owner, not both") }
            ownerID = nil; risk.owner = nil
        }
        if let name = edit.owner {
            let owner = try Lookup.activeOwner(db, name)
            ownerID = owner.id; risk.owner = owner.name
        }
        var controls = Dictionary(try RiskRows.controls(db, riskID: found.id).map { ($0.id, $0.ref) }, uniquingKeysWith: { a, _ in a })
        if let replacement = edit.controls {
            controls = [:]
            for control in try resolveControls(replacement) { controls[control.id] = control.ref }
        }
        for control in try resolveControls(edit.addControls) { controls[control.id] = control.ref }
        for control in try resolveControls(edit.removeControls) {
            guard controls.removeValue(forKey: control.id) != nil else {
                throw WorkspaceError.invalid("\(risk.ref): \(control.ref) does not treat it, so it cannot be removed")
            }
        }
        risk.controls = controls.values.sorted()
        try RiskRules.check(risk)

        let old = current.risk
        let before = log.count
        try db.execute(
            sql: """
                UPDATE risk SET title = ?, description = ?, likelihood = ?, impact = ?, cia = ?, treatment = ?, residual_likelihood = ?,
                       residual_impact = ?, owner_id = ?, justification = ?, approver = ?, review_cadence = ? WHERE id = ?
                """,
            arguments: [
                risk.title, risk.description, risk.likelihood, risk.impact, CIAProperty.format(risk.cia), risk.treatment.rawValue,
                risk.residualLikelihood, risk.residualImpact, ownerID, risk.justification, risk.approver,
                risk.reviewCadence.rawValue, found.id,
            ])
        try logFields(from: old, to: risk, id: found.id)
        try log.recordOwner(db, entity: "risk", ref: risk.ref, id: found.id, field: "owner", before: current.ownerID, after: ownerID)
        let oldIDs = Set(try RiskRows.controls(db, riskID: found.id).map(\.id))
        try linkControls(risk: found.id, ref: risk.ref, removing: oldIDs.subtracting(controls.keys), adding: Set(controls.keys).subtracting(oldIDs))
        return log.count - before
    }

    /// Records a review on `day` (default: today); returns the day and the next review.
    @discardableResult
    public func reviewRisk(_ ref: String, on day: String? = nil) throws -> (reviewedOn: String, nextReview: String?) {
        let found = try Lookup.risk(db, ref)
        let today = Timestamps.day(actor.now)
        let day = day ?? today
        guard DueDate.parseDay(day) != nil else { throw WorkspaceError.invalid("'\(day)' is not a date (YYYY-MM-DD)") }
        guard day <= today else { throw WorkspaceError.invalid("\(found.ref): a review cannot be dated after today (\(today))") }
        let row = try Row.fetchOne(db, sql: "SELECT reviewed_on, review_cadence FROM risk WHERE id = ?", arguments: [found.id])!
        let previous: String? = row[0]
        if let previous, previous > day {
            throw WorkspaceError.invalid("\(found.ref) was last reviewed on \(previous); a review dated \(day) would be earlier")
        }
        try db.execute(sql: "UPDATE risk SET reviewed_on = ? WHERE id = ?", arguments: [day, found.id])
        try log.record(db, entity: "risk", ref: found.ref, id: found.id, field: "reviewed_on", before: previous, after: day)
        let cadence = ReviewCadence(rawValue: row[1]) ?? .annual
        return (day, cadence.nextDue(after: day))
    }

    /// Closes a risk (it leaves the heat map, the agenda and the derived gaps) or reopens it.
    @discardableResult
    public func setRiskStatus(_ ref: String, _ status: RiskStatus) throws -> String {
        let found = try Lookup.risk(db, ref)
        let before = try String.fetchOne(db, sql: "SELECT status FROM risk WHERE id = ?", arguments: [found.id])
        guard before != status.rawValue else { throw WorkspaceError.invalid("\(found.ref) is already \(status.rawValue)") }
        try db.execute(sql: "UPDATE risk SET status = ? WHERE id = ?", arguments: [status.rawValue, found.id])
        try log.record(db, entity: "risk", ref: found.ref, id: found.id, field: "status", before: before, after: status.rawValue)
        return found.ref
    }

    // MARK: - Shared with the starter set

    /// Inserts a checked risk with its change-log rows (created, then each field that is set).
    func insert(_ risk: Risk, number: Int64, ownerID: Int64?, controlIDs: [Int64]) throws {
        try db.execute(
            sql: """
                INSERT INTO risk (number, ref, title, description, likelihood, impact, cia, treatment, residual_likelihood, residual_impact,
                                  owner_id, justification, approver, review_cadence, status, created_on, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                number, risk.ref, risk.title, risk.description, risk.likelihood, risk.impact, CIAProperty.format(risk.cia),
                risk.treatment.rawValue, risk.residualLikelihood, risk.residualImpact, ownerID, risk.justification,
                risk.approver, risk.reviewCadence.rawValue, risk.status.rawValue, risk.createdOn, actor.name,
            ])
        let id = db.lastInsertedRowID
        try log.record(db, entity: "risk", ref: risk.ref, id: id, field: "created", before: nil, after: risk.title)
        let blank = Risk(
            ref: risk.ref, title: risk.title, likelihood: 0, impact: 0, treatment: risk.treatment,
            reviewCadence: risk.reviewCadence, createdOn: risk.createdOn)
        // The defaults (treatment, cadence) are logged too: the created row alone should say how it was assessed.
        try log.record(db, entity: "risk", ref: risk.ref, id: id, field: "treatment", before: nil, after: risk.treatment.rawValue)
        try log.record(db, entity: "risk", ref: risk.ref, id: id, field: "review_cadence", before: nil, after: risk.reviewCadence.rawValue)
        try logFields(from: blank, to: risk, id: id)
        try log.recordOwner(db, entity: "risk", ref: risk.ref, id: id, field: "owner", before: nil, after: ownerID)
        try linkControls(risk: id, ref: risk.ref, removing: [], adding: Set(controlIDs))
    }

    /// Links and unlinks controls, one `control` row each, in reference order.
    func linkControls(risk id: Int64, ref: String, removing: Set<Int64>, adding: Set<Int64>) throws {
        for controlID in removing.sorted() {
            try db.execute(sql: "DELETE FROM risk_control WHERE risk_id = ? AND control_id = ?", arguments: [id, controlID])
        }
        for controlID in adding.sorted() {
            try db.execute(sql: "INSERT OR IGNORE INTO risk_control (risk_id, control_id) VALUES (?, ?)", arguments: [id, controlID])
        }
        var refs: [(String, Bool)] = []
        for controlID in removing.union(adding) {
            let controlRef = try String.fetchOne(db, sql: "SELECT ref FROM control WHERE id = ?", arguments: [controlID]) ?? String(controlID)
            refs.append((controlRef, adding.contains(controlID)))
        }
        for (controlRef, added) in refs.sorted(by: { $0.0 < $1.0 }) {
            try log.record(db, entity: "risk", ref: ref, id: id, field: "control", before: added ? nil : controlRef, after: added ? controlRef : nil)
        }
    }

    /// Controls by reference, each once, in the order typed.
    private func resolveControls(_ refs: [String]) throws -> [(id: Int64, ref: String)] {
        var seen = Set<Int64>()
        return try refs.map { try Lookup.control(db, $0) }.filter { seen.insert($0.id).inserted }
    }

    /// One row per stored field that differs (owner and controls are logged by the caller).
    private func logFields(from old: Risk, to new: Risk, id: Int64) throws {
        func text(_ value: Int?) -> String? { value.map(String.init) }
        func nonEmpty(_ value: String) -> String? { value.isEmpty ? nil : value }
        let fields: [(String, String?, String?)] = [
            ("title", old.title, new.title),
            ("description", nonEmpty(old.description), nonEmpty(new.description)),
            ("likelihood", text(old.likelihood == 0 ? nil : old.likelihood), text(new.likelihood)),
            ("impact", text(old.impact == 0 ? nil : old.impact), text(new.impact)),
            ("cia", nonEmpty(CIAProperty.format(old.cia)), nonEmpty(CIAProperty.format(new.cia))),
            ("treatment", old.treatment.rawValue, new.treatment.rawValue),
            ("residual_likelihood", text(old.residualLikelihood), text(new.residualLikelihood)),
            ("residual_impact", text(old.residualImpact), text(new.residualImpact)),
            ("justification", nonEmpty(old.justification), nonEmpty(new.justification)),
            ("approver", nonEmpty(old.approver), nonEmpty(new.approver)),
            ("review_cadence", old.reviewCadence.rawValue, new.reviewCadence.rawValue),
        ]
        for (field, before, after) in fields {
            try log.record(db, entity: "risk", ref: new.ref, id: id, field: field, before: before, after: after)
        }
    }
}

/// Reading risk rows into values.
enum RiskRows {
    struct Stored {
        var id: Int64
        var ownerID: Int64?
        var risk: Risk
    }

    /// All risks (or one by id) with their controls, by number.
    static func fetch(_ db: Database, id: Int64?) throws -> [Stored] {
        var sql = """
            SELECT r.id, r.ref, r.title, r.description, r.likelihood, r.impact, r.cia, r.treatment, r.residual_likelihood,
                   r.residual_impact, r.owner_id, o.name, r.justification, r.approver, r.review_cadence, r.reviewed_on, r.status, r.created_on
            FROM risk r LEFT JOIN owner o ON o.id = r.owner_id
            """
        var arguments: StatementArguments = []
        if let id { sql += " WHERE r.id = ?"; arguments = [id] }
        sql += " ORDER BY r.number"
        var controls: [Int64: [String]] = [:]
        // `CROSS JOIN` keeps the links as the outer loop: left to choose, SQLite walks every
        // control in reference order to look each one's links up, 5,000 lookups for a register
        // that links a few dozen.
        let controlSQL =
            "SELECT rc.risk_id, c.ref FROM risk_control rc CROSS JOIN control c ON c.id = rc.control_id"
            + (id == nil ? "" : " WHERE rc.risk_id = ?") + " ORDER BY c.ref"
        for row in try Row.fetchAll(db, sql: controlSQL, arguments: arguments) {
            let riskID: Int64 = row[0]
            let ref: String = row[1]
            controls[riskID, default: []].append(ref)
        }
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let rowID: Int64 = row[0]
            let ciaText: String = row[6]
            let treatmentText: String = row[7]
            let cadenceText: String = row[14]
            let statusText: String = row[16]
            let risk = Risk(
                ref: row[1], title: row[2], description: row[3], likelihood: row[4], impact: row[5],
                cia: (try? CIAProperty.parseList(ciaText)) ?? [],
                treatment: RiskTreatment(rawValue: treatmentText) ?? .mitigate,
                residualLikelihood: row[8], residualImpact: row[9], owner: row[11], controls: controls[rowID] ?? [],
                justification: row[12], approver: row[13], reviewCadence: ReviewCadence(rawValue: cadenceText) ?? .annual,
                reviewedOn: row[15], status: RiskStatus(rawValue: statusText) ?? .open, createdOn: row[17])
            return Stored(id: rowID, ownerID: row[10], risk: risk)
        }
    }

    static func controls(_ db: Database, riskID: Int64) throws -> [(id: Int64, ref: String)] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT c.id, c.ref FROM risk_control rc JOIN control c ON c.id = rc.control_id WHERE rc.risk_id = ? ORDER BY c.ref
                """, arguments: [riskID]
        ).map { ($0[0], $0[1]) }
    }
}

extension Lookup {
    /// A risk by `RISK-7` (any case) or its number alone.
    static func risk(_ db: Database, _ ref: String) throws -> (id: Int64, ref: String) {
        let trimmed = ref.trimmingCharacters(in: .whitespaces)
        let key = Int(trimmed) != nil ? "RISK-\(trimmed)" : trimmed
        if let row = try Row.fetchOne(db, sql: "SELECT id, ref FROM risk WHERE ref = ?", arguments: [key]) {
            return (row[0], row[1])
        }
        let all = try String.fetchAll(db, sql: "SELECT ref FROM risk ORDER BY number")
        throw WorkspaceError.unknownReference(kind: "risk", name: ref, suggestions: Suggestions.closest(to: key.uppercased(), in: all))
    }
}
