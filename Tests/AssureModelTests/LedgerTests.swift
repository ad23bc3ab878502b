import Foundation
import XCTest

@testable import AssureModel

final class LedgerTests: XCTestCase {
    // The brief's quarterly example: window 2026-01-01..2026-06-30, grace 14, long past.
    func quarterly(
        _ items: [ProvedSpan], grace: Int = 14, today: String = "2026-12-01",
        start: String = "2026-01-01", end: String = "2026-06-30"
    ) -> [Occurrence] {
        Ledger.occurrences(
            control: "CC-1", frequency: .quarterly, windowStart: start, windowEnd: end,
            evidence: items, graceDays: grace, today: today)
    }

    func on(_ day: String, _ id: String) -> ProvedSpan { ProvedSpan(evidence: id, on: day) }

    func states(_ occurrences: [Occurrence]) -> [OccurrenceState] { occurrences.map(\.state) }

    // MARK: window end

    func testWindowEnd() {
        XCTAssertEqual(Ledger.windowEnd(start: "2026-01-01", length: "6m"), "2026-06-30")
        XCTAssertEqual(Ledger.windowEnd(start: "2026-01-01", length: "12m"), "2026-12-31")
        XCTAssertEqual(Ledger.windowEnd(start: "2026-01-01", length: "1m"), "2026-01-31")
        XCTAssertEqual(Ledger.windowEnd(start: "2026-07-15", length: "3m"), "2026-10-14")
        // Clamped to the month's last day, then one day back.
        XCTAssertEqual(Ledger.windowEnd(start: "2026-01-31", length: "1m"), "2026-02-27")
        XCTAssertEqual(Ledger.windowEnd(start: "2028-01-31", length: "1m"), "2028-02-28")  // leap year
        XCTAssertEqual(Ledger.windowEnd(start: "2026-01-31", length: "2m"), "2026-03-30")
        XCTAssertEqual(Ledger.windowEnd(start: "2026-08-31", length: "6m"), "2027-02-27")
        XCTAssertEqual(Ledger.windowEnd(start: "2026-12-01", length: "3m"), "2027-02-28")
        XCTAssertEqual(Ledger.windowEnd(start: "2026-03-01", length: "12m"), "2027-02-28")
    }

    func testWindowEndRefusals() {
        for (start, length) in [
            ("2026-02-30", "6m"), ("2026-01-01", "0m"), ("2026-01-01", "13m"),
            ("2026-01-01", "6"), ("2026-01-01", "6w"), ("2026-1-01", "6m"), ("", "6m"),
        ] {
            XCTAssertNil(Ledger.windowEnd(start: start, length: length), "\(start) \(length)")
        }
    }

    // MARK: periods

    func testQuarterlyPeriods() {
        let periods = Ledger.periods(.quarterly, start: "2026-01-01", end: "2026-06-30")
        XCTAssertEqual(periods.map(\.start), ["2026-01-01", "2026-04-01"])
        XCTAssertEqual(periods.map(\.end), ["2026-03-31", "2026-06-30"])
    }

    func testMonthlyFromThe31st() {
        let end = Ledger.windowEnd(start: "2026-01-31", length: "6m")!
        XCTAssertEqual(end, "2026-07-30")
        let periods = Ledger.periods(.monthly, start: "2026-01-31", end: end)
        // Counted from the start day, so short months do not drag later periods back.
        XCTAssertEqual(periods.map(\.start), ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30"])
        XCTAssertEqual(periods.map(\.end), ["2026-02-27", "2026-03-30", "2026-04-29", "2026-05-30", "2026-06-29", "2026-07-30"])
    }

    func testMonthlyTilesEveryWindowLength() {
        for start in ["2026-01-01", "2026-01-31", "2026-02-28", "2027-08-30", "2028-02-29"] {
            for months in 1...12 {
                let end = Ledger.windowEnd(start: start, length: "\(months)m")!
                let periods = Ledger.periods(.monthly, start: start, end: end)
                XCTAssertEqual(periods.count, months, "\(start) \(months)m")
                XCTAssertEqual(periods.first?.start, start)
                XCTAssertEqual(periods.last?.end, end)
                assertTiles(periods, start: start, end: end)
            }
        }
    }

    func testWeeklyClipsTheLastPeriod() {
        let periods = Ledger.periods(.weekly, start: "2026-01-01", end: "2026-01-31")
        XCTAssertEqual(periods.count, 5)
        XCTAssertEqual(periods[0].start, "2026-01-01"); XCTAssertEqual(periods[0].end, "2026-01-07")
        XCTAssertEqual(periods[4].start, "2026-01-29"); XCTAssertEqual(periods[4].end, "2026-01-31")
        assertTiles(periods, start: "2026-01-01", end: "2026-01-31")
    }

    func testDailyCount() {
        XCTAssertEqual(Ledger.periods(.daily, start: "2026-02-25", end: "2026-03-02").count, 6)
        XCTAssertEqual(Ledger.periods(.daily, start: "2028-02-25", end: "2028-03-02").count, 7)
        let year = Ledger.periods(.daily, start: "2026-01-01", end: "2026-12-31")
        XCTAssertEqual(year.count, 365)
        XCTAssertTrue(year.allSatisfy { $0.start == $0.end })
        let occurrences = Ledger.occurrences(
            control: "D", frequency: .daily, windowStart: "2026-03-01", windowEnd: "2026-03-10",
            evidence: [], graceDays: 0, today: "2026-03-05")
        XCTAssertEqual(occurrences.count, 10)
        // Days 1-4 are past; the 5th is today, still not due.
        XCTAssertEqual(Ledger.coverage(occurrences), LedgerCoverage(missing: 4, notDue: 6))
    }

    func testSemiAnnualAndAnnual() {
        let periods = Ledger.periods(.semiAnnual, start: "2026-01-01", end: "2026-12-31")
        XCTAssertEqual(periods.map(\.end), ["2026-06-30", "2026-12-31"])
        XCTAssertEqual(Ledger.periods(.annual, start: "2026-01-01", end: "2027-03-31").map(\.start), ["2026-01-01", "2027-01-01"])
    }

    func testAnnualInASixMonthWindowIsOneClippedOccurrence() {
        let occurrences = Ledger.occurrences(
            control: "A", frequency: .annual, windowStart: "2026-01-01", windowEnd: "2026-06-30",
            evidence: [on("2026-05-01", "EV-1")], graceDays: 14, today: "2026-12-01")
        XCTAssertEqual(
            occurrences,
            [
                Occurrence(
                    control: "A", periodStart: "2026-01-01", periodEnd: "2026-06-30",
                    due: "2026-06-30", state: .evidenced, evidence: ["EV-1"])
            ])
    }

    func testContinuousIsOneOccurrence() {
        let periods = Ledger.periods(.continuous, start: "2026-01-01", end: "2026-06-30")
        XCTAssertEqual(periods.count, 1)
        XCTAssertEqual(periods[0].start, "2026-01-01"); XCTAssertEqual(periods[0].end, "2026-06-30")
        let occurrences = Ledger.occurrences(
            control: "C", frequency: .continuous, windowStart: "2026-01-01", windowEnd: "2026-06-30",
            evidence: [ProvedSpan(evidence: "EV-LOG", from: "2026-01-01", to: "2026-06-30")],
            graceDays: 0, today: "2026-12-01")
        XCTAssertEqual(occurrences.map(\.state), [.evidenced])
        XCTAssertEqual(occurrences[0].evidence, ["EV-LOG"])
    }

    func testOnEventHasNoOccurrences() {
        XCTAssertTrue(Ledger.periods(.onEvent, start: "2026-01-01", end: "2026-06-30").isEmpty)
        XCTAssertTrue(
            Ledger.occurrences(
                control: "E", frequency: .onEvent, windowStart: "2026-01-01", windowEnd: "2026-06-30",
                evidence: [on("2026-02-01", "EV-1")], graceDays: 0, today: "2026-12-01"
            ).isEmpty)
    }

    func testBadWindowsHaveNoPeriods() {
        XCTAssertTrue(Ledger.periods(.monthly, start: "2026-06-30", end: "2026-01-01").isEmpty)
        XCTAssertTrue(Ledger.periods(.monthly, start: "2026-02-30", end: "2026-06-30").isEmpty)
        XCTAssertTrue(Ledger.periods(.monthly, start: "2026-01-01", end: "soon").isEmpty)
        // A one-day window is one (clipped) period whatever the frequency.
        for frequency in Frequency.allCases where frequency != .onEvent {
            XCTAssertEqual(Ledger.periods(frequency, start: "2026-01-01", end: "2026-01-01").count, 1, "\(frequency)")
        }
    }

    func testEveryFrequencyTilesAWindow() {
        for frequency in Frequency.allCases where frequency != .onEvent {
            for (start, end) in [("2026-01-01", "2026-12-31"), ("2026-01-31", "2026-09-13"), ("2027-12-30", "2028-03-01")] {
                assertTiles(Ledger.periods(frequency, start: start, end: end), start: start, end: end, "\(frequency)")
            }
        }
    }

    /// Contiguous, non-empty, from the start to the end.
    func assertTiles(
        _ periods: [(start: String, end: String)], start: String, end: String, _ message: String = "",
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(periods.first?.start, start, message, file: file, line: line)
        XCTAssertEqual(periods.last?.end, end, message, file: file, line: line)
        for period in periods {
            XCTAssertLessThanOrEqual(period.start, period.end, message, file: file, line: line)
        }
        for (a, b) in zip(periods, periods.dropFirst()) {
            let next = CivilDay(number: CivilDay(a.end)!.number + 1)!.text
            XCTAssertEqual(next, b.start, message, file: file, line: line)
        }
    }

    // MARK: matching (the brief's examples)

    func testAnItemInTheNextQuarterEvidencesThatQuarter() {
        // Past Q1's deadline, an April item is Q2's: Q1 shows as missing, not as late.
        let result = quarterly([on("2026-04-20", "EV-1")])
        XCTAssertEqual(states(result), [.missing, .evidenced])
        XCTAssertEqual(result.map(\.evidence), [[], ["EV-1"]])
        XCTAssertEqual(result.map(\.due), ["2026-03-31", "2026-06-30"])
    }

    func testLateThenOnTime() {
        let result = quarterly([on("2026-06-10", "EV-2"), on("2026-04-20", "EV-1")])
        // April's item is Q2's; June's finds Q2 evidenced, so it is Q1's work, done late.
        XCTAssertEqual(states(result), [.late, .evidenced])
        XCTAssertEqual(result.map(\.evidence), [["EV-2"], ["EV-1"]])
    }

    func testASkippedMonthIsMissingAndALateMeetingIsLate() {
        // Minutes on Jan 21, Feb 18; March's meeting held Apr 22, April's on Apr 28; no May; June 17.
        let end = Ledger.windowEnd(start: "2026-01-01", length: "6m")!
        let result = Ledger.occurrences(
            control: "GV-04", frequency: .monthly, windowStart: "2026-01-01", windowEnd: end,
            evidence: [
                on("2026-01-21", "EV-1"), on("2026-02-18", "EV-2"), on("2026-04-22", "EV-3"),
                on("2026-04-28", "EV-4"), on("2026-06-17", "EV-5"),
            ],
            graceDays: 14, today: "2026-12-01")
        XCTAssertEqual(states(result), [.evidenced, .evidenced, .late, .evidenced, .missing, .evidenced])
        XCTAssertEqual(result.map(\.evidence), [["EV-1"], ["EV-2"], ["EV-4"], ["EV-3"], [], ["EV-5"]])
    }

    func testAnItemNamingItsPeriodIsLateForIt() {
        // March's meeting held on 22 April, saying it answers March; April's on 28 April.
        let end = Ledger.windowEnd(start: "2026-01-01", length: "6m")!
        let result = Ledger.occurrences(
            control: "GV-04", frequency: .monthly, windowStart: "2026-01-01", windowEnd: end,
            evidence: [
                on("2026-01-21", "EV-1"), on("2026-02-18", "EV-2"),
                ProvedSpan(evidence: "EV-3", from: "2026-04-22", to: "2026-04-22", answers: ("2026-03-01", "2026-03-31")),
                on("2026-04-28", "EV-4"), on("2026-06-17", "EV-5"),
            ],
            graceDays: 14, today: "2026-12-01")
        XCTAssertEqual(states(result), [.evidenced, .evidenced, .late, .evidenced, .missing, .evidenced])
        XCTAssertEqual(result.map(\.evidence), [["EV-1"], ["EV-2"], ["EV-3"], ["EV-4"], [], ["EV-5"]])
        // Within the grace it is on time for the period it names.
        let onTime = quarterly([ProvedSpan(evidence: "EV-1", from: "2026-04-10", to: "2026-04-10", answers: ("2026-01-01", "2026-03-31"))])
        XCTAssertEqual(states(onTime), [.evidenced, .missing])
    }

    func testAnEventDrivenControlOwesItsSampledItems() {
        let items = [
            SampledOccurrence(key: "E-1", result: "pass", evidence: "EV-4"), SampledOccurrence(key: "E-2", result: "exception", evidence: "EV-4"),
            SampledOccurrence(key: "E-3", result: "untested", evidence: nil), SampledOccurrence(key: "E-4", result: "not-tested", evidence: nil),
        ]
        let closed = Ledger.sampledOccurrences(
            control: "AC-04", items: items, windowStart: "2026-01-01", windowEnd: "2026-06-30",
            graceDays: 14, today: "2026-07-15")
        XCTAssertEqual(closed.map(\.item), ["E-1", "E-2", "E-3"], "an item marked not-tested is left out")
        XCTAssertEqual(states(closed), [.evidenced, .missing, .missing])
        XCTAssertEqual(closed.map(\.evidence), [["EV-4"], ["EV-4"], []])
        XCTAssertEqual(closed.first?.due, "2026-06-30")
        // On the deadline day (window end plus grace) an untested item is not due yet.
        let open = Ledger.sampledOccurrences(
            control: "AC-04", items: items, windowStart: "2026-01-01", windowEnd: "2026-06-30",
            graceDays: 14, today: "2026-07-14")
        XCTAssertEqual(states(open), [.evidenced, .missing, .notDue])
    }

    func testWithinGrace() {
        XCTAssertEqual(states(quarterly([on("2026-04-05", "EV-1")])), [.evidenced, .missing])
        // The last day of grace still counts; the day after does not.
        XCTAssertEqual(states(quarterly([on("2026-04-14", "EV-1")])), [.evidenced, .missing])
        XCTAssertEqual(states(quarterly([on("2026-04-15", "EV-1")])), [.missing, .evidenced])
    }

    func testSecondItemInAnEvidencedQuarterIsAttached() {
        let result = quarterly([on("2026-03-20", "EV-2"), on("2026-02-10", "EV-1")])
        XCTAssertEqual(states(result), [.evidenced, .missing])
        XCTAssertEqual(result[0].evidence, ["EV-1", "EV-2"])
        XCTAssertEqual(result[1].evidence, [])
    }

    func testOneItemPerQuarter() {
        let result = quarterly([on("2026-02-10", "EV-1"), on("2026-04-20", "EV-2")])
        XCTAssertEqual(states(result), [.evidenced, .evidenced])
        XCTAssertEqual(result.map(\.evidence), [["EV-1"], ["EV-2"]])
    }

    func testSameDayTiesGoByID() {
        let result = quarterly([on("2026-04-20", "EV-9"), on("2026-04-20", "EV-10"), on("2026-04-20", "EV-1")])
        // EV-1 < EV-10 < EV-9 as strings: EV-1 evidences Q2, EV-10 makes Q1 late, EV-9 is attached to Q2.
        XCTAssertEqual(states(result), [.late, .evidenced])
        XCTAssertEqual(result.map(\.evidence), [["EV-10"], ["EV-1", "EV-9"]])
    }

    func testAnItemDoesNotReachForwardToALaterPeriod() {
        // Q1 evidenced by a period item; a March item cannot evidence Q2, which has not started.
        let result = quarterly([ProvedSpan(evidence: "EV-1", from: "2026-01-01", to: "2026-03-31"), on("2026-03-30", "EV-2")])
        XCTAssertEqual(states(result), [.evidenced, .missing])
        XCTAssertEqual(result.map(\.evidence), [["EV-1", "EV-2"], []])
    }

    // MARK: period items

    func testPeriodItemEvidencesEveryOverlappedOccurrence() {
        let result = Ledger.occurrences(
            control: "M", frequency: .monthly, windowStart: "2026-01-01", windowEnd: "2026-06-30",
            evidence: [ProvedSpan(evidence: "EV-LOG", from: "2026-02-15", to: "2026-04-01")],
            graceDays: 5, today: "2026-12-01")
        XCTAssertEqual(states(result), [.missing, .evidenced, .evidenced, .evidenced, .missing, .missing])
        XCTAssertEqual(result[3].evidence, ["EV-LOG"])
    }

    func testPeriodItemTakesPrecedenceAndSinglesSkipIt() {
        // The span covers Q1, so the late April item goes to Q2 and is on time there.
        let result = quarterly([on("2026-04-20", "EV-2"), ProvedSpan(evidence: "EV-1", from: "2026-01-10", to: "2026-02-10")])
        XCTAssertEqual(states(result), [.evidenced, .evidenced])
        XCTAssertEqual(result.map(\.evidence), [["EV-1"], ["EV-2"]])
    }

    func testPeriodItemsPartlyOutsideTheWindow() {
        let before = ProvedSpan(evidence: "EV-B", from: "2025-12-01", to: "2026-01-01")
        let after = ProvedSpan(evidence: "EV-A", from: "2026-06-30", to: "2026-08-01")
        XCTAssertEqual(states(quarterly([before])), [.evidenced, .missing])
        XCTAssertEqual(states(quarterly([after])), [.missing, .evidenced])
        let outside = ProvedSpan(evidence: "EV-X", from: "2025-10-01", to: "2025-12-31")
        let result = quarterly([outside, ProvedSpan(evidence: "EV-Y", from: "2026-07-01", to: "2026-09-30")])
        XCTAssertEqual(states(result), [.missing, .missing])
        XCTAssertEqual(result.map(\.evidence), [[], []])
    }

    func testEvidenceListedInProvedDateOrder() {
        let result = quarterly([
            on("2026-03-01", "EV-3"), ProvedSpan(evidence: "EV-9", from: "2026-01-05", to: "2026-01-20"),
            on("2026-02-01", "EV-2"),
        ])
        XCTAssertEqual(result[0].evidence, ["EV-9", "EV-2", "EV-3"])
    }

    func testUnreadableItemsAreSkipped() {
        let result = quarterly([
            on("2026-02-30", "EV-1"), ProvedSpan(evidence: "EV-2", from: "2026-03-01", to: "2026-02-01"),
            on("next week", "EV-3"),
        ])
        XCTAssertEqual(states(result), [.missing, .missing])
        XCTAssertEqual(result.map(\.evidence), [[], []])
    }

    // MARK: window edges

    func testEvidenceOnTheFirstAndLastDay() {
        XCTAssertEqual(states(quarterly([on("2026-01-01", "EV-1")])), [.evidenced, .missing])
        // The last day falls in Q2, which it evidences; Q1 is missing.
        XCTAssertEqual(states(quarterly([on("2026-06-30", "EV-1")])), [.missing, .evidenced])
        XCTAssertEqual(states(quarterly([on("2026-01-01", "EV-1"), on("2026-06-30", "EV-2")])), [.evidenced, .evidenced])
    }

    func testEvidenceTheDayBeforeTheStartIsIgnored() {
        let result = quarterly([on("2025-12-31", "EV-0")])
        XCTAssertEqual(states(result), [.missing, .missing])
        XCTAssertEqual(result.map(\.evidence), [[], []])
    }

    func testEvidenceTheDayAfterTheEnd() {
        // With the last occurrence open, the day after the end is within its grace: evidenced.
        let open = quarterly([on("2026-02-01", "EV-1"), on("2026-07-01", "EV-2")])
        XCTAssertEqual(states(open), [.evidenced, .evidenced])
        XCTAssertEqual(open[1].evidence, ["EV-2"])
        // With grace 0 it is late.
        XCTAssertEqual(states(quarterly([on("2026-02-01", "EV-1"), on("2026-07-01", "EV-2")], grace: 0)), [.evidenced, .late])
        // With everything claimed it is ignored: no period contains it.
        let claimed = quarterly([on("2026-02-01", "EV-1"), on("2026-05-01", "EV-2"), on("2026-07-01", "EV-3")])
        XCTAssertEqual(states(claimed), [.evidenced, .evidenced])
        XCTAssertEqual(claimed.map(\.evidence), [["EV-1"], ["EV-2"]])
    }

    func testDueDateEqualToToday() {
        // Grace 0: on the due day the occurrence is not due yet; the day after it is missing.
        XCTAssertEqual(states(quarterly([], grace: 0, today: "2026-03-31")), [.notDue, .notDue])
        XCTAssertEqual(states(quarterly([], grace: 0, today: "2026-04-01")), [.missing, .notDue])
        // Grace 14: the deadline is 2026-04-14.
        XCTAssertEqual(states(quarterly([], grace: 14, today: "2026-04-14")), [.notDue, .notDue])
        XCTAssertEqual(states(quarterly([], grace: 14, today: "2026-04-15")), [.missing, .notDue])
    }

    func testGraceZero() {
        XCTAssertEqual(states(quarterly([on("2026-03-31", "EV-1")], grace: 0)), [.evidenced, .missing])
        XCTAssertEqual(states(quarterly([on("2026-04-01", "EV-1")], grace: 0)), [.missing, .evidenced])
        // A negative grace counts as none.
        XCTAssertEqual(states(quarterly([on("2026-03-31", "EV-1")], grace: -3)), [.evidenced, .missing])
    }

    func testMonthlyInAWindowStartingOnThe31st() {
        let end = Ledger.windowEnd(start: "2026-01-31", length: "3m")!
        let result = Ledger.occurrences(
            control: "M", frequency: .monthly, windowStart: "2026-01-31", windowEnd: end,
            evidence: [on("2026-02-27", "EV-1"), on("2026-03-05", "EV-2")],
            graceDays: 0, today: "2026-04-10")
        XCTAssertEqual(result.map(\.periodStart), ["2026-01-31", "2026-02-28", "2026-03-31"])
        XCTAssertEqual(result.map(\.due), ["2026-02-27", "2026-03-30", "2026-04-29"])
        XCTAssertEqual(states(result), [.evidenced, .evidenced, .notDue])
    }

    func testWeeklyWithAClippedLastPeriod() {
        let result = Ledger.occurrences(
            control: "W", frequency: .weekly, windowStart: "2026-01-01", windowEnd: "2026-01-10",
            evidence: [on("2026-01-03", "EV-1"), on("2026-01-10", "EV-2")],
            graceDays: 0, today: "2026-02-01")
        XCTAssertEqual(result.map(\.periodStart), ["2026-01-01", "2026-01-08"])
        XCTAssertEqual(result.map(\.due), ["2026-01-07", "2026-01-10"])
        XCTAssertEqual(states(result), [.evidenced, .evidenced])
    }

    func testFieldsOfAnOccurrence() {
        let result = quarterly([], today: "2026-05-01")
        XCTAssertEqual(
            result,
            [
                Occurrence(control: "CC-1", periodStart: "2026-01-01", periodEnd: "2026-03-31", due: "2026-03-31", state: .missing),
                Occurrence(control: "CC-1", periodStart: "2026-04-01", periodEnd: "2026-06-30", due: "2026-06-30", state: .notDue),
            ])
    }

    // MARK: coverage

    func testCoverage() {
        let coverage = LedgerCoverage(evidenced: 2, late: 1, missing: 0, notDue: 4)
        XCTAssertEqual(coverage.total, 7)
        XCTAssertEqual(coverage.due, 3)
        XCTAssertEqual(coverage.fraction, 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(coverage.percent, 66)
        XCTAssertEqual(LedgerCoverage(notDue: 3).fraction, 0)
        XCTAssertEqual(LedgerCoverage(notDue: 3).percent, 0)
        XCTAssertEqual(LedgerCoverage(evidenced: 5).percent, 100)
        XCTAssertEqual(LedgerCoverage(evidenced: 999, missing: 1).percent, 99)

        let counted = Ledger.coverage(
            quarterly([on("2026-04-20", "EV-1")]) + quarterly([], today: "2026-04-01")
                + quarterly([on("2026-02-01", "EV-2")]))
        XCTAssertEqual(counted, LedgerCoverage(evidenced: 2, late: 0, missing: 2, notDue: 2))
    }

    func testStateSpellings() {
        XCTAssertEqual(OccurrenceState.allCases.map(\.rawValue), ["evidenced", "late", "missing", "not-due"])
    }

    // MARK: properties (fixed seeds)

    /// Every parsed item is accounted for at most once, states follow the rule's invariants, and
    /// the evidence never moves an occurrence to missing.
    func testInvariantsOverRandomEvidence() {
        var generator = SplitMix64(seed: 2026)
        let start = CivilDay("2026-01-01")!.number
        for round in 0..<300 {
            let frequency = [Frequency.daily, .weekly, .monthly, .quarterly, .semiAnnual, .annual, .continuous][round % 7]
            let length = Int(generator.next(below: 12)) + 1
            let end = Ledger.windowEnd(start: "2026-01-01", length: "\(length)m")!
            var items: [ProvedSpan] = []
            for index in 0..<Int(generator.next(below: 30)) {
                let from = start - 20 + Int(generator.next(below: 420))
                let span = generator.next(below: 5) == 0 ? Int(generator.next(below: 60)) : 0
                items.append(ProvedSpan(evidence: "EV-\(index)", from: CivilDay.text(from), to: CivilDay.text(from + span)))
            }
            let grace = Int(generator.next(below: 20))
            let today = CivilDay.text(start + Int(generator.next(below: 500)))
            let result = Ledger.occurrences(
                control: "X", frequency: frequency, windowStart: "2026-01-01", windowEnd: end,
                evidence: items, graceDays: grace, today: today)
            let bare = Ledger.occurrences(
                control: "X", frequency: frequency, windowStart: "2026-01-01", windowEnd: end,
                evidence: [], graceDays: grace, today: today)
            XCTAssertEqual(result.count, Ledger.periods(frequency, start: "2026-01-01", end: end).count)
            let singles = items.filter { $0.from == $0.to }.map(\.evidence)
            let listed = result.flatMap(\.evidence).filter(singles.contains)
            XCTAssertEqual(listed.count, Set(listed).count, "a single-date item is listed once")
            for (occurrence, without) in zip(result, bare) {
                XCTAssertEqual(occurrence.state == .missing || occurrence.state == .notDue, occurrence.evidence.isEmpty)
                if occurrence.evidence.isEmpty { XCTAssertEqual(occurrence.state, without.state) }
            }
        }
    }

    func testCivilDayAgreesWithDueDate() {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<2000 {
            let number = Int(generator.next(below: 200_000)) - 60_000
            let text = CivilDay.text(number)
            XCTAssertEqual(CivilDay(text)?.number, number)
            XCTAssertEqual(DueDate.parseDay(text).map(DueDate.format), text)
            XCTAssertEqual(Int(DueDate.parseDay(text)!.timeIntervalSince1970 / 86_400), number)
        }
        for bad in ["2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-01", "2026/01/01", "20260101", "2026-01-011", ""] {
            XCTAssertNil(CivilDay(bad), bad)
            XCTAssertNil(DueDate.parseDay(bad), bad)
        }
        XCTAssertNotNil(CivilDay("2028-02-29"))
        XCTAssertNil(CivilDay("1900-02-29"))
        XCTAssertNotNil(CivilDay("2000-02-29"))
    }

    /// The scale the brief asks for (5,000 controls, 50,000 occurrences, 100,000 items) runs
    /// and stays correct; its speed is measured in a release build, not here.
    func testLargeWorkspace() {
        var total = LedgerCoverage()
        for control in 0..<5_000 {
            // Monthly over 10 months: 10 occurrences; 20 items each.
            var items: [ProvedSpan] = []
            for index in 0..<20 {
                let day = CivilDay.text(CivilDay("2026-01-01")!.number + (index * 15 + control) % 300)
                items.append(ProvedSpan(evidence: "EV-\(control)-\(index)", on: day))
            }
            let result = Ledger.occurrences(
                control: "C-\(control)", frequency: .monthly, windowStart: "2026-01-01",
                windowEnd: "2026-10-31", evidence: items, graceDays: 10, today: "2027-01-01")
            let coverage = Ledger.coverage(result)
            total.evidenced += coverage.evidenced; total.late += coverage.late
            total.missing += coverage.missing; total.notDue += coverage.notDue
        }
        XCTAssertEqual(total.total, 50_000)
        XCTAssertEqual(total.notDue, 0)
    }
}
