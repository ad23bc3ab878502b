import AssureModel
import Foundation
import GRDB

public enum AuditRequestState: String, Sendable, CaseIterable { case open, provided, accepted, rejected }

/// One line of the auditor's request list ("provided by client" list): what they ask for, the
/// controls and requirements it concerns, and the evidence given in answer.
public struct AuditRequest: Equatable, Sendable {
    public var ref: String
    public var text: String
    public var due: String?
    public var state: AuditRequestState
    public var controls: [String]
    /// `framework:ref`.
    public var requirements: [String]
    public var evidence: [String]
}

extension WorkspaceReader {
    public func auditRequests() throws -> [AuditRequest] {
        func links(_ sql: String) throws -> [Int64: [String]] {
            var out: [Int64: [String]] = [:]
            for row in try Row.fetchAll(db, sql: sql) { out[row[0], default: []].append(row[1]) }
            return out
        }
        let controls = try links("SELECT l.request_id, c.ref FROM audit_request_control l JOIN control c ON c.id = l.control_id ORDER BY c.ref")
        let requirements = try links(
            """
            SELECT l.request_id, r.framework_id || ':' || r.ref FROM audit_request_requirement l JOIN requirement r ON r.id = l.requirement_id
            ORDER BY r.framework_id, r.sort_order
            """)
        let evidence = try links("SELECT l.request_id, e.ref FROM audit_request_evidence l JOIN evidence e ON e.id = l.evidence_id ORDER BY e.number")
        return try Row.fetchAll(db, sql: "SELECT * FROM audit_request ORDER BY sort_order").map { row in
            let id: Int64 = row["id"]
            return AuditRequest(
                ref: row["ref"], text: row["text"], due: row["due"], state: AuditRequestState(rawValue: row["state"]) ?? .open,
                controls: controls[id] ?? [], requirements: requirements[id] ?? [], evidence: evidence[id] ?? [])
        }
    }
}

extension Workspace {
    /// Reads the auditor's spreadsheet (fields ref, text, controls, criteria, due; `mapping` renames
    /// their headers), one transaction. A dry run makes every change and rolls it back.
    public func importAuditRequests(
        _ text: String, path: String, mapping: [String: String] = [:], dryRun: Bool = false,
        by actor: Actor
    ) throws -> [String] {
        struct Rollback: Error {}
        var changes: [String] = []
        do {
            try write(actor) { w in
                changes = try w.importAuditRequests(text, path: path, mapping: mapping)
                if dryRun { throw Rollback() }
            }
        } catch is Rollback {}
        return changes
    }
}

extension WorkspaceWriter {
    static let requestFields = ["ref", "text", "controls", "criteria", "due"]

    /// Every row is checked as it is applied: one bad row, named by file, line and column, fails
    /// the transaction. A request already known is updated; its state and evidence stay.
    public func importAuditRequests(_ text: String, path: String, mapping: [String: String] = [:]) throws -> [String] {
        let records = try CSV.records(text, path: path).enumerated().filter { !($0.element.count == 1 && $0.element[0].isEmpty) }
        guard let (headerIndex, header) = records.first else {
            throw WorkspaceError.badFile(path: path, line: 1, column: 1, message: "the file is empty")
        }
        var columns: [Int: String] = [:]
        for (index, name) in header.enumerated() {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            let field = mapping[trimmed] ?? trimmed.lowercased()
            if Self.requestFields.contains(field) {
                columns[index] = field
            } else if mapping[trimmed] != nil {
                throw WorkspaceError.badFile(
                    path: path, line: headerIndex + 1, column: index + 1,
                    message: "--map sends \"\(trimmed)\" to unknown field '\(field)'; fields: \(Self.requestFields.joined(separator: ", "))")
            }
        }
        for needed in ["ref", "text"] where !columns.values.contains(needed) {
            throw WorkspaceError.badFile(
                path: path, line: headerIndex + 1, column: 1, message: "no column maps to '\(needed)' (use --map \"Your header=\(needed)\")")
        }
        var changes: [String] = []
        let w = self
        let db = w.db
        var seen = Set<String>()
        for (index, record) in records.dropFirst() {
            let line = index + 1
            var v: [String: (String, Int)] = [:]
            for (i, field) in columns where i < record.count {
                let value = record[i].trimmingCharacters(in: .whitespacesAndNewlines)
                if !value.isEmpty { v[field] = (value, i + 1) }
            }
            func fail(_ field: String, _ message: String) -> WorkspaceError {
                .badFile(path: path, line: line, column: v[field]?.1 ?? 1, message: message)
            }
            guard let (ref, _) = v["ref"] else { throw fail("ref", "a request needs a reference") }
            guard seen.insert(ref.uppercased()).inserted else { throw fail("ref", "request '\(ref)' appears twice in the file") }
            guard let (text, _) = v["text"] else { throw fail("text", "\(ref) has no text") }
            var due: String?
            if let (day, _) = v["due"] {
                guard DueDate.parseDay(day) != nil else { throw fail("due", "'\(day)' is not a date (YYYY-MM-DD)") }
                due = day
            }
            let split = { (field: String) in (v[field]?.0 ?? "").split(whereSeparator: { " ,;".contains($0) }).map(String.init) }
            var controlIDs: [Int64] = []
            for control in split("controls") {
                do { controlIDs.append(try Lookup.control(db, control).id) } catch { throw fail("controls", "unknown control '\(control)'") }
            }
            var requirementIDs: [Int64] = []
            for criterion in split("criteria") {
                do {
                    requirementIDs.append(try Lookup.requirement(db, criterion, framework: criterion.contains(":") ? nil : Framework.soc2ID).id)
                } catch { throw fail("criteria", "unknown requirement '\(criterion)'") }
            }
            let existing = try Row.fetchOne(db, sql: "SELECT id, ref, text, due FROM audit_request WHERE ref = ?", arguments: [ref])
            let id: Int64
            if let existing {
                id = existing["id"]
                let canonical: String = existing["ref"]
                if (existing["text"] as String) != text || (existing["due"] as String?) != due {
                    try db.execute(sql: "UPDATE audit_request SET text = ?, due = ? WHERE id = ?", arguments: [text, due, id])
                    try w.log.record(db, entity: "request", ref: canonical, id: id, field: "text", before: existing["text"], after: text)
                    changes.append("\(canonical) updated")
                }
                try db.execute(sql: "DELETE FROM audit_request_control WHERE request_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM audit_request_requirement WHERE request_id = ?", arguments: [id])
            } else {
                let order = (try Int.fetchOne(db, sql: "SELECT coalesce(max(sort_order), 0) + 1 FROM audit_request") ?? 1)
                try db.execute(sql: "INSERT INTO audit_request (ref, text, due, sort_order) VALUES (?, ?, ?, ?)", arguments: [ref, text, due, order])
                id = db.lastInsertedRowID
                try w.log.record(db, entity: "request", ref: ref, id: id, field: "created", before: nil, after: text)
                changes.append("create \(ref): \(text)")
            }
            for control in controlIDs {
                try db.execute(sql: "INSERT OR IGNORE INTO audit_request_control (request_id, control_id) VALUES (?, ?)", arguments: [id, control])
            }
            for requirement in requirementIDs {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO audit_request_requirement (request_id, requirement_id) VALUES (?, ?)", arguments: [id, requirement])
            }
        }
        return changes
    }

    /// Links evidence to a request (answering it) and marks it provided while it is still open.
    public func answerRequest(_ ref: String, evidence: [String]) throws {
        let (id, canonical) = try Lookup.request(db, ref)
        for item in evidence {
            let (evidenceID, _) = try Lookup.evidence(db, item)
            let evidenceRef = try String.fetchOne(db, sql: "SELECT ref FROM evidence WHERE id = ?", arguments: [evidenceID]) ?? item
            try db.execute(sql: "INSERT OR IGNORE INTO audit_request_evidence (request_id, evidence_id) VALUES (?, ?)", arguments: [id, evidenceID])
            if db.changesCount > 0 {
                try log.record(db, entity: "request", ref: canonical, id: id, field: "evidence", before: nil, after: evidenceRef)
            }
        }
        if try String.fetchOne(db, sql: "SELECT state FROM audit_request WHERE id = ?", arguments: [id]) == AuditRequestState.open.rawValue {
            try setRequestState(canonical, .provided)
        }
    }

    public func setRequestState(_ ref: String, _ state: AuditRequestState) throws {
        let (id, canonical) = try Lookup.request(db, ref)
        let before = try String.fetchOne(db, sql: "SELECT state FROM audit_request WHERE id = ?", arguments: [id])
        guard before != state.rawValue else { return }
        try db.execute(sql: "UPDATE audit_request SET state = ? WHERE id = ?", arguments: [state.rawValue, id])
        try log.record(db, entity: "request", ref: canonical, id: id, field: "state", before: before, after: state.rawValue)
    }
}

extension Lookup {
    static func request(_ db: Database, _ ref: String) throws -> (id: Int64, ref: String) {
        if let row = try Row.fetchOne(db, sql: "SELECT id, ref FROM audit_request WHERE ref = ?", arguments: [ref]) { return (row[0], row[1]) }
        let all = try String.fetchAll(db, sql: "SELECT ref FROM audit_request")
        throw WorkspaceError.unknownReference(kind: "request", name: ref, suggestions: Suggestions.closest(to: ref, in: all))
    }
}
