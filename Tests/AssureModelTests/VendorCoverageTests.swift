import AssureModel
import XCTest

/// The vendor rules: which days of our window the reports and bridge letters leave uncovered
/// (ends inclusive), the review cadence by criticality, agreements and the derived gaps.
final class VendorCoverageTests: XCTestCase {
    /// A 6-month window: 2026-01-01..2026-06-30, 181 days.
    let window = DayRange(from: "2026-01-01", to: "2026-06-30")

    func type2(
        _ from: String, _ to: String, bridge: String? = nil, number: Int = 1, opinion: VendorOpinion = .unqualified,
        exceptions: Int = 0
    ) -> VendorReport {
        VendorReport(number: number, type: .type2, periodFrom: from, periodTo: to, opinion: opinion, exceptions: exceptions, bridgeUntil: bridge)
    }

    func coverage(_ reports: [VendorReport], window: DayRange? = nil) -> VendorCoverage {
        VendorCoverage(reports: reports, window: window ?? self.window)
    }

    func testTheWindowHasBothEndsInclusive() {
        XCTAssertEqual(window.days, 181)
        XCTAssertEqual(DayRange(from: "2026-06-30", to: "2026-06-30").days, 1)
        XCTAssertEqual(DayRange(from: "2026-07-01", to: "2026-06-30").days, 0)
        XCTAssertEqual(coverage([]).uncoveredDays, 181)
        XCTAssertEqual(coverage([]).text, "no SOC 2 report; 181 days uncovered (2026-01-01..2026-06-30)")
    }

    func testReportEndingTheDayBeforeTheWindowCoversNothing() {
        let c = coverage([type2("2025-01-01", "2025-12-31")])
        XCTAssertEqual(c.uncoveredDays, 181)
        XCTAssertEqual(c.uncovered, [DayRange(from: "2026-01-01", to: "2026-06-30")])
        XCTAssertEqual(c.text, "covered to 2025-12-31; 181 days uncovered (2026-01-01..2026-06-30)")
    }

    func testReportEndingOnTheWindowsFirstDayCoversThatDay() {
        let c = coverage([type2("2025-01-02", "2026-01-01")])
        XCTAssertEqual(c.uncoveredDays, 180)
        XCTAssertEqual(c.uncovered, [DayRange(from: "2026-01-02", to: "2026-06-30")])
    }

    func testReportEndingOnTheWindowsLastDayCoversIt() {
        let c = coverage([type2("2025-07-01", "2026-06-30")])
        XCTAssertEqual(c.uncoveredDays, 0)
        XCTAssertEqual(c.uncovered, [])
        XCTAssertEqual(c.text, "covered to 2026-06-30; window covered")
        // One day short leaves exactly the last day.
        let short = coverage([type2("2025-07-01", "2026-06-29")])
        XCTAssertEqual(short.uncoveredDays, 1)
        XCTAssertEqual(short.text, "covered to 2026-06-29; 1 day uncovered (2026-06-30)")
    }

    func testReportStartingInsideTheWindowLeavesItsStart() {
        let c = coverage([type2("2026-02-01", "2027-01-31")])
        XCTAssertEqual(c.uncovered, [DayRange(from: "2026-01-01", to: "2026-01-31")])
        XCTAssertEqual(c.uncoveredDays, 31)
    }

    func testBridgeLetterCoversFromTheDayAfterThePeriodThroughItsDate() {
        let example = coverage([type2("2025-04-01", "2026-03-31", bridge: "2026-05-31")])
        XCTAssertEqual(example.uncoveredDays, 30)
        XCTAssertEqual(example.text, "covered to 2026-03-31, bridge to 2026-05-31; 30 days uncovered (2026-06-01..2026-06-30)")

        let exact = coverage([type2("2025-04-01", "2026-03-31", bridge: "2026-06-30")])
        XCTAssertEqual(exact.uncoveredDays, 0, "a bridge ending exactly at window end covers it")
        XCTAssertEqual(exact.text, "covered to 2026-03-31, bridge to 2026-06-30; window covered")

        let short = coverage([type2("2025-04-01", "2026-03-31", bridge: "2026-06-29")])
        XCTAssertEqual(short.uncoveredDays, 1, "a bridge one day short leaves the window's last day")
        XCTAssertEqual(short.uncovered, [DayRange(from: "2026-06-30", to: "2026-06-30")])

        // A bridge of a report that ended before the window still covers the days it vouches for.
        let early = coverage([type2("2025-01-01", "2025-12-31", bridge: "2026-01-31")])
        XCTAssertEqual(early.uncovered, [DayRange(from: "2026-02-01", to: "2026-06-30")])
        XCTAssertEqual(early.uncoveredDays, 150)
    }

    func testOverlappingReportsAndHolesBetweenThem() {
        // Overlapping periods count each day once; the older report's bridge reaches furthest.
        let overlapping = coverage([
            type2("2025-10-01", "2026-03-31", bridge: "2026-05-15", number: 1),
            type2("2026-01-01", "2026-04-30", number: 2),
        ])
        XCTAssertEqual(overlapping.uncovered, [DayRange(from: "2026-05-16", to: "2026-06-30")])
        XCTAssertEqual(overlapping.uncoveredDays, 46)
        XCTAssertEqual(overlapping.coveredTo, "2026-04-30")
        XCTAssertEqual(overlapping.bridgeTo, "2026-05-15")

        // A report nested inside another adds nothing; a hole between two reports is uncovered.
        let holes = coverage([type2("2025-07-01", "2026-02-28"), type2("2025-08-01", "2025-09-30"), type2("2026-04-01", "2026-09-30")])
        XCTAssertEqual(holes.uncovered, [DayRange(from: "2026-03-01", to: "2026-03-31")])
        XCTAssertEqual(holes.uncoveredDays, 31)
        XCTAssertEqual(holes.text, "covered to 2026-09-30; 31 days uncovered (2026-03-01..2026-03-31)")

        // Adjacent periods leave no hole.
        XCTAssertEqual(coverage([type2("2025-07-01", "2026-03-31"), type2("2026-04-01", "2026-06-30")]).uncoveredDays, 0)
        // A bridge older than the newest report's end is not named.
        XCTAssertNil(coverage([type2("2025-01-01", "2025-06-30", bridge: "2025-08-31"), type2("2025-07-01", "2026-06-30")]).bridgeTo)
    }

    func testATypeOneReportCoversNoPeriod() {
        let typeOne = VendorReport(number: 1, type: .type1, periodFrom: "2026-02-01", periodTo: "2026-02-01", opinion: .unqualified)
        let c = coverage([typeOne])
        XCTAssertEqual(c.uncoveredDays, 181)
        XCTAssertEqual(c.typeOneOnly, "2026-02-01")
        XCTAssertEqual(c.text, "Type 1 only (as of 2026-02-01), which covers no period; 181 days uncovered (2026-01-01..2026-06-30)")
        XCTAssertNil(coverage([typeOne, type2("2025-01-01", "2025-12-31")]).typeOneOnly, "a Type 2 report exists")
    }

    func testWithoutAWindowNothingIsCounted() {
        let c = VendorCoverage(reports: [type2("2025-04-01", "2026-03-31", bridge: "2026-05-31")], window: nil)
        XCTAssertNil(c.uncoveredDays)
        XCTAssertEqual(c.uncovered, [])
        XCTAssertEqual(c.text, "covered to 2026-03-31, bridge to 2026-05-31; no audit window set")
    }

    func testManyHolesAreNamedThreeAtATime() {
        let reports = ["2026-01-10", "2026-02-10", "2026-03-10", "2026-04-10"].enumerated().map { index, day in
            type2(Self.add(day, -2), day, number: index + 1)
        }
        let c = coverage(reports)
        XCTAssertEqual(c.uncovered.count, 5)
        XCTAssertTrue(c.rangesText.hasSuffix(" and 2 more"), c.rangesText)
        XCTAssertEqual(c.uncoveredDays, 181 - 12)
    }

    static func add(_ day: String, _ n: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: formatter.date(from: day)!.addingTimeInterval(Double(n) * 86_400))
    }

    // MARK: - Reviews and agreements

    func vendor(
        _ criticality: VendorCriticality = .high, data: VendorData = .none, reviewed: String? = nil, created: String = "2026-01-15",
        reports: [VendorReport] = [], cuecs: [VendorCUEC] = [], agreements: [VendorAgreement] = [], status: String = "active"
    ) -> Vendor {
        Vendor(
            ref: "VEN-1", name: "Nimbus Cloud", criticality: criticality, data: data, owner: "Dana Kim", reviewedOn: reviewed,
            status: status, createdOn: created, reports: reports, cuecs: cuecs, agreements: agreements)
    }

    func testReviewCadenceByCriticalityInCalendarMonths() {
        XCTAssertEqual(VendorCriticality.allCases.map(\.reviewMonths), [36, 24, 12, 6])
        XCTAssertEqual(VendorCriticality.cadenceLegend, "critical 6, high 12, medium 24, low 36 months")
        XCTAssertEqual(vendor(.critical, created: "2026-08-31").nextReview, "2027-02-28", "a month end clamps")
        XCTAssertEqual(vendor(.high, reviewed: "2026-03-10").nextReview, "2027-03-10", "from the last review, not the creation")
        XCTAssertEqual(vendor(.medium, created: "2026-01-15").nextReview, "2028-01-15")
        XCTAssertEqual(vendor(.low, created: "2024-02-29").nextReview, "2027-02-28")

        let v = vendor(.critical, reviewed: "2026-05-20")  // next 2026-11-20
        let onTheDay = VendorSummary(v, today: "2026-11-20", window: nil)
        XCTAssertTrue(onTheDay.due)
        XCTAssertFalse(onTheDay.overdue, "the due day itself is on time")
        XCTAssertTrue(VendorSummary(v, today: "2026-11-21", window: nil).overdue)
        XCTAssertTrue(VendorSummary(v, today: "2026-10-21", window: nil).due, "due within 30 days")
        XCTAssertFalse(VendorSummary(v, today: "2026-10-20", window: nil).due, "31 days ahead is not due yet")
        XCTAssertFalse(
            VendorSummary(vendor(.critical, reviewed: "2020-01-01", status: "retired"), today: "2026-11-21", window: nil).overdue,
            "a retired vendor is never overdue")
    }

    func testAgreementIsCurrentThroughItsExpiryDay() {
        let baa = VendorAgreement(kind: .baa, signedOn: "2025-01-01", expiresOn: "2026-11-20")
        XCTAssertTrue(baa.isCurrent(today: "2026-11-20"))
        XCTAssertFalse(baa.isCurrent(today: "2026-11-21"))
        XCTAssertFalse(VendorAgreement(kind: .dpa, signedOn: "2026-11-21").isCurrent(today: "2026-11-20"), "not signed yet")
        XCTAssertTrue(VendorAgreement(kind: .dpa, signedOn: "2026-01-01").isCurrent(today: "2099-01-01"), "open-ended")
    }

    func testReportChecksNameTheOption() {
        func refusal(_ report: VendorReport) -> String? {
            do { try VendorRules.check(report, ref: "VEN-1"); return nil } catch { return "\(error)" }
        }
        XCTAssertNil(refusal(type2("2025-04-01", "2026-03-31", bridge: "2026-05-31")))
        XCTAssertEqual(
            refusal(VendorReport(number: 1, type: .type1, periodFrom: "2026-01-01", periodTo: "2026-03-31")),
            "VEN-1: a Type 1 report is as of one day, not a period; give --as-of DATE (or --period DATE)")
        XCTAssertEqual(
            refusal(VendorReport(number: 1, type: .type1, periodFrom: "2026-01-01", periodTo: "2026-01-01", bridgeUntil: "2026-02-01")),
            "VEN-1: a bridge letter extends a Type 2 report's period; a Type 1 report covers no period to extend")
        XCTAssertEqual(refusal(type2("2026-03-31", "2025-04-01")), "VEN-1: the period 2026-03-31..2025-04-01 ends before it starts")
        XCTAssertEqual(refusal(type2("2026-03-31", "2026-03-31")), "VEN-1: a Type 2 report covers a period; give --period FROM..TO")
        XCTAssertEqual(refusal(type2("2025-04-01", "2026-02-30")), "--period: '2026-02-30' is not a date (YYYY-MM-DD)")
        XCTAssertEqual(
            refusal(type2("2025-04-01", "2026-03-31", bridge: "2026-03-31")),
            "VEN-1: the bridge letter (to 2026-03-31) must reach past the report's period end (2026-03-31)")
        XCTAssertEqual(refusal(type2("2025-04-01", "2026-03-31", exceptions: -1)), "VEN-1: --exceptions cannot be negative")
        XCTAssertThrowsError(try VendorRules.criticality("urgent")) {
            XCTAssertEqual("\($0)", "unknown criticality 'urgent'; use low, medium, high, critical")
        }
        XCTAssertEqual(try VendorRules.reportType("II"), .type2)
        XCTAssertEqual(try VendorRules.data("PHI"), .phi)
    }

    // MARK: - Findings and derived gaps

    func testEachRuleGivesItsGapKeyedOnce() {
        let reports = [
            type2("2025-04-01", "2026-03-31", bridge: "2026-05-31", number: 1, opinion: .qualified, exceptions: 2),
            type2("2024-04-01", "2025-03-31", number: 2, exceptions: 1),
        ]
        var v = vendor(
            .critical, data: .phi, created: "2025-01-10", reports: reports,
            cuecs: [VendorCUEC(number: 1, text: "Review admin roles.", control: "AC-04"), VendorCUEC(number: 2, text: "Rotate keys")],
            agreements: [VendorAgreement(kind: .baa, signedOn: "2024-01-01", expiresOn: "2025-12-31")])
        v.reports[1].reviewedOn = "2025-05-01"
        let summary = VendorSummary(v, today: "2026-11-20", window: window)
        let proposals = Derive.vendorProposals(vendors: [summary], today: "2026-11-20", existingKeys: [])
        XCTAssertEqual(
            proposals.map(\.key),
            [
                "vendor-uncovered:VEN-1:2026-01-01", "vendor-report-review:VEN-1:1", "vendor-cuec:VEN-1:2",
                "vendor-agreement:VEN-1:baa", "vendor-agreement:VEN-1:dpa", "vendor-review:VEN-1:2025-07-10",
            ])
        XCTAssertTrue(proposals.allSatisfy { $0.draft.owner == "Dana Kim" }, "the vendor's owner owns its gaps")
        XCTAssertEqual(proposals[0].draft.title, "VEN-1 (Nimbus Cloud): 30 days of the audit window not covered by its reports")
        XCTAssertEqual(proposals[0].draft.severity, .high)
        XCTAssertEqual(
            proposals[1].draft.title, "VEN-1 (Nimbus Cloud) report 1 (2025-04-01..2026-03-31): qualified opinion, 2 exceptions not reviewed")
        XCTAssertTrue(proposals[2].draft.description.contains("expects of us: Rotate keys. Map it"), proposals[2].draft.description)
        XCTAssertEqual(
            summary.findings,
            [
                "30 days of the audit window uncovered", "report 1: qualified opinion, 2 exceptions not reviewed", "1 CUEC not mapped to a control",
                "BAA expired 2025-12-31 (holds PHI)", "holds personal data without a DPA", "review overdue (due 2025-07-10)",
            ])
        // Gaps already opened are not proposed again.
        let existing = Set(proposals.prefix(4).map(\.key))
        XCTAssertEqual(
            Derive.vendorProposals(vendors: [summary], today: "2026-11-20", existingKeys: existing).map(\.key),
            ["vendor-agreement:VEN-1:dpa", "vendor-review:VEN-1:2025-07-10"])
    }

    func testNoReportOnlyForCriticalAndHighVendors() {
        for (criticality, expected) in [(VendorCriticality.critical, true), (.high, true), (.medium, false), (.low, false)] {
            let keys = Derive.vendorProposals(
                vendors: [VendorSummary(vendor(criticality), today: "2026-02-01", window: window)],
                today: "2026-02-01", existingKeys: []
            ).map(\.key)
            XCTAssertEqual(keys.contains("vendor-no-report:VEN-1"), expected, criticality.rawValue)
            XCTAssertFalse(keys.contains { $0.hasPrefix("vendor-uncovered:") }, "without reports, the no-report rule speaks, not coverage")
        }
    }

    func testACleanVendorHasNoFindings() {
        let v = vendor(
            .critical, data: .phi, reviewed: "2026-10-01", reports: [type2("2025-07-01", "2026-06-30")],
            cuecs: [VendorCUEC(number: 1, text: "Review admin roles", control: "AC-04")],
            agreements: [
                VendorAgreement(kind: .baa, signedOn: "2025-01-01"), VendorAgreement(kind: .dpa, signedOn: "2025-01-01", expiresOn: "2027-01-01"),
            ])
        let summary = VendorSummary(v, today: "2026-11-20", window: window)
        XCTAssertEqual(summary.findings, [])
        XCTAssertEqual(summary.uncoveredDays, 0)
        XCTAssertEqual(Derive.vendorProposals(vendors: [summary], today: "2026-11-20", existingKeys: []), [])
        // Personal data needs a DPA only; PHI both.
        let personal = VendorSummary(vendor(.low, data: .personal, reviewed: "2026-10-01"), today: "2026-11-20", window: window)
        XCTAssertEqual(personal.findings, ["holds personal data without a DPA"])
        // A reviewed exception is no longer a finding; an unqualified clean report never needed one.
        var reviewed = v
        reviewed.reports = [type2("2025-07-01", "2026-06-30", exceptions: 3)]
        XCTAssertEqual(VendorSummary(reviewed, today: "2026-11-20", window: window).findings, ["report 1: 3 exceptions not reviewed"])
        reviewed.reports[0].reviewedOn = "2026-11-01"
        XCTAssertEqual(VendorSummary(reviewed, today: "2026-11-20", window: window).findings, [])
        // A retired vendor raises nothing.
        XCTAssertEqual(VendorSummary(vendor(.critical, data: .phi, status: "retired"), today: "2026-11-20", window: window).findings, [])
    }
}
