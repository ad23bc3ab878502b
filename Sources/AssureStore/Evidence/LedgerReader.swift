import AssureModel
import Foundation
import GRDB

/// The Type II ledger of one framework's audit window: every occurrence its controls owe, and
/// coverage per control, per requirement and overall (rule: `Ledger` in AssureModel).
public struct LedgerReport: Sendable {
    public var framework: String
    public var windowStart: String
    public var windowEnd: String
    public var graceDays: Int
    public var occurrences: [Occurrence]
    /// Controls in reference order, with their frequency and coverage.
    public var controls: [(ref: String, frequency: Frequency, coverage: LedgerCoverage)]
    /// Assessable requirements in scope, in catalog order: the coverage of the controls mapped to them.
    public var requirements: [(ref: String, coverage: LedgerCoverage)]
    public var overall: LedgerCoverage
    /// Event-driven controls with no sample yet (those with one owe its items as occurrences).
    public var eventDriven: [String]
}

extension WorkspaceReader {
    public func ledger(framework: String = Framework.soc2ID, control only: String? = nil, today: String) throws -> LedgerReport {
        let id = try Lookup.framework(db, framework)
        guard let target = try auditTarget(framework: id) else {
            throw WorkspaceError.invalid("\(id) has no audit window; set one with assure target --type 2 --window-start YYYY-MM-DD --window 6m")
        }
        guard let end = Ledger.windowEnd(start: target.windowStart, length: target.window) else {
            throw WorkspaceError.invalid("\(id)'s audit window '\(target.windowStart)' + '\(target.window)' is not a valid window")
        }
        let settings = try evidenceSettings()
        let summaries = try requirementSummaries(framework: id).filter { $0.isAssessable && $0.inScope }
        let serving = Set(summaries.flatMap(\.controls))
        let onlyRef = try only.map { try Lookup.control(db, $0).ref }
        // Controls that serve the framework and operate (not applicable ones owe nothing).
        let controls = try Row.fetchAll(db, sql: "SELECT ref, frequency, status FROM control ORDER BY ref")
            .filter { serving.contains($0["ref"]) && ($0["status"] as String) != ControlStatus.notApplicable.rawValue }
            .filter { onlyRef == nil || ($0["ref"] as String) == onlyRef }
        var spans: [String: [ProvedSpan]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT c.ref AS control, e.ref, e.proved_from, e.proved_to, e.answers_from, e.answers_to FROM evidence e JOIN control c ON c.id = e.control_id
            WHERE e.review = 'accepted' AND e.proved_to >= ?
            """, arguments: [target.windowStart]) {
            spans[row["control"], default: []].append(ProvedSpan(evidence: row["ref"], from: row["proved_from"], to: row["proved_to"],
                                                                 answers: EvidenceRows.answers(row)))
        }
        var occurrences: [Occurrence] = []
        var byControl: [(ref: String, frequency: Frequency, coverage: LedgerCoverage)] = []
        var coverageOf: [String: LedgerCoverage] = [:]
        var eventDriven: [String] = []
        for row in controls {
            let ref: String = row["ref"]
            let frequency = Frequency(rawValue: row["frequency"]) ?? .annual
            if frequency == .onEvent {
                let items = try sampledItems(control: ref)
                if items.isEmpty { eventDriven.append(ref); continue }
                let owed = Ledger.sampledOccurrences(control: ref, items: items, windowStart: target.windowStart, windowEnd: end,
                                                     graceDays: settings.graceDays, today: today)
                let coverage = Ledger.coverage(owed)
                occurrences += owed
                byControl.append((ref, frequency, coverage))
                coverageOf[ref] = coverage
                continue
            }
            // Work done after the window still answers its last occurrences (on time within the
            // grace, else late), but not once the next period would have begun: that belongs to
            // the next window.
            let reachDays: Int = max(frequency.periodDays ?? 0, settings.graceDays)
            let reach: String = DueDate.parseDay(end).map { DueDate.format($0.addingTimeInterval(Double(reachDays) * 86_400)) } ?? end
            let owed = Ledger.occurrences(control: ref, frequency: frequency, windowStart: target.windowStart, windowEnd: end,
                                          evidence: (spans[ref] ?? []).filter { $0.from <= reach }, graceDays: settings.graceDays, today: today)
            let coverage = Ledger.coverage(owed)
            occurrences += owed
            byControl.append((ref, frequency, coverage))
            coverageOf[ref] = coverage
        }
        let requirements = summaries.map { s in
            (ref: s.requirement.ref, coverage: s.controls.compactMap { coverageOf[$0] }.reduce(LedgerCoverage(), LedgerCoverage.adding))
        }.filter { onlyRef == nil || $0.coverage.total > 0 }
        return LedgerReport(framework: id, windowStart: target.windowStart, windowEnd: end, graceDays: settings.graceDays,
                            occurrences: occurrences, controls: byControl, requirements: requirements,
                            overall: byControl.map(\.coverage).reduce(LedgerCoverage(), LedgerCoverage.adding), eventDriven: eventDriven)
    }
}

extension WorkspaceReader {
    /// The items of the newest sample drawn from a population of this control, with results.
    func sampledItems(control ref: String) throws -> [SampledOccurrence] {
        guard let sample = try Int64.fetchOne(db, sql: """
            SELECT s.id FROM sample s JOIN population p ON p.id = s.population_id JOIN control c ON c.id = p.control_id
            WHERE c.ref = ? ORDER BY s.number DESC LIMIT 1
            """, arguments: [ref]) else { return [] }
        return try Row.fetchAll(db, sql: """
            SELECT i.key, i.result, e.ref AS evidence FROM sample_item i LEFT JOIN evidence e ON e.id = i.evidence_id
            WHERE i.sample_id = ? ORDER BY i.position
            """, arguments: [sample]).map { SampledOccurrence(key: $0["key"], result: $0["result"], evidence: $0["evidence"]) }
    }
}

extension LedgerCoverage {
    static func adding(_ a: LedgerCoverage, _ b: LedgerCoverage) -> LedgerCoverage {
        LedgerCoverage(evidenced: a.evidenced + b.evidenced, late: a.late + b.late, missing: a.missing + b.missing, notDue: a.notDue + b.notDue)
    }
}
