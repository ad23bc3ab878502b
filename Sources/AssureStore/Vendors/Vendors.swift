import AssureModel
import Foundation
import GRDB

extension WorkspaceReader {
    /// Every vendor by number, each with its review dates, its reports' coverage of our SOC 2
    /// audit window and its findings as of `today`.
    public func vendors(today: String) throws -> [VendorSummary] {
        let window = try vendorWindow()
        return try VendorRows.fetch(db, id: nil).map { VendorSummary($0.vendor, today: today, window: window) }
    }

    /// One vendor by reference (`VEN-3`) or name (any case, or a unique prefix of it).
    public func vendor(_ name: String, today: String) throws -> VendorSummary {
        let found = try Lookup.vendor(db, name)
        guard let row = try VendorRows.fetch(db, id: found.id).first else {
            throw WorkspaceError.unknownReference(kind: "vendor", name: name, suggestions: [])
        }
        return VendorSummary(row.vendor, today: today, window: try vendorWindow())
    }

    /// Our audit window, both ends inclusive: the SOC 2 audit target's, when one is set.
    public func vendorWindow() throws -> DayRange? {
        guard let target = try auditTarget(framework: Framework.soc2ID),
            let end = Ledger.windowEnd(start: target.windowStart, length: target.window)
        else { return nil }
        return DayRange(from: target.windowStart, to: end)
    }

    /// The vendors' derived gaps (see `VendorRules.findings`), for `gaps derive`.
    public func vendorProposals(today: String, existingKeys: Set<String>) throws -> [DerivedGap] {
        Derive.vendorProposals(vendors: try vendors(today: today), today: today, existingKeys: existingKeys)
    }

    /// The CUECs of one vendor (or all), each with our control that answers it, that control's
    /// owner and its newest accepted evidence.
    public func vendorCUECs(vendor: String? = nil, today: String) throws -> [VendorCUECLine] {
        let id = try vendor.map { try Lookup.vendor(db, $0).id }
        var sql = """
            SELECT v.ref, v.name, q.text, c.ref, c.title, o.name FROM vendor_cuec q JOIN vendor v ON v.id = q.vendor_id
            LEFT JOIN control c ON c.id = q.control_id LEFT JOIN owner o ON o.id = c.owner_id
            """
        if id != nil { sql += " WHERE v.id = ?" }
        sql += " ORDER BY v.number, q.id"
        var numbers: [String: Int] = [:]
        var newest: [String: EvidenceItem?] = [:]
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(id.map { [$0] } ?? [])).map { row in
            let ref: String = row[0]
            let number = (numbers[ref] ?? 0) + 1
            numbers[ref] = number
            let control: String? = row[3]
            var evidence: EvidenceItem?
            if let control {
                if newest[control] == nil {
                    newest[control] = try self.evidence(control: control, today: today).first { $0.review == .accepted }
                }
                evidence = newest[control] ?? nil
            }
            return VendorCUECLine(
                vendor: ref, vendorName: row[1], number: number,
                text: row[2],
                control: control, controlTitle: row[4], owner: row[5], evidence: evidence.map(VendorCUECLine.Evidence.init))
        }
    }
}

/// A CUEC as `assure vendor cuecs` lists it.
public struct VendorCUECLine: Equatable, Sendable {
    /// An accepted evidence item of the mapped control.
    public struct Evidence: Equatable, Sendable {
        public var ref: String
        /// The day or period it proves.
        public var proves: String
        init(_ item: EvidenceItem) {
            ref = item.ref
            proves = item.provedFrom == item.provedTo ? item.provedFrom : "\(item.provedFrom)..\(item.provedTo)"
        }
        public init(ref: String, proves: String) { self.ref = ref; self.proves = proves }
    }

    public var vendor: String
    public var vendorName: String
    public var number: Int
    public var text: String
    public var control: String?
    public var controlTitle: String?
    public var owner: String?
    /// The newest accepted evidence of the control; nil when it has none (or no control).
    public var evidence: Evidence?
}

/// Reading vendor rows into values. Reports and CUECs are numbered per vendor in the order they
/// were recorded (by row id); they are never deleted, so the numbers hold.
enum VendorRows {
    struct Stored {
        var id: Int64
        var ownerID: Int64?
        var vendor: Vendor
    }

    static func fetch(_ db: Database, id: Int64?) throws -> [Stored] {
        let filter = id == nil ? "" : " WHERE vendor_id = ?"
        let arguments: StatementArguments = id.map { [$0] } ?? []
        var reports: [Int64: [VendorReport]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT vendor_id, type, period_from, period_to, opinion, exceptions, carve_outs, bridge_until, file_name, sha256,
                       reviewed_by, reviewed_on, review_note FROM vendor_report
                """ + filter + " ORDER BY vendor_id, id", arguments: arguments)
        {
            let vendorID: Int64 = row[0]
            let typeText: String = row[1]
            let opinionText: String = row[4]
            let carveOuts: String = row[6]
            let number = (reports[vendorID]?.count ?? 0) + 1
            let report = VendorReport(
                number: number, type: VendorReportType(rawValue: typeText) ?? .type2, periodFrom: row[2], periodTo: row[3],
                opinion: VendorOpinion(rawValue: opinionText) ?? .unqualified, exceptions: row[5],
                carveOuts: carveOuts.split(separator: "\n").map(String.init), bridgeUntil: row[7], fileName: row[8], sha256: row[9],
                reviewedBy: row[10], reviewedOn: row[11], reviewNote: row[12])
            reports[vendorID, default: []].append(report)
        }
        var cuecs: [Int64: [VendorCUEC]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT q.vendor_id, q.text, c.ref FROM vendor_cuec q LEFT JOIN control c ON c.id = q.control_id
                """ + filter.replacingOccurrences(of: "vendor_id", with: "q.vendor_id") + " ORDER BY q.vendor_id, q.id", arguments: arguments)
        {
            let vendorID: Int64 = row[0]
            let number = (cuecs[vendorID]?.count ?? 0) + 1
            cuecs[vendorID, default: []].append(VendorCUEC(number: number, text: row[1], control: row[2]))
        }
        var agreements: [Int64: [VendorAgreement]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT vendor_id, kind, signed_on, expires_on, file_name, sha256 FROM vendor_agreement
                """ + filter + " ORDER BY vendor_id, signed_on, id", arguments: arguments)
        {
            let vendorID: Int64 = row[0]
            let kindText: String = row[1]
            guard let kind = VendorAgreementKind(rawValue: kindText) else { continue }
            agreements[vendorID, default: []].append(
                VendorAgreement(kind: kind, signedOn: row[2], expiresOn: row[3], fileName: row[4], sha256: row[5]))
        }
        var sql = """
            SELECT v.id, v.ref, v.name, v.criticality, v.data, v.service, v.subprocessor, v.owner_id, o.name, v.reviewed_on, v.status, v.created_on
            FROM vendor v LEFT JOIN owner o ON o.id = v.owner_id
            """
        if id != nil { sql += " WHERE v.id = ?" }
        sql += " ORDER BY v.number"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let rowID: Int64 = row[0]
            let criticalityText: String = row[3]
            let dataText: String = row[4]
            let subprocessor: Int = row[6]
            let vendor = Vendor(
                ref: row[1], name: row[2], criticality: VendorCriticality(rawValue: criticalityText) ?? .medium,
                data: VendorData(rawValue: dataText) ?? .none, service: row[5], subprocessor: subprocessor != 0, owner: row[8],
                reviewedOn: row[9], status: row[10], createdOn: row[11],
                reports: reports[rowID] ?? [], cuecs: cuecs[rowID] ?? [], agreements: agreements[rowID] ?? [])
            return Stored(id: rowID, ownerID: row[7], vendor: vendor)
        }
    }

    /// The row ids of a vendor's reports (or CUECs), in number order: number n is index n - 1.
    static func ids(_ db: Database, table: String, vendorID: Int64) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT id FROM \(table) WHERE vendor_id = ? ORDER BY id", arguments: [vendorID])
    }
}

extension Lookup {
    /// A vendor by `VEN-3` (any case), by its name (any case), or by a prefix of the name only
    /// one vendor has.
    static func vendor(_ db: Database, _ name: String) throws -> (id: Int64, ref: String, name: String) {
        let key = name.trimmingCharacters(in: .whitespaces)
        if let row = try Row.fetchOne(db, sql: "SELECT id, ref, name FROM vendor WHERE ref = ? OR name = ?", arguments: [key, key]) {
            return (row[0], row[1], row[2])
        }
        let all = try Row.fetchAll(db, sql: "SELECT id, ref, name FROM vendor ORDER BY number")
        let lowered = key.lowercased()
        let exact = all.filter { ($0[2] as String).lowercased() == lowered }
        let prefixed = exact.isEmpty ? all.filter { !lowered.isEmpty && ($0[2] as String).lowercased().hasPrefix(lowered) } : exact
        if prefixed.count == 1 { return (prefixed[0][0], prefixed[0][1], prefixed[0][2]) }
        if prefixed.count > 1 {
            throw WorkspaceError.ambiguousReference(kind: "vendor", name: name, matches: prefixed.map { "\($0[1] as String) \($0[2] as String)" })
        }
        let names: [String] = all.map { $0[2] }
        throw WorkspaceError.unknownReference(kind: "vendor", name: name, suggestions: Suggestions.closest(to: key, in: names))
    }
}
