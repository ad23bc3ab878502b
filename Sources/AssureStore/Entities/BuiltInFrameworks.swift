import AssureModel
import Foundation
import GRDB

/// Choosing built-in frameworks: at `init` (`--frameworks soc2,iso27001,hipaa,gdpr`) and later
/// with `assure framework add ID`.
enum BuiltInFrameworks {
    /// Canonical ids of `names`, refusing unknown ones with the list of built-in frameworks.
    static func checked(_ names: [String]) throws -> Set<String> {
        var ids = Set<String>()
        for name in names {
            let key = Framework.canonicalID(name.trimmingCharacters(in: .whitespaces)).lowercased()
            guard !key.isEmpty else { continue }
            guard BuiltIn.frameworkIDs.contains(key) else {
                throw WorkspaceError.unknownReference(
                    kind: "built-in framework", name: name,
                    suggestions: Suggestions.closest(to: key, in: BuiltIn.frameworkIDs) + [
                        "built-in: \(BuiltIn.frameworkIDs.joined(separator: ", "))"
                    ])
            }
            ids.insert(key)
        }
        return ids
    }
}

/// What `framework add` did.
public struct FrameworkAdded: Equatable, Sendable {
    public var framework: Framework
    public var requirements: Int
    public var controlsAdded: Int
    public var linksAdded: Int
}

extension WorkspaceWriter {
    /// Adds a built-in framework to the workspace (or takes SOC 2 back in scope), then links
    /// the library's controls to it: controls already here get their links, and with
    /// `addControls` the library controls that serve it and are missing are added.
    public func addBuiltInFramework(_ id: String, addControls: Bool) throws -> FrameworkAdded {
        let key = try BuiltInFrameworks.checked([id]).first!
        let catalog = try BuiltIn.catalog(key)
        if try String.fetchOne(db, sql: "SELECT id FROM framework WHERE id = ?", arguments: [key]) != nil {
            // SOC 2 is always present; adding it means pursuing it.
            guard key == Framework.soc2ID, try Bool.fetchOne(db, sql: "SELECT in_scope FROM framework WHERE id = ?", arguments: [key]) == false else {
                throw WorkspaceError.duplicate(kind: "framework", name: key)
            }
            try setFrameworkInScope(key, true)
        } else {
            try CatalogWriter.insert(catalog, source: "built-in", db: db, log: &log)
        }
        let (controls, links) = try LibraryWriter.extend(try BuiltIn.library(), into: [key], addControls: addControls, db: db, log: &log)
        return FrameworkAdded(framework: catalog.framework, requirements: catalog.requirements.count, controlsAdded: controls, linksAdded: links)
    }
}
