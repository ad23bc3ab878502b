import AssureModel
import XCTest

final class RankingTests: XCTestCase {
    let today = "2026-11-20"
    let controls = ["AC-01": ["CC6.1", "CC6.2", "A1.1"], "AC-02": ["CC6.1"]]
    func inScope(_ ref: String) -> Bool { !ref.hasPrefix("A1") }

    /// The rank is a switch for speed; it must keep the declared order (critical first).
    func testSeverityRankFollowsTheDeclaredOrder() {
        XCTAssertEqual(Severity.allCases.map(\.rank), Array(0..<Severity.allCases.count))
        XCTAssertEqual([Severity.low, .critical, .medium, .high].sorted(), [.critical, .high, .medium, .low])
    }

    func testScoreAndItsParts() {
        let gap = Gap(ref: "GAP-1", title: "", severity: .critical, effort: .l, control: "AC-01", criterion: "CC7.1", due: "2026-11-01")
        let score = Ranking.score(gap, today: today, criteriaOfControl: controls, inScope: inScope)
        XCTAssertEqual(score.severityWeight, 10)
        XCTAssertEqual(score.criteriaTouched, 3, "CC7.1 + CC6.1 + CC6.2; A1.1 is out of scope")
        XCTAssertEqual(score.overdueFactor, 1.5)
        XCTAssertEqual(score.effortDivisor, 5)
        XCTAssertEqual(score.score, 9)
        XCTAssertEqual(score.explanation, "10 × 3 × 1.5 ÷ 5 = 9.0")
    }

    func testClosedGapsScoreZeroAndUnlinkedCountOnce() {
        let closed = Gap(ref: "GAP-2", title: "", severity: .critical, effort: .xs, status: .remediated)
        XCTAssertEqual(Ranking.score(closed, today: today, criteriaOfControl: controls, inScope: inScope).score, 0)
        let unlinked = Gap(ref: "GAP-3", title: "", severity: .low, effort: .xs)
        XCTAssertEqual(Ranking.score(unlinked, today: today, criteriaOfControl: controls, inScope: inScope).explanation, "1 × 1 × 1 ÷ 1 = 1.0")
    }

    func testOrderAndWeights() {
        let gaps = [
            Gap(ref: "GAP-1", title: "", severity: .high, effort: .xl, control: "AC-02"),  // 6*1/8 = 0.75
            Gap(ref: "GAP-2", title: "", severity: .medium, effort: .xs, control: "AC-02"),  // 3
            Gap(ref: "GAP-3", title: "", severity: .high, effort: .m, control: "AC-02", due: "2026-11-01"),  // 6*1.5/3 = 3
            Gap(ref: "GAP-4", title: "", severity: .low, effort: .xs, status: .riskAccepted),  // 0
        ]
        XCTAssertEqual(
            Ranking.rank(gaps, today: today, criteriaOfControl: controls, inScope: inScope).map(\.gap.ref),
            ["GAP-3", "GAP-2", "GAP-1", "GAP-4"], "ties broken by severity")
        var weights = RankingWeights()
        weights.effort[.xl] = 1
        XCTAssertEqual(Ranking.rank(gaps, weights: weights, today: today, criteriaOfControl: controls, inScope: inScope).first?.gap.ref, "GAP-1")
    }

    /// The Gaps pane sorts by precomputed keys; it must give exactly the order of the rule
    /// itself, open before closed, ties by severity, due date (none last) and number.
    func testTriageOrderIsTheTriageRule() {
        let gaps = [
            Gap(ref: "GAP-10", title: "", severity: .low, effort: .m, status: .remediated),
            Gap(ref: "GAP-2", title: "", severity: .high, effort: .m, due: "2026-12-01"),
            Gap(ref: "GAP-9", title: "", severity: .high, effort: .m),
            Gap(ref: "GAP-3", title: "", severity: .critical, effort: .m, status: .riskAccepted),
            Gap(ref: "GAP-11", title: "", severity: .high, effort: .m, due: "2026-11-01"),
            Gap(ref: "GAP-1", title: "", severity: .high, effort: .m, due: "2026-12-01"),
            Gap(ref: "X", title: "", severity: .medium, effort: .m),
            Gap(ref: "GAP-4", title: "", severity: .medium, effort: .m, status: .inProgress),
        ]
        let order = GapOrder.triageOrder(gaps).map { gaps[$0].ref }
        XCTAssertEqual(order, ["GAP-11", "GAP-1", "GAP-2", "GAP-9", "GAP-4", "X", "GAP-3", "GAP-10"])
        XCTAssertEqual(order, gaps.sorted(by: GapOrder.triage).map(\.ref))
        XCTAssertEqual(GapOrder.triageOrder([]), [])
    }
}
