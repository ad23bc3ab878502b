import AssureModel
import GRDB

/// What the workbench holds of the gaps, from one pass over the table's small columns: every
/// key in triage order, the open-gap counts, and the links of the gaps that block readiness.
public struct GapOverview: Equatable, Sendable {
    public var keys: [GapKey]
    public var counts: GapCounts
    public var blocking: [BlockingLink]
}

/// The reads behind the workbench's Gaps pane: keys in triage order for every row, whole gaps
/// only for the rows on screen, and the counts the other panes show. The order is the model's
/// rule (`GapOrder.triageOrder` on the columns it compares), never a second copy of it in SQL;
/// `GapWindowTests` checks every read against the rule run over whole gaps.
extension WorkspaceReader {
    /// `WHERE` for one owner's gaps by name ("" for gaps with no owner), or none.
    private static func ownerClause(_ owner: String?) -> (sql: String, arguments: StatementArguments) {
        guard let owner else { return ("", []) }
        if owner.isEmpty { return ("WHERE g.owner_id IS NULL", []) }
        return ("WHERE g.owner_id IN (SELECT id FROM owner WHERE name = ? COLLATE BINARY)", [owner])
    }

    /// The gaps' keys, counts and blocking links in one pass, limited to an owner when given
    /// (the counts and links then cover that owner's gaps only).
    public func gapOverview(owner: String? = nil, today: String) throws -> GapOverview {
        var controlRefs: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, ref FROM control WHERE id IN (SELECT control_id FROM gap)") {
            controlRefs[row[0]] = row[1]
        }
        var requirements: [Int64: (ref: String, framework: String)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, ref, framework_id FROM requirement WHERE id IN (SELECT requirement_id FROM gap)") {
            requirements[row[0]] = (row[1], row[2])
        }
        let clause = Self.ownerClause(owner)
        var keys: [GapKey] = []
        var entries: [TriageEntry] = []
        var counts = GapCounts()
        var blocking: [BlockingLink] = []
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT g.id, g.ref, g.status IN ('open', 'in-progress'), g.severity, g.due, g.number, g.owner_id IS NULL,
                       g.control_id, g.requirement_id
                FROM gap g \(clause.sql)
                """,
            arguments: clause.arguments)
        while let row = try cursor.next() {
            let isOpen: Bool = row[2]
            let severityText: String = row[3]
            let severity = Severity(rawValue: severityText) ?? .medium
            let due: String? = row[4]
            keys.append(GapKey(id: row[0], ref: row[1], isOpen: isOpen))
            entries.append(TriageEntry(isOpen: isOpen, severity: severity, due: due, number: row[5]))
            guard isOpen else { continue }
            let control = (row[7] as Int64?).flatMap { controlRefs[$0] }
            let requirement = (row[8] as Int64?).flatMap { requirements[$0] }
            counts.addOpen(
                severity: severity, due: due, hasOwner: !(row[6] as Bool), control: control,
                requirement: requirement.map { "\($0.framework):\($0.ref)" }, today: today)
            if ReadinessFacts.blocks(status: .open, severity: severity) {
                blocking.append(BlockingLink(control: control, requirement: requirement?.ref, framework: requirement?.framework))
            }
        }
        return GapOverview(keys: GapOrder.triageOrder(entries: entries).map { keys[$0] }, counts: counts, blocking: blocking)
    }

    /// Every gap's key in triage order, limited to an owner when given.
    public func gapKeys(owner: String? = nil) throws -> [GapKey] {
        try gapOverview(owner: owner, today: "").keys
    }

    /// The keys with the fields the pane's filter matches (reference, title, owner's name).
    public func gapSearchRows(owner: String? = nil) throws -> [GapSearchRow] {
        let clause = Self.ownerClause(owner)
        var rows: [GapSearchRow] = []
        var entries: [TriageEntry] = []
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT g.id, g.ref, g.status IN ('open', 'in-progress'), g.title, o.name, g.severity, g.due, g.number
                FROM gap g LEFT JOIN owner o ON o.id = g.owner_id \(clause.sql)
                """,
            arguments: clause.arguments)
        while let row = try cursor.next() {
            let isOpen: Bool = row[2]
            let severity: String = row[5]
            rows.append(GapSearchRow(key: GapKey(id: row[0], ref: row[1], isOpen: isOpen), title: row[3], owner: row[4]))
            entries.append(TriageEntry(isOpen: isOpen, severity: Severity(rawValue: severity) ?? .medium, due: row[6], number: row[7]))
        }
        return GapOrder.triageOrder(entries: entries).map { rows[$0] }
    }

    /// Whole gaps by id (a window of the pane), in no particular order.
    public func gaps(ids: [Int64]) throws -> [Gap] {
        guard !ids.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        return try GapRows.fetch(db, tail: "WHERE g.id IN (\(marks))", arguments: StatementArguments(ids))
    }

    /// Open gaps past their due date, in triage order.
    public func overdueGaps(today: String) throws -> [Gap] {
        let gaps = try GapRows.fetch(
            db, tail: "WHERE g.status IN ('open', 'in-progress') AND g.due IS NOT NULL AND g.due < ?", arguments: [today])
        return GapOrder.triageOrder(gaps).map { gaps[$0] }
    }
}
