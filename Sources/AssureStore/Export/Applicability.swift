import AssureModel
import Foundation

/// The Statement of Applicability an ISO/IEC 27001 auditor asks for (clause 6.1.3 d): every
/// Annex A control, whether it applies, why (or why not), and how far it is implemented,
/// judged from the company's controls mapped to it. Works for any framework's assessable
/// requirements; ISO 27001 is the one that asks for it.
extension WorkspaceReader {
    public func statementOfApplicability(framework: String = "iso27001") throws -> (framework: Framework, table: Table) {
        let id = try Lookup.framework(db, framework)
        let summaries = try requirementSummaries(framework: id)
        let readiness = try readiness(framework: id)
        let statusByRef = Dictionary(uniqueKeysWithValues: try controls().map { ($0.ref, $0.status) })
        let titleByRef = Dictionary(uniqueKeysWithValues: summaries.map { ($0.requirement.ref, $0.requirement.title) })
        let rows: [[Value]] = summaries.filter(\.isAssessable).map { s in
            let r = s.requirement
            let implementation: String
            if !s.inScope { implementation = "not applicable" } else { implementation = (readiness.states[r.ref] ?? .notAddressed).label }
            let state = readiness.states[r.ref] ?? .notAddressed
            let through = s.controls.joined(separator: ", ")
            let reason =
                !s.inScope
                ? s.justification
                : s.controls.isEmpty
                    ? "Applicable; no control is mapped yet"
                    : state == .addressed ? "Applicable; implemented through \(through)" : "Applicable; to be implemented through \(through)"
            return [
                .text(r.ref), .text(r.title), .text(r.attributes["theme"] ?? r.parentRef.flatMap { titleByRef[$0] }),
                .bool(s.inScope), .text(reason), .text(implementation),
                .list(s.controls.map { "\($0) (\(statusByRef[$0]?.rawValue ?? "?"))" }),
            ]
        }
        return (
            try self.framework(id),
            Table(
                columns: [
                    .init("ref", "Control"), .init("title", "Title"), .init("group", "Theme"), .init("applicable", "Applicable"),
                    .init("justification", "Justification"), .init("implementation", "Implementation"), .init("controls", "Our controls"),
                ],
                rows: rows)
        )
    }
}

extension Table {
    /// A Markdown document around the table: title, the company, the framework's notice, and the
    /// change-log anchor it was read at (no clock time, so the same workspace gives the same bytes).
    public func markdownDocument(title: String, company: String, framework: Framework, anchor: ChainAnchor) -> String {
        var out = "# \(Markdown.text(title))\n\n"
        out +=
            "\(Markdown.text(company)): \(Markdown.text(framework.title))"
            + (framework.version.isEmpty ? "" : " (\(Markdown.text(framework.version)))") + "\n\n"
        out += markdown()
        if !framework.notice.isEmpty { out += "\n" + Markdown.text(framework.notice) + "\n" }
        return out + "\n" + anchor.line + "\n"
    }
}
