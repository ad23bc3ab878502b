import ArgumentParser
import AssureModel
import AssureStore
import Foundation
import TerminalUI

struct Frameworks: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frameworks",
        abstract: "List the frameworks in the workspace with scope, readiness and coverage.",
        discussion:
            "Coverage counts in-scope requirements reached by at least one control, whatever its status.\nExamples:\n  assure frameworks\n  assure frameworks --format json"
    )

    @OptionGroup var options: WorkspaceOptions
    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    func run() throws {
        let summaries = try options.open(readOnly: true).read { try $0.frameworkSummaries() }
        switch format {
        case .json:
            let items = summaries.map { f -> [String: Any] in
                [
                    "id": f.framework.id, "title": f.framework.title, "version": f.framework.version,
                    "publisher": f.framework.publisher, "source": f.framework.source, "notice": f.framework.notice,
                    "assessable_level": f.framework.assessableLevel, "in_scope": f.framework.inScope,
                    "requirements": f.assessable, "requirements_in_scope": f.inScope,
                    "readiness": ["addressed": f.readiness.addressed, "total": f.readiness.total, "percent": f.readiness.percent],
                    "coverage": ["covered": f.coverage.addressed, "total": f.coverage.total, "percent": f.coverage.percent],
                    "audit": f.auditKind.isEmpty ? NSNull() : f.auditKind as Any,
                ]
            }
            let data = try JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        case .csv:
            throw CLIError("frameworks prints table or json")
        case .table:
            let table = Table(
                columns: [
                    .init("id", "Id"), .init("scope", "Scope"), .init("in_scope", "In scope", alignRight: true),
                    .init("readiness", "Readiness", alignRight: true), .init("coverage", "Coverage", alignRight: true), .init("title", "Title"),
                ],
                rows: summaries.map { f in
                    [
                        .text(f.framework.id), .text(f.framework.inScope ? (f.auditKind.isEmpty ? "in" : "in, \(f.auditKind)") : "out"),
                        .text("\(f.inScope) \(f.framework.assessableLevel == "criterion" ? "criteria" : f.framework.assessableLevel + "s")"),
                        .text("\(f.readiness.percent)% \(f.readiness.addressed)/\(f.readiness.total)"),
                        .text("\(f.coverage.percent)% \(f.coverage.addressed)/\(f.coverage.total)"),
                        .text(f.framework.title + (f.framework.version.isEmpty ? "" : " (\(f.framework.version))")),
                    ]
                })
            Output.print(table, format: .table, maxCell: 70)
            for f in summaries where !f.framework.notice.isEmpty { print("\n\(f.framework.id): \(Sanitize.line(f.framework.notice))") }
        }
    }
}

struct Requirements: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requirements",
        abstract: "List a framework's requirements with level, scope, state and mapped controls.",
        discussion:
            "Examples:\n  assure requirements --framework soc2 --level criterion\n  assure requirements --framework iso27001 --in-scope --format json"
    )

    @OptionGroup var options: WorkspaceOptions
    @OptionGroup var output: FormatOption
    @Option(help: "The framework's id (see assure frameworks).")
    var framework: String
    @Flag(help: "Only requirements in scope.")
    var inScope = false
    @Option(help: "Only this level (criterion, point of focus, clause, control, ...).")
    var level: String?

    func run() throws {
        let (summaries, readiness, decisions) = try options.open(readOnly: true).read { r in
            (try r.requirementSummaries(framework: framework), try r.readiness(framework: framework), try r.decisions(framework: framework))
        }
        var rows = summaries
        if let level {
            let levels = Array(Set(summaries.map(\.requirement.level))).sorted()
            guard levels.contains(where: { $0.lowercased() == level.lowercased() }) else {
                throw WorkspaceError.unknownReference(kind: "level", name: level, suggestions: levels)
            }
            rows = rows.filter { $0.requirement.level.lowercased() == level.lowercased() }
        }
        if inScope { rows = rows.filter(\.inScope) }
        func state(_ s: RequirementSummary) -> String? {
            guard s.isAssessable else { return nil }
            return s.inScope ? (readiness.states[s.requirement.ref] ?? .notAddressed).rawValue : "out-of-scope"
        }
        if output.format == .json {
            let items = rows.map { s -> [String: Any] in
                [
                    "framework": s.requirement.frameworkID, "ref": s.requirement.ref, "level": s.requirement.level,
                    "parent": s.requirement.parentRef as Any? ?? NSNull(), "title": s.requirement.title,
                    "statement": s.requirement.statement, "summary": s.requirement.summary, "in_scope": s.inScope,
                    "justification": s.justification, "state": state(s) as Any? ?? NSNull(), "controls": s.controls,
                    "attributes": Requirements.attributesJSON(s.requirement.attributes), "crosswalk": s.crosswalk,
                    "decision": Requirements.decisionJSON(s, decisions),
                ]
            }
            let data = try JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let table = Table(
            columns: [
                .init("ref", "Ref"), .init("level", "Level"), .init("in_scope", "In scope"), .init("state", "State"),
                .init("controls", "Controls"), .init("title", "Title"), .init("parent", "Parent"), .init("justification", "Justification"),
                .init("implementation", "Implementation"), .init("decision", "Decision"),
            ],
            rows: rows.map { s in
                [
                    .text(s.requirement.ref), .text(s.requirement.level), .bool(s.inScope), .text(state(s)), .list(s.controls),
                    .text(s.requirement.title), .text(s.requirement.parentRef), .text(s.justification),
                    .text(s.requirement.attributes["implementation"]), .text(decisions[s.requirement.ref]?.decision.rawValue),
                ]
            })
        let hasImplementation = rows.contains { $0.requirement.attributes["implementation"] != nil }
        Output.print(
            table, format: output.format,
            tableColumns: ["ref", "level", "in_scope", "state"] + (hasImplementation ? ["implementation", "decision"] : []) + ["title"], maxCell: 80)
    }

    /// Attributes as JSON: text stays text; `params` (an OSCAL control's parameters, stored as
    /// JSON text) is given as the array it is.
    static func attributesJSON(_ attributes: [String: String]) -> [String: Any] {
        var result: [String: Any] = attributes
        for (key, value) in attributes where key == "params" {
            if let data = value.data(using: .utf8), let parsed = try? JSONSerialization.jsonObject(with: data) { result[key] = parsed }
        }
        return result
    }

    /// An addressable requirement's decision, or null (also for requirements that take none).
    static func decisionJSON(_ s: RequirementSummary, _ decisions: [String: DecisionRecord]) -> Any {
        guard let d = decisions[s.requirement.ref] else { return NSNull() }
        return ["decision": d.decision.rawValue, "reason": d.reason, "by": d.decidedBy, "at": d.decidedAt]
    }
}

/// A control and a requirement of some framework: what `map` and `unmap` are given.
struct MappingArguments: ParsableArguments {
    @Argument(help: "The control reference, e.g. AC-03.")
    var control: String
    @Argument(help: "The requirement reference, e.g. CC6.2 (or FRAMEWORK:REF).")
    var requirement: String
    @Option(help: "The requirement's framework (see assure frameworks).")
    var framework: String?
}

struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map", abstract: "Map a control to a requirement of any framework.",
        discussion:
            "Relationships follow NIST OLIR: equal, subset, superset, intersects (the default).\nExamples:\n  assure map AC-03 CC6.2 --framework soc2\n  assure map AC-03 A.5.18 --framework iso27001 --relationship subset"
    )

    @OptionGroup var options: WorkspaceOptions
    @OptionGroup var mapping: MappingArguments
    @Option(help: "equal, subset, superset or intersects.")
    var relationship: String = "intersects"

    func run() throws {
        guard let value = parseLoose(relationship, as: Relationship.self) else {
            throw CLIError("unknown relationship '\(relationship)'; use \(Relationship.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let target = try options.open().write(options.acting()) {
            try $0.map(control: mapping.control, to: mapping.requirement, framework: mapping.framework, relationship: value)
        }.value
        print("\(mapping.control.uppercased()) mapped to \(target) (\(value.rawValue))")
    }
}

struct UnmapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unmap", abstract: "Remove a control's mapping to a requirement.",
        discussion: "Example:\n  assure unmap AC-03 CC6.2 --framework soc2")

    @OptionGroup var options: WorkspaceOptions
    @OptionGroup var mapping: MappingArguments

    func run() throws {
        try options.open().write(options.acting()) {
            try $0.unmap(control: mapping.control, from: mapping.requirement, framework: mapping.framework)
        }
        print("\(mapping.control.uppercased()) no longer mapped to \(mapping.requirement)")
    }
}

struct ScopeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scope", abstract: "Take a framework, or one requirement, in or out of scope.",
        discussion: """
            Leaving out a requirement at the assessable level (an ISO Annex A control: the Statement of Applicability) needs a justification.

            Examples:
              assure scope hipaa --out
              assure scope iso27001 A.7.4 --exclude --justification "Fully remote; no offices"
              assure scope iso27001 A.7.4 --include
            """)

    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The framework's id.")
    var framework: String
    @Argument(help: "A requirement of it (default: the whole framework).")
    var requirement: String?
    @Flag(help: "Pursue the whole framework.") var `in` = false
    @Flag(help: "Stop pursuing the whole framework.") var out = false
    @Flag(help: "Include the requirement.") var include = false
    @Flag(help: "Exclude the requirement.") var exclude = false
    @Option(help: "Why it is excluded.") var justification: String = ""

    func run() throws {
        let workspace = try options.open()
        if let requirement {
            guard include != exclude else { throw CLIError("say --include or --exclude") }
            try workspace.write(options.acting()) {
                try $0.setApplicable(requirement, framework: framework, applicable: include, justification: justification)
            }
            print("\(framework):\(requirement) \(include ? "included in" : "excluded from") scope")
        } else {
            guard `in` != out else { throw CLIError("say --in or --out") }
            try workspace.write(options.acting()) { try $0.setFrameworkInScope(framework, `in`) }
            print("\(framework) \(`in` ? "in" : "out of") scope")
        }
    }
}
