import AssureModel
import Foundation
import GRDB

/// An approved output of a collector: what later runs are compared with.
public struct BaselineSummary: Equatable, Sendable {
    public var collector: String
    public var control: String
    public var format: DriftFormat
    public var version: Int
    public var sha256: String
    public var size: Int64
    /// JSON paths left out of the comparison, as typed.
    public var ignore: [String]
    /// Where it came from: `run 12` or `file policy.json`.
    public var source: String
    public var approvedBy: String
    public var approvedAt: String
}

/// The collector row as baselines and drift need it (the collectors' own file owns the rest).
struct DriftCollector {
    var id: Int64
    var name: String
    var control: String
    var format: DriftFormat
    var removed: Bool

    static let select = """
        SELECT k.id, k.name, c.ref, k.format, k.status FROM collector k JOIN control c ON c.id = k.control_id
        """

    init(_ row: Row) {
        id = row[0]; name = row[1]; control = row[2]
        let format: String = row[3]
        self.format = DriftFormat(rawValue: format) ?? .text
        let status: String = row[4]
        removed = status == "removed"
    }

    static func named(_ db: Database, _ name: String) throws -> DriftCollector {
        if let row = try Row.fetchOne(db, sql: select + " WHERE k.name = ? COLLATE NOCASE", arguments: [name]) { return DriftCollector(row) }
        let all = try String.fetchAll(db, sql: "SELECT name FROM collector WHERE status = 'active'")
        throw WorkspaceError.unknownReference(kind: "collector", name: name, suggestions: Suggestions.closest(to: name, in: all))
    }

    static func byID(_ db: Database, _ id: Int64) throws -> DriftCollector {
        guard let row = try Row.fetchOne(db, sql: select + " WHERE k.id = ?", arguments: [id]) else {
            throw WorkspaceError.invalid("no collector with id \(id)")
        }
        return DriftCollector(row)
    }
}

enum BaselineRows {
    static let select = """
        SELECT k.name, c.ref, k.format, b.version, b.sha256, bl.size, b.ignore, b.source, b.approved_by, b.approved_at
        FROM baseline b JOIN collector k ON k.id = b.collector_id JOIN control c ON c.id = k.control_id
        JOIN blob bl ON bl.sha256 = b.sha256
        """

    static func summary(_ row: Row) -> BaselineSummary {
        let format: String = row[2]
        let ignore: String = row[6]
        return BaselineSummary(
            collector: row[0], control: row[1], format: DriftFormat(rawValue: format) ?? .text, version: row[3],
            sha256: row[4], size: row[5], ignore: decodeIgnore(ignore), source: row[7], approvedBy: row[8], approvedAt: row[9])
    }

    static func decodeIgnore(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }

    static func encodeIgnore(_ paths: [String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: try encoder.encode(paths), as: UTF8.self)
    }

    /// The newest baseline of a collector: its row id, version, bytes' hash and ignore paths.
    static func current(_ db: Database, collectorID: Int64) throws -> (id: Int64, version: Int, sha256: String, ignore: [String])? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT id, version, sha256, ignore FROM baseline WHERE collector_id = ? ORDER BY version DESC LIMIT 1
                    """, arguments: [collectorID])
        else { return nil }
        let ignore: String = row[3]
        return (row[0], row[1], row[2], decodeIgnore(ignore))
    }

    /// A stored output, whole, as text (collector outputs are bounded by the collector's size limit).
    static func text(_ db: Database, sha256: String?) throws -> String {
        guard let sha256 else { return "" }
        var data = Data()
        try BlobStore.read(db, sha256: sha256) { data.append($0) }
        return String(decoding: data, as: UTF8.self)
    }
}

extension WorkspaceReader {
    /// Every baseline version, by collector then version (one collector's when named).
    public func baselines(collector: String? = nil) throws -> [BaselineSummary] {
        var sql = BaselineRows.select
        var arguments: StatementArguments = []
        if let collector {
            sql += " WHERE b.collector_id = ?"
            arguments = [try DriftCollector.named(db, collector).id]
        }
        return try Row.fetchAll(db, sql: sql + " ORDER BY k.name COLLATE NOCASE, b.version", arguments: arguments).map(BaselineRows.summary)
    }

    /// Streams one baseline's bytes (the newest version unless one is named), hash checked.
    @discardableResult
    public func readBaseline(collector: String, version: Int? = nil, _ consume: (Data) throws -> Void) throws -> BaselineSummary {
        let all = try baselines(collector: collector)
        let name = try all.first?.collector ?? DriftCollector.named(db, collector).name
        guard !all.isEmpty else { throw WorkspaceError.invalid("\(name) has no baseline yet; approve one with `assure baseline set \(name)`") }
        guard let chosen = version.map({ v in all.first { $0.version == v } }) ?? all.last else {
            throw WorkspaceError.invalid(
                "\(name) has no baseline version \(version!); it has \(all.map { "v\($0.version)" }.joined(separator: ", "))")
        }
        try BlobStore.read(db, sha256: chosen.sha256, consume)
        return chosen
    }
}

extension WorkspaceWriter {
    /// Approves an output as the collector's next baseline version: a run's stdout (the newest
    /// passed run unless `fromRun` names one) or a file. Open drift of the collector is resolved
    /// as `new-baseline` in the same transaction. Returns the version.
    @discardableResult
    public func setBaseline(collector name: String, fromRun: Int64? = nil, file: String? = nil, ignore: [String] = []) throws -> Int {
        let collector = try DriftCollector.named(db, name)
        guard !collector.removed else { throw WorkspaceError.invalid("\(collector.name) was removed; it takes no baseline") }
        if fromRun != nil && file != nil { throw WorkspaceError.invalid("name either a run (--from-run) or a file (--file), not both") }
        let paths = try ignore.map(IgnorePath.parse)
        if !paths.isEmpty && collector.format != .json {
            throw WorkspaceError.invalid("\(collector.name) compares text line by line; ignore paths apply only to a JSON collector (--format json)")
        }
        let stored: (sha256: String, size: Int64)
        let source: String
        if let file {
            stored = try BlobStore.put(db, path: file)
            source = "file \(URL(fileURLWithPath: file).lastPathComponent)"
            if collector.format == .json {
                do { _ = try DriftCompare.parseJSON(try BaselineRows.text(db, sha256: stored.sha256)) } catch {
                    throw WorkspaceError.invalid("\(file): \(error) (\(collector.name) expects JSON)")
                }
            }
        } else {
            var sql = "SELECT id, outcome, stdout_sha256, stdout_size FROM collector_run WHERE collector_id = ?"
            var arguments: [DatabaseValueConvertible] = [collector.id]
            if let fromRun { sql += " AND id = ?"; arguments.append(fromRun) } else { sql += " AND outcome = 'passed'" }
            guard let row = try Row.fetchOne(db, sql: sql + " ORDER BY started_at DESC, id DESC LIMIT 1", arguments: StatementArguments(arguments))
            else {
                throw WorkspaceError.invalid(
                    fromRun.map { "\(collector.name) has no run \($0)" }
                        ?? "\(collector.name) has no passed run yet; run it (assure collect \(collector.name)) or approve a file with --file")
            }
            let runID: Int64 = row[0]
            let outcome: String = row[1]
            guard outcome == "passed" else {
                throw WorkspaceError.invalid("run \(runID) of \(collector.name) \(outcome); only a passed run's output can be a baseline")
            }
            guard let sha: String = row[2] else { throw WorkspaceError.invalid("run \(runID) of \(collector.name) kept no output") }
            stored = (sha, row[3])
            source = "run \(runID)"
        }
        let version = (try Int.fetchOne(db, sql: "SELECT max(version) FROM baseline WHERE collector_id = ?", arguments: [collector.id]) ?? 0) + 1
        let at = Timestamps.iso(actor.now)
        let texts = paths.map(\.text)
        try db.execute(
            sql: """
                INSERT INTO baseline (collector_id, version, sha256, ignore, source, approved_by, approved_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [collector.id, version, stored.sha256, try BaselineRows.encodeIgnore(texts), source, actor.name, at])
        let id = db.lastInsertedRowID
        let ref = "\(collector.name) v\(version)"
        try log.record(
            db, entity: "baseline", ref: ref, id: id, field: "approved", before: nil,
            after: "\(collector.control): \(source), \(stored.size) bytes sha256:\(stored.sha256)")
        if !texts.isEmpty {
            try log.record(db, entity: "baseline", ref: ref, id: id, field: "ignore", before: nil, after: texts.joined(separator: " "))
        }
        try resolveOpenDrift(collectorID: collector.id, resolution: "new-baseline")
        return version
    }

    /// Marks every open drift event of a collector resolved, with how; returns how many.
    @discardableResult
    func resolveOpenDrift(collectorID: Int64, resolution: String) throws -> Int {
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM drift WHERE collector_id = ? AND status = 'open' ORDER BY id", arguments: [collectorID])
        let at = Timestamps.iso(actor.now)
        for id in ids {
            try db.execute(
                sql: "UPDATE drift SET status = 'resolved', resolution = ?, resolved_by = ?, resolved_at = ? WHERE id = ?",
                arguments: [resolution, actor.name, at, id])
            try log.record(db, entity: "drift", ref: "DRIFT-\(id)", id: id, field: "status", before: "open", after: "resolved")
            try log.record(db, entity: "drift", ref: "DRIFT-\(id)", id: id, field: "resolution", before: nil, after: resolution)
        }
        return ids.count
    }
}
