import ArgumentParser
import AssureModel
import AssureStore
import Foundation
import TerminalUI

struct EvidenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence", abstract: "Keep the evidence that controls operated: files stored in the workspace, reviewed, versioned.",
        discussion: """
            Files are stored inside the workspace by SHA-256 (the same bytes once). An item records who added it \
            and when, apart from the date or period it proves (--effective or --period; default: today).

            Examples:
              assure evidence add AC-04 q1-access-review.csv --period 2026-01-01..2026-03-31 --source "Okta export"
              assure evidence add CM-02 change-1234.pdf --effective 2026-02-14
              assure evidence add GV-04 march-minutes.md --effective 2026-04-22 --for 2026-03-01..2026-03-31   (held late)
              assure evidence accept EV-3 --note "Reviewed: all 41 accounts attested" --as "Priya Raman"
              assure evidence list --stale
              assure evidence get EV-3 -o review.csv
            """,
        subcommands: [
            EvidenceAdd.self, EvidenceRevise.self, EvidenceAccept.self, EvidenceReject.self, EvidenceList.self,
            EvidenceShow.self, EvidenceGet.self, EvidenceSettingsCommand.self,
        ])
}

struct EvidenceAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add an evidence item for a control.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The control, e.g. AC-04.") var control: String
    @Argument(help: "One or more files.") var files: [String]
    @Option(help: ArgumentHelp("The period it proves, FROM..TO (inclusive).", valueName: "from..to")) var period: String?
    @Option(help: ArgumentHelp("The date it proves (default: today).", valueName: "date")) var effective: String?
    @Option(
        name: .customLong("for"),
        help: ArgumentHelp(
            "The occurrence period it answers, FROM..TO, when its date alone would say another (March's review held in April).", valueName: "from..to"
        ))
    var answers: String?
    @Option(help: "Where it came from (a system, a collector).") var source: String = ""
    @Option(help: "A note for the reviewer.") var note: String = ""

    func run() throws {
        let (from, to) = try EvidenceDates.parse(period: period, effective: effective)
        let forPeriod = try answers.map { text -> (from: String, to: String) in
            let (a, b) = try EvidenceDates.parse(period: text, effective: nil)
            return (a, b)
        }
        let ref = try options.open().write(options.acting()) {
            try $0.addEvidence(
                EvidenceDraft(control: control, files: files, provedFrom: from, provedTo: to, source: source, note: note, answers: forPeriod))
        }.value
        print(
            "\(ref): \(files.count) file\(files.count == 1 ? "" : "s") for \(control.uppercased()), proving \(from == to ? from : "\(from)..\(to)") (pending review)"
        )
    }
}

struct EvidenceRevise: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revise", abstract: "Add a new version of an item's files (the old ones stay); its review starts over.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The evidence item, e.g. EV-3.") var id: String
    @Argument(help: "The new version's files.") var files: [String]
    func run() throws {
        let version = try options.open().write(options.acting()) { try $0.reviseEvidence(id, files: files) }.value
        print("\(id.uppercased()): version \(version) (pending review)")
    }
}

struct EvidenceAccept: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "accept", abstract: "Accept an evidence item, with a note.")
    @OptionGroup var review: EvidenceReviewArguments
    func run() throws { try review.run(accept: true) }
}

struct EvidenceReject: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reject", abstract: "Reject an evidence item, with the reason.")
    @OptionGroup var review: EvidenceReviewArguments
    func run() throws { try review.run(accept: false) }
}

/// What `evidence accept` and `evidence reject` share.
struct EvidenceReviewArguments: ParsableArguments {
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The evidence item.") var id: String
    @Option(help: "What was checked, or why it does not prove the control.") var note: String
    func run(accept: Bool) throws {
        try options.open().write(options.acting()) { try $0.reviewEvidence(id, accept: accept, note: note) }
        print("\(id.uppercased()): \(accept ? "accepted" : "rejected")")
    }
}

struct EvidenceList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List evidence items (newest proved first, by control).")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "Only this control's items.") var control: String?
    @Flag(help: "Only items that have expired by their control's frequency and are still the newest for it.") var stale = false
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    func run() throws {
        var items = try options.open(readOnly: true).read { try $0.evidence(control: control, today: today) }
        if stale { items = items.filter(\.stale) }
        Output.print(
            EvidenceTable.make(items), format: format,
            tableColumns: ["id", "control", "proves", "review", "version", "files", "expires", "stale"])
    }
}

struct EvidenceShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one evidence item with every version of its files.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The evidence item.") var id: String
    func run() throws {
        let item = try options.open(readOnly: true).read { try $0.evidenceItem(id, today: today) }
        var lines = [
            "\(item.ref)  \(item.control)  \(item.title)",
            "Proves:    \(item.provedFrom == item.provedTo ? item.provedFrom : "\(item.provedFrom)..\(item.provedTo)")"
                + (item.expires.map { "  (expires \($0)\(item.stale ? ", stale" : ""))" } ?? ""),
            "Answers:   " + (item.answers.map { "\($0.from)..\($0.to)" } ?? "(by its date)"),
            "Added:     \(item.addedAt) by \(item.addedBy)" + (item.source.isEmpty ? "" : ", source: \(item.source)"),
            "Review:    \(item.review.rawValue)" + (item.reviewedBy.map { " by \($0) at \(item.reviewedAt ?? "")" } ?? "")
                + (item.reviewNote.isEmpty ? "" : ": \(item.reviewNote)"),
        ]
        if !item.note.isEmpty { lines.append("Note:      \(item.note)") }
        for file in item.files {
            lines.append("  v\(file.version)  \(file.name)  \(file.size) bytes  sha256:\(file.sha256)  \(file.addedAt) \(file.addedBy)")
        }
        for line in lines { print(Sanitize.line(line)) }
    }
}

struct EvidenceGet: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Write an item's file, bytes as added, its SHA-256 checked.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The evidence item.") var id: String
    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the file.", valueName: "file")) var output: String
    @Option(help: "Which version (default: the newest).") var version: Int?
    @Option(help: "Which file of that version, when it holds several.") var file: String?
    func run() throws {
        guard !FileManager.default.fileExists(atPath: output) else { throw CLIError("\(output) exists; choose a new file name") }
        guard FileManager.default.createFile(atPath: output, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: output)
        else { throw CLIError("\(output): cannot write the file") }
        do {
            let written = try options.open(readOnly: true).read { r in
                try r.readEvidenceFile(id, version: version, name: file) { try handle.write(contentsOf: $0) }
            }
            try handle.close()
            print(Sanitize.line("\(output): \(written.name) v\(written.version), \(written.size) bytes, sha256 \(written.sha256) checked"))
        } catch {
            // A file that failed its hash check is not left behind looking like evidence.
            try? handle.close()
            try? FileManager.default.removeItem(atPath: output)
            throw error
        }
    }
}

struct EvidenceSettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings", abstract: "Show or set the grace period and whether owners may review their own evidence.")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "Days after an occurrence's due date that evidence still counts as on time.") var grace: Int?
    @Option(help: ArgumentHelp("yes: a control's owner may not accept or reject its evidence.", valueName: "yes|no")) var independentReview: String?
    func run() throws {
        let independent: Bool?
        switch independentReview?.lowercased() {
        case nil: independent = nil
        case "yes", "on", "true": independent = true
        case "no", "off", "false": independent = false
        default: throw CLIError("--independent-review takes yes or no")
        }
        let workspace = try options.open(readOnly: grace == nil && independent == nil)
        if grace != nil || independent != nil {
            try workspace.write(options.acting()) { try $0.setEvidenceSettings(graceDays: grace, independentReview: independent) }
        }
        let settings = try workspace.read { try $0.evidenceSettings() }
        print("grace: \(settings.graceDays) days; independent review: \(settings.independentReview ? "yes" : "no")")
    }
}

enum EvidenceDates {
    /// `--period FROM..TO` or `--effective DATE`, one of them; neither means today.
    static func parse(period: String?, effective: String?) throws -> (String, String) {
        switch (period, effective) {
        case (.some, .some): throw CLIError("give --period or --effective, not both")
        case (.some(let text), nil):
            let parts = text.components(separatedBy: "..")
            guard parts.count == 2 else { throw CLIError("--period takes FROM..TO, e.g. 2026-01-01..2026-03-31") }
            return (parts[0], parts[1])
        case (nil, .some(let day)): return (day, day)
        case (nil, nil): return (today, today)
        }
    }
}

enum EvidenceTable {
    static func make(_ items: [EvidenceItem]) -> Table {
        Table(
            columns: [
                .init("id", "ID"), .init("control", "Control"), .init("title", "Title"), .init("proves", "Proves"),
                .init("proved_from", "Proved from"), .init("proved_to", "Proved to"), .init("source", "Source"),
                .init("added_at", "Added"), .init("added_by", "Added by"), .init("review", "Review"), .init("reviewed_by", "Reviewed by"),
                .init("version", "Version", alignRight: true), .init("files", "Files"), .init("sha256", "SHA-256"),
                .init("expires", "Expires"), .init("stale", "Stale"),
            ],
            rows: items.map { item in
                [
                    .text(item.ref), .text(item.control), .text(item.title),
                    .text(item.provedFrom == item.provedTo ? item.provedFrom : "\(item.provedFrom)..\(item.provedTo)"),
                    .text(item.provedFrom), .text(item.provedTo), .text(item.source), .text(item.addedAt), .text(item.addedBy),
                    .text(item.review.rawValue), .text(item.reviewedBy), .int(item.version), .list(item.currentFiles.map(\.name)),
                    .list(item.currentFiles.map(\.sha256)), .text(item.expires), .bool(item.stale),
                ]
            })
    }
}
