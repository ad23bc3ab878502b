/// The Type II ledger: for one control, the occurrences its frequency calls for inside the
/// observation window, and which accepted evidence shows each one happened.
///
/// Pure and linear-ish: periods are generated once, evidence is sorted once and walked with an
/// index, so a workspace with thousands of controls computes in a blink. Day arithmetic is done
/// on integer day numbers (`CivilDay`), not Foundation's `Calendar`, which is far slower and
/// this runs for every occurrence of every control.

/// What the ledger concluded about one occurrence.
public enum OccurrenceState: String, Sendable, CaseIterable, Codable {
    /// Evidence dated by its deadline (due date plus grace), or evidence proving the period.
    case evidenced
    /// The work happened, but after its deadline.
    case late
    /// No evidence, and the deadline has passed.
    case missing
    /// No evidence yet, and the deadline has not passed.
    case notDue = "not-due"
}

/// What one accepted evidence item proves: a single date (`from == to`, e.g. a review performed
/// on a day) or a period (`from < to`, e.g. a log export covering a quarter). Days are
/// `YYYY-MM-DD`, both inclusive.
public struct ProvedSpan: Equatable, Sendable {
    /// The evidence id, e.g. `EV-12`.
    public var evidence: String
    public var from: String
    public var to: String
    /// The occurrence period the item says it answers (`assure evidence add --for`), when the
    /// date alone would be ambiguous: March's review held in April.
    public var answers: (from: String, to: String)?
    public init(evidence: String, from: String, to: String, answers: (from: String, to: String)? = nil) {
        self.evidence = evidence; self.from = from; self.to = to; self.answers = answers
    }
    public static func == (a: ProvedSpan, b: ProvedSpan) -> Bool {
        a.evidence == b.evidence && a.from == b.from && a.to == b.to && a.answers?.from == b.answers?.from && a.answers?.to == b.answers?.to
    }
    /// An item proving a single (effective) date.
    public init(evidence: String, on day: String) {
        self.init(evidence: evidence, from: day, to: day)
    }
}

/// One time a control had to operate during the window.
public struct Occurrence: Equatable, Sendable {
    public var control: String
    public var periodStart: String
    /// Inclusive.
    public var periodEnd: String
    /// The day the work is due: the period's last day.
    public var due: String
    public var state: OccurrenceState
    /// Evidence ids, in order of proved date (a period's first day), ties by id.
    public var evidence: [String]
    /// For an event-driven control, the sampled population item this occurrence is (its key).
    public var item: String?
    public init(
        control: String, periodStart: String, periodEnd: String, due: String,
        state: OccurrenceState, evidence: [String] = [], item: String? = nil
    ) {
        self.control = control; self.periodStart = periodStart; self.periodEnd = periodEnd
        self.due = due; self.state = state; self.evidence = evidence; self.item = item
    }
}

/// Counts of occurrences by state, and the share of due occurrences that were evidenced on time.
public struct LedgerCoverage: Equatable, Sendable {
    public var evidenced: Int
    public var late: Int
    public var missing: Int
    public var notDue: Int
    public init(evidenced: Int = 0, late: Int = 0, missing: Int = 0, notDue: Int = 0) {
        self.evidenced = evidenced; self.late = late; self.missing = missing; self.notDue = notDue
    }

    public var total: Int { evidenced + late + missing + notDue }
    /// Occurrences whose deadline has come (or that have evidence): the ones an auditor tests.
    public var due: Int { evidenced + late + missing }
    /// Evidenced on time over due; 0 when nothing is due yet (nothing proven is not 100%).
    public var fraction: Double { due == 0 ? 0 : Double(evidenced) / Double(due) }
    /// `fraction` as a whole percent, rounded down so 99.9% never shows as 100%.
    public var percent: Int { due == 0 ? 0 : evidenced * 100 / due }
}

public enum Ledger {
    /// The inclusive last day of a window of `length` (`1m` to `12m`, as `AuditTarget` accepts)
    /// starting on `start`: add the months to the start day, clamping to the last day of the
    /// target month when it is shorter, then step back one day. So `6m` from 2026-01-01 runs
    /// through 2026-06-30, and `1m` from 2026-01-31 through 2026-02-27 (Jan 31 + 1 month clamps
    /// to Feb 28; the window ends the day before). The same clamped month arithmetic tiles the
    /// monthly periods (`periods`), so a window of N months holds exactly N monthly periods.
    /// Nil when the start is not a day or the length is not `1m`...`12m`.
    public static func windowEnd(start: String, length: String) -> String? {
        guard let day = CivilDay(start), length.hasSuffix("m"),
            let months = Int(length.dropLast()), (1...12).contains(months)
        else { return nil }
        return CivilDay(number: day.addingMonths(months).number - 1)?.text
    }

    /// The periods tiling [start, end] (inclusive), counted from the start day: monthly,
    /// quarterly, semi-annual and annual by calendar months (period k starts k×N months after
    /// the start, clamped to the month's last day), weekly by 7 days, daily by 1 day. The last
    /// period is clipped to the window end. Continuous controls have one period, the whole
    /// window; event-driven controls have none (they are tested through populations). Empty when
    /// a day does not parse or the end is before the start.
    public static func periods(_ frequency: Frequency, start: String, end: String) -> [(start: String, end: String)] {
        dayPeriods(frequency, start: start, end: end).map { (CivilDay.text($0.start), CivilDay.text($0.end)) }
    }

    /// Periods as day numbers, for the ledger's own arithmetic.
    static func dayPeriods(_ frequency: Frequency, start: String, end: String) -> [(start: Int, end: Int)] {
        guard let first = CivilDay(start), let last = CivilDay(end), first.number <= last.number else { return [] }
        let lastDay = last.number
        let step: (days: Int, months: Int)
        switch frequency {
        case .onEvent: return []
        case .continuous: return [(first.number, lastDay)]
        case .daily: step = (1, 0)
        case .weekly: step = (7, 0)
        case .monthly: step = (0, 1)
        case .quarterly: step = (0, 3)
        case .semiAnnual: step = (0, 6)
        case .annual: step = (0, 12)
        }
        var result: [(start: Int, end: Int)] = []
        var periodStart = first.number
        var k = 0
        while periodStart <= lastDay {
            k += 1
            // Months are counted from the window's start, not from the previous period, so a
            // start on the 31st comes back to the 31st after a short month.
            let nextStart = step.months > 0 ? first.addingMonths(k * step.months).number : periodStart + step.days
            result.append((periodStart, min(nextStart - 1, lastDay)))
            periodStart = nextStart
        }
        return result
    }

    /// The occurrences of one control over the window [windowStart, windowEnd], matched with its
    /// accepted evidence. The matching rule:
    ///
    /// 0. An item that names the period it answers goes to the occurrences that period overlaps:
    ///    `evidenced` when the date it proves (its last day) meets their deadline (due date plus
    ///    `graceDays`), `late` otherwise.
    /// 1. An item proving a period (from < to) evidences every occurrence whose period it
    ///    overlaps (state `evidenced`).
    /// 2. Items proving a single date (from == to) are taken in order of date (ties by evidence
    ///    id). Each goes to the earliest occurrence still owed (not yet evidenced or late) whose
    ///    period had begun by that date and whose deadline (due date plus `graceDays`) it meets:
    ///    `evidenced`. Failing that, to the earliest occurrence still owed whose period had begun
    ///    by then: `late` (the work happened, after its deadline). Failing both, the item is
    ///    attached (listed in `evidence`) to the occurrence whose period contains its date,
    ///    without changing its state; dates outside the window are then ignored. So a skipped
    ///    month shows as missing, not as a run of late months, and a late item shows as late when
    ///    the period it falls in already has its own evidence.
    /// 3. An occurrence with no evidence is `missing` when its due date plus `graceDays` is before
    ///    `today`, else `not-due` (on the deadline day itself it is still not due).
    ///
    /// Each occurrence is due on its period's last day. Items whose days do not parse, or whose
    /// `from` is after `to`, are skipped; a negative grace counts as 0.
    public static func occurrences(
        control: String, frequency: Frequency, windowStart: String, windowEnd: String,
        evidence: [ProvedSpan], graceDays: Int, today: String
    ) -> [Occurrence] {
        let periods = dayPeriods(frequency, start: windowStart, end: windowEnd)
        guard !periods.isEmpty else { return [] }
        let grace = max(0, graceDays)
        let todayNumber = CivilDay(today)?.number ?? Int.max

        // Per occurrence: the state once an item claims it, and the attached items.
        var states = [OccurrenceState?](repeating: nil, count: periods.count)
        var attached = [[(day: Int, id: String)]](repeating: [], count: periods.count)

        var singles: [(day: Int, id: String)] = []
        for item in evidence {
            guard let from = CivilDay(item.from)?.number, let to = CivilDay(item.to)?.number, from <= to else { continue }
            if let answers = item.answers, let first = CivilDay(answers.from)?.number, let last = CivilDay(answers.to)?.number, first <= last {
                // Rule 0: the item says which occurrence it answers; its date says whether on time.
                var index = firstPeriod(endingOnOrAfter: first, in: periods)
                while index < periods.count, periods[index].start <= last {
                    let onTime = to <= periods[index].end + grace
                    if states[index] != .evidenced { states[index] = onTime ? .evidenced : .late }
                    attached[index].append((from, item.evidence))
                    index += 1
                }
                continue
            }
            if from == to { singles.append((from, item.evidence)); continue }
            // Rule 1: a period item evidences every occurrence it overlaps.
            var index = firstPeriod(endingOnOrAfter: from, in: periods)
            while index < periods.count, periods[index].start <= to {
                states[index] = .evidenced
                attached[index].append((from, item.evidence))
                index += 1
            }
        }

        // Rule 2: single dates in order. `open` (the earliest occurrence still owed) only moves
        // forward, because a claimed occurrence is never owed again; the on-time candidate is
        // the first owed occurrence from the earliest one whose deadline the date still meets,
        // found by binary search (periods and deadlines are both increasing).
        singles.sort { $0.day != $1.day ? $0.day < $1.day : $0.id < $1.id }
        var open = 0
        for item in singles {
            while open < periods.count, states[open] != nil { open += 1 }
            var onTime = max(open, firstPeriod(endingOnOrAfter: item.day - grace, in: periods))
            while onTime < periods.count, states[onTime] != nil, periods[onTime].start <= item.day { onTime += 1 }
            if onTime < periods.count, periods[onTime].start <= item.day {
                states[onTime] = .evidenced
                attached[onTime].append(item)
            } else if open < periods.count, periods[open].start <= item.day {
                states[open] = .late
                attached[open].append(item)
            } else {
                let index = firstPeriod(endingOnOrAfter: item.day, in: periods)
                if index < periods.count, periods[index].start <= item.day {
                    attached[index].append(item)
                }
            }
        }

        return periods.indices.map { index in
            let period = periods[index]
            // Rule 3: nothing claimed it.
            let state = states[index] ?? (period.end + grace < todayNumber ? .missing : .notDue)
            var items = attached[index]
            if items.count > 1 {
                items.sort { $0.day != $1.day ? $0.day < $1.day : $0.id < $1.id }
            }
            let end = CivilDay.text(period.end)
            return Occurrence(
                control: control, periodStart: CivilDay.text(period.start), periodEnd: end,
                due: end, state: state, evidence: items.map(\.id))
        }
    }

    public static func coverage(_ occurrences: [Occurrence]) -> LedgerCoverage {
        var coverage = LedgerCoverage()
        for occurrence in occurrences {
            switch occurrence.state {
            case .evidenced: coverage.evidenced += 1
            case .late: coverage.late += 1
            case .missing: coverage.missing += 1
            case .notDue: coverage.notDue += 1
            }
        }
        return coverage
    }

    /// Binary search: the first period whose end is on or after `day` (periods are sorted and
    /// disjoint); `periods.count` when none.
    private static func firstPeriod(endingOnOrAfter day: Int, in periods: [(start: Int, end: Int)]) -> Int {
        var low = 0
        var high = periods.count
        while low < high {
            let mid = (low + high) / 2
            if periods[mid].end < day { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

/// A proleptic Gregorian calendar day as a day number (days since 1970-01-01), with the
/// conversions the ledger needs. Integer-only (Howard Hinnant's civil-from-days algorithms), so
/// it agrees with `DueDate` (UTC, Gregorian) and is cheap.
struct CivilDay: Equatable {
    let year: Int, month: Int, day: Int

    /// Strict `YYYY-MM-DD` naming a real day, years 0001 to 9999 (as `DueDate.parseDay`).
    init?(_ text: String) {
        // Walks the bytes once, no allocation: this runs for every evidence item.
        var y = 0
        var m = 0
        var d = 0
        var count = 0
        for byte in text.utf8 {
            count += 1
            if count == 5 || count == 8 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard count <= 10, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int(byte - UInt8(ascii: "0"))
            if count <= 4 { y = y * 10 + digit } else if count <= 7 { m = m * 10 + digit } else { d = d * 10 + digit }
        }
        guard count == 10 else { return nil }
        guard y >= 1, (1...12).contains(m), d >= 1, d <= CivilDay.daysIn(year: y, month: m) else { return nil }
        year = y; month = m; day = d
    }

    init(year: Int, month: Int, day: Int) { self.year = year; self.month = month; self.day = day }

    /// The day with this number; nil outside years 0001 to 9999 (no four-digit spelling).
    init?(number: Int) {
        let z = number + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        guard (1...9999).contains(y) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    var number: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    var text: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// The text of a day number the ledger produced from parsed days (always in range).
    static func text(_ number: Int) -> String { CivilDay(number: number)?.text ?? "" }

    /// `months` later, the day clamped to the target month's last day (Jan 31 + 1 = Feb 28).
    func addingMonths(_ months: Int) -> CivilDay {
        let index = year * 12 + (month - 1) + months
        let y = index / 12
        let m = index % 12 + 1
        return CivilDay(year: y, month: m, day: min(day, CivilDay.daysIn(year: y, month: m)))
    }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// What the mock audit found for one sampled item of an event-driven control's population.
public struct SampledOccurrence: Equatable, Sendable {
    public var key: String
    /// `pass`, `exception`, `not-tested` or `untested`.
    public var result: String
    public var evidence: String?
    public init(key: String, result: String, evidence: String?) { self.key = key; self.result = result; self.evidence = evidence }
}

extension Ledger {
    /// `day` plus `count` days (`YYYY-MM-DD`), by integer day numbers: no Foundation calendar
    /// or formatter in a loop over every control.
    public static func adding(days count: Int, to day: String) -> String? {
        CivilDay(day).map { CivilDay.text($0.number + count) }
    }

    /// An event-driven control's occurrences are the items sampled from its population (the
    /// auditor tests a sample, not every event): one per item, over the window, due at its end.
    /// A pass is `evidenced`, an exception `missing` (the control did not operate for that
    /// event), an item not yet tested `missing` once the window's deadline has passed and
    /// `not-due` before; an item marked not-tested is left out.
    public static func sampledOccurrences(
        control: String, items: [SampledOccurrence], windowStart: String, windowEnd: String,
        graceDays: Int, today: String
    ) -> [Occurrence] {
        let deadline = CivilDay(windowEnd).map { CivilDay.text($0.number + max(0, graceDays)) } ?? windowEnd
        return items.compactMap { item in
            let state: OccurrenceState
            switch item.result {
            case "pass": state = .evidenced
            case "exception": state = .missing
            case "not-tested": return nil
            default: state = deadline < today ? .missing : .notDue
            }
            return Occurrence(
                control: control, periodStart: windowStart, periodEnd: windowEnd, due: windowEnd, state: state,
                evidence: item.evidence.map { [$0] } ?? [], item: item.key)
        }
    }
}
