import ArgumentParser
import AssureModel
import AssureStore
import Foundation

struct Decide: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decide",
        abstract: "Record the decision on an addressable requirement (a HIPAA addressable implementation specification).",
        discussion: """
            The HIPAA Security Rule lets you implement an addressable specification, implement an equivalent alternative, or decide it is not reasonable and appropriate; the last two need the reason written down. The decision shows in `assure requirements` and the SoA-style exports; a new decision replaces the old, and the change log keeps both.

            Examples:
              assure decide "164.312(a)(2)(iv)" implemented --framework hipaa
              assure decide "164.310(d)(2)(iv)" alternative --reason "Cloud provider snapshots replace media copies" --framework hipaa
              assure decide "164.312(e)(2)(i)" not-reasonable --reason "..." --framework hipaa
            """)
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The requirement, e.g. 164.312(a)(2)(iv) or hipaa:164.312(a)(2)(iv).")
    var requirement: String
    @Argument(help: "implemented, alternative or not-reasonable.")
    var decision: String
    @Option(help: "Why (required for alternative and not-reasonable).")
    var reason: String = ""
    @Option(help: "The requirement's framework (default: found from the reference).")
    var framework: String?

    func run() throws {
        guard let value = parseLoose(decision, as: RequirementDecision.self) else {
            throw CLIError("unknown decision '\(decision)'; use \(RequirementDecision.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try options.open().write(options.acting()) { try $0.decide(requirement, framework: framework, decision: value, reason: reason) }
        print("\(requirement): \(value.label)" + (reason.isEmpty ? "" : " (\(reason))"))
    }
}
