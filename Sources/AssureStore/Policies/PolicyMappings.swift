import AssureModel
import Foundation
import GRDB

/// Checks that every requirement a policy's sections name exists: in the workspace's own
/// requirement table when the framework is in the workspace (its catalog may be newer or the
/// company's own), else in the catalog built into assure, so a SOC 2-only workspace can still
/// keep a policy that also maps ISO 27001, HIPAA and GDPR.
struct PolicyMappings {
    let db: Database

    init(db: Database) { self.db = db }

    /// The definition with each requirement spelt as its catalog spells it (`soc2:CC6.1`).
    mutating func resolve(_ definition: PolicyDefinition, source: String) throws -> PolicyDefinition {
        var resolved = definition
        for (s, section) in definition.sections.enumerated() {
            for (r, written) in section.requirements.enumerated() {
                let at: (line: Int, column: Int) = r < section.requirementLines.count ? section.requirementLines[r] : (section.line, 1)
                do {
                    resolved.sections[s].requirements[r] = try canonical(written)
                } catch let message as Problem {
                    throw WorkspaceError.badFile(
                        path: source, line: at.line, column: at.column,
                        message: "section '\(section.title)': \(message.text)")
                }
            }
        }
        return resolved
    }

    struct Problem: Error { let text: String }

    /// `framework:ref` as the catalog spells it, or a `Problem` naming the closest refs.
    mutating func canonical(_ written: String) throws -> String {
        guard let colon = written.firstIndex(of: ":") else { throw Problem(text: "'\(written)' is not FRAMEWORK:REF") }
        let frameworkText = written[..<colon].trimmingCharacters(in: .whitespaces)
        let ref = written[written.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        let id = Framework.canonicalID(frameworkText).lowercased()
        guard let known = try refs(of: id) else {
            let inWorkspace = try String.fetchAll(db, sql: "SELECT id FROM framework ORDER BY sort_order")
            let all = inWorkspace + BuiltIn.frameworkIDs.filter { !inWorkspace.contains($0) }
            throw Problem(text: "unknown framework '\(frameworkText)' in '\(written)'; known: \(all.joined(separator: ", "))")
        }
        if let found = known.byKey[ref.lowercased()] { return "\(known.id):\(found)" }
        let hint = Suggestions.closest(to: ref, in: known.ordered)
        throw Problem(
            text: "unknown requirement '\(written)'"
                + (hint.isEmpty ? "" : "; did you mean \(hint.map { "\(known.id):\($0)" }.joined(separator: ", "))?"))
    }

    /// One framework's refs: the workspace's when it holds the framework, else the built-in
    /// catalog's, else nil. Read once per framework: a policy names dozens of requirements.
    private struct Refs { let id: String; let ordered: [String]; let byKey: [String: String] }
    private var loaded: [String: Refs?] = [:]

    private mutating func refs(of id: String) throws -> Refs? {
        if let cached = loaded[id] { return cached }
        var found: Refs?
        if let inWorkspace = try String.fetchOne(db, sql: "SELECT id FROM framework WHERE id = ? COLLATE NOCASE", arguments: [id]) {
            let ordered = try String.fetchAll(
                db, sql: "SELECT ref FROM requirement WHERE framework_id = ? ORDER BY sort_order", arguments: [inWorkspace])
            found = Refs(id: inWorkspace, ordered: ordered, byKey: Self.keyed(ordered))
        } else if BuiltIn.frameworkIDs.contains(id) {
            let ordered = try builtInRefs(id)
            found = Refs(id: id, ordered: ordered, byKey: Self.keyed(ordered))
        }
        loaded[id] = .some(found)
        return found
    }

    private static func keyed(_ refs: [String]) -> [String: String] {
        var byKey: [String: String] = [:]
        for ref in refs where byKey[ref.lowercased()] == nil { byKey[ref.lowercased()] = ref }
        return byKey
    }

    private func builtInRefs(_ id: String) throws -> [String] { try Self.catalogRefs.get()[id] ?? [] }

    /// Every built-in catalog's refs, parsed once per process: each new workspace installs
    /// the six policies, and parsing three catalogs for each would slow every `init`.
    private static let catalogRefs: Result<[String: [String]], Error> = Result {
        var refs: [String: [String]] = [:]
        for id in BuiltIn.frameworkIDs { refs[id] = try BuiltIn.catalog(id).requirements.map(\.ref) }
        return refs
    }
}
