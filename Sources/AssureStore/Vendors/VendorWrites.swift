import AssureModel
import Foundation
import GRDB

/// What `assure vendor add` asks for. The owner is a name as typed; the writer resolves it.
public struct VendorDraft: Equatable, Sendable {
    public var name: String
    public var criticality: VendorCriticality
    public var data: VendorData
    public var service: String
    public var subprocessor: Bool
    public var owner: String?
    /// The day it was recorded (default: the day of the write); a sample sets its own.
    public var createdOn: String?

    public init(
        name: String, criticality: VendorCriticality = .medium, data: VendorData = .none, service: String = "",
        subprocessor: Bool = false, owner: String? = nil, createdOn: String? = nil
    ) {
        self.name = name; self.criticality = criticality; self.data = data; self.service = service
        self.subprocessor = subprocessor; self.owner = owner; self.createdOn = createdOn
    }
}

/// What `assure vendor edit` changes: nil leaves a field as it is.
public struct VendorEdit: Equatable, Sendable {
    public var name: String?
    public var criticality: VendorCriticality?
    public var data: VendorData?
    public var service: String?
    public var subprocessor: Bool?
    public var owner: String?
    public init() {}
}

/// A SOC 2 report to record. For a Type 1 report `periodFrom` and `periodTo` are its one day.
public struct VendorReportDraft: Equatable, Sendable {
    public var type: VendorReportType
    public var periodFrom: String
    public var periodTo: String
    public var opinion: VendorOpinion
    public var exceptions: Int
    public var carveOuts: [String]
    public var bridgeUntil: String?
    /// A file to keep in the workspace's store (the report's PDF).
    public var file: String?

    public init(
        type: VendorReportType, periodFrom: String, periodTo: String, opinion: VendorOpinion, exceptions: Int = 0,
        carveOuts: [String] = [], bridgeUntil: String? = nil, file: String? = nil
    ) {
        self.type = type; self.periodFrom = periodFrom; self.periodTo = periodTo; self.opinion = opinion; self.exceptions = exceptions
        self.carveOuts = carveOuts; self.bridgeUntil = bridgeUntil; self.file = file
    }
}

public struct VendorAgreementDraft: Equatable, Sendable {
    public var kind: VendorAgreementKind
    public var signedOn: String
    public var expiresOn: String?
    public var file: String?
    public init(kind: VendorAgreementKind, signedOn: String, expiresOn: String? = nil, file: String? = nil) {
        self.kind = kind; self.signedOn = signedOn; self.expiresOn = expiresOn; self.file = file
    }
}

extension WorkspaceWriter {
    /// Adds a vendor; returns its reference (`VEN-3`).
    @discardableResult
    public func addVendor(_ draft: VendorDraft) throws -> String {
        let name = try checkedName(draft.name, except: nil)
        let service = try checkedLine(draft.service, what: "--service")
        let owner = try draft.owner.map { try Lookup.activeOwner(db, $0) }
        let today = Timestamps.day(actor.now)
        let createdOn = try draft.createdOn.map { try VendorRules.day($0, option: "the day it was added") } ?? today
        if createdOn > today { throw WorkspaceError.invalid("'\(name)': a vendor cannot be added after today (\(today))") }
        let number = try Int64.fetchOne(db, sql: "SELECT coalesce(max(number), 0) + 1 FROM vendor") ?? 1
        let ref = "VEN-\(number)"
        try db.execute(
            sql: """
                INSERT INTO vendor (number, ref, name, criticality, data, service, subprocessor, owner_id, created_on, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                number, ref, name, draft.criticality.rawValue, draft.data.rawValue, service, draft.subprocessor ? 1 : 0,
                owner?.id, createdOn, actor.name,
            ])
        let id = db.lastInsertedRowID
        try log.record(db, entity: "vendor", ref: ref, id: id, field: "created", before: nil, after: name)
        // The defaults are logged too: the rows alone should say how the vendor was classed.
        try log.record(db, entity: "vendor", ref: ref, id: id, field: "criticality", before: nil, after: draft.criticality.rawValue)
        try log.record(db, entity: "vendor", ref: ref, id: id, field: "data", before: nil, after: draft.data.rawValue)
        try log.record(db, entity: "vendor", ref: ref, id: id, field: "service", before: nil, after: service.isEmpty ? nil : service)
        try log.record(db, entity: "vendor", ref: ref, id: id, field: "subprocessor", before: nil, after: draft.subprocessor ? "yes" : nil)
        try log.recordOwner(db, entity: "vendor", ref: ref, id: id, field: "owner", before: nil, after: owner?.id)
        return ref
    }

    /// Changes a vendor's fields, one change-log row per field that changed; returns how many.
    @discardableResult
    public func editVendor(_ vendor: String, _ edit: VendorEdit) throws -> Int {
        let found = try Lookup.vendor(db, vendor)
        guard let current = try VendorRows.fetch(db, id: found.id).first else {
            throw WorkspaceError.unknownReference(kind: "vendor", name: vendor, suggestions: [])
        }
        var new = current.vendor
        if let name = edit.name { new.name = try checkedName(name, except: found.id) }
        if let criticality = edit.criticality { new.criticality = criticality }
        if let data = edit.data { new.data = data }
        if let service = edit.service { new.service = try checkedLine(service, what: "--service") }
        if let subprocessor = edit.subprocessor { new.subprocessor = subprocessor }
        var ownerID = current.ownerID
        if let name = edit.owner { ownerID = try Lookup.activeOwner(db, name).id }
        try db.execute(
            sql: "UPDATE vendor SET name = ?, criticality = ?, data = ?, service = ?, subprocessor = ?, owner_id = ? WHERE id = ?",
            arguments: [new.name, new.criticality.rawValue, new.data.rawValue, new.service, new.subprocessor ? 1 : 0, ownerID, found.id])
        let old = current.vendor
        let before = log.count
        func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }
        let fields: [(String, String?, String?)] = [
            ("name", old.name, new.name),
            ("criticality", old.criticality.rawValue, new.criticality.rawValue),
            ("data", old.data.rawValue, new.data.rawValue),
            ("service", nonEmpty(old.service), nonEmpty(new.service)),
            ("subprocessor", old.subprocessor ? "yes" : nil, new.subprocessor ? "yes" : nil),
        ]
        for (field, was, now) in fields {
            try log.record(db, entity: "vendor", ref: found.ref, id: found.id, field: field, before: was, after: now)
        }
        try log.recordOwner(db, entity: "vendor", ref: found.ref, id: found.id, field: "owner", before: current.ownerID, after: ownerID)
        return log.count - before
    }

    /// Records a vendor review on `day` (default: today); returns the day and the next review.
    @discardableResult
    public func reviewVendor(_ vendor: String, on day: String? = nil) throws -> (reviewedOn: String, nextReview: String?) {
        let found = try Lookup.vendor(db, vendor)
        let day = try reviewDay(day, ref: found.ref)
        let previous = try String.fetchOne(db, sql: "SELECT reviewed_on FROM vendor WHERE id = ?", arguments: [found.id])
        if let previous, previous > day {
            throw WorkspaceError.invalid("\(found.ref) was last reviewed on \(previous); a review dated \(day) would be earlier")
        }
        try db.execute(sql: "UPDATE vendor SET reviewed_on = ? WHERE id = ?", arguments: [day, found.id])
        try log.record(db, entity: "vendor", ref: found.ref, id: found.id, field: "reviewed_on", before: previous, after: day)
        return (day, try VendorRows.fetch(db, id: found.id).first?.vendor.nextReview)
    }

    /// Records one of the vendor's SOC 2 reports (its file kept in the store); returns its
    /// number among the vendor's reports.
    @discardableResult
    public func addVendorReport(_ vendor: String, _ draft: VendorReportDraft) throws -> Int {
        let found = try Lookup.vendor(db, vendor)
        let carveOuts = draft.carveOuts.map { $0.trimmingCharacters(in: .whitespaces) }
        let report = VendorReport(
            number: 0, type: draft.type, periodFrom: draft.periodFrom, periodTo: draft.periodTo, opinion: draft.opinion,
            exceptions: draft.exceptions, carveOuts: carveOuts, bridgeUntil: draft.bridgeUntil)
        try VendorRules.check(report, ref: found.ref)
        let existing = try VendorRows.fetch(db, id: found.id).first?.vendor.reports ?? []
        if let same = existing.first(where: { $0.type == report.type && $0.periodFrom == report.periodFrom && $0.periodTo == report.periodTo }) {
            throw WorkspaceError.invalid("\(found.ref) already has a \(report.type.label) report for \(report.periodText) (report \(same.number))")
        }
        let file = try draft.file.map { try storeFile($0) }
        try db.execute(
            sql: """
                INSERT INTO vendor_report (vendor_id, type, period_from, period_to, opinion, exceptions, carve_outs, bridge_until, sha256, file_name,
                                           added_by, added_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                found.id, report.type.rawValue, report.periodFrom, report.periodTo, report.opinion.rawValue, report.exceptions,
                carveOuts.joined(separator: "\n"), report.bridgeUntil, file?.sha256, file?.name, actor.name, log.at,
            ])
        let number = existing.count + 1
        var text = "\(number): \(report.type.label) \(report.periodText), \(report.findingsText)"
        if !carveOuts.isEmpty { text += ", carves out \(carveOuts.joined(separator: "; "))" }
        if let bridge = report.bridgeUntil { text += ", bridge letter to \(bridge)" }
        if let file { text += ", file \(file.name) (\(file.sha256.prefix(12)))" }
        try log.record(db, entity: "vendor", ref: found.ref, id: found.id, field: "report", before: nil, after: text)
        return number
    }

    /// Records that someone read a report's opinion and exceptions (by the actor, on `day`,
    /// default today). Without `report`, the vendor's newest one. Returns the report's number.
    @discardableResult
    public func reviewVendorReport(_ vendor: String, report: Int? = nil, note: String, on day: String? = nil) throws -> Int {
        let found = try Lookup.vendor(db, vendor)
        let note = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw WorkspaceError.invalid("\(found.ref): say what the review found (--note TEXT)") }
        let ids = try VendorRows.ids(db, table: "vendor_report", vendorID: found.id)
        guard !ids.isEmpty else { throw WorkspaceError.invalid("\(found.ref) has no SOC 2 report to review; record one with assure vendor report") }
        let number = report ?? ids.count
        guard (1...ids.count).contains(number) else {
            throw WorkspaceError.invalid("\(found.ref) has no report \(number); its reports are numbered 1 to \(ids.count)")
        }
        let day = try reviewDay(day, ref: found.ref)
        let id = ids[number - 1]
        let row = try Row.fetchOne(db, sql: "SELECT reviewed_by, reviewed_on, review_note FROM vendor_report WHERE id = ?", arguments: [id])!
        let previousBy: String? = row[0]
        let previousOn: String? = row[1]
        let previousNote: String = row[2]
        try db.execute(
            sql: "UPDATE vendor_report SET reviewed_by = ?, reviewed_on = ?, review_note = ? WHERE id = ?",
            arguments: [actor.name, day, note, id])
        let before = previousOn.map { "\(number): reviewed by \(previousBy ?? "?") on \($0): \(previousNote)" }
        try log.record(
            db, entity: "vendor", ref: found.ref, id: found.id, field: "report_review", before: before,
            after: "\(number): reviewed by \(actor.name) on \(day): \(note)")
        return number
    }

    /// Adds a CUEC the vendor's report expects of us, mapped to one of our controls or not yet;
    /// returns its number among the vendor's CUECs.
    @discardableResult
    public func addVendorCUEC(_ vendor: String, text: String, control: String? = nil) throws -> Int {
        let found = try Lookup.vendor(db, vendor)
        let text = text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw WorkspaceError.invalid("\(found.ref): a CUEC needs its text") }
        if let problem = StoredText.firstProblem(in: text, multiline: false) {
            throw WorkspaceError.invalid("\(found.ref) CUEC: \(problem.description)")
        }
        let mapped = try control.map { try Lookup.control(db, $0) }
        let count = try VendorRows.ids(db, table: "vendor_cuec", vendorID: found.id).count
        try db.execute(
            sql: "INSERT INTO vendor_cuec (vendor_id, text, control_id, added_by, added_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [found.id, text, mapped?.id, actor.name, log.at])
        let number = count + 1
        try log.record(db, entity: "vendor", ref: found.ref, id: found.id, field: "cuec", before: nil, after: "\(number): \(text)")
        if let mapped {
            try log.record(db, entity: "vendor", ref: found.ref, id: found.id, field: "cuec_control", before: nil, after: "\(number): \(mapped.ref)")
        }
        return number
    }

    /// Maps (or remaps) CUEC `number` of the vendor to one of our controls; returns the control's reference.
    @discardableResult
    public func mapVendorCUEC(_ vendor: String, number: Int, control: String) throws -> String {
        let found = try Lookup.vendor(db, vendor)
        let ids = try VendorRows.ids(db, table: "vendor_cuec", vendorID: found.id)
        guard (1...max(1, ids.count)).contains(number), !ids.isEmpty else {
            throw WorkspaceError.invalid(
                ids.isEmpty
                    ? "\(found.ref) has no CUECs; add one with assure vendor cuec"
                    : "\(found.ref) has no CUEC \(number); its CUECs are numbered 1 to \(ids.count)")
        }
        let mapped = try Lookup.control(db, control)
        let id = ids[number - 1]
        let previous = try String.fetchOne(
            db, sql: "SELECT c.ref FROM vendor_cuec q JOIN control c ON c.id = q.control_id WHERE q.id = ?", arguments: [id])
        if previous == mapped.ref { throw WorkspaceError.invalid("\(found.ref) CUEC \(number) is already mapped to \(mapped.ref)") }
        try db.execute(sql: "UPDATE vendor_cuec SET control_id = ? WHERE id = ?", arguments: [mapped.id, id])
        try log.record(
            db, entity: "vendor", ref: found.ref, id: found.id, field: "cuec_control",
            before: previous.map { "\(number): \($0)" }, after: "\(number): \(mapped.ref)")
        return mapped.ref
    }

    /// Records a signed agreement (its file kept in the store).
    @discardableResult
    public func addVendorAgreement(_ vendor: String, _ draft: VendorAgreementDraft) throws -> VendorAgreement {
        let found = try Lookup.vendor(db, vendor)
        let signed = try VendorRules.day(draft.signedOn, option: "--signed")
        let today = Timestamps.day(actor.now)
        if signed > today { throw WorkspaceError.invalid("\(found.ref): an agreement cannot be signed after today (\(today))") }
        if let expires = draft.expiresOn {
            _ = try VendorRules.day(expires, option: "--expires")
            if expires < signed {
                throw WorkspaceError.invalid("\(found.ref): the \(draft.kind.label) expires (\(expires)) before it was signed (\(signed))")
            }
        }
        let file = try draft.file.map { try storeFile($0) }
        try db.execute(
            sql: """
                INSERT INTO vendor_agreement (vendor_id, kind, signed_on, expires_on, sha256, file_name, added_by, added_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [found.id, draft.kind.rawValue, signed, draft.expiresOn, file?.sha256, file?.name, actor.name, log.at])
        let agreement = VendorAgreement(kind: draft.kind, signedOn: signed, expiresOn: draft.expiresOn, fileName: file?.name, sha256: file?.sha256)
        try log.record(
            db, entity: "vendor", ref: found.ref, id: found.id, field: "agreement", before: nil,
            after: agreement.text + (file.map { ", file \($0.name) (\($0.sha256.prefix(12)))" } ?? ""))
        return agreement
    }

    // MARK: - Checks shared by the writes

    /// A vendor's name: one line, not blank, not shaped like a reference, and no other vendor's.
    private func checkedName(_ raw: String, except id: Int64?) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw WorkspaceError.invalid("a vendor needs a name") }
        if let problem = StoredText.firstProblem(in: name, multiline: false) {
            throw WorkspaceError.invalid("the vendor's name: \(problem.description)")
        }
        // VEN-3 names a vendor by reference: a vendor called that could never be named by its name.
        if name.uppercased().hasPrefix("VEN-"), Int(name.dropFirst(4)) != nil {
            throw WorkspaceError.invalid("'\(name)' looks like a vendor reference; give the vendor's own name")
        }
        if let other = try String.fetchOne(db, sql: "SELECT ref FROM vendor WHERE name = ? AND id IS NOT ?", arguments: [name, id]) {
            throw WorkspaceError.invalid("a vendor named '\(name)' already exists (\(other))")
        }
        return name
    }

    private func checkedLine(_ raw: String, what: String) throws -> String {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if let problem = StoredText.firstProblem(in: text, multiline: false) { throw WorkspaceError.invalid("\(what): \(problem.description)") }
        return text
    }

    /// A review day: given (a date, not after today) or today.
    private func reviewDay(_ day: String?, ref: String) throws -> String {
        let today = Timestamps.day(actor.now)
        guard let day else { return today }
        _ = try VendorRules.day(day, option: "--date")
        guard day <= today else { throw WorkspaceError.invalid("\(ref): a review cannot be dated after today (\(today))") }
        return day
    }

    /// Keeps a file in the store by its SHA-256; returns the hash and the file's own name.
    private func storeFile(_ path: String) throws -> (sha256: String, name: String) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw WorkspaceError.invalid("--file: \(path): no such file")
        }
        guard !isDirectory.boolValue else { throw WorkspaceError.invalid("--file: \(path): is a folder; name the file") }
        let name = URL(fileURLWithPath: path).lastPathComponent
        if let problem = StoredText.firstProblem(in: name, multiline: false) {
            throw WorkspaceError.invalid("--file: the file's name: \(problem.description)")
        }
        return (try BlobStore.put(db, path: path).sha256, name)
    }
}
