import Foundation
import PackagePlugin

/// Embeds text files into the target as a generated `EmbeddedFiles.swift`, so built-in catalogs,
/// the sample workspace and themes ship inside the binary instead of a resource bundle that
/// would break once the binary is copied elsewhere.
@main
struct EmbedPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        // Each folder with the file endings it embeds. Files are keyed by name alone, so names
        // must be unique across folders (the sample's evidence files are prefixed `larkspur-`).
        let folders: [(url: URL, endings: [String])]
        switch target.name {
        case "AssureStore":
            folders = [
                (root.appendingPathComponent("Sources/AssureStore/Catalogs"), [".yaml"]),
                (root.appendingPathComponent("samples"), [".yaml"]),
                // Evidence, populations and the request list the Larkspur sample's `type2:` loads, and its collectors' outputs.
                (root.appendingPathComponent("samples/larkspur-evidence"), [".md", ".csv", ".txt", ".json"]),
                // The six built-in policy templates (`policy-*.md`), installed into every workspace.
                (root.appendingPathComponent("Sources/AssureStore/Catalogs/policies"), [".md"]),
            ]
        case "Workbench":
            folders = [(root.appendingPathComponent("themes"), [".yaml"])]
        default:
            return []
        }
        var inputs: [URL] = []
        for folder in folders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.url.path)) ?? []
            for name in names.sorted() where folder.endings.contains(where: { name.hasSuffix($0) }) {
                inputs.append(folder.url.appendingPathComponent(name))
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
