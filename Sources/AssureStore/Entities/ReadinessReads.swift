import AssureModel
import GRDB

extension WorkspaceReader {
    /// What the readiness rule needs of the controls and gaps (`ReadinessFacts`): from the
    /// controls and gaps this transaction already read, or else from the few columns the
    /// rule looks at (status and justification of each control; the links of each open
    /// critical or high gap), which is a fraction of reading them whole.
    public func readinessFacts() throws -> ReadinessFacts {
        var facts = ReadinessFacts()
        let cachedControls = cache.controls
        let cachedGaps = cache.gaps
        // A gap's links are ids: they are named from these maps rather than joined row by row.
        var controlRefs: [Int64: String] = [:]
        if cachedControls == nil || cachedGaps == nil {
            // Sized once: growing two tables of 5,000 entries step by step was a visible part.
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM control") ?? 0
            if cachedGaps == nil { controlRefs.reserveCapacity(count) }
            if cachedControls == nil { facts.controls.reserveCapacity(count) }
            // In reference order, as `controls()` reads them: of two references equal but for
            // case, the later one wins in both.
            let cursor = try Row.fetchCursor(db, sql: "SELECT id, ref, status, justification FROM control ORDER BY ref")
            while let row = try cursor.next() {
                let ref: String = row[1]
                if cachedGaps == nil { controlRefs[row[0]] = ref }
                if cachedControls == nil {
                    let status: String = row[2]
                    let justification: String = row[3]
                    facts.add(control: ref, status: ControlStatus(rawValue: status) ?? .notStarted, justification: justification)
                }
            }
        }
        if let cachedControls {
            for control in cachedControls { facts.add(control: control.ref, status: control.status, justification: control.justification) }
        }
        if let cachedGaps {
            for gap in cachedGaps {
                facts.add(gap: gap.status, severity: gap.severity, control: gap.control, requirement: gap.criterion, framework: gap.framework)
            }
            return facts
        }
        var requirements: [Int64: (ref: String, framework: String)] = [:]
        let requirementCursor = try Row.fetchCursor(db, sql: "SELECT id, ref, framework_id FROM requirement")
        while let row = try requirementCursor.next() { requirements[row[0]] = (row[1], row[2]) }
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT status, severity, control_id, requirement_id FROM gap
                WHERE status IN ('open', 'in-progress') AND severity IN ('critical', 'high')
                """)
        while let row = try cursor.next() {
            let status: String = row[0]
            let severity: String = row[1]
            let control: Int64? = row[2]
            let requirement = (row[3] as Int64?).flatMap { requirements[$0] }
            facts.add(
                gap: GapStatus(rawValue: status) ?? .open, severity: Severity(rawValue: severity) ?? .medium,
                control: control.flatMap { controlRefs[$0] }, requirement: requirement?.ref, framework: requirement?.framework)
        }
        return facts
    }

    /// Readiness of one framework from facts already gathered (`readinessFacts()`), so a
    /// caller that needs several frameworks' readiness gathers them once.
    public func readiness(framework: String, facts: ReadinessFacts) throws -> Readiness {
        let id = try Lookup.framework(db, framework)
        return Readiness.compute(criteria: try readinessInput(framework: id), facts: facts, framework: id)
    }
}
