import ArgumentParser
import AssureModel
import AssureStore
import Foundation

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarise readiness: scope, criteria addressed, controls by status, owners, open gaps.",
        discussion: "Example:\n  assure status -w larkspur.assure")

    @OptionGroup var options: WorkspaceOptions

    func run() throws {
        let workspace = try options.open()
        let scope = try workspace.scope()
        let readiness = try workspace.readiness()
        let controls = try workspace.controls()
        let gaps = try workspace.gaps()
        let owners = try workspace.owners()
        let criteria = try workspace.criteria().filter(\.inScope)
        let today = Timestamps.day(workspace.clock())
        print("\(scope.company)\(scope.system.isEmpty ? "" : " · \(scope.system)") · SOC 2 \(scope.reportType.label)")
        print("Scope: \(scope.orderedCategories.map(\.title).joined(separator: ", "))")
        print("Readiness: \(readiness.overall.percent)% (\(readiness.overall.addressed) of \(readiness.overall.total) in-scope criteria addressed)")
        for category in scope.orderedCategories {
            let share = readiness.byCategory[category.rawValue] ?? Share(addressed: 0, total: 0)
            print("  \(category.title.padding(toLength: 22, withPad: " ", startingAt: 0)) \(share.addressed)/\(share.total)  \(share.percent)%")
        }
        let partial = criteria.filter { readiness.states[$0.requirement.ref] == .partial }.count
        let none = criteria.filter { readiness.states[$0.requirement.ref] == .notAddressed }.count
        print("Criteria: \(readiness.overall.addressed) addressed, \(partial) partly addressed, \(none) not addressed")
        let byStatus = ControlStatus.allCases.map { status in "\(controls.filter { $0.status == status }.count) \(status.label)" }
        print("Controls: \(controls.count) (\(byStatus.joined(separator: ", "))); \(controls.filter { $0.owner == nil }.count) without an owner")
        print("Owners: \(owners.count)")
        let open = gaps.filter(\.status.isOpen)
        let bySeverity = Severity.allCases.map { s in "\(open.filter { $0.severity == s }.count) \(s.rawValue)" }
        print("Open gaps: \(open.count) (\(bySeverity.joined(separator: ", "))); \(open.filter { $0.isOverdue(today: today) }.count) overdue")
    }
}

struct Criteria: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the criteria with scope, state and the controls mapped to them.",
        discussion: "Examples:\n  assure criteria\n  assure criteria --category availability --format json")

    @OptionGroup var options: WorkspaceOptions
    @OptionGroup var output: FormatOption
    @Option(help: "Only this category (security, availability, ...).")
    var category: String?
    @Flag(help: "Only criteria in scope.")
    var inScope = false

    func run() throws {
        let workspace = try options.open()
        var criteria = try workspace.criteria()
        if let category {
            let key = category.lowercased()
            guard criteria.contains(where: { $0.requirement.category == key }) else {
                let known = Array(Set(criteria.map(\.requirement.category))).sorted()
                throw WorkspaceError.unknownReference(kind: "category", name: category, suggestions: Suggestions.closest(to: key, in: known))
            }
            criteria = criteria.filter { $0.requirement.category == key }
        }
        if inScope { criteria = criteria.filter(\.inScope) }
        Output.print(Listings.criteria(criteria, readiness: try workspace.readiness()), format: output.format,
                     tableColumns: ["ref", "state", "implemented", "title"], maxCell: 90)
    }
}

struct Controls: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List controls, optionally filtered by owner, status or criterion.",
        discussion: "Examples:\n  assure controls --criterion CC6.1\n  assure controls --unowned --format csv\n  assure controls --owner \"Dana Kim\" --status in-progress")

    @OptionGroup var options: WorkspaceOptions
    @OptionGroup var output: FormatOption
    @Option(help: "Controls this person owns or backs up.")
    var owner: String?
    @Option(help: "not-started, in-progress, implemented or not-applicable.")
    var status: String?
    @Option(help: "Controls mapped to this criterion (or to any criterion under a series such as CC6).")
    var criterion: String?
    @Flag(help: "Only controls with no owner.")
    var unowned = false

    func run() throws {
        let workspace = try options.open()
        let parsedStatus = try status.map { try parseStatus($0) }
        let controls = try workspace.controls(ControlFilter(owner: owner, status: parsedStatus, criterion: criterion, unowned: unowned))
        Output.print(Listings.controls(controls), format: output.format,
                     tableColumns: ["ref", "status", "owner", "frequency", "title"], maxCell: 60)
    }
}

struct Owners: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List owners with the controls they own and their open gaps.",
        discussion: "Example:\n  assure owners --format json")

    @OptionGroup var options: WorkspaceOptions
    @OptionGroup var output: FormatOption

    func run() throws {
        let workspace = try options.open()
        let unassigned = try workspace.controls(ControlFilter(unowned: true)).count
        let table = Listings.owners(try workspace.owners())
        Output.print(table, format: output.format,
                     tableColumns: ["ref", "title", "controls", "backup_for", "open_gaps", "overdue_gaps"])
        if output.format == .table { print("(unassigned controls: \(unassigned))") }
    }
}

struct Gaps: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List gaps, or derive the gaps that are missing.",
        discussion: "Examples:\n  assure gaps --status open --severity high\n  assure gaps derive --yes",
        subcommands: [GapsList.self, Derive.self], defaultSubcommand: GapsList.self)
}

struct GapsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List gaps, optionally filtered by owner, status or severity.",
        discussion: "Examples:\n  assure gaps --status open --severity high\n  assure gaps --owner \"Omar Haddad\" --format csv")

    @OptionGroup var options: WorkspaceOptions
    @OptionGroup var output: FormatOption
    @Option(help: "Gaps owned by this person.")
    var owner: String?
    @Option(help: "open, in-progress, remediated or risk-accepted.")
    var status: String?
    @Option(help: "critical, high, medium or low.")
    var severity: String?

    func run() throws {
        let workspace = try options.open()
        let parsedStatus = try status.map { text -> GapStatus in
            guard let value = parseLoose(text, as: GapStatus.self) else { throw CLIError("unknown gap status '\(text)'; use \(GapStatus.allCases.map(\.rawValue).joined(separator: ", "))") }
            return value
        }
        let parsedSeverity = try severity.map { text -> Severity in
            guard let value = parseLoose(text, as: Severity.self) else { throw CLIError("unknown severity '\(text)'; use critical, high, medium or low") }
            return value
        }
        let gaps = try workspace.gaps(GapFilter(owner: owner, status: parsedStatus, severity: parsedSeverity))
        let table = Listings.gaps(gaps, today: Timestamps.day(workspace.clock()))
        Output.print(table, format: output.format, tableColumns: ["ref", "severity", "status", "owner", "due", "title"])
    }
}

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the change log: who changed what, when, before and after.",
        discussion: "Examples:\n  assure log --since 2026-11-01 --actor dana\n  assure log --entity gap --format csv")

    @OptionGroup var options: WorkspaceOptions
    @OptionGroup var output: FormatOption
    @Option(help: "Only changes at or after this date (YYYY-MM-DD) or timestamp.")
    var since: String?
    @Option(help: "Only changes by this person.")
    var actor: String?
    @Option(help: "Only changes to this kind of entity: control, gap, owner, scope, framework, ...")
    var entity: String?
    @Option(help: "Only changes to this reference (AC-03, GAP-12, ...).")
    var ref: String?
    @Option(help: "Only the newest N rows.")
    var limit: Int?

    func run() throws {
        let workspace = try options.open()
        if let since, DueDate.parseDay(String(since.prefix(10))) == nil { throw CLIError("--since '\(since)' is not a date (YYYY-MM-DD)") }
        let records = try workspace.log(LogFilter(since: since, actor: actor, entity: entity, ref: ref, limit: limit))
        Output.print(Listings.log(records), format: output.format,
                     tableColumns: ["id", "at", "actor", "entity", "ref", "field", "before", "after"], maxCell: 40)
        if output.format == .table { print("chain head: \(try workspace.chainHead())") }
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that the change log is intact: every row's hash and its link to the row before.",
        discussion: "Exits 1 and names the first bad row when a row was edited or deleted.\nExample:\n  assure verify -w larkspur.assure")

    @OptionGroup var options: WorkspaceOptions

    func run() throws {
        let workspace = try options.open()
        let result = try workspace.verifyChain()
        if result.isIntact {
            print("ok: \(result.rows) change-log rows, chain intact; head \(result.head)")
        } else {
            FileHandle.standardError.write(Data("assure: verify failed: \(result.problem ?? "chain broken") (checked \(result.rows) rows before it)\n".utf8))
            throw ExitCode.failure
        }
    }
}

func parseStatus(_ text: String) throws -> ControlStatus {
    guard let value = parseLoose(text, as: ControlStatus.self) else {
        throw CLIError("unknown control status '\(text)'; use \(ControlStatus.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return value
}
