import AssureModel
import Foundation
import GRDB
import Yams

/// A framework and its requirement tree, as read from a catalog YAML file (format in README).
public struct Catalog: Equatable, Sendable {
    public var framework: Framework
    /// Every node in document order: categories, series, criteria, points of focus.
    public var requirements: [Requirement]
    /// Crosswalks to other frameworks' requirements (format 2's `maps_to`).
    public var crosswalks: [Crosswalk] = []

    public var criteria: [Requirement] { requirements.filter { $0.kind == .criterion } }
}

/// One requirement-to-requirement link: this catalog's `from` relates to `to` in another framework.
public struct Crosswalk: Equatable, Sendable {
    public var from: String
    /// `framework:ref`.
    public var to: String
    public var relationship: Relationship
    public var line: Int
}

enum CatalogParser {
    /// Parses and checks a catalog: format 1 (SOC 2's shape: categories, series, criteria and
    /// points of focus) or format 2 (any tree: nested `requirements` with their own levels).
    /// Any problem is reported as `path:line:column: message`.
    static func parse(_ text: String, path: String) throws -> Catalog {
        let root = try YAMLNode.parse(text, path: path)
        let version = try root.required("catalog")
        switch try version.int() {
        case 1: return try parseV1(root)
        case 2: return try parseV2(root)
        default: throw version.error("unsupported catalog format version; this assure reads versions 1 and 2")
        }
    }

    static func framework(_ root: YAMLNode, defaultLevel: String) throws -> Framework {
        let frameworkNode = try root.required("framework")
        try frameworkNode.checkKeys(["id", "title", "version", "publisher", "source", "notice", "assessable_level"])
        let idNode = try frameworkNode.required("id")
        let id = Framework.canonicalID(try idNode.nonEmptyString("framework id"))
        guard id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw idNode.error("framework id may hold only letters, digits, '-', '_' and '.'")
        }
        return Framework(
            id: id, title: try frameworkNode.required("title").nonEmptyString("framework title"),
            version: try frameworkNode.optional("version")?.string() ?? "",
            publisher: try frameworkNode.optional("publisher")?.string() ?? "",
            source: try frameworkNode.optional("source")?.string() ?? "",
            notice: try frameworkNode.optional("notice")?.string() ?? "",
            assessableLevel: try frameworkNode.optional("assessable_level")?.nonEmptyString("assessable_level") ?? defaultLevel)
    }

    /// Collects requirements in document order, refusing a reference used twice.
    struct Collector {
        var requirements: [Requirement] = []
        var seen: [String: Int] = [:]
        mutating func add(_ node: YAMLNode, _ requirement: Requirement) throws {
            if let line = seen[requirement.ref.uppercased()] {
                throw node.error("duplicate reference '\(requirement.ref)' (first defined on line \(line))")
            }
            seen[requirement.ref.uppercased()] = node.line
            var requirement = requirement
            requirement.order = requirements.count
            requirements.append(requirement)
        }
    }

    static func parseV1(_ root: YAMLNode) throws -> Catalog {
        try root.checkKeys(["catalog", "framework", "categories"])
        let framework = try framework(root, defaultLevel: "criterion")
        let id = framework.id
        var collector = Collector()

        func addCriteria(_ list: YAMLNode, parent: String, category: String) throws {
            for criterionNode in try list.sequence() {
                try criterionNode.checkKeys(["ref", "title", "summary", "points_of_focus"])
                let ref = try criterionNode.required("ref").nonEmptyString("ref")
                // A SOC 2 criterion's title is its published statement ("COSO Principle 1: The
                // entity demonstrates ..."): the statement is the text an auditor tests against.
                let title = try criterionNode.required("title").nonEmptyString("title")
                try collector.add(
                    criterionNode,
                    Requirement(
                        frameworkID: id, ref: ref, parentRef: parent, kind: .criterion, category: category,
                        title: title, summary: try criterionNode.optional("summary")?.string() ?? "", order: 0, statement: title))
                // Points of focus are numbered by position: CC1.1.1, CC1.1.2, ...
                for (index, pointNode) in (try criterionNode.optional("points_of_focus")?.sequence() ?? []).enumerated() {
                    let title: String
                    let summary: String
                    var attributes: [String: String] = [:]
                    if pointNode.node.mapping != nil {
                        // `heading`: the sub-heading a point sits under in the publication
                        // (CC3.1 groups its points by the kind of objective).
                        try pointNode.checkKeys(["title", "summary", "heading"])
                        title = try pointNode.required("title").nonEmptyString("title")
                        summary = try pointNode.optional("summary")?.string() ?? ""
                        if let heading = try pointNode.optional("heading") { attributes["heading"] = try heading.nonEmptyString("heading") }
                    } else {
                        title = try pointNode.nonEmptyString("point of focus")
                        summary = ""
                    }
                    try collector.add(
                        pointNode,
                        Requirement(
                            frameworkID: id, ref: "\(ref).\(index + 1)", parentRef: ref, kind: .point,
                            category: category, title: title, summary: summary, order: 0, attributes: attributes))
                }
            }
        }
        for categoryNode in try root.required("categories").sequence() {
            try categoryNode.checkKeys(["ref", "key", "title", "summary", "series", "criteria"])
            let ref = try categoryNode.required("ref").nonEmptyString("ref")
            let key = try categoryNode.optional("key")?.nonEmptyString("key") ?? ref.lowercased()
            try collector.add(
                categoryNode,
                Requirement(
                    frameworkID: id, ref: ref, parentRef: nil, kind: .category, category: key,
                    title: try categoryNode.required("title").nonEmptyString("title"),
                    summary: try categoryNode.optional("summary")?.string() ?? "", order: 0, attributes: ["key": key]))
            let series = try categoryNode.optional("series")?.sequence() ?? []
            for seriesNode in series {
                try seriesNode.checkKeys(["ref", "title", "summary", "criteria"])
                let seriesRef = try seriesNode.required("ref").nonEmptyString("ref")
                try collector.add(
                    seriesNode,
                    Requirement(
                        frameworkID: id, ref: seriesRef, parentRef: ref, kind: .series, category: key,
                        title: try seriesNode.required("title").nonEmptyString("title"),
                        summary: try seriesNode.optional("summary")?.string() ?? "", order: 0))
                try addCriteria(try seriesNode.required("criteria"), parent: seriesRef, category: key)
            }
            if let criteria = try categoryNode.optional("criteria") {
                try addCriteria(criteria, parent: ref, category: key)
            }
            if series.isEmpty, try categoryNode.optional("criteria") == nil {
                throw categoryNode.error("category '\(ref)' has neither 'series' nor 'criteria'")
            }
        }
        if !collector.requirements.contains(where: { $0.kind == .criterion }) {
            throw root.error("the catalog defines no criteria")
        }
        return Catalog(framework: framework, requirements: collector.requirements)
    }

    /// Format 2: `requirements` nest to any depth; each node names its `level`, and the nodes at
    /// the framework's `assessable_level` are what readiness counts.
    static func parseV2(_ root: YAMLNode) throws -> Catalog {
        try root.checkKeys(["catalog", "framework", "requirements"])
        let framework = try framework(root, defaultLevel: "requirement")
        var collector = Collector()
        var crosswalks: [Crosswalk] = []
        func walk(_ list: YAMLNode, parent: String?, category: String?, belowAssessable: Bool) throws {
            for node in try list.sequence() {
                try node.checkKeys(["ref", "level", "title", "statement", "summary", "attributes", "requirements", "maps_to"])
                let ref = try node.required("ref").nonEmptyString("ref")
                let level = try node.optional("level")?.nonEmptyString("level") ?? framework.assessableLevel
                var attributes: [String: String] = [:]
                if let attributesNode = try node.optional("attributes") {
                    guard let mapping = attributesNode.node.mapping else { throw attributesNode.error("attributes must be a mapping") }
                    for (key, value) in mapping {
                        guard let key = key.string, let value = value.string else { throw attributesNode.error("attributes must map text to text") }
                        attributes[key] = value
                    }
                }
                let assessable = level == framework.assessableLevel
                let kind: RequirementKind = belowAssessable ? .point : assessable ? .criterion : parent == nil ? .category : .series
                let key = category ?? attributes["key"] ?? ref.lowercased()
                try collector.add(
                    node,
                    Requirement(
                        frameworkID: framework.id, ref: ref, parentRef: parent, kind: kind, category: key,
                        title: try node.required("title").nonEmptyString("title"), summary: try node.optional("summary")?.string() ?? "",
                        order: 0, level: level, statement: try node.optional("statement")?.string() ?? "", attributes: attributes))
                for link in try node.optional("maps_to")?.sequence() ?? [] {
                    try link.checkKeys(["ref", "relationship"])
                    let target = try link.required("ref").nonEmptyString("ref")
                    guard target.contains(":") else { throw link.error("maps_to names another framework's requirement as FRAMEWORK:REF") }
                    let relationshipNode = try link.optional("relationship")
                    let text = try relationshipNode?.string() ?? Relationship.intersects.rawValue
                    guard let relationship = Relationship(rawValue: text) else {
                        throw (relationshipNode ?? link).error(
                            "unknown relationship '\(text)'; use \(Relationship.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    crosswalks.append(Crosswalk(from: ref, to: target, relationship: relationship, line: link.line))
                }
                if let children = try node.optional("requirements") {
                    try walk(children, parent: ref, category: key, belowAssessable: belowAssessable || assessable)
                }
            }
        }
        try walk(try root.required("requirements"), parent: nil, category: nil, belowAssessable: false)
        if !collector.requirements.contains(where: { $0.kind == .criterion }) {
            throw root.error("no requirement is at the assessable level '\(framework.assessableLevel)'")
        }
        return Catalog(framework: framework, requirements: collector.requirements, crosswalks: crosswalks)
    }
}

enum CatalogWriter {
    static func insert(_ catalog: Catalog, source: String, db: Database, log: inout ChangeRecorder) throws {
        if let existing = try String.fetchOne(db, sql: "SELECT id FROM framework WHERE id = ? COLLATE NOCASE", arguments: [catalog.framework.id]) {
            throw WorkspaceError.duplicate(kind: "framework", name: existing)
        }
        let f = catalog.framework
        let order = try Int.fetchOne(db, sql: "SELECT coalesce(max(sort_order), -1) + 1 FROM framework") ?? 0
        try db.execute(
            sql: """
                INSERT INTO framework (id, title, version, sort_order, publisher, source, notice, assessable_level, in_scope)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)
                """, arguments: [f.id, f.title, f.version, order, f.publisher, f.source.isEmpty ? source : f.source, f.notice, f.assessableLevel])
        let statement = try db.makeStatement(
            sql: """
                INSERT INTO requirement (framework_id, ref, parent_id, level, role, title, statement, summary, sort_order, attributes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        var ids: [String: Int64] = [:]
        for r in catalog.requirements {
            try statement.execute(arguments: [
                f.id, r.ref, r.parentRef.flatMap { ids[$0] }, r.level, r.kind.rawValue, r.title, r.statement, r.summary, r.order,
                RequirementRows.json(r.attributes),
            ])
            ids[r.ref] = db.lastInsertedRowID
        }
        for link in catalog.crosswalks {
            let target: (id: Int64, ref: String, framework: String)
            do { target = try Lookup.requirement(db, link.to) } catch let error as WorkspaceError {
                throw WorkspaceError.badFile(path: source, line: link.line, column: 1, message: "maps_to: \(error.description)")
            }
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO requirement_mapping (from_id, to_id, relationship, source) VALUES (?, ?, ?, ?)
                    """, arguments: [ids[link.from], target.id, link.relationship.rawValue, source])
        }
        try log.record(
            db, entity: "framework", ref: f.id, field: "imported", before: nil,
            after:
                "\(f.title) (\(catalog.criteria.count) \(f.assessableLevel == "criterion" ? "criteria" : "requirements at level \(f.assessableLevel)"), \(catalog.requirements.count) nodes)"
        )
    }
}

/// Writes a framework as a format-2 catalog that `import catalog` reads back unchanged.
enum CatalogExporter {
    static func yaml(framework: Framework, requirements: [Requirement], mapsTo: [String: [(ref: String, relationship: String)]] = [:]) throws
        -> String
    {
        func text(_ s: String) -> Node { Node(s, Tag(.str), s.contains("\n") ? .literal : .doubleQuoted) }
        func key(_ s: String) -> Node { Node(s, Tag(.str), .plain) }
        var children: [String: [Requirement]] = [:]
        var roots: [Requirement] = []
        for r in requirements {
            if let parent = r.parentRef { children[parent, default: []].append(r) } else { roots.append(r) }
        }
        func node(_ r: Requirement) -> Node {
            var pairs: [(Node, Node)] = [(key("ref"), text(r.ref)), (key("level"), text(r.level)), (key("title"), text(r.title))]
            if !r.statement.isEmpty { pairs.append((key("statement"), text(r.statement))) }
            if !r.summary.isEmpty { pairs.append((key("summary"), text(r.summary))) }
            if !r.attributes.isEmpty {
                pairs.append(
                    (key("attributes"), Node.mapping(Node.Mapping(r.attributes.sorted { $0.key < $1.key }.map { (key($0.key), text($0.value)) }))))
            }
            if let links = mapsTo[r.ref], !links.isEmpty {
                pairs.append(
                    (
                        key("maps_to"),
                        Node.sequence(
                            Node.Sequence(
                                links.map {
                                    Node.mapping(Node.Mapping([(key("ref"), text($0.ref)), (key("relationship"), text($0.relationship))]))
                                }))
                    ))
            }
            if let kids = children[r.ref], !kids.isEmpty {
                pairs.append((key("requirements"), Node.sequence(Node.Sequence(kids.map(node)))))
            }
            return Node.mapping(Node.Mapping(pairs))
        }
        var frameworkPairs: [(Node, Node)] = [
            (key("id"), text(framework.id)), (key("title"), text(framework.title)), (key("version"), text(framework.version)),
        ]
        for (name, value) in [("publisher", framework.publisher), ("source", framework.source), ("notice", framework.notice)] where !value.isEmpty {
            frameworkPairs.append((key(name), text(value)))
        }
        frameworkPairs.append((key("assessable_level"), text(framework.assessableLevel)))
        let document = Node.mapping(
            Node.Mapping([
                (key("catalog"), Node("2", Tag(.int))),
                (key("framework"), Node.mapping(Node.Mapping(frameworkPairs))),
                (key("requirements"), Node.sequence(Node.Sequence(roots.map(node)))),
            ]))
        let header =
            "# \(framework.title)\(framework.version.isEmpty ? "" : " (\(framework.version))"): exported by assure; `assure import catalog` reads it back.\n"
        return header + (try Yams.serialize(node: document, width: -1, allowUnicode: true))
    }
}

extension WorkspaceReader {
    /// `assure export catalog ID --format yaml`.
    public func exportCatalog(_ framework: String) throws -> String {
        let f = try self.framework(framework)
        var mapsTo: [String: [(ref: String, relationship: String)]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT f.ref AS here, t.framework_id || ':' || t.ref AS other, m.relationship FROM requirement_mapping m
                  JOIN requirement f ON f.id = m.from_id JOIN requirement t ON t.id = m.to_id
                WHERE f.framework_id = ? ORDER BY f.sort_order, t.framework_id, t.sort_order
                """, arguments: [f.id])
        {
            mapsTo[row["here"], default: []].append((row["other"], row["relationship"]))
        }
        return try CatalogExporter.yaml(framework: f, requirements: try requirements(framework: f.id), mapsTo: mapsTo)
    }
}

extension WorkspaceWriter {
    /// `assure import catalog FILE`: adds another framework, leaving every other framework as it
    /// was. Nothing is written on any error.
    @discardableResult
    public func importCatalog(yaml: String, path: String) throws -> Catalog {
        let catalog = try CatalogParser.parse(yaml, path: path)
        try CatalogWriter.insert(catalog, source: (path as NSString).lastPathComponent, db: db, log: &log)
        return catalog
    }
}
