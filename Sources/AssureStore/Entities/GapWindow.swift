import AssureModel
import GRDB

#if canImport(GRDBSQLite)
    import GRDBSQLite
#elseif canImport(SQLite3)
    import SQLite3
#endif

/// What the workbench holds of the gaps, from one pass over the table's small columns: every
/// key in triage order, the open-gap counts, and the links of the gaps that block readiness.
public struct GapOverview: Equatable, Sendable {
    public var keys: [GapKey]
    public var counts: GapCounts
    public var blocking: [BlockingLink]
    /// The readiness facts of `blocking` (blocked controls and requirements, no control's
    /// own facts), gathered from the rows' ids during the same pass.
    public var blocked: ReadinessFacts
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
        // Names by id: every control, requirement and owner, read whole (a walk of a covering
        // index costs less than finding the ones 20,000 gaps name).
        let controls = try Self.names(db, sql: "SELECT id, ref FROM control")
        // A requirement's ref and its framework, in one read so both share a slot.
        let requirements = try Self.names(db, sql: "SELECT id, ref, framework_id FROM requirement")
        let owners = try Self.names(db, sql: "SELECT id, name FROM owner")
        let clause = Self.ownerClause(owner)
        // Sized once from the largest id (ids are nearly always dense): grown step by step,
        // the arrays of 20,000 rows were copied a dozen times.
        let expected = Int(min(max(try Int64.fetchOne(db, sql: "SELECT max(id) FROM gap") ?? 0, 0), 1 << 20))
        var keys: [GapKey] = []
        keys.reserveCapacity(expected)
        // Each row's place in the triage order as one integer, from the columns' bytes: no
        // text is made of a due date that is written as a date. A due date written otherwise
        // (never, in practice) is kept as text, and then the general rule orders them all.
        var places: [TriagePlace] = []
        places.reserveCapacity(expected)
        var irregularDue: [Int: String] = [:]
        let todayKey = GapOrder.dueKey(today)
        var blocking: [BlockingLink] = []
        // Open gaps are counted by id in arrays (no hashing per gap), then named once at the
        // end; `GapWindowTests` checks the result equals `GapCounts.addOpen` over whole gaps.
        var bySeverity = [Int](repeating: 0, count: Severity.allCases.count)
        var overdue = 0
        var unassigned = 0
        var byControl = [Int](repeating: 0, count: controls.count)
        var byRequirement = [Int](repeating: 0, count: requirements.count)
        var byOwner = [Int](repeating: 0, count: owners.count)
        var overdueByOwner = [Int](repeating: 0, count: owners.count)
        // What the blocking gaps link to, by slot: a few thousand controls, named once at the end.
        var blockedControl = [Bool](repeating: false, count: controls.count)
        var blockedRequirement = [Bool](repeating: false, count: requirements.count)
        let statement = try db.makeStatement(
            sql: """
                SELECT g.id, g.ref, g.status IN ('open', 'in-progress'), g.severity, g.due, g.number, g.owner_id,
                       g.control_id, g.requirement_id
                FROM gap g \(clause.sql)
                """)
        // 20,000 rows: columns are read straight from the statement (`StatementColumns`), as
        // GRDB would decode them, without a `Row` per gap.
        let row = statement.sqliteStatement
        let cursor = try Row.fetchCursor(statement, arguments: clause.arguments)
        let severities = Severity.allCases
        while try cursor.next() != nil {
            let isOpen = sqlite3_column_int64(row, 2) != 0
            let severityIndex = StatementColumns.caseIndex(row, 3, Severity.self, rawBytes: Self.severityBytes) ?? Self.mediumIndex
            let severity = severities[severityIndex]
            var dueKey = GapOrder.missingDueKey
            var late = false
            if let due = StatementColumns.bytes(row, 4) {
                if let key = GapOrder.dueKey(utf8: due), let todayKey {
                    dueKey = key
                    late = key < todayKey
                } else {
                    let text = StatementColumns.string(row, 4)
                    irregularDue[keys.count] = text
                    late = GapCounts.isLate(due: text, today: today)
                }
            }
            keys.append(GapKey(id: sqlite3_column_int64(row, 0), ref: StatementColumns.string(row, 1), isOpen: isOpen))
            places.append(TriagePlace(isOpen: isOpen, severity: severity, dueKey: dueKey, number: Int(sqlite3_column_int64(row, 5))))
            guard isOpen else { continue }
            bySeverity[severityIndex] += 1
            if late { overdue += 1 }
            if let id = StatementColumns.int64(row, 6), let slot = owners.slot[id] {
                byOwner[slot] += 1
                if late { overdueByOwner[slot] += 1 }
            } else {
                unassigned += 1
            }
            let control = StatementColumns.int64(row, 7).flatMap { controls.slot[$0] }
            let requirement = StatementColumns.int64(row, 8).flatMap { requirements.slot[$0] }
            if let control { byControl[control] += 1 }
            if let requirement { byRequirement[requirement] += 1 }
            if ReadinessFacts.blocks(status: .open, severity: severity) {
                if let control { blockedControl[control] = true }
                if let requirement { blockedRequirement[requirement] = true }
                blocking.append(
                    BlockingLink(
                        control: control.map { controls.names[$0] }, requirement: requirement.map { requirements.names[$0] },
                        framework: requirement.map { requirements.second[$0] }))
            }
        }
        var blocked = ReadinessFacts()
        for i in blockedControl.indices where blockedControl[i] { blocked.addBlocking(control: controls.names[i], requirement: nil, framework: nil) }
        for i in blockedRequirement.indices where blockedRequirement[i] {
            blocked.addBlocking(control: nil, requirement: requirements.names[i], framework: requirements.second[i])
        }
        var counts = GapCounts()
        counts.openByControl.reserveCapacity(byControl.count)
        counts.openByRequirement.reserveCapacity(byRequirement.count)
        for (i, n) in bySeverity.enumerated() where n > 0 { counts.openBySeverity[severities[i]] = n }
        counts.overdue = overdue
        counts.unassignedOpen = unassigned
        for (i, n) in byControl.enumerated() where n > 0 { counts.openByControl[controls.names[i]] = n }
        for (i, n) in byRequirement.enumerated() where n > 0 {
            counts.openByRequirement[requirements.second[i] + ":" + requirements.names[i]] = n
        }
        for (i, n) in byOwner.enumerated() where n > 0 { counts.openByOwner[owners.names[i]] = n }
        for (i, n) in overdueByOwner.enumerated() where n > 0 { counts.overdueByOwner[owners.names[i]] = n }
        return GapOverview(
            keys: Self.triageOrder(places, irregularDue: irregularDue).map { keys[$0] }, counts: counts, blocking: blocking, blocked: blocked)
    }

    /// Names by row id, as arrays and each id's slot in them.
    private struct Names {
        var names: [String] = []
        /// The third column, when the query has one.
        var second: [String] = []
        var slot: RowIDTable<Int>
        var count: Int { names.count }
    }

    /// `sql` selects an id and one or two texts; read straight from the statement.
    private static func names(_ db: Database, sql: String) throws -> Names {
        var ids: [Int64] = []
        var names: [String] = []
        var second: [String] = []
        let statement = try db.makeStatement(sql: sql)
        let row = statement.sqliteStatement
        let two = statement.columnCount > 2
        let cursor = try Row.fetchCursor(statement)
        while try cursor.next() != nil {
            ids.append(sqlite3_column_int64(row, 0))
            names.append(StatementColumns.string(row, 1))
            if two { second.append(StatementColumns.string(row, 2)) }
        }
        var slot = RowIDTable<Int>(largestID: ids.max() ?? 0, count: ids.count)
        for (i, id) in ids.enumerated() { slot[id] = i }
        return Names(names: names, second: second, slot: slot)
    }

    /// What the triage order compares of one row, with its due date as `GapOrder.dueKey`
    /// (`missingDueKey` when there is none, anything when the text is irregular).
    private struct TriagePlace {
        var isOpen: Bool
        var severity: Severity
        var dueKey: Int
        var number: Int
    }

    /// The rows' positions in triage order: packed keys when every due date is written as a
    /// date and every field fits, the general rule on entries otherwise.
    private static func triageOrder(_ places: [TriagePlace], irregularDue: [Int: String]) -> [Int] {
        if irregularDue.isEmpty {
            var packed: [UInt64] = []
            packed.reserveCapacity(places.count)
            for place in places {
                guard let key = GapOrder.packedKey(isOpen: place.isOpen, severity: place.severity, dueKey: place.dueKey, number: place.number)
                else { break }
                packed.append(key)
            }
            if packed.count == places.count { return GapOrder.stableOrder(packed) }
        }
        return GapOrder.triageOrder(
            entries: places.indices.map { i in
                let place = places[i]
                let due = irregularDue[i] ?? (place.dueKey == GapOrder.missingDueKey ? nil : GapOrder.dueText(key: place.dueKey))
                return TriageEntry(isOpen: place.isOpen, severity: place.severity, due: due, number: place.number)
            })
    }

    private static let mediumIndex = Severity.allCases.firstIndex(of: .medium)!
    private static let severityBytes = StatementColumns.rawBytes(Severity.self)

    /// Every gap's key in triage order, limited to an owner when given.
    public func gapKeys(owner: String? = nil) throws -> [GapKey] {
        // Only the columns the keys and their order need: the overview also names every
        // control and requirement, which cost more than the hundred gaps of one owner (Enter on
        // an owner in the workbench asks for them).
        try inTriageOrder(owner: owner) { _, key in key }
    }

    /// The keys with the fields the pane's filter matches (reference, title, owner's name).
    public func gapSearchRows(owner: String? = nil) throws -> [GapSearchRow] {
        try inTriageOrder(owner: owner, columns: ", g.title, o.name", joins: "LEFT JOIN owner o ON o.id = g.owner_id") { row, key in
            GapSearchRow(key: key, title: StatementColumns.string(row, 6), owner: StatementColumns.optionalString(row, 7))
        }
    }

    /// One value per gap (limited to an owner when given), in triage order: `make` builds it
    /// from the statement's row (id, ref, open, severity, due, number, then `columns`) and the
    /// gap's key. Kept prepared and read straight from the statement: Enter on an owner in the
    /// workbench asks for these on a keystroke.
    private func inTriageOrder<Value>(
        owner: String?, columns: String = "", joins: String = "", _ make: (OpaquePointer, GapKey) -> Value
    ) throws -> [Value] {
        let clause = Self.ownerClause(owner)
        var values: [Value] = []
        var entries: [TriageEntry] = []
        let statement = try db.cachedStatement(
            sql: "SELECT g.id, g.ref, g.status IN ('open', 'in-progress'), g.severity, g.due, g.number\(columns) FROM gap g \(joins) \(clause.sql)")
        let row = statement.sqliteStatement
        let cursor = try Row.fetchCursor(statement, arguments: clause.arguments)
        while try cursor.next() != nil {
            let isOpen = sqlite3_column_int64(row, 2) != 0
            values.append(make(row, GapKey(id: sqlite3_column_int64(row, 0), ref: StatementColumns.string(row, 1), isOpen: isOpen)))
            entries.append(
                TriageEntry(
                    isOpen: isOpen, severity: Severity(rawValue: StatementColumns.string(row, 3)) ?? .medium,
                    due: StatementColumns.optionalString(row, 4), number: Int(sqlite3_column_int64(row, 5))))
        }
        return GapOrder.triageOrder(entries: entries).map { values[$0] }
    }

    /// Whole gaps by id (a window of the pane), in no particular order.
    public func gaps(ids: [Int64]) throws -> [Gap] {
        guard !ids.isEmpty else { return [] }
        let list = InList.padded(ids)
        return try GapRows.fetch(db, tail: "WHERE g.id IN (\(list.marks))", arguments: StatementArguments(list.values), prepared: true)
    }

    /// Open gaps past their due date, in triage order.
    public func overdueGaps(today: String) throws -> [Gap] {
        let gaps = try GapRows.fetch(
            db, tail: "WHERE g.status IN ('open', 'in-progress') AND g.due IS NOT NULL AND g.due < ?", arguments: [today])
        return GapOrder.triageOrder(gaps).map { gaps[$0] }
    }
}
