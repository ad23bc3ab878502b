import ArgumentParser
import AssureModel
import AssureStore
import Foundation
import TerminalUI

struct VendorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vendor",
        abstract: "Keep the vendors our controls rest on: their SOC 2 reports, the CUECs they expect of us, agreements, reviews.",
        discussion: """
            A vendor is named by VEN-n or by its name (any case, or a prefix only one vendor's name has). \
            Vendors are reviewed by criticality, in calendar months: \(VendorCriticality.cadenceLegend), \
            from the last review (or the day the vendor was added). A Type 2 report covers the days of its period, \
            a bridge letter the days from the end of that period through its date; a Type 1 report covers no period. \
            `assure vendors` says how many days of the SOC 2 audit window (assure target) none of them cover.

            Examples:
              assure vendor add "Nimbus Cloud" --criticality critical --data phi --service "Hosting" --subprocessor --owner "Dana Kim"
              assure vendor report Nimbus --type 2 --period 2025-04-01..2026-03-31 --opinion unqualified --bridge-until 2026-05-31 --file nimbus-soc2.pdf
              assure vendor report Nimbus --type 1 --as-of 2026-02-01 --opinion qualified --exceptions 1
              assure vendor report-review Nimbus --report 2 --note "Exception on badge access; no effect on our tenancy"
              assure vendor cuec Nimbus "Customers review who holds admin roles in their tenant" --control AC-04
              assure vendor agreement Nimbus --kind baa --signed 2026-01-05 --expires 2028-01-04 --file nimbus-baa.pdf
              assure vendor review Nimbus
              assure vendors --due
            """,
        subcommands: [
            VendorAdd.self, VendorEditCommand.self, VendorReviewCommand.self, VendorShow.self, VendorReportCommand.self,
            VendorReportReview.self, VendorCUECAdd.self, VendorCUECMap.self, VendorCUECList.self, VendorAgreementCommand.self,
        ])
}

/// The options `vendor add` and `vendor edit` share.
struct VendorFieldOptions: ParsableArguments {
    @Option(help: ArgumentHelp("low, medium (default for a new vendor), high or critical.", valueName: "level")) var criticality: String?
    @Option(help: ArgumentHelp("The most sensitive data it holds: none (default), internal, confidential, personal or phi.", valueName: "class"))
    var data: String?
    @Option(help: "What it does for us, in a line.") var service: String?
    @Option(help: "Who owns the relationship (an owner's name, handle or unique prefix).") var owner: String?

    func criticalityValue() throws -> VendorCriticality? {
        try criticality.map { text in try VendorArguments.rule { try VendorRules.criticality(text) } }
    }
    func dataValue() throws -> VendorData? { try data.map { text in try VendorArguments.rule { try VendorRules.data(text) } } }
}

enum VendorArguments {
    /// A rule's refusal of an argument, shown as a command-line error.
    static func rule<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let violation as RuleViolation { throw CLIError(violation.description) }
    }

    static func report(_ report: VendorReport) -> String {
        var text = "\(report.type.label) \(report.periodText), \(report.findingsText)"
        if !report.carveOuts.isEmpty { text += "; carve-outs: \(report.carveOuts.joined(separator: "; "))" }
        if let bridge = report.bridgeUntil { text += "; bridge letter to \(bridge)" }
        return text
    }
}

struct VendorAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a vendor.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The vendor's name.") var name: String
    @OptionGroup var fields: VendorFieldOptions
    @Flag(help: "It processes personal data on our behalf (a subprocessor we disclose).") var subprocessor = false

    func run() throws {
        let draft = VendorDraft(
            name: name, criticality: try fields.criticalityValue() ?? .medium, data: try fields.dataValue() ?? .none,
            service: fields.service ?? "", subprocessor: subprocessor, owner: fields.owner)
        let workspace = try options.open()
        let ref = try workspace.write(options.acting()) { try $0.addVendor(draft) }.value
        let vendor = try workspace.read { try $0.vendor(ref, today: today) }
        print(
            Sanitize.line(
                "\(ref): \(vendor.name) (\(vendor.criticality.rawValue), data \(vendor.data.rawValue)); next review \(vendor.nextReview ?? "not set")"
            ))
    }
}

struct VendorEditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Change a vendor's name, criticality, data, service, owner or subprocessor flag.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The vendor.") var vendor: String
    @Option(help: "A new name.") var name: String?
    @OptionGroup var fields: VendorFieldOptions
    @Flag(help: "It is a subprocessor.") var subprocessor = false
    @Flag(help: "It is not a subprocessor.") var noSubprocessor = false

    func run() throws {
        if subprocessor && noSubprocessor { throw CLIError("give --subprocessor or --no-subprocessor, not both") }
        var edit = VendorEdit()
        edit.name = name; edit.criticality = try fields.criticalityValue(); edit.data = try fields.dataValue()
        edit.service = fields.service; edit.owner = fields.owner
        edit.subprocessor = subprocessor ? true : (noSubprocessor ? false : nil)
        guard edit != VendorEdit() else { throw CLIError("nothing to change; give at least one option (see assure vendor edit --help)") }
        let workspace = try options.open()
        let changed = try workspace.write(options.acting()) { try $0.editVendor(vendor, edit) }.value
        let summary = try workspace.read { try $0.vendor(name ?? vendor, today: today) }
        print(changed == 0 ? "\(summary.ref): no change" : "\(summary.ref): \(changed) change\(changed == 1 ? "" : "s") recorded")
    }
}

struct VendorReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "Record that a vendor was reviewed; the next review falls due a cadence (by criticality) later.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The vendor.") var vendor: String
    @Option(help: ArgumentHelp("The day of the review (default: today).", valueName: "date")) var date: String?

    func run() throws {
        let workspace = try options.open()
        let result = try workspace.write(options.acting()) { try $0.reviewVendor(vendor, on: date) }.value
        let summary = try workspace.read { try $0.vendor(vendor, today: today) }
        print(
            "\(summary.ref): reviewed on \(result.reviewedOn); next review \(result.nextReview ?? "not set") (\(summary.criticality.rawValue): every \(summary.criticality.reviewMonths) months)"
        )
    }
}

struct VendorShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one vendor in full: reports, coverage, CUECs, agreements, findings.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The vendor.") var vendor: String

    func run() throws {
        let v = try options.open(readOnly: true).read { try $0.vendor(vendor, today: today) }
        var lines = [
            "\(v.ref)  \(v.name)" + (v.isActive ? "" : "  (\(v.status))"),
            "Service:       " + (v.service.isEmpty ? "(not set)" : v.service),
            "Criticality:   \(v.criticality.rawValue) (reviewed every \(v.criticality.reviewMonths) months)",
            "Data:          \(v.data.rawValue)",
            "Subprocessor:  \(v.subprocessor ? "yes" : "no")",
            "Owner:         \(v.owner ?? "(unassigned)")",
            "Review:        " + (v.reviewedOn.map { "last \($0)" } ?? "never reviewed (added \(v.createdOn))") + "; next \(v.nextReview ?? "not set")"
                + (v.overdue ? " (overdue)" : ""),
            "Coverage:      \(v.coverageText)",
        ]
        if let window = v.coverage.window { lines.append("Audit window:  \(window.from)..\(window.to) (\(window.days) days)") }
        lines.append("Reports:" + (v.reports.isEmpty ? "       (none)" : ""))
        for report in v.reports {
            var line = "  \(report.number). \(VendorArguments.report(report))"
            if let file = report.fileName { line += "; file \(file) (sha256 \(report.sha256?.prefix(12) ?? ""))" }
            lines.append(line)
            if let on = report.reviewedOn {
                lines.append("     reviewed by \(report.reviewedBy ?? "?") on \(on): \(report.reviewNote)")
            } else if report.needsReview {
                lines.append("     not reviewed (assure vendor report-review \(v.ref) --report \(report.number) --note TEXT)")
            }
        }
        lines.append("CUECs:" + (v.cuecs.isEmpty ? "         (none)" : ""))
        for cuec in v.cuecs { lines.append("  \(cuec.number). \(cuec.text) -> \(cuec.control ?? "(no control)")") }
        lines.append("Agreements:" + (v.agreements.isEmpty ? "    (none)" : ""))
        for agreement in v.agreements {
            lines.append(
                "  \(agreement.text)" + (agreement.fileName.map { "; file \($0)" } ?? "")
                    + (agreement.isCurrent(today: today) ? " (current)" : " (not in force)"))
        }
        lines.append("Findings:" + (v.findings.isEmpty ? "      (none)" : ""))
        for finding in v.findings { lines.append("  - \(finding)") }
        for line in lines { print(Sanitize.line(line)) }
    }
}

struct VendorReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Record one of the vendor's SOC 2 reports, with its bridge letter and file.",
        discussion:
            "A Type 2 report needs --period FROM..TO; a Type 1 report is as of one day (--as-of DATE or --period DATE). --bridge-until extends a Type 2 report's coverage from the day after its period ends."
    )
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The vendor.") var vendor: String
    @Option(help: ArgumentHelp("1 or 2.", valueName: "1|2")) var type: String
    @Option(help: ArgumentHelp("The period a Type 2 report covers, FROM..TO (inclusive); or a Type 1 report's day.", valueName: "from..to"))
    var period: String?
    @Option(help: ArgumentHelp("The day a Type 1 report describes.", valueName: "date")) var asOf: String?
    @Option(help: ArgumentHelp("unqualified, qualified, adverse or disclaimer.", valueName: "opinion")) var opinion: String
    @Option(help: "How many exceptions the auditor noted (default 0).") var exceptions: Int = 0
    @Option(
        name: .customLong("carve-out"), help: ArgumentHelp("A subservice organisation the report carves out; repeat for each.", valueName: "text"))
    var carveOuts: [String] = []
    @Option(help: ArgumentHelp("The date the bridge letter vouches through.", valueName: "date")) var bridgeUntil: String?
    @Option(help: ArgumentHelp("The report's file, kept in the workspace.", valueName: "file")) var file: String?

    func run() throws {
        let type = try VendorArguments.rule { try VendorRules.reportType(self.type) }
        let opinion = try VendorArguments.rule { try VendorRules.opinion(self.opinion) }
        let (from, to) = try dates(type)
        let draft = VendorReportDraft(
            type: type, periodFrom: from, periodTo: to, opinion: opinion, exceptions: exceptions,
            carveOuts: carveOuts, bridgeUntil: bridgeUntil, file: file)
        let workspace = try options.open()
        let number = try workspace.write(options.acting()) { try $0.addVendorReport(vendor, draft) }.value
        let summary = try workspace.read { try $0.vendor(vendor, today: today) }
        print(Sanitize.line("\(summary.ref) report \(number): \(VendorArguments.report(summary.reports[number - 1]))"))
        print(Sanitize.line("Coverage: \(summary.coverageText)"))
    }

    private func dates(_ type: VendorReportType) throws -> (String, String) {
        switch (period, asOf) {
        case (.some, .some): throw CLIError("give --period or --as-of, not both")
        case (nil, .some(let day)):
            guard type == .type1 else { throw CLIError("--as-of is for a Type 1 report; a Type 2 report needs --period FROM..TO") }
            return (day, day)
        case (.some(let text), nil):
            let parts = text.components(separatedBy: "..")
            if parts.count == 1 { return (text, text) }
            guard parts.count == 2 else { throw CLIError("--period takes FROM..TO, e.g. 2025-04-01..2026-03-31") }
            return (parts[0], parts[1])
        case (nil, nil):
            throw CLIError(type == .type1 ? "give the report's day: --as-of DATE" : "give the report's period: --period FROM..TO")
        }
    }
}

struct VendorReportReview: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report-review", abstract: "Record that you read a report's opinion and exceptions, and what they mean for us.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The vendor.") var vendor: String
    @Option(help: "Which report, by its number in `assure vendor show` (default: the newest).") var report: Int?
    @Option(help: "What the review found.") var note: String

    func run() throws {
        let workspace = try options.open()
        let acting = options.acting()
        let number = try workspace.write(acting) { try $0.reviewVendorReport(vendor, report: report, note: note) }.value
        let summary = try workspace.read { try $0.vendor(vendor, today: today) }
        let reviewed = summary.reports[number - 1]
        print(
            Sanitize.line(
                "\(summary.ref) report \(number) (\(reviewed.type.label) \(reviewed.periodText), \(reviewed.findingsText)): reviewed by \(acting.name) on \(reviewed.reviewedOn ?? today)"
            ))
    }
}

struct VendorCUECAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cuec", abstract: "Add a complementary user entity control the vendor's report expects of us, mapped to our control.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The vendor.") var vendor: String
    @Argument(help: "What the report expects us to do, in our words.") var text: String
    @Option(help: "Our control that does it (map it later with cuec-map if none yet).") var control: String?

    func run() throws {
        let workspace = try options.open()
        let number = try workspace.write(options.acting()) { try $0.addVendorCUEC(vendor, text: text, control: control) }.value
        let summary = try workspace.read { try $0.vendor(vendor, today: today) }
        let mapped = summary.cuecs[number - 1].control
        print(
            mapped.map { "\(summary.ref) CUEC \(number): mapped to \($0)" }
                ?? "\(summary.ref) CUEC \(number): not mapped yet (assure vendor cuec-map \(summary.ref) \(number) --control REF)")
    }
}

struct VendorCUECMap: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cuec-map", abstract: "Map one of the vendor's CUECs to our control.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The vendor.") var vendor: String
    @Argument(help: "The CUEC's number (see assure vendor cuecs).") var number: Int
    @Option(help: "Our control that does it.") var control: String

    func run() throws {
        let workspace = try options.open()
        let ref = try workspace.write(options.acting()) { try $0.mapVendorCUEC(vendor, number: number, control: control) }.value
        let summary = try workspace.read { try $0.vendor(vendor, today: today) }
        print("\(summary.ref) CUEC \(number): mapped to \(ref)")
    }
}

struct VendorCUECList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cuecs", abstract: "List the CUECs (of one vendor or all) with our control, its owner and its newest accepted evidence.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "Only this vendor's.") var vendor: String?
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        let lines = try options.open(readOnly: true).read { try $0.vendorCUECs(vendor: vendor, today: today) }
        let table = Table(
            columns: [
                .init("vendor", "Vendor"), .init("vendor_name", "Name"), .init("cuec", "CUEC", alignRight: true), .init("text", "Expects of us"),
                .init("control", "Control"), .init("control_title", "Control title"), .init("owner", "Owner"), .init("evidence", "Evidence"),
                .init("evidence_proves", "Proves"),
            ],
            rows: lines.map { line in
                [
                    .text(line.vendor), .text(line.vendorName), .int(line.number), .text(line.text), .text(line.control), .text(line.controlTitle),
                    .text(line.owner), .text(line.evidence?.ref ?? "none"), .text(line.evidence?.proves),
                ]
            })
        Output.print(table, format: format, tableColumns: ["vendor", "cuec", "text", "control", "owner", "evidence", "evidence_proves"], maxCell: 50)
    }
}

struct VendorAgreementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement", abstract: "Record a signed agreement with the vendor: dpa, baa, msa or nda.",
        discussion:
            "A vendor holding phi needs a current BAA, and one holding personal or phi data a current DPA; otherwise `assure vendors` shows a finding."
    )
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The vendor.") var vendor: String
    @Option(help: ArgumentHelp("dpa, baa, msa or nda.", valueName: "kind")) var kind: String
    @Option(help: ArgumentHelp("The day it was signed.", valueName: "date")) var signed: String
    @Option(help: ArgumentHelp("The last day it is in force (default: open-ended).", valueName: "date")) var expires: String?
    @Option(help: ArgumentHelp("The signed agreement's file, kept in the workspace.", valueName: "file")) var file: String?

    func run() throws {
        let kind = try VendorArguments.rule { try VendorRules.agreementKind(self.kind) }
        let workspace = try options.open()
        let agreement = try workspace.write(options.acting()) {
            try $0.addVendorAgreement(vendor, VendorAgreementDraft(kind: kind, signedOn: signed, expiresOn: expires, file: file))
        }.value
        let summary = try workspace.read { try $0.vendor(vendor, today: today) }
        print(
            Sanitize.line(
                "\(summary.ref): \(agreement.text)" + (agreement.fileName.map { ", file \($0)" } ?? "")
                    + (agreement.isCurrent(today: today) ? " (current)" : " (not in force today)")))
    }
}

struct VendorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vendors", abstract: "List the vendors with their review dates, report coverage of our audit window and findings.",
        discussion: """
            uncovered_days is the number of days of the SOC 2 audit window (both ends inclusive) that no Type 2 report \
            or bridge letter of the vendor covers; null when no window is set (assure target --window-start DATE). \
            A vendor is due when its next review is within \(VendorSummary.dueSoonDays) days or past.

            Examples:
              assure vendors
              assure vendors --due
              assure vendors --format json
            """)
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    @Flag(help: "Only vendors whose review falls due within \(VendorSummary.dueSoonDays) days or is past.") var due = false

    func run() throws {
        var vendors = try options.open(readOnly: true).read { try $0.vendors(today: today) }
        if due { vendors = vendors.filter(\.due) }
        Output.print(
            VendorTable.make(vendors, today: today, lists: format == .json), format: format,
            tableColumns: ["ref", "name", "criticality", "data", "owner", "next_review", "uncovered_days", "coverage", "findings"],
            maxCell: 64)
    }
}

enum VendorTable {
    /// `lists`: findings and agreements as JSON arrays; otherwise joined for a table or CSV cell.
    static func make(_ vendors: [VendorSummary], today: String, lists: Bool) -> Table {
        func list(_ items: [String], _ separator: String) -> Value { lists ? .list(items) : .text(items.joined(separator: separator)) }
        return Table(
            columns: [
                .init("ref", "Vendor"), .init("name", "Name"), .init("criticality", "Criticality"), .init("data", "Data"),
                .init("service", "Service"), .init("subprocessor", "Subprocessor"), .init("owner", "Owner"), .init("status", "Status"),
                .init("reviewed_on", "Reviewed"), .init("next_review", "Next review"), .init("due", "Due"), .init("overdue", "Overdue"),
                .init("reports", "Reports", alignRight: true), .init("latest_report", "Latest report"), .init("coverage", "Coverage"),
                .init("uncovered_days", "Uncovered", alignRight: true), .init("cuecs", "CUECs", alignRight: true),
                .init("unmapped_cuecs", "Unmapped", alignRight: true), .init("agreements", "Agreements"), .init("findings", "Findings"),
            ],
            rows: vendors.map { v in
                let latest = v.reports.max { ($0.periodTo, $0.number) < ($1.periodTo, $1.number) }
                let current = VendorAgreementKind.allCases.filter { v.vendor.currentAgreement($0, today: today) != nil }.map(\.rawValue)
                return [
                    .text(v.ref), .text(v.name), .text(v.criticality.rawValue), .text(v.data.rawValue), .text(v.service.isEmpty ? nil : v.service),
                    .bool(v.subprocessor), .text(v.owner), .text(v.status), .text(v.reviewedOn), .text(v.nextReview), .bool(v.due), .bool(v.overdue),
                    .int(v.reports.count), .text(latest.map(VendorArguments.report)), .text(v.coverageText),
                    v.uncoveredDays.map(Value.int) ?? .text(nil), .int(v.cuecCount), .int(v.unmappedCUECCount),
                    list(current, " "), list(v.findings, "; "),
                ]
            })
    }
}
