import AssureModel
import Foundation
import GRDB

public enum EvidenceReview: String, Sendable, CaseIterable { case pending, accepted, rejected }

/// One stored file of an evidence item, in one version.
public struct EvidenceFileVersion: Equatable, Sendable {
    public var version: Int
    public var name: String
    public var sha256: String
    public var size: Int64
    public var addedBy: String
    public var addedAt: String
}

/// An item proving that a control operated on a date or through a period. When it was added is
/// kept apart from what it proves: a March access review uploaded in May proves March.
public struct EvidenceItem: Sendable {
    public var ref: String
    public var control: String
    public var title: String
    public var source: String
    public var note: String
    public var provedFrom: String
    public var provedTo: String
    /// The occurrence period it says it answers, when named (`--for`).
    public var answers: (from: String, to: String)?
    public var review: EvidenceReview
    public var reviewNote: String
    public var reviewedBy: String?
    public var reviewedAt: String?
    public var addedBy: String
    public var addedAt: String
    /// Every file of every version, oldest first.
    public var files: [EvidenceFileVersion]
    /// The day after which it no longer proves its control operates (proved date plus the
    /// control's period); nil for an event-driven control, proven per occurrence instead.
    public var expires: String?
    /// Expired, and still the newest item of its control: fresh evidence is due.
    public var stale: Bool
    public var version: Int { files.map(\.version).max() ?? 1 }
    public var currentFiles: [EvidenceFileVersion] { files.filter { $0.version == version } }
}

/// What `assure evidence add` asks for.
public struct EvidenceDraft: Sendable {
    public var control: String
    public var files: [String]
    public var provedFrom: String
    public var provedTo: String
    public var source: String
    public var note: String
    public var answers: (from: String, to: String)?
    public init(
        control: String, files: [String], provedFrom: String, provedTo: String, source: String = "", note: String = "",
        answers: (from: String, to: String)? = nil
    ) {
        self.control = control; self.files = files; self.provedFrom = provedFrom; self.provedTo = provedTo
        self.source = source; self.note = note; self.answers = answers
    }
}

/// The workspace's evidence rules (`assure evidence settings`).
public struct EvidenceSettings: Equatable, Sendable {
    /// Days after an occurrence's due date that evidence still counts as on time.
    public var graceDays: Int = 14
    /// Whether a control's owner may accept or reject its own evidence.
    public var independentReview: Bool = false
    public init(graceDays: Int = 14, independentReview: Bool = false) { self.graceDays = graceDays; self.independentReview = independentReview }
}

enum EvidenceRows {
    /// The `answers_from`/`answers_to` pair (schema v9), when the item names its occurrence.
    static func answers(_ row: Row) -> (from: String, to: String)? {
        guard let from: String = row["answers_from"] else { return nil }
        let to: String? = row["answers_to"]
        return (from, to ?? from)
    }

    static func expiry(provedTo: String, frequency: Frequency) -> String? {
        // A continuous control's configuration is expected to be shown again each quarter.
        let days = frequency == .continuous ? 91 : frequency.periodDays
        guard let days, let day = DueDate.parseDay(provedTo) else { return nil }
        return DueDate.format(day.addingTimeInterval(Double(days) * 86_400))
    }
}

extension WorkspaceReader {
    public func evidenceSettings() throws -> EvidenceSettings {
        var settings = EvidenceSettings()
        if let grace = try setting("evidence.grace_days").flatMap(Int.init), grace >= 0 { settings.graceDays = grace }
        settings.independentReview = try setting("evidence.independent_review") == "yes"
        return settings
    }

    /// Evidence items, newest proved first within each control (controls in reference order).
    public func evidence(control: String? = nil, today: String) throws -> [EvidenceItem] {
        guard let control else { return try evidenceItems(where: "", arguments: [], today: today) }
        return try evidenceItems(where: "WHERE e.control_id = ?", arguments: [try Lookup.control(db, control).id], today: today)
    }

    /// The items `evidence(today:)` marks stale (expired, and still their control's newest),
    /// read without the rest: each control's newest item that is not rejected, in the same order.
    public func staleEvidence(today: String) throws -> [EvidenceItem] {
        let newest = """
            WHERE e.id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY control_id ORDER BY proved_to DESC, number DESC) AS n
                                           FROM evidence WHERE review <> 'rejected') WHERE n = 1)
            """
        return try evidenceItems(where: newest, arguments: [], today: today).filter(\.stale)
    }

    /// The items `clause` (on `evidence e`) selects, in `evidence(today:)`'s order, with their
    /// files. An item is stale when it is the newest of its control among those selected that
    /// is not rejected, and expired.
    private func evidenceItems(where clause: String, arguments: [DatabaseValueConvertible], today: String) throws -> [EvidenceItem] {
        let sql = """
            SELECT e.*, c.ref AS control_ref, c.frequency FROM evidence e JOIN control c ON c.id = e.control_id \(clause)
            ORDER BY c.ref, e.proved_to DESC, e.number DESC
            """
        let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
        var files: [Int64: [EvidenceFileVersion]] = [:]
        let fileSQL = "SELECT * FROM evidence_file" + (clause.isEmpty ? "" : " WHERE evidence_id IN (SELECT e.id FROM evidence e \(clause))")
        for row in try Row.fetchAll(db, sql: fileSQL + " ORDER BY evidence_id, version, name", arguments: StatementArguments(arguments)) {
            files[row["evidence_id"], default: []].append(
                EvidenceFileVersion(
                    version: row["version"], name: row["name"], sha256: row["sha256"], size: row["size"], addedBy: row["added_by"],
                    addedAt: row["added_at"]))
        }
        var newest = Set<String>()
        return rows.map { row in
            let controlRef: String = row["control_ref"]
            let frequency = Frequency(rawValue: row["frequency"]) ?? .annual
            let expires = EvidenceRows.expiry(provedTo: row["proved_to"], frequency: frequency)
            let review = EvidenceReview(rawValue: row["review"]) ?? .pending
            // Rejected evidence proves nothing, so it neither goes stale nor shields its control.
            let isNewest = review != .rejected && newest.insert(controlRef).inserted
            return EvidenceItem(
                ref: row["ref"], control: controlRef, title: row["title"], source: row["source"], note: row["note"],
                provedFrom: row["proved_from"], provedTo: row["proved_to"], answers: EvidenceRows.answers(row), review: review,
                reviewNote: row["review_note"], reviewedBy: row["reviewed_by"], reviewedAt: row["reviewed_at"],
                addedBy: row["added_by"], addedAt: row["added_at"], files: files[row["id"]] ?? [],
                expires: expires, stale: isNewest && (expires.map { $0 < today } ?? false))
        }
    }

    public func evidenceItem(_ ref: String, today: String) throws -> EvidenceItem {
        let (id, control) = try Lookup.evidence(db, ref)
        guard let item = try evidence(control: control, today: today).first(where: { $0.ref.caseInsensitiveCompare(ref) == .orderedSame }) else {
            throw WorkspaceError.unknownReference(kind: "evidence", name: ref, suggestions: [])
        }
        _ = id
        return item
    }

    /// Streams one stored file (the newest version's unless one is named), hash checked.
    public func readEvidenceFile(_ ref: String, version: Int? = nil, name: String? = nil, _ consume: (Data) throws -> Void) throws
        -> EvidenceFileVersion
    {
        let (id, _) = try Lookup.evidence(db, ref)
        let chosen =
            try Int.fetchOne(db, sql: "SELECT coalesce(?, max(version)) FROM evidence_file WHERE evidence_id = ?", arguments: [version, id]) ?? 1
        let rows = try Row.fetchAll(
            db, sql: "SELECT * FROM evidence_file WHERE evidence_id = ? AND version = ? ORDER BY name", arguments: [id, chosen])
        guard !rows.isEmpty else { throw WorkspaceError.invalid("\(ref) has no version \(chosen)") }
        let names = rows.map { $0["name"] as String }
        guard let row = name.map({ wanted in rows.first { ($0["name"] as String) == wanted } }) ?? (rows.count == 1 ? rows.first : nil) else {
            throw WorkspaceError.invalid(
                name == nil
                    ? "\(ref) version \(chosen) holds \(rows.count) files; name one with --file: \(names.joined(separator: ", "))"
                    : "\(ref) version \(chosen) has no file '\(name!)'; it holds \(names.joined(separator: ", "))")
        }
        let file = EvidenceFileVersion(
            version: row["version"], name: row["name"], sha256: row["sha256"], size: row["size"],
            addedBy: row["added_by"], addedAt: row["added_at"])
        try BlobStore.read(db, sha256: file.sha256, consume)
        return file
    }
}

extension WorkspaceWriter {
    /// Stores the files (the same bytes once) and records the item, one transaction.
    @discardableResult
    public func addEvidence(_ draft: EvidenceDraft) throws -> String {
        let control = try Lookup.control(db, draft.control)
        try EvidenceRules.check(from: draft.provedFrom, to: draft.provedTo)
        if let answers = draft.answers { try EvidenceRules.check(from: answers.from, to: answers.to) }
        guard !draft.files.isEmpty else { throw WorkspaceError.invalid("name at least one file") }
        let number = try Int64.fetchOne(db, sql: "SELECT coalesce(max(number), 0) + 1 FROM evidence") ?? 1
        let ref = "EV-\(number)"
        let at = Timestamps.iso(actor.now)
        let title = URL(fileURLWithPath: draft.files[0]).lastPathComponent + (draft.files.count > 1 ? " and \(draft.files.count - 1) more" : "")
        try db.execute(
            sql: """
                INSERT INTO evidence (number, ref, control_id, title, source, note, proved_from, proved_to, answers_from, answers_to, added_by, added_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                number, ref, control.id, title, draft.source, draft.note, draft.provedFrom, draft.provedTo,
                draft.answers?.from, draft.answers?.to, actor.name, at,
            ])
        let id = db.lastInsertedRowID
        try log.record(db, entity: "evidence", ref: ref, id: id, field: "created", before: nil, after: "\(control.ref): \(title)")
        try log.record(
            db, entity: "evidence", ref: ref, id: id, field: "proves", before: nil, after: EvidenceRules.span(draft.provedFrom, draft.provedTo))
        if let answers = draft.answers {
            try log.record(
                db, entity: "evidence", ref: ref, id: id, field: "answers", before: nil, after: EvidenceRules.span(answers.from, answers.to))
        }
        try storeFiles(draft.files, evidence: id, ref: ref, version: 1, at: at)
        return ref
    }

    /// A new version of an item's files; the old ones stay. Its review starts over.
    @discardableResult
    public func reviseEvidence(_ ref: String, files: [String]) throws -> Int {
        let (id, _) = try Lookup.evidence(db, ref)
        guard !files.isEmpty else { throw WorkspaceError.invalid("name at least one file") }
        let version = (try Int.fetchOne(db, sql: "SELECT max(version) FROM evidence_file WHERE evidence_id = ?", arguments: [id]) ?? 0) + 1
        let canonical = try String.fetchOne(db, sql: "SELECT ref FROM evidence WHERE id = ?", arguments: [id]) ?? ref
        try storeFiles(files, evidence: id, ref: canonical, version: version, at: Timestamps.iso(actor.now))
        let before = try String.fetchOne(db, sql: "SELECT review FROM evidence WHERE id = ?", arguments: [id])
        if before != EvidenceReview.pending.rawValue {
            try db.execute(
                sql: "UPDATE evidence SET review = 'pending', review_note = '', reviewed_by = NULL, reviewed_at = NULL WHERE id = ?", arguments: [id])
            try log.record(db, entity: "evidence", ref: canonical, id: id, field: "review", before: before, after: EvidenceReview.pending.rawValue)
        }
        return version
    }

    /// Accepts or rejects an item, with a note. Where the workspace asks for independent review,
    /// the control's owner may not review its own evidence.
    public func reviewEvidence(_ ref: String, accept: Bool, note: String) throws {
        let (id, _) = try Lookup.evidence(db, ref)
        guard !note.trimmingCharacters(in: .whitespaces).isEmpty else { throw WorkspaceError.invalid("a review needs a note (--note TEXT)") }
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT e.ref, e.review, e.review_note, e.reviewed_by, e.reviewed_at, o.name AS owner, o.handle
                FROM evidence e JOIN control c ON c.id = e.control_id
                LEFT JOIN owner o ON o.id = c.owner_id WHERE e.id = ?
                """, arguments: [id])!
        if try reader.evidenceSettings().independentReview, let owner = row["owner"] as String? {
            let handle = (row["handle"] as String?) ?? ""
            if actor.name.caseInsensitiveCompare(owner) == .orderedSame
                || (!handle.isEmpty && actor.name.caseInsensitiveCompare(handle) == .orderedSame)
            {
                throw WorkspaceError.invalid(
                    "\(row["ref"] as String): \(owner) owns the control, and this workspace asks for someone else to review its evidence")
            }
        }
        let after = accept ? EvidenceReview.accepted : .rejected
        let at = Timestamps.iso(actor.now)
        try db.execute(
            sql: "UPDATE evidence SET review = ?, review_note = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?",
            arguments: [after.rawValue, note, actor.name, at, id])
        // Every field with the value it replaced, so a meeting's undo puts the earlier review back whole.
        try log.record(db, entity: "evidence", ref: row["ref"], id: id, field: "review", before: row["review"], after: after.rawValue)
        try log.record(db, entity: "evidence", ref: row["ref"], id: id, field: "review_note", before: row["review_note"], after: note)
        try log.record(db, entity: "evidence", ref: row["ref"], id: id, field: "reviewed_by", before: row["reviewed_by"], after: actor.name)
        try log.record(db, entity: "evidence", ref: row["ref"], id: id, field: "reviewed_at", before: row["reviewed_at"], after: at)
    }

    public func setEvidenceSettings(graceDays: Int?, independentReview: Bool?) throws {
        var values: [(String, String)] = []
        if let graceDays {
            guard (0...365).contains(graceDays) else { throw WorkspaceError.invalid("--grace must be 0 to 365 days") }
            values.append(("evidence.grace_days", String(graceDays)))
        }
        if let independentReview { values.append(("evidence.independent_review", independentReview ? "yes" : "no")) }
        try setSettings(values)
    }

    private func storeFiles(_ paths: [String], evidence id: Int64, ref: String, version: Int, at: String) throws {
        var names = Set<String>()
        for path in paths {
            let name = URL(fileURLWithPath: path).lastPathComponent
            guard names.insert(name).inserted else { throw WorkspaceError.invalid("\(path): two files named '\(name)' in one version") }
            let stored = try BlobStore.put(db, path: path)
            try db.execute(
                sql: """
                    INSERT INTO evidence_file (evidence_id, version, name, sha256, size, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, version, name, stored.sha256, stored.size, actor.name, at])
            try log.record(db, entity: "evidence", ref: ref, id: id, field: "file", before: nil, after: "v\(version) \(name) sha256:\(stored.sha256)")
        }
    }
}

enum EvidenceRules {
    static func check(from: String, to: String) throws {
        for day in [from, to] where DueDate.parseDay(day) == nil {
            throw WorkspaceError.invalid("'\(day)' is not a date (YYYY-MM-DD)")
        }
        guard from <= to else { throw WorkspaceError.invalid("the period \(from)..\(to) ends before it starts") }
    }

    static func span(_ from: String, _ to: String) -> String { from == to ? from : "\(from)..\(to)" }
}

extension Lookup {
    static func evidence(_ db: Database, _ ref: String) throws -> (id: Int64, control: String) {
        let key = ref.uppercased().hasPrefix("EV-") ? ref : "EV-\(ref)"
        if let row = try Row.fetchOne(
            db, sql: "SELECT e.id, c.ref FROM evidence e JOIN control c ON c.id = e.control_id WHERE e.ref = ?", arguments: [key])
        {
            return (row[0], row[1])
        }
        let all = try String.fetchAll(db, sql: "SELECT ref FROM evidence")
        throw WorkspaceError.unknownReference(kind: "evidence", name: ref, suggestions: Suggestions.closest(to: ref, in: all))
    }
}
