import Foundation

/// A deterministic OSCAL catalog of SP 800-53 rev5's shape (20 families, about 320 controls and
/// 880 enhancements, a few nested two deep, parameters with labels, guidelines and selections,
/// statement items nested two deep, guidance, labels and sort ids, related links, withdrawn
/// controls) and LOW/MODERATE/HIGH-like profiles over it. For the tests and the benchmark; the
/// documents are valid against the OSCAL 1.1.3 schemas.
public enum OSCALSynthetic {
    public enum Baseline: String, CaseIterable, Sendable { case low, moderate, high }

    /// What the catalog holds, for assertions.
    public struct Counts: Equatable, Sendable {
        public var groups = 0
        public var controls = 0
        /// Controls nested in controls, at any depth.
        public var enhancements = 0
        public var nestedEnhancements = 0
        public var params = 0
        public var withdrawn = 0
    }

    /// One control or enhancement as generated.
    struct Node {
        var id: String
        var label: String
        var family: Int
        var depth: Int
        var withdrawn: Bool
        var params: [String]
        var children: [Int] = []
        var parent: Int?
    }

    static let families: [(String, String)] = [
        ("ac", "Access Control"), ("at", "Awareness and Training"), ("au", "Audit and Accountability"),
        ("ca", "Assessment, Authorization, and Monitoring"), ("cm", "Configuration Management"), ("cp", "Contingency Planning"),
        ("ia", "Identification and Authentication"), ("ir", "Incident Response"), ("ma", "Maintenance"), ("mp", "Media Protection"),
        ("pe", "Physical and Environmental Protection"), ("pl", "Planning"), ("pm", "Program Management"), ("ps", "Personnel Security"),
        ("pt", "PII Processing and Transparency"), ("ra", "Risk Assessment"), ("sa", "System and Services Acquisition"),
        ("sc", "System and Communications Protection"), ("si", "System and Information Integrity"), ("sr", "Supply Chain Risk Management"),
    ]

    static let words = [
        "organization-defined", "personnel", "roles", "frequency", "events", "system", "components", "information",
        "access", "accounts", "authorizations", "monitoring", "procedures", "policy", "review", "update", "audit",
        "records", "mechanisms", "controls", "privileged", "functions", "security", "privacy", "time period",
    ]

    /// The plan every generator shares: nodes in document order.
    static func plan(seed: UInt64) -> [Node] {
        var random = SplitMix(seed: seed)
        var nodes: [Node] = []
        for (family, (prefix, _)) in families.enumerated() {
            let count = 10 + random.next(13)
            for number in 1...count {
                let id = "\(prefix)-\(number)"
                let withdrawn = number > 2 && random.next(14) == 0
                let control = nodes.count
                nodes.append(
                    Node(
                        id: id, label: "\(prefix.uppercased())-\(number)", family: family, depth: 0, withdrawn: withdrawn,
                        params: withdrawn ? [] : (1...(1 + random.next(3))).map { "\(id)_prm_\($0)" }))
                let enhancements = random.next(10) == 0 ? 8 + random.next(12) : random.next(5)
                guard enhancements > 0 else { continue }
                for e in 1...enhancements {
                    let eid = "\(id).\(e)"
                    let eWithdrawn = withdrawn || random.next(9) == 0
                    let index = nodes.count
                    nodes.append(
                        Node(
                            id: eid, label: "\(prefix.uppercased())-\(number)(\(e))", family: family, depth: 1, withdrawn: eWithdrawn,
                            params: eWithdrawn ? [] : (0..<random.next(3)).map { "\(eid)_prm_\($0 + 1)" }, parent: control))
                    nodes[control].children.append(index)
                    if !eWithdrawn, random.next(30) == 0 {
                        let nid = "\(eid).1"
                        let nested = nodes.count
                        nodes.append(
                            Node(
                                id: nid, label: "\(prefix.uppercased())-\(number)(\(e))(1)", family: family, depth: 2, withdrawn: false,
                                params: ["\(nid)_prm_1"], parent: index))
                        nodes[index].children.append(nested)
                    }
                }
            }
        }
        return nodes
    }

    public static func counts(seed: UInt64 = 53) -> Counts {
        var counts = Counts(groups: families.count)
        for node in plan(seed: seed) {
            if node.depth == 0 { counts.controls += 1 } else { counts.enhancements += 1 }
            if node.depth == 2 { counts.nestedEnhancements += 1 }
            if node.withdrawn { counts.withdrawn += 1 }
            counts.params += node.params.count
        }
        return counts
    }

    // MARK: Catalog

    public static func catalog(seed: UInt64 = 53) -> Data {
        var random = SplitMix(seed: seed ^ 0x5EED)
        let nodes = plan(seed: seed)
        func uuid() -> String {
            let hex = (0..<32).map { _ in String(random.next(16), radix: 16) }
            var text = hex.joined()
            text = String(text.prefix(12)) + "4" + String(text.dropFirst(13).prefix(3)) + "8" + String(text.dropFirst(17))
            let chars = Array(text)
            return "\(String(chars[0..<8]))-\(String(chars[8..<12]))-\(String(chars[12..<16]))-\(String(chars[16..<20]))-\(String(chars[20..<32]))"
        }
        func phrase(_ count: Int) -> String { (0..<count).map { _ in words[random.next(words.count)] }.joined(separator: " ") }
        func sortID(_ node: Node) -> String {
            let parts = node.id.split(separator: "-", maxSplits: 1)
            let numbers = parts[1].split(separator: ".").map { n -> String in
                let v = Int(n) ?? 0; return v < 10 ? "0\(v)" : "\(v)"
            }
            return "\(parts[0])-" + numbers.joined(separator: ".")
        }
        func props(_ node: Node) -> [[String: Any]] {
            var list: [[String: Any]] = [["name": "label", "value": node.label], ["name": "sort-id", "value": sortID(node)]]
            if node.withdrawn { list.append(["name": "status", "value": "withdrawn"]) }
            return list
        }
        func control(_ index: Int) -> [String: Any] {
            let node = nodes[index]
            var object: [String: Any] = [
                "id": node.id, "class": "SP800-53" + (node.depth > 0 ? "-enhancement" : ""),
                "title": phrase(2 + random.next(3)).capitalized, "props": props(node),
            ]
            if node.withdrawn {
                let target = families[node.family].0 + "-\(1 + random.next(2))"
                object["links"] = [["href": "#\(target)", "rel": "incorporated-into"]]
            } else {
                if !node.params.isEmpty {
                    object["params"] = node.params.enumerated().map { offset, id -> [String: Any] in
                        var param: [String: Any] = [
                            "id": id, "props": [["name": "alt-identifier", "value": id.replacingOccurrences(of: "_prm_", with: "_odp.")]],
                        ]
                        if offset % 3 == 2 {
                            param["select"] = ["how-many": "one-or-more", "choice": (0..<(2 + random.next(3))).map { _ in phrase(3) }]
                        } else {
                            param["label"] = "organization-defined \(phrase(2))"
                            param["guidelines"] = [["prose": "\(phrase(6)) are defined;"]]
                        }
                        return param
                    }
                }
                func insert(_ i: Int) -> String { node.params.isEmpty ? "" : " {{ insert: param, \(node.params[i % node.params.count]) }}" }
                var items: [[String: Any]] = []
                let itemCount = node.depth == 0 ? 1 + random.next(4) : random.next(3)
                for i in 0..<itemCount {
                    let letter = String(UnicodeScalar(UInt8(97 + i)))
                    var item: [String: Any] = [
                        "id": "\(node.id)_smt.\(letter)", "name": "item",
                        "props": [["name": "label", "value": "\(letter)."]],
                        "prose": "\(phrase(5 + random.next(8)).capitalized)\(insert(i));",
                    ]
                    if random.next(3) == 0 {
                        item["parts"] = (1...(1 + random.next(3))).map { n -> [String: Any] in
                            [
                                "id": "\(node.id)_smt.\(letter).\(n)", "name": "item", "props": [["name": "label", "value": "\(n)."]],
                                "prose": "\(phrase(4 + random.next(6)).capitalized)\(insert(n));",
                            ]
                        }
                    }
                    items.append(item)
                }
                var statement: [String: Any] = ["id": "\(node.id)_smt", "name": "statement"]
                if items.isEmpty {
                    statement["prose"] = "\(phrase(8).capitalized)\(insert(0))."
                } else {
                    statement["parts"] = items
                    if node.depth > 0 { statement["prose"] = "\(phrase(4).capitalized):" }
                }
                object["parts"] = [
                    statement,
                    [
                        "id": "\(node.id)_gdn", "name": "guidance",
                        "prose": (0..<(3 + random.next(5))).map { _ in phrase(10).capitalized + "." }.joined(separator: " "),
                    ],
                ]
                if random.next(2) == 0 {
                    object["links"] = (0..<(1 + random.next(3))).map { _ in
                        ["href": "#\(families[random.next(families.count)].0)-\(1 + random.next(9))", "rel": "related"]
                    }
                }
            }
            if !node.children.isEmpty { object["controls"] = node.children.map(control) }
            return object
        }
        let groups = families.enumerated().map { family, value -> [String: Any] in
            [
                "id": value.0, "class": "family", "title": value.1,
                "controls": nodes.indices.filter { nodes[$0].family == family && nodes[$0].depth == 0 }.map(control),
            ]
        }
        let publisher = uuid()
        let document: [String: Any] = [
            "catalog": [
                "uuid": uuid(),
                "metadata": [
                    "title": "Synthetic Security and Privacy Controls (SP 800-53 rev5 shape)",
                    "last-modified": "2026-01-15T00:00:00.000000-05:00", "version": "5.1.1-synthetic", "oscal-version": "1.1.3",
                    "roles": [["id": "creator", "title": "Document Creator"], ["id": "contact", "title": "Contact"]],
                    "parties": [["uuid": publisher, "type": "organization", "name": "Synthetic Standards Office"]],
                    "responsible-parties": [["role-id": "creator", "party-uuids": [publisher]]],
                    "remarks": "Synthetic catalog generated by assure for tests and benchmarks; not NIST text.",
                ] as [String: Any],
                "groups": groups,
            ] as [String: Any]
        ]
        return try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    // MARK: Profiles

    /// The explicitly selected control ids of a baseline (implicit parents under as-is are not in it).
    public static func expectedSelection(_ baseline: Baseline, seed: UInt64 = 53) -> Set<String> {
        let nodes = plan(seed: seed)
        let directives = self.directives(baseline, nodes: nodes)
        var selected = Set<String>()
        func descendants(_ index: Int) -> [Int] { nodes[index].children.flatMap { [$0] + descendants($0) } }
        let byID = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($0.element.id, $0.offset) })
        if baseline == .high { selected = Set(nodes.map(\.id)) }
        selected.formUnion(directives.ids)
        for id in directives.withChildren { selected.formUnion(descendants(byID[id]!).map { nodes[$0].id }) }
        selected.formUnion(directives.withChildren)
        selected.subtract(directives.exclude)
        for id in directives.excludeWithChildren { selected.subtract([id] + descendants(byID[id]!).map { nodes[$0].id }) }
        return selected
    }

    struct Directives {
        var ids: [String] = []
        var withChildren: [String] = []
        var exclude: [String] = []
        var excludeWithChildren: [String] = []
        var setParams: [String] = []
        var alters: [String] = []
    }

    static func directives(_ baseline: Baseline, nodes: [Node]) -> Directives {
        var d = Directives()
        let live = nodes.enumerated().filter { !$0.element.withdrawn }
        let bases = live.filter { $0.element.depth == 0 }
        switch baseline {
        case .low:
            d.ids = bases.enumerated().filter { $0.offset % 3 == 0 }.map(\.element.element.id)
            d.withChildren = families.indices.compactMap { f in bases.first { $0.element.family == f && $0.element.id.hasSuffix("-1") }?.element.id }
            d.exclude = d.withChildren.compactMap { id in nodes.first { $0.parent != nil && nodes[$0.parent!].id == id && $0.withdrawn }?.id }
        case .moderate:
            d.ids =
                bases.enumerated().filter { $0.offset % 3 != 2 }.map(\.element.element.id)
                + live.filter { $0.element.depth > 0 }.enumerated().filter { $0.offset % 2 == 0 }.map(\.element.element.id)
            d.withChildren = families.indices.compactMap { f in bases.first { $0.element.family == f && $0.element.children.count > 1 }?.element.id }
            d.exclude = d.withChildren.compactMap { id in nodes.first { $0.parent != nil && nodes[$0.parent!].id == id }?.id }
        case .high:
            d.exclude = nodes.filter { $0.withdrawn && ($0.parent == nil || !nodes[$0.parent!].withdrawn) && $0.children.isEmpty }.map(\.id)
            d.excludeWithChildren = nodes.filter { $0.withdrawn && $0.parent == nil && !$0.children.isEmpty }.map(\.id)
        }
        let chosen = Set(d.ids + d.withChildren)
        let paramHolders = live.filter { !$0.element.params.isEmpty && (baseline == .high || chosen.contains($0.element.id)) }
        d.setParams = paramHolders.enumerated().filter { $0.offset % 7 == 0 }.map { $0.element.element.params[0] }
        d.alters = paramHolders.enumerated().filter { $0.offset % 11 == 3 }.map(\.element.element.id)
        return d
    }

    /// A LOW/MODERATE/HIGH-like profile importing the catalog at `catalogHref`: LOW selects by
    /// id (with child controls for one control a family) and merges as-is; MODERATE adds
    /// enhancements one by one, excludes some, sets parameters, alters controls and merges as-is;
    /// HIGH includes all, excludes the withdrawn and merges flat.
    public static func profile(_ baseline: Baseline, catalogHref: String = "catalog.json", seed: UInt64 = 53) -> Data {
        let nodes = plan(seed: seed)
        let d = directives(baseline, nodes: nodes)
        var imported: [String: Any] = ["href": catalogHref]
        if baseline == .high {
            imported["include-all"] = [String: Any]()
        } else {
            imported["include-controls"] = [["with-ids": d.ids], ["with-child-controls": "yes", "with-ids": d.withChildren]]
        }
        var excludes: [[String: Any]] = []
        if !d.exclude.isEmpty { excludes.append(["with-ids": d.exclude]) }
        if !d.excludeWithChildren.isEmpty { excludes.append(["with-child-controls": "yes", "with-ids": d.excludeWithChildren]) }
        if !excludes.isEmpty { imported["exclude-controls"] = excludes }
        let setParameters = d.setParams.enumerated().map { offset, id -> [String: Any] in
            switch offset % 3 {
            case 0: return ["param-id": id, "values": ["at least every \(30 + offset) days"]]
            case 1: return ["param-id": id, "label": "tailored \(id)", "values": ["the security office", "the privacy office"]]
            default: return ["param-id": id, "select": ["how-many": "one", "choice": ["automated mechanisms", "manual review"]]]
            }
        }
        let alters = d.alters.enumerated().map { offset, id -> [String: Any] in
            var alter: [String: Any] = [
                "control-id": id,
                "adds": [
                    ["position": "ending", "props": [["name": "priority", "value": "P\(1 + offset % 3)"]]],
                    [
                        "position": "after", "by-id": "\(id)_smt",
                        "parts": [
                            [
                                "id": "\(id)_fr", "name": "assessment", "title": "Baseline Requirement",
                                "prose": "Tailored for the \(baseline.rawValue) baseline.",
                            ]
                        ],
                    ],
                ],
            ]
            if offset % 2 == 0 { alter["removes"] = [["by-name": "guidance"], ["by-name": "sort-id"]] }
            return alter
        }
        var modify: [String: Any] = [:]
        if !setParameters.isEmpty { modify["set-parameters"] = setParameters }
        if baseline != .low, !alters.isEmpty { modify["alters"] = alters }
        var profile: [String: Any] = [
            "uuid": "00000000-0000-4000-8000-00000000000\(Baseline.allCases.firstIndex(of: baseline)!)",
            "metadata": [
                "title": "Synthetic \(baseline.rawValue.uppercased()) Baseline", "last-modified": "2026-01-15T00:00:00.000000-05:00",
                "version": "5.1.1-synthetic", "oscal-version": "1.1.3",
            ] as [String: Any],
            "imports": [imported],
            "merge": baseline == .high ? ["flat": [String: Any]()] : ["as-is": true],
        ]
        if !modify.isEmpty { profile["modify"] = modify }
        return try! JSONSerialization.data(withJSONObject: ["profile": profile], options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
