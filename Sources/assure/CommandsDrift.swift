import ArgumentParser
import AssureModel
import AssureStore
import Foundation
import TerminalUI

struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline", abstract: "Approve a collector's output as the baseline later runs are compared with.",
        discussion: """
            A baseline is a collector's approved output, in versions (1, 2, ...). Each passed run is compared with the \
            newest version: JSON canonically (key order ignored, --ignore paths left out), text line by line. A run that \
            differs opens a drift event (assure drift); approving a new baseline resolves the collector's open ones.

            Ignore paths: $.field.sub, $['key with spaces'], $.list[0] (one element), $.list[*].field (every element), \
            $.map.*.field (every key).

            Examples:
              assure baseline set password-policy                     (its newest passed run)
              assure baseline set password-policy --from-run 12 --ignore '$.exportedAt' --ignore '$.rules[*].id'
              assure baseline set bucket-policy --file approved-bucket-policy.json
              assure baseline show password-policy --version 1
              assure baseline list
            """,
        subcommands: [BaselineSet.self, BaselineShow.self, BaselineList.self])
}

struct BaselineSet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Approve a run's output (default: the newest passed run) or a file as the next baseline.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The collector.") var collector: String
    @Option(name: .customLong("from-run"), help: ArgumentHelp("The run whose output to approve.", valueName: "id")) var fromRun: Int64?
    @Option(help: ArgumentHelp("A file to approve instead of a run's output.", valueName: "file")) var file: String?
    @Option(help: ArgumentHelp("A JSON path to leave out of the comparison (repeatable), e.g. '$.exportedAt'.", valueName: "jsonpath"))
    var ignore: [String] = []

    func run() throws {
        let workspace = try options.open()
        let before = try workspace.read { try $0.driftEvents(openOnly: true) }
        let version = try workspace.write(options.acting()) {
            try $0.setBaseline(collector: collector, fromRun: fromRun, file: file, ignore: ignore)
        }.value
        let approved = try workspace.read { try $0.baselines(collector: collector) }.first { $0.version == version }!
        let resolved = before.filter { $0.collector == approved.collector }.count
        var line = "\(approved.collector) baseline v\(version) approved: \(approved.source), \(approved.size) bytes"
        if !approved.ignore.isEmpty { line += ", ignoring \(approved.ignore.joined(separator: " "))" }
        if resolved > 0 { line += "; \(resolved) open drift event\(resolved == 1 ? "" : "s") resolved (new-baseline)" }
        print(Sanitize.line(line))
    }
}

struct BaselineShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print a baseline (the newest version unless named) with its ignore paths.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The collector.") var collector: String
    @Option(help: "Which version (default: the newest).") var version: Int?

    func run() throws {
        let workspace = try options.open(readOnly: true)
        // The header first, then the bytes streamed line by line, each sanitized for the terminal.
        let summary = try workspace.read { r in
            try r.readBaseline(collector: collector, version: version) { _ in }
        }
        print(
            Sanitize.line(
                "\(summary.collector) baseline v\(summary.version)  \(summary.control)  \(summary.format.rawValue)  \(summary.size) bytes  sha256:\(summary.sha256)"
            ))
        print(Sanitize.line("Approved: \(summary.approvedAt) by \(summary.approvedBy), from \(summary.source)"))
        print(Sanitize.line("Ignoring: " + (summary.ignore.isEmpty ? "(nothing)" : summary.ignore.joined(separator: " "))))
        print("")
        var pending = Data()
        _ = try workspace.read { r in
            try r.readBaseline(collector: collector, version: summary.version) { chunk in
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    print(Sanitize.line(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)))
                    pending = Data(pending[(newline + 1)...])
                }
            }
        }
        if !pending.isEmpty { print(Sanitize.line(String(decoding: pending, as: UTF8.self))) }
    }
}

struct BaselineList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every baseline version of every collector.")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "Only this collector's versions.") var collector: String?
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        let baselines = try options.open(readOnly: true).read { try $0.baselines(collector: collector) }
        let table = Table(
            columns: [
                .init("collector", "Collector"), .init("version", "Version", alignRight: true), .init("control", "Control"),
                .init("format", "Format"), .init("size", "Bytes", alignRight: true), .init("source", "Source"),
                .init("ignore", "Ignoring"), .init("approved_by", "Approved by"), .init("approved_at", "Approved at"),
                .init("sha256", "SHA-256"),
            ],
            rows: baselines.map { b in
                [
                    .text(b.collector), .int(b.version), .text(b.control), .text(b.format.rawValue), .int(Int(b.size)), .text(b.source),
                    .list(b.ignore), .text(b.approvedBy), .text(b.approvedAt), .text(b.sha256),
                ]
            })
        Output.print(
            table, format: format,
            tableColumns: ["collector", "version", "control", "format", "size", "source", "ignore", "approved_by", "approved_at"])
    }
}

struct DriftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drift", abstract: "List configuration drift: collector runs whose output differs from the approved baseline.",
        discussion: """
            A drift event stays open until the collector's next run matches the baseline again (resolution: matched) \
            or a new baseline is approved (new-baseline). `assure gaps derive` proposes a gap for each control with \
            open drift. (`assure diff` is another thing: readiness between snapshots.)

            Examples:
              assure drift
              assure drift --all --format csv
              assure drift show DRIFT-3
            """,
        subcommands: [DriftList.self, DriftShow.self], defaultSubcommand: DriftList.self)
}

struct DriftList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List open drift events (all with --all).")
    @OptionGroup var options: WorkspaceOptions
    @Flag(help: "Resolved events too.") var all = false
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        let events = try options.open(readOnly: true).read { try $0.driftEvents(openOnly: !all) }
        let table = Table(
            columns: [
                .init("id", "ID"), .init("collector", "Collector"), .init("control", "Control"), .init("run", "Run", alignRight: true),
                .init("baseline", "Baseline"), .init("detected_at", "Detected"), .init("changed", "Changed", alignRight: true),
                .init("status", "Status"), .init("resolution", "Resolution"), .init("resolved_by", "Resolved by"),
                .init("resolved_at", "Resolved at"),
            ],
            rows: events.map { d in
                [
                    .text(d.ref), .text(d.collector), .text(d.control), .int(Int(d.runID)), .text("v\(d.baselineVersion)"), .text(d.detectedAt),
                    .int(d.changedCount), .text(d.status), .text(d.resolution), .text(d.resolvedBy), .text(d.resolvedAt),
                ]
            })
        Output.print(
            table, format: format,
            tableColumns: ["id", "collector", "control", "run", "detected_at", "changed", "status"] + (all ? ["resolution"] : []))
    }
}

struct DriftShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one drift event with its diff in full.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The drift event, e.g. DRIFT-3.") var id: String

    func run() throws {
        let d = try options.open(readOnly: true).read { try $0.driftEvent(id) }
        let status = d.isOpen ? "open" : "resolved (\(d.resolution ?? "")) by \(d.resolvedBy ?? "") at \(d.resolvedAt ?? "")"
        let lines =
            [
                "\(d.ref)  \(d.collector)  \(d.control)  \(status)",
                "Run \(d.runID), ended \(d.detectedAt), compared with baseline v\(d.baselineVersion): \(d.changedCount) changed",
                "",
            ] + d.diff.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for line in lines { print(Sanitize.line(line)) }
    }
}
