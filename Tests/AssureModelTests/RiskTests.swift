import AssureModel
import XCTest

/// The register's pure rules: scores, bands, reviews, the heat map and the derived gaps.
final class RiskTests: XCTestCase {
    func risk(
        _ ref: String = "RISK-1", l: Int = 3, i: Int = 4, rl: Int? = nil, ri: Int? = nil, treatment: RiskTreatment = .mitigate,
        controls: [String] = ["AC-01"], cadence: ReviewCadence = .annual, reviewed: String? = nil, created: String = "2026-01-15",
        status: RiskStatus = .open
    ) -> Risk {
        Risk(
            ref: ref, title: "Credentials stolen", likelihood: l, impact: i, treatment: treatment, residualLikelihood: rl, residualImpact: ri,
            owner: "Dana Kim", controls: controls, reviewCadence: cadence, reviewedOn: reviewed, status: status, createdOn: created)
    }

    func testScoresAndBands() {
        let r = risk(l: 4, i: 5)
        XCTAssertEqual(r.inherentScore, 20)
        XCTAssertEqual(r.inherentRating, .critical)
        XCTAssertFalse(r.residualAssessed)
        XCTAssertEqual(r.residualScore, 20, "unassessed residual is the inherent risk")
        let treated = risk(l: 4, i: 5, rl: 2, ri: 3)
        XCTAssertEqual(treated.residualScore, 6)
        XCTAssertEqual(treated.rating, .medium, "the rating is the residual band")
        XCTAssertEqual(treated.inherentRating, .critical)
        // Every product on the 5 x 5 scale falls in exactly the documented band.
        let expected: [Int: RiskRating] = [
            1: .low, 2: .low, 3: .low, 4: .low, 5: .medium, 6: .medium, 8: .medium, 9: .medium,
            10: .high, 12: .high, 15: .high, 16: .high, 20: .critical, 25: .critical,
        ]
        for l in 1...5 { for i in 1...5 { XCTAssertEqual(RiskRating(score: l * i), expected[l * i], "\(l)x\(i)") } }
        XCTAssertEqual(RiskRating.legend, "low 1-4, medium 5-9, high 10-16, critical 20-25")
    }

    func testNextReviewIsACadenceAfterTheLastReviewOrRegistration() {
        XCTAssertEqual(risk(created: "2026-01-15").nextReview, "2027-01-15")
        XCTAssertEqual(risk(cadence: .quarterly, reviewed: "2026-08-31").nextReview, "2026-11-30", "a month end clamps")
        XCTAssertEqual(risk(cadence: .semiAnnual, reviewed: "2026-08-31").nextReview, "2027-02-28")
        let r = risk(cadence: .quarterly, reviewed: "2026-08-20")
        XCTAssertFalse(r.isOverdue(today: "2026-11-20"), "due today is still on time")
        XCTAssertTrue(r.isOverdue(today: "2026-11-21"))
        XCTAssertFalse(
            risk(cadence: .quarterly, reviewed: "2026-01-01", status: .closed).isOverdue(today: "2026-11-21"), "a closed risk is never overdue")
        let summary = RiskSummary(r, today: "2026-12-01")
        XCTAssertEqual(summary.nextReview, "2026-11-20")
        XCTAssertTrue(summary.overdue)
        XCTAssertEqual(summary.title, "Credentials stolen", "a summary reads like its risk")
    }

    func testRulesRefuseWhatTheTableWouldAndSayWhichOption() {
        func message(_ r: Risk) -> String? {
            do { try RiskRules.check(r); return nil } catch { return "\(error)" }
        }
        XCTAssertNil(message(risk()))
        XCTAssertEqual(message(risk(l: 6)), "RISK-1: --likelihood must be 1 to 5, not 6")
        XCTAssertEqual(message(risk(i: 0)), "RISK-1: --impact must be 1 to 5, not 0")
        XCTAssertEqual(
            message(risk(rl: 2)),
            "RISK-1: a residual assessment needs both --residual-likelihood and --residual-impact (until then the residual risk is the inherent one)")
        XCTAssertEqual(message(risk(l: 3, i: 4, rl: 4, ri: 2)), "RISK-1: the residual likelihood (4) cannot exceed the inherent likelihood (3)")
        XCTAssertEqual(message(risk(l: 3, i: 4, rl: 1, ri: 5)), "RISK-1: the residual impact (5) cannot exceed the inherent impact (4)")
        XCTAssertEqual(
            message(risk(treatment: .accept)),
            "RISK-1: an accepted risk needs a justification (--justification TEXT) and an approver (--approver NAME)")
        var accepted = risk(treatment: .accept)
        accepted.justification = "Insured"
        XCTAssertEqual(message(accepted), "RISK-1: an accepted risk needs an approver (--approver NAME)")
        accepted.approver = "CEO"
        XCTAssertNil(message(accepted))
        XCTAssertEqual(message(risk(cadence: .once)), "RISK-1: a risk is reviewed quarterly, semi-annual or annual, not once")
        var badTitle = risk()
        badTitle.title = "two\nlines"
        XCTAssertNotNil(message(badTitle))
    }

    func testCIAParsing() throws {
        XCTAssertEqual(try CIAProperty.parseList("a,c"), [.confidentiality, .availability], "stored in c, i, a order")
        XCTAssertEqual(try CIAProperty.parseList("CIA"), [.confidentiality, .integrity, .availability])
        XCTAssertEqual(try CIAProperty.parseList("integrity, availability"), [.integrity, .availability])
        XCTAssertEqual(try CIAProperty.parseList("none"), [])
        XCTAssertEqual(CIAProperty.format([.availability, .confidentiality]), "c,a")
        XCTAssertThrowsError(try CIAProperty.parseList("c,x")) { XCTAssertTrue("\($0)".contains("unknown CIA property 'x'"), "\($0)") }
        XCTAssertEqual(try RiskRules.cadence("semiannual"), .semiAnnual)
        XCTAssertThrowsError(try RiskRules.cadence("once"))
        XCTAssertThrowsError(try RiskRules.treatment("ignore"))
    }

    func testHeatMapCountsOpenRisksByCell() {
        let risks = [
            risk("RISK-1", l: 4, i: 5), risk("RISK-2", l: 4, i: 5, rl: 2, ri: 3), risk("RISK-3", l: 1, i: 1),
            risk("RISK-4", l: 5, i: 5, status: .closed),
        ]
        let inherent = RiskHeatMap(risks: risks)
        XCTAssertEqual(inherent.count(likelihood: 4, impact: 5), 2)
        XCTAssertEqual(inherent.count(likelihood: 1, impact: 1), 1)
        XCTAssertEqual(inherent.count(likelihood: 5, impact: 5), 0, "closed risks are left out")
        XCTAssertEqual(inherent.count(likelihood: 6, impact: 1), 0)
        XCTAssertEqual(inherent.total, 3)
        let residual = RiskHeatMap(risks: risks, residual: true)
        XCTAssertEqual(residual.count(likelihood: 4, impact: 5), 1, "the unassessed one stays where it was")
        XCTAssertEqual(residual.count(likelihood: 2, impact: 3), 1)
        XCTAssertEqual(RiskHeatMap.rating(likelihood: 4, impact: 5), .critical)
        let lines = inherent.text().components(separatedBy: "\n")
        XCTAssertEqual(lines[0], "Inherent risk: 3 open risks by likelihood (rows) and impact (columns)")
        XCTAssertEqual(lines[3], "likelihood  5       .    .    .    .    .")
        XCTAssertEqual(lines[4], "            4       .    .    .    .    2")
        XCTAssertEqual(lines[7], "            1       1    .    .    .    .")
    }

    func testDerivedGapsForUntreatedAndOverdueRisks() {
        let today = "2026-11-20"
        let risks = [
            RiskSummary(risk("RISK-1", l: 4, i: 5, controls: []), today: today),  // untreated, critical
            RiskSummary(risk("RISK-2", controls: [], cadence: .quarterly, reviewed: "2026-06-01"), today: today),  // untreated and overdue
            RiskSummary(risk("RISK-3", treatment: .transfer, controls: []), today: today),  // transferred: needs no control
            RiskSummary(risk("RISK-4", controls: [], status: .closed), today: today),  // closed
            RiskSummary(risk("RISK-5", cadence: .annual, reviewed: "2026-11-20"), today: today),  // fine
        ]
        let proposals = Derive.riskProposals(risks: risks, existingKeys: [])
        XCTAssertEqual(proposals.map(\.key), ["risk-untreated:RISK-1", "risk-untreated:RISK-2", "risk-review:RISK-2:2026-09-01"])
        XCTAssertEqual(proposals[0].draft.severity, .critical)
        XCTAssertEqual(proposals[0].draft.owner, "Dana Kim")
        XCTAssertEqual(proposals[2].draft.title, "RISK-2 review was due on 2026-09-01")
        XCTAssertEqual(proposals[2].draft.severity, .high, "a high residual risk's missed review is high")
        let again = Derive.riskProposals(risks: risks, existingKeys: ["risk-untreated:RISK-1"])
        XCTAssertEqual(again.count, 2, "an existing key is not proposed again")
    }
}
