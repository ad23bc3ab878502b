import ArgumentParser
import AssureModel
import AssureStore
import Foundation
import TerminalUI

// MARK: - Records of processing

struct ProcessingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "processing", abstract: "Keep the records of processing (GDPR Art. 30) and export them as the register a regulator asks for.",
        discussion: """
            Each activity records its purpose, lawful basis, the categories of personal data and of data subjects \
            (comma-separated), the vendors that receive the data, any transfer to a third country with its safeguard, \
            and how long the data is kept. An activity is named by ROPA-n, its number or its name. Recipients are \
            vendors (assure vendor add), by name or VEN-n. High-risk processing needs a DPIA (assure dpia add).

            Examples:
              assure processing add "Patient scheduling" --purpose "Book and remind appointments" --basis contract \\
                  --data "name, email, phone, appointment times" --subjects patients --recipients "Cloudcore" "Mailbird" \\
                  --transfer US --mechanism scc --retention "2 years after the last appointment" --high-risk
              assure processing edit ROPA-1 --add-recipient Okta --retention "18 months"
              assure processing show ROPA-1
              assure processing --format csv
              assure processing export --format md -o ropa.md
            """,
        subcommands: [ProcessingList.self, ProcessingAdd.self, ProcessingEditCommand.self, ProcessingShow.self, ProcessingExport.self],
        defaultSubcommand: ProcessingList.self)
}

enum PrivacyArguments {
    /// A rule's refusal of an argument, shown as a command-line error.
    static func rule<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let violation as RuleViolation { throw CLIError(violation.description) }
    }

    /// `--transfer` and `--mechanism` come together or not at all.
    static func transfer(_ country: String?, _ mechanism: String?) throws -> ProcessingTransfer? {
        switch (country, mechanism) {
        case (nil, nil): return nil
        case (.some(let country), .some(let mechanism)):
            return ProcessingTransfer(country: country, mechanism: try rule { try PrivacyRules.mechanism(mechanism) })
        case (.some, nil): throw CLIError("--transfer needs --mechanism scc|adequacy|bcr: the safeguard the transfer rests on")
        case (nil, .some): throw CLIError("--mechanism goes with --transfer COUNTRY")
        }
    }

    /// A date as people type it (`2026-11-02`, `today`, `+12m`), as `YYYY-MM-DD`.
    static func day(_ text: String?, option: String) throws -> String? {
        guard let text else { return nil }
        do { return try DueDate.parse(text, today: Date()) } catch { throw CLIError("\(option): \(error)") }
    }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
}

struct ProcessingAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Record a processing activity; it gets the next ROPA number.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The activity's name, e.g. \"Patient scheduling\".") var name: String
    @Option(help: "Why the data is processed.") var purpose: String
    @Option(help: ArgumentHelp("The lawful basis: \(LawfulBasis.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "basis"))
    var basis: String
    @Option(help: ArgumentHelp("The categories of personal data, comma-separated.", valueName: "categories")) var data: String
    @Option(help: ArgumentHelp("The categories of data subjects, comma-separated.", valueName: "categories")) var subjects: String
    @Option(
        name: [.customLong("recipients"), .customLong("recipient")], parsing: .upToNextOption,
        help: ArgumentHelp("Vendors that receive the data, by name or VEN-n (several may follow).", valueName: "vendor"))
    var recipients: [String] = []
    @Option(help: ArgumentHelp("The third country the data goes to (with --mechanism).", valueName: "country")) var transfer: String?
    @Option(help: ArgumentHelp("The transfer's safeguard: scc, adequacy or bcr (with --transfer).", valueName: "mechanism")) var mechanism: String?
    @Option(help: "How long the data is kept, or the rule that decides it.") var retention: String
    @Flag(help: "The processing is likely to be high-risk to people (it then needs a DPIA).") var highRisk = false

    func run() throws {
        let transfer = try PrivacyArguments.transfer(self.transfer, mechanism)
        let draft = ProcessingDraft(
            name: name, purpose: purpose, basis: try PrivacyArguments.rule { try PrivacyRules.basis(basis) },
            dataCategories: PrivacyRules.categories(data), subjects: PrivacyRules.categories(subjects), recipients: recipients,
            retention: retention, transferCountry: transfer?.country, mechanism: transfer?.mechanism, highRisk: highRisk)
        let workspace = try options.open()
        let ref = try workspace.write(options.acting()) { try $0.addProcessing(draft) }.value
        let activity = try workspace.read { try $0.processingActivity(ref) }
        var parts = [activity.basis.rawValue, PrivacyArguments.plural(activity.recipients.count, "recipient")]
        if let country = activity.transferCountry, let mechanism = activity.mechanism {
            parts.append("transfer to \(country) under \(mechanism.rawValue)")
        }
        if activity.highRisk { parts.append("high risk: needs a DPIA") }
        print(Sanitize.line("\(ref): \(activity.name) (\(parts.joined(separator: "; ")))"))
    }
}

struct ProcessingEditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Change a processing activity.",
        discussion:
            "--recipients replaces the whole set; --add-recipient and --remove-recipient change it one at a time. --no-transfer removes a transfer.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The activity: ROPA-n, its number or its name.") var ref: String
    @Option(help: "A new name.") var name: String?
    @Option(help: "Why the data is processed.") var purpose: String?
    @Option(help: ArgumentHelp("The lawful basis.", valueName: "basis")) var basis: String?
    @Option(help: ArgumentHelp("The categories of personal data, comma-separated (replaces them).", valueName: "categories")) var data: String?
    @Option(help: ArgumentHelp("The categories of data subjects, comma-separated (replaces them).", valueName: "categories")) var subjects: String?
    @Option(help: "How long the data is kept.") var retention: String?
    @Option(
        name: .customLong("recipients"), parsing: .upToNextOption,
        help: ArgumentHelp("Replace the recipients with these vendors.", valueName: "vendor"))
    var recipients: [String] = []
    @Option(name: .customLong("add-recipient"), help: ArgumentHelp("Add a vendor as a recipient.", valueName: "vendor")) var addRecipients: [String] =
        []
    @Option(name: .customLong("remove-recipient"), help: ArgumentHelp("Remove a recipient.", valueName: "vendor")) var removeRecipients: [String] = []
    @Option(help: ArgumentHelp("The third country the data goes to (with --mechanism).", valueName: "country")) var transfer: String?
    @Option(help: ArgumentHelp("The transfer's safeguard: scc, adequacy or bcr (with --transfer).", valueName: "mechanism")) var mechanism: String?
    @Flag(help: "The data no longer leaves for a third country.") var noTransfer = false
    @Flag(inversion: .prefixedNo, help: "Mark the processing high-risk, or not.") var highRisk: Bool?

    func run() throws {
        var edit = ProcessingEdit()
        edit.name = name; edit.purpose = purpose; edit.retention = retention
        edit.basis = try basis.map { text in try PrivacyArguments.rule { try PrivacyRules.basis(text) } }
        edit.dataCategories = data.map(PrivacyRules.categories)
        edit.subjects = subjects.map(PrivacyRules.categories)
        edit.recipients = recipients.isEmpty ? nil : recipients
        edit.addRecipients = addRecipients; edit.removeRecipients = removeRecipients
        edit.transfer = try PrivacyArguments.transfer(transfer, mechanism)
        edit.removeTransfer = noTransfer
        edit.highRisk = highRisk
        guard edit != ProcessingEdit() else { throw CLIError("nothing to change; give at least one option (see assure processing edit --help)") }
        let workspace = try options.open()
        let changed = try workspace.write(options.acting()) { try $0.editProcessing(ref, edit) }.value
        let activity = try workspace.read { try $0.processingActivity(ref) }
        print(changed == 0 ? "\(activity.ref): no change" : "\(activity.ref): \(PrivacyArguments.plural(changed, "change")) recorded")
    }
}

struct ProcessingShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one processing activity in full, with its DPIAs.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The activity: ROPA-n, its number or its name.") var ref: String

    func run() throws {
        let (activity, dpias) = try options.open(readOnly: true).read { r in
            (try r.processingActivity(ref), try r.dpias(processing: ref, today: today))
        }
        var lines = [
            "\(activity.ref)  \(activity.name)",
            "Purpose:     \(activity.purpose)",
            "Basis:       \(activity.basis.rawValue)",
            "Data:        \(activity.dataCategories.joined(separator: ", "))",
            "Subjects:    \(activity.subjects.joined(separator: ", "))",
            "Recipients:  " + (activity.recipients.isEmpty ? "(none)" : activity.recipients.joined(separator: ", ")),
            "Transfer:    "
                + (activity.transferCountry.map { country in
                    "\(country) under \(activity.mechanism.map { "\($0.rawValue) (\($0.label))" } ?? "?")"
                } ?? "(none)"),
            "Retention:   \(activity.retention)",
            "High risk:   " + (activity.highRisk ? "yes" : "no"),
            "Recorded:    \(activity.createdOn)",
        ]
        if dpias.isEmpty {
            lines.append("DPIA:        " + (activity.highRisk ? "none (one is needed: assure dpia add \(activity.ref) --outcome ...)" : "none"))
        }
        for dpia in dpias.reversed() {
            lines.append(
                "DPIA:        \(dpia.ref) \(dpia.outcome.rawValue), assessed \(dpia.assessedOn) by \(dpia.assessedBy)"
                    + (dpia.nextReview.map { "; next review \($0)" } ?? "") + (dpia.reviewOverdue ? " (overdue)" : "")
                    + (dpia.current ? "" : " (superseded)"))
        }
        for line in lines { print(Sanitize.line(line)) }
    }
}

struct ProcessingList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the records of processing.")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        let activities = try options.open(readOnly: true).read { try $0.processingActivities() }
        Output.print(
            PrivacyTables.processing(activities), format: format,
            tableColumns: ["ref", "name", "basis", "recipients", "transfer", "mechanism", "high_risk", "dpia", "dpia_outcome"], maxCell: 36)
    }
}

struct ProcessingExport: ParsableCommand {
    enum RegisterFormat: String, ExpressibleByArgument, CaseIterable { case csv, md }

    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the register of processing activities (CSV or Markdown), as a supervisory authority would ask for it.",
        discussion: "The same workspace gives the same bytes. The Markdown ends with the change-log position it was read at.")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "csv (default) or md.") var format: RegisterFormat = .csv
    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var output: String?

    func run() throws {
        let (register, anchor) = try options.open(readOnly: true).read { r in (try r.processingRegister(), try r.chainAnchor()) }
        try Output.write(format == .csv ? register.csv() : register.markdown(anchor: anchor), to: output)
    }
}

// MARK: - DPIAs

struct DPIACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dpia", abstract: "Record data protection impact assessments of processing activities, linked to risks.",
        discussion: """
            The newest assessment of an activity is its current one; an older one is kept but superseded. A high-risk \
            activity with no DPIA, a current DPIA past its next review, and one whose outcome is not acceptable are \
            proposed as gaps by assure gaps derive. Dates take YYYY-MM-DD, today or +12m.

            Examples:
              assure dpia add ROPA-1 --outcome acceptable-with-measures --summary "Access limited to schedulers" --next-review +12m --risk RISK-3
              assure dpia
              assure dpia show DPIA-1
            """,
        subcommands: [DPIAList.self, DPIAAdd.self, DPIAShow.self],
        defaultSubcommand: DPIAList.self)
}

struct DPIAAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Record an impact assessment of a processing activity.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The activity: ROPA-n, its number or its name.") var processing: String
    @Option(help: ArgumentHelp("acceptable, acceptable-with-measures or not-acceptable.", valueName: "outcome")) var outcome: String
    @Option(help: "What was found and the measures decided.") var summary: String = ""
    @Option(help: ArgumentHelp("The day it was assessed (default: today).", valueName: "date")) var date: String?
    @Option(help: ArgumentHelp("When it is to be reviewed, e.g. 2027-11-20 or +12m.", valueName: "date")) var nextReview: String?
    @Option(name: .customLong("risk"), help: ArgumentHelp("A risk it assessed, RISK-n; repeat or separate with commas.", valueName: "risk"))
    var risks: [String] = []

    func run() throws {
        let draft = DPIADraft(
            processing: processing, outcome: try PrivacyArguments.rule { try PrivacyRules.outcome(outcome) }, summary: summary,
            assessedOn: try PrivacyArguments.day(date, option: "--date"), nextReview: try PrivacyArguments.day(nextReview, option: "--next-review"),
            risks: RiskArguments.split(risks))
        let workspace = try options.open()
        let ref = try workspace.write(options.acting()) { try $0.addDPIA(draft) }.value
        let dpia = try workspace.read { try $0.dpia(ref, today: today) }
        print(
            Sanitize.line(
                "\(ref): \(dpia.processing) \(dpia.processingName) assessed \(dpia.assessedOn): \(dpia.outcome.rawValue)"
                    + "; next review \(dpia.nextReview ?? "not set")" + (dpia.risks.isEmpty ? "" : "; risks \(dpia.risks.joined(separator: ", "))")))
    }
}

struct DPIAList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the DPIAs.")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        let dpias = try options.open(readOnly: true).read { try $0.dpias(today: today) }
        Output.print(
            PrivacyTables.dpias(dpias), format: format,
            tableColumns: ["ref", "processing", "activity", "outcome", "assessed_on", "next_review", "review_overdue", "current", "risks"],
            maxCell: 36)
    }
}

struct DPIAShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one DPIA in full.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The DPIA, e.g. DPIA-1 or 1.") var ref: String

    func run() throws {
        let dpia = try options.open(readOnly: true).read { try $0.dpia(ref, today: today) }
        let lines = [
            "\(dpia.ref)  \(dpia.processing) \(dpia.processingName)" + (dpia.current ? "" : "  (superseded by a later assessment)"),
            "Outcome:     \(dpia.outcome.rawValue)",
            "Assessed:    \(dpia.assessedOn) by \(dpia.assessedBy)",
            "Next review: \(dpia.nextReview ?? "not set")" + (dpia.reviewOverdue ? " (overdue)" : ""),
            "Risks:       " + (dpia.risks.isEmpty ? "(none)" : dpia.risks.joined(separator: ", ")),
        ]
        for line in lines { print(Sanitize.line(line)) }
        if !dpia.summary.isEmpty {
            print("Summary:")
            for line in dpia.summary.components(separatedBy: .newlines) { print("  " + Sanitize.line(line)) }
        }
    }
}

// MARK: - Data subject requests

struct DSRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dsr", abstract: "Track data subject requests against their legal due dates.",
        discussion: """
            A request is due one calendar month after it was received (GDPR Art. 12(3)); a month end clamps, so one \
            received on 31 January is due on 28 or 29 February. It may be extended once, by one or two further months \
            counted from that due date, with a reason, as long as the due date has not passed. \
            No personal data is stored: --subject-ref takes an opaque reference such as your helpdesk's ticket id, and \
            text that looks like an email address or a phone number is refused. A request is named by DSR-n or its number.

            Examples:
              assure dsr open --kind access --received 2026-11-02 --subject-ref ZD-48213
              assure dsr extend DSR-1 --months 2 --reason "Records span three systems being migrated"
              assure dsr close DSR-1 --status completed --note "Export sent through the portal" --evidence reply.pdf
              assure dsr --open
              assure dsr --overdue --format json
            """,
        subcommands: [DSRList.self, DSROpen.self, DSRExtend.self, DSRClose.self, DSRShow.self, DSREvidence.self],
        defaultSubcommand: DSRList.self)
}

struct DSROpen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open", abstract: "Record a request received; its due date is one calendar month later.")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: ArgumentHelp(DSRKind.allCases.map(\.rawValue).joined(separator: ", ") + ".", valueName: "kind")) var kind: String
    @Option(help: ArgumentHelp("The day it was received (YYYY-MM-DD or today).", valueName: "date")) var received: String
    @Option(help: ArgumentHelp("An opaque reference such as a ticket id; never a name, email address or phone number.", valueName: "ref"))
    var subjectRef: String = ""

    func run() throws {
        let draft = DSRDraft(
            kind: try PrivacyArguments.rule { try PrivacyRules.kind(kind) },
            receivedOn: try PrivacyArguments.day(received, option: "--received") ?? received, subjectRef: subjectRef)
        try PrivacyArguments.rule { try PrivacyRules.checkSubjectRef(subjectRef) }
        let workspace = try options.open()
        let ref = try workspace.write(options.acting()) { try $0.openDSR(draft) }.value
        let dsr = try workspace.read { try $0.dsr(ref, today: today) }
        print("\(ref): \(dsr.kind.rawValue) request received \(dsr.receivedOn), due \(dsr.due) (\(DSRWording.when(dsr)))")
    }
}

struct DSRExtend: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extend", abstract: "Extend a request once, by 1 or 2 months beyond its due date, with the reason (before the due date passes).")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The request, e.g. DSR-1 or 1.") var ref: String
    @Option(help: ArgumentHelp("1 or 2.", valueName: "n")) var months: Int
    @Option(help: "Why more time is needed (the requester must be told).") var reason: String

    func run() throws {
        let workspace = try options.open()
        let due = try workspace.write(options.acting()) { try $0.extendDSR(ref, months: months, reason: reason) }.value
        let dsr = try workspace.read { try $0.dsr(ref, today: today) }
        print("\(dsr.ref): extended by \(PrivacyArguments.plural(months, "month")) to \(due) (was due \(dsr.dueOn))")
    }
}

struct DSRClose: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close", abstract: "Close a request as completed or refused, with a note and optionally the reply as evidence.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The request, e.g. DSR-1 or 1.") var ref: String
    @Option(help: ArgumentHelp("completed or refused.", valueName: "status")) var status: String
    @Option(help: "What was done, or why it was refused.") var note: String
    @Option(help: ArgumentHelp("The day it was answered (default: today).", valueName: "date")) var date: String?
    @Option(help: ArgumentHelp("A file kept as evidence (the reply sent); stored in the workspace.", valueName: "file")) var evidence: String?

    func run() throws {
        let closing = DSRClosing(
            status: try PrivacyArguments.rule { try PrivacyRules.closingStatus(status) }, note: note,
            closedOn: try PrivacyArguments.day(date, option: "--date"), evidence: evidence)
        let workspace = try options.open()
        try workspace.write(options.acting()) { try $0.closeDSR(ref, closing) }
        let dsr = try workspace.read { try $0.dsr(ref, today: today) }
        print(
            Sanitize.line(
                "\(dsr.ref): \(dsr.status.rawValue) on \(dsr.closedOn ?? "?") (\(DSRWording.when(dsr)))"
                    + (dsr.fileName.map { "; evidence \($0)" } ?? "")))
    }
}

struct DSRList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List requests with their due dates and days left.")
    @OptionGroup var options: WorkspaceOptions
    @Flag(help: "Only open requests past their due date.") var overdue = false
    @Flag(name: .customLong("open"), help: "Only open requests.") var openOnly = false
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        var dsrs = try options.open(readOnly: true).read { try $0.dsrs(today: today) }
        if overdue { dsrs = dsrs.filter(\.overdue) }
        if openOnly { dsrs = dsrs.filter { $0.status == .open } }
        Output.print(
            PrivacyTables.dsrs(dsrs), format: format,
            tableColumns: ["ref", "kind", "received", "due", "when", "status", "subject_ref"], maxCell: 36)
    }
}

struct DSRShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one request in full.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The request, e.g. DSR-1 or 1.") var ref: String

    func run() throws {
        let dsr = try options.open(readOnly: true).read { try $0.dsr(ref, today: today) }
        var lines = [
            "\(dsr.ref)  \(dsr.kind.rawValue) request",
            "Reference:   " + (dsr.subjectRef.isEmpty ? "(none)" : dsr.subjectRef),
            "Received:    \(dsr.receivedOn) (opened by \(dsr.openedBy))",
            "Due:         \(dsr.dueOn)" + (dsr.extendedTo.map { "; extended to \($0): \(dsr.extensionReason)" } ?? ""),
            "Status:      \(dsr.status.rawValue) (\(DSRWording.when(dsr)))",
        ]
        if let closed = dsr.closedOn { lines.append("Closed:      \(closed): \(dsr.closingNote)") }
        if let file = dsr.fileName { lines.append("Evidence:    \(file)  sha256:\(dsr.sha256 ?? "")") }
        for line in lines { print(Sanitize.line(line)) }
    }
}

struct DSREvidence: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evidence", abstract: "Write a closed request's evidence file, its SHA-256 checked.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The request.") var ref: String
    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the file.", valueName: "file")) var output: String

    func run() throws {
        guard !FileManager.default.fileExists(atPath: output) else { throw CLIError("\(output) exists; choose a new file name") }
        guard FileManager.default.createFile(atPath: output, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: output)
        else { throw CLIError("\(output): cannot write the file") }
        do {
            let name = try options.open(readOnly: true).read { r in try r.readDSREvidence(ref) { try handle.write(contentsOf: $0) } }
            try handle.close()
            print(Sanitize.line("\(output): \(name), sha256 checked"))
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: output)
            throw error
        }
    }
}

enum DSRWording {
    /// "12 days left", "due today", "3 days overdue", "on time", "5 days late".
    static func when(_ dsr: DSRSummary) -> String {
        if let left = dsr.daysLeft {
            if left > 0 { return "\(PrivacyArguments.plural(left, "day")) left" }
            return left == 0 ? "due today" : "\(PrivacyArguments.plural(-left, "day")) overdue"
        }
        guard dsr.answeredLate, let closed = dsr.closedOn, let late = PrivacyRules.days(from: dsr.due, to: closed) else { return "on time" }
        return "\(PrivacyArguments.plural(late, "day")) late"
    }
}

// MARK: - Tables

enum PrivacyTables {
    static func processing(_ activities: [ProcessingSummary]) -> Table {
        Table(
            columns: [
                .init("ref", "Ref"), .init("name", "Activity"), .init("purpose", "Purpose"), .init("basis", "Basis"), .init("data", "Data"),
                .init("subjects", "Subjects"), .init("recipients", "Recipients"), .init("transfer", "Transfer"), .init("mechanism", "Safeguard"),
                .init("retention", "Retention"), .init("high_risk", "High risk"), .init("dpia", "DPIA"), .init("dpia_outcome", "DPIA outcome"),
                .init("created_on", "Recorded"),
            ],
            rows: activities.map { a in
                [
                    .text(a.ref), .text(a.name), .text(a.purpose), .text(a.basis.rawValue), .list(a.dataCategories), .list(a.subjects),
                    .list(a.recipients), .text(a.transferCountry), .text(a.mechanism?.rawValue), .text(a.retention), .bool(a.highRisk),
                    .text(a.dpia?.ref), .text(a.dpia?.outcome.rawValue), .text(a.createdOn),
                ]
            })
    }

    static func dpias(_ dpias: [DPIASummary]) -> Table {
        Table(
            columns: [
                .init("ref", "DPIA"), .init("processing", "Processing"), .init("activity", "Activity"), .init("outcome", "Outcome"),
                .init("assessed_on", "Assessed"), .init("assessed_by", "By"), .init("next_review", "Next review"),
                .init("review_overdue", "Overdue"), .init("current", "Current"), .init("risks", "Risks"), .init("summary", "Summary"),
            ],
            rows: dpias.map { d in
                [
                    .text(d.ref), .text(d.processing), .text(d.processingName), .text(d.outcome.rawValue), .text(d.assessedOn), .text(d.assessedBy),
                    .text(d.nextReview), .bool(d.reviewOverdue), .bool(d.current), .list(d.risks), .text(d.summary.isEmpty ? nil : d.summary),
                ]
            })
    }

    static func dsrs(_ dsrs: [DSRSummary]) -> Table {
        Table(
            columns: [
                .init("ref", "DSR"), .init("kind", "Kind"), .init("received", "Received"), .init("due", "Due"), .init("original_due", "Original due"),
                .init("extension_reason", "Extension reason"), .init("days_left", "Days left", alignRight: true), .init("when", "When"),
                .init("overdue", "Overdue"), .init("status", "Status"), .init("closed_on", "Closed"), .init("subject_ref", "Reference"),
            ],
            rows: dsrs.map { d in
                [
                    .text(d.ref), .text(d.kind.rawValue), .text(d.receivedOn), .text(d.due), .text(d.dueOn),
                    .text(d.extensionReason.isEmpty ? nil : d.extensionReason), d.daysLeft.map(Value.int) ?? .text(nil), .text(DSRWording.when(d)),
                    .bool(d.overdue), .text(d.status.rawValue), .text(d.closedOn), .text(d.subjectRef.isEmpty ? nil : d.subjectRef),
                ]
            })
    }
}
