import ArgumentParser
import AssureModel
import AssureServerStore
import AssureStore
import Foundation

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Summarise readiness: scope, readiness per framework, controls by status, owners, open gaps.",
        discussion: "Examples:\n  assure status -w larkspur.assure\n  assure status --format json")

    @OptionGroup var options: WorkspaceOptions
    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    func run() throws {
        guard format != .csv else { throw CLIError("status prints table or json") }
        let workspace = try options.open(readOnly: true)
        let report = try StatusReport.read(workspace, today: today)
        print(format == .json ? report.json() : report.text(), terminator: "")
    }
}

struct Criteria: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "criteria",
        abstract: "List the criteria with scope, state and the controls mapped to them.",
        discussion: "Examples:\n  assure criteria\n  assure criteria --category availability --format json")

    @OptionGroup var options: WorkspaceOptions
    @OptionGroup var output: FormatOption
    @Option(help: "Only this category (security, availability, ...).")
    var category: String?
    @Flag(help: "Only criteria in scope.")
    var inScope = false

    func run() throws {
        let workspace = try options.open(readOnly: true)
        let (all, readiness) = try workspace.read { r in (try r.criteria(), try r.readiness()) }
        var criteria = all
        if let category {
            let key = category.lowercased()
            guard criteria.contains(where: { $0.requirement.category == key }) else {
                let known = Array(Set(criteria.map(\.requirement.category))).sorted()
                throw WorkspaceError.unknownReference(kind: "category", name: category, suggestions: Suggestions.closest(to: key, in: known))
            }
            criteria = criteria.filter { $0.requirement.category == key }
        }
        if inScope { criteria = criteria.filter(\.inScope) }
        Output.print(
            Listings.criteria(criteria, readiness: readiness), format: output.format,
            tableColumns: ["ref", "state", "implemented", "title"], maxCell: 90)
    }
}

struct Controls: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controls",
        abstract: "List controls, optionally filtered by owner, status or criterion.",
        discussion:
            "Examples:\n  assure controls --criterion CC6.1\n  assure controls --unowned --format csv\n  assure controls --owner \"Dana Kim\" --status in-progress"
    )

    @OptionGroup var options: WorkspaceOptions
    @OptionGroup var output: FormatOption
    @Option(help: "Controls this person owns or backs up.")
    var owner: String?
    @Option(help: "not-started, in-progress, implemented or not-applicable.")
    var status: String?
    @Option(help: "Controls mapped to this requirement (or to anything under a group such as CC6); FRAMEWORK:REF names another framework's.")
    var criterion: String?
    @Option(help: "The framework --criterion belongs to (default: the only one that has it).")
    var framework: String?
    @Flag(help: "Only controls with no owner.")
    var unowned = false

    func run() throws {
        let workspace = try options.open(readOnly: true)
        let parsedStatus = try status.map { try parseStatus($0) }
        let filter = ControlFilter(owner: owner, status: parsedStatus, criterion: criterion, framework: framework, unowned: unowned)
        let controls = try workspace.read { try $0.controls(filter) }
        Output.print(
            Listings.controls(controls), format: output.format,
            tableColumns: ["ref", "status", "owner", "frequency", "title"], maxCell: 60)
    }
}

struct Owners: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "owners",
        abstract: "List owners with the controls they own and their open gaps.",
        discussion: "Example:\n  assure owners --format json")

    @OptionGroup var options: WorkspaceOptions
    @OptionGroup var output: FormatOption

    func run() throws {
        let workspace = try options.open(readOnly: true)
        let (unassigned, owners) = try workspace.read { r in (try r.controls(ControlFilter(unowned: true)).count, try r.owners(today: today)) }
        let table = Listings.owners(owners)
        Output.print(
            table, format: output.format,
            tableColumns: ["ref", "title", "controls", "backup_for", "open_gaps", "overdue_gaps"])
        if output.format == .table { print("(unassigned controls: \(unassigned))") }
    }
}

struct Gaps: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gaps",
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
        let workspace = try options.open(readOnly: true)
        let parsedStatus = try status.map { text -> GapStatus in
            guard let value = parseLoose(text, as: GapStatus.self) else {
                throw CLIError("unknown gap status '\(text)'; use \(GapStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return value
        }
        let parsedSeverity = try severity.map { text -> Severity in
            guard let value = parseLoose(text, as: Severity.self) else {
                throw CLIError("unknown severity '\(text)'; use critical, high, medium or low")
            }
            return value
        }
        let filter = GapFilter(owner: owner, status: parsedStatus, severity: parsedSeverity)
        if output.format == .csv {
            // The same bytes as the table's CSV, copied from SQLite's rows without building
            // a gap and a table row for each (20,000 gaps: most of the command's time).
            let bytes = try workspace.read { try $0.gapsCSV(filter, today: today) }
            Output.write(bytes)
            return
        }
        // Written as read, as the log is: 20,000 gaps are never held whole.
        let listing = ListingStream(
            format: output.format, columns: Listings.gapColumns, tableColumns: ["ref", "severity", "status", "owner", "due", "title"])
        try workspace.read { r in try r.forEachGap(filter) { listing.add(Listings.gapRow($0, today: today)) } }
        listing.finish()
    }
}

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
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
        let workspace = try options.open(readOnly: true)
        if let since, DueDate.parseDay(String(since.prefix(10))) == nil { throw CLIError("--since '\(since)' is not a date (YYYY-MM-DD)") }
        let filter = LogFilter(since: since, actor: actor, entity: entity, ref: ref, limit: limit)
        if output.format == .csv {
            // Copied from SQLite's rows in pieces, as read.
            try workspace.read { r in try r.logCSV(filter) { Output.write($0) } }
            return
        }
        // Written as read: a log of a million rows is never held whole.
        let (head, listing) = try workspace.read { r in
            // The newest id is the widest a row's number can be.
            let listing = ListingStream(
                format: output.format, columns: Listings.logColumns,
                tableColumns: ["id", "at", "actor", "entity", "ref", "field", "before", "after"], maxCell: 40,
                minimumWidths: ["id": String(try r.changeCounter()).count])
            try r.forEachLogRecord(filter) {
                listing.add(Listings.logRow($0))
            }
            return (try r.chainHead(), listing)
        }
        listing.finish()
        if output.format == .table { print("chain head: \(head)") }
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the change log's chain, and that every table still holds what the log last recorded for it.",
        discussion: """
            Exits 1 and names the first bad row when a row was edited or deleted, and names each table that was \
            changed without a change-log row (say, in the sqlite3 shell): every write records the digest of the \
            tables it changed in the chain, and verify compares each table with the newest digest recorded for it.

            The chain alone cannot show that its newest rows were deleted: a shorter chain is still a valid chain. \
            Minutes, reports and Markdown exports print the anchor they were made at ("Change log: 266 rows, head HASH"); \
            give it back with --expect HASH (all 64 digits) and --expect-count 266, and verify exits 1 unless the log \
            still ends exactly there.

            Examples:
              assure verify -w larkspur.assure
              assure verify --expect HASH --expect-count 266

            On a server workspace (-w postgres://...), the local copy is checked after it has taken in everything \
            the server holds, and the server checks its own change log too (every hash recomputed by \
            assure.chain_hash); both must end at the same head.
            """)

    @OptionGroup var options: WorkspaceOptions
    @Option(help: ArgumentHelp("Fail unless the newest row's hash (the chain head) is this one.", valueName: "hash"))
    var expect: String?
    @Option(name: .customLong("expect-count"), help: ArgumentHelp("Fail unless the change log has exactly this many rows.", valueName: "n"))
    var expectCount: Int?

    func validate() throws {
        if let expect, expectedHead(expect) == nil {
            throw ValidationError("--expect takes the full chain head: 64 hexadecimal digits, as `assure verify` or `assure log` print it")
        }
        if let expectCount, expectCount < 0 { throw ValidationError("--expect-count must be 0 or more") }
    }

    /// The hash as stored: 64 lowercase hex digits (upper case and surrounding space accepted).
    func expectedHead(_ text: String) -> String? {
        let hash = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return hash.count == 64 && hash.allSatisfy({ $0.isHexDigit && $0.isASCII }) ? hash : nil
    }

    func run() throws {
        let workspace = try options.open(readOnly: true)
        let expected = expect.flatMap(expectedHead)
        let (verification, expectedRow) = try workspace.read { r in
            (try r.verifyWorkspace(parallelOn: workspace), try expected.map { try r.changeID(withHash: $0) } ?? nil)
        }
        let result = verification.chain
        guard result.isIntact else {
            throw failure("\(result.problem ?? "chain broken") (checked \(result.rows) rows before it)")
        }
        var problems: [String] = []
        if let expectCount, result.rows != expectCount {
            problems.append(
                "the change log has \(result.rows) rows, expected \(expectCount)"
                    + (result.rows < expectCount
                        ? ": \(expectCount - result.rows) of the newest were deleted" : ": \(result.rows - expectCount) were written since"))
        }
        if let expected, result.head != expected {
            let why: String
            if let expectedRow {
                why = "row \(expectedRow) has the expected hash; \(result.rows - Int(expectedRow)) rows were written after it"
            } else {
                why = "no row has the expected hash: that row and any after it were deleted, or the hash is from another workspace"
            }
            problems.append("the chain head is \(result.head), expected \(expected) (\(why))")
        }
        problems += verification.tables.map(\.problem)
        // A server workspace: the server's own rows checked there too, and the same head.
        let location = try options.path()
        if ServerAddress.isServer(location) {
            let server = try ServerChainCheck.run(try ServerAddress(location))
            if let bad = server.firstBadRow {
                problems.append("on the server, change-log row \(bad) does not hash or link as recorded")
            } else if server.head != result.head || server.rows != result.rows {
                problems.append(
                    "the server holds \(server.rows) rows ending \(server.head ?? "nowhere"), the local copy \(result.rows) ending \(result.head)")
            }
        }
        if !problems.isEmpty { throw failure(problems.joined(separator: "; ")) }
        print("ok: \(result.rows) change-log rows, chain intact; head \(result.head)")
    }

    /// Says why on standard error; the caller throws the result (exit 1).
    private func failure(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("assure: verify failed: \(message)\n".utf8))
        return ExitCode.failure
    }
}

func parseStatus(_ text: String) throws -> ControlStatus {
    guard let value = parseLoose(text, as: ControlStatus.self) else {
        throw CLIError("unknown control status '\(text)'; use \(ControlStatus.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    return value
}
