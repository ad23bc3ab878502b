import AssureModel
import AssureTestSupport
import Foundation
import GRDB
import XCTest

@testable import AssureStore

/// The risk register in the store: writes with their change-log rows, refusals that leave no
/// trace, reviews, the starter set, derived gaps and the report's heat maps.
final class RiskStoreTests: XCTestCase {
    var workspace: Workspace!
    let alice = Fixtures.actor("alice")
    var today: String { Fixtures.today }
    var logStart: Int64 = 0

    override func setUpWithError() throws {
        workspace = try Fixtures.workspace(scope: Scope(company: "Acme", categories: [.security]), by: alice)
        try workspace.write(alice) { try $0.loadStarterLibrary() }
        try workspace.write(alice) { try $0.addOwner(Owner(name: "Dana Kim", handle: "dana@acme.example", role: "Head of Security")) }
    }

    /// A new workspace comes with the starter risks; most tests want an empty register.
    func emptyRegister() throws {
        try workspace.write(alice) { w in try w.db.execute(sql: "DELETE FROM risk") }
        XCTAssertEqual(try risks().count, 0)
        // The deleted starter risks' rows stay in the log under the same references.
        logStart = try workspace.read { try $0.changeCounter() }
    }

    @discardableResult
    func write<T>(_ body: (WorkspaceWriter) throws -> T) throws -> T { try workspace.write(alice, body).value }
    func risks() throws -> [RiskSummary] { try workspace.read { try $0.risks(today: today) } }
    func riskLog(_ ref: String) throws -> [String] {
        try workspace.read { try $0.log(LogFilter(entity: "risk", ref: ref)) }.filter { $0.id > logStart }.map {
            "\($0.field) \($0.before ?? "-") -> \($0.after ?? "-")"
        }
    }

    func snapshot() throws -> String {
        try workspace.read { r in
            try ["SELECT * FROM risk ORDER BY id", "SELECT * FROM risk_control ORDER BY risk_id, control_id", "SELECT * FROM change_log ORDER BY id"]
                .map { sql in
                    try Row.fetchAll(r.db, sql: sql).map(\.description).joined(separator: "\n")
                }.joined(separator: "\n--\n")
        }
    }

    func assertRefused(_ message: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) throws {
        let before = try snapshot()
        XCTAssertThrowsError(try body(), file: file, line: line) { XCTAssertEqual("\($0)", message, file: file, line: line) }
        XCTAssertEqual(try snapshot(), before, "a refused write changed the workspace", file: file, line: line)
    }

    func testAddStoresTheRiskAndLogsEachField() throws {
        try emptyRegister()
        let ref = try write {
            try $0.addRisk(
                RiskDraft(
                    title: "Customer database exposed", description: "A public snapshot", likelihood: 3, impact: 5,
                    cia: [.confidentiality, .integrity], owner: "dana", controls: ["dp-02", "AC-06", "AC-06"]))
        }
        XCTAssertEqual(ref, "RISK-1")
        let risk = try XCTUnwrap(risks().first)
        XCTAssertEqual(risk.title, "Customer database exposed")
        XCTAssertEqual(risk.inherentScore, 15)
        XCTAssertEqual(risk.residualScore, 15)
        XCTAssertFalse(risk.residualAssessed)
        XCTAssertEqual(risk.owner, "Dana Kim")
        XCTAssertEqual(risk.controls, ["AC-06", "DP-02"], "each control once, in reference order")
        XCTAssertEqual(risk.createdOn, "2026-11-20")
        XCTAssertEqual(risk.nextReview, "2027-11-20")
        XCTAssertFalse(risk.overdue)
        XCTAssertEqual(
            try riskLog("RISK-1"),
            [
                "created - -> Customer database exposed", "treatment - -> mitigate", "review_cadence - -> annual",
                "description - -> A public snapshot", "likelihood - -> 3", "impact - -> 5", "cia - -> c,i",
                "owner - -> Dana Kim", "control - -> AC-06", "control - -> DP-02",
            ])
        let batches = try workspace.read { try $0.log(LogFilter(entity: "risk", ref: "RISK-1")) }.filter { $0.id > logStart }.map(\.batch)
        XCTAssertEqual(Set(batches).count, 1, "one intent, one transaction")
        XCTAssertEqual(try write { try $0.addRisk(RiskDraft(title: "Second", likelihood: 1, impact: 1)) }, "RISK-2")
        XCTAssertNil(try workspace.read { try $0.verifyChain() }.problem)
    }

    func testRefusalsNameTheProblemAndWriteNothing() throws {
        try emptyRegister()
        try write { try $0.addRisk(RiskDraft(title: "Existing", likelihood: 2, impact: 2)) }
        try assertRefused("'Accepted': an accepted risk needs a justification (--justification TEXT) and an approver (--approver NAME)") {
            _ = try write { try $0.addRisk(RiskDraft(title: "Accepted", likelihood: 2, impact: 2, treatment: .accept)) }
        }
        try assertRefused("a risk needs a title") { _ = try write { try $0.addRisk(RiskDraft(title: "  ", likelihood: 2, impact: 2)) } }
        try assertRefused("the risk's title: control character U+001B is not allowed (one line of text, without tabs or control characters)") {
            _ = try write { try $0.addRisk(RiskDraft(title: "Bad \u{1B}[2J title", likelihood: 2, impact: 2)) }
        }
        try assertRefused("unknown control 'AC-1'; did you mean AC-01, AC-10, AC-11?") {
            _ = try write { try $0.addRisk(RiskDraft(title: "X", likelihood: 2, impact: 2, controls: ["AC-1"])) }
        }
        try assertRefused("unknown owner 'Nobody'") {
            _ = try write { try $0.addRisk(RiskDraft(title: "X", likelihood: 2, impact: 2, owner: "Nobody")) }
        }
        try assertRefused("'X': the residual impact (3) cannot exceed the inherent impact (2)") {
            _ = try write { try $0.addRisk(RiskDraft(title: "X", likelihood: 2, impact: 2, residualLikelihood: 1, residualImpact: 3)) }
        }
        try assertRefused("'X': --likelihood must be 1 to 5, not 9") {
            _ = try write { try $0.addRisk(RiskDraft(title: "X", likelihood: 9, impact: 2)) }
        }
        try assertRefused("RISK-1: an accepted risk needs an approver (--approver NAME)") {
            var edit = RiskEdit(); edit.treatment = .accept; edit.justification = "Low value"
            _ = try write { try $0.editRisk("RISK-1", edit) }
        }
        try assertRefused("RISK-1: AC-01 does not treat it, so it cannot be removed") {
            var edit = RiskEdit(); edit.removeControls = ["AC-01"]
            _ = try write { try $0.editRisk("1", edit) }
        }
        try assertRefused("unknown risk 'RISK-9'; did you mean RISK-1?") { _ = try write { try $0.reviewRisk("RISK-9") } }
        try assertRefused("RISK-1: a review cannot be dated after today (2026-11-20)") {
            _ = try write { try $0.reviewRisk("RISK-1", on: "2026-11-21") }
        }
        try assertRefused("'2026-02-30' is not a date (YYYY-MM-DD)") { _ = try write { try $0.reviewRisk("RISK-1", on: "2026-02-30") } }
    }

    func testEditChangesFieldsAndControlsOneRowEach() throws {
        try emptyRegister()
        try write { try $0.addRisk(RiskDraft(title: "Laptop lost", likelihood: 3, impact: 3, controls: ["EP-01", "EP-02"])) }
        var edit = RiskEdit()
        edit.residualLikelihood = 2; edit.residualImpact = 2; edit.owner = "Dana Kim"
        edit.addControls = ["EP-07"]; edit.removeControls = ["EP-02"]
        edit.treatment = .accept; edit.justification = "Disks are encrypted"; edit.approver = "CEO"
        let changed = try write { try $0.editRisk("risk-1", edit) }
        let risk = try XCTUnwrap(risks().first)
        XCTAssertEqual(risk.controls, ["EP-01", "EP-07"])
        XCTAssertEqual(risk.residualScore, 4)
        XCTAssertEqual(risk.rating, .low)
        XCTAssertEqual(risk.treatment, .accept)
        XCTAssertEqual(
            Array(try riskLog("RISK-1").suffix(changed)),
            [
                "treatment mitigate -> accept", "residual_likelihood - -> 2", "residual_impact - -> 2", "justification - -> Disks are encrypted",
                "approver - -> CEO", "owner - -> Dana Kim", "control EP-02 -> -", "control - -> EP-07",
            ])
        XCTAssertEqual(changed, 8)
        // --no-owner clears the owner (one row); with an owner as well it is refused.
        var clear = RiskEdit(); clear.clearOwner = true
        XCTAssertEqual(try write { try $0.editRisk("RISK-1", clear) }, 1)
        XCTAssertNil(try risks().first?.owner)
        XCTAssertEqual(try riskLog("RISK-1").last, "owner Dana Kim -> -")
        XCTAssertEqual(try write { try $0.editRisk("RISK-1", clear) }, 0, "already without an owner: nothing to record")
        try assertRefused("RISK-1: give an owner or --no-owner, not both") {
            var both = RiskEdit(); both.clearOwner = true; both.owner = "Dana Kim"
            _ = try write { try $0.editRisk("RISK-1", both) }
        }
        // --control replaces the set; the same values again change nothing.
        var replace = RiskEdit(); replace.controls = ["EP-08"]
        try write { try $0.editRisk("RISK-1", replace) }
        XCTAssertEqual(try risks().first?.controls, ["EP-08"])
        XCTAssertEqual(try write { try $0.editRisk("RISK-1", replace) }, 0)
        // Raising the inherent score needs no residual change; lowering it below the residual is refused.
        var lower = RiskEdit(); lower.likelihood = 1
        try assertRefused("RISK-1: the residual likelihood (2) cannot exceed the inherent likelihood (1)") {
            _ = try write { try $0.editRisk("RISK-1", lower) }
        }
    }

    func testReviewsMoveTheNextReviewAndOverdueRisksBecomeGaps() throws {
        try emptyRegister()
        let early = Actor("alice", now: DueDate.parseDay("2025-06-01")!)
        try workspace.write(early) {
            try $0.addRisk(RiskDraft(title: "Untreated", likelihood: 4, impact: 4, owner: "Dana Kim", reviewCadence: .quarterly))
        }
        try workspace.write(early) { try $0.addRisk(RiskDraft(title: "Treated", likelihood: 2, impact: 2, controls: ["AC-01"])) }
        var summary = try XCTUnwrap(risks().first)
        XCTAssertEqual(summary.nextReview, "2025-09-01")
        XCTAssertTrue(summary.overdue)
        let proposals = try workspace.read { try $0.riskProposals(today: today, existingKeys: []) }
        XCTAssertEqual(proposals.map(\.key), ["risk-untreated:RISK-1", "risk-review:RISK-1:2025-09-01", "risk-review:RISK-2:2026-06-01"])
        XCTAssertEqual(proposals[0].draft.owner, "Dana Kim")
        XCTAssertNil(proposals[2].draft.owner)

        let result = try write { try $0.reviewRisk("RISK-1", on: "2026-10-31") }
        XCTAssertEqual(result.reviewedOn, "2026-10-31")
        XCTAssertEqual(result.nextReview, "2027-01-31")
        summary = try XCTUnwrap(risks().first)
        XCTAssertEqual(summary.reviewedOn, "2026-10-31")
        XCTAssertFalse(summary.overdue)
        XCTAssertEqual(try riskLog("RISK-1").last, "reviewed_on - -> 2026-10-31")
        try assertRefused("RISK-1 was last reviewed on 2026-10-31; a review dated 2026-10-01 would be earlier") {
            _ = try write { try $0.reviewRisk("RISK-1", on: "2026-10-01") }
        }
        // A closed risk leaves the heat map and the proposals.
        XCTAssertEqual(try write { try $0.setRiskStatus("2", .closed) }, "RISK-2")
        let after = try workspace.read { try $0.riskProposals(today: today, existingKeys: []) }
        XCTAssertEqual(after.map(\.key), ["risk-untreated:RISK-1"])
        XCTAssertEqual(RiskHeatMap(summaries: try risks()).total, 1)
        try assertRefused("RISK-2 is already closed") { _ = try write { try $0.setRiskStatus("RISK-2", .closed) } }
    }

    func testStarterRisksInstallOnceAndLinkOnlyPresentControls() throws {
        let starter = try StarterRiskParser.builtIn()
        XCTAssertGreaterThanOrEqual(starter.count, 12)
        let library = try BuiltIn.library().byRef
        for risk in starter {
            XCTAssertFalse(risk.controls.isEmpty, risk.title)
            for control in risk.controls { XCTAssertNotNil(library[control.uppercased()], "\(risk.title): \(control) is not a starter control") }
        }
        // A new workspace has them already, linked once the starter library loaded.
        var installed = try risks()
        XCTAssertEqual(installed.map(\.title), starter.map(\.title))
        XCTAssertEqual(installed.map(\.controls), starter.map { $0.controls.sorted() })
        XCTAssertEqual(try write { try $0.installStarterRisks() }, [], "nothing is missing")
        // One removed is put back (and only that one); a workspace made before the register takes them all.
        try workspace.write(alice) { w in try w.db.execute(sql: "DELETE FROM risk WHERE title = ?", arguments: [starter[2].title]) }
        XCTAssertEqual(try write { try $0.installStarterRisks() }, ["RISK-\(starter.count + 1)"])
        try emptyRegister()
        let added = try write { try $0.installStarterRisks() }
        XCTAssertEqual(added.count, starter.count)
        XCTAssertEqual(added.first, "RISK-1")
        installed = try risks()
        XCTAssertEqual(installed.map(\.title), starter.map(\.title))
        for (risk, source) in zip(installed, starter) {
            XCTAssertEqual(risk.controls, source.controls.sorted(), risk.title)
            XCTAssertEqual(risk.inherentScore, source.likelihood * source.impact)
        }
        XCTAssertEqual(try write { try $0.installStarterRisks() }, [], "running it again adds nothing")

        // A workspace without the library gets the risks unlinked; loading the library links them.
        let bare = try Fixtures.workspace(scope: Scope(company: "Bare", categories: [.security]), by: alice)
        XCTAssertEqual(try bare.write(alice) { try $0.installStarterRisks() }.value, [])
        XCTAssertEqual(try bare.read { try $0.risks(today: today) }.flatMap(\.controls), [])
        try bare.write(alice) { try $0.loadStarterLibrary() }
        let linked = try bare.read { try $0.risks(today: today) }
        XCTAssertEqual(linked.map(\.controls), starter.map { $0.controls.sorted() })
        XCTAssertEqual(
            try bare.read { try $0.log(LogFilter(entity: "risk", ref: "RISK-1")) }.filter { $0.field == "control" }.count,
            starter[0].controls.count)
    }

    func testStarterFileErrorsNameTheLine() {
        let text = "starter_risks: 1\nrisks:\n  - title: \"A\"\n    likelihood: 3\n    impact: 7\n"
        XCTAssertThrowsError(try StarterRiskParser.parse(text, path: "x.yaml")) {
            XCTAssertEqual("\($0)", "x.yaml:3:5: starter risk: --impact must be 1 to 5, not 7")
        }
        XCTAssertThrowsError(
            try StarterRiskParser.parse("starter_risks: 1\nrisks:\n  - title: A\n    likelihood: 3\n    impact: 3\n    cia: q\n", path: "y.yaml")
        ) {
            XCTAssertTrue("\($0)".hasPrefix("y.yaml:3:5: unknown CIA property 'q'"), "\($0)")
        }
    }

    func testReportShowsBothHeatMapsWithTheRightCounts() throws {
        try emptyRegister()
        try write { try $0.addRisk(RiskDraft(title: "A <b>bold</b> risk", likelihood: 4, impact: 5, controls: ["AC-01"])) }
        try write { try $0.addRisk(RiskDraft(title: "Second", likelihood: 4, impact: 5, residualLikelihood: 2, residualImpact: 3)) }
        try write { try $0.addRisk(RiskDraft(title: "Third", likelihood: 1, impact: 2)) }
        let report = try workspace.read { try $0.readinessReport(now: Fixtures.fixedDate) }
        let html = report.html()
        XCTAssertTrue(html.contains("<h2>Risk register</h2>"))
        XCTAssertTrue(html.contains("<title id=\"risk-heatmap-inherent-title\">Inherent risk heat map</title>"))
        XCTAssertTrue(html.contains("<title id=\"risk-heatmap-residual-title\">Residual risk heat map</title>"))
        XCTAssertTrue(html.contains("role=\"img\""))
        let inherent = try XCTUnwrap(section(html, from: "risk-heatmap-inherent-title", to: "</svg>"))
        let residual = try XCTUnwrap(section(html, from: "risk-heatmap-residual-title", to: "</svg>"))
        XCTAssertTrue(inherent.contains("<g data-likelihood=\"4\" data-impact=\"5\" data-count=\"2\">"))
        XCTAssertTrue(inherent.contains("<g data-likelihood=\"1\" data-impact=\"2\" data-count=\"1\">"))
        XCTAssertTrue(inherent.contains("Likelihood 4, impact 5 (score 20, critical): 2 risks"))
        XCTAssertTrue(residual.contains("<g data-likelihood=\"4\" data-impact=\"5\" data-count=\"1\">"))
        XCTAssertTrue(residual.contains("<g data-likelihood=\"2\" data-impact=\"3\" data-count=\"1\">"))
        XCTAssertEqual(inherent.components(separatedBy: "data-count=").count - 1, 25)
        XCTAssertFalse(html.contains("<b>bold"), "titles are escaped")
        for external in ["http://", "https://", "xmlns", "src="] { XCTAssertFalse(html.contains(external), external) }
        XCTAssertTrue(html.contains("3 risks, 3 open (residual: 1 critical, 0 high, 1 medium, 1 low)"))
        let markdown = report.markdown()
        XCTAssertTrue(markdown.contains("## Risk register"))
        XCTAssertTrue(markdown.contains("| 4 | 0 | 0 | 0 | 0 | 2 |"), "inherent row for likelihood 4")
        XCTAssertTrue(markdown.contains("A &lt;b&gt;bold&lt;/b&gt; risk"))
        // The same counts always give the same bytes.
        let map = RiskHeatMap(summaries: report.risks)
        XCTAssertEqual(RiskHeatMapSVG.render(map), RiskHeatMapSVG.render(RiskHeatMap(summaries: try risks())))
    }

    func testReportLeavesTheSectionOutWhileTheRegisterIsEmpty() throws {
        try emptyRegister()
        let report = try workspace.read { try $0.readinessReport(now: Fixtures.fixedDate) }
        XCTAssertFalse(report.html().contains("Risk register"))
        XCTAssertFalse(report.markdown().contains("Risk register"))
    }

    private func section(_ text: String, from start: String, to end: String) -> String? {
        guard let a = text.range(of: start), let b = text.range(of: end, range: a.upperBound..<text.endIndex) else { return nil }
        return String(text[a.lowerBound..<b.upperBound])
    }
}
