import AssureModel
import Foundation

/// Imports a NIST OSCAL 1.1.3 JSON catalog, or a profile resolved against its imports, as a
/// framework (`assure import oscal FILE`). See `OSCALProfileResolver` for the resolution rules
/// and `OSCALRequirementBuilder` for how groups, controls and enhancements become requirements.
///
/// Every refusal is a `WorkspaceError.badFile` naming the file, line and column, the JSON path,
/// the offending id and the reason:
/// `nist.json:812:9: $.catalog.groups[3].controls[12].id: 'ac-2': duplicate control id`.
public enum OSCALImporter {
    /// The level readiness counts in an imported framework.
    public static let assessableLevel = "control"

    /// Reads `json` (a catalog or a profile, at `path`) into a framework named `id` (else a slug
    /// of the metadata title). A profile's imports are fetched with `loadImport`, given the
    /// location the href leads to (a path resolved against the importing file, or a URL); it
    /// returns nil when there is nothing there.
    public static func catalog(
        json: Data, path: String, id: String? = nil,
        loadImport: (String) throws -> Data? = OSCALImporter.readFile
    ) throws -> Catalog {
        do {
            return try withoutActuallyEscaping(loadImport) { loader in
                var resolver = OSCALProfileResolver(loadImport: loader)
                let document = try resolver.document(data: json, location: path)
                return try build(document.catalog, path: path, id: id)
            }
        } catch let error as OSCALError {
            throw error.workspaceError
        }
    }

    /// Reads the file at `location`, nil when there is none (a URL is never fetched).
    public static func readFile(_ location: String) throws -> Data? {
        guard !OSCALProfileResolver.isRemote(location), FileManager.default.fileExists(atPath: location) else { return nil }
        do { return try Data(contentsOf: URL(fileURLWithPath: location)) } catch {
            throw WorkspaceError.invalid("\(location): cannot read the file")
        }
    }

    /// `readFile`, then `fallback` (the `--catalog FILE` given for an import that cannot be followed).
    public static func loader(fallbackCatalog fallback: String?) -> (String) throws -> Data? {
        { location in
            if let data = try readFile(location) { return data }
            guard let fallback else { return nil }
            guard let data = try readFile(fallback) else { throw WorkspaceError.invalid("\(fallback): no such file") }
            return data
        }
    }

    static func build(_ oscal: OSCALCatalog, path: String, id: String?) throws -> Catalog {
        let metadata = oscal.metadata
        let frameworkID = Framework.canonicalID(id ?? slug(metadata.title))
        guard !frameworkID.isEmpty, frameworkID.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw WorkspaceError.invalid("framework id '\(frameworkID)' may hold only letters, digits, '-', '_' and '.'; give one with --id")
        }
        var builder = OSCALRequirementBuilder(catalog: oscal, frameworkID: frameworkID)
        let requirements = try builder.build()
        guard requirements.contains(where: { $0.kind == .criterion }) else {
            throw OSCALError(file: path, path: [], id: nil, reason: "no controls: the catalog (or the profile's selection) is empty", data: nil)
        }
        let notice = metadata.remarks?.trimmingCharacters(in: .whitespacesAndNewlines)
        let framework = Framework(
            id: frameworkID, title: metadata.title, version: metadata.version, publisher: metadata.publisher,
            source: (path as NSString).lastPathComponent, notice: notice?.isEmpty == false ? notice! : "Imported from OSCAL",
            assessableLevel: assessableLevel)
        return Catalog(framework: framework, requirements: requirements)
    }

    /// "NIST SP 800-53 Rev 5 (MODERATE)" -> "nist-sp-800-53-rev-5-moderate", at most 48 characters.
    static func slug(_ title: String) -> String {
        var out = ""
        for character in title.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber { out.append(character) } else if out.last != "-" { out.append("-") }
        }
        var slug = out.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        if slug.count > 48 {
            slug = String(slug.prefix(48))
            if let cut = slug.lastIndex(of: "-") { slug = String(slug[..<cut]) }
        }
        return slug
    }
}

extension WorkspaceWriter {
    /// `assure import oscal FILE`: adds the framework in this one transaction with its change-log
    /// row. Nothing is written on any error.
    @discardableResult
    public func importOSCAL(
        json: Data, path: String, id: String? = nil,
        loadImport: (String) throws -> Data? = OSCALImporter.readFile
    ) throws -> Catalog {
        let catalog = try OSCALImporter.catalog(json: json, path: path, id: id, loadImport: loadImport)
        try importOSCAL(catalog, path: path)
        return catalog
    }

    /// Writes an already read OSCAL catalog. Withdrawn controls need no write of their own: the
    /// workspace's scope rule leaves out any requirement whose `status` attribute is `withdrawn`.
    public func importOSCAL(_ catalog: Catalog, path: String) throws {
        try CatalogWriter.insert(catalog, source: (path as NSString).lastPathComponent, db: db, log: &log)
    }
}
