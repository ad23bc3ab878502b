import Foundation

/// Reads an OSCAL catalog (or the pieces a profile shares with it) from the parsed JSON
/// output into `OSCALCatalog`, refusing a missing required field, a wrong type or a duplicate id
/// with the file and JSON path.
struct OSCALCatalogReader {
    let json: OSCALJSONReader
    private var controlIDs: Set<String> = []
    private var paramIDs: Set<String> = []
    private var groupIDs: Set<String> = []

    init(_ json: OSCALJSONReader) { self.json = json }

    /// `root` is the document; its `catalog` object is read.
    mutating func catalog(_ root: JSONObject) throws -> OSCALCatalog {
        guard let catalog = try json.object(root, "catalog") else { throw json.fail("'catalog' is required", at: .key("catalog")) }
        return try json.within(.key("catalog")) {
            let metadata = try json.within(.key("metadata")) { try Self.metadata(json, try requiredObject(catalog, "metadata")) }
            var result = OSCALCatalog(file: json.file, metadata: metadata)
            result.params = try params(catalog)
            result.controls = try json.objects(catalog, "controls") { try control($0, depth: 0, family: nil) }
            result.groups = try json.objects(catalog, "groups") { try group($0, family: nil) }
            result.controlIDs = controlIDs
            result.paramIDs = paramIDs
            return result
        }
    }

    private func requiredObject(_ object: JSONObject, _ key: String) throws -> JSONObject {
        guard let inner = try json.object(object, key) else { throw json.fail("'\(key)' is required", at: .key(key)) }
        return inner
    }

    static func metadata(_ json: OSCALJSONReader, _ object: JSONObject) throws -> OSCALMetadata {
        let title = try json.required(object, "title", multiline: false)
        let version = try json.string(object, "version", multiline: false) ?? ""
        // The publisher: the party in the `publisher` role, else `creator`, else the first organization.
        var names: [String: String] = [:]
        var firstOrganization: String?
        for party in try json.objects(
            object, "parties",
            { party -> (String, String?, String?) in
                (try json.token(party, "uuid"), try json.string(party, "name", multiline: false), try json.string(party, "type"))
            })
        {
            if let name = party.1 {
                names[party.0] = name
                if party.2 == "organization", firstOrganization == nil { firstOrganization = name }
            }
        }
        var byRole: [String: [String]] = [:]
        for (role, uuids) in try json.objects(
            object, "responsible-parties",
            { entry in
                (try json.token(entry, "role-id"), try json.strings(entry, "party-uuids"))
            })
        {
            byRole[role, default: []] += uuids
        }
        let publisher =
            ["publisher", "creator", "prepared-by"].lazy
            .compactMap { byRole[$0]?.compactMap { names[$0] }.first }.first ?? firstOrganization ?? ""
        return OSCALMetadata(title: title, version: version, publisher: publisher, remarks: try json.string(object, "remarks"))
    }

    mutating func group(_ object: JSONObject, family: String?) throws -> OSCALGroup {
        let id = try object["id"] == nil ? nil : json.token(object, "id")
        if let id {
            guard groupIDs.insert(id).inserted else { throw json.fail("duplicate group id", id: id, at: .key("id")) }
        }
        let family = family ?? id
        var group = OSCALGroup(
            id: id, cls: try json.string(object, "class", multiline: false),
            title: try json.required(object, "title", multiline: false, owner: id))
        group.params = try params(object)
        group.props = try Self.props(json, object)
        group.parts = try Self.parts(json, object)
        group.groups = try json.objects(object, "groups") { try self.group($0, family: family) }
        group.controls = try json.objects(object, "controls") { try control($0, depth: 0, family: family) }
        return group
    }

    mutating func control(_ object: JSONObject, depth: Int, family: String?) throws -> OSCALControl {
        let id = try json.token(object, "id")
        guard controlIDs.insert(id).inserted else { throw json.fail("duplicate control id", id: id, at: .key("id")) }
        var control = OSCALControl(
            id: id, cls: try json.string(object, "class", multiline: false),
            title: try json.required(object, "title", multiline: false, owner: id))
        control.depth = depth
        control.family = family
        control.params = try params(object)
        control.props = try Self.props(json, object)
        control.links = try Self.links(json, object)
        control.parts = try Self.parts(json, object)
        control.controls = try json.objects(object, "controls") { try self.control($0, depth: depth + 1, family: family) }
        return control
    }

    mutating func params(_ object: JSONObject) throws -> [OSCALParam] {
        let list = try Self.params(json, object)
        for (index, param) in list.enumerated() where !paramIDs.insert(param.id).inserted {
            throw json.within(.key("params")) { json.fail("duplicate parameter id", id: param.id, at: .index(index)) }
        }
        return list
    }

    // MARK: Pieces shared with profiles (set-parameters, alters' adds)

    static func params(_ json: OSCALJSONReader, _ object: JSONObject) throws -> [OSCALParam] {
        try json.objects(object, "params") { try param(json, $0, idKey: "id") }
    }

    static func param(_ json: OSCALJSONReader, _ object: JSONObject, idKey: String) throws -> OSCALParam {
        var param = OSCALParam(
            id: try json.token(object, idKey), cls: try json.string(object, "class", multiline: false),
            label: try json.string(object, "label"), usage: try json.string(object, "usage"))
        param.values = try json.strings(object, "values")
        if let select = try json.object(object, "select") {
            param.select = try json.within(.key("select")) {
                OSCALSelect(howMany: try json.string(select, "how-many", multiline: false), choice: try json.strings(select, "choice"))
            }
        }
        param.guidelines = try json.objects(object, "guidelines") { try json.required($0, "prose") }
        param.props = try props(json, object)
        param.links = try links(json, object)
        return param
    }

    static func props(_ json: OSCALJSONReader, _ object: JSONObject) throws -> [OSCALProp] {
        try json.objects(object, "props") {
            OSCALProp(
                name: try json.token($0, "name"), value: try json.required($0, "value", multiline: false),
                ns: try json.string($0, "ns", multiline: false), cls: try json.string($0, "class", multiline: false))
        }
    }

    static func links(_ json: OSCALJSONReader, _ object: JSONObject) throws -> [OSCALLink] {
        try json.objects(object, "links") {
            OSCALLink(
                href: try json.required($0, "href", multiline: false), rel: try json.string($0, "rel", multiline: false),
                text: try json.string($0, "text"))
        }
    }

    static func parts(_ json: OSCALJSONReader, _ object: JSONObject) throws -> [OSCALPart] {
        try json.objects(object, "parts") { part in
            var result = OSCALPart(
                id: try part["id"] == nil ? nil : json.token(part, "id"), name: try json.token(part, "name"),
                ns: try json.string(part, "ns", multiline: false), cls: try json.string(part, "class", multiline: false),
                title: try json.string(part, "title"), prose: try json.string(part, "prose"))
            result.props = try props(json, part)
            result.links = try links(json, part)
            result.parts = try parts(json, part)
            return result
        }
    }
}
