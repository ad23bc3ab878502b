import ArgumentParser
import AssureModel
import AssureStore
import Foundation

/// `assure import oscal FILE`: a NIST OSCAL 1.1.3 JSON catalog, or a profile resolved against
/// the catalogs and profiles it imports, becomes a framework.
struct ImportOSCAL: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oscal", abstract: "Load a framework from an OSCAL JSON catalog or profile (a baseline).",
        discussion: """
            Groups, controls and enhancements become requirements at levels group, control and enhancement; \
            readiness counts controls (an enhancement's mapped controls count for its control). A profile is \
            resolved: its imports (relative paths or back-matter resources), include/exclude, merge (as-is, \
            flat), set-parameters and alters. Withdrawn controls are left out of scope. A malformed file is \
            refused with file:line:column, the JSON path and the offending id, and nothing is written.
            Examples:
              assure import oscal NIST_SP-800-53_rev5_catalog.json --id sp800-53
              assure import oscal NIST_SP-800-53_rev5_MODERATE-baseline_profile.json --id moderate \\
                --catalog NIST_SP-800-53_rev5_catalog.json
            """)
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The OSCAL catalog or profile (JSON).")
    var file: String
    @Option(help: "The framework's id (default: from the document's title).")
    var id: String?
    @Option(help: "The catalog to use for an import whose href cannot be followed (a URL, a missing file).")
    var catalog: String?

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("\(file): cannot read the file") }
        if let catalog, !FileManager.default.fileExists(atPath: catalog) { throw CLIError("\(catalog): no such file") }
        let imported = try options.open().write(options.acting()) {
            try $0.importOSCAL(json: data, path: file, id: id, loadImport: OSCALImporter.loader(fallbackCatalog: catalog))
        }.value
        var count: [String: Int] = [:]
        for requirement in imported.requirements { count[requirement.level, default: 0] += 1 }
        let withdrawn = imported.requirements.filter { $0.attributes["status"] == "withdrawn" }.count
        print(
            "Imported \(imported.framework.title) as '\(imported.framework.id)': \(count["control"] ?? 0) controls, "
                + "\(count["enhancement"] ?? 0) enhancements in \(count["group"] ?? 0) groups"
                + (withdrawn > 0 ? " (\(withdrawn) withdrawn, out of scope)" : ""))
    }
}
