import ArgumentParser
import AssureModel
import AssureStore
import Foundation
import TerminalUI

struct PopulationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "population", abstract: "Freeze a population (new hires, changes, endpoints) to sample from.",
        discussion: """
            A population's rows are stored with the SHA-256 of their canonical content (rows sorted by key, cells trimmed). \
            Adding a changed file under the same name makes a new version and says what changed; the same content adds nothing.

            Examples:
              assure population add new-hires-h1 hires.csv --control HR-02 --key "Employee ID"
              assure population list
            """,
        subcommands: [PopulationAdd.self, PopulationList.self], defaultSubcommand: PopulationList.self)
}

struct PopulationAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a population from a CSV file, or a new version of one.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The population's name.") var name: String
    @Argument(help: "The CSV file (RFC 4180, a header row).") var file: String
    @Option(help: "The control it tests.") var control: String?
    @Option(help: "The column that identifies a row (default: the first).") var key: String?
    func run() throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CLIError("\(file): cannot read the file as UTF-8 text") }
        let change = try options.open().write(options.acting()) {
            try $0.addPopulation(name: name, csv: text, path: file, control: control, key: key)
        }.value
        let p = change.population
        if change.unchanged {
            print(Sanitize.line("\(p.name)@\(p.version): unchanged (\(p.rowCount) rows, sha256 \(p.sha256))"))
            return
        }
        print(Sanitize.line("\(p.name)@\(p.version): \(p.rowCount) rows keyed by \(p.keyColumn), sha256 \(p.sha256)"))
        if change.isNewVersion {
            print(
                Sanitize.line(
                    "changed since @\(p.version - 1): \(change.added.count) added, \(change.removed.count) removed, \(change.changed.count) changed"
                        + (change.added.isEmpty ? "" : "; added \(change.added.prefix(10).joined(separator: " "))")
                        + (change.removed.isEmpty ? "" : "; removed \(change.removed.prefix(10).joined(separator: " "))")
                        + (change.changed.isEmpty ? "" : "; changed \(change.changed.prefix(10).joined(separator: " "))")))
        }
    }
}

struct PopulationList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List populations and their versions.")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    func run() throws {
        let populations = try options.open(readOnly: true).read { try $0.populations() }
        Output.print(
            Table(
                columns: [
                    .init("name", "Name"), .init("version", "Version", alignRight: true), .init("control", "Control"),
                    .init("key", "Key"), .init("rows", "Rows", alignRight: true), .init("sha256", "SHA-256"),
                    .init("source", "Source"), .init("added_at", "Added"), .init("added_by", "Added by"),
                ],
                rows: populations.map {
                    [
                        .text($0.name), .int($0.version), .text($0.control), .text($0.keyColumn), .int($0.rowCount),
                        .text($0.sha256), .text($0.source), .text($0.addedAt), .text($0.addedBy),
                    ]
                }),
            format: format, tableColumns: ["name", "version", "control", "key", "rows", "sha256"])
    }
}

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample", abstract: "Draw a reproducible sample from a population, and record the mock audit's results.",
        discussion: """
            The selection is a pure function of the population's SHA-256, the seed and the size (rule in the README): anyone \
            re-running it gets the same items. The first draw is recorded as SMP-N; drawing again with the same inputs shows \
            the recorded sample and writes nothing. --auto sizes it by the methodology (assure methodology) and the control's frequency.

            Examples:
              assure sample new-hires-h1 --auto --seed 2026
              assure sample new-hires-h1 --size 10 --seed 7 --format json
              assure sample result SMP-1 E-1042 exception --note "Access granted 3 days before the signed request"
              assure sample list
            """,
        subcommands: [SampleDraw.self, SampleResultCommand.self, SampleList.self, SampleShow.self], defaultSubcommand: SampleDraw.self)
}

struct SampleDraw: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "draw", abstract: "Draw (and record) a sample.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The population (NAME, or NAME@VERSION).") var population: String
    @Option(help: "How many items.") var size: Int?
    @Flag(help: "Size it by the methodology.") var auto = false
    @Flag(help: "With --auto: take the upper end of the range (a higher-risk control).") var higherRisk = false
    @Option(help: "The seed (default 1); record it with the sample so others can re-draw it.") var seed: UInt64 = 1
    @Option(help: "table or json.") var format: OutputFormat = .table
    func run() throws {
        guard (size != nil) != auto else { throw CLIError(auto ? "give --size N or --auto, not both" : "give --size N or --auto") }
        let workspace = try options.open()
        let (ref, isNew) = try workspace.write(options.acting()) {
            try $0.recordSample(population: population, size: size, higherRisk: higherRisk, seed: seed)
        }.value
        let sample = try workspace.read { try $0.sample(ref) }
        switch format {
        case .json: print(SampleJSON.encode(sample), terminator: "")
        case .csv: throw CLIError("a sample is shown as table or json")
        case .table:
            print(
                Sanitize.line(
                    "\(sample.ref)\(isNew ? "" : " (recorded before)"): \(sample.selection.size) of \(sample.population.rowCount) from \(sample.population.name)@\(sample.population.version), seed \(sample.selection.seed); \(sample.sizing)"
                ))
            print("population sha256 \(sample.selection.populationSHA256)")
            for (i, key) in sample.selection.items.enumerated() { print(Sanitize.line("  \(i + 1). \(key)")) }
        }
    }
}

struct SampleResultCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "result", abstract: "Record a sampled item's result: pass, exception (with a note) or not-tested.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The sample, e.g. SMP-1.") var sample: String
    @Argument(help: "The item's key.") var key: String
    @Argument(help: "pass, exception or not-tested.") var result: String
    @Option(help: "What was found.") var note: String = ""
    @Option(help: "The evidence item that shows it, e.g. EV-4.") var evidence: String?
    @Flag(help: "With exception: also open a high-severity gap on the population's control, in the same change.") var openGap = false
    func run() throws {
        guard let value = parseLoose(result, as: SampleResult.self), value != .untested else {
            throw CLIError("unknown result '\(result)'; use pass, exception or not-tested")
        }
        if openGap && value != .exception { throw CLIError("--open-gap goes with an exception") }
        let workspace = try options.open()
        let gap = try workspace.write(options.acting()) { w -> String? in
            try w.recordSampleResult(sample: sample, key: key, result: value, note: note, evidence: evidence)
            guard openGap else { return nil }
            let recorded = try w.reader.sample(sample.uppercased())
            return try w.openGap(
                GapDraft(
                    title: "Sample exception in \(recorded.ref): \(key)", description: note, severity: .high,
                    control: recorded.population.control))
        }.value
        print(Sanitize.line("\(sample.uppercased()) \(key): \(value.rawValue)" + (gap.map { "; opened \($0)" } ?? "")))
        if value == .exception && gap == nil {
            let recorded = try workspace.read { try $0.sample(sample.uppercased()) }
            let larger = min(recorded.population.rowCount, recorded.selection.size + max(1, recorded.selection.size / 2))
            if larger > recorded.selection.size {
                print(
                    Sanitize.line(
                        "An exception: extend the sample with assure sample \(recorded.population.name)@\(recorded.population.version) --size \(larger) --seed \(recorded.selection.seed) (it keeps these items and adds more),"
                    ))
            }
            print(Sanitize.line("or open a gap for it: assure sample result \(recorded.ref) \(key) exception --note ... --open-gap"))
        }
    }
}

struct SampleList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List recorded samples and their results.")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    func run() throws {
        let samples = try options.open(readOnly: true).read { try $0.samples() }
        Output.print(
            Table(
                columns: [
                    .init("sample", "Sample"), .init("population", "Population"), .init("control", "Control"),
                    .init("seed", "Seed", alignRight: true), .init("size", "Size", alignRight: true),
                    .init("pass", "Pass", alignRight: true), .init("exception", "Exceptions", alignRight: true),
                    .init("untested", "Untested", alignRight: true),
                ],
                rows: samples.map { s in
                    let count = { (r: SampleResult) in s.results.filter { $0.result == r }.count }
                    return [
                        .text(s.ref), .text("\(s.population.name)@\(s.population.version)"), .text(s.population.control),
                        .text(String(s.selection.seed)), .int(s.selection.size), .int(count(.pass)), .int(count(.exception)),
                        .int(count(.untested)),
                    ]
                }), format: format)
    }
}

struct SampleShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a recorded sample with each item's result.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The sample, e.g. SMP-1.") var sample: String
    @Option(help: "table or json.") var format: OutputFormat = .table
    func run() throws {
        let s = try options.open(readOnly: true).read { try $0.sample(sample.uppercased()) }
        if format == .json { print(SampleJSON.encode(s), terminator: ""); return }
        print(
            Sanitize.line(
                "\(s.ref): \(s.selection.size) of \(s.population.rowCount) from \(s.population.name)@\(s.population.version), seed \(s.selection.seed); \(s.sizing)"
            ))
        for r in s.results {
            print(Sanitize.line("  \(r.key)  \(r.result.rawValue)" + (r.evidence.map { "  \($0)" } ?? "") + (r.note.isEmpty ? "" : "  \(r.note)")))
        }
    }
}

struct MethodologyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "methodology", abstract: "Show or edit how --auto sizes samples.",
        discussion: """
            Ranges by frequency (the upper end for higher-risk controls) and the attribute-sampling formula \
            n = ceil(ln(1 - confidence) / ln(1 - tolerable rate)) for event-driven controls.

            Examples:
              assure methodology
              assure methodology --range monthly=3-5 --confidence 0.9 --tolerable-rate 0.1
            """)
    @OptionGroup var options: WorkspaceOptions
    @Option(help: ArgumentHelp("A frequency's range, e.g. monthly=2-5 (repeatable).", valueName: "frequency=low-high")) var range: [String] = []
    @Option(help: "Confidence for attribute sampling, e.g. 0.95.") var confidence: Double?
    @Option(help: "Tolerable deviation rate, e.g. 0.10.") var tolerableRate: Double?
    @Option(help: "table or json.") var format: OutputFormat = .table
    func run() throws {
        let editing = !range.isEmpty || confidence != nil || tolerableRate != nil
        let workspace = try options.open(readOnly: !editing)
        var methodology = try workspace.read { try $0.samplingMethodology() }
        if editing {
            for pair in range {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                let bounds = parts.count == 2 ? parts[1].split(separator: "-").compactMap { Int($0) } : []
                guard parts.count == 2, bounds.count == 2 || bounds.count == 1 else {
                    throw CLIError("--range takes FREQUENCY=LOW-HIGH, e.g. monthly=2-5; got '\(pair)'")
                }
                let known = Frequency.allCases.map(\.rawValue) + ["many-per-day"]
                guard known.contains(parts[0]) else { throw CLIError("unknown frequency '\(parts[0])'; use \(known.joined(separator: ", "))") }
                methodology.byFrequency[parts[0]] = .init(low: bounds[0], high: bounds.last!)
            }
            if let confidence { methodology.confidence = confidence }
            if let tolerableRate { methodology.tolerableRate = tolerableRate }
            do { try methodology.validate() } catch { throw CLIError("\(error)") }
            try workspace.write(options.acting()) { try $0.setSamplingMethodology(methodology) }
        }
        if format == .json {
            let data = try JSONEncoder.prettySorted.encode(methodology)
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let order = ["annual", "semi-annual", "quarterly", "monthly", "weekly", "daily", "many-per-day", "continuous"]
        for key in order + methodology.byFrequency.keys.sorted().filter({ !order.contains($0) }) {
            guard let r = methodology.byFrequency[key] else { continue }
            print("\(key.padding(toLength: 14, withPad: " ", startingAt: 0)) \(r.low == r.high ? "\(r.low)" : "\(r.low)-\(r.high)")")
        }
        print(
            "on-event       attribute sampling at \(methodology.confidence) confidence, \(methodology.tolerableRate) tolerable rate: \(methodology.attributeSize)"
        )
    }
}

extension JSONEncoder {
    static var prettySorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return encoder
    }
}

/// `--format json` for a sample: what it takes to re-draw it, and no run time, so the same
/// inputs give the same bytes.
enum SampleJSON {
    static func encode(_ s: RecordedSample) -> String {
        let object: [String: Any] = [
            "sample": s.ref, "population": s.population.name, "population_version": s.population.version,
            "population_sha256": s.selection.populationSHA256, "seed": s.selection.seed, "rule": s.selection.rule,
            "sizing": s.sizing, "size": s.selection.size, "items": s.selection.items,
            "results": s.results.map {
                ["key": $0.key, "result": $0.result.rawValue, "note": $0.note, "evidence": $0.evidence as Any? ?? NSNull()] as [String: Any]
            },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
