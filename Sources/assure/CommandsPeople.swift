import ArgumentParser
import AssureModel
import AssureStore
import Foundation
import TerminalUI

struct PeopleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people", abstract: "The people who owe policy acknowledgements and training: owners plus a personnel list.",
        discussion: """
            Everyone who owns something is a person; a personnel list adds email, team and start and end \
            dates (a row with an owner's name adds them to that owner). A leaver gets an end date and \
            drops out of what is due the day after it; a new hire appears on their start date.

            Examples:
              assure people
              assure people --active-on 2026-12-01 --format csv
              assure people add "Jo Park" --email jo@acme.example --team engineering --start 2026-11-02
              assure people edit "Sam Ortiz" --end 2026-11-13
              assure people import hr-export.csv --map name="Full Name" --dry-run
            """,
        subcommands: [PeopleList.self, PeopleAdd.self, PeopleEdit.self, PeopleImportCommand.self],
        defaultSubcommand: PeopleList.self)
}

struct PeopleList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List people with their email, team, dates and whether they own anything.")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: ArgumentHelp("Only people employed on this day (YYYY-MM-DD).", valueName: "date")) var activeOn: String?
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    func run() throws {
        if let activeOn { try PeopleDates.check(activeOn, option: "--active-on") }
        let people = try options.open(readOnly: true).read { r in try activeOn.map { try r.people(activeOn: $0) } ?? r.people() }
        Output.print(PeopleTable.make(people), format: format)
    }
}

struct PeopleAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a person (an owner's name adds their details to that owner).")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "Their name.") var name: String
    @OptionGroup var fields: PersonFieldOptions
    func run() throws {
        let change = try options.open().write(options.acting()) {
            try $0.addPerson(PersonRow(name: name, email: fields.email, team: fields.team, startedOn: fields.start, endedOn: fields.end))
        }.value
        print(Sanitize.line(change.kind == .unchanged ? "\(change.name): already listed (an owner); nothing changed" : PeopleText.describe(change)))
    }
}

struct PeopleEdit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Change someone's email, team or dates; an empty value clears one.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The person (name, an owner's handle, or a unique prefix).") var name: String
    @OptionGroup var fields: PersonFieldOptions
    func run() throws {
        guard fields.email != nil || fields.team != nil || fields.start != nil || fields.end != nil else {
            throw CLIError("name what changes: --email, --team, --start or --end (a leaver gets --end DATE)")
        }
        let change = try options.open().write(options.acting()) {
            try $0.editPerson(name, email: fields.email, team: fields.team, startedOn: fields.start, endedOn: fields.end)
        }.value
        print(Sanitize.line(change.fields.isEmpty ? "\(change.name): nothing changed" : PeopleText.describe(change)))
    }
}

struct PersonFieldOptions: ParsableArguments {
    @Option(help: "Their email address.") var email: String?
    @Option(help: "Their team (courses can be for some teams only).") var team: String?
    @Option(help: ArgumentHelp("Their first working day, YYYY-MM-DD.", valueName: "date")) var start: String?
    @Option(help: ArgumentHelp("Their last working day, YYYY-MM-DD (a leaver).", valueName: "date")) var end: String?
}

struct PeopleImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Add and update people from a personnel CSV (name, email, team, start, end).",
        discussion: """
            Headers are matched without case (also: Full Name, Department, Start Date, End Date and the like); \
            --map field=Column names any other. Rows match people by name (any case), failing that by email; \
            new people are added and changed fields updated; an empty cell leaves a field as it is; people not \
            in the file are left alone. Dates are YYYY-MM-DD. One bad row (named by row and column) means \
            nothing is written.

            Examples:
              assure people import people.csv --dry-run
              assure people import hr-export.csv --map name="Full Name" --map team=Division
            """)
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The CSV file (RFC 4180, first row is the header).") var file: String
    @Option(help: ArgumentHelp("field=Column for a header with another name (repeatable).", valueName: "field=Column")) var map: [String] = []
    @Flag(help: "Show what would change and write nothing.") var dryRun = false
    func run() throws {
        guard FileManager.default.fileExists(atPath: file) else { throw CLIError("\(file): no such file") }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CLIError("\(file): cannot read the file as UTF-8 text") }
        let result = try options.open(readOnly: dryRun).importPeopleCSV(text, path: file, map: map, dryRun: dryRun, by: options.acting())
        for change in result.changes where change.kind != .unchanged {
            print(Sanitize.line("row \(change.line): \(PeopleText.describe(change))"))
        }
        if !result.ignoredColumns.isEmpty { print(Sanitize.line("ignored columns: \(result.ignoredColumns.joined(separator: ", "))")) }
        print(Sanitize.line(result.summary + (dryRun ? " (dry run: nothing written)" : "")))
    }
}

enum PeopleText {
    /// `added Jo Park: email jo@acme.example, team engineering` or
    /// `updated Sam Ortiz: end none -> 2026-11-13`.
    static func describe(_ change: PersonChange) -> String {
        let fields = change.fields.map { field in
            change.kind == .added ? "\(field.field) \(field.after ?? "none")" : "\(field.field) \(field.before ?? "none") -> \(field.after ?? "none")"
        }
        let how = change.matchedByEmail ? " (matched by email)" : ""
        return "\(change.kind.rawValue) \(change.name)\(how)" + (fields.isEmpty ? "" : ": " + fields.joined(separator: ", "))
    }
}

enum PeopleDates {
    static func check(_ day: String, option: String) throws {
        guard let date = DueDate.parseDay(day), DueDate.format(date) == day else {
            throw CLIError("\(option): '\(day)' is not a date: use YYYY-MM-DD")
        }
    }
}

enum PeopleTable {
    static func make(_ people: [Person]) -> Table {
        Table(
            columns: [
                .init("name", "Name"), .init("email", "Email"), .init("team", "Team"), .init("start", "Start"), .init("end", "End"),
                .init("owner", "Owner"), .init("source", "Source"),
            ],
            rows: people.map { person in
                [
                    .text(person.name), .text(person.email), .text(person.team), .text(person.startedOn), .text(person.endedOn),
                    .bool(person.isOwner), .text(person.source),
                ]
            })
    }
}
