import AssureModel
import GRDB

public struct ControlFilter: Sendable {
    public var owner: String?
    public var status: ControlStatus?
    public var criterion: String?
    public var unowned = false
    public init(owner: String? = nil, status: ControlStatus? = nil, criterion: String? = nil, unowned: Bool = false) {
        self.owner = owner; self.status = status; self.criterion = criterion; self.unowned = unowned
    }
}

public struct GapFilter: Sendable {
    public var owner: String?
    public var status: GapStatus?
    public var severity: Severity?
    public init(owner: String? = nil, status: GapStatus? = nil, severity: Severity? = nil) {
        self.owner = owner; self.status = status; self.severity = severity
    }
}

/// An owner with the size of their load.
public struct OwnerSummary: Equatable, Sendable {
    public var owner: Owner
    public var controls: Int
    public var backupFor: Int
    public var openGaps: Int
    public var overdueGaps: Int
}

/// A criterion with its scope and coverage, for `assure criteria` and the Criteria pane.
public struct CriterionSummary: Equatable, Sendable {
    public var requirement: Requirement
    public var inScope: Bool
    public var pointsOfFocus: [String]
    public var controls: [String]
    public var implementedControls: Int
}

extension Workspace {
    public func scope() throws -> Scope {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT company, system, report_type FROM workspace WHERE id = 1") else {
                throw WorkspaceError.invalid("\(path): the workspace has no company record")
            }
            let categories = try String.fetchAll(db, sql: "SELECT category FROM scope WHERE in_scope = 1")
            return Scope(company: row["company"], system: row["system"],
                         reportType: ReportType(rawValue: row["report_type"]) ?? .type2,
                         categories: Set(categories.compactMap(TSCCategory.init(rawValue:))))
        }
    }

    /// Every requirement node of every framework, in framework then document order.
    public func requirements() throws -> [Requirement] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.* FROM requirement r JOIN framework f ON f.id = r.framework_id
                ORDER BY f.sort_order, r.sort_order
                """).map(Self.requirement)
        }
    }

    public func frameworks() throws -> [Framework] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM framework ORDER BY sort_order").map {
                Framework(id: $0["id"], title: $0["title"], version: $0["version"])
            }
        }
    }

    static func requirement(_ row: Row) -> Requirement {
        Requirement(
            frameworkID: row["framework_id"], ref: row["ref"], parentRef: row["parent_ref"],
            kind: RequirementKind(rawValue: row["kind"]) ?? .criterion, category: row["category"],
            title: row["title"], summary: row["summary"], order: row["sort_order"])
    }

    /// Criteria (not categories, series or points of focus) with scope and coverage.
    public func criteria() throws -> [CriterionSummary] {
        let scope = try scope()
        return try read { db in
            let points = try Row.fetchAll(db, sql: "SELECT parent_ref, ref FROM requirement WHERE kind = 'point' ORDER BY sort_order")
            var pointsByParent: [String: [String]] = [:]
            for row in points { pointsByParent[row["parent_ref"], default: []].append(row["ref"]) }
            let mappings = try Row.fetchAll(db, sql: """
                SELECT cr.requirement_id, c.ref, c.status FROM control_requirement cr
                JOIN control c ON c.id = cr.control_id ORDER BY c.ref
                """)
            var controlsByRequirement: [Int64: [(String, String)]] = [:]
            for row in mappings { controlsByRequirement[row["requirement_id"], default: []].append((row["ref"], row["status"])) }
            return try Row.fetchAll(db, sql: """
                SELECT r.* FROM requirement r JOIN framework f ON f.id = r.framework_id
                WHERE r.kind = 'criterion' ORDER BY f.sort_order, r.sort_order
                """).map { row in
                let requirement = Self.requirement(row)
                let mapped = controlsByRequirement[row["id"]] ?? []
                return CriterionSummary(
                    requirement: requirement, inScope: scope.includes(category: requirement.category),
                    pointsOfFocus: pointsByParent[requirement.ref] ?? [], controls: mapped.map(\.0),
                    implementedControls: mapped.filter { $0.1 == ControlStatus.implemented.rawValue }.count)
            }
        }
    }

    public func controls(_ filter: ControlFilter = ControlFilter()) throws -> [Control] {
        try read { db in
            var clauses: [String] = []
            var arguments: [DatabaseValueConvertible?] = []
            if let owner = filter.owner {
                let id = try Lookup.owner(db, owner).id
                clauses.append("(c.owner_id = ? OR c.backup_owner_id = ?)"); arguments += [id, id]
            }
            if let status = filter.status { clauses.append("c.status = ?"); arguments.append(status.rawValue) }
            if filter.unowned { clauses.append("c.owner_id IS NULL") }
            if let criterion = filter.criterion {
                let requirement = try Lookup.requirement(db, criterion)
                // A series or category selects every criterion below it.
                clauses.append("""
                    c.id IN (SELECT cr.control_id FROM control_requirement cr JOIN requirement r ON r.id = cr.requirement_id
                             WHERE r.id = ? OR r.parent_ref = ? OR r.parent_ref IN (SELECT ref FROM requirement WHERE parent_ref = ?))
                    """)
                arguments += [requirement.id, requirement.ref, requirement.ref]
            }
            let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            let sql = """
                SELECT c.*, o.name AS owner_name, b.name AS backup_name,
                       (SELECT group_concat(ref, ',') FROM (SELECT r.ref FROM control_requirement cr
                          JOIN requirement r ON r.id = cr.requirement_id WHERE cr.control_id = c.id ORDER BY r.sort_order)) AS criteria
                FROM control c LEFT JOIN owner o ON o.id = c.owner_id LEFT JOIN owner b ON b.id = c.backup_owner_id
                \(whereSQL) ORDER BY c.ref
                """
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(Self.control)
        }
    }

    static func control(_ row: Row) -> Control {
        Control(
            ref: row["ref"], title: row["title"], description: row["description"],
            status: ControlStatus(rawValue: row["status"]) ?? .notStarted, justification: row["justification"],
            frequency: Frequency(rawValue: row["frequency"]) ?? .annual, owner: row["owner_name"],
            backupOwner: row["backup_name"], evidenceHint: row["evidence_hint"],
            tags: (row["tags"] as String).split(separator: ",").map(String.init),
            criteria: (row["criteria"] as String?)?.split(separator: ",").map(String.init) ?? [])
    }

    public func gaps(_ filter: GapFilter = GapFilter()) throws -> [Gap] {
        try read { db in
            var clauses: [String] = []
            var arguments: [DatabaseValueConvertible?] = []
            if let owner = filter.owner { clauses.append("g.owner_id = ?"); arguments.append(try Lookup.owner(db, owner).id) }
            if let status = filter.status { clauses.append("g.status = ?"); arguments.append(status.rawValue) }
            if let severity = filter.severity { clauses.append("g.severity = ?"); arguments.append(severity.rawValue) }
            let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            let sql = """
                SELECT g.*, o.name AS owner_name, c.ref AS control_ref, r.ref AS requirement_ref
                FROM gap g LEFT JOIN owner o ON o.id = g.owner_id LEFT JOIN control c ON c.id = g.control_id
                LEFT JOIN requirement r ON r.id = g.requirement_id
                \(whereSQL) ORDER BY g.number
                """
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(Self.gap)
        }
    }

    static func gap(_ row: Row) -> Gap {
        Gap(
            ref: row["ref"], title: row["title"], description: row["description"],
            severity: Severity(rawValue: row["severity"]) ?? .medium, effort: Effort(rawValue: row["effort"]) ?? .m,
            control: row["control_ref"], criterion: row["requirement_ref"], owner: row["owner_name"], due: row["due"],
            status: GapStatus(rawValue: row["status"]) ?? .open, justification: row["justification"],
            remediationNote: row["remediation_note"], remediatedBy: row["remediated_by"],
            remediatedAt: row["remediated_at"], createdAt: row["created_at"])
    }

    public func owners() throws -> [OwnerSummary] {
        let today = Timestamps.day(clock())
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.*,
                  (SELECT count(*) FROM control WHERE owner_id = o.id) AS controls,
                  (SELECT count(*) FROM control WHERE backup_owner_id = o.id) AS backups,
                  (SELECT count(*) FROM gap WHERE owner_id = o.id AND status IN ('open', 'in-progress')) AS open_gaps,
                  (SELECT count(*) FROM gap WHERE owner_id = o.id AND status IN ('open', 'in-progress') AND due < ?) AS overdue
                FROM owner o ORDER BY o.name
                """, arguments: [today]).map { row in
                OwnerSummary(
                    owner: Owner(name: row["name"], handle: row["handle"], role: row["role"],
                                 kind: OwnerKind(rawValue: row["kind"]) ?? .person),
                    controls: row["controls"], backupFor: row["backups"], openGaps: row["open_gaps"], overdueGaps: row["overdue"])
            }
        }
    }
}
