import AssureModel
import Foundation
import GRDB

/// A policy as `assure policies` lists it.
public struct PolicySummary: Equatable, Sendable {
    public var ref: String
    public var title: String
    public var owner: String?
    public var approver: String?
    public var cadence: ReviewCadence
    public var status: PolicyStatus
    /// The version live today and the day it was approved; nil before the first approval.
    public var liveVersion: Int?
    public var liveApprovedOn: String?
    /// The live version's approval day plus the cadence; nil before the first approval.
    public var nextReview: String?
    /// Acknowledgements of the live version among people active today; nil before the first approval.
    public var coverage: AckCoverage?
    /// "built-in" or "company".
    public var source: String
}

/// One approved version: frozen text with its hash.
public struct PolicyVersion: Equatable, Sendable {
    public var version: Int
    public var text: String
    public var sha256: String
    public var approvedBy: String
    public var approvedOn: String
    public var recordedBy: String
    public var recordedAt: String
    public var stamp: PolicyVersionStamp { PolicyVersionStamp(version: version, approvedOn: approvedOn) }
}

/// A policy with its draft parsed and every version, for `assure policy show`.
public struct PolicyDetail: Sendable {
    public var summary: PolicySummary
    public var draft: PolicyDefinition
    public var draftSHA256: String
    public var versions: [PolicyVersion]
}

/// One acknowledgement of one version.
public struct PolicyAck: Equatable, Sendable {
    public var person: String
    public var version: Int
    public var ackedOn: String
    public var recordedBy: String
    public var recordedAt: String
}

/// Who acknowledged the live version, and who among people active today has not.
public struct PolicyAckReport: Sendable {
    public var ref: String
    public var title: String
    public var live: PolicyVersion?
    /// Every acknowledgement of the live version, by day then name (leavers included).
    public var acks: [PolicyAck]
    /// Names of the people active today, to tell a leaver's acknowledgement apart.
    public var activeToday: Set<String>
    public var coverage: AckCoverage
}

public enum PolicyFormat: String, Sendable, CaseIterable { case md, html }

/// One policy row, read positionally (see `PolicyRows.select`).
struct PolicyRow {
    var id: Int64
    var ref: String
    var title: String
    var owner: String?
    var approver: String?
    var cadence: ReviewCadence
    var draft: String
    var source: String

    static let select = """
        SELECT p.id, p.ref, p.title, o.name, a.name, p.cadence, p.draft, p.source
        FROM policy p LEFT JOIN owner o ON o.id = p.owner_id LEFT JOIN owner a ON a.id = p.approver_id
        """

    init(_ row: Row) {
        id = row[0]; ref = row[1]; title = row[2]; owner = row[3]; approver = row[4]
        let cadenceText: String = row[5]
        cadence = ReviewCadence(text: cadenceText) ?? .annual
        draft = row[6]; source = row[7]
    }

    static func all(_ db: Database) throws -> [PolicyRow] {
        try Row.fetchAll(db, sql: select + " ORDER BY p.id").map(PolicyRow.init)
    }

    static func one(_ db: Database, _ name: String) throws -> PolicyRow {
        let id = try Lookup.policy(db, name).id
        return PolicyRow(try Row.fetchOne(db, sql: select + " WHERE p.id = ?", arguments: [id])!)
    }
}

enum PolicyRows {
    static func versions(_ db: Database, policy id: Int64) throws -> [PolicyVersion] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT version, text, sha256, approved_by, approved_on, recorded_by, recorded_at
                FROM policy_version WHERE policy_id = ? ORDER BY version
                """, arguments: [id]
        ).map { row in
            PolicyVersion(
                version: row[0], text: row[1], sha256: row[2], approvedBy: row[3], approvedOn: row[4],
                recordedBy: row[5], recordedAt: row[6])
        }
    }

    static func acks(_ db: Database, policy id: Int64, version: Int) throws -> [PolicyAck] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT person, version, acked_on, recorded_by, recorded_at FROM policy_ack
                WHERE policy_id = ? AND version = ? ORDER BY acked_on, person COLLATE NOCASE
                """, arguments: [id, version]
        ).map { row in
            PolicyAck(person: row[0], version: row[1], ackedOn: row[2], recordedBy: row[3], recordedAt: row[4])
        }
    }

    static func live(_ versions: [PolicyVersion], on day: String) -> PolicyVersion? {
        guard let stamp = PolicyRules.live(on: day, versions: versions.map(\.stamp)) else { return nil }
        return versions.first { $0.version == stamp.version }
    }

    static func sha256(_ text: String) -> String { ChainHash.hex(text) }
}

extension WorkspaceReader {
    /// Every policy in the order it was added, with where it stands on `today`.
    public func policies(today: String) throws -> [PolicySummary] {
        let active = try people(activeOn: today).map(\.name)
        return try PolicyRow.all(db).map { try summary($0, today: today, active: active) }
    }

    func summary(_ row: PolicyRow, today: String, active: [String]) throws -> PolicySummary {
        let versions = try PolicyRows.versions(db, policy: row.id)
        let live = PolicyRows.live(versions, on: today)
        let nextReview = live.flatMap { PolicyRules.nextReview(approvedOn: $0.approvedOn, cadence: row.cadence) }
        let coverage = try live.map { live in
            PolicyRules.coverage(people: active, acknowledged: try PolicyRows.acks(db, policy: row.id, version: live.version).map(\.person))
        }
        let status = PolicyRules.status(live: live?.stamp, draftMatchesLive: live?.text == row.draft, nextReview: nextReview, today: today)
        return PolicySummary(
            ref: row.ref, title: row.title, owner: row.owner, approver: row.approver, cadence: row.cadence,
            status: status, liveVersion: live?.version, liveApprovedOn: live?.approvedOn, nextReview: nextReview,
            coverage: coverage, source: row.source)
    }

    /// One policy by title (any case, a unique prefix will do) or ref.
    public func policy(_ name: String, today: String) throws -> PolicyDetail {
        let row = try PolicyRow.one(db, name)
        let draft = try PolicyParser.parse(row.draft, source: "draft of \(row.ref)")
        return PolicyDetail(
            summary: try summary(row, today: today, active: try people(activeOn: today).map(\.name)),
            draft: draft, draftSHA256: PolicyRows.sha256(row.draft), versions: try PolicyRows.versions(db, policy: row.id))
    }

    /// The policy's canonical ref and its draft text, for an editor.
    public func policyDraft(_ name: String) throws -> (ref: String, text: String) {
        let row = try PolicyRow.one(db, name)
        return (row.ref, row.draft)
    }

    /// The version live on `day`: the highest-numbered one approved on or before it. Nil
    /// before the first approval (`firstApproved` then says when that came, if ever).
    public func policyVersion(_ name: String, on day: String) throws -> (ref: String, title: String, live: PolicyVersion?, firstApproved: String?) {
        guard DueDate.parseDay(day) != nil else { throw WorkspaceError.invalid("'\(day)' is not a date (YYYY-MM-DD)") }
        let row = try PolicyRow.one(db, name)
        let versions = try PolicyRows.versions(db, policy: row.id)
        return (row.ref, row.title, PolicyRows.live(versions, on: day), versions.map(\.approvedOn).min())
    }

    /// Who acknowledged the version live today and who among people active today has not.
    public func policyAcks(_ name: String, today: String) throws -> PolicyAckReport {
        let row = try PolicyRow.one(db, name)
        let live = PolicyRows.live(try PolicyRows.versions(db, policy: row.id), on: today)
        let active = try people(activeOn: today).map(\.name)
        let acks = try live.map { try PolicyRows.acks(db, policy: row.id, version: $0.version) } ?? []
        return PolicyAckReport(
            ref: row.ref, title: row.title, live: live, acks: acks, activeToday: Set(active.map { $0.lowercased() }),
            coverage: PolicyRules.coverage(people: active, acknowledged: acks.map(\.person)))
    }

    /// The draft (or version `version`) rendered with the workspace's company and system names;
    /// a draft unchanged since its latest approval renders as that version. Nothing in it
    /// depends on the clock, so the same workspace renders the same bytes.
    public func renderPolicy(_ name: String, format: PolicyFormat, version: Int? = nil) throws -> String {
        let row = try PolicyRow.one(db, name)
        let scope = try Row.fetchOne(db, sql: "SELECT company, system FROM workspace WHERE id = 1")
        let company: String = scope?[0] ?? ""
        let systemText: String = scope?[1] ?? ""
        let system = systemText.isEmpty ? "the \(company) service" : systemText
        let unassigned = "not yet assigned"
        var values = PolicyValues(
            company: company, system: system, ref: row.ref, title: row.title, owner: row.owner ?? unassigned,
            approver: row.approver ?? unassigned, version: "draft", approved: false, approvedOn: "",
            reviewCadence: row.cadence.rawValue)
        var text = row.draft
        var source = "draft of \(row.ref)"
        let versions = try PolicyRows.versions(db, policy: row.id)
        // A draft no one has changed since its approval is that version, and says so.
        let chosen = version ?? versions.last.flatMap { $0.text == row.draft ? $0.version : nil }
        if let version = chosen {
            guard let frozen = versions.first(where: { $0.version == version }) else {
                throw WorkspaceError.invalid(
                    "\(row.ref) has no version \(version)"
                        + (versions.isEmpty ? "; it has never been approved" : "; its versions are 1 to \(versions.count)"))
            }
            text = frozen.text
            source = "\(row.ref) version \(version)"
            values.version = String(version)
            values.approved = true
            values.approvedOn = frozen.approvedOn
            values.approver = frozen.approvedBy
        }
        let definition = try PolicyParser.parse(text, source: source)
        // A version renders with the title and cadence it was approved with.
        values.title = definition.title
        if chosen != nil { values.reviewCadence = definition.cadence.rawValue }
        switch format {
        case .md: return try PolicyTemplate.markdown(definition.body, values: values, source: source)
        case .html: return try PolicyTemplate.html(definition.body, values: values, source: source)
        }
    }

    /// Gaps `derive` may open: a policy never approved, and one past its review date. Keys name
    /// the policy (and the due date), so each is proposed once and again at the next miss.
    public func policyProposals(today: String, existingKeys: Set<String>) throws -> [DerivedGap] {
        var proposals: [DerivedGap] = []
        for policy in try policies(today: today) {
            if policy.liveVersion == nil && policy.status == .draft {
                let key = "policy-unapproved:\(policy.ref)"
                proposals.append(
                    DerivedGap(
                        key: key,
                        draft: GapDraft(
                            title: "\(policy.ref) \(policy.title) has never been approved",
                            description:
                                "Adapt the draft to how the company works (`assure policy edit \(policy.ref)`), have its approver sign it off (`assure policy approve \(policy.ref)`) and ask staff to acknowledge it.",
                            severity: .medium, effort: .s, owner: policy.owner)))
            } else if let due = policy.nextReview, PolicyRules.isOverdue(nextReview: due, today: today) {
                let key = "policy-review:\(policy.ref):\(due)"
                proposals.append(
                    DerivedGap(
                        key: key,
                        draft: GapDraft(
                            title: "\(policy.ref) \(policy.title) review was due \(due)",
                            description:
                                "Version \(policy.liveVersion ?? 0) was approved \(policy.liveApprovedOn ?? "") with a \(policy.cadence.rawValue) review. Review it, edit it where practice has changed, and approve it again.",
                            severity: .medium, effort: .xs, owner: policy.owner)))
            }
        }
        return proposals.filter { !existingKeys.contains($0.key) }
    }
}

extension Lookup {
    /// A policy by ref (any case), by title (any case), or by a unique title prefix; an
    /// ambiguous prefix is refused naming the candidates, an unknown name with the closest.
    static func policy(_ db: Database, _ name: String) throws -> (id: Int64, ref: String, title: String) {
        let key = name.trimmingCharacters(in: .whitespaces)
        if let row = try Row.fetchOne(db, sql: "SELECT id, ref, title FROM policy WHERE ref = ? OR title = ?", arguments: [key, key]) {
            return (row[0], row[1], row[2])
        }
        let all = try Row.fetchAll(db, sql: "SELECT id, ref, title FROM policy ORDER BY id")
        let lowered = key.lowercased()
        let prefixed = lowered.isEmpty ? [] : all.filter { ($0[2] as String).lowercased().hasPrefix(lowered) }
        if prefixed.count == 1 { return (prefixed[0][0], prefixed[0][1], prefixed[0][2]) }
        if prefixed.count > 1 {
            throw WorkspaceError.ambiguousReference(kind: "policy", name: name, matches: prefixed.map { "\($0[1] as String) (\($0[2] as String))" })
        }
        // Titles holding the word typed ("security"), then near spellings; failing both, the
        // whole (short) list, so the refusal always says what can be named.
        let containing = all.filter { !lowered.isEmpty && ($0[2] as String).lowercased().contains(lowered) }.map {
            "\($0[1] as String) (\($0[2] as String))"
        }
        let close = Suggestions.closest(to: key, in: all.map { $0[2] as String } + all.map { $0[1] as String })
        var suggestions = containing + close.filter { c in !containing.contains { $0.contains(c) } }
        if suggestions.isEmpty { suggestions = all.map { "\($0[1] as String) (\($0[2] as String))" } }
        throw WorkspaceError.unknownReference(kind: "policy", name: name, suggestions: Array(suggestions.prefix(8)))
    }
}
