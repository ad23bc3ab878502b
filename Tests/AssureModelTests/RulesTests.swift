import AssureModel
import Foundation
import XCTest

/// The rules that every path shares, on plain values: no SQLite.
final class RulesTests: XCTestCase {
    func testTheBackupMustBeSomeoneElse() {
        XCTAssertNoThrow(try Rules.checkBackup(control: "AC-01", ownerID: 1, backupID: 2))
        XCTAssertNoThrow(try Rules.checkBackup(control: "AC-01", ownerID: nil, backupID: nil))
        XCTAssertThrowsError(try Rules.checkBackup(control: "AC-01", ownerID: 3, backupID: 3)) { error in
            XCTAssertEqual("\(error)", "AC-01: the backup owner must be someone other than the owner")
        }
    }

    func testNotApplicableNeedsAJustificationAndOtherStatusesClearIt() throws {
        XCTAssertThrowsError(try Rules.justification(for: .notApplicable, "  ", control: "EP-01"))
        XCTAssertEqual(try Rules.justification(for: .notApplicable, " Remote company ", control: "EP-01"), "Remote company")
        XCTAssertEqual(try Rules.justification(for: .implemented, "left over", control: "EP-01"), "")
    }

    func testUnownedMeansNobodyCurrentRunsIt() {
        XCTAssertTrue(Rules.isUnowned(Control(ref: "A", title: "")))
        XCTAssertFalse(Rules.isUnowned(Control(ref: "A", title: "", owner: "Dana")))
        XCTAssertTrue(Rules.isUnowned(Control(ref: "A", title: "", owner: "Dana", ownerRetired: true)))
        XCTAssertFalse(Rules.isUnowned(Control(ref: "A", title: "", status: .notApplicable, justification: "n/a")))
    }

    func testDeriveProposesWhatIsMissingOnceOnly() {
        let requirements = [
            DeriveRequirement(frameworkID: "soc2", ref: "CC1.1", title: "Integrity", mappedControls: 0),
            DeriveRequirement(frameworkID: "iso27001", ref: "A.5.1", title: "Policies", mappedControls: 0),
            DeriveRequirement(frameworkID: "soc2", ref: "CC1.2", title: "Board", mappedControls: 2),
        ]
        let controls = [
            Control(ref: "GV-01", title: "Policies", status: .notStarted, frequency: .annual, owner: "Ann", ownerRetired: true),
            Control(ref: "GV-02", title: "Board", status: .implemented, frequency: .continuous, owner: "Bo"),
        ]
        let all = Derive.proposals(requirements: requirements, controls: controls, existingKeys: [])
        XCTAssertEqual(
            all.map(\.key),
            [
                "criterion-unmapped:CC1.1", "criterion-unmapped:iso27001:A.5.1",
                "control-unowned:GV-01", "control-not-started:GV-01", "control-no-evidence:GV-01",
            ])
        XCTAssertEqual(all[0].draft.criterion, "soc2:CC1.1")
        XCTAssertNil(all[3].draft.owner, "a retired owner is not handed new work")
        let again = Derive.proposals(requirements: requirements, controls: controls, existingKeys: ["criterion-unmapped:CC1.1"])
        XCTAssertEqual(again.count, 4)
    }

    func testAuditThreatsAreLateGapsAndControlsThatCannotRunInTime() {
        let target = AuditTarget(reportType: .type2, windowStart: "2027-01-10", window: "6m")
        let now = DueDate.parseDay("2026-12-01")!
        let gaps = [
            Gap(ref: "GAP-1", title: "late", due: "2027-02-01"),
            Gap(ref: "GAP-2", title: "early", due: "2026-12-20"),
            Gap(ref: "GAP-3", title: "closed", due: "2027-02-01", status: .remediated, remediationNote: "done"),
        ]
        let controls = [
            Control(ref: "Q-1", title: "quarterly", status: .inProgress, frequency: .quarterly),
            Control(ref: "M-1", title: "monthly", status: .notStarted, frequency: .monthly),
            Control(ref: "Q-2", title: "done", status: .implemented, frequency: .quarterly),
        ]
        let threats = AuditThreats.find(target: target, gaps: gaps, controls: controls, now: now)
        XCTAssertEqual(threats.map(\.ref), ["GAP-1", "Q-1"])
        XCTAssertEqual(threats[1].reason, "quarterly and not implemented: its first run (2027-03-02) falls after the window starts")
        XCTAssertThrowsError(try AuditTarget(reportType: .type2, windowStart: "2027-13-01", window: "6m").validate())
        XCTAssertThrowsError(try AuditTarget(reportType: .type2, windowStart: "2027-01-01", window: "13m").validate())
    }

    func testTrendReplaysHistoryBackwards() {
        let criteria = [ReadinessCriterion(ref: "CC1.1", series: "CC1", category: "security", inScope: true, controls: ["C-1"])]
        let controls = [Control(ref: "C-1", title: "", status: .implemented)]
        let gaps = [Gap(ref: "GAP-1", title: "new", status: .open)]
        let changes = [  // newest first
            ChangeRecord(
                id: 3, at: "2026-11-25T10:00:00Z", actor: "a", entity: "gap", ref: "GAP-1", field: "created", before: nil, after: "new", batch: 2),
            ChangeRecord(
                id: 2, at: "2026-11-20T10:00:00Z", actor: "a", entity: "control", ref: "C-1", field: "status", before: "in-progress",
                after: "implemented", batch: 1),
        ]
        let points = Trend.replay(
            samples: ["2026-11-30T00:00:00Z", "2026-11-23T00:00:00Z", "2026-11-16T00:00:00Z"],
            controls: controls, gaps: gaps, criteria: criteria, changes: changes)
        XCTAssertEqual(points.map(\.date), ["2026-11-16", "2026-11-23", "2026-11-30"])
        XCTAssertEqual(points.map(\.openGaps), [0, 0, 1])
        XCTAssertEqual(points.map(\.readiness.addressed), [0, 1, 1])
    }

    func testReadinessOfOneFrameworkIgnoresGapsOnAnotherFrameworksRequirement() {
        let criteria = [ReadinessCriterion(ref: "CC6.1", series: "CC6", category: "security", inScope: true, controls: ["AC-01"])]
        let controls = [Control(ref: "AC-01", title: "", status: .implemented)]
        let elsewhere = [Gap(ref: "GAP-1", title: "", severity: .critical, criterion: "CC6.1", framework: "lookalike")]
        XCTAssertEqual(Readiness.compute(criteria: criteria, controls: controls, gaps: elsewhere, framework: "soc2").overall.addressed, 1)
        let here = [Gap(ref: "GAP-1", title: "", severity: .critical, criterion: "CC6.1", framework: "soc2")]
        XCTAssertEqual(Readiness.compute(criteria: criteria, controls: controls, gaps: here, framework: "soc2").overall.addressed, 0)
        XCTAssertEqual(Readiness.compute(criteria: criteria, controls: controls, gaps: here).coverage, Share(addressed: 1, total: 1))
    }
}
