import AssureModel
import AssureStore
import Foundation
import TerminalUI

/// What `assure status` shows, read in one transaction and printed as text or JSON.
struct StatusReport {
    var scope: Scope
    var frameworks: [FrameworkSummary]
    var soc2: Readiness
    var soc2Criteria: [RequirementSummary]
    /// Controls, owners and open gaps counted in SQL (the rules' own definitions, see
    /// `WorkspaceReader.counts`): no need to read every control and gap to count them.
    var counts: WorkspaceCounts
    var today: String

    /// Read on two connections at once (`Workspace.readSplit`): the facts from the controls
    /// and gaps on one, each framework's requirements and mappings on the other; the rule then
    /// weighs the one by the other. At 5,000 controls either half is about half the command.
    static func read(_ workspace: Workspace, today: String) throws -> StatusReport {
        let ((facts, counts), side) = try workspace.readSplit(
            { r in try r.statusFacts(today: today) },
            side: { r in
                let inputs = try r.frameworkInputs()
                // SOC 2's input as its summary read it; read on its own only if it is missing
                // (which reports the missing framework as before).
                let soc2 = try inputs.first { $0.framework.id == Framework.soc2ID }?.criteria ?? r.readinessInput(framework: Framework.soc2ID)
                return (inputs: inputs, soc2: soc2, scope: try r.scope(), criteria: try r.criteria().filter(\.inScope))
            })
        let frameworks = side.inputs.map { $0.readiness(facts: facts) }
        let soc2 =
            frameworks.first { $0.summary.framework.id == Framework.soc2ID }?.readiness
            ?? Readiness.compute(criteria: side.soc2, facts: facts, framework: Framework.soc2ID)
        return StatusReport(
            scope: side.scope, frameworks: frameworks.map(\.summary), soc2: soc2, soc2Criteria: side.criteria, counts: counts, today: today)
    }

    func text() -> String {
        var lines: [String] = []
        lines.append(
            "\(Sanitize.line(scope.company))\(scope.system.isEmpty ? "" : " · \(Sanitize.line(scope.system))") · SOC 2 \(scope.reportType.label)")
        lines.append("Scope: \(scope.orderedCategories.map(\.title).joined(separator: ", "))")
        lines.append("Readiness: \(soc2.overall.percent)% (\(soc2.overall.addressed) of \(soc2.overall.total) in-scope criteria addressed)")
        for category in scope.orderedCategories {
            let share = soc2.byCategory[category.rawValue] ?? Share(addressed: 0, total: 0)
            lines.append(
                "  \(category.title.padding(toLength: 22, withPad: " ", startingAt: 0)) \(share.addressed)/\(share.total)  \(share.percent)%")
        }
        let partial = soc2Criteria.filter { soc2.states[$0.requirement.ref] == .partial }.count
        let none = soc2Criteria.filter { soc2.states[$0.requirement.ref] == .notAddressed }.count
        lines.append("Criteria: \(soc2.overall.addressed) addressed, \(partial) partly addressed, \(none) not addressed")
        let others = frameworks.filter { $0.framework.id != Framework.soc2ID }
        if !others.isEmpty {
            lines.append("Other frameworks:")
            for f in others {
                let scoped =
                    f.framework.inScope
                    ? "\(f.readiness.percent)% (\(f.readiness.addressed) of \(f.readiness.total) addressed, \(f.coverage.addressed) reached by a control)"
                    : "out of scope"
                lines.append("  \(Sanitize.line(f.framework.id).padding(toLength: 22, withPad: " ", startingAt: 0)) \(scoped)")
            }
        }
        let byStatus = ControlStatus.allCases.map { status in "\(counts.controlsByStatus[status] ?? 0) \(status.label)" }
        lines.append("Controls: \(counts.controls) (\(byStatus.joined(separator: ", "))); \(counts.unownedControls) without an owner")
        lines.append("Owners: \(counts.activeOwners)")
        let bySeverity = Severity.allCases.map { s in "\(counts.openGapsBySeverity[s] ?? 0) \(s.rawValue)" }
        lines.append("Open gaps: \(counts.openGaps) (\(bySeverity.joined(separator: ", "))); \(counts.overdueGaps) overdue")
        return lines.joined(separator: "\n") + "\n"
    }

    func json() -> String {
        func share(_ s: Share) -> [String: Any] { ["addressed": s.addressed, "total": s.total, "percent": s.percent] }
        let object: [String: Any] = [
            "company": scope.company,
            "system": scope.system,
            "frameworks": frameworks.map { f -> [String: Any] in
                var item: [String: Any] = [
                    "id": f.framework.id, "title": f.framework.title, "version": f.framework.version,
                    "in_scope": f.framework.inScope, "assessable_level": f.framework.assessableLevel,
                    "requirements_in_scope": f.inScope, "readiness": share(f.readiness), "coverage": share(f.coverage),
                    "audit": f.auditKind.isEmpty ? NSNull() : f.auditKind,
                ]
                if f.framework.id == Framework.soc2ID {
                    item["categories"] = scope.orderedCategories.map { c -> [String: Any] in
                        ["key": c.rawValue, "title": c.title, "readiness": share(soc2.byCategory[c.rawValue] ?? Share(addressed: 0, total: 0))]
                    }
                }
                return item
            },
            "controls": [
                "total": counts.controls, "unowned": counts.unownedControls,
                "by_status": Dictionary(uniqueKeysWithValues: ControlStatus.allCases.map { s in (s.rawValue, counts.controlsByStatus[s] ?? 0) }),
            ],
            "owners": counts.activeOwners,
            "open_gaps": [
                "total": counts.openGaps, "overdue": counts.overdueGaps,
                "by_severity": Dictionary(uniqueKeysWithValues: Severity.allCases.map { s in (s.rawValue, counts.openGapsBySeverity[s] ?? 0) }),
            ],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
