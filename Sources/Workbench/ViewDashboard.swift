import AssureModel
import TerminalUI

/// The dashboard: readiness per category as bars, open gaps by severity, owners' load and the
/// weekly trend of open gaps and readiness from the change log.
func dashboardLines(_ state: AppState, _ glyphs: Glyphs, width: Int) -> [(String, String)] {
    var lines: [(String, String)] = []
    let barWidth = max(10, min(40, width - 40))
    lines.append(("Readiness by category", "pane.title"))
    // SOC 2 by its Trust Services Categories; another framework by its top-level groups.
    let groups: [(key: String, title: String)] =
        state.framework == Framework.soc2ID
        ? state.snapshot.scope.orderedCategories.map { ($0.rawValue, $0.title) }
        : state.index.roots.filter { state.index.isInScope($0) }.map { ($0.category, $0.title) }
    for (key, title) in groups {
        let category = (title: title, key: key)
        let share = state.index.readiness.byCategory[category.key] ?? Share(addressed: 0, total: 0)
        let bar = glyphs.bar(share.addressed, share.total, width: barWidth)
        lines.append(
            (
                "  \(TextWidth.pad(category.title, to: 22))\(bar.filled)\(bar.empty) \(TextWidth.pad("\(share.percent)%", to: 4, alignRight: true))  \(share.addressed)/\(share.total)",
                "text"
            ))
    }
    let overall = state.index.readiness.overall
    lines.append(("  \(TextWidth.pad("Overall", to: 22))\(overall.percent)% of \(overall.total) in-scope criteria addressed", "text"))
    lines.append(("  Target: \(state.snapshot.target ?? "none set (: target, e.g. 2 2027-03-01 6m)")", "text"))
    lines += typeIIDashboard(state, glyphs, barWidth: barWidth)
    lines.append(("", "text"))
    lines.append(("Open gaps by severity", "pane.title"))
    let counts = state.snapshot.gapCounts
    let most = max(1, Severity.allCases.map { s in counts.openBySeverity[s] ?? 0 }.max() ?? 1)
    for severity in Severity.allCases {
        let count = counts.openBySeverity[severity] ?? 0
        let cells = count * barWidth / most
        lines.append(
            (
                "  \(TextWidth.pad(severity.rawValue, to: 10))\(TextWidth.pad(String(count), to: 4, alignRight: true)) \(String(repeating: glyphs.filled, count: cells))",
                "gap.\(severity.rawValue)"
            ))
    }
    lines.append(
        (
            "  overdue   \(TextWidth.pad(String(counts.overdue), to: 4, alignRight: true))",
            "gap.overdue"
        ))
    lines.append(("", "text"))
    lines.append(("Owners' load                 controls  open gaps  overdue", "pane.title"))
    for load in state.snapshot.owners.sorted(by: { ($0.openGaps, $0.controls) > ($1.openGaps, $1.controls) }) {
        lines.append(
            (
                "  \(TextWidth.pad(load.owner.name, to: 26))\(TextWidth.pad(String(load.controls), to: 9, alignRight: true))\(TextWidth.pad(String(load.openGaps), to: 11, alignRight: true))\(TextWidth.pad(String(load.overdueGaps), to: 9, alignRight: true))",
                load.overdueGaps > 0 ? "gap.overdue" : "text"
            ))
    }
    lines.append(("", "text"))
    lines.append(("Trend, weekly from the change log", "pane.title"))
    if state.trend.isEmpty {
        lines.append(("  loading...", "text.dim"))
    } else {
        lines.append(
            (
                "  open gaps  \(sparkline(state.trend.map(\.openGaps), glyphs))  \(state.trend.map { String($0.openGaps) }.joined(separator: " "))",
                "text"
            ))
        lines.append(
            (
                "  readiness  \(sparkline(state.trend.map(\.readinessPercent), glyphs))  \(state.trend.map { "\($0.readinessPercent)%" }.joined(separator: " "))",
                "text"
            ))
        lines.append(("  weeks ending \(state.trend.first!.date) to \(state.trend.last!.date)", "text.dim"))
    }
    lines += programmeDashboard(state, glyphs)
    return lines
}

/// The Type II window: its dates, the share of due occurrences evidenced on time, counts by state.
private func typeIIDashboard(_ state: AppState, _ glyphs: Glyphs, barWidth: Int) -> [(String, String)] {
    var lines: [(String, String)] = [("", "text"), ("Type II window", "pane.title")]
    guard let window = state.snapshot.typeII else {
        lines.append(("  none set (:target 2 2026-01-01 6m)", "text.dim"))
        return lines
    }
    let o = window.overall
    let owing = window.controls.filter { !$0.occurrences.isEmpty }.count
    lines.append(
        (
            "  \(window.windowStart)..\(window.windowEnd) (\(window.length)), grace \(window.graceDays) days: \(count(owing, "control")) owe \(count(o.total, "occurrence"))",
            "text"
        ))
    let bar = glyphs.bar(o.evidenced, o.due, width: barWidth)
    let share = o.due == 0 ? "nothing due yet" : "\(TextWidth.pad("\(o.percent)%", to: 4, alignRight: true))  \(o.evidenced)/\(o.due) due on time"
    let token = o.due == 0 ? "text.dim" : (o.percent >= 80 ? "readiness.good" : (o.percent >= 50 ? "readiness.mid" : "readiness.bad"))
    lines.append(("  \(TextWidth.pad("On time", to: 22))\(bar.filled)\(bar.empty) \(share)", token))
    lines.append(
        (
            "  \(glyphs.occurrence(.evidenced)) evidenced \(o.evidenced)  \(glyphs.occurrence(.late)) late \(o.late)  \(glyphs.occurrence(.missing)) missing \(o.missing)  \(glyphs.occurrence(.notDue)) not yet due \(o.notDue)",
            "text"
        ))
    if !window.eventDriven.isEmpty {
        lines.append(
            (
                "  \(count(window.eventDriven.count, "event-driven control")) with no sample yet: \(window.eventDriven.joined(separator: ", "))",
                "text.dim"
            ))
    }
    return lines
}

/// Risks by band of their residual score, policies approved and acknowledged, training overdue,
/// vendors with findings and open data subject requests.
private func programmeDashboard(_ state: AppState, _ glyphs: Glyphs) -> [(String, String)] {
    var lines: [(String, String)] = [("", "text"), ("Programme: risks, policies, training, vendors", "pane.title")]
    let risks = state.snapshot.risks
    let bands = RiskRating.allCases.reversed().map { band in "\(band.rawValue) \(risks.filter { RiskRating(score: $0.residualScore) == band }.count)"
    }
    let overdueRisks = risks.filter(\.overdue).count
    lines.append(
        (
            "  Risks      \(risks.count) by residual score: \(bands.joined(separator: ", "))"
                + (overdueRisks > 0 ? "; \(overdueRisks) review\(overdueRisks == 1 ? "" : "s") overdue" : ""),
            overdueRisks > 0 ? "gap.overdue" : "text"
        ))
    let policies = state.snapshot.policies
    let approved = policies.filter { $0.liveVersion != nil }
    let acked = approved.reduce(0) { $0 + $1.acknowledged }
    let owed = approved.reduce(0) { $0 + $1.people }
    let overduePolicies = policies.filter(\.overdue).count
    var policyLine = "  Policies   \(approved.count)/\(policies.count) approved"
    if owed > 0 { policyLine += "; acknowledgements \(acked)/\(owed) (\(acked * 100 / owed)%)" }
    if overduePolicies > 0 { policyLine += "; \(overduePolicies) review\(overduePolicies == 1 ? "" : "s") overdue" }
    lines.append((policyLine, approved.count == policies.count && overduePolicies == 0 ? "text" : "gap.overdue"))
    let training = state.snapshot.trainingOverdue
    lines.append(
        (
            "  Training   "
                + (training.isEmpty
                    ? "nothing overdue"
                    : "\(training.count) overdue: "
                        + Set(training.map(\.person)).sorted().prefix(6).joined(separator: ", ")),
            training.isEmpty ? "text" : "gap.overdue"
        ))
    let vendors = state.snapshot.vendors
    let flagged = vendors.filter { !$0.findings.isEmpty }.count
    lines.append(("  Vendors    \(vendors.count), \(flagged) with findings", flagged == 0 ? "text" : "gap.overdue"))
    let requests = state.snapshot.openRequests
    let late = requests.filter { $0.daysLeft < 0 }.count
    lines.append(
        (
            "  Requests   \(requests.count) open data subject request\(requests.count == 1 ? "" : "s")"
                + (requests.first.map { ", next due \($0.due)" } ?? "") + (late > 0 ? ", \(late) overdue" : ""), late == 0 ? "text" : "gap.overdue"
        ))
    let drift = state.snapshot.drift
    lines.append(
        (
            "  Drift      "
                + (drift.isEmpty
                    ? "every collector matches its baseline"
                    : "\(count(drift.count, "open event")): " + Set(drift.map(\.collector)).sorted().joined(separator: ", ")),
            drift.isEmpty ? "text" : "gap.overdue"
        ))
    return lines
}

func sparkline(_ values: [Int], _ glyphs: Glyphs) -> String {
    let ticks = glyphs.unicode ? Array("▁▂▃▄▅▆▇█") : Array("_.-=+*#@")
    let low = values.min() ?? 0
    let high = values.max() ?? 0
    return String(values.map { v in high == low ? ticks[3] : ticks[(v - low) * (ticks.count - 1) / (high - low)] })
}

func drawDashboard(_ screen: inout ScreenBuffer, _ state: AppState, _ scroll: Int, _ styles: Styles, _ glyphs: Glyphs) {
    let rect = Rect(x: 2, y: 1, width: screen.width - 4, height: screen.height - 3)
    guard rect.width > 30, rect.height > 4 else { return }
    drawBox(&screen, rect, title: "Dashboard · j/k scroll · Esc closes", styles, glyphs)
    let inner = rect.inset(1)
    let lines = dashboardLines(state, glyphs, width: inner.width)
    for (i, line) in lines.dropFirst(min(scroll, max(0, lines.count - inner.height))).prefix(inner.height).enumerated() {
        screen.write(" " + TextWidth.truncate(line.0, to: inner.width - 2), x: inner.x, y: inner.y + i, style: styles(line.1))
    }
}

func drawConfirmDerive(_ screen: inout ScreenBuffer, _ proposals: [String], _ styles: Styles, _ glyphs: Glyphs) {
    let rect = Rect(x: 2, y: 2, width: screen.width - 4, height: min(screen.height - 4, proposals.count + 3))
    guard rect.width > 20, rect.height > 3 else { return }
    drawBox(&screen, rect, title: "Derive: open these \(proposals.count) gaps? Enter creates · Esc cancels", styles, glyphs)
    let inner = rect.inset(1)
    for (i, line) in proposals.prefix(inner.height - 1).enumerated() {
        screen.write(" " + TextWidth.truncate(line, to: inner.width - 2), x: inner.x, y: inner.y + i, style: styles("text"))
    }
    if proposals.count > inner.height - 1 {
        screen.write(" ... and \(proposals.count - inner.height + 1) more", x: inner.x, y: inner.maxY - 1, style: styles("text.dim"))
    }
}
