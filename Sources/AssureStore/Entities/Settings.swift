import AssureModel
import Foundation
import GRDB

/// Per-workspace settings (ranking weights), each change in the change log.
extension WorkspaceReader {
    func setting(_ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key])
    }

    /// The workspace's ranking weights: the defaults, overridden by `assure weights`.
    public func rankingWeights() throws -> RankingWeights {
        var weights = RankingWeights()
        // A weight `setWeights` would refuse (written by an older assure) is left at its default
        // so that no export or ranking ever computes with an infinity or a NaN.
        func weight(_ key: String) throws -> Double? {
            try setting(key).flatMap(Double.init).flatMap { RankingWeights.isSane($0) ? $0 : nil }
        }
        for severity in Severity.allCases {
            if let v = try weight("weight.\(severity.rawValue)") { weights.severity[severity] = v }
        }
        for effort in Effort.allCases {
            if let v = try weight("weight.effort-\(effort.rawValue.lowercased())") { weights.effort[effort] = v }
        }
        if let v = try weight("weight.overdue") { weights.overdueFactor = v }
        return weights
    }

    /// Open gaps and SOC 2 readiness at the end of each of the last `weeks` weeks the workspace
    /// existed in, oldest first (rule: `Trend` in AssureModel).
    public func trend(weeks: Int = 8, now: Date) throws -> [TrendPoint] {
        let created = try String.fetchOne(db, sql: "SELECT at FROM change_log ORDER BY id LIMIT 1") ?? Timestamps.iso(now)
        let samples = (0..<weeks).map { Timestamps.iso(now.addingTimeInterval(-Double($0) * 7 * 86_400)) }.filter { $0 >= created }
        guard let earliest = samples.last else { return [] }
        // Find where the period starts through the `at` index, then read forward by id:
        // filtering on entity and field first would scan the whole log.
        // `min(id + 0)`, not `min(id)`: SQLite answers a bare min(id) by walking the log from its
        // first row until one matches, which is the whole log when the period is recent.
        let first = try Int64.fetchOne(db, sql: "SELECT min(id + 0) FROM change_log WHERE at > ?", arguments: [earliest]) ?? Int64.max
        // `+entity`: keeps SQLite from answering through the entity index (every control
        // status change ever made) instead of the id range.
        let changes = try Row.fetchAll(
            db,
            sql: """
                SELECT at, entity, ref, field, before FROM change_log
                WHERE id >= ? AND ((+entity = 'control' AND field = 'status') OR (+entity = 'gap' AND field IN ('status', 'severity', 'created', 'deleted')))
                ORDER BY id DESC
                """, arguments: [first]
        ).map { row in Trend.Change(at: row[0], entity: row[1], ref: row[2], field: row[3], before: row[4]) }
        return Trend.replay(
            samples: samples, controls: try trendControls(), gaps: try trendGaps(),
            criteria: try readinessInput(framework: Framework.soc2ID), changes: changes)
    }

    /// Each control as the trend replays it, in `controls()` order.
    private func trendControls() throws -> [Trend.ControlState] {
        try Row.fetchAll(db, sql: "SELECT ref, status, justification FROM control ORDER BY ref").map { row in
            Trend.ControlState(
                ref: row[0], status: ControlStatus(rawValue: row[1]) ?? .notStarted,
                hasJustification: ControlLine.isJustified(status: .notApplicable, justification: row[2]))
        }
    }

    /// Each gap as the trend replays it, in `gaps()` order.
    private func trendGaps() throws -> [Trend.GapState] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT g.ref, g.status, g.severity, c.ref, r.ref, r.framework_id FROM gap g
                LEFT JOIN control c ON c.id = g.control_id LEFT JOIN requirement r ON r.id = g.requirement_id
                ORDER BY g.number
                """
        ).map { row in
            Trend.GapState(
                ref: row[0], status: GapStatus(rawValue: row[1]) ?? .open, severity: Severity(rawValue: row[2]) ?? .medium,
                control: row[3], criterion: row[4], framework: row[5])
        }
    }
}

extension WorkspaceWriter {
    func setSettings(_ values: [(String, String)]) throws {
        for (key, value) in values {
            let before = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key])
            try db.execute(
                sql: "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [key, value])
            try log.record(db, entity: "setting", ref: key, field: "value", before: before, after: value)
        }
    }

    /// Sets weights by name: critical, high, medium, low, overdue, effort-xs ... effort-xl.
    public func setWeights(_ values: [String: Double]) throws {
        let known = Severity.allCases.map(\.rawValue) + ["overdue"] + Effort.allCases.map { "effort-\($0.rawValue.lowercased())" }
        for (name, value) in values {
            guard known.contains(name) else {
                throw WorkspaceError.unknownReference(kind: "weight", name: name, suggestions: Suggestions.closest(to: name, in: known))
            }
            guard RankingWeights.isSane(value) else {
                throw WorkspaceError.invalid(
                    "weight \(name) must be a number from \(RankingWeights.smallest) to \(Int(RankingWeights.largest)) (got \(value))")
            }
        }
        try setSettings(values.sorted { $0.key < $1.key }.map { ("weight.\($0.key)", String($0.value)) })
    }
}
