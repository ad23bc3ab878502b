import AssureModel
import Foundation
import GRDB

/// A framework and its requirement tree, as read from a catalog YAML file (format in README).
public struct Catalog: Equatable, Sendable {
    public var framework: Framework
    /// Every node in document order: categories, series, criteria, points of focus.
    public var requirements: [Requirement]

    public var criteria: [Requirement] { requirements.filter { $0.kind == .criterion } }
}

enum CatalogParser {
    /// Parses and checks a catalog. Any problem is reported as `path:line:column: message`.
    static func parse(_ text: String, path: String) throws -> Catalog {
        let root = try YAMLNode.parse(text, path: path)
        try root.checkKeys(["catalog", "framework", "categories"])
        let version = try root.required("catalog")
        guard try version.int() == 1 else { throw version.error("unsupported catalog format version; this assure reads version 1") }
        let frameworkNode = try root.required("framework")
        try frameworkNode.checkKeys(["id", "title", "version"])
        let idNode = try frameworkNode.required("id")
        let id = try idNode.nonEmptyString("framework id")
        guard id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw idNode.error("framework id may hold only letters, digits, '-', '_' and '.'")
        }
        let framework = Framework(
            id: id, title: try frameworkNode.required("title").nonEmptyString("framework title"),
            version: try frameworkNode.optional("version")?.string() ?? "")

        var requirements: [Requirement] = []
        var seen: [String: Int] = [:]
        func add(_ node: YAMLNode, _ requirement: Requirement) throws {
            if let line = seen[requirement.ref] {
                throw node.error("duplicate reference '\(requirement.ref)' (first defined on line \(line))")
            }
            seen[requirement.ref] = node.line
            var requirement = requirement
            requirement.order = requirements.count
            requirements.append(requirement)
        }

        func addCriteria(_ list: YAMLNode, parent: String, category: String) throws {
            for criterionNode in try list.sequence() {
                try criterionNode.checkKeys(["ref", "title", "summary", "points_of_focus"])
                let ref = try criterionNode.required("ref").nonEmptyString("ref")
                try add(criterionNode, Requirement(
                    frameworkID: id, ref: ref, parentRef: parent, kind: .criterion, category: category,
                    title: try criterionNode.required("title").nonEmptyString("title"),
                    summary: try criterionNode.optional("summary")?.string() ?? "", order: 0))
                // Points of focus are numbered by position: CC1.1.1, CC1.1.2, ...
                for (index, pointNode) in (try criterionNode.optional("points_of_focus")?.sequence() ?? []).enumerated() {
                    let title: String, summary: String
                    if pointNode.node.mapping != nil {
                        try pointNode.checkKeys(["title", "summary"])
                        title = try pointNode.required("title").nonEmptyString("title")
                        summary = try pointNode.optional("summary")?.string() ?? ""
                    } else {
                        title = try pointNode.nonEmptyString("point of focus")
                        summary = ""
                    }
                    try add(pointNode, Requirement(
                        frameworkID: id, ref: "\(ref).\(index + 1)", parentRef: ref, kind: .point,
                        category: category, title: title, summary: summary, order: 0))
                }
            }
        }
        for categoryNode in try root.required("categories").sequence() {
            try categoryNode.checkKeys(["ref", "key", "title", "summary", "series", "criteria"])
            let ref = try categoryNode.required("ref").nonEmptyString("ref")
            let key = try categoryNode.optional("key")?.nonEmptyString("key") ?? ref.lowercased()
            try add(categoryNode, Requirement(
                frameworkID: id, ref: ref, parentRef: nil, kind: .category, category: key,
                title: try categoryNode.required("title").nonEmptyString("title"),
                summary: try categoryNode.optional("summary")?.string() ?? "", order: 0))
            let series = try categoryNode.optional("series")?.sequence() ?? []
            for seriesNode in series {
                try seriesNode.checkKeys(["ref", "title", "summary", "criteria"])
                let seriesRef = try seriesNode.required("ref").nonEmptyString("ref")
                try add(seriesNode, Requirement(
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

        if !requirements.contains(where: { $0.kind == .criterion }) {
            throw root.error("the catalog defines no criteria")
        }
        return Catalog(framework: framework, requirements: requirements)
    }
}

enum CatalogWriter {
    static func insert(_ catalog: Catalog, db: Database, log: inout ChangeRecorder) throws {
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM framework WHERE id = ?", arguments: [catalog.framework.id]) == true {
            throw WorkspaceError.duplicate(kind: "framework", name: catalog.framework.id)
        }
        let order = try Int.fetchOne(db, sql: "SELECT coalesce(max(sort_order), -1) + 1 FROM framework") ?? 0
        try db.execute(
            sql: "INSERT INTO framework (id, title, version, sort_order) VALUES (?, ?, ?, ?)",
            arguments: [catalog.framework.id, catalog.framework.title, catalog.framework.version, order])
        let statement = try db.makeStatement(sql: """
            INSERT INTO requirement (framework_id, ref, parent_ref, kind, category, title, summary, sort_order)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for r in catalog.requirements {
            try statement.execute(arguments: [r.frameworkID, r.ref, r.parentRef, r.kind.rawValue, r.category, r.title, r.summary, r.order])
        }
        try log.record(db, entity: "framework", ref: catalog.framework.id, field: "imported", before: nil,
                       after: "\(catalog.framework.title) (\(catalog.criteria.count) criteria, \(catalog.requirements.count) nodes)")
    }
}

extension Workspace {
    /// `assure import catalog FILE`: adds another framework. Nothing is written on any error.
    @discardableResult
    public func importCatalog(yaml: String, path: String) throws -> Catalog {
        let catalog = try CatalogParser.parse(yaml, path: path)
        try perform { db, log in try CatalogWriter.insert(catalog, db: db, log: &log) }
        return catalog
    }
}
