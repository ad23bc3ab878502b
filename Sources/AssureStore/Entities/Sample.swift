import AssureModel
import Foundation
import GRDB

/// A whole workspace described in YAML (`workspace: 1`): the format of `samples/*.yaml`, read
/// by `assure init --from FILE` and `assure demo`.
struct SampleWorkspace {
    struct ControlOverride {
        var ref: String, line: Int
        var status: ControlStatus?, justification: String?, owner: String?, backup: String?
    }
    struct SampleGap {
        var draft: GapDraft, line: Int
        var status: GapStatus, note: String, justification: String
    }
    /// One requirement left out of scope (an ISO Statement of Applicability exclusion).
    struct Exclusion {
        var framework: String, ref: String, justification: String, line: Int
    }
    var scope: Scope
    /// Built-in frameworks the workspace pursues (SOC 2 when not given).
    var frameworks: [String]
    var exclusions: [Exclusion]
    var loadStarterLibrary: Bool
    var owners: [Owner]
    var controls: [ControlOverride]
    var gaps: [SampleGap]
    /// The Type II window, evidence, samples and requests (`type2:`; see SampleType2.swift).
    var type2: SampleType2?
    /// People, policies, acknowledgements, training and risks (`programme:`; see SampleProgramme.swift).
    var programme: SampleProgramme?
    /// Vendors with their reports, and the privacy records (`vendors:`, `privacy:`; see SampleVendors.swift).
    var vendors: SampleVendors?
    /// Collectors with their recorded runs and baselines (`collectors:`; see SampleCollectors.swift).
    var collectors: SampleCollectors?
    var path: String

    static func parse(_ text: String, path: String) throws -> SampleWorkspace {
        let root = try YAMLNode.parse(text, path: path)
        try root.checkKeys([
            "workspace", "company", "system", "report_type", "scope", "frameworks", "exclude", "library", "owners", "controls", "gaps", "programme",
            "vendors", "privacy", "collectors", "type2",
        ])
        let version = try root.required("workspace")
        guard try version.int() == 1 else { throw version.error("unsupported workspace format version; this assure reads version 1") }
        let reportNode = try root.optional("report_type")
        let reportType =
            try reportNode.map { node -> ReportType in
                guard let type = ReportType(rawValue: try node.string()) else { throw node.error("report_type must be 1 or 2") }
                return type
            } ?? .type2
        var categories: Set<TSCCategory> = [.security]
        if let scopeNode = try root.optional("scope") {
            for item in try scopeNode.sequence() {
                guard let category = parseLoose(try item.string(), as: TSCCategory.self) else {
                    throw item.error(
                        "unknown scope category '\(try item.string())'; use \(TSCCategory.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                categories.insert(category)
            }
        }
        let frameworksNode = try root.optional("frameworks")
        let frameworks = try frameworksNode?.stringList() ?? [Framework.soc2ID]
        do { _ = try BuiltInFrameworks.checked(frameworks) } catch let error as WorkspaceError {
            throw frameworksNode!.error(error.description)
        }
        let exclusions = try (try root.optional("exclude")?.sequence() ?? []).map { node -> Exclusion in
            try node.checkKeys(["framework", "ref", "justification"])
            return Exclusion(
                framework: try node.required("framework").nonEmptyString("framework"), ref: try node.required("ref").nonEmptyString("ref"),
                justification: try node.optional("justification")?.string() ?? "", line: node.line)
        }
        let libraryNode = try root.optional("library")
        let library = try libraryNode?.string() ?? "starter"
        guard library == "starter" || library == "none" else { throw libraryNode!.error("library must be 'starter' or 'none'") }

        let owners = try (try root.optional("owners")?.sequence() ?? []).map { node -> Owner in
            try node.checkKeys(["name", "handle", "role", "kind"])
            let kindNode = try node.optional("kind")
            let kind =
                try kindNode.map { k -> OwnerKind in
                    guard let kind = OwnerKind(rawValue: try k.string()) else { throw k.error("kind must be 'person' or 'team'") }
                    return kind
                } ?? .person
            return Owner(
                name: try node.required("name").nonEmptyString("name"), handle: try node.optional("handle")?.string() ?? "",
                role: try node.optional("role")?.string() ?? "", kind: kind)
        }
        let controls = try (try root.optional("controls")?.sequence() ?? []).map { node -> ControlOverride in
            try node.checkKeys(["ref", "status", "justification", "owner", "backup"])
            let statusNode = try node.optional("status")
            let status = try statusNode.map { s -> ControlStatus in
                guard let status = parseLoose(try s.string(), as: ControlStatus.self) else {
                    throw s.error("unknown control status '\(try s.string())'; use \(ControlStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return status
            }
            return ControlOverride(
                ref: try node.required("ref").nonEmptyString("ref"), line: node.line, status: status,
                justification: try node.optional("justification")?.string(), owner: try node.optional("owner")?.string(),
                backup: try node.optional("backup")?.string())
        }
        let gaps = try (try root.optional("gaps")?.sequence() ?? []).map { node -> SampleGap in
            try node.checkKeys([
                "ref", "title", "description", "severity", "effort", "control", "criterion", "owner", "due", "status", "note", "justification",
            ])
            func parsed<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type, _ fallback: E) throws -> E where E.RawValue == String {
                guard let valueNode = try node.optional(key) else { return fallback }
                let text = try valueNode.string()
                guard let value = parseLoose(text, as: type) else {
                    throw valueNode.error("unknown \(key) '\(text)'; use \(E.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return value
            }
            let draft = GapDraft(
                title: try node.required("title").nonEmptyString("title"), description: try node.optional("description")?.string() ?? "",
                severity: try parsed("severity", Severity.self, .medium), effort: try parsed("effort", Effort.self, .m),
                owner: try node.optional("owner")?.string(), due: try node.optional("due")?.string(),
                control: try node.optional("control")?.string(), criterion: try node.optional("criterion")?.string())
            return SampleGap(
                draft: draft, line: node.line, status: try parsed("status", GapStatus.self, .open),
                note: try node.optional("note")?.string() ?? "", justification: try node.optional("justification")?.string() ?? "")
        }
        let type2Node = try root.optional("type2")
        let type2 = try type2Node.map(SampleType2.parse)
        if type2 != nil && reportType != .type2 { throw type2Node!.error("a type2 section needs report_type: 2") }
        let programme = try root.optional("programme").map(SampleProgramme.parse)
        let collectors = try root.optional("collectors").map(SampleCollectors.parse)
        let vendorsNode = try root.optional("vendors")
        let privacyNode = try root.optional("privacy")
        let vendors = vendorsNode == nil && privacyNode == nil ? nil : try SampleVendors.parse(vendors: vendorsNode, privacy: privacyNode)
        return SampleWorkspace(
            scope: Scope(
                company: try root.required("company").nonEmptyString("company"),
                system: try root.optional("system")?.string() ?? "", reportType: reportType, categories: categories),
            frameworks: frameworks, exclusions: exclusions, loadStarterLibrary: library == "starter", owners: owners, controls: controls, gaps: gaps,
            type2: type2, programme: programme, vendors: vendors, collectors: collectors, path: path)
    }

    /// Applies owners, control overrides and gaps. An error names the sample's file and line.
    /// The sample's settings are the workspace's starting point, recorded as one "loaded" row
    /// each, but they obey the same rules as any edit (backup is not the owner, N/A justified).
    func apply(to workspace: Workspace, by actor: Actor) throws {
        let library = loadStarterLibrary ? try BuiltIn.library() : Library(controls: [])
        try workspace.write(actor) { w in
            let db = w.db
            try LibraryWriter.insert(library, db: db, log: &w.log)
            // The starter risks came with the workspace; they now find the controls that treat them.
            if loadStarterLibrary { _ = try w.linkStarterRisks() }
            for owner in owners {
                try db.execute(
                    sql: "INSERT INTO owner (name, handle, role, kind) VALUES (?, ?, ?, ?)",
                    arguments: [owner.name, owner.handle, owner.role, owner.kind.rawValue])
            }
            if !owners.isEmpty { try w.log.record(db, entity: "owner", ref: "owners", field: "loaded", before: nil, after: "\(owners.count) owners") }
            for exclusion in exclusions {
                try at(exclusion.line) {
                    try w.setApplicable(exclusion.ref, framework: exclusion.framework, applicable: false, justification: exclusion.justification)
                }
            }
            for item in controls {
                try at(item.line) {
                    let control = try Lookup.control(db, item.ref)
                    let current = try Row.fetchOne(db, sql: "SELECT owner_id, backup_owner_id FROM control WHERE id = ?", arguments: [control.id])!
                    let currentOwner: Int64? = current["owner_id"]
                    let currentBackup: Int64? = current["backup_owner_id"]
                    let ownerID = try item.owner.map { try Lookup.owner(db, $0).id } ?? currentOwner
                    let backupID = try item.backup.map { try Lookup.owner(db, $0).id } ?? currentBackup
                    try Rules.checkBackup(control: control.ref, ownerID: ownerID, backupID: backupID)
                    let status = item.status ?? .notStarted
                    let justification = try Rules.justification(for: status, item.justification ?? "", control: control.ref)
                    try db.execute(
                        sql: "UPDATE control SET status = ?, justification = ?, owner_id = ?, backup_owner_id = ? WHERE id = ?",
                        arguments: [status.rawValue, justification, ownerID, backupID, control.id])
                }
            }
            if !controls.isEmpty {
                try w.log.record(
                    db, entity: "control", ref: "controls", field: "loaded", before: nil, after: "\(controls.count) control settings from \(path)")
            }
            for gap in gaps {
                try at(gap.line) {
                    // Opened first, then moved to its state, so the sample's history reads as it happened.
                    let ref = try w.openGap(gap.draft)
                    switch gap.status {
                    case .open:
                        break
                    case .inProgress:
                        try w.moveGap(ref, to: .inProgress, note: "", justification: "", remediatedBy: nil, remediatedAt: nil)
                    case .remediated:
                        guard !gap.note.isEmpty else { throw WorkspaceError.invalid("a remediated gap needs a note") }
                        try w.moveGap(
                            ref, to: .remediated, note: gap.note, justification: "",
                            remediatedBy: gap.draft.owner ?? w.log.actor, remediatedAt: w.log.at)
                    case .riskAccepted:
                        guard !gap.justification.isEmpty else { throw WorkspaceError.invalid("a risk-accepted gap needs a justification") }
                        try w.moveGap(ref, to: .riskAccepted, note: "", justification: gap.justification, remediatedBy: nil, remediatedAt: nil)
                    }
                }
            }
            if let programme { try applyProgramme(programme, w) }
            if let vendors { try applyVendors(vendors, w) }
            if let type2 { try applyType2(type2, w) }
            // After the Type II window and its evidence: a collector's runs are evidence too.
            if let collectors { try applyCollectors(collectors, w) }
        }
    }

    /// Re-labels an error with the sample's file and line.
    func at(_ line: Int, _ body: () throws -> Void) throws {
        do { try body() } catch let error as WorkspaceError {
            if case .badFile = error { throw error }
            throw WorkspaceError.badFile(path: path, line: line, column: 5, message: error.description)
        } catch let violation as RuleViolation {
            throw WorkspaceError.badFile(path: path, line: line, column: 5, message: violation.description)
        }
    }
}

extension Workspace {
    /// Creates a workspace from a workspace YAML file (a sample). On any error no file is left.
    public static func create(path: String, fromYAML text: String, sourcePath: String, by actor: Actor) throws -> Workspace {
        let sample = try SampleWorkspace.parse(text, path: sourcePath)
        let workspace = try create(path: path, scope: sample.scope, frameworks: sample.frameworks, by: actor)
        do {
            try sample.apply(to: workspace, by: actor)
            try sample.placeCollectorFiles(nextTo: path)
        } catch {
            try? workspace.close()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            throw error
        }
        return workspace
    }

    /// An in-memory workspace loaded from a sample, for tests and screen goldens.
    public static func inMemory(fromYAML text: String, sourcePath: String, by actor: Actor = Actor("test")) throws -> Workspace {
        let sample = try SampleWorkspace.parse(text, path: sourcePath)
        let workspace = try inMemory(scope: sample.scope, frameworks: sample.frameworks, by: actor)
        try sample.apply(to: workspace, by: actor)
        return workspace
    }
}

extension WorkspaceWriter {
    /// Loads the built-in starter library into a workspace created with `--library starter`.
    public func loadStarterLibrary() throws {
        try LibraryWriter.insert(try BuiltIn.library(), db: db, log: &log)
        try linkStarterRisks()
    }
}
