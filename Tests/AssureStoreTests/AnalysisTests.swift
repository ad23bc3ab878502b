import AssureModel
import AssureTestSupport
import XCTest

@testable import AssureStore

final class AnalysisTests: XCTestCase {
    func testDeriveProposesWhatIsMissingAndIsIdempotent() throws {
        let t = Actor("t", now: Fixtures.fixedDate)
        let workspace = try Fixtures.workspace(scope: Scope(company: "A", categories: [.security]), by: t)
        try workspace.write(t) { try $0.loadStarterLibrary() }
        try workspace.write(t) { try $0.addOwner(Owner(name: "Dana Kim")) }
        // Make a small, known situation: one implemented owned control, everything else not started and unowned.
        let proposals = try workspace.read { try $0.proposeGaps() }
        XCTAssertEqual(proposals.filter { $0.key.hasPrefix("criterion-unmapped:") }.count, 0, "the starter library maps every criterion")
        XCTAssertEqual(proposals.filter { $0.key.hasPrefix("control-unowned:") }.count, 166)
        XCTAssertEqual(proposals.filter { $0.key.hasPrefix("control-not-started:") }.count, 166)
        XCTAssertEqual(proposals.filter { $0.key.hasPrefix("control-no-evidence:") }.count, 0)
        XCTAssertEqual(proposals.first?.draft.title, "AC-01 has no owner")

        let refs = try workspace.write(t) { try $0.createDerivedGaps(Array(proposals.prefix(3))) }.value
        XCTAssertEqual(refs, ["GAP-1", "GAP-2", "GAP-3"])
        XCTAssertEqual(try workspace.read { try $0.proposeGaps() }.count, proposals.count - 3, "created proposals are not proposed again")
        try workspace.write(t) { try $0.remediateGaps(["GAP-1"], note: "Owner named") }
        XCTAssertEqual(try workspace.read { try $0.proposeGaps() }.count, proposals.count - 3, "nor after they were remediated")
        let rest = try workspace.read { try $0.proposeGaps() }
        try workspace.write(t) { try $0.createDerivedGaps(rest) }
        XCTAssertEqual(try workspace.read { try $0.proposeGaps() }, [], "running it twice creates nothing new")
        XCTAssertEqual(try workspace.read { try $0.log() }.filter { $0.field == "derived_from" }.count, proposals.count)
    }

    func testUnmappedCriteriaAndMissingEvidenceAreProposed() throws {
        let t = Actor("t", now: Fixtures.fixedDate)
        let workspace = try Fixtures.workspace(scope: Scope(company: "A", categories: [.security, .availability]), by: t)
        try workspace.write(t) { w in
            try LibraryWriter.insert([Control(ref: "X-1", title: "Weekly review", frequency: .weekly, criteria: ["CC1.1"])], db: w.db, log: &w.log)
        }
        let keys = Set(try workspace.read { try $0.proposeGaps() }.map(\.key))
        XCTAssertTrue(keys.contains("criterion-unmapped:A1.1"))
        XCTAssertFalse(keys.contains("criterion-unmapped:CC1.1"))
        XCTAssertFalse(keys.contains("criterion-unmapped:C1.1"), "out of scope")
        XCTAssertTrue(keys.contains("control-no-evidence:X-1"))
    }

    func testTargetThreats() throws {
        let workspace = try Fixtures.larkspur(typeII: false)
        let tester = Fixtures.actor()
        let now = Fixtures.fixedDate
        XCTAssertEqual(try workspace.read { try $0.auditThreats(now: now) }, [])
        XCTAssertThrowsError(
            try workspace.write(tester) {
                try $0.setAuditTarget(AuditTarget(reportType: .type2, windowStart: "2027-02-30", window: "6m"))
            })
        XCTAssertThrowsError(
            try workspace.write(tester) {
                try $0.setAuditTarget(AuditTarget(reportType: .type2, windowStart: "2027-03-01", window: "18m"))
            })
        let set = try workspace.write(tester) {
            try $0.setAuditTarget(AuditTarget(reportType: .type2, windowStart: "2027-01-01", window: "6m"))
        }
        let threats = try workspace.read { try $0.auditThreats(now: now) }
        // GAP-13 is due +45d (2027-01-04): after the window starts.
        XCTAssertTrue(threats.contains { $0.ref == "GAP-13" && $0.reason == "due 2027-01-04, after the window starts on 2027-01-01" })
        XCTAssertFalse(threats.contains { $0.ref == "GAP-12" }, "due 2026-11-27, before the window")
        // Annual controls not implemented cannot run once before 2027-01-01 if started today.
        XCTAssertTrue(threats.contains { $0.ref == "RM-01" && $0.reason.hasPrefix("annual and not implemented") })
        XCTAssertFalse(threats.contains { $0.ref == "LM-03" }, "continuous controls have no first run to wait for")
        // The target now lives on the framework: the window is recorded by this write; the
        // report type (Type 2, unchanged here) was recorded when the workspace was created.
        let log = try workspace.read { try $0.log() }
        XCTAssertEqual(
            log.filter { $0.batch == set.batch }.map { "\($0.entity) \($0.ref) \($0.field)=\($0.after ?? "")" },
            ["framework soc2 window_start=2027-01-01", "framework soc2 window=6m"], "settings are on the trail")
        XCTAssertEqual(log.last { $0.entity == "framework" && $0.field == "audit_kind" }.map { "\($0.ref)=\($0.after ?? "")" }, "soc2=type2")
        XCTAssertEqual(
            try workspace.read { try $0.auditTarget() },
            AuditTarget(reportType: .type2, windowStart: "2027-01-01", window: "6m"))
    }

    func testWeightsChangeTheRanking() throws {
        let workspace = try Fixtures.larkspur()
        let tester = Fixtures.actor()
        let today = Fixtures.today
        XCTAssertEqual(try workspace.read { try $0.rankedGaps(today: today) }.first?.gap.ref, "GAP-3")
        try workspace.write(tester) { try $0.setWeights(["critical": 40]) }
        XCTAssertEqual(try workspace.read { try $0.rankedGaps(today: today) }.first?.gap.ref, "GAP-1")
        XCTAssertEqual(try workspace.read { try $0.rankingWeights() }.severity[.critical], 40)
        XCTAssertThrowsError(try workspace.write(tester) { try $0.setWeights(["critcal": 4]) }) {
            XCTAssertEqual("\($0)", "unknown weight 'critcal'; did you mean critical?")
        }
        XCTAssertThrowsError(try workspace.write(tester) { try $0.setWeights(["high": 0]) })
    }
}

final class TrendTests: XCTestCase {
    func testTrendReplaysTheChangeLogWeekByWeek() throws {
        var now = Fixtures.fixedDate
        func t() -> Actor { Actor("t", now: now) }
        let workspace = try Fixtures.workspace(scope: Scope(company: "A", categories: [.security]), by: t())
        try workspace.write(t()) { try $0.loadStarterLibrary() }
        func week() { now = now.addingTimeInterval(7 * 86_400) }
        try workspace.write(t()) { try $0.openGap(GapDraft(title: "one", severity: .high)) }
        try workspace.write(t()) { try $0.openGap(GapDraft(title: "two", severity: .low)) }
        week()
        try workspace.write(t()) { try $0.setStatus(controls: ["AC-01", "AC-02", "AC-03", "AC-04"], to: .implemented) }
        try workspace.write(t()) { try $0.openGap(GapDraft(title: "three")) }
        week()
        try workspace.write(t()) { try $0.remediateGaps(["GAP-1", "GAP-2"], note: "done") }
        let trend = try workspace.read { try $0.trend(weeks: 8, now: now) }
        XCTAssertEqual(trend.map(\.date), ["2026-11-20", "2026-11-27", "2026-12-04"], "only weeks the workspace existed")
        XCTAssertEqual(trend.map(\.openGaps), [2, 3, 1])
        XCTAssertEqual(trend.map(\.readiness.addressed), [0, 4, 4], "AC-01..04 cover CC6.1, CC6.2, CC6.3 and CC6.6 from the second week")
    }

    /// The trend reads only what the replay looks at; it must find what a replay of whole
    /// controls, gaps and change records finds, week by week.
    func testTheTrendFromSlimRowsEqualsTheReplayOfWholeRows() throws {
        var now = Fixtures.fixedDate
        func t() -> Actor { Actor("t", now: now) }
        let workspace = try Fixtures.workspace(scope: Scope(company: "A", categories: [.security]), by: t())
        try workspace.write(t()) { try $0.loadStarterLibrary() }
        for (week, title) in ["one", "two", "three", "four"].enumerated() {
            now = now.addingTimeInterval(7 * 86_400)
            try workspace.write(t()) {
                try $0.openGap(GapDraft(title: title, severity: week % 2 == 0 ? .critical : .low, control: "AC-0\(week + 1)"))
            }
            try workspace.write(t()) { try $0.setStatus(controls: ["AC-0\(week + 1)"], to: .implemented) }
            try workspace.write(t()) { try $0.setStatus(controls: ["CM-0\(week + 1)"], to: .notApplicable, justification: "No such systems") }
        }
        try workspace.write(t()) { try $0.setStatus(controls: ["CM-01"], to: .inProgress) }
        try workspace.write(t()) { try $0.remediateGaps(["GAP-1"], note: "done") }
        let (slim, whole) = try workspace.read { r in
            let changes = try r.log().filter { ["control", "gap"].contains($0.entity) }.reversed()
            let samples = (0..<8).map { Timestamps.iso(now.addingTimeInterval(-Double($0) * 7 * 86_400)) }.filter {
                $0 >= Timestamps.iso(Fixtures.fixedDate)
            }
            return (
                try r.trend(weeks: 8, now: now),
                Trend.replay(
                    samples: samples, controls: try r.controls(), gaps: try r.gaps(),
                    criteria: try r.readinessInput(framework: Framework.soc2ID), changes: Array(changes))
            )
        }
        XCTAssertEqual(slim.count, 5)
        XCTAssertEqual(slim, whole)
        XCTAssertNotEqual(Set(slim.map(\.readiness.addressed)).count, 1, "readiness moved over the weeks")
    }
}
