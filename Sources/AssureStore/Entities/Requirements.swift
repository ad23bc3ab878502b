import AssureModel
import Foundation
import GRDB

/// A requirement with its scope and the controls mapped to it, for `assure requirements`,
/// `assure criteria` and the criteria pane.
public struct RequirementSummary: Equatable, Sendable {
    public var requirement: Requirement
    public var inScope: Bool
    /// The justification recorded when it (or the group it is under) was left out of scope.
    public var justification: String
    /// Its own children at the next level (a criterion's points of focus).
    public var details: [String]
    /// Controls mapped to it or to one of its details, by reference.
    public var controls: [String]
    public var implementedControls: Int
    /// Crosswalks to and from other frameworks' requirements: `framework:ref (relationship)`.
    public var crosswalk: [String] = []
    /// True at the framework's assessable level: readiness counts these.
    public var isAssessable: Bool { requirement.kind == .criterion }
}

/// The first release's name for a SOC 2 criterion's summary.
public typealias CriterionSummary = RequirementSummary
extension RequirementSummary {
    public var pointsOfFocus: [String] { details }
}

enum RequirementRows {
    static let columns = """
        r.id, r.framework_id, r.ref, r.parent_id, p.ref AS parent_ref, r.level, r.role, r.title, r.statement,
        r.summary, r.sort_order, r.attributes
        """

    static func attributes(_ text: String) -> [String: String] {
        if text == "{}" || text.isEmpty { return [:] }
        guard let data = text.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        var result: [String: String] = [:]
        for (key, value) in object {
            if let string = value as? String {
                result[key] = string
            } else if let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) {
                result[key] = String(decoding: data, as: UTF8.self)
            }
        }
        return result
    }

    /// The attributes column: one JSON object, keys in byte order. Written by hand because
    /// `JSONSerialization`'s `.sortedKeys` orders keys by the system locale's collation, which
    /// loads about 3 MB of ICU's tables into every catalog import. Readers parse the object
    /// (or `json_extract` it), so only the stored text's key order differs from what earlier
    /// releases wrote.
    static func json(_ attributes: [String: String]) -> String {
        guard !attributes.isEmpty else { return "{}" }
        let members = attributes.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { JSON.string($0.key) + ":" + JSON.string($0.value) }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// Rows of one framework (or all), in framework then document order, with each node's
    /// top-level group key filled in.
    static func fetch(_ db: Database, framework: String?) throws -> [(id: Int64, parentID: Int64?, requirement: Requirement)] {
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT \(columns) FROM requirement r JOIN framework f ON f.id = r.framework_id
                LEFT JOIN requirement p ON p.id = r.parent_id
                WHERE r.framework_id = coalesce(?, r.framework_id)
                ORDER BY f.sort_order, r.sort_order
                """, arguments: [framework])
        var categoryByID: [Int64: String] = [:]
        var result: [(id: Int64, parentID: Int64?, requirement: Requirement)] = []
        // By position, in the order of `columns`: a lookup by name lowercases the name each time.
        while let row = try cursor.next() {
            let id: Int64 = row[0]
            let parentID: Int64? = row[3]
            let attributes = Self.attributes(row[11])
            let ref: String = row[2]
            let category = parentID.flatMap { categoryByID[$0] } ?? attributes["key"] ?? ref.lowercased()
            categoryByID[id] = category
            let role: String = row[6]
            let requirement = Requirement(
                frameworkID: row[1], ref: ref, parentRef: row[4],
                kind: RequirementKind(rawValue: role) ?? .series, category: category, title: row[7],
                summary: row[9], order: row[10], level: row[5], statement: row[8],
                attributes: attributes)
            result.append((id, parentID, requirement))
        }
        return result
    }
}

extension WorkspaceReader {
    /// Every requirement node of one framework, or of every framework, in document order.
    public func requirements(framework: String? = nil) throws -> [Requirement] {
        let id = try framework.map { try Lookup.framework(db, $0) }
        return try RequirementRows.fetch(db, framework: id).map(\.requirement)
    }

    /// Requirements of one framework with scope, state and mapped controls.
    public func requirementSummaries(framework: String) throws -> [RequirementSummary] {
        let id = try Lookup.framework(db, framework)
        if let cached = cache.summaries[id] { return cached }
        let summaries = try readSummaries(framework: id)
        cache.summaries[id] = summaries
        return summaries
    }

    private func readSummaries(framework id: String) throws -> [RequirementSummary] {
        let rows = try RequirementRows.fetch(db, framework: id)
        let scope = try ScopeRule.inScope(db, framework: id, rows: rows.map { ($0.id, $0.parentID, ScopeRule.standingExclusion($0.requirement)) })
        let (direct, asciiRefs) =
            try cache.controlLines.map { MappedControls.from($0, framework: id, rows: rows) } ?? MappedControls.read(db, framework: id)
        var crosswalk: [Int64: [String]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT m.from_id AS here, t.framework_id || ':' || t.ref AS other, m.relationship FROM requirement_mapping m
                  JOIN requirement f ON f.id = m.from_id JOIN requirement t ON t.id = m.to_id WHERE f.framework_id = ?
                UNION ALL
                SELECT m.to_id, f.framework_id || ':' || f.ref, m.relationship FROM requirement_mapping m
                  JOIN requirement f ON f.id = m.from_id JOIN requirement t ON t.id = m.to_id WHERE t.framework_id = ?
                """, arguments: [id, id])
        {
            crosswalk[row["here"], default: []].append("\(row["other"] as String) (\(row["relationship"] as String))")
        }
        var children: [Int64: [Int64]] = [:]
        for row in rows { if let parent = row.parentID { children[parent, default: []].append(row.id) } }
        let refByID = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.requirement.ref) })
        // A control mapped to a detail below an assessable node (a point of focus, an OSCAL
        // enhancement) counts for that node; a group shows only its own mappings.
        // Appends, node first then each child's subtree; returns how many nodes' lists it joined.
        func below(_ id: Int64, _ out: inout [(String, String)]) -> Int {
            var lists = 0
            if let own = direct[id], !own.isEmpty { out += own; lists += 1 }
            for child in children[id] ?? [] { lists += below(child, &out) }
            return lists
        }
        return rows.map { row in
            // An assessable node counts what is mapped below it too; a group only its own.
            var candidates: [(String, String)] = []
            var lists = 1
            if row.requirement.kind == .criterion { lists = below(row.id, &candidates) } else { candidates = direct[row.id] ?? [] }
            // One node's list names each control once (the mapping's primary key), and distinct
            // ASCII references are distinct strings: nothing to drop, so no set to fill.
            var seen = Set<String>()
            let unique = asciiRefs && lists <= 1 ? candidates : candidates.filter { seen.insert($0.0).inserted }
            // One list comes in reference order already (almost always the order this sort
            // gives too): checking costs one comparison a control, sorting a dozen.
            let inOrder = zip(unique, unique.dropFirst()).allSatisfy { !($1.0 < $0.0) }
            let controls = inOrder ? unique : unique.sorted { $0.0 < $1.0 }
            return RequirementSummary(
                requirement: row.requirement, inScope: scope.inScope.contains(row.id),
                justification: scope.justification[row.id] ?? "",
                details: (children[row.id] ?? []).compactMap { refByID[$0] },
                controls: controls.map(\.0),
                implementedControls: controls.filter { $0.1 == ControlStatus.implemented.rawValue }.count,
                crosswalk: (crosswalk[row.id] ?? []).sorted())
        }
    }

    /// SOC 2's criteria with scope and coverage: `assure criteria` and the criteria pane.
    public func criteria() throws -> [RequirementSummary] {
        try requirementSummaries(framework: Framework.soc2ID).filter { $0.requirement.kind == .criterion }
    }

    /// The readiness rule's input for one framework: its assessable requirements.
    public func readinessInput(framework: String) throws -> [ReadinessCriterion] {
        try requirementSummaries(framework: framework).filter(\.isAssessable).map {
            ReadinessCriterion(
                ref: $0.requirement.ref, series: $0.requirement.parentRef ?? $0.requirement.ref,
                category: $0.requirement.category, inScope: $0.inScope, controls: $0.controls)
        }
    }

    /// Readiness of one framework (rule: `Readiness` in AssureModel). Other frameworks never
    /// change it.
    public func readiness(framework: String = Framework.soc2ID) throws -> Readiness {
        let id = try Lookup.framework(db, framework)
        return Readiness.compute(criteria: try readinessInput(framework: id), facts: try readinessFacts(), framework: id)
    }
}

/// Which requirements are in scope: the framework is pursued, and neither the node nor any
/// group above it has been left out, by the company or by the catalog itself (a GDPR article
/// that places no duty on a company, an OSCAL control that was withdrawn).
enum ScopeRule {
    /// Why the catalog itself leaves a requirement out, whatever the company decides.
    static func standingExclusion(_ requirement: Requirement) -> String? {
        if requirement.attributes["status"]?.lowercased() == "withdrawn" { return "Withdrawn by the publisher" }
        if requirement.attributes["company_duty"]?.lowercased() == "no" {
            let reason = requirement.attributes["company_duty_reason"] ?? ""
            return "Places no duty on the company" + (reason.isEmpty ? "" : ": " + reason)
        }
        return nil
    }

    static func inScope(_ db: Database, framework: String, rows: [(id: Int64, parentID: Int64?, standing: String?)])
        throws -> (inScope: Set<Int64>, justification: [Int64: String])
    {
        let pursued = try Bool.fetchOne(db, sql: "SELECT in_scope FROM framework WHERE id = ?", arguments: [framework]) ?? false
        var excluded: [Int64: String] = [:]
        for row in try Row.fetchAll(
            db, sql: "SELECT requirement_id, justification FROM framework_scope WHERE framework_id = ? AND applicable = 0",
            arguments: [framework])
        {
            excluded[row["requirement_id"]] = row["justification"]
        }
        var inScope = Set<Int64>()
        var justification: [Int64: String] = [:]
        // Rows come in document order, parents before children.
        var outByID: [Int64: String] = [:]
        for row in rows {
            if let reason = row.standing ?? excluded[row.id] {
                outByID[row.id] = reason
            } else if let parent = row.parentID, let reason = outByID[parent] {
                outByID[row.id] = reason
            }
            if let reason = outByID[row.id] { justification[row.id] = reason } else if pursued { inScope.insert(row.id) }
        }
        return (inScope, justification)
    }
}
