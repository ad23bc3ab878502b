import ArgumentParser
import AssureModel
import AssureStore
import Foundation
import TerminalUI

struct RequestsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requests", abstract: "The auditor's request list: import it, answer it with evidence, send it back.",
        discussion: """
            Examples:
              assure requests import pbc.csv --map "Request ID=ref,Request=text,Control=controls,Due Date=due" --dry-run
              assure requests answer PBC-4 EV-2 EV-3        (links evidence; an open request becomes provided)
              assure requests state PBC-4 accepted
              assure requests --format csv > pbc-status.csv  (what goes back to the auditor)
            """,
        subcommands: [RequestsList.self, RequestsImport.self, RequestsAnswer.self, RequestsState.self], defaultSubcommand: RequestsList.self)
}

struct RequestsList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the requests with their state and evidence.")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    func run() throws {
        let requests = try options.open(readOnly: true).read { try $0.auditRequests() }
        Output.print(
            Table(
                columns: [
                    .init("ref", "Request"), .init("text", "Text"), .init("controls", "Controls"), .init("criteria", "Criteria"),
                    .init("due", "Due"), .init("state", "State"), .init("evidence", "Evidence"),
                ],
                rows: requests.map {
                    [
                        .text($0.ref), .text($0.text), .list($0.controls), .list($0.requirements), .text($0.due),
                        .text($0.state.rawValue), .list($0.evidence),
                    ]
                }),
            format: format, maxCell: 50)
    }
}

struct RequestsImport: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import the auditor's request spreadsheet (CSV).")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The CSV file (RFC 4180, a header row).") var file: String
    @Option(help: ArgumentHelp("Header-to-field mapping (fields: ref, text, controls, criteria, due).", valueName: "mapping")) var map: String = ""
    @Flag(help: "Show what would change and write nothing.") var dryRun = false
    func run() throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CLIError("\(file): cannot read the file as UTF-8 text") }
        let mapping = try HeaderMapping.parse(map)
        let changes = try options.open().importAuditRequests(text, path: file, mapping: mapping, dryRun: dryRun, by: options.acting())
        for change in changes { print(Sanitize.line(change)) }
        print(dryRun ? "dry run: \(changes.count) changes, nothing written" : "\(changes.count) changes written")
    }
}

struct RequestsAnswer: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "answer", abstract: "Link evidence to a request; an open request becomes provided.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The request.") var request: String
    @Argument(help: "Evidence items, e.g. EV-2.") var evidence: [String]
    func run() throws {
        try options.open().write(options.acting()) { try $0.answerRequest(request, evidence: evidence) }
        print(Sanitize.line("\(request): answered with \(evidence.map { $0.uppercased() }.joined(separator: " "))"))
    }
}

struct RequestsState: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "state", abstract: "Set a request's state: open, provided, accepted or rejected.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The request.") var request: String
    @Argument(help: "open, provided, accepted or rejected.") var state: String
    func run() throws {
        guard let value = parseLoose(state, as: AuditRequestState.self) else {
            throw CLIError("unknown state '\(state)'; use \(AuditRequestState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try options.open().write(options.acting()) { try $0.setRequestState(request, value) }
        print(Sanitize.line("\(request): \(value.rawValue)"))
    }
}
