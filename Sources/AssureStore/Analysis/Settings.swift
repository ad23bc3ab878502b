import AssureModel
import GRDB

/// Per-workspace settings (ranking weights, the target audit), each change in the change log.
extension Workspace {
    func setting(_ key: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key]) }
    }

    func setSettings(_ values: [(String, String)]) throws {
        try perform { db, log in
            for (key, value) in values {
                let before = try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key])
                try db.execute(sql: "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               arguments: [key, value])
                try log.record(db, entity: "setting", ref: key, field: "value", before: before, after: value)
            }
        }
    }

    /// The workspace's ranking weights: the defaults, overridden by `assure weights`.
    public func rankingWeights() throws -> RankingWeights {
        var weights = RankingWeights()
        for severity in Severity.allCases {
            if let v = try setting("weight.\(severity.rawValue)").flatMap(Double.init) { weights.severity[severity] = v }
        }
        for effort in Effort.allCases {
            if let v = try setting("weight.effort-\(effort.rawValue.lowercased())").flatMap(Double.init) { weights.effort[effort] = v }
        }
        if let v = try setting("weight.overdue").flatMap(Double.init) { weights.overdueFactor = v }
        return weights
    }

    /// Sets weights by name: critical, high, medium, low, overdue, effort-xs ... effort-xl.
    public func setWeights(_ values: [String: Double]) throws {
        let known = Severity.allCases.map(\.rawValue) + ["overdue"] + Effort.allCases.map { "effort-\($0.rawValue.lowercased())" }
        for (name, value) in values {
            guard known.contains(name) else {
                throw WorkspaceError.unknownReference(kind: "weight", name: name, suggestions: Suggestions.closest(to: name, in: known))
            }
            guard value > 0 else { throw WorkspaceError.invalid("weight \(name) must be greater than 0") }
        }
        try setSettings(values.sorted { $0.key < $1.key }.map { ("weight.\($0.key)", String($0.value)) })
    }
}
