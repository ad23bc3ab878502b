import AssureModel
import Crypto
import Foundation
import GRDB

/// A frozen population (new hires, terminations, changes, endpoints): its rows as they were
/// when added, and the SHA-256 of their canonical content, so a sample drawn from it can be
/// re-drawn by anyone and a changed file is noticed.
public struct Population: Equatable, Sendable {
    public var name: String
    public var version: Int
    public var control: String?
    public var keyColumn: String
    public var columns: [String]
    public var sha256: String
    public var rowCount: Int
    public var source: String
    public var addedBy: String
    public var addedAt: String
}

/// What adding a population file did: a first version, a new version (and what changed), or
/// nothing, when the content is the same as the newest version's.
public struct PopulationChange: Equatable, Sendable {
    public var population: Population
    /// The content is the newest version's: nothing was written.
    public var unchanged: Bool
    public var isNewVersion: Bool
    public var added: [String]
    public var removed: [String]
    public var changed: [String]
}

enum PopulationCanonical {
    /// Rows sorted by key and cells trimmed, columns in the file's order, as canonical JSON:
    /// the same people in another row order are the same population.
    static func content(columns: [String], rows: [(key: String, fields: [String])]) -> (text: String, sha256: String) {
        let text = CanonicalJSON.encode(["columns": columns, "rows": rows.map(\.fields)])
        return (text, Hex.encode(SHA256.hash(data: Data(text.utf8))))
    }
}

extension WorkspaceReader {
    public func populations() throws -> [Population] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT p.*, c.ref AS control_ref FROM population p LEFT JOIN control c ON c.id = p.control_id ORDER BY p.name, p.version
                """
        ).map(PopulationRows.population)
    }

    /// The newest version of a population, or the one named `NAME@N`.
    public func population(_ name: String) throws -> (id: Int64, population: Population) {
        let parts = name.split(separator: "@", maxSplits: 1).map(String.init)
        let sql = """
            SELECT p.*, c.ref AS control_ref FROM population p LEFT JOIN control c ON c.id = p.control_id
            WHERE p.name = ? \(parts.count == 2 ? "AND p.version = ?" : "") ORDER BY p.version DESC LIMIT 1
            """
        let arguments: [DatabaseValueConvertible] = parts.count == 2 ? [parts[0], Int(parts[1]) ?? -1] : [parts[0]]
        guard let row = try Row.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) else {
            let all = try String.fetchAll(db, sql: "SELECT DISTINCT name FROM population")
            throw WorkspaceError.unknownReference(kind: "population", name: name, suggestions: Suggestions.closest(to: parts[0], in: all))
        }
        return (row["id"], PopulationRows.population(row))
    }

    /// The keys of a population version, in its canonical (key) order.
    public func populationKeys(_ id: Int64) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT key FROM population_row WHERE population_id = ? ORDER BY position", arguments: [id])
    }
}

extension WorkspaceWriter {
    /// Reads a CSV population (strict RFC 4180; the header names the columns; `key` defaults to
    /// the first). Keys must be present and unique. One transaction.
    public func addPopulation(name: String, csv text: String, path: String, control: String?, key: String?) throws -> PopulationChange {
        guard !name.isEmpty, !name.contains("@") else { throw WorkspaceError.invalid("a population name cannot be empty or hold '@'") }
        let records = try CSV.records(text, path: path).enumerated().filter { !($0.element.count == 1 && $0.element[0].isEmpty) }
        guard let (headerIndex, rawHeader) = records.first else {
            throw WorkspaceError.badFile(path: path, line: 1, column: 1, message: "the file is empty")
        }
        let columns = rawHeader.map { $0.trimmingCharacters(in: .whitespaces) }
        let keyColumn = key ?? columns[0]
        guard let keyIndex = columns.firstIndex(where: { $0.caseInsensitiveCompare(keyColumn) == .orderedSame }) else {
            throw WorkspaceError.badFile(
                path: path, line: headerIndex + 1, column: 1,
                message: "no column named '\(keyColumn)'; the columns are \(columns.joined(separator: ", "))")
        }
        var rows: [(key: String, fields: [String])] = []
        var seen: [String: Int] = [:]
        for (index, record) in records.dropFirst() {
            let line = index + 1
            guard record.count == columns.count else {
                throw WorkspaceError.badFile(path: path, line: line, column: 1, message: "\(record.count) fields; the header has \(columns.count)")
            }
            let fields = record.map { $0.trimmingCharacters(in: .whitespaces) }
            let key = fields[keyIndex]
            guard !key.isEmpty else {
                throw WorkspaceError.badFile(path: path, line: line, column: keyIndex + 1, message: "the key column '\(columns[keyIndex])' is empty")
            }
            if let first = seen[key] {
                throw WorkspaceError.badFile(path: path, line: line, column: keyIndex + 1, message: "key '\(key)' is already on line \(first)")
            }
            seen[key] = line
            rows.append((key, fields))
        }
        guard !rows.isEmpty else {
            throw WorkspaceError.badFile(path: path, line: headerIndex + 1, column: 1, message: "the file has a header and no rows")
        }
        rows.sort { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
        let canonical = PopulationCanonical.content(columns: columns, rows: rows)
        let controlID = try control.map { try Lookup.control(db, $0) }
        let previous = try? reader.population(name)
        if let previous, previous.population.sha256 == canonical.sha256 {
            return PopulationChange(population: previous.population, unchanged: true, isNewVersion: false, added: [], removed: [], changed: [])
        }
        var added: [String] = []
        var removed: [String] = []
        var changed: [String] = []
        if let previous {
            var old: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, fields FROM population_row WHERE population_id = ?", arguments: [previous.id]) {
                old[row["key"]] = row["fields"]
            }
            for row in rows {
                if let before = old.removeValue(forKey: row.key) {
                    if before != CanonicalJSON.encode(row.fields) { changed.append(row.key) }
                } else {
                    added.append(row.key)
                }
            }
            removed = old.keys.sorted()
        }
        let version = (previous?.population.version ?? 0) + 1
        let at = Timestamps.iso(actor.now)
        try db.execute(
            sql: """
                INSERT INTO population (name, version, control_id, key_column, columns, sha256, row_count, source, added_by, added_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                previous?.population.name ?? name, version,
                controlID?.id
                    ?? (previous == nil
                        ? nil : try Int64.fetchOne(db, sql: "SELECT control_id FROM population WHERE id = ?", arguments: [previous!.id])),
                columns[keyIndex], CanonicalJSON.encode(columns), canonical.sha256, rows.count,
                URL(fileURLWithPath: path).lastPathComponent, actor.name, at,
            ])
        let id = db.lastInsertedRowID
        for (position, row) in rows.enumerated() {
            try db.execute(
                sql: "INSERT INTO population_row (population_id, position, key, fields) VALUES (?, ?, ?, ?)",
                arguments: [id, position, row.key, CanonicalJSON.encode(row.fields)])
        }
        let label = "\(previous?.population.name ?? name)@\(version)"
        try log.record(
            db, entity: "population", ref: label, id: id, field: "created",
            before: previous.map { "\($0.population.name)@\($0.population.version) sha256:\($0.population.sha256)" },
            after: "\(rows.count) rows sha256:\(canonical.sha256)")
        let (_, stored) = try reader.population(label)
        return PopulationChange(
            population: stored, unchanged: false, isNewVersion: previous != nil, added: added, removed: removed, changed: changed.sorted())
    }
}

enum PopulationRows {
    static func population(_ row: Row) -> Population {
        let columns = (try? JSONSerialization.jsonObject(with: Data((row["columns"] as String).utf8))) as? [String] ?? []
        return Population(
            name: row["name"], version: row["version"], control: row["control_ref"], keyColumn: row["key_column"],
            columns: columns, sha256: row["sha256"], rowCount: row["row_count"], source: row["source"],
            addedBy: row["added_by"], addedAt: row["added_at"])
    }
}
