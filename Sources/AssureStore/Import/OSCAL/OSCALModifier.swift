import Foundation

/// A profile's `modify`: `set-parameters` and `alters`, applied to the merged selection.
struct OSCALModifier {
    let profile: OSCALProfile
    let json: OSCALJSONReader

    func apply(to catalog: inout OSCALCatalog) throws {
        try setParameters(&catalog)
        try alter(&catalog)
    }

    // MARK: set-parameters

    private func setParameters(_ catalog: inout OSCALCatalog) throws {
        guard !profile.setParameters.isEmpty else { return }
        var sets: [String: [OSCALSetParameter]] = [:]
        for set in profile.setParameters { sets[set.paramID, default: []].append(set) }
        var applied = Set<String>()
        func params(_ list: inout [OSCALParam]) {
            for index in list.indices {
                guard let changes = sets[list[index].id] else { continue }
                applied.insert(list[index].id)
                for change in changes { Self.set(&list[index], change) }
            }
        }
        func controls(_ list: inout [OSCALControl]) {
            for index in list.indices {
                params(&list[index].params)
                controls(&list[index].controls)
            }
        }
        func groups(_ list: inout [OSCALGroup]) {
            for index in list.indices {
                params(&list[index].params)
                controls(&list[index].controls)
                groups(&list[index].groups)
            }
        }
        params(&catalog.params)
        controls(&catalog.controls)
        groups(&catalog.groups)
        for set in profile.setParameters where !applied.contains(set.paramID) && !catalog.paramIDs.contains(set.paramID) {
            throw json.error(at: set.path, id: set.paramID, reason: "names no parameter in the imported catalogs")
        }
    }

    /// Label, usage and class replace; values or select replace both; the rest is added.
    static func set(_ param: inout OSCALParam, _ change: OSCALSetParameter) {
        if let label = change.label { param.label = label }
        if let usage = change.usage { param.usage = usage }
        if let cls = change.cls { param.cls = cls }
        if let values = change.values {
            param.values = values
            param.select = nil
        } else if let select = change.select {
            param.select = select
            param.values = []
        }
        if let guidelines = change.guidelines { param.guidelines += guidelines }
        param.props += change.props
        param.links += change.links
    }

    // MARK: alters

    private func alter(_ catalog: inout OSCALCatalog) throws {
        guard !profile.alters.isEmpty else { return }
        var alters: [String: [OSCALAlter]] = [:]
        for alter in profile.alters { alters[alter.controlID, default: []].append(alter) }
        var applied = Set<String>()
        func controls(_ list: inout [OSCALControl]) throws {
            for index in list.indices {
                if let changes = alters[list[index].id] {
                    applied.insert(list[index].id)
                    for change in changes { try apply(change, to: &list[index]) }
                }
                try controls(&list[index].controls)
            }
        }
        func groups(_ list: inout [OSCALGroup]) throws {
            for index in list.indices {
                try controls(&list[index].controls)
                try groups(&list[index].groups)
            }
        }
        try controls(&catalog.controls)
        try groups(&catalog.groups)
        for alter in profile.alters where !applied.contains(alter.controlID) && !catalog.controlIDs.contains(alter.controlID) {
            throw json.error(at: alter.path, id: alter.controlID, reason: "names no control in the imported catalogs")
        }
    }

    private func apply(_ alter: OSCALAlter, to control: inout OSCALControl) throws {
        for (remove, _) in alter.removes { Self.remove(remove, from: &control) }
        for add in alter.adds { try self.add(add, to: &control) }
    }

    // MARK: removes

    static func remove(_ rule: OSCALRemove, from control: inout OSCALControl) {
        control.params.removeAll { matches(rule, item: "param", name: nil, cls: $0.cls, id: $0.id, ns: nil) }
        control.props.removeAll { matches(rule, item: "prop", name: $0.name, cls: $0.cls, id: nil, ns: $0.ns) }
        control.links.removeAll { matches(rule, item: "link", name: $0.rel, cls: nil, id: nil, ns: nil) }
        remove(rule, fromParts: &control.parts)
    }

    static func remove(_ rule: OSCALRemove, fromParts parts: inout [OSCALPart]) {
        parts.removeAll { matches(rule, item: "part", name: $0.name, cls: $0.cls, id: $0.id, ns: $0.ns) }
        for index in parts.indices {
            parts[index].props.removeAll { matches(rule, item: "prop", name: $0.name, cls: $0.cls, id: nil, ns: $0.ns) }
            parts[index].links.removeAll { matches(rule, item: "link", name: $0.rel, cls: nil, id: nil, ns: nil) }
            remove(rule, fromParts: &parts[index].parts)
        }
    }

    /// Every criterion the rule gives must hold.
    static func matches(_ rule: OSCALRemove, item: String, name: String?, cls: String?, id: String?, ns: String?) -> Bool {
        if let wanted = rule.byItemName, wanted != item { return false }
        if let wanted = rule.byName, wanted != name { return false }
        if let wanted = rule.byClass, wanted != cls { return false }
        if let wanted = rule.byID, wanted != id { return false }
        if let wanted = rule.byNS, wanted != ns { return false }
        return true
    }

    // MARK: adds

    private func add(_ add: OSCALAdd, to control: inout OSCALControl) throws {
        guard let target = add.byID, target != control.id else {
            if let title = add.title { control.title = title }
            if add.position == .starting {
                control.params.insert(contentsOf: add.params, at: 0)
                control.props.insert(contentsOf: add.props, at: 0)
                control.links.insert(contentsOf: add.links, at: 0)
                control.parts.insert(contentsOf: add.parts, at: 0)
            } else {
                control.params += add.params
                control.props += add.props
                control.links += add.links
                control.parts += add.parts
            }
            return
        }
        if let index = control.params.firstIndex(where: { $0.id == target }) {
            switch add.position {
            case .before: control.params.insert(contentsOf: add.params, at: index)
            case .after: control.params.insert(contentsOf: add.params, at: index + 1)
            case .starting:
                control.params[index].props.insert(contentsOf: add.props, at: 0)
                control.params[index].links.insert(contentsOf: add.links, at: 0)
            case .ending:
                control.params[index].props += add.props
                control.params[index].links += add.links
            }
            return
        }
        var found = false
        Self.add(add, target: target, parts: &control.parts, containerProps: &control.props, containerLinks: &control.links, found: &found)
        guard found else {
            throw json.error(at: add.path + [.key("by-id")], id: target, reason: "names nothing in control '\(control.id)'")
        }
        control.params += add.params
    }

    /// Adds next to (before/after) or into (starting/ending) the part with id `target`.
    private static func add(
        _ add: OSCALAdd, target: String, parts: inout [OSCALPart],
        containerProps: inout [OSCALProp], containerLinks: inout [OSCALLink], found: inout Bool
    ) {
        for index in parts.indices {
            if parts[index].id == target {
                found = true
                switch add.position {
                case .before:
                    parts.insert(contentsOf: add.parts, at: index)
                    containerProps += add.props
                    containerLinks += add.links
                case .after:
                    parts.insert(contentsOf: add.parts, at: index + 1)
                    containerProps += add.props
                    containerLinks += add.links
                case .starting:
                    if let title = add.title { parts[index].title = title }
                    parts[index].parts.insert(contentsOf: add.parts, at: 0)
                    parts[index].props.insert(contentsOf: add.props, at: 0)
                    parts[index].links.insert(contentsOf: add.links, at: 0)
                case .ending:
                    if let title = add.title { parts[index].title = title }
                    parts[index].parts += add.parts
                    parts[index].props += add.props
                    parts[index].links += add.links
                }
                return
            }
            var part = parts[index]
            Self.add(add, target: target, parts: &part.parts, containerProps: &part.props, containerLinks: &part.links, found: &found)
            if found { parts[index] = part; return }
        }
    }
}
