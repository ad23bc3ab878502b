import AssureModel
import GRDB

/// The counts `assure status` prints, taken in SQL: reading 5,000 controls and 20,000 gaps as
/// whole records only to count them was most of the command's time.
public struct WorkspaceCounts: Equatable, Sendable {
    public var controls = 0
    public var controlsByStatus: [ControlStatus: Int] = [:]
    /// Controls that need an owner (`Rules.isUnowned`).
    public var unownedControls = 0
    /// Owners who have not retired.
    public var activeOwners = 0
    /// Open and in-progress gaps.
    public var openGaps = 0
    public var openGapsBySeverity: [Severity: Int] = [:]
    /// Open gaps past their due date (`Gap.isOverdue`).
    public var overdueGaps = 0
    public init() {}
}

extension WorkspaceReader {
    /// The counts as of `today` (`YYYY-MM-DD`). Each clause restates a rule of AssureModel,
    /// and CountsTests checks them against it: `Rules.isUnowned` (not "not applicable", and no
    /// owner or one who has retired) and `Gap.isOverdue` (open, due strictly before today:
    /// dates are `YYYY-MM-DD` text, so text order is date order, as the rule compares them).
    public func counts(today: String) throws -> WorkspaceCounts {
        var counts = WorkspaceCounts()
        for row in try Row.fetchAll(db, sql: "SELECT status, count(*) FROM control GROUP BY status") {
            let status: String = row[0]
            let count: Int = row[1]
            // The schema admits only the four statuses; an unknown one would read as not started.
            counts.controlsByStatus[ControlStatus(rawValue: status) ?? .notStarted, default: 0] += count
            counts.controls += count
        }
        counts.unownedControls =
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM control c LEFT JOIN owner o ON o.id = c.owner_id
                    WHERE c.status <> 'not-applicable' AND (o.id IS NULL OR o.retired_at IS NOT NULL)
                    """) ?? 0
        counts.activeOwners = try Int.fetchOne(db, sql: "SELECT count(*) FROM owner WHERE retired_at IS NULL") ?? 0
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT severity, count(*), count(CASE WHEN due < ? THEN 1 END) FROM gap
                WHERE status IN ('open', 'in-progress') GROUP BY severity
                """, arguments: [today])
        {
            let severity: String = row[0]
            let count: Int = row[1]
            let overdue: Int = row[2]
            counts.openGapsBySeverity[Severity(rawValue: severity) ?? .medium, default: 0] += count
            counts.openGaps += count
            counts.overdueGaps += overdue
        }
        return counts
    }
}
