import AssureModel
import Foundation
import GRDB

#if canImport(GRDBSQLite)
    import GRDBSQLite
#elseif canImport(SQLite3)
    import SQLite3
#endif

public struct GapFilter: Sendable {
    public var owner: String?
    public var status: GapStatus?
    public var severity: Severity?
    public init(owner: String? = nil, status: GapStatus? = nil, severity: Severity? = nil) {
        self.owner = owner; self.status = status; self.severity = severity
    }
}

/// The fields the workbench's `e` form edits on a gap. Only fields given (non-nil) change.
public struct GapEdit: Equatable, Sendable {
    public var title: String?
    public var description: String?
    public var severity: Severity?
    public var effort: Effort?
    /// A date as typed (`2027-01-31`, `+10d`, `eoq`), or "" to clear the due date.
    public var due: String?
    public init(title: String? = nil, description: String? = nil, severity: Severity? = nil, effort: Effort? = nil, due: String? = nil) {
        self.title = title; self.description = description; self.severity = severity; self.effort = effort; self.due = due
    }
}

enum GapRows {
    /// Explicit columns read by position: a lookup by name lowercases the name on every read,
    /// which was a third of `assure status` at 20,000 gaps.
    static let select = """
        SELECT g.ref, g.title, g.description, g.severity, g.effort, c.ref, r.ref, o.name, g.due, g.status,
               g.justification, g.remediation_note, g.remediated_by, g.remediated_at, g.created_at, r.framework_id
        FROM gap g LEFT JOIN owner o ON o.id = g.owner_id LEFT JOIN control c ON c.id = g.control_id
        LEFT JOIN requirement r ON r.id = g.requirement_id
        """

    /// The current row of a statement of `select`, read straight from it: GRDB's `Row`
    /// subscripts looked up each value's type on every column, a third of reading a page.
    static func gap(_ row: OpaquePointer) -> Gap {
        Gap(
            ref: StatementColumns.string(row, 0), title: StatementColumns.string(row, 1), description: StatementColumns.string(row, 2),
            severity: Severity(rawValue: StatementColumns.string(row, 3)) ?? .medium,
            effort: Effort(rawValue: StatementColumns.string(row, 4)) ?? .m,
            control: StatementColumns.optionalString(row, 5), criterion: StatementColumns.optionalString(row, 6),
            owner: StatementColumns.optionalString(row, 7), due: StatementColumns.optionalString(row, 8),
            status: GapStatus(rawValue: StatementColumns.string(row, 9)) ?? .open, justification: StatementColumns.string(row, 10),
            remediationNote: StatementColumns.string(row, 11), remediatedBy: StatementColumns.optionalString(row, 12),
            remediatedAt: StatementColumns.optionalString(row, 13), createdAt: StatementColumns.string(row, 14),
            framework: StatementColumns.optionalString(row, 15))
    }

    /// The WHERE clause (empty when unfiltered) and its arguments for `filter`, on `gap g`:
    /// shared by the listing and its CSV (`gapsCSV`), so both list the same gaps. An unknown
    /// owner is refused with suggestions.
    static func filter(_ db: Database, _ filter: GapFilter) throws -> (sql: String, arguments: StatementArguments) {
        var clauses: [String] = []
        var arguments: [DatabaseValueConvertible?] = []
        if let owner = filter.owner { clauses.append("g.owner_id = ?"); arguments.append(try Lookup.owner(db, owner).id) }
        if let status = filter.status { clauses.append("g.status = ?"); arguments.append(status.rawValue) }
        if let severity = filter.severity { clauses.append("g.severity = ?"); arguments.append(severity.rawValue) }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), StatementArguments(arguments))
    }

    /// Every row of `select` + `tail`, decoded straight from the statement (no row copies).
    /// `prepared`: the statement is kept on its connection for the next read (`InList`).
    static func fetch(_ db: Database, tail: String, arguments: StatementArguments = StatementArguments(), prepared: Bool = false) throws -> [Gap] {
        var gaps: [Gap] = []
        try forEach(db, tail: tail, arguments: arguments, prepared: prepared) { gaps.append($0) }
        return gaps
    }

    /// The same, one gap at a time, none kept.
    static func forEach(
        _ db: Database, tail: String, arguments: StatementArguments, prepared: Bool = false, _ body: (Gap) throws -> Void
    ) throws {
        let sql = "\(select) \(tail)"
        let statement = prepared ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        while try cursor.next() != nil { try body(gap(statement.sqliteStatement)) }
    }
}

extension WorkspaceReader {
    /// Gaps by number.
    public func gaps(_ filter: GapFilter = GapFilter()) throws -> [Gap] {
        let unfiltered = filter.owner == nil && filter.status == nil && filter.severity == nil
        if unfiltered, let cached = cache.gaps { return cached }
        let (whereSQL, arguments) = try GapRows.filter(db, filter)
        let gaps = try GapRows.fetch(db, tail: "\(whereSQL) ORDER BY g.number", arguments: arguments)
        if unfiltered { cache.gaps = gaps }
        return gaps
    }

    /// The same gaps one at a time, none kept: a listing written as it is read.
    public func forEachGap(_ filter: GapFilter = GapFilter(), _ body: (Gap) throws -> Void) throws {
        let (whereSQL, arguments) = try GapRows.filter(db, filter)
        try GapRows.forEach(db, tail: "\(whereSQL) ORDER BY g.number", arguments: arguments, body)
    }

    /// The in-scope requirements at each framework's assessable level, as `framework:ref`.
    func inScopeAssessable() throws -> Set<String> {
        var result = Set<String>()
        for framework in try frameworks() {
            for summary in try requirementSummaries(framework: framework.id) where summary.isAssessable && summary.inScope {
                result.insert(summary.requirement.qualifiedRef)
            }
        }
        return result
    }

    /// Gaps in backlog order (rule: `Ranking` in AssureModel): open by score, closed last.
    /// "Requirements touched" counts in-scope assessable requirements of every framework.
    public func rankedGaps(today: String, weights: RankingWeights? = nil) throws -> [(gap: Gap, score: GapScore)] {
        try rank(try gaps(), controls: try controls(), today: today, weights: weights)
    }

    /// Ranks gaps already read in this transaction.
    public func rank(_ gaps: [Gap], controls: [Control], today: String, weights: RankingWeights? = nil) throws -> [(gap: Gap, score: GapScore)] {
        let context = try rankingContext(controls: controls, weights: weights)
        let touched = context.touchedByControl()
        let scores = gaps.map { context.score($0, today: today, viaControl: $0.control.flatMap { touched[$0] }) }
        return Ranking.order(gaps, scores: scores).map { (gap: gaps[$0], score: scores[$0]) }
    }

    /// The first `limit` of `rank(gaps, ...)` among the gaps `include` keeps, in the same
    /// order, without building the whole ranked list: the report shows ten of 20,000 gaps, and
    /// the list of them all (each gap copied with its score) was most of its memory.
    public func rankTop(_ gaps: [Gap], controls: [Control], today: String, limit: Int, where include: (Gap) -> Bool) throws
        -> [(gap: Gap, score: GapScore)]
    {
        let context = try rankingContext(controls: controls)
        let touched = context.touchedByControl()
        func score(_ gap: Gap) -> GapScore { context.score(gap, today: today, viaControl: gap.control.flatMap { touched[$0] }) }
        let positions = gaps.indices.filter { include(gaps[$0]) }
        // The few shown are scored again rather than every score kept by position.
        return Ranking.order(gaps, scores: positions.map { score(gaps[$0]) }, among: positions).prefix(limit).map { (gaps[$0], score(gaps[$0])) }
    }

    /// What scoring needs besides the gaps, read in this transaction: the weights (the
    /// workspace's own unless given), the in-scope assessable requirements, and what each
    /// control is mapped to.
    public func rankingContext(controls: [Control], weights: RankingWeights? = nil) throws -> RankingContext {
        try rankingContext(mappings: controls.map { ($0.ref, $0.requirements) }, weights: weights)
    }

    /// The same from the controls' lines, as the workbench holds them.
    public func rankingContext(lines: [ControlLine]) throws -> RankingContext {
        try rankingContext(mappings: lines.map { ($0.ref, $0.requirements) }, weights: nil)
    }

    /// `mappings`: each control's reference and the `framework:ref` of what it addresses.
    private func rankingContext(mappings: [(ref: String, requirements: [String])], weights: RankingWeights?) throws -> RankingContext {
        let inScope = try inScopeAssessable()
        var mapped: [String: [String]] = [:]
        mapped.reserveCapacity(mappings.count)
        for control in mappings { mapped[control.ref] = control.requirements }
        return RankingContext(weights: try weights ?? rankingWeights(), inScope: inScope, mappedByControl: mapped)
    }

    /// What `gaps derive` would open now (rule: `Derive` in AssureModel).
    /// `today`: when given, the evidence's view too (missing and late occurrences of each
    /// framework's audit window, stale evidence) and the programme's (risks with no treating
    /// control or past their review, policies never approved or past their review, vendors'
    /// reports, CUECs and agreements, privacy records, unresolved configuration drift).
    public func proposeGaps(today: String? = nil) throws -> [DerivedGap] {
        let existing = Set(try String.fetchAll(db, sql: "SELECT derived_key FROM gap WHERE derived_key IS NOT NULL"))
        var requirements: [DeriveRequirement] = []
        for framework in try frameworks() where framework.inScope {
            for summary in try requirementSummaries(framework: framework.id) where summary.isAssessable && summary.inScope {
                requirements.append(
                    DeriveRequirement(
                        frameworkID: framework.id, ref: summary.requirement.ref,
                        title: summary.requirement.title, mappedControls: summary.controls.count))
            }
        }
        let controls = try controls()
        var proposals = Derive.proposals(requirements: requirements, controls: controls, existingKeys: existing)
        guard let today else { return proposals }
        var owners: [String: String] = [:]
        for control in controls where !control.ownerRetired { owners[control.ref] = control.owner }
        var occurrences: [Occurrence] = []
        for framework in try frameworks() where try framework.inScope && auditTarget(framework: framework.id) != nil {
            occurrences += try ledger(framework: framework.id, today: today).occurrences
        }
        let stale = try evidence(today: today).filter(\.stale).map {
            StaleEvidence(control: $0.control, evidence: $0.ref, expires: $0.expires ?? today)
        }
        let operating = Set(controls.filter { $0.status == .implemented }.map(\.ref))
        proposals += Derive.evidenceProposals(occurrences: occurrences, stale: stale, operating: operating, owners: owners, existingKeys: existing)
        // The programme's own: risks untreated or past review, policies unapproved or past review.
        proposals += try riskProposals(today: today, existingKeys: existing)
        proposals += try policyProposals(today: today, existingKeys: existing)
        // Vendors (reports, window coverage, CUECs, agreements, reviews) and privacy records.
        proposals += try vendorProposals(today: today, existingKeys: existing)
        proposals += try privacyProposals(today: today, existingKeys: existing)
        // A control whose collector's output drifted from its approved baseline.
        proposals += try driftProposals(today: today, existingKeys: existing)
        return proposals
    }

    /// What threatens the target audit's date (rule: `AuditThreats` in AssureModel).
    public func auditThreats(now: Date, framework: String = Framework.soc2ID) throws -> [AuditThreat] {
        guard let target = try auditTarget(framework: framework) else { return [] }
        return AuditThreats.find(target: target, gaps: try gaps(), controls: try controls(), now: now)
    }
}

extension WorkspaceWriter {
    /// Opens a new gap and returns its reference (`GAP-26`).
    @discardableResult
    public func openGap(_ draft: GapDraft, status: GapStatus = .open) throws -> String {
        let title = draft.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw WorkspaceError.invalid("a gap needs a title (--title TEXT)") }
        let due = try draft.due.map { text -> String in
            do { return try DueDate.parse(text, today: actor.now) } catch { throw WorkspaceError.invalid("\(error)") }
        }
        let owner = try draft.owner.map { try Lookup.activeOwner(db, $0) }
        let control = try draft.control.map { try Lookup.control(db, $0) }
        let requirement = try draft.criterion.map { try Lookup.requirement(db, $0) }
        let number = (try Int64.fetchOne(db, sql: "SELECT coalesce(max(number), 0) + 1 FROM gap") ?? 1)
        let ref = "GAP-\(number)"
        try db.execute(
            sql: """
                INSERT INTO gap (number, ref, title, description, severity, effort, control_id, requirement_id,
                                 owner_id, due, status, created_at, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                number, ref, title, draft.description, draft.severity.rawValue, draft.effort.rawValue,
                control?.id, requirement?.id, owner?.id, due, status.rawValue, log.at, log.actor,
            ])
        let id = db.lastInsertedRowID
        try log.record(db, entity: "gap", ref: ref, id: id, field: "created", before: nil, after: title)
        try log.record(db, entity: "gap", ref: ref, id: id, field: "severity", before: nil, after: draft.severity.rawValue)
        try log.record(db, entity: "gap", ref: ref, id: id, field: "effort", before: nil, after: draft.effort.rawValue)
        try log.record(db, entity: "gap", ref: ref, id: id, field: "status", before: nil, after: status.rawValue)
        if !draft.description.isEmpty {
            try log.record(db, entity: "gap", ref: ref, id: id, field: "description", before: nil, after: draft.description)
        }
        try log.recordOwner(db, entity: "gap", ref: ref, id: id, field: "owner", before: nil, after: owner?.id)
        try log.record(db, entity: "gap", ref: ref, id: id, field: "due", before: nil, after: due)
        try log.record(db, entity: "gap", ref: ref, id: id, field: "control", before: nil, after: control?.ref)
        // SOC 2's criteria are named plainly, as the first release did; others as framework:ref.
        try log.record(
            db, entity: "gap", ref: ref, id: id, field: "criterion", before: nil,
            after: requirement.map { $0.framework == Framework.soc2ID ? $0.ref : "\($0.framework):\($0.ref)" })
        return ref
    }

    /// Marks gaps remediated with a note saying what was done; records who and when.
    public func remediateGaps(_ refs: [String], note: String) throws {
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw WorkspaceError.invalid("remediating a gap needs a note saying what was done (--note TEXT)") }
        for ref in refs {
            try moveGap(ref, to: .remediated, note: note, justification: "", remediatedBy: actor.name, remediatedAt: log.at)
        }
    }

    /// Reopens remediated or accepted gaps.
    public func reopenGaps(_ refs: [String]) throws {
        for ref in refs { try moveGap(ref, to: .open, note: "", justification: "", remediatedBy: nil, remediatedAt: nil) }
    }

    /// Marks gaps as being worked on.
    public func startGaps(_ refs: [String]) throws {
        for ref in refs { try moveGap(ref, to: .inProgress, note: "", justification: "", remediatedBy: nil, remediatedAt: nil) }
    }

    /// Accepts the risk of gaps instead of fixing them; the justification is required.
    public func acceptGaps(_ refs: [String], justification: String) throws {
        let reason = justification.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw WorkspaceError.invalid("accepting a risk needs a justification (--justification TEXT)") }
        for ref in refs { try moveGap(ref, to: .riskAccepted, note: "", justification: reason, remediatedBy: nil, remediatedAt: nil) }
    }

    /// Sets (or with nil clears) the owner of gaps.
    public func assignGaps(_ refs: [String], owner: String?) throws {
        let newOwner = try owner.map { try Lookup.activeOwner(db, $0) }
        for ref in refs { try assignGap(try Lookup.gap(db, ref), ownerID: newOwner?.id) }
    }

    func assignGap(_ gap: (id: Int64, ref: String), ownerID: Int64?) throws {
        let current = try Int64.fetchOne(db, sql: "SELECT owner_id FROM gap WHERE id = ?", arguments: [gap.id])
        try db.execute(sql: "UPDATE gap SET owner_id = ? WHERE id = ?", arguments: [ownerID, gap.id])
        try log.recordOwner(db, entity: "gap", ref: gap.ref, id: gap.id, field: "owner", before: current, after: ownerID)
    }

    public func editGap(_ ref: String, _ edit: GapEdit) throws {
        if let title = edit.title, title.trimmingCharacters(in: .whitespaces).isEmpty {
            throw WorkspaceError.invalid("a gap needs a title")
        }
        let due: String?? = try edit.due.map { text -> String? in
            if text.trimmingCharacters(in: .whitespaces).isEmpty { return nil }
            do { return try DueDate.parse(text, today: actor.now) } catch { throw WorkspaceError.invalid("\(error)") }
        }
        let gap = try Lookup.gap(db, ref)
        let row = try Row.fetchOne(db, sql: "SELECT title, description, severity, effort, due FROM gap WHERE id = ?", arguments: [gap.id])!
        let changes: [(String, String?)] = [
            ("title", edit.title?.trimmingCharacters(in: .whitespaces)), ("description", edit.description),
            ("severity", edit.severity?.rawValue), ("effort", edit.effort?.rawValue),
        ]
        for (column, value) in changes {
            guard let value else { continue }
            try db.execute(sql: "UPDATE gap SET \(column) = ? WHERE id = ?", arguments: [value, gap.id])
            try log.record(db, entity: "gap", ref: gap.ref, id: gap.id, field: column, before: row[column], after: value)
        }
        if let due {
            try db.execute(sql: "UPDATE gap SET due = ? WHERE id = ?", arguments: [due, gap.id])
            try log.record(db, entity: "gap", ref: gap.ref, id: gap.id, field: "due", before: row["due"], after: due)
        }
    }

    /// Moves a gap to `status`, recording each field that changes.
    func moveGap(_ ref: String, to status: GapStatus, note: String, justification: String, remediatedBy: String?, remediatedAt: String?) throws {
        let gap = try Lookup.gap(db, ref)
        let row = try Row.fetchOne(
            db, sql: "SELECT status, remediation_note, justification, remediated_by, remediated_at FROM gap WHERE id = ?", arguments: [gap.id])!
        try db.execute(
            sql: "UPDATE gap SET status = ?, remediation_note = ?, justification = ?, remediated_by = ?, remediated_at = ? WHERE id = ?",
            arguments: [status.rawValue, note, justification, remediatedBy, remediatedAt, gap.id])
        let fields: [(String, String?, String?)] = [
            ("status", row["status"], status.rawValue), ("remediation_note", row["remediation_note"], note),
            ("justification", row["justification"], justification), ("remediated_by", row["remediated_by"], remediatedBy),
            ("remediated_at", row["remediated_at"], remediatedAt),
        ]
        for (field, before, after) in fields {
            try log.record(db, entity: "gap", ref: gap.ref, id: gap.id, field: field, before: before, after: after)
        }
    }

    /// Opens the proposed gaps; returns their references.
    @discardableResult
    public func createDerivedGaps(_ proposals: [DerivedGap]) throws -> [String] {
        try proposals.map { proposal in
            let ref = try openGap(proposal.draft)
            try db.execute(sql: "UPDATE gap SET derived_key = ? WHERE ref = ?", arguments: [proposal.key, ref])
            try log.record(db, entity: "gap", ref: ref, field: "derived_from", before: nil, after: proposal.key)
            return ref
        }
    }
}
