import AssureModel
import XCTest

/// The readiness rule on hand-built cases (the rule is written in the README).
final class ReadinessTests: XCTestCase {
    func criterion(_ ref: String, _ controls: [String], category: String = "security", inScope: Bool = true) -> ReadinessCriterion {
        ReadinessCriterion(ref: ref, series: String(ref.split(separator: ".")[0]), category: category, inScope: inScope, controls: controls)
    }

    func testStatesFollowTheRule() {
        let controls = [
            Control(ref: "C-1", title: "", status: .implemented),
            Control(ref: "C-2", title: "", status: .inProgress),
            Control(ref: "C-3", title: "", status: .notStarted),
            Control(ref: "C-4", title: "", status: .notApplicable, justification: "No offices"),
            Control(ref: "C-5", title: "", status: .notApplicable, justification: ""),
        ]
        let criteria = [
            criterion("CC1.1", ["C-1", "C-3"]),  // addressed
            criterion("CC1.2", ["C-2", "C-3"]),  // partly: in progress only
            criterion("CC1.3", ["C-3"]),  // not addressed
            criterion("CC1.4", ["C-4"]),  // addressed by a justified N/A
            criterion("CC1.5", ["C-5"]),  // an unjustified N/A does not count
            criterion("CC2.1", []),  // nothing mapped
            criterion("CC2.2", ["C-1"]),  // blocked by a high gap on the criterion
            criterion("A1.1", ["C-1"], category: "availability", inScope: false),
        ]
        let gaps = [
            Gap(ref: "GAP-1", title: "", severity: .high, criterion: "CC2.2"),
            Gap(ref: "GAP-2", title: "", severity: .medium, criterion: "CC1.1"),  // medium does not block
            Gap(ref: "GAP-3", title: "", severity: .critical, criterion: "CC1.1", status: .remediated),  // closed
        ]
        let readiness = Readiness.compute(criteria: criteria, controls: controls, gaps: gaps)
        XCTAssertEqual(readiness.states["CC1.1"], .addressed)
        XCTAssertEqual(readiness.states["CC1.2"], .partial)
        XCTAssertEqual(readiness.states["CC1.3"], .notAddressed)
        XCTAssertEqual(readiness.states["CC1.4"], .addressed)
        XCTAssertEqual(readiness.states["CC1.5"], .notAddressed)
        XCTAssertEqual(readiness.states["CC2.1"], .notAddressed)
        XCTAssertEqual(readiness.states["CC2.2"], .partial)
        XCTAssertEqual(readiness.overall, Share(addressed: 2, total: 7), "out-of-scope A1.1 is left out")
        XCTAssertEqual(readiness.overall.percent, 28)
        XCTAssertEqual(readiness.bySeries["CC1"], Share(addressed: 2, total: 5))
        XCTAssertEqual(readiness.bySeries["CC2"], Share(addressed: 0, total: 2))
        XCTAssertNil(readiness.byCategory["availability"])
    }

    func testAGapOnAMappedControlBlocksEveryCriterionItAddresses() {
        let controls = [Control(ref: "C-1", title: "", status: .implemented), Control(ref: "C-2", title: "", status: .implemented)]
        let criteria = [criterion("CC6.1", ["C-1"]), criterion("CC6.2", ["C-1", "C-2"]), criterion("CC6.3", ["C-2"])]
        let gaps = [Gap(ref: "GAP-1", title: "", severity: .critical, control: "C-1", status: .inProgress)]
        let readiness = Readiness.compute(criteria: criteria, controls: controls, gaps: gaps)
        XCTAssertEqual(readiness.states["CC6.1"], .partial)
        XCTAssertEqual(readiness.states["CC6.2"], .partial)
        XCTAssertEqual(readiness.states["CC6.3"], .addressed)
    }
}

final class SuggestionTests: XCTestCase {
    func testClosestMatches() {
        XCTAssertEqual(Suggestions.closest(to: "Dana Kimm", in: ["Dana Kim", "Omar Haddad"]), ["Dana Kim"])
        XCTAssertEqual(Suggestions.closest(to: "ac-1", in: ["AC-01", "AC-10", "AC-11", "AC-12", "CM-01"]), ["AC-01", "AC-10", "AC-11"])
        XCTAssertEqual(Suggestions.closest(to: "omar", in: ["Dana Kim", "Omar Haddad"]), ["Omar Haddad"])
        XCTAssertEqual(Suggestions.closest(to: "zzzz", in: ["Dana Kim", "Omar Haddad"]), [])
    }
}
