import ArgumentParser
import AssureModel
import AssureStore
import Foundation
import TerminalUI

/// `assure policies`: every policy with where it stands today.
struct Policies: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policies",
        abstract: "List the policies: status, live version, next review and acknowledgement coverage.",
        discussion: """
            Status: draft (never approved), approved, changed (the draft differs from the live version) or \
            review overdue (the live version's approval date plus its cadence has passed). Acks counts the \
            people active today who acknowledged the live version.

            Examples:
              assure policies
              assure policies --format json
            """)
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    func run() throws {
        let list = try options.open(readOnly: true).read { try $0.policies(today: today) }
        Output.print(
            PolicyTable.make(list), format: format,
            tableColumns: ["ref", "title", "owner", "approver", "cadence", "status", "live_version", "live_approved_on", "next_review", "acks"])
    }
}

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Keep the policies: drafts, approved versions, reviews and acknowledgements.",
        discussion: """
            A policy is named by its title (any case; a unique prefix will do) or its reference (POL-IS). \
            Its draft is a Markdown template with YAML front matter mapping each section to the requirements \
            it satisfies; approving freezes the draft as a numbered version with its SHA-256, which never changes.

            Examples:
              assure policy set "information security" --owner "Dana Kim" --approver "Priya Raman"
              assure policy edit POL-IS                       (opens $VISUAL or $EDITOR)
              assure policy approve POL-IS --date 2026-03-02
              assure policy at POL-IS 2026-06-30
              assure policy ack POL-IS --person "Omar Haddad"
              assure policy acks POL-IS --missing
              assure policy render POL-IS --format html -o information-security.html
            """,
        subcommands: [
            PolicyShow.self, PolicySet.self, PolicyEdit.self, PolicyAdd.self, PolicyInstall.self, PolicyApprove.self,
            PolicyAt.self, PolicyRender.self, PolicyAck.self, PolicyAcks.self,
        ])
}

struct PolicyShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a policy: owner, sections with their requirements and evidence, versions.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The policy: its title (or a unique prefix) or its reference.") var name: String
    func run() throws {
        let detail = try options.open(readOnly: true).read { try $0.policy(name, today: today) }
        for line in PolicyText.detail(detail) { print(Sanitize.line(line)) }
    }
}

struct PolicySet: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Set a policy's owner, approver or review cadence.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The policy.") var name: String
    @Option(help: "Who owns it (a current owner).") var owner: String?
    @Option(help: "Who approves its versions (a current owner).") var approver: String?
    @Option(help: "annual or semi-annual.") var cadence: String?
    func run() throws {
        guard owner != nil || approver != nil || cadence != nil else { throw CLIError("give --owner, --approver or --cadence") }
        let chosen = try cadence.map { text -> ReviewCadence in
            guard let value = ReviewCadence(text: text), value == .annual || value == .semiAnnual else {
                throw CLIError("--cadence takes annual or semi-annual")
            }
            return value
        }
        let workspace = try options.open()
        try workspace.write(options.acting()) { try $0.setPolicy(name, owner: owner, approver: approver, cadence: chosen) }
        let summary = try workspace.read { r in try r.policies(today: today).first { $0.ref == (try r.policyDraft(name).ref) } }
        if let summary {
            print(
                Sanitize.line(
                    "\(summary.ref): owner \(summary.owner ?? "none"), approver \(summary.approver ?? "none"), \(summary.cadence.rawValue) review"))
        }
    }
}

struct PolicyEdit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Edit a policy's draft in $VISUAL or $EDITOR (or replace it from a file).",
        discussion: """
            The draft is written to a temporary file and your editor opened on it; when the editor exits the text is \
            checked (front matter, headings, placeholders, every requirement) and stored. Invalid text is not stored: \
            the error names the line and the temporary file is kept so nothing you typed is lost.
            """)
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The policy.") var name: String
    @Option(help: ArgumentHelp("Replace the draft with this file's text, without an editor.", valueName: "file")) var file: String?

    func run() throws {
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CLIError("\(file): cannot read the file as UTF-8 text") }
            try store(text, source: file, keep: nil)
            return
        }
        let (ref, draft, baseline) = try options.open(readOnly: true).read { r in
            let draft = try r.policyDraft(name)
            return (draft.ref, draft.text, try r.changeCounter())
        }
        let temporary = try PolicyEditor.temporaryFile(ref: ref, text: draft)
        let status = try PolicyEditor.run(on: temporary)
        guard status == 0 else {
            throw CLIError("the editor exited with status \(status); the draft of \(ref) is unchanged (your text is in \(temporary))")
        }
        guard let edited = try? String(contentsOfFile: temporary, encoding: .utf8) else {
            throw CLIError("\(temporary): cannot read the edited text as UTF-8; the draft of \(ref) is unchanged")
        }
        try store(edited, source: temporary, keep: temporary, baseline: baseline)
    }

    /// Stores the text; on a refusal says where the edited text was kept.
    private func store(_ text: String, source: String, keep: String?, baseline: Int64? = nil) throws {
        let workspace = try options.open()
        let changed: Bool
        do {
            changed = try workspace.write(options.acting(baseline: baseline)) { try $0.replacePolicyDraft(name, text: text, source: source) }.value
        } catch {
            if let keep { throw CLIError("\(error)\nNothing was written; your edited text is kept in \(keep)") }
            throw error
        }
        if let keep { try? FileManager.default.removeItem(atPath: keep) }
        let summary = try workspace.read { r -> PolicySummary? in
            let ref = try r.policyDraft(name).ref
            return try r.policies(today: today).first { $0.ref == ref }
        }
        guard let summary else { return }
        print(
            Sanitize.line(
                changed
                    ? "\(summary.ref): draft updated; status \(summary.status.rawValue)"
                    : "\(summary.ref): no changes; nothing was written"))
    }
}

struct PolicyAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add the company's own policy from a Markdown file with front matter (its ref must be new).")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: ArgumentHelp("The policy file (.md), in the format of the built-in policies.", valueName: "file")) var from: String
    @Option(help: "Who owns it (a current owner).") var owner: String?
    @Option(help: "Who approves its versions (a current owner).") var approver: String?
    func run() throws {
        guard let text = try? String(contentsOfFile: from, encoding: .utf8) else { throw CLIError("\(from): cannot read the file as UTF-8 text") }
        let ref = try options.open().write(options.acting()) { try $0.addPolicy(text: text, source: from, owner: owner, approver: approver) }.value
        print("\(ref): added as a draft; approve it with `assure policy approve \(ref)`")
    }
}

struct PolicyInstall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install", abstract: "Add any of the six built-in policies the workspace lacks (for workspaces made before them).")
    @OptionGroup var options: WorkspaceOptions
    func run() throws {
        let added = try options.open().write(options.acting()) { try $0.installBuiltInPolicies() }.value
        print(added.isEmpty ? "all six built-in policies are already in the workspace" : "added \(added.joined(separator: ", ")) as drafts")
    }
}

struct PolicyApprove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Freeze the draft as the next version, approved by the policy's approver.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The policy.") var name: String
    @Option(help: ArgumentHelp("The day it was approved (default: today; not in the future, not before the previous version).", valueName: "date"))
    var date: String?
    func run() throws {
        let (version, ref) = try options.open().write(options.acting()) { w in
            (try w.approvePolicy(name, on: date), try w.reader.policyDraft(name).ref)
        }.value
        print(
            Sanitize.line("\(ref): version \(version.version) approved on \(version.approvedOn) by \(version.approvedBy), sha256 \(version.sha256)"))
    }
}

struct PolicyAt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "at", abstract: "Say which version of a policy was live on a date (exit status 1 before its first approval).")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The policy.") var name: String
    @Argument(help: "The date (YYYY-MM-DD).") var date: String
    func run() throws {
        let answer = try options.open(readOnly: true).read { try $0.policyVersion(name, on: date) }
        guard let live = answer.live else {
            let why = answer.firstApproved.map { "version 1 was approved on \($0)" } ?? "it has never been approved"
            FileHandle.standardError.write(Data((Sanitize.line("\(answer.ref) had no approved version on \(date): \(why)") + "\n").utf8))
            throw ExitCode(1)
        }
        print(
            Sanitize.line("\(answer.ref) \(answer.title) on \(date): version \(live.version), approved on \(live.approvedOn) by \(live.approvedBy)"))
        print("sha256 \(live.sha256)")
    }
}

extension PolicyFormat: ExpressibleByArgument {}

struct PolicyRender: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: "Render a policy's draft (or a version) with the company and system names, as Markdown or HTML.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The policy.") var name: String
    @Option(help: "md or html (a standalone page).") var format: PolicyFormat = .md
    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var output: String?
    @Option(help: "An approved version instead of the draft.") var version: Int?
    func run() throws {
        let text = try options.open(readOnly: true).read { try $0.renderPolicy(name, format: format, version: version) }
        guard let output else { print(text, terminator: ""); return }
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: output)) } catch {
            throw CLIError("\(output): cannot write the file (\(error.localizedDescription))")
        }
        print("\(output): \(text.utf8.count) bytes")
    }
}

struct PolicyAck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack", abstract: "Record that someone acknowledged a policy (the version live on the date, or --version).")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The policy.") var name: String
    @Option(help: "Who acknowledged it (a person or owner).") var person: String
    @Option(help: ArgumentHelp("The day they acknowledged it (default: today).", valueName: "date")) var date: String?
    @Option(help: "The version acknowledged (default: the one live on the date).") var version: Int?
    func run() throws {
        let ack = try options.open().write(options.acting()) { try $0.acknowledgePolicy(name, person: person, on: date, version: version) }.value
        print(Sanitize.line("\(ack.ref): \(ack.person) acknowledged version \(ack.version) on \(ack.ackedOn)"))
    }
}

struct PolicyAcks: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acks", abstract: "Who acknowledged the live version and when, and who among people active today has not.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The policy.") var name: String
    @Flag(help: "Only the people active today who have not acknowledged the live version.") var missing = false
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    func run() throws {
        let report = try options.open(readOnly: true).read { try $0.policyAcks(name, today: today) }
        let table = PolicyTable.acks(report, missingOnly: missing)
        guard format == .table else { Output.print(table, format: format); return }
        guard let live = report.live else {
            print(Sanitize.line("\(report.ref) has never been approved; there is nothing to acknowledge yet"))
            return
        }
        if !missing {
            print(
                Sanitize.line(
                    "\(report.ref) version \(live.version) (approved \(live.approvedOn)): \(report.coverage.fraction) of the people active today acknowledged it"
                ))
            let acked = PolicyTable.acks(report, missingOnly: false, acknowledgedOnly: true)
            Output.print(acked, format: .table, tableColumns: ["person", "acked_on", "active", "recorded_by"])
            print("")
            print("Not yet acknowledged:")
        }
        if report.coverage.missing.isEmpty { print("(none)") } else { for person in report.coverage.missing { print(Sanitize.line("  \(person)")) } }
    }
}

enum PolicyTable {
    static func make(_ list: [PolicySummary]) -> Table {
        Table(
            columns: [
                .init("ref", "Ref"), .init("title", "Title"), .init("owner", "Owner"), .init("approver", "Approver"),
                .init("cadence", "Cadence"), .init("status", "Status"), .init("live_version", "Live", alignRight: true),
                .init("live_approved_on", "Approved"), .init("next_review", "Next review"), .init("acks", "Acks"),
                .init("acknowledged", "Acknowledged", alignRight: true), .init("people", "People", alignRight: true), .init("source", "Source"),
            ],
            rows: list.map { p in
                [
                    .text(p.ref), .text(p.title), .text(p.owner), .text(p.approver), .text(p.cadence.rawValue), .text(p.status.rawValue),
                    p.liveVersion.map { .int($0) } ?? .text(nil), .text(p.liveApprovedOn), .text(p.nextReview), .text(p.coverage?.fraction),
                    p.coverage.map { .int($0.acknowledged.count) } ?? .text(nil), p.coverage.map { .int($0.total) } ?? .text(nil), .text(p.source),
                ]
            })
    }

    /// One row per acknowledgement of the live version, then one per person active today who
    /// has not given one (`acknowledged` false, no date).
    static func acks(_ report: PolicyAckReport, missingOnly: Bool, acknowledgedOnly: Bool = false) -> Table {
        var rows: [[Value]] = []
        let version: Value = report.live.map { .int($0.version) } ?? .text(nil)
        if !missingOnly {
            for ack in report.acks {
                rows.append([
                    .text(ack.person), .bool(true), version, .text(ack.ackedOn), .bool(report.activeToday.contains(ack.person.lowercased())),
                    .text(ack.recordedBy),
                ])
            }
        }
        if !acknowledgedOnly && report.live != nil {
            for person in report.coverage.missing { rows.append([.text(person), .bool(false), version, .text(nil), .bool(true), .text(nil)]) }
        }
        return Table(
            columns: [
                .init("person", "Person"), .init("acknowledged", "Acknowledged"), .init("version", "Version", alignRight: true),
                .init("acked_on", "Acknowledged on"), .init("active", "Active today"), .init("recorded_by", "Recorded by"),
            ], rows: rows)
    }
}

enum PolicyText {
    static func detail(_ detail: PolicyDetail) -> [String] {
        let s = detail.summary
        var status = s.status.rawValue
        if let version = s.liveVersion, let on = s.liveApprovedOn {
            status += " (version \(version), approved \(on)" + (s.nextReview.map { "; next review \($0)" } ?? "") + ")"
        }
        let latest = detail.versions.last
        let draftNote =
            latest.map { $0.sha256 == detail.draftSHA256 ? " (same as version \($0.version))" : " (differs from version \($0.version))" }
            ?? " (never approved)"
        var lines = [
            "\(s.ref)  \(s.title)",
            "Owner:     \(s.owner ?? "none")",
            "Approver:  \(s.approver ?? "none")",
            "Cadence:   \(s.cadence.rawValue)",
            "Status:    \(status)",
            "Acks:      "
                + (s.coverage.map { "\($0.fraction) of the people active today acknowledged the live version" } ?? "none (no approved version)"),
            "Source:    \(s.source)",
            "Draft:     sha256 \(detail.draftSHA256)\(draftNote)",
            "",
            "Sections",
        ]
        for section in detail.draft.sections {
            lines.append("  \(section.title)")
            lines.append("    Requirements: " + (section.requirements.isEmpty ? "(none)" : section.requirements.joined(separator: ", ")))
            lines.append("    Evidence:     " + (section.evidence.isEmpty ? "(none)" : section.evidence.joined(separator: "; ")))
        }
        lines.append("")
        lines.append("Versions")
        if detail.versions.isEmpty { lines.append("  (none: the draft has never been approved)") }
        for v in detail.versions {
            lines.append(
                "  v\(v.version)  \(v.approvedOn)  approved by \(v.approvedBy)  recorded by \(v.recordedBy) at \(v.recordedAt)  sha256 \(v.sha256)")
        }
        return lines
    }
}

/// The temporary file and editor process of `assure policy edit`.
enum PolicyEditor {
    static func temporaryFile(ref: String, text: String) throws -> String {
        let folder = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? NSTemporaryDirectory()
        let safeRef = String(ref.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
        let path = URL(fileURLWithPath: folder).appendingPathComponent("assure-\(safeRef)-\(UUID().uuidString.prefix(8)).md").path
        // Private: a draft policy is not for other users of the machine.
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CLIError("\(path): cannot create the temporary file for the editor")
        }
        return path
    }

    /// Runs `$VISUAL`, else `$EDITOR`, else `vi` on the file through the shell (so an editor
    /// given with arguments, `code --wait`, works) and returns its exit status.
    static func run(on path: String) throws -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        let editor =
            [environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "vi"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$1\"", "assure-editor", path]
        do { try process.run() } catch { throw CLIError("cannot start the editor '\(editor)': \(error.localizedDescription)") }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
