import ArgumentParser
import AssureModel
import AssureStore
import Foundation

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new workspace file.",
        discussion: """
            The file is created readable by you only (mode 0600): it lists your weaknesses. Security is always in scope; add other categories with --scope.

            Examples:
              assure init acme.assure --company "Acme Cloud" --scope security,availability,confidentiality --type 2
              assure init acme.assure --company "Acme Cloud" --frameworks soc2,iso27001,hipaa,gdpr
              assure init demo.assure --from samples/larkspur-health.yaml
            """)

    @Argument(help: "Path of the workspace file to create (suggested extension .assure).")
    var path: String

    @Option(help: "Company name.")
    var company: String?

    @Option(help: "The system in scope (e.g. \"Acme Platform\").")
    var system: String = ""

    @Option(help: "Comma-separated categories: security,availability,confidentiality,processing-integrity,privacy.")
    var scope: String = "security"

    @Option(
        help: "Comma-separated built-in frameworks to pursue: soc2, iso27001, hipaa, gdpr. SOC 2 is always loaded; it is out of scope when not named."
    )
    var frameworks: String = "soc2"

    @Option(help: "Report type aimed for: 1 (Type I) or 2 (Type II).")
    var type: String = "2"

    @Option(help: "Control library to start from: starter or none.")
    var library: String = "starter"

    @Option(help: ArgumentHelp("Create the workspace from a workspace YAML file (see samples/).", valueName: "file"))
    var from: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("Who is making the change.", valueName: "name"))
    var actor: String?

    func run() throws {
        let who = Actor(ActorName.resolve(actor), now: Date())
        if let from {
            guard let text = try? String(contentsOfFile: from, encoding: .utf8) else { throw CLIError("\(from): cannot read the file") }
            let workspace = try Workspace.create(path: path, fromYAML: text, sourcePath: from, by: who)
            let line = try workspace.read { r in
                "Created \(path) for \(try r.scope().company) from \(from): \(try r.controls().count) controls, \(try r.owners(today: today).count) owners, \(try r.gaps().count) gaps."
            }
            print(line)
            return
        }
        guard let company, !company.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw CLIError("--company NAME is required (or --from FILE)")
        }
        var categories: Set<TSCCategory> = [.security]
        for item in scope.split(separator: ",") {
            let key = item.trimmingCharacters(in: .whitespaces)
            guard let category = parseLoose(key, as: TSCCategory.self) else {
                throw CLIError("unknown scope category '\(key)'; use \(TSCCategory.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            categories.insert(category)
        }
        guard let reportType = ReportType(rawValue: type.replacingOccurrences(of: "type", with: "", options: .caseInsensitive)) else {
            throw CLIError("--type must be 1 or 2")
        }
        guard library == "starter" || library == "none" else { throw CLIError("--library must be starter or none") }
        let names = frameworks.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw CLIError("--frameworks needs at least one of \(BuiltIn.frameworkIDs.joined(separator: ", "))") }
        let workspace = try Workspace.create(
            path: path, scope: Scope(company: company, system: system, reportType: reportType, categories: categories),
            frameworks: names, by: who)
        if library == "starter" { try workspace.write(who) { try $0.loadStarterLibrary() } }
        let (scopeLine, controls, pursued) = try workspace.read { r in
            (
                try r.scope().orderedCategories.map(\.title).joined(separator: ", "), try r.controls().count,
                try r.frameworks().filter(\.inScope).map(\.id)
            )
        }
        let soc2 = pursued.contains(Framework.soc2ID) ? "SOC 2 \(reportType.label), \(scopeLine)" : "SOC 2 out of scope"
        print("Created \(path) for \(company): \(pursued.joined(separator: ", ")); \(soc2); \(controls) controls.")
    }
}

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Open a scratch copy of the Larkspur Health sample workspace.",
        discussion: """
            Creates the sample in a new temporary folder and opens it in the workbench, so nothing you do there touches real data. With --print-path it only creates the copy and prints its path.

            Examples:
              assure demo
              assure demo --print-path
            """)

    @Flag(help: "Only create the copy and print its path.")
    var printPath = false

    @Option(help: "Which built-in sample to copy.")
    var sample: String = "larkspur-health"

    @OptionGroup var display: DisplayOptions

    func run() throws {
        try display.checkTheme()
        let path = try Demo.makeCopy(sample: sample, actor: ActorName.resolve(display.actor))
        if printPath || !TTY.isInteractive {
            print(path)
            if !printPath { FileHandle.standardError.write(Data("assure: not a terminal, so the workbench was not opened\n".utf8)) }
            return
        }
        try Open.launch(path: path, display: display)
    }

    static func makeCopy(sample: String, actor: String) throws -> String {
        guard BuiltIn.sampleNames.contains(sample) else {
            throw CLIError("unknown sample '\(sample)'; built-in samples: \(BuiltIn.sampleNames.joined(separator: ", "))")
        }
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/assure-demo-XXXXXX".utf8CString)
        guard let folder = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }).map({ String(cString: $0) }) else {
            throw CLIError("cannot create a temporary folder in \(base)")
        }
        let path = "\(folder)/\(sample).assure"
        _ = try Workspace.create(
            path: path, fromYAML: try BuiltIn.text(sample + ".yaml"), sourcePath: "built-in:\(sample).yaml",
            by: Actor(actor, now: Date()))
        return path
    }
}

enum TTY {
    static var isInteractive: Bool { isatty(0) == 1 && isatty(1) == 1 }
}
