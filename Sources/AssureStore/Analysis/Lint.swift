import AssureModel
import Foundation
import GRDB

/// One thing `assure lint` found.
public struct LintFinding: Equatable, Sendable {
    public enum Severity: String, Sendable { case error, warning }
    public var severity: Severity
    /// Stable, for scripts: `unmapped-requirement`, `orphan-control`, `mojibake`, ...
    public var code: String
    /// Where: `framework:ref`, a control or gap ref, or `file:line`.
    public var location: String
    public var message: String
}

/// The checks behind `assure lint`: the workspace's content, a catalog or library file, or the
/// built-in content as a whole (what `.ci/run` checks).
public enum Linter {
    /// Text checks shared by every source: control characters, mojibake, empty titles.
    static func text(_ value: String, field: String, location: String, required: Bool, into findings: inout [LintFinding]) {
        if required && value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            findings.append(LintFinding(severity: .error, code: "empty-title", location: location, message: "\(field) is empty"))
        }
        if let problem = StoredText.firstProblem(in: value) {
            findings.append(LintFinding(severity: .error, code: "control-character", location: location, message: "\(field): \(problem.description)"))
        }
        if let sequence = TextChecks.mojibake(in: value) {
            findings.append(
                LintFinding(
                    severity: .error, code: "mojibake", location: location,
                    message: "\(field) holds \"\(sequence)\", a sign of text decoded with the wrong encoding"))
        }
    }

    /// Requirements of one catalog: text, and duplicate titles among siblings.
    static func requirements(_ requirements: [Requirement], location: (Requirement) -> String, into findings: inout [LintFinding]) {
        var seen: [String: String] = [:]
        for r in requirements {
            text(r.title, field: "title", location: location(r), required: true, into: &findings)
            text(r.summary, field: "summary", location: location(r), required: false, into: &findings)
            text(r.statement, field: "statement", location: location(r), required: false, into: &findings)
            // Points under different sub-headings may share a title (CC3.1 repeats its points
            // for each kind of objective).
            let key = "\(r.parentRef ?? "")\u{1F}\(r.attributes["heading"] ?? "")\u{1F}\(r.title.lowercased())"
            if let first = seen[key] {
                findings.append(
                    LintFinding(
                        severity: .warning, code: "duplicate-title", location: location(r),
                        message: "same title as \(first) under the same parent"))
            } else {
                seen[key] = r.ref
            }
        }
    }

    static func controls(_ controls: [Control], into findings: inout [LintFinding]) {
        var seen: [String: String] = [:]
        for c in controls {
            text(c.title, field: "title", location: c.ref, required: true, into: &findings)
            text(c.description, field: "description", location: c.ref, required: false, into: &findings)
            text(c.evidenceHint, field: "evidence", location: c.ref, required: false, into: &findings)
            if let first = seen[c.title.lowercased()] {
                findings.append(LintFinding(severity: .warning, code: "duplicate-title", location: c.ref, message: "same title as \(first)"))
            } else {
                seen[c.title.lowercased()] = c.ref
            }
        }
    }

    /// A catalog or library file on its own: it must parse (an error is a finding naming its
    /// line), and its text must be clean. A library's links are checked against the built-in
    /// frameworks they name.
    public static func file(text: String, path: String) -> [LintFinding] {
        var findings: [LintFinding] = []
        do {
            if text.range(of: #"(?m)^library:"#, options: .regularExpression) != nil {
                // An extension file links controls of the starter library: read it with the
                // built-in library files (but not a built-in copy of itself).
                let name = (path as NSString).lastPathComponent
                let context = try BuiltIn.libraryFileNames.filter { $0 != name && "built-in:\($0)" != path }.map {
                    (try BuiltIn.text($0), "built-in:" + $0)
                }
                let library = try LibraryParser.parseLibrary(context + [(text, path)])
                controls(library.controls.filter { $0.origin.hasPrefix(path + ":") }.map(\.control), into: &findings)
                let catalogs = Dictionary(uniqueKeysWithValues: try BuiltIn.frameworkIDs.map { ($0, try BuiltIn.catalog($0)) })
                for item in library.controls {
                    for link in item.links where link.origin.hasPrefix(path + ":") {
                        guard let catalog = catalogs[link.framework] else {
                            findings.append(
                                LintFinding(
                                    severity: .warning, code: "unknown-framework", location: link.origin,
                                    message: "\(item.control.ref) links to framework '\(link.framework)', which is not built in"))
                            continue
                        }
                        if !catalog.requirements.contains(where: { $0.ref == link.ref }) {
                            findings.append(
                                LintFinding(
                                    severity: .error, code: "dangling-reference", location: link.origin,
                                    message: "\(item.control.ref) links to \(link.framework):\(link.ref), which the catalog does not have"))
                        }
                    }
                }
            } else {
                let catalog = try CatalogParser.parse(text, path: path)
                requirements(catalog.requirements, location: { "\(path) \(catalog.framework.id):\($0.ref)" }, into: &findings)
                let known = Set(catalog.requirements.map(\.ref))
                for link in catalog.crosswalks {
                    let parts = link.to.split(separator: ":", maxSplits: 1).map(String.init)
                    if parts.count == 2, parts[0] == catalog.framework.id, !known.contains(parts[1]) {
                        findings.append(
                            LintFinding(
                                severity: .error, code: "dangling-reference", location: "\(path):\(link.line)",
                                message: "maps_to names \(link.to), which this catalog does not have"))
                    }
                }
            }
        } catch {
            findings.append(LintFinding(severity: .error, code: "unreadable", location: path, message: "\(error)"))
        }
        return findings
    }

    /// Everything assure ships: each catalog and library file, then a workspace holding every
    /// built-in framework and the whole library, checked as a workspace.
    public static func builtIn() throws -> [LintFinding] {
        var findings: [LintFinding] = []
        for name in BuiltIn.frameworks.map(\.file) + BuiltIn.libraryFileNames {
            findings += file(text: try BuiltIn.text(name), path: "built-in:" + name)
        }
        guard findings.isEmpty else { return findings }
        let workspace = try Workspace.inMemory(scope: Scope(company: "Lint", categories: Set(TSCCategory.allCases)), frameworks: BuiltIn.frameworkIDs)
        try workspace.write(Actor("lint")) { try $0.loadStarterLibrary() }
        return try workspace.read { try $0.lint() }
    }
}

extension WorkspaceReader {
    /// `assure lint`: what a reviewer would flag in this workspace's content.
    public func lint() throws -> [LintFinding] {
        var findings: [LintFinding] = []
        let controls = try controls()
        for framework in try frameworks() {
            let summaries = try requirementSummaries(framework: framework.id)
            Linter.requirements(summaries.map(\.requirement), location: { "\(framework.id):\($0.ref)" }, into: &findings)
            for s in summaries where s.isAssessable && s.inScope && s.controls.isEmpty {
                findings.append(
                    LintFinding(
                        severity: .warning, code: "unmapped-requirement", location: "\(framework.id):\(s.requirement.ref)",
                        message: "in scope, but no control is mapped to it"))
            }
        }
        Linter.controls(controls, into: &findings)
        var inScopeReach = Set<String>()
        for framework in try frameworks() {
            for s in try requirementSummaries(framework: framework.id) where s.inScope { inScopeReach.formUnion(s.controls) }
        }
        for c in controls {
            if c.requirements.isEmpty {
                findings.append(
                    LintFinding(severity: .warning, code: "orphan-control", location: c.ref, message: "reaches no requirement in any framework"))
            } else if !inScopeReach.contains(c.ref) && (c.status == .implemented || c.status == .inProgress) {
                findings.append(
                    LintFinding(
                        severity: .warning, code: "out-of-scope-control", location: c.ref,
                        message: "\(c.status.rawValue), but every requirement it serves is out of scope"))
            }
        }
        let linked = Set(
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.ref, r.framework_id, r.ref AS requirement FROM control_requirement cr
                    JOIN control c ON c.id = cr.control_id JOIN requirement r ON r.id = cr.requirement_id
                    """
            ).map { "\($0["ref"] as String)|\($0["framework_id"] as String):\($0["requirement"] as String)" })
        // Also the assessable requirement above a linked detail: a control mapped to a point of
        // focus serves its criterion.
        var servesAbove = Set<String>()
        for framework in try frameworks() {
            for s in try requirementSummaries(framework: framework.id) where s.isAssessable {
                for c in s.controls { servesAbove.insert("\(c)|\(framework.id):\(s.requirement.ref)") }
            }
        }
        for gap in try gaps() {
            Linter.text(gap.title, field: "title", location: gap.ref, required: true, into: &findings)
            if let control = gap.control, let criterion = gap.criterion, let framework = gap.framework {
                let key = "\(control)|\(framework):\(criterion)"
                if !linked.contains(key) && !servesAbove.contains(key) {
                    findings.append(
                        LintFinding(
                            severity: .warning, code: "gap-cites-unmapped", location: gap.ref,
                            message: "cites \(framework):\(criterion), which its control \(control) is not mapped to"))
                }
            }
            if gap.status.isOpen && gap.owner == nil {
                findings.append(LintFinding(severity: .warning, code: "gap-without-owner", location: gap.ref, message: "open, with no owner"))
            }
            if gap.status.isOpen && gap.due == nil {
                findings.append(LintFinding(severity: .warning, code: "gap-without-due-date", location: gap.ref, message: "open, with no due date"))
            }
        }
        return findings
    }
}
