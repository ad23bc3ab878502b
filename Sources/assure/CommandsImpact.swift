import ArgumentParser
import AssureModel
import AssureStore
import Foundation
import TerminalUI

struct Impact: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "impact",
        abstract: "Show every requirement a control serves, in every framework, and what stops being addressed if it fails.",
        discussion: """
            "Fails" means the control stops counting (not implemented, or its N/A no longer justified); the readiness rule then decides each requirement again, so one still held up by another control is not at risk.

            Examples:
              assure impact AC-02
              assure impact AC-02 --format json
            """)
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The control reference, e.g. AC-02.")
    var control: String
    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    func run() throws {
        let report = try options.open(readOnly: true).read { try $0.impact(control: control) }
        let impact = report.impact
        switch format {
        case .json:
            let object: [String: Any] = [
                "control": report.control.ref, "title": report.control.title, "status": report.control.status.rawValue,
                "links": report.links.map {
                    [
                        "framework": $0.framework, "ref": $0.ref, "level": $0.level, "title": $0.title,
                        "relationship": $0.relationship.rawValue, "source": $0.source,
                    ]
                },
                "requirements": impact.consequences.map { c -> [String: Any] in
                    [
                        "framework": c.framework, "ref": c.ref, "title": report.titles["\(c.framework):\(c.ref)"] ?? "",
                        "in_scope": c.inScope, "state": c.now.rawValue, "state_if_failed": c.ifFailed.rawValue,
                        "sole_control": c.sole, "would_stop": c.wouldStop,
                    ]
                },
                "would_stop": impact.wouldStop.filter(\.inScope).map { "\($0.framework):\($0.ref)" },
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        case .csv:
            throw CLIError("impact prints table or json")
        case .table:
            print("\(report.control.ref)  \(Sanitize.line(report.control.title))  [\(report.control.status.rawValue)]")
            let byFramework = Dictionary(grouping: impact.consequences, by: \.framework)
            var frameworksInOrder: [String] = []
            for c in impact.consequences where !frameworksInOrder.contains(c.framework) { frameworksInOrder.append(c.framework) }
            if frameworksInOrder.isEmpty { print("It reaches no requirement in any framework."); return }
            for framework in frameworksInOrder {
                let list = byFramework[framework] ?? []
                let stopping = list.filter { $0.wouldStop && $0.inScope }.count
                print(
                    "\n\(framework): serves \(list.count) \(list.count == 1 ? "requirement" : "requirements")"
                        + (stopping > 0 ? ", \(stopping) would stop being addressed" : ""))
                let width = list.map(\.ref.count).max() ?? 0
                for c in list {
                    let title = TextWidth.truncate(Sanitize.line(report.titles["\(c.framework):\(c.ref)"] ?? ""), to: 60)
                    var notes: [String] = []
                    if !c.inScope { notes.append("out of scope") }
                    if c.wouldStop && c.inScope { notes.append("STOPS: \(c.now.label) -> \(c.ifFailed.label)") } else { notes.append(c.now.label) }
                    if c.sole { notes.append("only control") }
                    print("  \(c.ref.padding(toLength: width, withPad: " ", startingAt: 0))  \(title)  (\(notes.joined(separator: "; ")))")
                }
            }
            let detail = report.links.filter { link in !impact.consequences.contains { $0.framework == link.framework && $0.ref == link.ref } }
            if !detail.isEmpty {
                print(
                    "\nAlso linked below those: " + detail.map { "\($0.framework):\($0.ref) (\($0.relationship.rawValue))" }.joined(separator: ", "))
            }
            let total = impact.wouldStop.filter(\.inScope).count
            print("\nIf \(report.control.ref) failed, \(total) in-scope \(total == 1 ? "requirement" : "requirements") would stop being addressed.")
        }
    }
}
