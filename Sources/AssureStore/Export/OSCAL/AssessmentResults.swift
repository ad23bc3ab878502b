import AssureModel
import Foundation
import GRDB

/// Readiness as OSCAL 1.1.3 assessment results: one result per framework in scope, a finding
/// per assessable requirement in scope (satisfied when the readiness rule calls it addressed),
/// and an observation per gap that touches the framework, linked from the findings it explains.
/// assure keeps no OSCAL assessment plan, so `import-ap` points at a back-matter resource that
/// says so; that, and every other thing the model could not carry, is reported in `notes`.
extension WorkspaceReader {
    public func oscalAssessmentResults(framework: String? = nil) throws -> OSCALExport {
        let scope = try scope()
        let frameworks = try framework.map { [try self.framework($0)] } ?? frameworks().filter(\.inScope)
        let span = try oscalChangeLogSpan()
        let controls = try controls()
        let gaps = try gaps()
        var notes = ["assure keeps no OSCAL assessment plan: import-ap points at a back-matter resource that says so"]
        // Accepted evidence is an observation of the control's operation; the files stay in the
        // workspace (and the evidence package), named here by their SHA-256.
        let accepted = try evidence(today: String(span.last.prefix(10))).filter { $0.review == .accepted }
        if accepted.isEmpty { notes.append("no accepted evidence yet, so observations come from gaps only") }
        var results: [[String: Any]] = []
        for f in frameworks {
            let summaries = try requirementSummaries(framework: f.id).filter { $0.isAssessable && $0.inScope }
            let criteria = summaries.map {
                ReadinessCriterion(
                    ref: $0.requirement.ref, series: $0.requirement.ref, category: $0.requirement.category, inScope: true, controls: $0.controls)
            }
            let readiness = Readiness.compute(criteria: criteria, controls: controls, gaps: gaps, framework: f.id)
            let reached = Set(summaries.flatMap { $0.controls.map { $0.uppercased() } })
            let touching = gaps.filter { g in
                (g.framework == f.id && g.criterion != nil) || g.control.map { reached.contains($0.uppercased()) } == true
            }
            let observations = touching.map { g -> [String: Any] in
                var remarks = ["Severity: \(g.severity.rawValue).", "Status: \(g.status.rawValue)."]
                if let control = g.control { remarks.append("Control: \(control).") }
                if let criterion = g.criterion { remarks.append("Requirement: \(g.framework ?? f.id):\(criterion).") }
                return [
                    "uuid": StableUUID.make("observation/\(f.id)/\(g.ref)"), "title": "\(g.ref): \(g.title)",
                    "description": g.description.isEmpty ? g.title : g.description,
                    "methods": ["EXAMINE"], "types": [g.status.isOpen ? "finding" : "historic"],
                    "collected": OSCALDate.dateTime(g.createdAt, fallback: span.last),
                    "props": [["name": "label", "value": g.ref]], "remarks": remarks.joined(separator: " "),
                ]
            }
            let proving = accepted.filter { reached.contains($0.control.uppercased()) }
            let evidenceObservations = proving.map { item -> [String: Any] in
                [
                    "uuid": StableUUID.make("observation/\(f.id)/\(item.ref)"), "title": "\(item.ref): \(item.title)",
                    "description":
                        "Evidence that \(item.control) operated, proving \(EvidenceRules.span(item.provedFrom, item.provedTo)); accepted by \(item.reviewedBy ?? "a reviewer").",
                    "methods": ["EXAMINE"], "types": ["control-objective"],
                    "collected": OSCALDate.dateTime(item.addedAt, fallback: span.last),
                    "props": [["name": "label", "value": item.ref]],
                    "relevant-evidence": item.currentFiles.map { ["description": "\($0.name) (version \($0.version), sha256 \($0.sha256))"] },
                ]
            }
            let findings = summaries.map { s -> [String: Any] in
                let ref = s.requirement.ref
                let id = OSCALToken.controlID(s.requirement)
                let state = readiness.states[ref] ?? .notAddressed
                let mine = Set(s.controls.map { $0.uppercased() })
                let related = touching.filter { g in
                    (g.framework == f.id && g.criterion?.uppercased() == ref.uppercased()) || g.control.map { mine.contains($0.uppercased()) } == true
                }
                let description =
                    s.controls.isEmpty
                    ? "No control of ours is mapped to \(ref) yet."
                    : "Mapped controls: " + s.controls.joined(separator: ", ") + ". By the readiness rule it is \(state.label)."
                var target: [String: Any] = [
                    "type": "objective-id", "target-id": id,
                    "status": ["state": state == .addressed ? "satisfied" : "not-satisfied", "reason": state == .addressed ? "pass" : "fail"],
                ]
                if !s.controls.isEmpty {
                    target["implementation-status"] = ["state": state == .addressed ? "implemented" : (state == .partial ? "partial" : "planned")]
                }
                var finding: [String: Any] = [
                    "uuid": StableUUID.make("finding/\(f.id)/\(ref)"), "title": "\(ref) \(s.requirement.title)",
                    "description": description, "target": target,
                    "props": [["name": "label", "value": ref], ["name": "readiness", "ns": OSCALNamespace.assure, "value": state.rawValue]],
                ]
                let proofs = proving.filter { mine.contains($0.control.uppercased()) }
                if !related.isEmpty || !proofs.isEmpty {
                    finding["related-observations"] = (related.map(\.ref) + proofs.map(\.ref)).map {
                        ["observation-uuid": StableUUID.make("observation/\(f.id)/\($0)")]
                    }
                }
                return finding
            }
            var selection: [String: Any] = ["description": "The requirements of \(f.title) in scope, at its assessable level."]
            if findings.isEmpty {
                // OSCAL needs a selection; with nothing in scope it names the whole catalog and says why.
                selection["include-all"] = [String: Any]()
                selection["remarks"] = "No requirement of this framework is in scope."
                notes.append("\(f.id): no requirement is in scope, so the result has no findings")
            } else {
                selection["include-controls"] = summaries.map { ["control-id": OSCALToken.controlID($0.requirement)] }
            }
            notes += summaries.compactMap { OSCALToken.rewriteNote(framework: f.id, $0.requirement) }
            var result: [String: Any] = [
                "uuid": StableUUID.make("result/\(f.id)"), "title": "Readiness against \(f.title)",
                "description": "\(scope.company)'s own readiness assessment, as recorded in its assure workspace: "
                    + "\(readiness.overall.addressed) of \(readiness.overall.total) requirements addressed.",
                "start": span.first, "end": span.last,
                "reviewed-controls": ["control-selections": [selection]],
            ]
            if !(observations + evidenceObservations).isEmpty { result["observations"] = observations + evidenceObservations }
            if !findings.isEmpty { result["findings"] = findings }
            results.append(result)
        }
        if results.isEmpty { throw WorkspaceError.invalid("no framework is in scope, so there is nothing to report") }
        let plan = StableUUID.make("resource/assessment-plan")
        let document: [String: Any] = [
            "uuid": StableUUID.make("assessment-results/\(scope.company)"),
            "metadata": OSCALWriting.metadata(title: "\(scope.company): readiness assessment results", lastModified: span.last),
            "import-ap": ["href": "#" + plan, "remarks": "No assessment plan: this is a readiness self-assessment."],
            "results": results,
            "back-matter": [
                "resources": [
                    [
                        "uuid": plan, "title": "No assessment plan",
                        "description": "\(scope.company) has not recorded an OSCAL assessment plan; these results are its own readiness assessment.",
                    ]
                ]
            ],
        ]
        return try OSCALWriting.encode("assessment-results", document, notes: notes)
    }
}

enum OSCALDate {
    /// OSCAL date-times carry a time zone; assure stores UTC times with `Z`. A value that is not
    /// one (an empty field from an early release) falls back to the given time.
    static func dateTime(_ text: String, fallback: String) -> String {
        text.count >= 20 && text.contains("T") && (text.hasSuffix("Z") || text.contains("+")) ? text : fallback
    }
}
