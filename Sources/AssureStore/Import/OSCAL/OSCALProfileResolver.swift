import Foundation

/// Loads OSCAL documents and resolves profiles into catalogs, after the OSCAL profile resolution
/// specification: import (select), merge (structure), modify (set parameters, alter controls).
///
/// - Selection: `include-all` (also an import with no `include-controls`), `include-controls`
///   by `with-ids` and `matching` globs, `with-child-controls: yes` taking every descendant;
///   `exclude-controls` the same way, exclusion prevailing. A with-id naming no control is refused.
/// - Structure: `as-is` keeps the groups holding selected controls; a control that is not
///   selected but holds selected descendants is kept for their sake with its title only (marked
///   implicit). `flat`, and no structuring directive at all (the specification's default), drops
///   the groups; a selected enhancement stays in its selected parent and one whose parent is not
///   selected rises to the top.
/// - Combine: `keep` (the default) refuses a control two imports select (ids must stay unique);
///   `use-first` and `merge` keep the first.
/// - Modify: `set-parameters` replaces label, usage, class and values-or-select and adds
///   guidelines, props and links; `alters` removes and adds. A directive naming something no
///   imported source has is refused; one naming something the selection left out is ignored.
/// - Imports: relative hrefs from the importing file, `#uuid` back-matter resources through their
///   rlinks, anything else through the caller's loader; an import cycle is refused.
struct OSCALProfileResolver {
    /// Given the location of an import, its bytes (nil: cannot be found).
    let loadImport: (String) throws -> Data?
    private var stack: [String] = []

    init(loadImport: @escaping (String) throws -> Data?) { self.loadImport = loadImport }

    /// Reads a catalog, or reads and resolves a profile.
    mutating func document(data: Data, location: String) throws -> (catalog: OSCALCatalog, isProfile: Bool) {
        let json = OSCALJSONReader(file: location, data: data)
        let root = try json.root()
        if root["catalog"] != nil {
            var reader = OSCALCatalogReader(json)
            return (try reader.catalog(root), false)
        }
        if root["profile"] != nil {
            let profile = try OSCALProfileReader(json: json).profile(root)
            stack.append(Self.normalized(location))
            defer { stack.removeLast() }
            return (try resolve(profile, json: json, location: location), true)
        }
        let keys = root.keys.sorted().joined(separator: ", ")
        throw json.fail("not an OSCAL catalog or profile (the document's keys: \(keys.isEmpty ? "none" : keys))")
    }

    private mutating func resolve(_ profile: OSCALProfile, json: OSCALJSONReader, location: String) throws -> OSCALCatalog {
        var result = OSCALCatalog(file: location, metadata: profile.metadata)
        var seen: [String: Int] = [:]  // control id -> import index, for combine
        for (number, directive) in profile.imports.enumerated() {
            let target = try locate(directive, profile: profile, json: json, location: location)
            if stack.contains(Self.normalized(target)) {
                throw json.error(
                    at: directive.path + [.key("href")], id: directive.href,
                    reason: "import cycle: \((stack + [Self.normalized(target)]).joined(separator: " -> "))")
            }
            guard let data = try loadImport(target) else {
                throw json.error(
                    at: directive.path + [.key("href")], id: directive.href,
                    reason: "cannot follow the import: nothing at \(target) (give the catalog with --catalog FILE)")
            }
            let source = try document(data: data, location: target).catalog
            let selected = try select(directive, from: source, json: json)
            var imported = OSCALCatalog(file: source.file, metadata: source.metadata)
            imported.params = source.params
            if profile.structure == .asIs {
                imported.groups = source.groups.compactMap { Self.keep($0, selected) }
                imported.controls = Self.keep(source.controls, selected, implicitParents: true)
            } else {
                imported.controls = Self.flatten(source, selected)
            }
            // Combine with what earlier imports brought.
            var duplicate: String?
            func admit(_ controls: inout [OSCALControl]) {
                controls = controls.compactMap { control in
                    var control = control
                    if seen[control.id] != nil {
                        if profile.combine == .keep, duplicate == nil { duplicate = control.id }
                        return nil
                    }
                    seen[control.id] = number
                    admit(&control.controls)
                    return control
                }
            }
            func admitGroups(_ groups: inout [OSCALGroup]) {
                for index in groups.indices {
                    admit(&groups[index].controls)
                    admitGroups(&groups[index].groups)
                }
                groups.removeAll(where: \.isEmpty)
            }
            admit(&imported.controls)
            admitGroups(&imported.groups)
            if let duplicate {
                throw json.error(
                    at: directive.path, id: duplicate,
                    reason: "duplicate id: the control is selected by an earlier import too (merge.combine 'keep'); use 'use-first' or select it once"
                )
            }
            result.controls += imported.controls
            Self.mergeGroups(&result.groups, imported.groups)
            result.params += imported.params.filter { param in !result.params.contains { $0.id == param.id } }
            result.controlIDs.formUnion(source.controlIDs)
            result.paramIDs.formUnion(source.paramIDs)
            // The source's publisher and notice (its copyright) carry through unless the profile has its own.
            if result.metadata.publisher.isEmpty { result.metadata.publisher = source.metadata.publisher }
            if result.metadata.remarks == nil { result.metadata.remarks = source.metadata.remarks }
        }
        try OSCALModifier(profile: profile, json: json).apply(to: &result)
        return result
    }

    /// Where an import's href leads: a path relative to the importing file, a back-matter
    /// resource's rlink, or the href itself (a URL) for the loader to map.
    private func locate(_ directive: OSCALImport, profile: OSCALProfile, json: OSCALJSONReader, location: String) throws -> String {
        var href = directive.href
        if href.hasPrefix("#") {
            let uuid = String(href.dropFirst())
            guard let rlinks = profile.resources[uuid] else {
                throw json.error(at: directive.path + [.key("href")], id: href, reason: "names no back-matter resource")
            }
            guard let link = rlinks.first(where: { !$0.hasPrefix("#") && !Self.isRemote($0) }) ?? rlinks.first(where: { !$0.hasPrefix("#") }) else {
                throw json.error(at: directive.path + [.key("href")], id: href, reason: "the back-matter resource has no rlink to follow")
            }
            href = link
        }
        if href.hasPrefix("file://") { href = String(href.dropFirst("file://".count)) }
        if Self.isRemote(href) || href.hasPrefix("/") { return href }
        let folder = (location as NSString).deletingLastPathComponent
        return ((folder.isEmpty ? href : (folder as NSString).appendingPathComponent(href)) as NSString).standardizingPath
    }

    static func isRemote(_ href: String) -> Bool { href.contains("://") || href.hasPrefix("urn:") }

    static func normalized(_ location: String) -> String {
        isRemote(location) ? location : (location as NSString).standardizingPath
    }

    // MARK: Selection

    private func select(_ directive: OSCALImport, from source: OSCALCatalog, json: OSCALJSONReader) throws -> Set<String> {
        var all: [String] = []
        var descendants: [String: [String]] = [:]
        func index(_ controls: [OSCALControl]) -> [String] {
            var ids: [String] = []
            for control in controls {
                all.append(control.id)
                let below = index(control.controls)
                descendants[control.id] = below
                ids.append(control.id)
                ids += below
            }
            return ids
        }
        func indexGroups(_ groups: [OSCALGroup]) {
            for group in groups { _ = index(group.controls); indexGroups(group.groups) }
        }
        _ = index(source.controls)
        indexGroups(source.groups)

        func ids(_ selectors: [OSCALSelector]) throws -> Set<String> {
            var out = Set<String>()
            for selector in selectors {
                var picked: [String] = []
                for (id, path) in selector.withIDs {
                    guard descendants[id] != nil else {
                        throw json.error(at: path, id: id, reason: "names no control in \(source.file)")
                    }
                    picked.append(id)
                }
                for pattern in selector.matching {
                    picked += all.filter { Self.glob(pattern, matches: $0) }
                }
                for id in picked {
                    out.insert(id)
                    if selector.withChildControls { out.formUnion(descendants[id] ?? []) }
                }
            }
            return out
        }
        var selected = directive.includeAll || directive.include.isEmpty ? Set(all) : try ids(directive.include)
        selected.subtract(try ids(directive.exclude))
        return selected
    }

    /// `*` any run, `?` one character (OSCAL's `matching` patterns).
    static func glob(_ pattern: String, matches text: String) -> Bool {
        let p = Array(pattern.unicodeScalars)
        let t = Array(text.unicodeScalars)
        var pi = 0
        var ti = 0
        var star = -1
        var mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                pi += 1; ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    // MARK: Structure

    /// `as-is`: the selected controls in place; an unselected one with selected descendants is
    /// kept with its title only, for their sake.
    static func keep(_ controls: [OSCALControl], _ selected: Set<String>, implicitParents: Bool) -> [OSCALControl] {
        var out: [OSCALControl] = []
        for var control in controls {
            let children = keep(control.controls, selected, implicitParents: implicitParents)
            if selected.contains(control.id) {
                control.controls = children
                out.append(control)
            } else if !children.isEmpty {
                var shell = OSCALControl(id: control.id, cls: control.cls, title: control.title)
                shell.props = control.props.filter { $0.name == "label" || $0.name == "sort-id" }
                shell.isImplicit = true
                shell.depth = control.depth
                shell.family = control.family
                shell.controls = children
                out.append(shell)
            }
        }
        return out
    }

    static func keep(_ group: OSCALGroup, _ selected: Set<String>) -> OSCALGroup? {
        var group = group
        group.controls = keep(group.controls, selected, implicitParents: true)
        group.groups = group.groups.compactMap { keep($0, selected) }
        return group.isEmpty ? nil : group
    }

    /// `flat`: no groups; selected enhancements stay under selected parents, others rise.
    static func flatten(_ source: OSCALCatalog, _ selected: Set<String>) -> [OSCALControl] {
        func lift(_ controls: [OSCALControl]) -> [OSCALControl] {
            var out: [OSCALControl] = []
            for var control in controls {
                let children = lift(control.controls)
                if selected.contains(control.id) {
                    control.controls = children
                    out.append(control)
                } else {
                    out += children
                }
            }
            return out
        }
        func walk(_ groups: [OSCALGroup]) -> [OSCALControl] {
            groups.flatMap { lift($0.controls) + walk($0.groups) }
        }
        return lift(source.controls) + walk(source.groups)
    }

    /// Groups with the same id from several imports become one.
    static func mergeGroups(_ into: inout [OSCALGroup], _ more: [OSCALGroup]) {
        for group in more {
            if let id = group.id, let index = into.firstIndex(where: { $0.id == id }) {
                into[index].controls += group.controls
                mergeGroups(&into[index].groups, group.groups)
            } else {
                into.append(group)
            }
        }
    }
}
