import ArgumentParser
import AssureModel
import AssureStore
import Foundation

struct Derive: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "derive",
        abstract: "Propose gaps for what is missing; create them with --yes.",
        discussion: """
            Proposes a gap for each in-scope criterion with no mapped control, control with no owner, control not started, periodic control with no evidence hint, occurrence of an audit window left without evidence past its deadline (or evidenced late), and control whose newest evidence has expired. Running it again never proposes the same gap twice, even after it was remediated.

            Examples:
              assure gaps derive
              assure gaps derive --yes
            """)
    @OptionGroup var options: WorkspaceOptions
    @Flag(help: "Create the proposed gaps.")
    var yes = false
    func run() throws {
        let workspace = try options.open(readOnly: !yes)
        let proposals = try workspace.read { try $0.proposeGaps(today: today) }
        if proposals.isEmpty { print("Nothing to derive: every proposal already exists."); return }
        for p in proposals { print("\(p.draft.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(p.draft.title)") }
        guard yes else { print("\(proposals.count) gaps would be opened; run again with --yes to open them."); return }
        let refs = try workspace.write(options.acting()) { try $0.createDerivedGaps(proposals) }.value
        print("Opened \(refs.count) gaps (\(refs.first ?? "")...\(refs.last ?? "")).")
    }
}

struct Target: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "target",
        abstract: "Set or show the target audit, and what threatens its date.",
        discussion: """
            Threats: open gaps due after the window starts, and periodic controls not yet implemented whose first run cannot happen before the window starts.

            Examples:
              assure target --type 2 --window-start 2027-03-01 --window 6m
              assure target
            """)
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "1 (Type I) or 2 (Type II).")
    var type: String?
    @Option(help: "When the observation window starts (YYYY-MM-DD).")
    var windowStart: String?
    @Option(help: "Window length in months, e.g. 6m.")
    var window: String = "6m"
    func run() throws {
        let workspace = try options.open(readOnly: windowStart == nil)
        if let windowStart {
            guard let reportType = ReportType(rawValue: type ?? "2") else { throw CLIError("--type must be 1 or 2") }
            try workspace.write(options.acting()) {
                try $0.setAuditTarget(AuditTarget(reportType: reportType, windowStart: windowStart, window: window))
            }
        }
        let (found, threats) = try workspace.read { r in (try r.auditTarget(), try r.auditThreats(now: Date())) }
        guard let target = found else {
            print("No target audit set. Example: assure target --type 2 --window-start 2027-03-01 --window 6m")
            return
        }
        print("Target: SOC 2 \(target.reportType.label), window of \(target.window) starting \(target.windowStart)")
        print("Threats to the audit date: \(threats.count)")
        for t in threats { print("  \(t.ref.padding(toLength: 8, withPad: " ", startingAt: 0)) \(t.title) — \(t.reason)") }
    }
}

struct Weights: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract: "Show or set the backlog's ranking weights for this workspace.",
        discussion:
            "Names: critical, high, medium, low, overdue, effort-xs, effort-s, effort-m, effort-l, effort-xl.\nExamples:\n  assure weights\n  assure weights --set critical=12 --set overdue=2"
    )
    @OptionGroup var options: WorkspaceOptions
    @Option(name: .customLong("set"), help: ArgumentHelp("NAME=VALUE", valueName: "name=value"))
    var settings: [String] = []
    func run() throws {
        let workspace = try options.open(readOnly: settings.isEmpty)
        if !settings.isEmpty {
            var values: [String: Double] = [:]
            for item in settings {
                let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let value = Double(parts[1]) else { throw CLIError("--set takes NAME=NUMBER, got '\(item)'") }
                values[parts[0].lowercased()] = value
            }
            try workspace.write(options.acting()) { try $0.setWeights(values) }
        }
        let w = try workspace.read { try $0.rankingWeights() }
        print("severity: " + Severity.allCases.map { "\($0.rawValue) \(w.severity[$0]!)" }.joined(separator: ", "))
        print("overdue factor: \(w.overdueFactor)")
        print("effort divisor: " + Effort.allCases.map { "\($0.rawValue) \(w.effort[$0]!)" }.joined(separator: ", "))
    }
}
