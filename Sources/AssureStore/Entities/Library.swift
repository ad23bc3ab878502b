import AssureModel
import Foundation
import GRDB

/// Reads a control library YAML file (`library: 1`, a list of controls with their mappings).
enum LibraryParser {
    static func parse(_ text: String, path: String) throws -> [Control] {
        let root = try YAMLNode.parse(text, path: path)
        try root.checkKeys(["library", "controls"])
        let version = try root.required("library")
        guard try version.int() == 1 else { throw version.error("unsupported library format version; this assure reads version 1") }
        var seen: [String: Int] = [:]
        return try root.required("controls").sequence().map { node in
            try node.checkKeys(["ref", "title", "description", "frequency", "evidence", "tags", "criteria", "status", "owner", "backup", "justification"])
            let refNode = try node.required("ref")
            let ref = try refNode.nonEmptyString("ref")
            if let line = seen[ref.uppercased()] { throw refNode.error("duplicate control '\(ref)' (first on line \(line))") }
            seen[ref.uppercased()] = node.line
            let frequencyNode = try node.required("frequency")
            guard let frequency = parseLoose(try frequencyNode.string(), as: Frequency.self) else {
                throw frequencyNode.error("unknown frequency '\(try frequencyNode.string())'; use one of \(Frequency.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return Control(
                ref: ref, title: try node.required("title").nonEmptyString("title"),
                description: try node.optional("description")?.string() ?? "",
                frequency: frequency,
                evidenceHint: try node.optional("evidence")?.string() ?? "",
                tags: try node.optional("tags")?.stringList() ?? [],
                criteria: try node.optional("criteria")?.stringList() ?? [])
        }
    }
}

enum LibraryWriter {
    /// Inserts controls and their mappings; every criterion ref must exist.
    static func insert(_ controls: [Control], db: Database, log: inout ChangeRecorder) throws {
        let insertControl = try db.makeStatement(sql: """
            INSERT INTO control (ref, title, description, status, justification, frequency, evidence_hint, tags)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertMapping = try db.makeStatement(sql: """
            INSERT OR IGNORE INTO control_requirement (control_id, requirement_id, relationship, source) VALUES (?, ?, 'intersects', 'built-in')
            """)
        // A plain ref is SOC 2's (the library's own vocabulary); `framework:ref` names any other.
        var requirementIDs: [String: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, framework_id, ref FROM requirement") {
            let framework: String = row["framework_id"], ref: String = row["ref"]
            requirementIDs["\(framework):\(ref)".uppercased()] = row["id"]
            if framework == Framework.soc2ID { requirementIDs[ref.uppercased()] = row["id"] }
        }
        for control in controls {
            if try Int64.fetchOne(db, sql: "SELECT id FROM control WHERE ref = ?", arguments: [control.ref]) != nil {
                throw WorkspaceError.duplicate(kind: "control", name: control.ref)
            }
            try insertControl.execute(arguments: [
                control.ref, control.title, control.description, control.status.rawValue, control.justification,
                control.frequency.rawValue, control.evidenceHint, control.tags.joined(separator: ","),
            ])
            let controlID = db.lastInsertedRowID
            for ref in control.criteria.map(Framework.canonicalQualified) {
                guard let requirementID = requirementIDs[ref.uppercased()] else {
                    throw WorkspaceError.unknownReference(
                        kind: "criterion", name: ref, suggestions: Suggestions.closest(to: ref, in: Array(requirementIDs.keys)))
                }
                try insertMapping.execute(arguments: [controlID, requirementID])
            }
        }
        if !controls.isEmpty {
            try log.record(db, entity: "library", ref: "controls", field: "loaded", before: nil,
                           after: "\(controls.count) controls")
        }
    }
}
