import AssureModel
import Foundation

/// The catalogs, starter library and samples compiled into the binary (see EmbedPlugin).
public enum BuiltIn {
    public static let soc2CatalogName = "soc2-2017.yaml"
    public static let starterLibraryName = "starter-library.yaml"

    /// The frameworks assure carries, in the order a workspace lists them: id and catalog file.
    public static let frameworks: [(id: String, file: String)] = [
        (Framework.soc2ID, soc2CatalogName),
        ("iso27001", "iso27001-2022.yaml"),
        ("hipaa", "hipaa-security.yaml"),
        ("gdpr", "gdpr.yaml"),
    ]

    public static var frameworkIDs: [String] { frameworks.map(\.id) }

    public static func text(_ name: String) throws -> String {
        guard let text = EmbeddedFiles.byName[name] else {
            throw WorkspaceError.invalid("built-in file \(name) is missing from this build")
        }
        return text
    }

    public static func soc2Catalog() throws -> Catalog { try catalog(Framework.soc2ID) }

    /// A built-in framework's catalog by id (or alias); unknown ids are answered with the list.
    public static func catalog(_ id: String) throws -> Catalog {
        let key = Framework.canonicalID(id).lowercased()
        guard let entry = frameworks.first(where: { $0.id == key }) else {
            throw WorkspaceError.unknownReference(kind: "built-in framework", name: id, suggestions: frameworkIDs)
        }
        return try CatalogParser.parse(try text(entry.file), path: "built-in:" + entry.file)
    }

    /// The library's files: the starter set first, then one file per theme (`library-*.yaml`).
    public static var libraryFileNames: [String] {
        [starterLibraryName] + EmbeddedFiles.byName.keys.filter { $0.hasPrefix("library-") && $0.hasSuffix(".yaml") }.sorted()
    }

    /// The whole built-in control library with its links into every built-in framework.
    public static func library() throws -> Library {
        try LibraryParser.parseLibrary(try libraryFileNames.map { (try text($0), "built-in:" + $0) })
    }

    /// The starter library's controls (all files), as plain controls.
    public static func starterLibrary() throws -> [Control] {
        try library().controls.map(\.control)
    }

    /// Names of the samples shipped in the binary (`larkspur-health`, ...).
    /// A sample is a workspace file (`workspace: 1`), whatever it is called.
    public static var sampleNames: [String] {
        EmbeddedFiles.byName.filter { $0.value.hasPrefix("workspace: 1") || $0.value.contains("\nworkspace: 1") }.keys
            .map { String($0.dropLast(".yaml".count)) }.sorted()
    }
}
