import AssureModel
import Foundation
import GRDB

/// The workspace as an OSCAL 1.1.3 system security plan. It must be valid even for a workspace
/// made a minute ago, so whatever assure does not record yet (information types, the system's
/// status, its authorization boundary, its users) is written as "not yet recorded" in the
/// fields OSCAL requires and reported in `notes`, never left out.
extension WorkspaceReader {
    public func oscalSystemSecurityPlan(framework: String? = nil) throws -> OSCALExport {
        let scope = try scope()
        let frameworks = try framework.map { [try self.framework($0)] } ?? frameworks().filter(\.inScope)
        guard !frameworks.isEmpty else { throw WorkspaceError.invalid("no framework is in scope, so there is no plan to write") }
        let span = try oscalChangeLogSpan()
        let controls = try controls()
        let byRef = Dictionary(uniqueKeysWithValues: controls.map { ($0.ref, $0) })
        let gaps = try gaps()
        let system = StableUUID.make("component/system")
        let notYet = "Not yet recorded in the assure workspace."
        var notes = [
            "the system's information types, impact levels, operational status and authorization boundary are not recorded by assure: written as \"not yet recorded\""
        ]
        var owners = Set<String>()
        var requirements: [[String: Any]] = []
        for f in frameworks {
            let summaries = try requirementSummaries(framework: f.id).filter(OSCALWriting.listed)
            let criteria = summaries.map {
                ReadinessCriterion(
                    ref: $0.requirement.ref, series: $0.requirement.ref, category: $0.requirement.category, inScope: $0.inScope, controls: $0.controls
                )
            }
            let readiness = Readiness.compute(criteria: criteria, controls: controls, gaps: gaps, framework: f.id)
            for s in summaries {
                let ref = s.requirement.ref
                // A withdrawn control, or an article with no duty on a company, is not the company's to plan.
                if !s.inScope && ScopeRule.standingExclusion(s.requirement) != nil { continue }
                let id = OSCALToken.controlID(s.requirement)
                if let note = OSCALToken.rewriteNote(framework: f.id, s.requirement) { notes.append(note) }
                let mapped = s.controls.compactMap { byRef[$0] }
                let parties = Array(Set(mapped.compactMap(\.owner))).sorted()
                owners.formUnion(parties)
                let status: [String: Any]
                let description: String
                if !s.inScope {
                    status = [
                        "state": "not-applicable",
                        "remarks": s.justification.isEmpty ? "Left out of scope; no justification recorded yet." : s.justification,
                    ]
                    description = "Left out of scope."
                } else if mapped.isEmpty {
                    status = ["state": "planned", "remarks": "No control of ours is mapped to it yet."]
                    description = "No control of ours is mapped to \(ref) yet."
                } else {
                    let state = readiness.states[ref] ?? .notAddressed
                    status = ["state": state == .addressed ? "implemented" : (state == .partial ? "partial" : "planned")]
                    description = "Met through " + mapped.map { "\($0.ref) \($0.title) (\($0.status.label))" }.joined(separator: "; ") + "."
                }
                var item: [String: Any] = [
                    "uuid": StableUUID.make("ssp-requirement/\(f.id)/\(ref)"), "control-id": id,
                    "props": [["name": "label", "value": ref], ["name": "framework", "ns": OSCALNamespace.assure, "value": f.id]],
                    "by-components": [
                        [
                            "uuid": StableUUID.make("ssp-by-component/\(f.id)/\(ref)"), "component-uuid": system,
                            "description": description, "implementation-status": status,
                        ]
                    ],
                ]
                if !parties.isEmpty {
                    item["responsible-roles"] = [["role-id": "control-owner", "party-uuids": parties.map { StableUUID.make("party/\($0)") }]]
                }
                requirements.append(item)
            }
        }
        if requirements.isEmpty { notes.append("no requirement is in scope: the plan holds one placeholder requirement that says so") }
        let users: [[String: Any]] =
            owners.isEmpty
            ? [["uuid": StableUUID.make("user/none"), "title": "No control owner recorded yet", "role-ids": ["control-owner"]]]
            : owners.sorted().map { ["uuid": StableUUID.make("user/\($0)"), "title": $0, "role-ids": ["control-owner"]] }
        if owners.isEmpty { notes.append("no control has an owner yet: the plan names one placeholder user") }
        var metadata = OSCALWriting.metadata(title: "\(scope.company): system security plan", lastModified: span.last)
        metadata["roles"] = [["id": "control-owner", "title": "Control owner"]]
        if !owners.isEmpty {
            metadata["parties"] = owners.sorted().map { ["uuid": StableUUID.make("party/\($0)"), "type": "person", "name": $0] }
        }
        let profile = StableUUID.make(frameworks.count == 1 ? "resource/\(frameworks[0].id)" : "resource/frameworks-in-scope")
        var resources = frameworks.map { f -> [String: Any] in
            [
                "uuid": StableUUID.make("resource/\(f.id)"), "title": f.title + (f.version.isEmpty ? "" : " (\(f.version))"),
                "description": f.notice.isEmpty ? f.source : f.notice,
            ]
        }
        if frameworks.count > 1 {
            notes.append(
                "an OSCAL plan imports one profile: import-profile points at a back-matter resource listing the \(frameworks.count) frameworks in scope"
            )
            resources.insert(
                [
                    "uuid": profile, "title": "Frameworks in scope",
                    "description": frameworks.map { "\($0.id): \($0.title)" }.joined(separator: "; ") + ".",
                ], at: 0)
        }
        let name = scope.system.isEmpty ? scope.company : scope.system
        let categories = scope.orderedCategories.map(\.rawValue).joined(separator: ", ")
        let document: [String: Any] = [
            "uuid": StableUUID.make("ssp/\(scope.company)"),
            "metadata": metadata,
            "import-profile": ["href": "#" + profile],
            "system-characteristics": [
                "system-ids": [["identifier-type": "https://ietf.org/rfc/rfc4122", "id": StableUUID.make("system/\(scope.company)")]],
                "system-name": name,
                "description": "\(name), run by \(scope.company), as recorded in its assure workspace.",
                "system-information": [
                    "information-types": [["uuid": StableUUID.make("information-type/unknown"), "title": "Not yet recorded", "description": notYet]]
                ],
                "status": ["state": "other", "remarks": notYet],
                "authorization-boundary": ["description": notYet + " SOC 2 categories in scope: \(categories)."],
            ],
            "system-implementation": [
                "users": users,
                "components": [
                    [
                        "uuid": system, "type": "this-system", "title": name,
                        "description": "The system \(scope.company) runs its controls for.",
                        "status": ["state": "other", "remarks": notYet],
                    ]
                ],
            ],
            "control-implementation": [
                "description": "How \(scope.company)'s controls meet \(frameworks.map(\.title).joined(separator: ", ")).",
                "implemented-requirements": requirements.isEmpty
                    ? [["uuid": StableUUID.make("ssp-requirement/none"), "control-id": "none", "remarks": "No requirement is in scope yet."]]
                    : requirements,
            ],
            "back-matter": ["resources": resources],
        ]
        return try OSCALWriting.encode("system-security-plan", document, notes: notes)
    }
}
