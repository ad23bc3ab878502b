import AssureModel
import Foundation
import GRDB

/// Imports controls or gaps from the spreadsheets teams already keep. Every row is checked
/// first; one bad row (named by file, row and column) means nothing is written.
public enum ImportKind: String, Sendable { case controls, gaps }

public struct ImportResult: Sendable {
    /// One line per change, e.g. "AC-03 owner: Dana Kim -> Omar Haddad" or "create GAP-27".
    public var changes: [String]
    public var newOwners: [String]
    public var dryRun: Bool
}

extension Workspace {
    static let controlFields = ["ref", "title", "description", "status", "owner", "backup", "frequency", "evidence", "criteria", "justification"]
    static let gapFields = [
        "ref", "title", "description", "severity", "effort", "owner", "due", "status", "control", "criterion", "note", "justification",
    ]
    /// Headers understood without a mapping: our own field names and our export headers.
    static let headerAliases: [String: String] = [
        "reference": "ref", "criteria addressed": "criteria", "backup owner": "backup", "backup_owner": "backup",
        "evidence hint": "evidence", "remediation note": "note", "remediation_note": "note",
    ]

    /// Imports controls or gaps from a spreadsheet as one transaction: every row or none. Each
    /// change goes through the same writer rules as an edit (the backup is someone other than
    /// the owner, not applicable needs a justification). A dry run makes every change, then
    /// rolls back, so the plan it prints is exactly what would happen.
    /// `framework`: whose requirements the plain references in `criteria` and `criterion` are
    /// (SOC 2 unless named, as in the first release); `FRAMEWORK:REF` names any other.
    public func importCSV(
        _ text: String, path: String, kind: ImportKind, mapping: [String: String] = [:],
        dryRun: Bool = false, createOwners: Bool = false, framework: String = Framework.soc2ID,
        by actor: Actor
    ) throws -> ImportResult {
        let framework = try read { try Lookup.framework($0.db, framework) }
        // Rows keep their number in the file (the header is row 1), blank ones skipped.
        let numbered = try CSV.records(text, path: path).enumerated().filter { !($0.element.count == 1 && $0.element[0].isEmpty) }
        guard let (headerIndex, header) = numbered.first else {
            throw WorkspaceError.badFile(path: path, line: 1, column: 1, message: "the file is empty")
        }
        let allowed = kind == .controls ? Self.controlFields : Self.gapFields
        var columns: [Int: String] = [:]
        for (index, name) in header.enumerated() {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            let field = mapping[trimmed] ?? Self.headerAliases[trimmed.lowercased()] ?? trimmed.lowercased()
            guard allowed.contains(field) else {
                if mapping[trimmed] != nil {
                    throw WorkspaceError.badFile(
                        path: path, line: headerIndex + 1, column: index + 1,
                        message: "--map sends \"\(trimmed)\" to unknown field '\(field)'; fields: \(allowed.joined(separator: ", "))")
                }
                continue  // columns we do not know are ignored, like a spreadsheet's notes column
            }
            columns[index] = field
        }
        if kind == .controls && !columns.values.contains("ref") {
            throw WorkspaceError.badFile(
                path: path, line: headerIndex + 1, column: 1, message: "no column maps to 'ref' (use --map \"Your header=ref\")")
        }
        if kind == .gaps && !columns.values.contains("title") && !columns.values.contains("ref") {
            throw WorkspaceError.badFile(path: path, line: headerIndex + 1, column: 1, message: "no column maps to 'title' or 'ref'")
        }
        let rows: [(line: Int, values: [String: (String, Int)])] = numbered.dropFirst().map { i, record in
            var values: [String: (String, Int)] = [:]
            for (index, field) in columns where index < record.count {
                let value = record[index].trimmingCharacters(in: .whitespacesAndNewlines)
                if !value.isEmpty { values[field] = (value, index + 1) }
            }
            return (i + 1, values)
        }
        func fail(_ line: Int, _ column: Int, _ message: String) -> WorkspaceError {
            let name = column > 0 && column <= header.count ? header[column - 1] : "?"
            return .badFile(path: path, line: line, column: column, message: "column \"\(name)\": \(message)")
        }
        // Owners named anywhere in the file must exist, or be created on request.
        let ownerFields = ["owner", "backup"]
        let known = Set(try read { try $0.owners(today: Timestamps.day(actor.now)) }.map { $0.owner.name.lowercased() })
        var missing: [String] = []
        for row in rows {
            for field in ownerFields {
                if let (name, _) = row.values[field], !known.contains(name.lowercased()), !missing.contains(name) { missing.append(name) }
            }
        }
        if !missing.isEmpty && !createOwners && !dryRun {
            throw WorkspaceError.invalid("\(path): unknown owners \(missing.joined(separator: ", ")); add them first or pass --create-owners")
        }
        var changes: [String] = []
        let apply: (WorkspaceWriter) throws -> Void = { w in
            for name in missing {
                try w.addOwner(Owner(name: name))
                changes.append("create owner \(name)")
            }
            for row in rows {
                do {
                    if kind == .controls {
                        try Self.importControl(row.values, w, framework: framework, changes: &changes)
                    } else {
                        try Self.importGap(row.values, w, framework: framework, changes: &changes)
                    }
                } catch let RowError.field(field, message) {
                    throw fail(row.line, row.values[field]?.1 ?? 0, message)
                } catch let error as WorkspaceError {
                    throw WorkspaceError.badFile(path: path, line: row.line, column: 1, message: error.description)
                } catch let violation as RuleViolation {
                    throw WorkspaceError.badFile(path: path, line: row.line, column: 1, message: violation.description)
                }
            }
        }
        if dryRun {
            do {
                try write(actor) { w in
                    try apply(w)
                    throw DryRunRollback()
                }
            } catch is DryRunRollback {}
        } else {
            try write(actor, apply)
        }
        return ImportResult(changes: changes, newOwners: missing, dryRun: dryRun)
    }

    /// Thrown at the end of a dry run so its transaction rolls back.
    private struct DryRunRollback: Error {}

    enum RowError: Error { case field(String, String) }

    private static func parse<E: RawRepresentable & CaseIterable>(_ values: [String: (String, Int)], _ field: String, _ type: E.Type) throws -> E?
    where E.RawValue == String {
        guard let (text, _) = values[field] else { return nil }
        guard let value = parseLoose(text, as: type) else {
            throw RowError.field(field, "unknown \(field) '\(text)'; use \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    private static func importControl(_ v: [String: (String, Int)], _ w: WorkspaceWriter, framework home: String, changes: inout [String]) throws {
        let db = w.db
        guard let (ref, _) = v["ref"] else { throw RowError.field("ref", "a control needs a reference") }
        let status = try parse(v, "status", ControlStatus.self)
        let frequency = try parse(v, "frequency", Frequency.self)
        if status == .notApplicable && v["justification"] == nil {
            throw RowError.field("status", "not-applicable needs a justification column value")
        }
        let criteria = v["criteria"].map { $0.0.split(whereSeparator: { " ,;".contains($0) }).map(String.init) }
        var id = try Int64.fetchOne(db, sql: "SELECT id FROM control WHERE ref = ?", arguments: [ref])
        if id == nil {
            guard let (title, _) = v["title"] else { throw RowError.field("ref", "\(ref) is new, so it needs a title") }
            try db.execute(
                sql: "INSERT INTO control (ref, title, frequency) VALUES (?, ?, ?)", arguments: [ref, title, (frequency ?? .annual).rawValue])
            id = db.lastInsertedRowID
            try w.log.record(db, entity: "control", ref: ref, id: id, field: "created", before: nil, after: title)
            changes.append("create \(ref): \(title)")
        }
        let row = try Row.fetchOne(
            db,
            sql:
                "SELECT c.*, o.name AS owner_name, b.name AS backup_name FROM control c LEFT JOIN owner o ON o.id = c.owner_id LEFT JOIN owner b ON b.id = c.backup_owner_id WHERE c.id = ?",
            arguments: [id])!
        func set(_ column: String, _ field: String, _ before: String?, _ after: String?, stored: DatabaseValueConvertible?) throws {
            guard let after, before != after else { return }
            try db.execute(sql: "UPDATE control SET \(column) = ? WHERE id = ?", arguments: [stored, id])
            try w.log.record(db, entity: "control", ref: ref, id: id, field: field, before: before, after: after)
            changes.append("\(ref) \(field.replacingOccurrences(of: "_", with: " ")): \(before ?? "none") -> \(after)")
        }
        try set("title", "title", row["title"], v["title"]?.0, stored: v["title"]?.0)
        try set("description", "description", row["description"], v["description"]?.0, stored: v["description"]?.0)
        try set("evidence_hint", "evidence_hint", row["evidence_hint"], v["evidence"]?.0, stored: v["evidence"]?.0)
        try set("frequency", "frequency", row["frequency"], frequency?.rawValue, stored: frequency?.rawValue)
        let control = (id: id!, ref: row["ref"] as String)
        if let status, status.rawValue != row["status"] as String {
            try w.setStatus(control: control, status, justification: v["justification"]?.0 ?? "")
            changes.append("\(ref) status: \(row["status"] as String) -> \(status.rawValue)")
        } else if v["justification"] != nil && status == nil {
            try set("justification", "justification", row["justification"], v["justification"]?.0, stored: v["justification"]?.0)
        }
        if v["owner"] != nil || v["backup"] != nil {
            let currentOwner: Int64? = row["owner_id"]
            let currentBackup: Int64? = row["backup_owner_id"]
            let owner = try v["owner"].map { try Lookup.activeOwner(db, $0.0) }
            let backup = try v["backup"].map { try Lookup.activeOwner(db, $0.0) }
            try w.setOwners(
                control: control, owner: owner?.id ?? currentOwner, backup: backup?.id ?? currentBackup,
                currentOwner: currentOwner, currentBackup: currentBackup)
            if let owner, owner.id != currentOwner { changes.append("\(ref) owner: \(row["owner_name"] as String? ?? "none") -> \(owner.name)") }
            if let backup, backup.id != currentBackup {
                changes.append("\(ref) backup owner: \(row["backup_name"] as String? ?? "none") -> \(backup.name)")
            }
        }
        if let criteria {
            // Plain references are the home framework's (SOC 2's unless --framework names
            // another); FRAMEWORK:REF names any other. The column governs the home framework's
            // mappings and those of frameworks it names; a control's links into other frameworks
            // (ISO, HIPAA from the library) are left alone.
            var ids: [Int64] = []
            var governed: Set<String> = [home]
            for ref in criteria {
                do {
                    let found = try Lookup.requirement(db, ref, framework: ref.contains(":") ? nil : home)
                    ids.append(found.id); governed.insert(found.framework)
                } catch {
                    throw RowError.field("criteria", "unknown criterion '\(ref)'")
                }
            }
            let frameworks = Array(governed)
            let placeholders = frameworks.map { _ in "?" }.joined(separator: ", ")
            // The change log names links outside SOC 2 as FRAMEWORK:REF, whatever the home framework.
            func mapped() throws -> (ids: [Int64], text: String) {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT r.id, CASE r.framework_id WHEN 'soc2' THEN r.ref ELSE r.framework_id || ':' || r.ref END AS name
                        FROM control_requirement cr JOIN requirement r ON r.id = cr.requirement_id JOIN framework f ON f.id = r.framework_id
                        WHERE cr.control_id = ? AND r.framework_id IN (\(placeholders)) ORDER BY f.sort_order, r.sort_order
                        """, arguments: StatementArguments([id] + frameworks))
                return (rows.map { $0["id"] }, rows.map { $0["name"] as String }.joined(separator: " "))
            }
            let before = try mapped()
            for old in before.ids where !ids.contains(old) {
                try db.execute(sql: "DELETE FROM control_requirement WHERE control_id = ? AND requirement_id = ?", arguments: [id, old])
            }
            for rid in ids {
                try db.execute(
                    sql:
                        "INSERT OR IGNORE INTO control_requirement (control_id, requirement_id, relationship, source) VALUES (?, ?, 'intersects', 'csv import')",
                    arguments: [id, rid])
            }
            let after = try mapped().text
            if before.text != after {
                try w.log.record(db, entity: "control", ref: ref, id: id, field: "criteria", before: before.text, after: after)
                changes.append("\(ref) criteria: \(before.text.isEmpty ? "none" : before.text) -> \(after)")
            }
        }
    }

    private static func importGap(_ v: [String: (String, Int)], _ w: WorkspaceWriter, framework home: String, changes: inout [String]) throws {
        let db = w.db
        let today = w.actor.now
        let severity = try parse(v, "severity", Severity.self)
        let effort = try parse(v, "effort", Effort.self)
        let status = try parse(v, "status", GapStatus.self)
        var due: String?
        if let (text, _) = v["due"] {
            do { due = try DueDate.parse(text, today: today) } catch { throw RowError.field("due", "\(error)") }
        }
        if status == .remediated && v["note"] == nil { throw RowError.field("status", "a remediated gap needs a note") }
        if status == .riskAccepted && v["justification"] == nil { throw RowError.field("status", "a risk-accepted gap needs a justification") }
        if let (control, _) = v["control"], try Int64.fetchOne(db, sql: "SELECT id FROM control WHERE ref = ?", arguments: [control]) == nil {
            throw RowError.field("control", "unknown control '\(control)'")
        }
        var criterion: String?
        if let (text, _) = v["criterion"] {
            do {
                let found = try Lookup.requirement(db, text, framework: text.contains(":") ? nil : home)
                criterion = "\(found.framework):\(found.ref)"
            } catch { throw RowError.field("criterion", "unknown criterion '\(text)'") }
        }
        var ref = v["ref"]?.0
        if try ref == nil || (Int64.fetchOne(db, sql: "SELECT id FROM gap WHERE ref = ?", arguments: [ref!])) == nil {
            guard let (title, _) = v["title"] else { throw RowError.field("ref", "a new gap needs a title") }
            ref = try w.openGap(
                GapDraft(
                    title: title, description: v["description"]?.0 ?? "", severity: severity ?? .medium,
                    effort: effort ?? .m, owner: v["owner"]?.0, due: due, control: v["control"]?.0,
                    criterion: criterion))
            changes.append("create \(ref!): \(title)")
        } else {
            let row = try Row.fetchOne(
                db, sql: "SELECT g.*, o.name AS owner_name FROM gap g LEFT JOIN owner o ON o.id = g.owner_id WHERE ref = ?", arguments: [ref!])!
            func set(_ column: String, _ before: String?, _ after: String?, stored: DatabaseValueConvertible?) throws {
                guard let after, before != after else { return }
                try db.execute(sql: "UPDATE gap SET \(column) = ? WHERE ref = ?", arguments: [stored, ref!])
                try w.log.record(db, entity: "gap", ref: ref!, id: row["id"], field: column, before: before, after: after)
                changes.append("\(ref!) \(column == "owner_id" ? "owner" : column): \(before ?? "none") -> \(after)")
            }
            try set("title", row["title"], v["title"]?.0, stored: v["title"]?.0)
            try set("description", row["description"], v["description"]?.0, stored: v["description"]?.0)
            try set("severity", row["severity"], severity?.rawValue, stored: severity?.rawValue)
            try set("effort", row["effort"], effort?.rawValue, stored: effort?.rawValue)
            try set("due", row["due"], due, stored: due)
            if let (name, _) = v["owner"] {
                let owner = try Lookup.activeOwner(db, name)
                if owner.id != row["owner_id"] as Int64? {
                    try w.assignGap((row["id"], ref!), ownerID: owner.id)
                    changes.append("\(ref!) owner: \(row["owner_name"] as String? ?? "none") -> \(owner.name)")
                }
            }
        }
        if let status, status != .open {
            let current = try String.fetchOne(db, sql: "SELECT status FROM gap WHERE ref = ?", arguments: [ref!])
            if current != status.rawValue {
                try w.moveGap(
                    ref!, to: status, note: status == .remediated ? v["note"]!.0 : "",
                    justification: status == .riskAccepted ? v["justification"]!.0 : "",
                    remediatedBy: status == .remediated ? w.log.actor : nil, remediatedAt: status == .remediated ? w.log.at : nil)
                changes.append("\(ref!) status: \(current ?? "none") -> \(status.rawValue)")
            }
        }
    }
}

extension CSV {
    /// Parses RFC 4180 text for an import, refusing any cell that holds a control character
    /// (tab and line breaks aside): the error names the file, the row (the header is row 1),
    /// the column and the column's header.
    public static func records(_ text: String, path: String) throws -> [[String]] {
        let records = parse(text)
        for (row, record) in records.enumerated() {
            for (column, cell) in record.enumerated() {
                guard let problem = StoredText.firstProblem(in: cell) else { continue }
                let name = row > 0 && column < records[0].count ? "column \"\(records[0][column])\": " : ""
                throw WorkspaceError.badFile(
                    path: path, line: row + 1, column: column + 1,
                    message: "\(name)\(problem.description), at character \(problem.position) of the cell")
            }
        }
        return records
    }
}
