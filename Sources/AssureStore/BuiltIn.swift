import AssureModel
import Foundation

/// The catalogs, starter library and samples compiled into the binary (see EmbedPlugin).
public enum BuiltIn {
    public static let soc2CatalogName = "soc2-2017.yaml"
    public static let starterLibraryName = "starter-library.yaml"

    public static func text(_ name: String) throws -> String {
        guard let text = EmbeddedFiles.byName[name] else {
            throw WorkspaceError.invalid("built-in file \(name) is missing from this build")
        }
        return text
    }

    public static func soc2Catalog() throws -> Catalog {
        try CatalogParser.parse(try text(soc2CatalogName), path: "built-in:" + soc2CatalogName)
    }

    public static func starterLibrary() throws -> [Control] {
        try LibraryParser.parse(try text(starterLibraryName), path: "built-in:" + starterLibraryName)
    }

    /// Names of the samples shipped in the binary (`larkspur-health`, ...).
    /// A sample is a workspace file (`workspace: 1`), whatever it is called.
    public static var sampleNames: [String] {
        EmbeddedFiles.byName.filter { $0.value.hasPrefix("workspace: 1") || $0.value.contains("\nworkspace: 1") }.keys
            .map { String($0.dropLast(".yaml".count)) }.sorted()
    }
}
