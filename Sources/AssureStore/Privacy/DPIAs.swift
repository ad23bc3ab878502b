import AssureModel
import Foundation
import GRDB

/// What `assure dpia add` asks for. The activity and risks are references as typed; the
/// writer resolves them. `assessedOn` nil means the actor's day.
public struct DPIADraft: Equatable, Sendable {
    public var processing: String
    public var outcome: DPIAOutcome
    public var summary: String
    public var assessedOn: String?
    public var nextReview: String?
    public var risks: [String]

    public init(
        processing: String, outcome: DPIAOutcome, summary: String = "", assessedOn: String? = nil, nextReview: String? = nil,
        risks: [String] = []
    ) {
        self.processing = processing; self.outcome = outcome; self.summary = summary; self.assessedOn = assessedOn
        self.nextReview = nextReview; self.risks = risks
    }
}

extension WorkspaceReader {
    /// Every DPIA by reference, each saying whether it is its activity's current one and, if
    /// so, whether its review is past on `today`.
    public func dpias(today: String) throws -> [DPIASummary] {
        let all = try DPIARows.fetch(db, id: nil)
        let current = PrivacyRules.currentDPIAs(all)
        return all.map { DPIASummary($0, current: current.contains($0.ref), today: today) }
    }

    /// One DPIA by `DPIA-2`, `dpia-2` or `2`.
    public func dpia(_ ref: String, today: String) throws -> DPIASummary {
        let found = try Lookup.dpia(db, ref)
        guard let summary = try dpias(today: today).first(where: { $0.ref == found.ref }) else {
            throw WorkspaceError.unknownReference(kind: "DPIA", name: ref, suggestions: [])
        }
        return summary
    }
}

extension WorkspaceWriter {
    /// Records an impact assessment of a processing activity; returns its reference (`DPIA-2`).
    /// It becomes the activity's current assessment unless one dated later exists.
    @discardableResult
    public func addDPIA(_ draft: DPIADraft) throws -> String {
        let activity = try Lookup.processing(db, draft.processing)
        let today = Timestamps.day(actor.now)
        let assessedOn = draft.assessedOn ?? today
        guard DueDate.parseDay(assessedOn) != nil else { throw WorkspaceError.invalid("--date: '\(assessedOn)' is not a date (YYYY-MM-DD)") }
        guard assessedOn <= today else { throw WorkspaceError.invalid("a DPIA of \(activity.ref) cannot be dated after today (\(today))") }
        if let next = draft.nextReview {
            guard DueDate.parseDay(next) != nil else { throw WorkspaceError.invalid("--next-review: '\(next)' is not a date (YYYY-MM-DD)") }
            guard next > assessedOn else {
                throw WorkspaceError.invalid("the next review (\(next)) must come after the assessment (\(assessedOn))")
            }
        }
        let summary = draft.summary.trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = StoredText.firstProblem(in: summary, multiline: true) {
            throw WorkspaceError.invalid("the DPIA's summary: \(problem.description)")
        }
        var seen = Set<Int64>()
        let risks = try draft.risks.map { try Lookup.risk(db, $0) }.filter { seen.insert($0.id).inserted }

        let number = try Int64.fetchOne(db, sql: "SELECT coalesce(max(number), 0) + 1 FROM dpia") ?? 1
        let ref = "DPIA-\(number)"
        try db.execute(
            sql: """
                INSERT INTO dpia (number, ref, processing_id, outcome, summary, assessed_on, next_review, assessed_by, added_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [number, ref, activity.id, draft.outcome.rawValue, summary, assessedOn, draft.nextReview, actor.name, log.at])
        let id = db.lastInsertedRowID
        try log.record(db, entity: "dpia", ref: ref, id: id, field: "created", before: nil, after: activity.ref)
        try log.record(db, entity: "dpia", ref: ref, id: id, field: "outcome", before: nil, after: draft.outcome.rawValue)
        try log.record(db, entity: "dpia", ref: ref, id: id, field: "assessed_on", before: nil, after: assessedOn)
        if !summary.isEmpty { try log.record(db, entity: "dpia", ref: ref, id: id, field: "summary", before: nil, after: summary) }
        if let next = draft.nextReview { try log.record(db, entity: "dpia", ref: ref, id: id, field: "next_review", before: nil, after: next) }
        for risk in risks {
            try db.execute(sql: "INSERT INTO dpia_risk (dpia_id, risk_id) VALUES (?, ?)", arguments: [id, risk.id])
            try log.record(db, entity: "dpia", ref: ref, id: id, field: "risk", before: nil, after: risk.ref)
        }
        return ref
    }
}

/// Reading DPIA rows into values.
enum DPIARows {
    /// All DPIAs (or one by id) with their activity and risks, by number.
    static func fetch(_ db: Database, id: Int64?) throws -> [DPIA] {
        var sql = """
            SELECT d.id, d.ref, p.ref, p.name, d.outcome, d.summary, d.assessed_on, d.next_review, d.assessed_by
            FROM dpia d JOIN processing_activity p ON p.id = d.processing_id
            """
        var arguments: StatementArguments = []
        if let id { sql += " WHERE d.id = ?"; arguments = [id] }
        sql += " ORDER BY d.number"
        var risks: [Int64: [String]] = [:]
        let riskSQL =
            "SELECT dr.dpia_id, r.ref FROM dpia_risk dr JOIN risk r ON r.id = dr.risk_id"
            + (id == nil ? "" : " WHERE dr.dpia_id = ?") + " ORDER BY r.number"
        for row in try Row.fetchAll(db, sql: riskSQL, arguments: arguments) {
            let dpiaID: Int64 = row[0]
            let ref: String = row[1]
            risks[dpiaID, default: []].append(ref)
        }
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let rowID: Int64 = row[0]
            let outcomeText: String = row[4]
            return DPIA(
                ref: row[1], processing: row[2], processingName: row[3],
                outcome: DPIAOutcome(rawValue: outcomeText) ?? .notAcceptable, summary: row[5], assessedOn: row[6],
                nextReview: row[7], assessedBy: row[8], risks: risks[rowID] ?? [])
        }
    }
}

extension Lookup {
    /// A DPIA by `DPIA-2` (any case) or its number alone.
    static func dpia(_ db: Database, _ ref: String) throws -> (id: Int64, ref: String) {
        let trimmed = ref.trimmingCharacters(in: .whitespaces)
        let key = Int(trimmed) != nil ? "DPIA-\(trimmed)" : trimmed
        if let row = try Row.fetchOne(db, sql: "SELECT id, ref FROM dpia WHERE ref = ?", arguments: [key]) { return (row[0], row[1]) }
        let all = try String.fetchAll(db, sql: "SELECT ref FROM dpia ORDER BY number")
        throw WorkspaceError.unknownReference(kind: "DPIA", name: ref, suggestions: Suggestions.closest(to: key.uppercased(), in: all))
    }
}
