import AssureModel
import Foundation
import GRDB

/// What an OSCAL export could not carry as it is, reported beside the document, never dropped.
public struct OSCALExport: Sendable {
    public var json: String
    /// "hipaa:164.312(d) is written as control-id hipaa-164.312-d (label prop keeps the ref)", ...
    public var notes: [String]
}

/// The workspace's controls as an OSCAL 1.1.3 component definition: one component (the
/// company's system), one control implementation per framework, an implemented requirement per
/// requirement our controls reach, with the controls' owners as responsible parties.
extension WorkspaceReader {
    public func oscalComponentDefinition(framework: String? = nil) throws -> OSCALExport {
        let scope = try scope()
        let frameworks = try framework.map { [try self.framework($0)] } ?? frameworks().filter(\.inScope)
        let controls = Dictionary(uniqueKeysWithValues: try controls().map { ($0.ref, $0) })
        let lastModified = try oscalChangeLogSpan().last
        var notes: [String] = []
        var owners = Set<String>()
        var implementations: [[String: Any]] = []
        for f in frameworks {
            var requirements: [[String: Any]] = []
            for s in try requirementSummaries(framework: f.id) where OSCALWriting.listed(s) && s.inScope && !s.controls.isEmpty {
                let id = OSCALToken.controlID(s.requirement)
                if let note = OSCALToken.rewriteNote(framework: f.id, s.requirement) { notes.append(note) }
                let mapped = s.controls.compactMap { controls[$0] }
                let parties = Array(Set(mapped.compactMap(\.owner))).sorted()
                owners.formUnion(parties)
                var item: [String: Any] = [
                    "uuid": StableUUID.make("requirement/\(f.id)/\(s.requirement.ref)"), "control-id": id,
                    "description": "Met through " + mapped.map { "\($0.ref) \($0.title) (\($0.status.label))" }.joined(separator: "; ") + ".",
                    "props": [["name": "label", "value": s.requirement.ref]],
                ]
                if !parties.isEmpty {
                    item["responsible-roles"] = [["role-id": "control-owner", "party-uuids": parties.map { StableUUID.make("party/\($0)") }]]
                } else {
                    notes.append("\(f.id):\(s.requirement.ref): its controls have no owner yet, so no responsible role is named")
                }
                requirements.append(item)
            }
            guard !requirements.isEmpty else {
                notes.append("\(f.id): no requirement in scope is reached by a control, so it has no control implementation")
                continue
            }
            implementations.append([
                "uuid": StableUUID.make("implementation/\(f.id)"), "source": "#" + StableUUID.make("resource/\(f.id)"),
                "description": "\(scope.company)'s controls for \(f.title).", "implemented-requirements": requirements,
            ])
        }
        var component: [String: Any] = [
            "uuid": StableUUID.make("component/system"), "type": "this-system",
            "title": scope.system.isEmpty ? scope.company : scope.system,
            "description": "The controls \(scope.company) runs, as recorded in its assure workspace.",
        ]
        if !implementations.isEmpty { component["control-implementations"] = implementations }
        var metadata = OSCALWriting.metadata(title: "\(scope.company): control implementations", lastModified: lastModified)
        metadata["roles"] = [["id": "control-owner", "title": "Control owner"]]
        if !owners.isEmpty {
            metadata["parties"] = owners.sorted().map { ["uuid": StableUUID.make("party/\($0)"), "type": "person", "name": $0] }
        }
        let resources = frameworks.map { f -> [String: Any] in
            [
                "uuid": StableUUID.make("resource/\(f.id)"), "title": f.title + (f.version.isEmpty ? "" : " (\(f.version))"),
                "description": f.notice.isEmpty ? f.source : f.notice,
            ]
        }
        var document: [String: Any] = [
            "uuid": StableUUID.make("component-definition/\(scope.company)"), "metadata": metadata, "components": [component],
        ]
        if !resources.isEmpty { document["back-matter"] = ["resources": resources] }
        return try OSCALWriting.encode("component-definition", document, notes: notes)
    }
}

/// OSCAL tokens (`control-id`) start with a letter or `_` and hold letters, digits, `.`, `-`, `_`.
enum OSCALToken {
    /// A requirement imported from OSCAL keeps its own id (`ac-2.1`, not its label `AC-2(1)`),
    /// so tools reading the export find it in the catalog; any other is written as a token.
    static func controlID(_ requirement: Requirement) -> String {
        requirement.attributes["oscal_id"] ?? controlID(requirement.ref)
    }

    /// What to report when a reference had to be rewritten, nil when it is carried as it is.
    static func rewriteNote(framework: String, _ requirement: Requirement) -> String? {
        let id = controlID(requirement)
        guard requirement.attributes["oscal_id"] == nil, id != requirement.ref else { return nil }
        return "\(framework):\(requirement.ref) is written as control-id \(id); its label prop keeps the reference"
    }

    static func controlID(_ ref: String) -> String {
        var out = ""
        for scalar in ref.unicodeScalars {
            if CharacterSet.letters.contains(scalar) || CharacterSet.decimalDigits.contains(scalar) || ".-_".unicodeScalars.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.hasSuffix("-") {
                out += "-"
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        if let first = out.unicodeScalars.first, !CharacterSet.letters.contains(first) && first != "_" { out = "r-" + out }
        return out.isEmpty ? "r" : out
    }
}
