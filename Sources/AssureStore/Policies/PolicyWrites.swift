import AssureModel
import Foundation
import GRDB

/// What an acknowledgement recorded.
public struct PolicyAckRecorded: Equatable, Sendable {
    public var ref: String
    public var person: String
    public var version: Int
    public var ackedOn: String
}

extension WorkspaceWriter {
    /// Adds a company's own policy from its file text (same format as the built-in ones); its
    /// ref and title must be new. Returns the ref.
    @discardableResult
    public func addPolicy(text: String, source: String, owner: String? = nil, approver: String? = nil) throws -> String {
        try insertPolicy(text: text, source: source, origin: "company", owner: owner, approver: approver)
    }

    func insertPolicy(
        text raw: String, source: String, origin: String, owner: String?, approver: String?,
        parsed: PolicyDefinition? = nil, mappings given: PolicyMappings? = nil
    ) throws -> String {
        let text = PolicyParser.normalized(raw)
        var mappings = given ?? PolicyMappings(db: db)
        let definition = try mappings.resolve(try parsed ?? PolicyParser.parse(text, source: source), source: source)
        if let clash = try Row.fetchOne(
            db, sql: "SELECT ref, title FROM policy WHERE ref = ? OR title = ?", arguments: [definition.ref, definition.title])
        {
            let clashRef: String = clash[0]
            let what = clashRef.caseInsensitiveCompare(definition.ref) == .orderedSame ? "ref \(definition.ref)" : "title '\(definition.title)'"
            throw WorkspaceError.invalid(
                "\(source): the workspace already has a policy with the \(what) (\(clashRef) \(clash[1] as String)); change the draft of that one with `assure policy edit \(clashRef)`, or give this one its own ref and title"
            )
        }
        let ownerID = try owner.map { try Lookup.activeOwner(db, $0).id }
        let approverID = try approver.map { try Lookup.activeOwner(db, $0).id }
        try db.execute(
            sql: """
                INSERT INTO policy (ref, title, owner_id, approver_id, cadence, draft, source, created_at, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                definition.ref, definition.title, ownerID, approverID, definition.cadence.rawValue, text, origin,
                log.at, actor.name,
            ])
        let id = db.lastInsertedRowID
        try log.record(db, entity: "policy", ref: definition.ref, id: id, field: "created", before: nil, after: definition.title)
        try log.record(db, entity: "policy", ref: definition.ref, id: id, field: "cadence", before: nil, after: definition.cadence.rawValue)
        try log.record(db, entity: "policy", ref: definition.ref, id: id, field: "draft", before: nil, after: Self.draftStamp(text))
        try log.recordOwner(db, entity: "policy", ref: definition.ref, id: id, field: "owner", before: nil, after: ownerID)
        try log.recordOwner(db, entity: "policy", ref: definition.ref, id: id, field: "approver", before: nil, after: approverID)
        return definition.ref
    }

    /// The change log's record of a draft: its hash, which an approved version's hash matches.
    static func draftStamp(_ text: String) -> String { "sha256:" + PolicyRows.sha256(text) }

    /// Sets a policy's owner, approver (current owners) or review cadence. A new cadence is
    /// also written into the draft's front matter, so the text and the list never disagree.
    public func setPolicy(_ name: String, owner: String? = nil, approver: String? = nil, cadence: ReviewCadence? = nil) throws {
        let row = try PolicyRow.one(db, name)
        let current = try Row.fetchOne(db, sql: "SELECT owner_id, approver_id FROM policy WHERE id = ?", arguments: [row.id])!
        if let owner {
            let id = try Lookup.activeOwner(db, owner).id
            try db.execute(sql: "UPDATE policy SET owner_id = ? WHERE id = ?", arguments: [id, row.id])
            try log.recordOwner(db, entity: "policy", ref: row.ref, id: row.id, field: "owner", before: current[0], after: id)
        }
        if let approver {
            let id = try Lookup.activeOwner(db, approver).id
            try db.execute(sql: "UPDATE policy SET approver_id = ? WHERE id = ?", arguments: [id, row.id])
            try log.recordOwner(db, entity: "policy", ref: row.ref, id: row.id, field: "approver", before: current[1], after: id)
        }
        if let cadence, cadence != row.cadence {
            guard PolicyParser.cadences.contains(cadence) else { throw WorkspaceError.invalid("a policy's cadence is annual or semi-annual") }
            let text = try PolicyFrontMatter.settingCadence(row.draft, to: cadence, source: "draft of \(row.ref)")
            _ = try PolicyParser.parse(text, source: "draft of \(row.ref)")
            try db.execute(sql: "UPDATE policy SET cadence = ?, draft = ? WHERE id = ?", arguments: [cadence.rawValue, text, row.id])
            try log.record(db, entity: "policy", ref: row.ref, id: row.id, field: "cadence", before: row.cadence.rawValue, after: cadence.rawValue)
            try log.record(
                db, entity: "policy", ref: row.ref, id: row.id, field: "draft", before: Self.draftStamp(row.draft), after: Self.draftStamp(text))
        }
    }

    /// Replaces a policy's draft with `text`, checked first (front matter, headings,
    /// placeholders, every requirement). Returns false, writing nothing, when the text is the
    /// draft already. The ref never changes; a new title or cadence in the front matter is taken.
    @discardableResult
    public func replacePolicyDraft(_ name: String, text raw: String, source: String) throws -> Bool {
        let row = try PolicyRow.one(db, name)
        let text = PolicyParser.normalized(raw)
        if text == row.draft { return false }
        var mappings = PolicyMappings(db: db)
        let definition = try mappings.resolve(try PolicyParser.parse(text, source: source), source: source)
        guard definition.ref.caseInsensitiveCompare(row.ref) == .orderedSame else {
            throw WorkspaceError.badFile(
                path: source, line: PolicyFrontMatter.line(of: "ref", in: text) ?? 1, column: 1,
                message:
                    "the ref of a policy never changes: this is \(row.ref), not \(definition.ref); add a new policy with `assure policy add --from FILE`"
            )
        }
        if definition.title != row.title {
            if let clash = try String.fetchOne(db, sql: "SELECT ref FROM policy WHERE title = ? AND id <> ?", arguments: [definition.title, row.id]) {
                throw WorkspaceError.badFile(
                    path: source, line: PolicyFrontMatter.line(of: "title", in: text) ?? 1, column: 1,
                    message: "\(clash) already has the title '\(definition.title)'")
            }
            try db.execute(sql: "UPDATE policy SET title = ? WHERE id = ?", arguments: [definition.title, row.id])
            try log.record(db, entity: "policy", ref: row.ref, id: row.id, field: "title", before: row.title, after: definition.title)
        }
        if definition.cadence != row.cadence {
            try db.execute(sql: "UPDATE policy SET cadence = ? WHERE id = ?", arguments: [definition.cadence.rawValue, row.id])
            try log.record(
                db, entity: "policy", ref: row.ref, id: row.id, field: "cadence", before: row.cadence.rawValue, after: definition.cadence.rawValue)
        }
        try db.execute(sql: "UPDATE policy SET draft = ? WHERE id = ?", arguments: [text, row.id])
        try log.record(
            db, entity: "policy", ref: row.ref, id: row.id, field: "draft", before: Self.draftStamp(row.draft), after: Self.draftStamp(text))
        return true
    }

    /// Freezes the draft as the next version, approved by the policy's approver on `day`
    /// (default: today), recorded by the actor. Refused without an approver, when the draft is
    /// the latest version already, and on a day in the future or before the latest version's.
    @discardableResult
    public func approvePolicy(_ name: String, on day: String? = nil) throws -> PolicyVersion {
        let row = try PolicyRow.one(db, name)
        guard let approver = row.approver else {
            throw WorkspaceError.invalid("\(row.ref) has no approver; name one first: assure policy set \(row.ref) --approver NAME")
        }
        if try Lookup.owner(db, approver).retired {
            throw WorkspaceError.invalid(
                "\(row.ref)'s approver \(approver) has retired; name a current one: assure policy set \(row.ref) --approver NAME")
        }
        let today = Timestamps.day(actor.now)
        let approvedOn = day ?? today
        let versions = try PolicyRows.versions(db, policy: row.id)
        if let latest = versions.last, latest.text == row.draft {
            throw WorkspaceError.invalid(
                "the draft of \(row.ref) is version \(latest.version) already (approved \(latest.approvedOn) by \(latest.approvedBy)); edit it first: assure policy edit \(row.ref)"
            )
        }
        if let problem = PolicyRules.approvalProblem(day: approvedOn, previous: versions.last?.stamp, today: today) {
            throw WorkspaceError.invalid("\(row.ref): \(problem)")
        }
        // The draft was checked when stored; a framework removed since must not freeze a broken mapping.
        var mappings = PolicyMappings(db: db)
        _ = try mappings.resolve(try PolicyParser.parse(row.draft, source: "draft of \(row.ref)"), source: "draft of \(row.ref)")
        let version = PolicyVersion(
            version: (versions.last?.version ?? 0) + 1, text: row.draft, sha256: PolicyRows.sha256(row.draft),
            approvedBy: approver, approvedOn: approvedOn, recordedBy: actor.name, recordedAt: log.at)
        try db.execute(
            sql: """
                INSERT INTO policy_version (policy_id, version, text, sha256, approved_by, approved_on, recorded_by, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                row.id, version.version, version.text, version.sha256, version.approvedBy, version.approvedOn,
                version.recordedBy, version.recordedAt,
            ])
        try log.record(
            db, entity: "policy", ref: row.ref, id: row.id, field: "version",
            before: versions.last.map { String($0.version) }, after: String(version.version))
        try log.record(
            db, entity: "policy", ref: row.ref, id: row.id, field: "approved",
            before: nil, after: "version \(version.version) approved \(approvedOn) by \(approver), sha256:\(version.sha256)")
        return version
    }

    /// Records that `person` acknowledged version `version`, or the version live on `day`
    /// (default: today). The person must be known and employed on that day; each person
    /// acknowledges a version once.
    @discardableResult
    public func acknowledgePolicy(_ name: String, person: String, on day: String? = nil, version: Int? = nil) throws -> PolicyAckRecorded {
        let row = try PolicyRow.one(db, name)
        let today = Timestamps.day(actor.now)
        let ackedOn = day ?? today
        guard DueDate.parseDay(ackedOn) != nil else { throw WorkspaceError.invalid("'\(ackedOn)' is not a date (YYYY-MM-DD)") }
        if ackedOn > today { throw WorkspaceError.invalid("\(ackedOn) is in the future; record an acknowledgement once it is given") }
        let who = try Lookup.person(db, person)
        guard let known = try reader.people().first(where: { $0.name.caseInsensitiveCompare(who) == .orderedSame }) else {
            throw WorkspaceError.invalid("\(who) is not among the people who owe acknowledgements (a retired owner is not)")
        }
        if !known.isActive(on: ackedOn) {
            let when = known.startedOn.map { $0 > ackedOn ? "started \($0)" : "" } ?? ""
            let left = known.endedOn.map { $0 < ackedOn ? "left \($0)" : "" } ?? ""
            throw WorkspaceError.invalid("\(who) was not working here on \(ackedOn) (\([when, left].filter { !$0.isEmpty }.joined(separator: ", ")))")
        }
        let versions = try PolicyRows.versions(db, policy: row.id)
        guard !versions.isEmpty else {
            throw WorkspaceError.invalid("\(row.ref) has never been approved; there is no version to acknowledge yet")
        }
        let chosen: PolicyVersion
        if let version {
            guard let found = versions.first(where: { $0.version == version }) else {
                throw WorkspaceError.invalid("\(row.ref) has no version \(version); its versions are 1 to \(versions.count)")
            }
            if ackedOn < found.approvedOn {
                throw WorkspaceError.invalid(
                    "\(row.ref) version \(version) was approved on \(found.approvedOn), after \(ackedOn); it cannot have been acknowledged before")
            }
            chosen = found
        } else {
            guard let live = PolicyRows.live(versions, on: ackedOn) else {
                throw WorkspaceError.invalid("no version of \(row.ref) was live on \(ackedOn); version 1 was approved on \(versions[0].approvedOn)")
            }
            chosen = live
        }
        if let earlier = try String.fetchOne(
            db, sql: "SELECT acked_on FROM policy_ack WHERE policy_id = ? AND version = ? AND person = ?",
            arguments: [row.id, chosen.version, who])
        {
            throw WorkspaceError.invalid(
                "\(who) already acknowledged \(row.ref) version \(chosen.version) (on \(earlier)); an acknowledgement is recorded once")
        }
        try db.execute(
            sql: """
                INSERT INTO policy_ack (policy_id, version, person, acked_on, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [row.id, chosen.version, who, ackedOn, actor.name, log.at])
        try log.record(
            db, entity: "policy", ref: row.ref, id: row.id, field: "ack", before: nil,
            after: "\(who) acknowledged version \(chosen.version) on \(ackedOn)")
        return PolicyAckRecorded(ref: row.ref, person: who, version: chosen.version, ackedOn: ackedOn)
    }
}

/// Small edits and look-ups on a policy file's front matter by line, which keep the rest of
/// the file (comments, order, spacing) exactly as the author wrote it.
enum PolicyFrontMatter {
    /// The file line (1-based) of a top-level front-matter field, if written.
    static func line(of field: String, in text: String) -> Int? {
        let lines = text.components(separatedBy: "\n")
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else { return nil }
        for index in lines.indices.dropFirst() {
            if lines[index].trimmingCharacters(in: .whitespaces) == "---" { return nil }
            if lines[index].hasPrefix(field + ":") { return index + 1 }
        }
        return nil
    }

    /// The text with its `cadence:` value replaced (a comment after it is kept).
    static func settingCadence(_ text: String, to cadence: ReviewCadence, source: String) throws -> String {
        guard let number = line(of: "cadence", in: text) else {
            throw WorkspaceError.badFile(path: source, line: 1, column: 1, message: "the front matter has no 'cadence:' line to change")
        }
        var lines = text.components(separatedBy: "\n")
        let old = lines[number - 1]
        let value = old.dropFirst("cadence:".count)
        let comment = value.range(of: " #").map { String(value[$0.lowerBound...]) } ?? ""
        lines[number - 1] = "cadence: \(cadence.rawValue)\(comment)"
        return lines.joined(separator: "\n")
    }
}
