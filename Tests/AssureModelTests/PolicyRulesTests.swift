import AssureModel
import XCTest

/// The dates an auditor samples: which version was live, when a review falls due, who owes
/// an acknowledgement.
final class PolicyRulesTests: XCTestCase {
    let versions = [
        PolicyVersionStamp(version: 1, approvedOn: "2026-03-02"),
        PolicyVersionStamp(version: 2, approvedOn: "2026-06-15"),
        // Approved again the same day after a last correction: the later one stood that evening.
        PolicyVersionStamp(version: 3, approvedOn: "2026-06-15"),
        PolicyVersionStamp(version: 4, approvedOn: "2026-09-01"),
    ]

    func testLiveVersionAtTheBoundaries() {
        XCTAssertNil(PolicyRules.live(on: "2026-03-01", versions: versions), "the day before the first approval")
        XCTAssertEqual(PolicyRules.live(on: "2026-03-02", versions: versions)?.version, 1, "the day of the first approval")
        XCTAssertEqual(PolicyRules.live(on: "2026-06-14", versions: versions)?.version, 1, "the day before the next version")
        XCTAssertEqual(PolicyRules.live(on: "2026-06-15", versions: versions)?.version, 3, "two approvals on one day: the higher number")
        XCTAssertEqual(PolicyRules.live(on: "2026-08-31", versions: versions)?.version, 3)
        XCTAssertEqual(PolicyRules.live(on: "2026-09-01", versions: versions)?.version, 4)
        XCTAssertEqual(PolicyRules.live(on: "2030-01-01", versions: versions)?.version, 4)
        XCTAssertNil(PolicyRules.live(on: "2026-06-15", versions: []))
        // Order of the input does not matter.
        XCTAssertEqual(PolicyRules.live(on: "2026-07-01", versions: versions.reversed())?.version, 3)
    }

    func testNextReviewIsCalendarMonths() {
        XCTAssertEqual(PolicyRules.nextReview(approvedOn: "2026-03-15", cadence: .annual), "2027-03-15")
        XCTAssertEqual(PolicyRules.nextReview(approvedOn: "2026-03-15", cadence: .semiAnnual), "2026-09-15")
        XCTAssertEqual(PolicyRules.nextReview(approvedOn: "2026-08-31", cadence: .semiAnnual), "2027-02-28", "a month end clamps")
        XCTAssertEqual(PolicyRules.nextReview(approvedOn: "2028-02-29", cadence: .annual), "2029-02-28")
    }

    func testStatus() {
        let live = PolicyVersionStamp(version: 1, approvedOn: "2025-11-20")
        XCTAssertEqual(PolicyRules.status(live: nil, draftMatchesLive: false, nextReview: nil, today: "2026-11-20"), .draft)
        XCTAssertEqual(
            PolicyRules.status(live: live, draftMatchesLive: true, nextReview: "2026-11-20", today: "2026-11-20"), .approved,
            "due today is not yet overdue")
        XCTAssertEqual(PolicyRules.status(live: live, draftMatchesLive: false, nextReview: "2026-11-20", today: "2026-11-20"), .changed)
        XCTAssertEqual(PolicyRules.status(live: live, draftMatchesLive: true, nextReview: "2026-11-20", today: "2026-11-21"), .reviewOverdue)
        XCTAssertEqual(
            PolicyRules.status(live: live, draftMatchesLive: false, nextReview: "2026-11-20", today: "2026-11-21"), .reviewOverdue,
            "an edited draft does not hide an overdue review")
        XCTAssertEqual(PolicyStatus.reviewOverdue.rawValue, "review overdue")
    }

    func testApprovalDates() {
        let previous = PolicyVersionStamp(version: 2, approvedOn: "2026-06-15")
        XCTAssertNil(PolicyRules.approvalProblem(day: "2026-06-15", previous: previous, today: "2026-11-20"), "the same day as the previous one")
        XCTAssertNil(PolicyRules.approvalProblem(day: "2026-11-20", previous: previous, today: "2026-11-20"), "today")
        XCTAssertNil(PolicyRules.approvalProblem(day: "2020-01-01", previous: nil, today: "2026-11-20"), "a first version may be backdated")
        XCTAssertEqual(
            PolicyRules.approvalProblem(day: "2026-11-21", previous: previous, today: "2026-11-20"),
            "2026-11-21 is in the future; an approval is recorded on or after the day it is given")
        XCTAssertEqual(
            PolicyRules.approvalProblem(day: "2026-06-14", previous: previous, today: "2026-11-20"),
            "2026-06-14 is before version 2 was approved (2026-06-15); a new version cannot take effect earlier than the one it replaces")
        XCTAssertEqual(PolicyRules.approvalProblem(day: "2026-02-30", previous: nil, today: "2026-11-20"), "'2026-02-30' is not a date (YYYY-MM-DD)")
    }

    func testCoverageCountsOnlyThePeopleGiven() {
        let coverage = PolicyRules.coverage(
            people: ["Dana Kim", "Omar Haddad", "Nina Novak"],
            acknowledged: ["dana kim", "Lee Leaver", "Omar Haddad"])
        XCTAssertEqual(coverage.acknowledged, ["Dana Kim", "Omar Haddad"], "names match whatever their case")
        XCTAssertEqual(coverage.missing, ["Nina Novak"])
        XCTAssertEqual(coverage.fraction, "2/3", "a leaver's acknowledgement counts neither way")
        XCTAssertEqual(PolicyRules.coverage(people: [], acknowledged: ["x"]).fraction, "0/0")
    }
}
