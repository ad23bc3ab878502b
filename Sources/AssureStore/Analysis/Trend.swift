import AssureModel
import Foundation
import GRDB

/// One point of the dashboard's trend.
public struct TrendPoint: Equatable, Sendable {
    public var date: String
    public var openGaps: Int
    public var readiness: Share
}

extension Workspace {
    /// Open gaps and readiness at the end of each of the last `weeks` weeks (those the workspace
    /// existed in), oldest first, drawn
    /// from the change log: starting from now, control and gap statuses (and gap creations) are
    /// walked back through the log to each sample date.
    public func trend(weeks: Int = 8) throws -> [TrendPoint] {
        var controls = try controls()
        var gaps = try gaps()
        let criteria = try criteria().map {
            ReadinessCriterion(ref: $0.requirement.ref, series: $0.requirement.parentRef ?? "", category: $0.requirement.category,
                               inScope: $0.inScope, controls: $0.controls)
        }
        let now = clock()
        // Weeks before the workspace existed have nothing to show.
        let created = try read { db in try String.fetchOne(db, sql: "SELECT at FROM change_log ORDER BY id LIMIT 1") } ?? Timestamps.iso(now)
        let samples = (0..<weeks).map { now.addingTimeInterval(-Double($0) * 7 * 86_400) }.filter { Timestamps.iso($0) >= created }
        guard !samples.isEmpty else { return [] }
        let earliest = Timestamps.iso(samples.last!)
        let rows = try read { db in
            // Find where the period starts through the `at` index, then read forward by id:
            // filtering on entity and field first would scan the whole log.
            let first = try Int64.fetchOne(db, sql: "SELECT min(id) FROM change_log WHERE at > ?", arguments: [earliest]) ?? Int64.max
            return try Row.fetchAll(db, sql: """
                SELECT entity, ref, field, before, at FROM change_log
                WHERE id >= ? AND ((entity = 'control' AND field = 'status') OR (entity = 'gap' AND field IN ('status', 'severity', 'created', 'deleted')))
                ORDER BY id DESC
                """, arguments: [first])
        }
        var controlIndex = Dictionary(uniqueKeysWithValues: controls.enumerated().map { ($1.ref, $0) })
        var points: [TrendPoint] = []
        var cursor = 0
        for sample in samples {
            let cut = Timestamps.iso(sample)
            // Undo every change made after this sample's moment.
            while cursor < rows.count, (rows[cursor]["at"] as String) > cut {
                let row = rows[cursor]
                cursor += 1
                let ref: String = row["ref"], field: String = row["field"], before: String? = row["before"]
                if row["entity"] as String == "control", let i = controlIndex[ref], let status = before.flatMap(ControlStatus.init(rawValue:)) {
                    controls[i].status = status
                } else if let i = gaps.firstIndex(where: { $0.ref == ref }) {
                    switch field {
                    case "created": gaps.remove(at: i)
                    case "status": if let s = before.flatMap(GapStatus.init(rawValue:)) { gaps[i].status = s }
                    case "severity": if let s = before.flatMap(Severity.init(rawValue:)) { gaps[i].severity = s }
                    default: break
                    }
                }
            }
            controlIndex = Dictionary(uniqueKeysWithValues: controls.enumerated().map { ($1.ref, $0) })
            let readiness = Readiness.compute(criteria: criteria, controls: controls, gaps: gaps)
            points.append(TrendPoint(date: Timestamps.day(sample), openGaps: gaps.filter(\.status.isOpen).count, readiness: readiness.overall))
        }
        return points.reversed()
    }
}
