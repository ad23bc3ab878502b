import Foundation
import PackagePlugin

/// Embeds text files into the target as a generated `EmbeddedFiles.swift`, so built-in catalogs,
/// the sample workspace and themes ship inside the binary instead of a resource bundle that
/// would break once the binary is copied elsewhere.
@main
struct EmbedPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let folders: [URL]
        switch target.name {
        case "AssureStore":
            folders = [
                root.appendingPathComponent("Sources/AssureStore/Catalogs"),
                root.appendingPathComponent("samples"),
            ]
        case "Workbench":
            folders = [root.appendingPathComponent("themes")]
        default:
            return []
        }
        var inputs: [URL] = []
        for folder in folders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.sorted() where name.hasSuffix(".yaml") {
                inputs.append(folder.appendingPathComponent(name))
            }
        }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) files into \(target.name)",
                executable: try context.tool(named: "EmbedFiles").url,
                arguments: [output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
