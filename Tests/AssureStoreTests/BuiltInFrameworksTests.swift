import AssureModel
import AssureStore
import AssureTestSupport
import XCTest

/// SOC 2, ISO/IEC 27001:2022, the HIPAA Security Rule and GDPR from one control library.
final class BuiltInFrameworksTests: XCTestCase {
    static let all = ["soc2", "iso27001", "hipaa", "gdpr"]

    func fourFrameworks() throws -> Workspace {
        let workspace = try Fixtures.workspace(scope: Scope(company: "Acme"), frameworks: Self.all)
        try workspace.write(Fixtures.actor()) { try $0.loadStarterLibrary() }
        return workspace
    }

    func testSOC2HasThe2022PointsOfFocusPerCriterionInOrder() throws {
        let catalog = try BuiltIn.catalog("soc2")
        var counts: [String: Int] = [:]
        for point in catalog.requirements where point.kind == .point { counts[point.parentRef!, default: 0] += 1 }
        XCTAssertEqual(counts.values.reduce(0, +), 330)
        let expected: [String: Int] = [
            "CC1.1": 5, "CC1.2": 4, "CC1.3": 6, "CC1.4": 7, "CC1.5": 6, "CC2.1": 9, "CC2.2": 13, "CC2.3": 12, "CC3.1": 16, "CC3.2": 9,
            "CC3.3": 5, "CC3.4": 6, "CC4.1": 8, "CC4.2": 3, "CC5.1": 6, "CC5.2": 4, "CC5.3": 6, "CC6.1": 13, "CC6.2": 3, "CC6.3": 4,
            "CC6.4": 4, "CC6.5": 1, "CC6.6": 4, "CC6.7": 4, "CC6.8": 5, "CC7.1": 5, "CC7.2": 4, "CC7.3": 7, "CC7.4": 14, "CC7.5": 6,
            "CC8.1": 18, "CC9.1": 2, "CC9.2": 13, "A1.1": 3, "A1.2": 11, "A1.3": 2, "C1.1": 3, "C1.2": 2, "PI1.1": 3, "PI1.2": 3,
            "PI1.3": 5, "PI1.4": 4, "PI1.5": 4, "P1.1": 7, "P2.1": 6, "P3.1": 4, "P3.2": 2, "P4.1": 1, "P4.2": 2, "P4.3": 3, "P5.1": 5,
            "P5.2": 4, "P6.1": 4, "P6.2": 1, "P6.3": 1, "P6.4": 3, "P6.5": 2, "P6.6": 2, "P6.7": 3, "P7.1": 2, "P8.1": 6,
        ]
        XCTAssertEqual(counts, expected)
        // CC3.1's sixteen points keep the sub-heading they sit under.
        let cc31 = catalog.requirements.filter { $0.parentRef == "CC3.1" }
        XCTAssertEqual(cc31.first?.attributes["heading"], "Operations Objectives")
        XCTAssertTrue(catalog.framework.notice.hasPrefix("Copyright (c) 2017, 2022 American Institute of Certified Public Accountants"))
        XCTAssertEqual(
            catalog.requirements.first { $0.ref == "CC1.1" }?.statement,
            "COSO Principle 1: The entity demonstrates a commitment to integrity and ethical values.")
    }

    func testISOHasClausesAndNinetyThreeAnnexAControlsByTheme() throws {
        let catalog = try BuiltIn.catalog("iso27001")
        let controls = catalog.requirements.filter { $0.level == "control" }
        XCTAssertEqual(controls.count, 93)
        let byTheme = Dictionary(grouping: controls, by: { $0.attributes["theme"] ?? "?" }).mapValues(\.count)
        XCTAssertEqual(byTheme, ["organizational": 37, "people": 8, "physical": 14, "technological": 34])
        XCTAssertEqual(controls.first?.ref, "A.5.1")
        XCTAssertEqual(controls.last?.ref, "A.8.34")
        XCTAssertEqual(catalog.requirements.first { $0.ref == "A.5.23" }?.title, "Information security for use of cloud services")
        let clauses = catalog.requirements.filter { $0.level == "clause" }.map(\.ref)
        XCTAssertEqual(clauses, ["4", "5", "6", "7", "8", "9", "10"])
        XCTAssertTrue(catalog.requirements.contains { $0.ref == "10.2" && $0.parentRef == "10" })
    }

    func testHIPAAHasTwentyTwoStandardsAndEverySpecificationMarked() throws {
        let catalog = try BuiltIn.catalog("hipaa")
        let standards = catalog.requirements.filter { $0.level == "standard" }
        XCTAssertEqual(standards.count, 22)
        XCTAssertEqual(
            Dictionary(grouping: standards, by: { $0.parentRef! }).mapValues(\.count),
            ["164.308": 9, "164.310": 4, "164.312": 5, "164.314": 2, "164.316": 2])
        let specifications = catalog.requirements.filter { $0.level == "implementation specification" }
        XCTAssertTrue(specifications.allSatisfy { ["required", "addressable"].contains($0.attributes["implementation"] ?? "") })
        XCTAssertEqual(catalog.requirements.first { $0.ref == "164.312(a)(2)(iv)" }?.attributes["implementation"], "addressable")
        XCTAssertEqual(catalog.requirements.first { $0.ref == "164.308(a)(1)(ii)(A)" }?.attributes["implementation"], "required")
    }

    func testGDPRHasArticlesFiveToFiftyAndLeavesOutThoseWithNoCompanyDuty() throws {
        let workspace = try fourFrameworks()
        let articles = try workspace.read { try $0.requirementSummaries(framework: "gdpr") }.filter(\.isAssessable)
        XCTAssertEqual(articles.map(\.requirement.ref), (5...50).map { "Art. \($0)" })
        let art45 = try XCTUnwrap(articles.first { $0.requirement.ref == "Art. 45" })
        XCTAssertFalse(art45.inScope, "adequacy decisions are the Commission's")
        XCTAssertTrue(art45.justification.hasPrefix("Places no duty on the company"), art45.justification)
        let summary = try XCTUnwrap(workspace.read { try $0.frameworkSummaries() }.first { $0.framework.id == "gdpr" })
        XCTAssertEqual(summary.coverage.total, articles.filter(\.inScope).count)
        XCTAssertLessThan(summary.coverage.total, 46)
    }

    func testOneLibraryReachesEveryRequirementOfEveryFramework() throws {
        let workspace = try fourFrameworks()
        let summaries = try workspace.read { try $0.frameworkSummaries() }
        XCTAssertEqual(summaries.map(\.framework.id), Self.all)
        var covered: [String: String] = [:]
        for s in summaries { covered[s.framework.id] = "\(s.coverage.addressed)/\(s.coverage.total)" }
        // Security only is in scope for SOC 2 here; the four-framework check is below with every category.
        XCTAssertEqual(covered["iso27001"], "93/93")
        XCTAssertEqual(covered["hipaa"], "22/22")
        let gdpr = try XCTUnwrap(summaries.first { $0.framework.id == "gdpr" })
        XCTAssertEqual(gdpr.coverage.addressed, gdpr.coverage.total)
        let links = try workspace.read { try $0.links(control: "AC-02") }
        XCTAssertTrue(links.contains { $0.framework == "iso27001" && $0.ref == "A.8.5" })
        XCTAssertTrue(Set(links.map(\.relationship)).isSubset(of: Set(Relationship.allCases)))
        XCTAssertEqual(try Linter.builtIn(), [], "the built-in content has no lint findings")
    }

    func testFrameworkAddLinksExistingControlsAndBringsItsOwn() throws {
        let workspace = try Fixtures.larkspur()
        let before = try workspace.read { try $0.controls().count }
        let added = try workspace.write(Fixtures.actor()) { try $0.addBuiltInFramework("iso27001", addControls: true) }.value
        XCTAssertEqual(added.framework.id, "iso27001")
        XCTAssertGreaterThan(added.linksAdded, 200)
        let after = try workspace.read { try $0.controls() }
        XCTAssertEqual(after.count, before + added.controlsAdded)
        XCTAssertTrue(after.contains { $0.ref == "IS-02" })
        XCTAssertEqual(
            try workspace.read { try $0.frameworkSummaries() }.first { $0.framework.id == "iso27001" }?.coverage,
            Share(addressed: 93, total: 93))
        XCTAssertThrowsError(try workspace.write(Fixtures.actor()) { try $0.addBuiltInFramework("iso27001", addControls: true) })
        XCTAssertThrowsError(try workspace.write(Fixtures.actor()) { try $0.addBuiltInFramework("iso9001", addControls: true) }) {
            XCTAssertTrue("\($0)".contains("iso27001"), "\($0)")
        }
    }

    func testImpactSaysWhatStopsBeingAddressedWhenTheOnlyCountingControlFails() throws {
        let workspace = try fourFrameworks()
        try workspace.write(Fixtures.actor()) { try $0.setStatus(controls: ["HC-15"], to: .implemented) }
        let report = try workspace.read { try $0.impact(control: "HC-15") }
        let logoff = try XCTUnwrap(report.impact.consequences.first { $0.framework == "hipaa" })
        XCTAssertEqual(logoff.now, .addressed)
        XCTAssertTrue(logoff.wouldStop, "nothing else counts for it")
        XCTAssertTrue(report.links.contains { $0.ref == "164.312(a)(2)(iii)" }, "the automatic logoff specification")
    }

    func testTheStatementOfApplicabilityListsEveryAnnexAControl() throws {
        let workspace = try Fixtures.hanami()
        let soa = try workspace.read { try $0.statementOfApplicability() }
        XCTAssertEqual(soa.table.rows.count, 93)
        let excluded = try XCTUnwrap(soa.table.rows.first { $0[0] == .text("A.8.30") })
        XCTAssertEqual(excluded[3], .bool(false))
        XCTAssertEqual(excluded[4], .text("Hanami does not outsource development; every engineer is an employee."))
        XCTAssertEqual(soa.table.csv(), try workspace.read { try $0.statementOfApplicability() }.table.csv(), "the same bytes twice")
    }

    func testAddressableDecisionsNeedAReasonUnlessImplemented() throws {
        let workspace = try fourFrameworks()
        let t = Fixtures.actor()
        XCTAssertThrowsError(try workspace.write(t) { try $0.decide("164.312(a)(2)(iv)", framework: "hipaa", decision: .alternative, reason: "") })
        XCTAssertThrowsError(try workspace.write(t) { try $0.decide("164.308(a)(1)(ii)(A)", framework: "hipaa", decision: .implemented, reason: "") })
        {
            XCTAssertTrue("\($0)".contains("is not addressable"), "\($0)")
        }
        try workspace.write(t) {
            try $0.decide("164.312(a)(2)(iv)", framework: "hipaa", decision: .alternative, reason: "Disk encryption by the cloud provider")
        }
        let decision = try XCTUnwrap(workspace.read { try $0.decisions(framework: "hipaa") }["164.312(a)(2)(iv)"])
        XCTAssertEqual(decision.decision, .alternative)
        XCTAssertEqual(decision.reason, "Disk encryption by the cloud provider")
        XCTAssertEqual(try workspace.read { try $0.log() }.last?.field, "decision_reason")
    }

    func testTheReportCarriesEachPublishersNotice() throws {
        let report = try Fixtures.larkspur().read { try $0.readinessReport(now: Fixtures.fixedDate, withAnchor: false) }
        for text in [report.markdown(), report.html()] {
            XCTAssertTrue(text.contains("Sources and attribution"))
            XCTAssertTrue(text.contains("American Institute of Certified Public Accountants"))
            XCTAssertTrue(text.contains("HIPAA Security Rule"))
        }
    }

    func testLintFindsWhatAReviewerWould() throws {
        let findings = Linter.file(
            text: """
                catalog: 2
                framework: {id: t, title: "T", assessable_level: control}
                requirements:
                  - {ref: A, level: control, title: "CafÃ© access"}
                  - {ref: B, level: control, title: "Same"}
                  - {ref: C, level: control, title: "Same"}
                """, path: "t.yaml")
        XCTAssertEqual(findings.map(\.code).sorted(), ["duplicate-title", "mojibake"])
        XCTAssertEqual(Linter.file(text: "catalog: 2\nframework: {id: t}\n", path: "u.yaml").first?.code, "unreadable")
        let library = Linter.file(text: "library: 1\nlinks:\n  AC-01:\n    iso27001: {A.9.9: subset}\n", path: "x.yaml")
        XCTAssertEqual(library.map(\.code), ["dangling-reference"])
    }
}
