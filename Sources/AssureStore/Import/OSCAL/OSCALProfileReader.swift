import Foundation

/// Reads an OSCAL profile's directives (imports, merge, modify, back-matter) into `OSCALProfile`.
/// Each directive keeps its JSON path so resolution can name it when it refuses one.
struct OSCALProfileReader {
    let json: OSCALJSONReader

    func profile(_ root: JSONObject) throws -> OSCALProfile {
        guard let profile = try json.object(root, "profile") else { throw json.fail("'profile' is required", at: .key("profile")) }
        return try json.within(.key("profile")) {
            guard let metadataObject = try json.object(profile, "metadata") else { throw json.fail("'metadata' is required", at: .key("metadata")) }
            let metadata = try json.within(.key("metadata")) { try OSCALCatalogReader.metadata(json, metadataObject) }
            guard profile["imports"] != nil else { throw json.fail("'imports' is required", at: .key("imports")) }
            let imports = try json.objects(profile, "imports") { try importDirective($0) }
            if imports.isEmpty { throw json.fail("a profile imports at least one catalog or profile", at: .key("imports")) }
            var result = OSCALProfile(metadata: metadata, imports: imports)
            if let merge = try json.object(profile, "merge") {
                try json.within(.key("merge")) {
                    if merge["custom"] != nil {
                        throw json.fail("the 'custom' structuring directive is not supported; use 'as-is' or 'flat'", at: .key("custom"))
                    }
                    let asIs = try json.bool(merge, "as-is") ?? false
                    if merge["flat"] != nil {
                        _ = try json.object(merge, "flat")
                        if asIs { throw json.fail("'as-is' and 'flat' are exclusive; give one structuring directive", at: .key("flat")) }
                        result.structure = .flat
                    } else if asIs {
                        result.structure = .asIs
                    }
                    if let combine = try json.object(merge, "combine") {
                        try json.within(.key("combine")) {
                            let method = try json.string(combine, "method", multiline: false) ?? "keep"
                            guard let value = OSCALProfile.Combine(rawValue: method) else {
                                throw json.fail("unknown combine method; use keep, merge or use-first", id: method, at: .key("method"))
                            }
                            result.combine = value
                        }
                    }
                }
            }
            if let modify = try json.object(profile, "modify") {
                try json.within(.key("modify")) {
                    result.setParameters = try json.objects(modify, "set-parameters") { try setParameter($0) }
                    result.alters = try json.objects(modify, "alters") { try alter($0) }
                }
            }
            if let backMatter = try json.object(profile, "back-matter") {
                try json.within(.key("back-matter")) {
                    for (uuid, hrefs) in try json.objects(
                        backMatter, "resources",
                        { resource in
                            (
                                try json.token(resource, "uuid"),
                                try json.objects(resource, "rlinks") { try json.required($0, "href", multiline: false) }
                            )
                        })
                    {
                        result.resources[uuid] = hrefs
                    }
                }
            }
            return result
        }
    }

    private func importDirective(_ object: JSONObject) throws -> OSCALImport {
        var result = OSCALImport(href: try json.required(object, "href", multiline: false), path: json.path)
        if object["include-all"] != nil {
            _ = try json.object(object, "include-all")
            result.includeAll = true
        }
        result.include = try json.objects(object, "include-controls") { try selector($0) }
        result.exclude = try json.objects(object, "exclude-controls") { try selector($0) }
        if result.includeAll, !result.include.isEmpty {
            throw json.fail("'include-all' and 'include-controls' are exclusive", at: .key("include-controls"))
        }
        return result
    }

    private func selector(_ object: JSONObject) throws -> OSCALSelector {
        var result = OSCALSelector()
        switch try json.string(object, "with-child-controls", multiline: false) {
        case nil, "no": result.withChildControls = false
        case "yes": result.withChildControls = true
        case let other?: throw json.fail("must be \"yes\" or \"no\"", id: other, at: .key("with-child-controls"))
        }
        let ids = try json.strings(object, "with-ids", multiline: false)
        result.withIDs = ids.enumerated().map { ($0.element, json.path + [.key("with-ids"), .index($0.offset)]) }
        result.matching = try json.objects(object, "matching") { try json.required($0, "pattern", multiline: false) }
        return result
    }

    private func setParameter(_ object: JSONObject) throws -> OSCALSetParameter {
        let param = try OSCALCatalogReader.param(json, object, idKey: "param-id")
        return OSCALSetParameter(
            paramID: param.id, path: json.path + [.key("param-id")], cls: param.cls, label: param.label, usage: param.usage,
            values: object["values"] == nil ? nil : param.values, select: param.select,
            guidelines: object["guidelines"] == nil ? nil : param.guidelines, props: param.props, links: param.links)
    }

    private func alter(_ object: JSONObject) throws -> OSCALAlter {
        var result = OSCALAlter(controlID: try json.token(object, "control-id"), path: json.path + [.key("control-id")])
        result.removes = try json.objects(object, "removes") { remove in
            let value = OSCALRemove(
                byName: try json.string(remove, "by-name", multiline: false), byClass: try json.string(remove, "by-class", multiline: false),
                byID: try json.string(remove, "by-id", multiline: false), byItemName: try json.string(remove, "by-item-name", multiline: false),
                byNS: try json.string(remove, "by-ns", multiline: false))
            if value.byName == nil, value.byClass == nil, value.byID == nil, value.byItemName == nil, value.byNS == nil {
                throw json.fail("a remove names what to remove: by-name, by-class, by-id, by-item-name or by-ns")
            }
            return (value, json.path)
        }
        result.adds = try json.objects(object, "adds") { add in
            let text = try json.string(add, "position", multiline: false)
            guard let position = OSCALAdd.Position(rawValue: text ?? "ending") else {
                throw json.fail("unknown position; use before, after, starting or ending", id: text, at: .key("position"))
            }
            let byID = try json.string(add, "by-id", multiline: false)
            if byID == nil, position == .before || position == .after {
                throw json.fail("position '\(position.rawValue)' needs 'by-id'", at: .key("position"))
            }
            var value = OSCALAdd(position: position, byID: byID, path: json.path, title: try json.string(add, "title", multiline: false))
            value.params = try OSCALCatalogReader.params(json, add)
            value.props = try OSCALCatalogReader.props(json, add)
            value.links = try OSCALCatalogReader.links(json, add)
            value.parts = try OSCALCatalogReader.parts(json, add)
            return value
        }
        return result
    }
}
