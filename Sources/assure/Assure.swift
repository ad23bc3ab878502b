import ArgumentParser
import Foundation

@main
struct Assure: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assure",
        abstract: "Compliance readiness workbench: frameworks, controls, owners and gaps in one local workspace file.",
        discussion: """
            Run `assure PATH` to open a workspace in the terminal workbench, or `assure demo` to try the Larkspur Health sample. Every other command works on the workspace named by -w/--workspace, else $ASSURE_WORKSPACE, else the single *.assure file in the current directory.

            Examples:
              assure demo
              assure init acme.assure --company Acme --scope security,availability
              assure status -w acme.assure
              assure controls --unowned --format csv
            """,
        version: "0.2.0",
        subcommands: [
            Open.self, Demo.self, Init.self, Status.self, Frameworks.self, FrameworkCommand.self, Requirements.self, Criteria.self, Controls.self,
            Owners.self, Gaps.self,
            Impact.self, Lint.self, Decide.self, OwnerCommand.self, Assign.self, MapCommand.self, UnmapCommand.self, ScopeCommand.self,
            ControlCommand.self, GapCommand.self, Log.self, Verify.self,
            EvidenceCommand.self, LedgerCommand.self, PopulationCommand.self, SampleCommand.self, MethodologyCommand.self, RequestsCommand.self,
            PackageCommand.self, Import.self, MeetingCommand.self, Export.self, Report.self, VerifySignature.self, SnapshotCommand.self, Diff.self,
            Target.self, Weights.self,
            PeopleCommand.self, TrainingCommand.self,
            RiskCommand.self, RisksCommand.self,
            Policies.self, PolicyCommand.self,
            VendorCommand.self, VendorsCommand.self,
            ProcessingCommand.self, DPIACommand.self, DSRCommand.self,
            BaselineCommand.self, DriftCommand.self,
            CollectorCommand.self, Collect.self,
            Copy.self, AccessCommand.self,
        ],
        defaultSubcommand: Open.self)

    /// `ParsableCommand.main`, after checking that command-line text that could be stored holds
    /// no control characters. (Commands that only read open their workspace read-only themselves.)
    static func main() {
        do {
            try ArgumentText.check(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
            var command = try parseAsRoot(nil)
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
