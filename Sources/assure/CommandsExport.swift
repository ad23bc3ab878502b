import ArgumentParser
import AssureModel
import AssureStore
import Foundation

enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, json, md, yaml
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract:
            "Export the control matrix, the ranked gap backlog or the Statement of Applicability (csv, json or md), or a framework as a catalog (yaml).",
        discussion: """
            The same workspace always gives the same bytes. CSV follows RFC 4180 and neutralises spreadsheet formulas.
            Markdown ends with the change-log anchor it was read at ("Change log: N rows, head HASH"); \
            check it later with assure verify --expect HASH --expect-count N. CSV and JSON carry no anchor.

            Examples:
              assure export controls --format csv -o controls.csv
              assure export gaps --format md
              assure export catalog soc2 --format yaml -o soc2.yaml
              assure export soa --format md -o soa.md          (ISO 27001 Annex A: applicable or excluded, why, how far implemented)
              assure export oscal component-definition -o component.json
              assure export oscal poam -o poam.json            (open gaps)
              assure export oscal assessment-results -o results.json   (readiness: a finding per requirement, gaps as observations)
              assure export oscal ssp --framework soc2 -o ssp.json     (system security plan; unknowns marked "not yet recorded")
              assure export controls --format csv -o controls.csv --sign   (then: assure verify-signature controls.csv)
            """)

    @OptionGroup var options: WorkspaceOptions
    @Argument(
        help:
            "What to export: controls, gaps, soa [FRAMEWORK], catalog ID (a framework, as a catalog file), or oscal MODEL (component-definition, assessment-results, poam, ssp)."
    )
    var what: String
    @Argument(help: "For catalog: the framework's id (see assure frameworks).")
    var id: String?
    @Option(help: "csv, json or md (controls, gaps); yaml (catalog).")
    var format: ExportFormat?
    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?
    @Option(name: .customLong("framework"), help: "For oscal: only this framework (default: every framework in scope).")
    var oscalFramework: String?
    @OptionGroup var signing: SignOptions

    func run() throws {
        try signing.check(output: output)
        // Signing may record the signer's key: only then is the workspace opened writable.
        let workspace = try options.open(readOnly: !signing.sign)
        let identity = try signing.prepare(workspace, options: options)
        if what == "catalog" {
            guard let id else { throw CLIError("export catalog needs a framework id, e.g. assure export catalog soc2 --format yaml") }
            guard format == nil || format == .yaml else { throw CLIError("a catalog is exported as yaml") }
            let (text, anchor) = try workspace.read { r in (try r.exportCatalog(id), try r.chainAnchor()) }
            try signing.write(text, to: output, anchor: anchor, identity: identity)
            return
        }
        if what == "oscal" {
            // `export oscal MODEL [--framework ID]`; the POA&M lists every open gap, whatever the framework.
            let models = ["component-definition", "assessment-results", "poam", "ssp"]
            guard let id, models.contains(id) else {
                throw CLIError("export oscal writes one of: \(models.joined(separator: ", ")), e.g. assure export oscal ssp -o ssp.json")
            }
            guard format == nil || format == .json else { throw CLIError("OSCAL is exported as json") }
            if id == "poam" && oscalFramework != nil { throw CLIError("export oscal poam lists every open gap; --framework does not apply") }
            let (export, anchor) = try workspace.read { r -> (OSCALExport, ChainAnchor) in
                switch id {
                case "poam": return (try r.oscalPOAM(), try r.chainAnchor())
                case "assessment-results": return (try r.oscalAssessmentResults(framework: oscalFramework), try r.chainAnchor())
                case "ssp": return (try r.oscalSystemSecurityPlan(framework: oscalFramework), try r.chainAnchor())
                default: return (try r.oscalComponentDefinition(framework: oscalFramework), try r.chainAnchor())
                }
            }
            for note in export.notes { FileHandle.standardError.write(Data("assure: \(note)\n".utf8)) }
            try signing.write(export.json, to: output, anchor: anchor, identity: identity)
            return
        }
        if what == "soa" {
            // The Statement of Applicability: ISO 27001 unless another framework is named.
            let (soa, company, anchor) = try workspace.read { r in
                (try r.statementOfApplicability(framework: id ?? "iso27001"), try r.scope().company, try r.chainAnchor())
            }
            let text: String
            switch format ?? .csv {
            case .csv: text = soa.table.csv()
            case .json: text = soa.table.json()
            case .md:
                text = soa.table.markdownDocument(title: "Statement of Applicability", company: company, framework: soa.framework, anchor: anchor)
            case .yaml: throw CLIError("the Statement of Applicability is exported as csv, md or json")
            }
            try signing.write(text, to: output, anchor: anchor, identity: identity)
            return
        }
        if let id { throw CLIError("unexpected argument '\(id)'") }
        // The table and the change-log anchor come from one read transaction.
        let (table, anchor): (Table, ChainAnchor)
        switch what {
        case "controls": (table, anchor) = try workspace.read { r in (try r.controlMatrix(), try r.chainAnchor()) }
        case "gaps": (table, anchor) = try workspace.read { r in (try r.backlog(today: today), try r.chainAnchor()) }
        default: throw CLIError("unknown export '\(what)'; use controls, gaps, soa or catalog")
        }
        let text: String
        switch format ?? .csv {
        case .csv: text = table.csv()
        case .json: text = table.json()
        case .md: text = table.markdown(anchor: anchor)
        case .yaml: throw CLIError("yaml is for catalogs; use csv, json or md")
        }
        try signing.write(text, to: output, anchor: anchor, identity: identity)
    }
}

extension Output {
    /// Writes to a file (mode 0600: exports describe weaknesses) or to standard output.
    static func write(_ text: String, to path: String?) throws {
        guard let path else { Swift.print(text, terminator: ""); return }
        // A device or a pipe (`-o /dev/null`, `-o /dev/stdout`) is written to, never replaced:
        // creating the file would rename a new regular file over it.
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
            guard let handle = FileHandle(forWritingAtPath: path) else { throw CLIError("\(path): cannot write there") }
            defer { try? handle.close() }
            try handle.write(contentsOf: Data(text.utf8))
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CLIError("\(path): cannot write the file")
        }
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the readiness report: scope, summary, readiness by category, open criteria, backlog, owners.",
        discussion: """
            HTML is one self-contained file (no external fonts or scripts) that prints well.

            Examples:
              assure report --format html -o readiness.html
              assure report --format md
              assure report --format html -o readiness.html --sign
            """)

    @OptionGroup var options: WorkspaceOptions
    @Option(help: "md or html.")
    var format: String = "md"
    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?
    @OptionGroup var signing: SignOptions

    func run() throws {
        guard format == "md" || format == "html" else { throw CLIError("--format must be md or html") }
        try signing.check(output: output)
        let workspace = try options.open(readOnly: !signing.sign)
        let identity = try signing.prepare(workspace, options: options)
        let (report, anchor) = try workspace.read { r in (try r.readinessReport(now: Date(), withAnchor: true), try r.chainAnchor()) }
        try signing.write(format == "md" ? report.markdown() : report.html(), to: output, anchor: anchor, identity: identity)
    }
}

struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot", abstract: "Record the state (controls' status and owner, gaps, readiness) under a title.",
        discussion: "Examples:\n  assure snapshot \"before Q1 review\"\n  assure snapshot --list")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The snapshot's title.")
    var title: String?
    @Flag(help: "List the snapshots instead.")
    var list = false
    func run() throws {
        let workspace = try options.open(readOnly: list || title == nil)
        if list || title == nil {
            for s in try workspace.read({ try $0.snapshots() }) { print("\(s.id)  \(s.takenAt)  \(s.takenBy)  \(s.title)") }
            return
        }
        let snapshot = try workspace.write(options.acting()) { try $0.takeSnapshot(title: title!) }.value
        print("Snapshot \(snapshot.id) taken: \(snapshot.title)")
    }
}

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between a snapshot and another one, or now.",
        discussion: "Snapshots are named by number or title.\nExamples:\n  assure diff \"before Q1 review\"\n  assure diff 1 2 --format json")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The earlier snapshot.")
    var snapshot: String
    @Argument(help: "The later snapshot (default: now).")
    var later: String?
    @Option(help: "text or json.")
    var format: String = "text"
    func run() throws {
        let diff = try options.open(readOnly: true).read { try $0.diff(from: snapshot, to: later) }
        switch format {
        case "text": print(diff.text(), terminator: "")
        case "json": print(diff.json(), terminator: "")
        default: throw CLIError("--format must be text or json")
        }
    }
}
