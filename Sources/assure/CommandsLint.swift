import ArgumentParser
import AssureModel
import AssureStore
import Foundation
import TerminalUI

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract:
            "Check content for mistakes: dangling references, duplicates, mojibake, control characters, empty titles, requirements in scope with no control, controls that reach nothing.",
        discussion: """
            Exits with status 1 when anything is found, so scripts and CI can rely on it.

            Examples:
              assure lint
              assure lint --format json
              assure lint catalog my-framework.yaml
              assure lint --built-in
            """,
        subcommands: [LintWorkspace.self, LintCatalog.self], defaultSubcommand: LintWorkspace.self)

    static func report(_ findings: [LintFinding], format: OutputFormat, clean: String) throws {
        switch format {
        case .json:
            let items = findings.map { ["severity": $0.severity.rawValue, "code": $0.code, "location": $0.location, "message": $0.message] }
            let data = try JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        case .csv:
            let table = Table(
                columns: [.init("severity", "Severity"), .init("code", "Code"), .init("location", "Where"), .init("message", "Message")],
                rows: findings.map { [.text($0.severity.rawValue), .text($0.code), .text($0.location), .text($0.message)] })
            Output.print(table, format: .csv)
        case .table:
            if findings.isEmpty { print(clean); return }
            for f in findings { print("\(f.severity.rawValue): \(Sanitize.line(f.location)): \(Sanitize.line(f.message)) [\(f.code)]") }
            let errors = findings.filter { $0.severity == .error }.count
            print(
                "\(findings.count) \(findings.count == 1 ? "finding" : "findings") (\(errors) \(errors == 1 ? "error" : "errors"), \(findings.count - errors) warnings)"
            )
        }
        if !findings.isEmpty { throw ExitCode(1) }
    }

    struct LintWorkspace: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "workspace", abstract: "Lint the workspace (the default), or with --built-in everything assure ships.")
        @OptionGroup var options: WorkspaceOptions
        @OptionGroup var output: FormatOption
        @Flag(help: "Lint the built-in catalogs and control library instead of a workspace.")
        var builtIn = false

        func run() throws {
            if builtIn {
                try Lint.report(
                    try Linter.builtIn(), format: output.format,
                    clean:
                        "Built-in content: no findings (\(BuiltIn.frameworkIDs.count) frameworks, \(BuiltIn.libraryFileNames.count) library files).")
            } else {
                try Lint.report(try options.open(readOnly: true).read { try $0.lint() }, format: output.format, clean: "No findings.")
            }
        }
    }

    struct LintCatalog: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "catalog", abstract: "Lint a catalog or control library YAML file without importing it.")
        @OptionGroup var output: FormatOption
        @Argument(help: "The catalog or library YAML file.")
        var file: String

        func run() throws {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw CLIError("\(file): cannot read the file (missing, or not UTF-8)")
            }
            try Lint.report(Linter.file(text: text, path: file), format: output.format, clean: "\(file): no findings.")
        }
    }
}
