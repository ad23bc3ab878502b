import AssureModel
import Foundation

/// The readiness report for executives and auditors: the facts, gathered once, then rendered
/// as Markdown or as one self-contained HTML file.
public struct ReadinessReport: Sendable {
    public var scope: Scope
    public var date: String
    public var readiness: Readiness
    public var categories: [(title: String, share: Share)]
    public var unaddressed: [(ref: String, title: String, state: CriterionState, controls: Int)]
    public var controlsByStatus: [(ControlStatus, Int)]
    public var openBySeverity: [(Severity, Int)]
    public var overdue: Int
    public var backlog: [(gap: Gap, score: GapScore)]
    public var owners: [OwnerSummary]
    public var unownedControls: Int
    /// Drift since the newest snapshot, if one was taken.
    public var sinceSnapshot: SnapshotDiff?
    /// The target audit and its threats, if one is set.
    public var target: AuditTarget?
    public var threats: [AuditThreat] = []
    /// Every framework in the workspace with its readiness, SOC 2 included.
    public var frameworks: [FrameworkSummary] = []
    /// The change log's row count and head when the facts were read (same transaction).
    public var anchor: ChainAnchor?
    /// The SOC 2 Type II window's ledger, when a Type 2 target is set.
    public var ledger: LedgerReport?
    /// The risk register as of the report's date (the section is left out while it is empty).
    public var risks: [RiskSummary] = []
    /// Open configuration drift events (the section is left out while there are none).
    public var drift: [DriftSummary] = []
}

extension WorkspaceReader {
    /// The report's facts, read in the caller's transaction. `withAnchor` adds the change log's
    /// row count and head as they are in that same transaction (`assure report` always does).
    public func readinessReport(now: Date, backlogSize: Int = 10, withAnchor: Bool = false) throws -> ReadinessReport {
        let scope = try scope()
        let readiness = try readiness()
        let criteria = try criteria().filter(\.inScope)
        let controls = try controls()
        let gaps = try gaps()
        // Counted in place: a filtered copy of 20,000 gaps is megabytes.
        let open = gaps.lazy.filter(\.status.isOpen)
        let today = Timestamps.day(now)
        var report = ReadinessReport(
            scope: scope, date: today, readiness: readiness,
            categories: scope.orderedCategories.map { ($0.title, readiness.byCategory[$0.rawValue] ?? Share(addressed: 0, total: 0)) },
            unaddressed: criteria.compactMap { c in
                let state = readiness.states[c.requirement.ref] ?? .notAddressed
                return state == .addressed ? nil : (c.requirement.ref, c.requirement.title, state, c.controls.count)
            },
            controlsByStatus: ControlStatus.allCases.map { s in (s, controls.filter { $0.status == s }.count) },
            openBySeverity: Severity.allCases.map { s in (s, open.filter { $0.severity == s }.count) },
            overdue: open.filter { $0.isOverdue(today: today) }.count,
            backlog: try rankTop(gaps, controls: controls, today: today, limit: backlogSize, where: \.status.isOpen),
            owners: try owners(today: today), unownedControls: controls.filter(Rules.isUnowned).count,
            sinceSnapshot: try snapshots().last.map { try diff(from: String($0.id)) },
            target: try auditTarget(), threats: try auditThreats(now: now))
        report.frameworks = try frameworkSummaries()
        if report.target?.reportType == .type2 { report.ledger = try ledger(today: today) }
        report.risks = try risks(today: today)
        report.drift = try driftEvents(openOnly: true)
        if withAnchor { report.anchor = try chainAnchor() }
        return report
    }
}

extension ReadinessReport {
    var title: String { "SOC 2 readiness: \(scope.company)" }

    /// "Target: SOC 2 Type II, 6-month window from 2027-03-01; 3 threats to the date."
    var targetLine: String {
        guard let target else { return "No target audit set (assure target --type 2 --window-start YYYY-MM-DD --window 6m)." }
        return
            "Target: SOC 2 \(target.reportType.label), \(target.window.dropLast())-month window from \(target.windowStart); \(threats.count) threats to the date."
    }

    var summary: [String] {
        let r = readiness.overall
        let implemented = controlsByStatus.first { $0.0 == .implemented }?.1 ?? 0
        let total = controlsByStatus.map(\.1).reduce(0, +)
        let open = openBySeverity.map(\.1).reduce(0, +)
        let severe = openBySeverity.filter { $0.0 == .critical || $0.0 == .high }.map(\.1).reduce(0, +)
        var lines = [
            "\(r.percent)% ready: \(r.addressed) of \(r.total) in-scope criteria are addressed; \(unaddressed.count) still need work.",
            "\(implemented) of \(total) controls are implemented; \(unownedControls) have no owner yet.",
            "\(open) gaps are open, \(severe) of them critical or high, and \(overdue) are past their due date.",
        ]
        for f in frameworks where f.framework.id != Framework.soc2ID && f.framework.inScope {
            lines.append(
                "\(f.framework.title): \(f.readiness.percent)% ready (\(f.readiness.addressed) of \(f.readiness.total) in-scope \(f.framework.assessableLevel == "criterion" ? "criteria" : "requirements") addressed; \(f.coverage.addressed) reached by a control)."
            )
        }
        if let top = backlog.first {
            lines.append("First to fix: \(top.gap.ref) \(top.gap.title) (score \(String(format: "%.1f", top.score.score))).")
        }
        return lines
    }

    /// Markdown: every line of workspace text goes through `Markdown.text` (tables through
    /// `Markdown.cell`), so a title cannot break a line or a table or carry raw HTML.
    /// Each framework's publisher notice: the criteria text in the report is theirs.
    var notices: [(title: String, notice: String)] {
        frameworks.filter { !$0.framework.notice.isEmpty }.map { ($0.framework.title, $0.framework.notice) }
    }

    public func markdown() -> String {
        var out = "# \(Markdown.text(title))\n\n"
        out += Markdown.text(
            "\(scope.system.isEmpty ? "" : "System: \(scope.system). ")SOC 2 \(scope.reportType.label); in scope: \(scope.orderedCategories.map(\.title).joined(separator: ", ")). Prepared \(date)."
        )
        out += "\n\n\(Markdown.text(targetLine))\n\n"
        if let anchor { out += "\(anchor.line)\n\n" }
        out += "## Executive summary\n\n" + summary.map { "- \(Markdown.text($0))\n" }.joined() + "\n"
        out +=
            "## Readiness by category\n\n"
            + Table(
                columns: [
                    .init("category", "Category"), .init("addressed", "Addressed", alignRight: true), .init("percent", "Readiness", alignRight: true),
                ],
                rows: categories.map { [.text($0.title), .text("\($0.share.addressed) of \($0.share.total)"), .text("\($0.share.percent)%")] }
            ).markdown()
        out +=
            "\n## Criteria not yet addressed (\(unaddressed.count))\n\n"
            + Table(
                columns: [
                    .init("ref", "Criterion"), .init("state", "State"), .init("controls", "Mapped controls", alignRight: true),
                    .init("title", "Criterion text"),
                ],
                rows: unaddressed.map { [.text($0.ref), .text($0.state.label), .int($0.controls), .text($0.title)] }
            ).markdown()
        if let ledger {
            out += "\n## Type II window\n\n" + Markdown.text(ledgerLine(ledger)) + "\n\n" + ledgerTable(ledger).markdown()
        }
        out += "\n## Top of the backlog\n\n" + backlogTable.markdown()
        out += "\n## Owners' load\n\n" + ownersTable.markdown()
        if !risks.isEmpty { out += riskMarkdown }
        if !drift.isEmpty { out += driftMarkdown }
        out += "\n## Change since the last snapshot\n\n" + driftLines.map { "- \(Markdown.text($0))\n" }.joined()
        if !notices.isEmpty {
            out += "\n## Sources and attribution\n\n" + notices.map { "- \(Markdown.text($0.title)): \(Markdown.text($0.notice))\n" }.joined()
        }
        return out
    }

    /// Lines for the "change since the last snapshot" section.
    var driftLines: [String] {
        guard let d = sinceSnapshot else { return ["No snapshot has been recorded yet (assure snapshot \"TITLE\")."] }
        var lines = ["Compared with \(d.from)."]
        lines += d.readiness.map { "\(TSCCategory(rawValue: $0.category)?.title ?? $0.category): \($0.before.percent)% → \($0.after.percent)%" }
        lines.append(
            "\(d.controlChanges.filter { $0.field == "status" }.count) control status changes, \(d.controlChanges.filter { $0.field == "owner" }.count) owner changes."
        )
        lines.append(
            "Gaps: \(d.opened.count) opened, \(d.remediated.count) remediated, \(d.reopened.count) reopened, \(d.accepted.count) risks accepted.")
        return lines
    }

    /// "2026-01-01..2026-06-30: 41 of 60 due occurrences evidenced on time (68%), 3 late, 16 missing, 0 not yet due."
    func ledgerLine(_ ledger: LedgerReport) -> String {
        let o = ledger.overall
        return
            "\(ledger.windowStart)..\(ledger.windowEnd), grace \(ledger.graceDays) days: \(o.evidenced) of \(o.due) due occurrences evidenced on time (\(o.percent)%), "
            + "\(o.late) late, \(o.missing) missing, \(o.notDue) not yet due."
    }

    /// The controls an auditor would ask about first: those with the most missing and late
    /// occurrences (at most 25; `assure ledger` lists them all).
    func ledgerTable(_ ledger: LedgerReport) -> Table {
        let worst = ledger.controls.filter { $0.coverage.late + $0.coverage.missing > 0 }
            .sorted { ($0.coverage.missing + $0.coverage.late, $1.ref) > ($1.coverage.missing + $1.coverage.late, $0.ref) }
        var rows: [[Value]] = worst.prefix(25).map {
            [
                .text($0.ref), .text($0.frequency.rawValue), .int($0.coverage.evidenced), .int($0.coverage.late), .int($0.coverage.missing),
                .int($0.coverage.notDue),
            ]
        }
        if worst.count > 25 { rows.append([.text("(\(worst.count - 25) more)"), .text(""), .text(""), .text(""), .text(""), .text("")]) }
        return Table(
            columns: [
                .init("control", "Control"), .init("frequency", "Frequency"), .init("evidenced", "Evidenced", alignRight: true),
                .init("late", "Late", alignRight: true), .init("missing", "Missing", alignRight: true), .init("not_due", "Not due", alignRight: true),
            ],
            rows: rows)
    }

    var backlogTable: Table {
        Table(
            columns: [
                .init("rank", "#", alignRight: true), .init("ref", "Gap"), .init("title", "Title"), .init("severity", "Severity"),
                .init("owner", "Owner"), .init("due", "Due"), .init("score", "Score"),
            ],
            rows: backlog.enumerated().map { i, item in
                [
                    .int(i + 1), .text(item.gap.ref), .text(item.gap.title), .text(item.gap.severity.rawValue),
                    .text(item.gap.owner ?? "unassigned"), .text(item.gap.due ?? "not set"), .text(item.score.explanation),
                ]
            })
    }

    var ownersTable: Table {
        Table(
            columns: [
                .init("owner", "Owner"), .init("role", "Role"), .init("controls", "Controls", alignRight: true),
                .init("open", "Open gaps", alignRight: true), .init("overdue", "Overdue", alignRight: true),
            ],
            rows: owners.map { [.text($0.owner.name), .text($0.owner.role), .int($0.controls), .int($0.openGaps), .int($0.overdueGaps)] }
                + [[.text("(unassigned)"), .text(""), .int(unownedControls), .text(""), .text("")]])
    }

    /// One self-contained HTML file: no external fonts, scripts or images; prints cleanly.
    public func html() -> String {
        func e(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        func table(_ t: Table) -> String {
            var out =
                "<table><thead><tr>" + t.columns.map { "<th\($0.alignRight ? " class=\"num\"" : "")>\(e($0.header))</th>" }.joined()
                + "</tr></thead><tbody>\n"
            for row in t.rows {
                // Short single-word cells (references, dates, numbers) never break mid-token.
                out +=
                    "<tr>"
                    + zip(t.columns, row).map { column, value in
                        var classes: [String] = column.alignRight ? ["num"] : []
                        if value.plain.count <= 12 && !value.plain.contains(" ") { classes.append("nowrap") }
                        return "<td\(classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\"")>\(e(value.plain))</td>"
                    }.joined() + "</tr>\n"
            }
            return out + "</tbody></table>\n"
        }
        var body =
            "<h1>\(e(title))</h1>\n<p class=\"meta\">\(e(scope.system.isEmpty ? "" : scope.system + " · "))SOC 2 \(e(scope.reportType.label)) · in scope: \(e(scope.orderedCategories.map(\.title).joined(separator: ", "))) · prepared \(e(date))</p>\n"
        body += "<p class=\"meta\">\(e(targetLine))</p>\n"
        if let anchor { body += "<p class=\"meta\">\(e(anchor.line))</p>\n" }
        body +=
            "<section class=\"summary\"><div class=\"big\">\(readiness.overall.percent)%</div><ul>" + summary.map { "<li>\(e($0))</li>" }.joined()
            + "</ul></section>\n"
        body += "<h2>Readiness by category</h2>\n<div class=\"bars\">"
        for c in categories {
            body +=
                "<div class=\"bar\"><span class=\"label\">\(e(c.title))</span><span class=\"track\"><span class=\"fill\" style=\"width:\(c.share.percent)%\"></span></span><span class=\"value\">\(c.share.percent)% (\(c.share.addressed) of \(c.share.total))</span></div>"
        }
        body +=
            "</div>\n<h2>Criteria not yet addressed (\(unaddressed.count))</h2>\n"
            + table(
                Table(
                    columns: [
                        .init("ref", "Criterion"), .init("state", "State"), .init("controls", "Mapped controls", alignRight: true),
                        .init("title", "Criterion text"),
                    ],
                    rows: unaddressed.map { [.text($0.ref), .text($0.state.label), .int($0.controls), .text($0.title)] }))
        if let ledger {
            body += "<h2>Type II window</h2>\n<p>\(e(ledgerLine(ledger)))</p>\n" + table(ledgerTable(ledger))
        }
        body += "<h2>Top of the backlog</h2>\n" + table(backlogTable)
        body += "<h2>Owners' load</h2>\n" + table(ownersTable)
        if !risks.isEmpty { body += "<h2>Risk register</h2>\n<p>\(e(riskLine))</p>\n" + riskHeatMapsHTML + table(riskTable) }
        if !drift.isEmpty { body += "<h2>Configuration drift</h2>\n<p>\(e(driftLine))</p>\n" + table(driftTable) }
        body += "<h2>Change since the last snapshot</h2>\n<ul>" + driftLines.map { "<li>\(e($0))</li>" }.joined() + "</ul>\n"
        if !notices.isEmpty {
            body += "<h2>Sources and attribution</h2>\n<ul>" + notices.map { "<li>\(e($0.title)): \(e($0.notice))</li>" }.joined() + "</ul>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(e(title))</title>
            <style>
            body { font: 11pt/1.45 -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif; color: #1c1c1c; max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; }
            h1 { font-size: 20pt; margin: 0 0 .2rem; } h2 { font-size: 13pt; margin: 1.6rem 0 .5rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
            .meta { color: #555; margin-top: 0; }
            .summary { display: flex; gap: 1.5rem; align-items: center; background: #f3f6fa; border: 1px solid #d8e0ea; padding: .8rem 1.2rem; }
            .summary .big { font-size: 30pt; font-weight: 700; color: #005fd7; } .summary ul { margin: 0; padding-left: 1.1rem; }
            .bar { display: flex; align-items: center; gap: .8rem; margin: .3rem 0; } .bar .label { width: 11rem; }
            .bar .track { flex: 1; height: .8rem; background: #e4e4e4; border: 1px solid #bbb; } .bar .fill { display: block; height: 100%; background: #005fd7; }
            .bar .value { width: 9rem; text-align: right; font-variant-numeric: tabular-nums; }
            table { border-collapse: collapse; width: 100%; font-size: 9.5pt; } th, td { border: 1px solid #d0d0d0; padding: .25rem .4rem; text-align: left; vertical-align: top; }
            th { background: #f0f0f0; } td.nowrap { white-space: nowrap; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
            @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } tr { break-inside: avoid; }
              .summary, .bar .fill, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; } @page { margin: 1.6cm; } }
            </style></head>
            <body>
            \(body)</body></html>

            """
    }
}
