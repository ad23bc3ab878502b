import AssureModel
import Foundation

/// Turns a read or resolved OSCAL catalog into assure's `Catalog`: groups, controls and
/// enhancements become requirements at levels `group`, `control` and `enhancement`.
///
/// Roles: a top group is a `category`, a nested group a `series`; a control not inside another
/// control is a `criterion` (the framework's assessable level is `control`); an enhancement
/// inside its control is a `point`, so a control mapped to AC-2(1) counts for AC-2 (the
/// workspace's rule for details below an assessable node), while one that stands alone (its
/// parent not selected, under `flat`) is a `criterion` itself.
struct OSCALRequirementBuilder {
    let catalog: OSCALCatalog
    let frameworkID: String
    private var params: [String: OSCALParam] = [:]
    private var requirements: [Requirement] = []
    private var refs: [String: String] = [:]  // upper-cased ref -> oscal id

    init(catalog: OSCALCatalog, frameworkID: String) {
        self.catalog = catalog
        self.frameworkID = frameworkID
    }

    mutating func build() throws -> [Requirement] {
        func collect(_ list: [OSCALParam]) { for param in list { params[param.id] = param } }
        func collect(_ controls: [OSCALControl]) { for control in controls { collect(control.params); collect(control.controls) } }
        func collect(_ groups: [OSCALGroup]) { for group in groups { collect(group.params); collect(group.controls); collect(group.groups) } }
        collect(catalog.params)
        collect(catalog.controls)
        collect(catalog.groups)
        requirements.reserveCapacity(catalog.controlIDs.count + 64)
        for control in catalog.controls { try add(control, parent: nil, parentIsControl: false, category: nil) }
        for group in catalog.groups { try add(group, parent: nil, category: nil) }
        return requirements
    }

    private mutating func ref(label: String?, id: String?, title: String) throws -> String {
        for candidate in [label, id?.uppercased(), id == nil && label == nil ? title : nil] {
            guard var candidate, !candidate.isEmpty else { continue }
            if candidate.first == " " || candidate.last == " " { candidate = candidate.trimmingCharacters(in: .whitespaces) }
            let key = candidate.uppercased()
            if !key.isEmpty, refs[key] == nil {
                refs[key] = id ?? candidate
                return candidate
            }
        }
        let taken = (label ?? id ?? title)
        throw OSCALError(
            file: catalog.file, path: [], id: id ?? taken,
            reason: "duplicate reference '\(taken)': already used by '\(refs[taken.uppercased()] ?? taken)'", data: nil)
    }

    private mutating func add(_ group: OSCALGroup, parent: String?, category: String?) throws {
        let ref = try ref(label: group.prop("label"), id: group.id, title: group.title)
        let key = category ?? (group.id ?? ref).lowercased()
        var attributes: [String: String] = [:]
        if let id = group.id { attributes["oscal_id"] = id }
        if let cls = group.cls { attributes["class"] = cls }
        if let sortID = group.prop("sort-id") { attributes["sort_id"] = sortID }
        if !group.params.isEmpty { attributes["params"] = paramsJSON(group.params) }
        requirements.append(
            Requirement(
                frameworkID: frameworkID, ref: ref, parentRef: parent, kind: parent == nil ? .category : .series, category: key,
                title: group.title.isEmpty ? ref : group.title, summary: "", order: requirements.count, level: "group",
                statement: statement(group.parts), attributes: attributes))
        for control in group.controls { try add(control, parent: ref, parentIsControl: false, category: key) }
        for child in group.groups { try add(child, parent: ref, category: key) }
    }

    private mutating func add(_ control: OSCALControl, parent: String?, parentIsControl: Bool, category: String?) throws {
        let ref = try ref(label: control.prop("label"), id: control.id, title: control.title)
        let key = category ?? (control.family ?? ref).lowercased()
        var attributes: [String: String] = ["oscal_id": control.id]
        if let cls = control.cls { attributes["class"] = cls }
        if let sortID = control.prop("sort-id") { attributes["sort_id"] = sortID }
        if control.isWithdrawn { attributes["status"] = "withdrawn" }
        if control.isImplicit { attributes["implicit"] = "yes" }
        if !control.params.isEmpty { attributes["params"] = paramsJSON(control.params) }
        requirements.append(
            Requirement(
                frameworkID: frameworkID, ref: ref, parentRef: parent, kind: parentIsControl ? .point : .criterion, category: key,
                title: control.title.isEmpty ? ref : control.title, summary: "", order: requirements.count,
                level: control.depth == 0 ? "control" : "enhancement", statement: statement(control.parts), attributes: attributes))
        for child in control.controls { try add(child, parent: ref, parentIsControl: true, category: key) }
    }

    // MARK: Statement

    /// The `statement` part's prose, then its items in order, each as `label prose`, nested
    /// items indented two spaces a level; parameters shown as set, or as assignments/selections.
    func statement(_ parts: [OSCALPart]) -> String {
        guard let statement = parts.first(where: { $0.name == "statement" }) else { return "" }
        var lines: [String] = []
        if let prose = statement.prose, !prose.isEmpty { lines.append(substitute(prose)) }
        func items(_ parts: [OSCALPart], depth: Int) {
            for part in parts {
                let label = part.props.first { $0.name == "label" }?.value
                let text = [label, part.prose.map { substitute($0) }].compactMap { $0 }.joined(separator: " ")
                if !text.isEmpty { lines.append(String(repeating: "  ", count: depth) + text) }
                items(part.parts, depth: depth + 1)
            }
        }
        items(statement.parts, depth: 0)
        return lines.joined(separator: "\n")
    }

    /// Replaces `{{ insert: param, ID }}` with the parameter's values, else
    /// `[Selection (one or more): a; b]`, else `[Assignment: label]`.
    func substitute(_ text: String, depth: Int = 0) -> String {
        let bytes = Array(text.utf8)
        let brace = UInt8(ascii: "{")
        let close = UInt8(ascii: "}")
        guard depth < 4, let first = bytes.indices.first(where: { bytes[$0] == brace && $0 + 1 < bytes.count && bytes[$0 + 1] == brace }) else {
            return text
        }
        var out: [UInt8] = Array(bytes[..<first])
        out.reserveCapacity(bytes.count + 32)
        var index = first
        while index < bytes.count {
            guard bytes[index] == brace, index + 1 < bytes.count, bytes[index + 1] == brace else {
                out.append(bytes[index]); index += 1; continue
            }
            var end = index + 2
            while end + 1 < bytes.count, !(bytes[end] == close && bytes[end + 1] == close) { end += 1 }
            guard end + 1 < bytes.count else { out += bytes[index...]; break }
            // `insert: param, ID` with any spacing.
            let inner = bytes[(index + 2)..<end].split(separator: UInt8(ascii: ","), maxSplits: 1)
            let kind = inner.first.map { String(decoding: $0.filter { $0 != 0x20 }, as: UTF8.self) }
            let id = inner.count == 2 ? String(decoding: inner[1].filter { $0 != 0x20 }, as: UTF8.self) : ""
            if kind == "insert:param", let param = params[id] {
                out += render(param, depth: depth).utf8
            } else {
                out += bytes[index..<(end + 2)]
            }
            index = end + 2
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func render(_ param: OSCALParam, depth: Int) -> String {
        if !param.values.isEmpty { return param.values.joined(separator: ", ") }
        if let select = param.select {
            let many = select.howMany == "one-or-more" ? " (one or more)" : ""
            return "[Selection\(many): \(select.choice.map { substitute($0, depth: depth + 1) }.joined(separator: "; "))]"
        }
        return "[Assignment: \(param.label ?? param.id)]"
    }

    // MARK: Parameters as JSON

    /// `[{"id":…,"label":…,"values":[…],"select":{"how-many":…,"choice":[…]}}]`, keys present only
    /// when the parameter has them, in this order.
    func paramsJSON(_ list: [OSCALParam]) -> String {
        var out = "["
        for (index, param) in list.enumerated() {
            if index > 0 { out += "," }
            out += "{\"id\":" + Self.quote(param.id)
            if let label = param.label { out += ",\"label\":" + Self.quote(label) }
            if !param.values.isEmpty { out += ",\"values\":[" + param.values.map(Self.quote).joined(separator: ",") + "]" }
            if let select = param.select {
                out += ",\"select\":{"
                if let howMany = select.howMany { out += "\"how-many\":" + Self.quote(howMany) + "," }
                out += "\"choice\":[" + select.choice.map(Self.quote).joined(separator: ",") + "]}"
            }
            out += "}"
        }
        return out + "]"
    }

    /// A JSON string literal (the one escaper the exports use too).
    static func quote(_ text: String) -> String { JSON.string(text) }
}
