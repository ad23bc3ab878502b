import AssureModel
import Foundation
import GRDB

/// What `assure processing add` asks for. Recipients are vendors as typed (name or `VEN-n`);
/// the writer resolves them. `createdOn` nil means the actor's day (the sample gives its own).
public struct ProcessingDraft: Equatable, Sendable {
    public var name: String
    public var purpose: String
    public var basis: LawfulBasis
    public var dataCategories: [String]
    public var subjects: [String]
    public var recipients: [String]
    public var retention: String
    public var transferCountry: String?
    public var mechanism: TransferMechanism?
    public var highRisk: Bool
    public var createdOn: String?

    public init(
        name: String, purpose: String, basis: LawfulBasis, dataCategories: [String], subjects: [String], recipients: [String] = [],
        retention: String, transferCountry: String? = nil, mechanism: TransferMechanism? = nil, highRisk: Bool = false,
        createdOn: String? = nil
    ) {
        self.name = name; self.purpose = purpose; self.basis = basis; self.dataCategories = dataCategories; self.subjects = subjects
        self.recipients = recipients; self.retention = retention; self.transferCountry = transferCountry; self.mechanism = mechanism
        self.highRisk = highRisk; self.createdOn = createdOn
    }
}

/// What `assure processing edit` changes: nil leaves a field as it is. `recipients` replaces
/// the whole set; `addRecipients`/`removeRecipients` change it one by one. A transfer is set
/// with its safeguard (`transfer`) or removed (`removeTransfer`).
public struct ProcessingEdit: Equatable, Sendable {
    public var name: String?
    public var purpose: String?
    public var basis: LawfulBasis?
    public var dataCategories: [String]?
    public var subjects: [String]?
    public var retention: String?
    public var recipients: [String]?
    public var addRecipients: [String] = []
    public var removeRecipients: [String] = []
    public var transfer: ProcessingTransfer?
    public var removeTransfer = false
    public var highRisk: Bool?
    public init() {}
}

public struct ProcessingTransfer: Equatable, Sendable {
    public var country: String
    public var mechanism: TransferMechanism
    public init(country: String, mechanism: TransferMechanism) { self.country = country; self.mechanism = mechanism }
}

extension WorkspaceReader {
    /// The register in reference order, each activity with its current DPIA.
    public func processingActivities() throws -> [ProcessingSummary] {
        let current = try currentDPIAByProcessing()
        return try ProcessingRows.fetch(db, id: nil).map { ProcessingSummary($0.activity, dpia: current[$0.activity.ref]) }
    }

    /// One activity by `ROPA-3`, `3` or its name (any case).
    public func processingActivity(_ ref: String) throws -> ProcessingSummary {
        let found = try Lookup.processing(db, ref)
        guard let row = try ProcessingRows.fetch(db, id: found.id).first else {
            throw WorkspaceError.unknownReference(kind: "processing activity", name: ref, suggestions: [])
        }
        return ProcessingSummary(row.activity, dpia: try currentDPIAByProcessing()[row.activity.ref])
    }

    /// Every DPIA of an activity, oldest first.
    public func dpias(processing ref: String, today: String) throws -> [DPIASummary] {
        let found = try Lookup.processing(db, ref)
        return try dpias(today: today).filter { $0.processing == found.ref }
    }

    /// Each activity's newest DPIA, by activity ref.
    func currentDPIAByProcessing() throws -> [String: DPIA] {
        var out: [String: DPIA] = [:]
        for summary in try dpias(today: "") where summary.current { out[summary.processing] = summary.dpia }
        return out
    }
}

extension WorkspaceWriter {
    /// Adds a record of processing; returns its reference (`ROPA-3`).
    @discardableResult
    public func addProcessing(_ draft: ProcessingDraft) throws -> String {
        let number = try Int64.fetchOne(db, sql: "SELECT coalesce(max(number), 0) + 1 FROM processing_activity") ?? 1
        let ref = "ROPA-\(number)"
        let name = draft.name.trimmingCharacters(in: .whitespacesAndNewlines)
        let createdOn = draft.createdOn ?? Timestamps.day(actor.now)
        guard DueDate.parseDay(createdOn) != nil else { throw WorkspaceError.invalid("'\(createdOn)' is not a date (YYYY-MM-DD)") }
        let vendors = try resolveRecipients(draft.recipients)
        let activity = ProcessingActivity(
            ref: ref, name: name, purpose: draft.purpose.trimmingCharacters(in: .whitespacesAndNewlines), basis: draft.basis,
            dataCategories: draft.dataCategories, subjects: draft.subjects, recipients: vendors.map(\.name).sorted(by: Self.byName),
            retention: draft.retention.trimmingCharacters(in: .whitespacesAndNewlines),
            transferCountry: draft.transferCountry?.trimmingCharacters(in: .whitespaces), mechanism: draft.mechanism,
            highRisk: draft.highRisk, createdOn: createdOn)
        // Refusals name the activity by its name: a number it never got would only confuse.
        var named = activity
        named.ref = "'\(name)'"
        try PrivacyRules.check(named)
        if let existing = try String.fetchOne(db, sql: "SELECT ref FROM processing_activity WHERE name = ?", arguments: [name]) {
            throw WorkspaceError.invalid("a processing activity named '\(name)' already exists (\(existing)); choose another name or edit it")
        }
        try db.execute(
            sql: """
                INSERT INTO processing_activity (number, ref, name, purpose, basis, data_categories, subjects, retention, transfer_country,
                                                 mechanism, high_risk, created_on, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                number, ref, activity.name, activity.purpose, activity.basis.rawValue, ProcessingRows.join(activity.dataCategories),
                ProcessingRows.join(activity.subjects), activity.retention, activity.transferCountry, activity.mechanism?.rawValue,
                activity.highRisk ? 1 : 0, createdOn, actor.name,
            ])
        let id = db.lastInsertedRowID
        try log.record(db, entity: "processing", ref: ref, id: id, field: "created", before: nil, after: activity.name)
        let blank = ProcessingActivity(
            ref: ref, name: activity.name, purpose: "", basis: activity.basis, dataCategories: [], subjects: [],
            retention: "", highRisk: activity.highRisk, createdOn: createdOn)
        // The basis and the high-risk flag always have a value: logged so the created rows say it all.
        try log.record(db, entity: "processing", ref: ref, id: id, field: "basis", before: nil, after: activity.basis.rawValue)
        try log.record(db, entity: "processing", ref: ref, id: id, field: "high_risk", before: nil, after: activity.highRisk ? "yes" : "no")
        try logFields(from: blank, to: activity, id: id)
        try linkRecipients(processing: id, ref: ref, removing: [], adding: vendors)
        return ref
    }

    /// Changes an activity's fields; one change-log row per field that changed (a recipient
    /// added or removed is a `recipient` row). Returns how many rows were logged.
    @discardableResult
    public func editProcessing(_ ref: String, _ edit: ProcessingEdit) throws -> Int {
        let found = try Lookup.processing(db, ref)
        guard let current = try ProcessingRows.fetch(db, id: found.id).first else {
            throw WorkspaceError.unknownReference(kind: "processing activity", name: ref, suggestions: [])
        }
        var activity = current.activity
        if let name = edit.name { activity.name = name.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let purpose = edit.purpose { activity.purpose = purpose.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let basis = edit.basis { activity.basis = basis }
        if let data = edit.dataCategories { activity.dataCategories = data }
        if let subjects = edit.subjects { activity.subjects = subjects }
        if let retention = edit.retention { activity.retention = retention.trimmingCharacters(in: .whitespacesAndNewlines) }
        if edit.removeTransfer && edit.transfer != nil {
            throw WorkspaceError.invalid("\(activity.ref): give a new transfer or --no-transfer, not both")
        }
        if let transfer = edit.transfer {
            activity.transferCountry = transfer.country.trimmingCharacters(in: .whitespaces); activity.mechanism = transfer.mechanism
        }
        if edit.removeTransfer { activity.transferCountry = nil; activity.mechanism = nil }
        if let highRisk = edit.highRisk { activity.highRisk = highRisk }

        let old = try ProcessingRows.recipients(db, processingID: found.id)
        var vendors = Dictionary(old.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        if let replacement = edit.recipients {
            vendors = [:]
            for vendor in try resolveRecipients(replacement) { vendors[vendor.id] = vendor }
        }
        for vendor in try resolveRecipients(edit.addRecipients) { vendors[vendor.id] = vendor }
        for vendor in try resolveRecipients(edit.removeRecipients) {
            guard vendors.removeValue(forKey: vendor.id) != nil else {
                throw WorkspaceError.invalid("\(activity.ref): \(vendor.name) is not a recipient, so it cannot be removed")
            }
        }
        activity.recipients = vendors.values.map(\.name).sorted(by: Self.byName)
        try PrivacyRules.check(activity)
        if activity.name.caseInsensitiveCompare(current.activity.name) != .orderedSame,
            let other = try String.fetchOne(
                db, sql: "SELECT ref FROM processing_activity WHERE name = ? AND id <> ?", arguments: [activity.name, found.id])
        {
            throw WorkspaceError.invalid("\(activity.ref): \(other) is already named '\(activity.name)'")
        }

        let before = log.count
        try db.execute(
            sql: """
                UPDATE processing_activity SET name = ?, purpose = ?, basis = ?, data_categories = ?, subjects = ?, retention = ?,
                       transfer_country = ?, mechanism = ?, high_risk = ? WHERE id = ?
                """,
            arguments: [
                activity.name, activity.purpose, activity.basis.rawValue, ProcessingRows.join(activity.dataCategories),
                ProcessingRows.join(activity.subjects), activity.retention, activity.transferCountry, activity.mechanism?.rawValue,
                activity.highRisk ? 1 : 0, found.id,
            ])
        try logFields(from: current.activity, to: activity, id: found.id)
        let oldIDs = Set(old.map(\.id))
        try linkRecipients(
            processing: found.id, ref: activity.ref,
            removing: old.filter { vendors[$0.id] == nil },
            adding: vendors.values.filter { !oldIDs.contains($0.id) })
        return log.count - before
    }

    /// Links and unlinks vendors, one `recipient` row each, by vendor name.
    private func linkRecipients(processing id: Int64, ref: String, removing: [RecipientVendor], adding: [RecipientVendor]) throws {
        for vendor in removing {
            try db.execute(sql: "DELETE FROM processing_recipient WHERE processing_id = ? AND vendor_id = ?", arguments: [id, vendor.id])
        }
        for vendor in adding {
            try db.execute(sql: "INSERT OR IGNORE INTO processing_recipient (processing_id, vendor_id) VALUES (?, ?)", arguments: [id, vendor.id])
        }
        let changes = removing.map { ($0.name, false) } + adding.map { ($0.name, true) }
        for (name, added) in changes.sorted(by: { Self.byName($0.0, $1.0) }) {
            try log.record(db, entity: "processing", ref: ref, id: id, field: "recipient", before: added ? nil : name, after: added ? name : nil)
        }
    }

    /// Vendors as typed, each once, in the order typed.
    private func resolveRecipients(_ names: [String]) throws -> [RecipientVendor] {
        var seen = Set<Int64>()
        return try names.map { try Lookup.recipientVendor(db, $0) }.filter { seen.insert($0.id).inserted }
    }

    /// One row per stored field that differs (recipients are logged by the caller).
    private func logFields(from old: ProcessingActivity, to new: ProcessingActivity, id: Int64) throws {
        func nonEmpty(_ value: String) -> String? { value.isEmpty ? nil : value }
        let fields: [(String, String?, String?)] = [
            ("name", old.name, new.name),
            ("purpose", nonEmpty(old.purpose), nonEmpty(new.purpose)),
            ("basis", old.basis.rawValue, new.basis.rawValue),
            ("data_categories", nonEmpty(ProcessingRows.join(old.dataCategories)), nonEmpty(ProcessingRows.join(new.dataCategories))),
            ("subjects", nonEmpty(ProcessingRows.join(old.subjects)), nonEmpty(ProcessingRows.join(new.subjects))),
            ("retention", nonEmpty(old.retention), nonEmpty(new.retention)),
            ("transfer_country", old.transferCountry, new.transferCountry),
            ("mechanism", old.mechanism?.rawValue, new.mechanism?.rawValue),
            ("high_risk", old.highRisk ? "yes" : "no", new.highRisk ? "yes" : "no"),
        ]
        for (field, before, after) in fields where before != after {
            try log.record(db, entity: "processing", ref: new.ref, id: id, field: field, before: before, after: after)
        }
    }

    static func byName(_ a: String, _ b: String) -> Bool {
        let order = a.lowercased().compare(b.lowercased())
        return order == .orderedSame ? a < b : order == .orderedAscending
    }
}

/// A vendor named as a recipient of personal data.
struct RecipientVendor: Equatable {
    var id: Int64
    var ref: String
    var name: String
}

/// Reading processing rows into values.
enum ProcessingRows {
    struct Stored {
        var id: Int64
        var activity: ProcessingActivity
    }

    /// Categories are stored as one text, `email, name`: what the register prints.
    static func join(_ list: [String]) -> String { list.joined(separator: ", ") }

    /// All activities (or one by id) with their recipients, by number.
    static func fetch(_ db: Database, id: Int64?) throws -> [Stored] {
        var sql = """
            SELECT id, ref, name, purpose, basis, data_categories, subjects, retention, transfer_country, mechanism, high_risk, created_on
            FROM processing_activity
            """
        var arguments: StatementArguments = []
        if let id { sql += " WHERE id = ?"; arguments = [id] }
        sql += " ORDER BY number"
        var recipients: [Int64: [String]] = [:]
        let recipientSQL =
            "SELECT pr.processing_id, v.name FROM processing_recipient pr JOIN vendor v ON v.id = pr.vendor_id"
            + (id == nil ? "" : " WHERE pr.processing_id = ?")
        for row in try Row.fetchAll(db, sql: recipientSQL, arguments: arguments) {
            let processingID: Int64 = row[0]
            let name: String = row[1]
            recipients[processingID, default: []].append(name)
        }
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let rowID: Int64 = row[0]
            let basisText: String = row[4]
            let dataText: String = row[5]
            let subjectsText: String = row[6]
            let mechanismText: String? = row[9]
            let highRisk: Int = row[10]
            let activity = ProcessingActivity(
                ref: row[1], name: row[2], purpose: row[3], basis: LawfulBasis(rawValue: basisText) ?? .contract,
                dataCategories: PrivacyRules.categories(dataText), subjects: PrivacyRules.categories(subjectsText),
                recipients: (recipients[rowID] ?? []).sorted(by: WorkspaceWriter.byName), retention: row[7], transferCountry: row[8],
                mechanism: mechanismText.flatMap(TransferMechanism.init(rawValue:)), highRisk: highRisk != 0, createdOn: row[11])
            return Stored(id: rowID, activity: activity)
        }
    }

    static func recipients(_ db: Database, processingID: Int64) throws -> [RecipientVendor] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT v.id, v.ref, v.name FROM processing_recipient pr JOIN vendor v ON v.id = pr.vendor_id WHERE pr.processing_id = ? ORDER BY v.name
                """, arguments: [processingID]
        ).map { RecipientVendor(id: $0[0], ref: $0[1], name: $0[2]) }
    }
}

extension Lookup {
    /// A processing activity by `ROPA-3` (any case), its number alone, or its name (any case).
    static func processing(_ db: Database, _ text: String) throws -> (id: Int64, ref: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let key = Int(trimmed) != nil ? "ROPA-\(trimmed)" : trimmed
        if let row = try Row.fetchOne(db, sql: "SELECT id, ref FROM processing_activity WHERE ref = ? OR name = ?", arguments: [key, trimmed]) {
            return (row[0], row[1])
        }
        let rows = try Row.fetchAll(db, sql: "SELECT ref, name FROM processing_activity ORDER BY number")
        let names: [String] = rows.map { $0[0] } + rows.map { $0[1] }
        throw WorkspaceError.unknownReference(kind: "processing activity", name: text, suggestions: Suggestions.closest(to: trimmed, in: names))
    }

    /// A vendor named as a recipient, by name (any case) or `VEN-3`. (Kept here so the privacy
    /// records need nothing from the vendor files.)
    static func recipientVendor(_ db: Database, _ text: String) throws -> RecipientVendor {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let row = try Row.fetchOne(db, sql: "SELECT id, ref, name FROM vendor WHERE name = ? OR ref = ?", arguments: [trimmed, trimmed]) {
            return RecipientVendor(id: row[0], ref: row[1], name: row[2])
        }
        let rows = try Row.fetchAll(db, sql: "SELECT ref, name FROM vendor ORDER BY number")
        let names: [String] = rows.map { $0[1] } + rows.map { $0[0] }
        if rows.isEmpty {
            throw WorkspaceError.invalid(
                "unknown vendor \(WorkspaceError.quoted(text)): no vendors are recorded yet; add it first (assure vendor add NAME)")
        }
        throw WorkspaceError.unknownReference(kind: "vendor", name: text, suggestions: Suggestions.closest(to: trimmed, in: names))
    }
}
