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
        // Rows are read by position: by name, GRDB folds the case of every column name per row,
        // which was a tenth of the ledger at 100,000 evidence items.
        var controls: [(ref: String, frequency: String)] = []
        var refByID: [Int64: String] = [:]
        let controlRows = try Row.fetchCursor(db, sql: "SELECT id, ref, frequency FROM control WHERE status <> 'not-applicable' ORDER BY ref")
        while let row = try controlRows.next() {
            let ref: String = row[1]
            if serving.contains(ref) && (onlyRef == nil || ref == onlyRef) { controls.append((ref, row[2])); refByID[row[0]] = ref }
        }
        // Evidence by control id (no join, no control reference decoded per item).
        var spans: [String: [ProvedSpan]] = [:]
        let evidenceRows = try Row.fetchCursor(
            db,
            sql: """
                SELECT control_id, ref, proved_from, proved_to, answers_from, answers_to FROM evidence
                WHERE review = 'accepted' AND proved_to >= ?
                """, arguments: [target.windowStart])
        while let row = try evidenceRows.next() {
            guard let control = refByID[row[0]] else { continue }
            let answersFrom: String? = row[4]
            let answersTo: String? = answersFrom == nil ? nil : row[5]
            spans[control, default: []].append(
                ProvedSpan(
                    evidence: row[1], from: row[2], to: row[3],
                    answers: answersFrom.map { ($0, answersTo ?? $0) }))
        }
        let sampled = try sampledItemsByControl()
        // Each control's occurrences are a pure function of its frequency and its evidence, so
        // they are worked out on every core; the results are gathered in reference order.
        let grace = settings.graceDays
        let windowStart = target.windowStart
        let (frozenControls, frozenSpans) = (controls, spans)  // the workers only read them
        let owedByControl = [[Occurrence]?](unsafeUninitializedCapacity: controls.count) { buffer, count in
            // Safe to share: each worker initializes only its own slot, and the buffer outlives
            // concurrentPerform, which returns when every worker has finished.
            nonisolated(unsafe) let slots = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: controls.count) { index in
                let (ref, frequencyText) = frozenControls[index]
                let frequency = Frequency(rawValue: frequencyText) ?? .annual
                let owed: [Occurrence]?
                if frequency == .onEvent {
                    let items = sampled[ref] ?? []
                    owed =
                        items.isEmpty
                        ? nil
                        : Ledger.sampledOccurrences(
                            control: ref, items: items, windowStart: windowStart, windowEnd: end,
                            graceDays: grace, today: today)
                } else {
                    // Work done after the window still answers its last occurrences (on time within
                    // the grace, else late), but not once the next period would have begun: that
                    // belongs to the next window.
                    let reach = Ledger.adding(days: max(frequency.periodDays ?? 0, grace), to: end) ?? end
                    owed = Ledger.occurrences(
                        control: ref, frequency: frequency, windowStart: windowStart, windowEnd: end,
                        evidence: (frozenSpans[ref] ?? []).filter { $0.from <= reach }, graceDays: grace, today: today)
                }
                (slots + index).initialize(to: owed)
            }
            count = controls.count
        }
        var occurrences: [Occurrence] = []
        var byControl: [(ref: String, frequency: Frequency, coverage: LedgerCoverage)] = []
        var coverageOf: [String: LedgerCoverage] = [:]
        var eventDriven: [String] = []
        for ((ref, frequencyText), owed) in zip(controls, owedByControl) {
            let frequency = Frequency(rawValue: frequencyText) ?? .annual
            guard let owed else { eventDriven.append(ref); continue }  // event-driven, no sample yet
            let coverage = Ledger.coverage(owed)
            occurrences += owed
            byControl.append((ref, frequency, coverage))
            coverageOf[ref] = coverage
        }
        let requirements = summaries.map { s in
            (ref: s.requirement.ref, coverage: s.controls.compactMap { coverageOf[$0] }.reduce(LedgerCoverage(), LedgerCoverage.adding))
        }.filter { onlyRef == nil || $0.coverage.total > 0 }
        return LedgerReport(
            framework: id, windowStart: target.windowStart, windowEnd: end, graceDays: settings.graceDays,
            occurrences: occurrences, controls: byControl, requirements: requirements,
            overall: byControl.map(\.coverage).reduce(LedgerCoverage(), LedgerCoverage.adding), eventDriven: eventDriven)
    }
}

extension WorkspaceReader {
    /// For each control, the items of the newest sample drawn from one of its populations, with
    /// their results: one query for the whole workspace.
    func sampledItemsByControl() throws -> [String: [SampledOccurrence]] {
        var items: [String: [SampledOccurrence]] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT c.ref, i.key, i.result, e.ref FROM sample_item i
                JOIN sample s ON s.id = i.sample_id JOIN population p ON p.id = s.population_id JOIN control c ON c.id = p.control_id
                LEFT JOIN evidence e ON e.id = i.evidence_id
                WHERE s.number = (SELECT max(s2.number) FROM sample s2 JOIN population p2 ON p2.id = s2.population_id WHERE p2.control_id = p.control_id)
                ORDER BY c.ref, i.position
                """)
        while let row = try rows.next() {
            items[row[0] as String, default: []].append(SampledOccurrence(key: row[1], result: row[2], evidence: row[3]))
        }
        return items
    }
}

extension LedgerCoverage {
    static func adding(_ a: LedgerCoverage, _ b: LedgerCoverage) -> LedgerCoverage {
        LedgerCoverage(evidenced: a.evidenced + b.evidenced, late: a.late + b.late, missing: a.missing + b.missing, notDue: a.notDue + b.notDue)
    }
}
