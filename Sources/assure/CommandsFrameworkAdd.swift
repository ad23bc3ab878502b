import ArgumentParser
import AssureModel
import AssureStore
import Foundation

struct FrameworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "framework", abstract: "Add a built-in framework to the workspace.",
        subcommands: [AddFramework.self])

    struct AddFramework: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add a built-in framework (soc2, iso27001, hipaa, gdpr) and link the library's controls to it.",
            discussion: """
                Controls already in the workspace that the built-in library links to the framework get those links; library controls that serve it and are missing are added (not started, no owner) unless --no-controls. One change, one undo.

                Examples:
                  assure framework add iso27001
                  assure framework add hipaa --no-controls
                """)
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The built-in framework's id: soc2, iso27001, hipaa or gdpr.")
        var id: String
        @Flag(help: "Only link controls already in the workspace; add none.")
        var noControls = false

        func run() throws {
            let added = try options.open().write(options.acting()) { try $0.addBuiltInFramework(id, addControls: !noControls) }.value
            print(
                "Added \(added.framework.id) (\(added.framework.title)): \(added.requirements) requirements; \(added.controlsAdded) controls added, \(added.linksAdded) links."
            )
        }
    }
}
