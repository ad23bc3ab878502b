import ArgumentParser
import AssureModel
import AssureStore
import Foundation
import TerminalUI

struct RiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk", abstract: "Keep the risk register: risks scored before and after treatment, the controls that treat them, reviews.",
        discussion: """
            Likelihood and impact are 1 to 5; the inherent score is likelihood x impact, before any control. \
            The residual likelihood and impact are the risk after its treatment; until you assess them the \
            residual risk is taken to be the inherent one. Ratings by score: \(RiskRating.legend). \
            A risk is named by RISK-n or its number.

            Examples:
              assure risk add "Customer database exposed" --likelihood 3 --impact 5 --cia c,i --owner "Dana Kim" --control AC-06 --control DP-02
              assure risk edit RISK-3 --residual-likelihood 2 --residual-impact 4 --add-control LM-03
              assure risk edit 3 --treatment accept --justification "Covered by the provider's SLA credits" --approver "CEO"
              assure risk review RISK-3 --date 2026-11-02
              assure risk show RISK-3
              assure risk install        (adds the starter risks a workspace made before this release lacks)
            """,
        subcommands: [RiskAdd.self, RiskEditCommand.self, RiskReview.self, RiskShow.self, RiskClose.self, RiskReopen.self, RiskInstall.self])
}

/// The options `risk add` and `risk edit` share (likelihood and impact are required for add).
struct RiskFieldOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The properties it threatens: c, i, a (confidentiality, integrity, availability), e.g. c,i.", valueName: "c,i,a"))
    var cia: String?
    @Option(help: ArgumentHelp("mitigate (default), accept, transfer or avoid. accept needs --justification and --approver.", valueName: "treatment"))
    var treatment: String?
    @Option(help: "Who owns the risk (an owner's name, handle or unique prefix).") var owner: String?
    @Option(name: .customLong("control"), help: ArgumentHelp("A control that treats it; repeat or separate with commas.", valueName: "control"))
    var controls: [String] = []
    @Option(
        help: ArgumentHelp(
            "Likelihood after treatment, 1-5 (with --residual-impact; default: the inherent likelihood until assessed).", valueName: "n"))
    var residualLikelihood: Int?
    @Option(
        help: ArgumentHelp("Impact after treatment, 1-5 (with --residual-likelihood; default: the inherent impact until assessed).", valueName: "n"))
    var residualImpact: Int?
    @Option(help: "Why the risk is accepted (required with --treatment accept).") var justification: String?
    @Option(help: "Who approved accepting it (required with --treatment accept).") var approver: String?
    @Option(help: ArgumentHelp("How often it is reviewed: quarterly, semi-annual or annual (default).", valueName: "cadence"))
    var review: String?
    @Option(help: "What could happen, and how.") var description: String?

    var controlRefs: [String] { RiskArguments.split(controls) }
    func ciaList() throws -> [CIAProperty]? { try cia.map { text in try RiskArguments.rule { try CIAProperty.parseList(text) } } }
    func treatmentValue() throws -> RiskTreatment? { try treatment.map { text in try RiskArguments.rule { try RiskRules.treatment(text) } } }
    func cadence() throws -> ReviewCadence? { try review.map { text in try RiskArguments.rule { try RiskRules.cadence(text) } } }
}

enum RiskArguments {
    /// `--control A --control B,C` is A, B and C.
    static func split(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A rule's refusal of an argument, shown as a command-line error.
    static func rule<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let violation as RuleViolation { throw CLIError(violation.description) }
    }

    static func scores(_ l: Int, _ i: Int) -> String { "\(l) x \(i) = \(l * i) (\(RiskRating(score: l * i).rawValue))" }
}

struct RiskAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a risk to the register.",
        discussion: "The residual likelihood and impact default to the inherent ones until assessed (give both to assess them).")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "What could go wrong, in a line.") var title: String
    @Option(help: ArgumentHelp("How likely it is, 1 (rare) to 5 (almost certain).", valueName: "1-5")) var likelihood: Int
    @Option(help: ArgumentHelp("How bad it would be, 1 (minor) to 5 (severe).", valueName: "1-5")) var impact: Int
    @OptionGroup var fields: RiskFieldOptions

    func run() throws {
        let draft = RiskDraft(
            title: title, description: fields.description ?? "", likelihood: likelihood, impact: impact, cia: try fields.ciaList() ?? [],
            treatment: try fields.treatmentValue() ?? .mitigate, owner: fields.owner, controls: fields.controlRefs,
            residualLikelihood: fields.residualLikelihood, residualImpact: fields.residualImpact,
            justification: fields.justification ?? "", approver: fields.approver ?? "", reviewCadence: try fields.cadence() ?? .annual)
        let workspace = try options.open()
        let ref = try workspace.write(options.acting()) { try $0.addRisk(draft) }.value
        let risk = try workspace.read { try $0.risk(ref, today: today) }
        let residual = risk.residualAssessed ? RiskArguments.scores(risk.currentLikelihood, risk.currentImpact) : "not assessed"
        print(Sanitize.line("\(ref): \(risk.title) (inherent \(RiskArguments.scores(risk.likelihood, risk.impact)); residual \(residual))"))
    }
}

struct RiskEditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Change a risk: its scores, treatment, owner, controls or review cadence.",
        discussion: "--control replaces the whole set of controls; --add-control and --remove-control change it one at a time.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The risk, e.g. RISK-3 or 3.") var ref: String
    @Option(help: "A new title.") var title: String?
    @Option(help: ArgumentHelp("How likely it is, 1-5.", valueName: "1-5")) var likelihood: Int?
    @Option(help: ArgumentHelp("How bad it would be, 1-5.", valueName: "1-5")) var impact: Int?
    @OptionGroup var fields: RiskFieldOptions
    @Option(name: .customLong("add-control"), help: ArgumentHelp("Link a control that treats it.", valueName: "control")) var addControls: [String] =
        []
    @Option(name: .customLong("remove-control"), help: ArgumentHelp("Unlink a control.", valueName: "control")) var removeControls: [String] = []
    @Flag(name: .customLong("no-owner"), help: "Leave the risk without an owner.") var noOwner = false

    func run() throws {
        var edit = RiskEdit()
        edit.clearOwner = noOwner
        edit.title = title; edit.likelihood = likelihood; edit.impact = impact
        edit.description = fields.description; edit.cia = try fields.ciaList(); edit.treatment = try fields.treatmentValue()
        edit.owner = fields.owner
        edit.controls = fields.controls.isEmpty ? nil : fields.controlRefs
        edit.addControls = RiskArguments.split(addControls); edit.removeControls = RiskArguments.split(removeControls)
        edit.residualLikelihood = fields.residualLikelihood; edit.residualImpact = fields.residualImpact
        edit.justification = fields.justification; edit.approver = fields.approver; edit.reviewCadence = try fields.cadence()
        guard edit != RiskEdit() else { throw CLIError("nothing to change; give at least one option (see assure risk edit --help)") }
        let workspace = try options.open()
        let changed = try workspace.write(options.acting()) { try $0.editRisk(ref, edit) }.value
        let risk = try workspace.read { try $0.risk(ref, today: today) }
        print(changed == 0 ? "\(risk.ref): no change" : "\(risk.ref): \(changed) change\(changed == 1 ? "" : "s") recorded")
    }
}

struct RiskReview: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "Record that a risk was reviewed; the next review falls due a cadence later.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The risk.") var ref: String
    @Option(help: ArgumentHelp("The day of the review (default: today).", valueName: "date")) var date: String?

    func run() throws {
        let workspace = try options.open()
        let result = try workspace.write(options.acting()) { try $0.reviewRisk(ref, on: date) }.value
        let risk = try workspace.read { try $0.risk(ref, today: today) }
        print("\(risk.ref): reviewed on \(result.reviewedOn); next review \(result.nextReview ?? "not set") (\(risk.reviewCadence.rawValue))")
    }
}

struct RiskShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one risk in full.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The risk.") var ref: String

    func run() throws {
        let risk = try options.open(readOnly: true).read { try $0.risk(ref, today: today) }
        var lines = [
            "\(risk.ref)  \(risk.title)",
            "Status:        \(risk.status.rawValue)",
            "Inherent:      likelihood \(RiskArguments.scores(risk.likelihood, risk.impact))",
            "Residual:      "
                + (risk.residualAssessed
                    ? "likelihood \(RiskArguments.scores(risk.currentLikelihood, risk.currentImpact))"
                    : "not assessed (taken as the inherent \(risk.inherentScore) until scored)"),
            "CIA:           " + (risk.cia.isEmpty ? "(not set)" : risk.cia.map(\.word).joined(separator: ", ")),
            "Treatment:     \(risk.treatment.rawValue)",
        ]
        if !risk.justification.isEmpty || !risk.approver.isEmpty {
            lines.append("Justification: \(risk.justification)")
            lines.append("Approver:      \(risk.approver)")
        }
        lines.append("Controls:      " + (risk.controls.isEmpty ? "(none)" : risk.controls.joined(separator: ", ")))
        lines.append("Owner:         \(risk.owner ?? "(unassigned)")")
        lines.append(
            "Review:        \(risk.reviewCadence.rawValue); last " + (risk.reviewedOn ?? "never (registered \(risk.createdOn))")
                + "; next \(risk.nextReview ?? "not set")" + (risk.overdue ? " (overdue)" : ""))
        for line in lines { print(Sanitize.line(line)) }
        if !risk.description.isEmpty {
            print("Description:")
            for line in risk.description.components(separatedBy: .newlines) { print("  " + Sanitize.line(line)) }
        }
    }
}

struct RiskClose: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close a risk that no longer applies: it stays in the register but leaves the heat map, reviews and derived gaps.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The risk.") var ref: String
    func run() throws {
        let canonical = try options.open().write(options.acting()) { try $0.setRiskStatus(ref, .closed) }.value
        print("\(canonical): closed")
    }
}

struct RiskReopen: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reopen", abstract: "Reopen a closed risk.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The risk.") var ref: String
    func run() throws {
        let canonical = try options.open().write(options.acting()) { try $0.setRiskStatus(ref, .open) }.value
        print("\(canonical): open")
    }
}

struct RiskInstall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Add the built-in starter risks the register lacks (matched by title), linked to the starter controls present.")
    @OptionGroup var options: WorkspaceOptions
    func run() throws {
        let added = try options.open().write(options.acting()) { try $0.installStarterRisks() }.value
        if added.isEmpty {
            print("The register already has every starter risk.")
        } else {
            print("Added \(added.count) starter risk\(added.count == 1 ? "" : "s"): \(added.first!)\(added.count > 1 ? "..\(added.last!)" : "")")
        }
    }
}

struct RisksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risks", abstract: "List the risk register, or show it as a 5 x 5 heat map.",
        discussion: """
            The residual columns are empty until a risk is assessed after treatment; its residual score is then \
            the inherent score. The rating is the residual score's band: \(RiskRating.legend).

            Examples:
              assure risks
              assure risks --sort score --format csv
              assure risks --overdue
              assure risks --heatmap
              assure risks --heatmap --residual
            """)
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @Option(help: ArgumentHelp("score (residual score, highest first) or ref (default).", valueName: "score|ref")) var sort: String = "ref"
    @Flag(help: "Only open risks past their review date.") var overdue = false
    @Flag(help: "Show the 5 x 5 grid of open risks by likelihood and impact instead of the list.") var heatmap = false
    @Flag(help: "With --heatmap: place risks by their residual scores.") var residual = false

    func run() throws {
        guard sort == "score" || sort == "ref" else { throw CLIError("--sort must be score or ref") }
        if residual && !heatmap { throw CLIError("--residual goes with --heatmap") }
        if heatmap && format != .table { throw CLIError("--heatmap prints a text grid; use --format with the list instead") }
        var risks = try options.open(readOnly: true).read { try $0.risks(today: today) }
        if heatmap {
            print(RiskHeatMap(summaries: risks, residual: residual).text(), terminator: "")
            return
        }
        if overdue { risks = risks.filter(\.overdue) }
        if sort == "score" {
            // Stable: equal scores keep the register's order.
            risks = risks.enumerated().sorted { a, b in
                (b.element.residualScore, b.element.inherentScore, a.offset) < (a.element.residualScore, a.element.inherentScore, b.offset)
            }.map(\.element)
        }
        Output.print(
            RiskTable.make(risks), format: format,
            tableColumns: [
                "ref", "title", "likelihood", "impact", "inherent_score", "residual_likelihood", "residual_impact",
                "residual_score", "rating", "cia", "treatment", "controls", "owner", "next_review", "overdue",
            ],
            maxCell: 44)
    }
}

enum RiskTable {
    static func make(_ risks: [RiskSummary]) -> Table {
        func optional(_ text: String) -> Value { .text(text.isEmpty ? nil : text) }
        func number(_ value: Int?) -> Value { value.map(Value.int) ?? .text(nil) }
        return Table(
            columns: [
                .init("ref", "Risk"), .init("title", "Title"), .init("description", "Description"),
                .init("likelihood", "L", alignRight: true), .init("impact", "I", alignRight: true),
                .init("inherent_score", "Score", alignRight: true),
                .init("residual_likelihood", "RL", alignRight: true), .init("residual_impact", "RI", alignRight: true),
                .init("residual_score", "Residual", alignRight: true), .init("rating", "Rating"), .init("cia", "CIA"),
                .init("treatment", "Treatment"), .init("controls", "Controls"), .init("owner", "Owner"),
                .init("justification", "Justification"), .init("approver", "Approver"), .init("review_cadence", "Review"),
                .init("reviewed_on", "Reviewed"), .init("next_review", "Next review"), .init("overdue", "Overdue"), .init("status", "Status"),
            ],
            rows: risks.map { r in
                [
                    .text(r.ref), .text(r.title), optional(r.description),
                    .int(r.likelihood), .int(r.impact), .int(r.inherentScore),
                    number(r.residualLikelihood), number(r.residualImpact), .int(r.residualScore), .text(r.rating.rawValue),
                    .list(r.cia.map(\.rawValue)), .text(r.treatment.rawValue), .list(r.controls), .text(r.owner),
                    optional(r.justification), optional(r.approver), .text(r.reviewCadence.rawValue),
                    .text(r.reviewedOn), .text(r.nextReview), .bool(r.overdue), .text(r.status.rawValue),
                ]
            })
    }
}
