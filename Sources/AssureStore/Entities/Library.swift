import AssureModel
import Foundation
import GRDB

/// One link from a library control to a requirement of some framework.
public struct LibraryLink: Equatable, Sendable {
    public var framework: String
    public var ref: String
    public var relationship: Relationship
    /// Where the link is written, for errors: `file:line`.
    public var origin: String
}

/// A control of a library with every link it carries, in every framework it knows.
public struct LibraryControl: Equatable, Sendable {
    public var control: Control
    public var links: [LibraryLink]
    public var origin: String
    /// The frameworks whose presence brings this control into a workspace (an extension
    /// file's `frameworks:`); empty: any framework it links to.
    public var home: Set<String> = []

    /// The frameworks this control serves.
    public var frameworks: Set<String> { Set(links.map(\.framework)) }

    /// Whether a workspace holding `present` frameworks takes this control.
    public func belongs(in present: Set<String>) -> Bool {
        if !home.isEmpty { return !home.isDisjoint(with: present) }
        return links.isEmpty || !frameworks.isDisjoint(with: present)
    }
}

/// A control library: controls and their links to requirements, merged from one or more files
/// (the built-in library is `starter-library.yaml` plus `library-*.yaml`, one per theme).
public struct Library: Equatable, Sendable {
    public var controls: [LibraryControl]

    public var byRef: [String: LibraryControl] {
        Dictionary(controls.map { ($0.control.ref.uppercased(), $0) }, uniquingKeysWith: { first, _ in first })
    }
}

/// Reads control library YAML files (`library: 1`).
///
/// A file has `controls:` (new controls, each with `criteria:` for SOC 2 and `maps:` for any
/// framework as `framework: {ref: relationship}`) and/or `links:` (more links for controls of
/// any file of the same library: `CONTROL: {framework: {ref: relationship}}`). An extension
/// file may say `frameworks: [iso27001]`: its controls join a workspace only when one of those
/// frameworks is in it (an ISMS's management-review control has no place in a SOC 2-only
/// workspace, even though it also helps a SOC 2 criterion).
enum LibraryParser {
    static func parse(_ text: String, path: String) throws -> [Control] {
        try parseLibrary([(text, path)]).controls.map(\.control)
    }

    /// Parses and merges library files in order. A control defined twice, or links to a
    /// control no file defines, are refused with the file and line.
    static func parseLibrary(_ files: [(text: String, path: String)]) throws -> Library {
        var controls: [LibraryControl] = []
        var indexByRef: [String: Int] = [:]
        var pendingLinks: [(control: String, node: YAMLNode, links: [LibraryLink])] = []
        for (text, path) in files {
            let root = try YAMLNode.parse(text, path: path)
            try root.checkKeys(["library", "frameworks", "controls", "links"])
            let version = try root.required("library")
            guard try version.int() == 1 else { throw version.error("unsupported library format version; this assure reads version 1") }
            let home = Set(try root.optional("frameworks")?.stringList().map(Framework.canonicalID) ?? [])
            for node in try root.optional("controls")?.sequence() ?? [] {
                var item = try control(node)
                item.home = home
                let key = item.control.ref.uppercased()
                if let first = indexByRef[key] {
                    throw node.error("duplicate control '\(item.control.ref)' (first defined at \(controls[first].origin))")
                }
                indexByRef[key] = controls.count
                controls.append(item)
            }
            if let linksNode = try root.optional("links") {
                guard let mapping = linksNode.node.mapping else { throw linksNode.error("links must map a control ref to its frameworks") }
                for (key, value) in mapping {
                    let keyNode = linksNode.child(key)
                    let ref = try keyNode.nonEmptyString("control ref")
                    pendingLinks.append((ref, keyNode, try maps(linksNode.child(value))))
                }
            }
        }
        for pending in pendingLinks {
            guard let index = indexByRef[pending.control.uppercased()] else {
                throw pending.node.error(
                    "links name control '\(pending.control)', which no library file defines"
                        + Suggestions.hint(Suggestions.closest(to: pending.control, in: controls.map(\.control.ref))))
            }
            for link in pending.links where !controls[index].links.contains(where: { $0.framework == link.framework && $0.ref == link.ref }) {
                controls[index].links.append(link)
            }
        }
        for index in controls.indices {
            controls[index].control.requirements = controls[index].links.map { "\($0.framework):\($0.ref)" }
        }
        return Library(controls: controls)
    }

    private static func control(_ node: YAMLNode) throws -> LibraryControl {
        try node.checkKeys([
            "ref", "title", "description", "frequency", "evidence", "tags", "criteria", "maps", "status", "owner", "backup", "justification",
        ])
        let refNode = try node.required("ref")
        let ref = try refNode.nonEmptyString("ref")
        let frequencyNode = try node.required("frequency")
        guard let frequency = parseLoose(try frequencyNode.string(), as: Frequency.self) else {
            throw frequencyNode.error(
                "unknown frequency '\(try frequencyNode.string())'; use one of \(Frequency.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let criteria = try node.optional("criteria")?.stringList() ?? []
        let origin = "\(node.path):\(node.line)"
        var links = criteria.map { criterion -> LibraryLink in
            let qualified = Framework.canonicalQualified(criterion)
            if let colon = qualified.firstIndex(of: ":") {
                return LibraryLink(
                    framework: String(qualified[..<colon]), ref: String(qualified[qualified.index(after: colon)...]),
                    relationship: .intersects, origin: origin)
            }
            return LibraryLink(framework: Framework.soc2ID, ref: criterion, relationship: .intersects, origin: origin)
        }
        if let mapsNode = try node.optional("maps") {
            for link in try maps(mapsNode) where !links.contains(where: { $0.framework == link.framework && $0.ref == link.ref }) {
                links.append(link)
            }
        }
        let control = Control(
            ref: ref, title: try node.required("title").nonEmptyString("title"),
            description: try node.optional("description")?.string() ?? "",
            frequency: frequency,
            evidenceHint: try node.optional("evidence")?.string() ?? "",
            tags: try node.optional("tags")?.stringList() ?? [],
            criteria: links.filter { $0.framework == Framework.soc2ID }.map(\.ref))
        return LibraryControl(control: control, links: links, origin: origin)
    }

    /// `framework: {ref: relationship}` (or `framework: [ref, ...]`, each `intersects`).
    private static func maps(_ node: YAMLNode) throws -> [LibraryLink] {
        guard let mapping = node.node.mapping else { throw node.error("expected framework: {requirement: relationship}") }
        var links: [LibraryLink] = []
        for (key, value) in mapping {
            let frameworkNode = node.child(key)
            let framework = Framework.canonicalID(try frameworkNode.nonEmptyString("framework id"))
            let targets = node.child(value)
            if let list = targets.node.sequence {
                for item in list {
                    let itemNode = targets.child(item)
                    links.append(
                        LibraryLink(
                            framework: framework, ref: try itemNode.nonEmptyString("requirement ref"),
                            relationship: .intersects, origin: "\(itemNode.path):\(itemNode.line)"))
                }
            } else if let pairs = targets.node.mapping {
                for (refNode, relationshipNode) in pairs {
                    let refItem = targets.child(refNode)
                    let relationshipItem = targets.child(relationshipNode)
                    let text = try relationshipItem.string()
                    guard let relationship = Relationship(rawValue: text) else {
                        throw relationshipItem.error(
                            "unknown relationship '\(text)'; use \(Relationship.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    links.append(
                        LibraryLink(
                            framework: framework, ref: try refItem.nonEmptyString("requirement ref"),
                            relationship: relationship, origin: "\(refItem.path):\(refItem.line)"))
                }
            } else {
                throw targets.error("expected {requirement: relationship} or a list of requirement refs for '\(framework)'")
            }
        }
        return links
    }
}

enum LibraryWriter {
    /// Plain controls whose `requirements` (`framework:ref`) are their links, `intersects`.
    static func insert(_ controls: [Control], db: Database, log: inout ChangeRecorder) throws {
        let library = Library(
            controls: controls.map { control in
                LibraryControl(
                    control: control,
                    links: control.requirements.compactMap { qualified in
                        guard let colon = qualified.firstIndex(of: ":") else { return nil }
                        return LibraryLink(
                            framework: String(qualified[..<colon]), ref: String(qualified[qualified.index(after: colon)...]),
                            relationship: .intersects, origin: control.ref)
                    }, origin: control.ref)
            })
        try insert(library, db: db, log: &log)
    }

    /// Inserts controls with their links to the frameworks in the workspace. A control that
    /// serves none of them is left out (it arrives with `framework add`); a link to a
    /// framework that is present must name one of its requirements.
    static func insert(_ library: Library, db: Database, log: inout ChangeRecorder) throws {
        let present = Set(try String.fetchAll(db, sql: "SELECT id FROM framework"))
        let chosen = library.controls.filter { $0.belongs(in: present) }
        try insertControls(chosen, db: db)
        let links = try insertLinks(chosen, frameworks: present, db: db)
        if !chosen.isEmpty {
            try log.record(
                db, entity: "library", ref: "controls", field: "loaded", before: nil,
                after: "\(chosen.count) controls, \(links) links")
        }
    }

    /// Adds the library's links into `frameworks` for controls already in the workspace (and,
    /// when `addControls`, the library controls that serve those frameworks and are missing).
    /// Returns (controls added, links added).
    static func extend(_ library: Library, into frameworks: Set<String>, addControls: Bool, db: Database, log: inout ChangeRecorder) throws -> (
        Int, Int
    ) {
        let existing = Set(try String.fetchAll(db, sql: "SELECT upper(ref) FROM control"))
        let serving = library.controls.filter { !$0.frameworks.isDisjoint(with: frameworks) }
        let all = Set(try String.fetchAll(db, sql: "SELECT id FROM framework"))
        // Library controls that serve the new frameworks and are not here yet (a workspace made
        // by an earlier release, or one that predates a framework's own controls).
        let missing =
            addControls
            ? library.controls.filter { !existing.contains($0.control.ref.uppercased()) && $0.belongs(in: all) && $0.belongs(in: frameworks) }
            : []
        try insertControls(missing, db: db)
        let targets = serving.filter { existing.contains($0.control.ref.uppercased()) } + missing
        let links = try insertLinks(targets, frameworks: frameworks, db: db)
        // Controls the library brings in for the new frameworks may also serve frameworks
        // already present: link those too, so the control is whole.
        let others = all.subtracting(frameworks)
        let extra = try insertLinks(missing, frameworks: others, db: db)
        if !targets.isEmpty {
            try log.record(
                db, entity: "library", ref: "links", field: "loaded", before: nil,
                after: "\(missing.count) controls added, \(links + extra) links to \(frameworks.sorted().joined(separator: ", "))")
        }
        return (missing.count, links + extra)
    }

    /// Inserts the controls themselves (no links); a ref already in the workspace is refused.
    private static func insertControls(_ items: [LibraryControl], db: Database) throws {
        let insertControl = try db.makeStatement(
            sql: """
                INSERT INTO control (ref, title, description, status, justification, frequency, evidence_hint, tags)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for item in items {
            let control = item.control
            if try Int64.fetchOne(db, sql: "SELECT id FROM control WHERE ref = ?", arguments: [control.ref]) != nil {
                throw WorkspaceError.duplicate(kind: "control", name: control.ref)
            }
            try insertControl.execute(arguments: [
                control.ref, control.title, control.description, control.status.rawValue, control.justification,
                control.frequency.rawValue, control.evidenceHint, control.tags.joined(separator: ","),
            ])
        }
    }

    /// Inserts the links of `controls` into `frameworks`; returns how many were new.
    private static func insertLinks(_ controls: [LibraryControl], frameworks: Set<String>, db: Database) throws -> Int {
        var requirementIDs: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, framework_id, ref FROM requirement") {
            let framework: String = row["framework_id"]
            let ref: String = row["ref"]
            requirementIDs["\(framework):\(ref)".uppercased()] = row["id"]
        }
        let insertMapping = try db.makeStatement(
            sql: """
                INSERT OR IGNORE INTO control_requirement (control_id, requirement_id, relationship, source)
                SELECT id, ?, ?, 'built-in' FROM control WHERE ref = ?
                """)
        var added = 0
        for item in controls {
            for link in item.links where frameworks.contains(link.framework) {
                let key = "\(link.framework):\(link.ref)"
                guard let requirementID = requirementIDs[key.uppercased()] else {
                    let known = requirementIDs.keys.filter { $0.hasPrefix(link.framework.uppercased() + ":") }
                    throw WorkspaceError.invalid(
                        "\(link.origin): \(item.control.ref) links to \(key), which is not a requirement"
                            + Suggestions.hint(Suggestions.closest(to: key.uppercased(), in: Array(known))))
                }
                try insertMapping.execute(arguments: [requirementID, link.relationship.rawValue, item.control.ref])
                added += db.changesCount
            }
        }
        return added
    }
}
