import AssureModel
import GRDB

#if canImport(GRDBSQLite)
    import GRDBSQLite
#elseif canImport(SQLite3)
    import SQLite3
#endif

extension WorkspaceReader {
    /// What `assure status` needs of the owners, controls and gaps: `readinessFacts()` and
    /// `counts(today:)` together, equal to what each gives (StatusReadTests), from one pass
    /// over each table. Calling both read the gap and control tables twice each, and the two
    /// gap reads (20,000 rows, most of them looked up row by row through the status index)
    /// were the largest part of the command. Reads SQL even when this transaction already
    /// holds the controls or gaps: the facts are the same either way (CountsTests).
    public func statusFacts(today: String) throws -> (facts: ReadinessFacts, counts: WorkspaceCounts) {
        var facts = ReadinessFacts()
        var counts = WorkspaceCounts()
        // Owners who have not retired: counted, and what makes a control owned. A control
        // whose owner is retired, missing or none is unowned (`Rules.isUnowned`).
        let active = Set(try Int64.fetchAll(db, sql: "SELECT id FROM owner WHERE retired_at IS NULL"))
        counts.activeOwners = active.count

        let controlCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM control") ?? 0
        // Each control's reference by id, for the gaps that name one.
        var controlRefs = RowIDTable<String>(largestID: try Int64.fetchOne(db, sql: "SELECT max(id) FROM control") ?? 0, count: controlCount)
        facts.controls.reserveCapacity(controlCount)
        let statuses = ControlStatus.allCases
        var byStatus = [Int](repeating: 0, count: statuses.count)
        let notStarted = statuses.firstIndex(of: .notStarted)!
        let notApplicable = statuses.firstIndex(of: .notApplicable)!
        // In reference order, as `readinessFacts()` reads them (of two references equal but
        // for case, the later one wins).
        let controls = try db.makeStatement(sql: "SELECT id, ref, status, justification, owner_id FROM control ORDER BY ref")
        let control = controls.sqliteStatement
        let controlCursor = try Row.fetchCursor(controls)
        while try controlCursor.next() != nil {
            let ref = StatementColumns.string(control, 1)
            // The schema admits only the four statuses; an unknown one reads as not started,
            // though only the text itself says "not applicable" to the unowned count.
            let known = StatementColumns.caseIndex(control, 2, ControlStatus.self, rawBytes: Self.controlStatusBytes)
            let status = statuses[known ?? notStarted]
            controlRefs[sqlite3_column_int64(control, 0)] = ref
            // Only a not-applicable control's justification counts (`ControlFact`).
            let justification = status == .notApplicable ? StatementColumns.string(control, 3) : ""
            facts.add(control: ref, status: status, justification: justification)
            byStatus[known ?? notStarted] += 1
            let owned = StatementColumns.int64(control, 4).map(active.contains) ?? false
            if known != notApplicable && !owned { counts.unownedControls += 1 }
        }
        for (index, count) in byStatus.enumerated() where count > 0 {
            counts.controlsByStatus[statuses[index]] = count
            counts.controls += count
        }

        var requirements = RowIDTable<(ref: String, framework: String)>(
            largestID: try Int64.fetchOne(db, sql: "SELECT max(id) FROM requirement") ?? 0,
            count: try Int.fetchOne(db, sql: "SELECT count(*) FROM requirement") ?? 0)
        let requirementCursor = try Row.fetchCursor(db, sql: "SELECT id, ref, framework_id FROM requirement")
        while let row = try requirementCursor.next() { requirements[row[0]] = (row[1], row[2]) }

        // Open and in-progress gaps: every one is counted; the critical and high ones block.
        // `due < ?` is compared in SQL, as `counts` compares it (dates are YYYY-MM-DD text).
        let severities = Severity.allCases
        var bySeverity = [Int](repeating: 0, count: severities.count)
        let medium = severities.firstIndex(of: .medium)!
        // What blocks, by id first: a control or requirement named by many gaps is named once.
        var blockedControls = Set<Int64>()
        var blockedRequirements = Set<Int64>()
        let gaps = try db.makeStatement(
            sql: "SELECT status, severity, due < ?, control_id, requirement_id FROM gap WHERE status IN ('open', 'in-progress')")
        let gap = gaps.sqliteStatement
        let gapCursor = try Row.fetchCursor(gaps, arguments: [today])
        while try gapCursor.next() != nil {
            let index = StatementColumns.caseIndex(gap, 1, Severity.self, rawBytes: Self.severityBytes) ?? medium
            bySeverity[index] += 1
            if sqlite3_column_int64(gap, 2) != 0 { counts.overdueGaps += 1 }
            let severity = severities[index]
            // Open by the query, so the readiness rule decides by severity alone.
            guard ReadinessFacts.blocks(status: .open, severity: severity) else { continue }
            if let id = StatementColumns.int64(gap, 3), controlRefs[id] != nil { blockedControls.insert(id) }
            if let id = StatementColumns.int64(gap, 4), requirements[id] != nil { blockedRequirements.insert(id) }
        }
        for (index, count) in bySeverity.enumerated() where count > 0 {
            counts.openGapsBySeverity[severities[index]] = count
            counts.openGaps += count
        }
        for id in blockedControls {
            facts.add(gap: .open, severity: .critical, control: controlRefs[id], requirement: nil, framework: nil)
        }
        for id in blockedRequirements {
            let requirement = requirements[id]
            facts.add(gap: .open, severity: .critical, control: nil, requirement: requirement?.ref, framework: requirement?.framework)
        }
        return (facts, counts)
    }

    private static let controlStatusBytes = StatementColumns.rawBytes(ControlStatus.self)
    private static let severityBytes = StatementColumns.rawBytes(Severity.self)
}
