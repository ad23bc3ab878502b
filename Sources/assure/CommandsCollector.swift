import ArgumentParser
import AssureModel
import AssureStore
import Foundation
import TerminalUI

struct CollectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collector", abstract: "Keep collectors: commands whose output is collected as a control's evidence.",
        discussion: """
            A collector is a command you already trust (a cloud CLI, a script, `cat` of an exported file). \
            `assure collect` runs it with your environment (secrets stay there, never in the workspace), in the \
            workspace file's folder, and keeps what it prints as an evidence item of its control. A command runs \
            only after it is allowed on this machine: adding or editing it allows it for you; a workspace from \
            someone else needs `assure collector allow NAME` after you have read the command.

            Examples:
              assure collector add password-policy --control AC-07 --run "aws iam get-account-password-policy" --every weekly --format json
              assure collector add okta-admins --control AC-03 --run "./scripts/okta-admins.sh" --every monthly --timeout 5m --accept-on-success
              assure collector list
              assure collector allow password-policy
              assure collector show password-policy
            """,
        subcommands: [
            CollectorAdd.self, CollectorList.self, CollectorEditCommand.self, CollectorRemove.self, CollectorShow.self, CollectorAllow.self,
        ])
}

/// The options `collector add` and `collector edit` share.
struct CollectorFieldOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "How often `assure collect --due` runs it: daily, weekly, monthly, quarterly, or none (only when named).",
            valueName: "every")) var every: String?
    @Option(help: ArgumentHelp("How long it may run before it is killed: 60s, 5m, 1h (default 60s).", valueName: "duration")) var timeout: String?
    @Option(help: ArgumentHelp("text (kept as printed) or json (must parse as JSON).", valueName: "format")) var format: String?

    func everyValue() throws -> CollectorEvery?? {
        guard let every else { return nil }
        if ["none", "manual", "never"].contains(every.lowercased()) { return .some(nil) }
        guard let value = CollectorEvery(text: every) else {
            throw CLIError("'\(every)' is not a schedule: use daily, weekly, monthly, quarterly or none")
        }
        return .some(value)
    }

    func timeoutValue() throws -> Int? { try timeout.map { text in try RiskArguments.rule { try CollectorSchedule.parseTimeout(text) } } }

    func formatValue() throws -> CollectorFormat? {
        guard let format else { return nil }
        guard let value = CollectorFormat(rawValue: format.lowercased()) else {
            throw CLIError("'\(format)' is not a collector format: use text or json")
        }
        return value
    }
}

enum CollectorText {
    /// Allows the command for the person who just typed it; a failure to write the list is a
    /// warning (the collector is stored; `collector allow` can be run later).
    static func allowTyped(_ workspace: Workspace, name: String, command: String) {
        do { try CollectorTrust.forCurrentUser().allow(workspacePath: workspace.path, collector: name, command: command) } catch {
            FileHandle.standardError.write(Data("Warning: \(error)\n".utf8))
        }
    }

    static func every(_ every: CollectorEvery?) -> String { every?.rawValue ?? "on demand" }

    static func duration(_ run: CollectorRunSummary) -> String {
        guard let start = isoDate(run.started), let end = isoDate(run.ended) else { return "" }
        return CollectorSchedule.describeSeconds(max(0, Int(end.timeIntervalSince(start).rounded())))
    }

    static func isoDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// When `--due` runs it next: now, a day, or (after a failure today) the hour it is retried.
    static func next(_ c: CollectorSummary) -> String? {
        if c.due { return "now" }
        guard let next = c.nextDue, next <= today, let last = c.lastRun, last.outcome != .passed, let ended = isoDate(last.ended) else {
            return c.nextDue
        }
        return "retry " + String(Timestamps.iso(ended.addingTimeInterval(CollectorSchedule.retryAfterFailure)).dropFirst(11).prefix(5)) + "Z"
    }

    /// One line for a run, as `collect` prints it.
    static func line(_ run: CollectorRunSummary, control: String) -> String {
        switch run.outcome {
        case .passed:
            var text =
                "\(run.collector): passed in \(duration(run)), \(CollectorSchedule.describeSize(run.stdoutSize)) kept as \(run.evidence ?? "?") for \(control)"
            if run.accepted { text += " (accepted automatically)" }
            return Sanitize.line(text)
        default:
            return Sanitize.line("\(run.collector): \(run.outcome.rawValue): \(run.reason)")
        }
    }
}

struct CollectorAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a collector for a control (and allow its command on this machine).")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "Its name: letters, digits, '.', '_' or '-', e.g. okta-admins.") var name: String
    @Option(help: "The control its output proves.") var control: String
    @Option(name: .customLong("run"), help: ArgumentHelp("The command, run by /bin/sh in the workspace file's folder.", valueName: "command"))
    var command: String
    @OptionGroup var fields: CollectorFieldOptions
    @Flag(help: "Accept its evidence automatically when the command exits 0.") var acceptOnSuccess = false

    func run() throws {
        let draft = CollectorDraft(
            name: name, control: control, command: command, every: try fields.everyValue() ?? nil,
            timeoutSeconds: try fields.timeoutValue() ?? 60, format: try fields.formatValue() ?? .text,
            acceptOnSuccess: acceptOnSuccess)
        let workspace = try options.open()
        try workspace.write(options.acting()) { try $0.addCollector(draft) }
        CollectorText.allowTyped(workspace, name: name, command: command)
        let stored = try workspace.read { try $0.collector(name, today: today) }
        print(
            Sanitize.line(
                "\(stored.name): collects evidence for \(stored.control) \(CollectorText.every(stored.every)) "
                    + "(timeout \(CollectorSchedule.describeSeconds(stored.timeoutSeconds)), \(stored.format.rawValue)); allowed on this machine"))
    }
}

struct CollectorEditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Change a collector (a new command is allowed for you, and must be allowed again elsewhere).")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The collector.") var name: String
    @Option(help: "The control its output proves.") var control: String?
    @Option(name: .customLong("run"), help: ArgumentHelp("A new command.", valueName: "command")) var command: String?
    @OptionGroup var fields: CollectorFieldOptions
    @Flag(inversion: .prefixedNo, help: "Accept its evidence automatically when the command exits 0.") var acceptOnSuccess: Bool?

    func run() throws {
        var edit = CollectorEdit()
        edit.control = control; edit.command = command; edit.every = try fields.everyValue()
        edit.timeoutSeconds = try fields.timeoutValue(); edit.format = try fields.formatValue(); edit.acceptOnSuccess = acceptOnSuccess
        guard edit != CollectorEdit() else { throw CLIError("nothing to change; give at least one option (see assure collector edit --help)") }
        let workspace = try options.open()
        let changed = try workspace.write(options.acting()) { try $0.editCollector(name, edit) }.value
        let stored = try workspace.read { try $0.collector(name, today: today) }
        if command != nil { CollectorText.allowTyped(workspace, name: stored.name, command: stored.command) }
        print(Sanitize.line(changed == 0 ? "\(stored.name): no change" : "\(stored.name): \(changed) change\(changed == 1 ? "" : "s") recorded"))
    }
}

struct CollectorRemove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Stop a collector; its runs and evidence are kept.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The collector.") var name: String

    func run() throws {
        let workspace = try options.open()
        try workspace.write(options.acting()) { try $0.removeCollector(name) }
        print(Sanitize.line("\(name): removed; its runs and evidence are kept"))
    }
}

struct CollectorAllow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allow", abstract: "Allow a collector's command to run on this machine, after reading it.",
        discussion:
            "Recorded in $XDG_CONFIG_HOME/assure/allowed (default ~/.config/assure/allowed) with the command's SHA-256: if the command changes, it must be allowed again."
    )
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The collector.") var name: String

    func run() throws {
        let workspace = try options.open(readOnly: true)
        let stored = try workspace.read { try $0.collector(name, today: today) }
        let trust = CollectorTrust.forCurrentUser()
        try trust.allow(workspacePath: workspace.path, collector: stored.name, command: stored.command)
        print(Sanitize.line("\(stored.name): allowed on this machine: \(stored.command)"))
    }
}

struct CollectorList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List collectors, their last run, when each is next due and whether it may run here.")
    @OptionGroup var options: WorkspaceOptions
    @OptionGroup var output: FormatOption
    @Flag(help: "Include removed collectors.") var all = false

    func run() throws {
        let workspace = try options.open(readOnly: true)
        let collectors = try workspace.read { try $0.collectors(today: today, includeRemoved: all) }
        let trust = CollectorTrust.forCurrentUser()
        let table = Table(
            columns: [
                .init("name", "Name"), .init("control", "Control"), .init("every", "Every"), .init("format", "Format"),
                .init("last_run", "Last run"), .init("outcome", "Outcome"), .init("next_due", "Next due"), .init("allowed", "Allowed here"),
                .init("status", "Status"), .init("command", "Command"),
            ],
            rows: collectors.map { c in
                let here = trust.status(workspacePath: workspace.path, collector: c.name, command: c.command)
                let next = c.status == "active" ? CollectorText.next(c) : nil
                return [
                    .text(c.name), .text(c.control), .text(CollectorText.every(c.every)), .text(c.format.rawValue),
                    .text(c.lastRun?.started), .text(c.lastRun?.outcome.rawValue), .text(next),
                    .text(here == .allowed ? "yes" : here.rawValue), .text(c.status), .text(c.command),
                ]
            })
        Output.print(
            table, format: output.format, tableColumns: ["name", "control", "every", "format", "last_run", "outcome", "next_due", "allowed"])
    }
}

struct CollectorShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a collector and its runs, newest first.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The collector.") var name: String
    @Option(help: "How many runs to show.") var limit = 20
    @OptionGroup var output: FormatOption

    func run() throws {
        let workspace = try options.open(readOnly: true)
        let (c, runs) = try workspace.read { r in (try r.collector(name, today: today), try r.collectorRuns(collector: name, limit: limit)) }
        let table = Table(
            columns: [
                .init("run", "Run", alignRight: true), .init("started", "Started"), .init("ended", "Ended"), .init("outcome", "Outcome"),
                .init("exit", "Exit", alignRight: true), .init("evidence", "Evidence"), .init("reason", "Reason"), .init("host", "Host"),
                .init("user", "User"), .init("stdout_sha256", "Output SHA-256"), .init("stdout_size", "Output bytes"),
                .init("stderr_sha256", "Stderr SHA-256"),
            ],
            rows: runs.map { run in
                [
                    .int(Int(run.id)), .text(run.started), .text(run.ended), .text(run.outcome.rawValue), .text(run.exitStatus.map(String.init)),
                    .text(run.evidence), .text(run.reason), .text(run.host), .text(run.user), .text(run.stdoutSHA256), .int(Int(run.stdoutSize)),
                    .text(run.stderrSHA256),
                ]
            })
        if output.format != .table { Output.print(table, format: output.format); return }
        let trust = CollectorTrust.forCurrentUser().status(workspacePath: workspace.path, collector: c.name, command: c.command)
        let lines = [
            "Collector: \(c.name)\(c.status == "removed" ? " (removed)" : "")",
            "Control:   \(c.control)",
            "Command:   \(c.command)",
            "Every:     \(CollectorText.every(c.every)); next due \(c.nextDue == nil ? "when named" : CollectorText.next(c) ?? "")",
            "Timeout:   \(CollectorSchedule.describeSeconds(c.timeoutSeconds)); format \(c.format.rawValue); accept on success: \(c.acceptOnSuccess ? "yes" : "no")",
            "Here:      \(trust.rawValue)",
            "Added:     \(c.createdAt) by \(c.createdBy)",
            "",
        ]
        for line in lines { print(Sanitize.line(line)) }
        Output.print(table, format: .table, tableColumns: ["run", "started", "outcome", "exit", "evidence", "reason"])
    }
}

struct Collect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect", abstract: "Run collectors and keep their output as evidence.",
        discussion: """
            With names, runs those collectors; with --due, only those due now (never run, or their schedule \
            elapsed since the last passed run; a failure is retried after an hour); with neither, every active one. \
            Runs never overlap: a second `collect` on the same workspace waits briefly, then gives up (exit 0 with \
            --due, so cron stays quiet). Exits 1 when a run failed or a collector was refused.

            Examples:
              assure collect password-policy
              assure collect --due                         (from cron: */10 * * * * cd /srv/grc && assure collect --due -w acme.assure)
              assure collect --due --format json           (one object per collector: outcome, run, evidence, drift, reason)
            """)
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The collectors to run (default: all active ones, or the due ones with --due).") var names: [String] = []
    @Flag(help: "Run only collectors that are due now.") var due = false
    @Option(help: ArgumentHelp("Kill a run whose output passes this size (default: $ASSURE_COLLECT_MAX_OUTPUT, else 50M).", valueName: "size"))
    var maxOutput: String?
    @OptionGroup var output: FormatOption

    func run() throws {
        var results: [[Value]] = []
        defer { if output.format != .table { Output.print(Self.table(results), format: output.format) } }
        let limit = maxOutput ?? ProcessInfo.processInfo.environment["ASSURE_COLLECT_MAX_OUTPUT"].flatMap { $0.isEmpty ? nil : $0 }
        let maxBytes = try limit.map { text in try RiskArguments.rule { try CollectorSchedule.parseSize(text) } }
        let workspace = try options.open()
        guard let lock = try CollectLock.acquire(workspacePath: workspace.path) else {
            let busy = CollectorBusy(workspace: workspace.path)
            if due { say(busy.description); return }
            throw CLIError(busy.description)
        }
        let collectors = try workspace.read { try $0.collectors(today: today) }
        var chosen: [CollectorSummary] = []
        for name in names {
            guard let found = collectors.first(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) else {
                _ = try workspace.read { try $0.collector(name, today: today) }  // names the unknown one, with suggestions
                throw CLIError("\(name) was removed; it no longer runs")
            }
            if !chosen.contains(where: { $0.id == found.id }) { chosen.append(found) }
        }
        if names.isEmpty { chosen = collectors }
        if due { chosen = chosen.filter(\.due) }
        if chosen.isEmpty { say(due ? "nothing is due" : "no collectors; add one with `assure collector add`"); return }
        var failures = 0
        for collector in chosen {
            do {
                let run = try workspace.runCollector(collector.name, actor: options.acting(), maxOutput: maxBytes, lock: lock)
                say(CollectorText.line(run, control: collector.control))
                if let drift = run.drift { say(Sanitize.line("  drift: \(drift) (see `assure drift show \(drift)`)")) }
                if run.outcome != .passed { failures += 1 }
                let exit: String? = run.exitStatus.map { String($0) }
                let drift: String? = run.drift.map { String($0) }
                let row: [Value] = [
                    .text(collector.name), .text(collector.control), .int(Int(run.id)), .text(run.outcome.rawValue),
                    .text(exit), .text(run.evidence), .text(drift), .text(run.reason),
                ]
                results.append(row)
            } catch {
                failures += 1
                // A refusal names its collector already.
                say(Sanitize.line(error is CollectorNotAllowed ? "\(error)" : "\(collector.name): \(error)"))
                let outcome = error is CollectorNotAllowed ? "refused" : "error"
                let row: [Value] = [
                    .text(collector.name), .text(collector.control), .text(nil), .text(outcome), .text(nil), .text(nil), .text(nil),
                    .text("\(error)"),
                ]
                results.append(row)
            }
        }
        withExtendedLifetime(lock) {}
        if failures > 0 { throw ExitCode(1) }
    }

    /// A line for the person reading: on standard output as a table, else on standard error,
    /// so that CSV or JSON on standard output stays whole.
    private func say(_ line: String) {
        if output.format == .table { print(line) } else { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }

    /// One row per collector asked for: how its run ended (`refused` when this machine does not
    /// allow its command, `error` when it could not start), the run, its evidence and drift.
    static func table(_ rows: [[Value]]) -> Table {
        Table(
            columns: [
                .init("collector", "Collector"), .init("control", "Control"), .init("run", "Run", alignRight: true),
                .init("outcome", "Outcome"), .init("exit", "Exit", alignRight: true), .init("evidence", "Evidence"),
                .init("drift", "Drift"), .init("reason", "Reason"),
            ],
            rows: rows)
    }
}
