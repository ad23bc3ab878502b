import AssureModel
import AssureStore
import AssureTestSupport
import Foundation
import XCTest

/// A workspace written by the first release (schema v4, committed under Tests/Fixtures/v4 with
/// that release's own listings of it) opens with nothing lost.
final class MigrationV4Tests: XCTestCase {
    /// The day the fixture's listings were made: overdue counts depend on it.
    let fixtureDay = "2026-12-01"
    var folder: URL!
    var workspace: Workspace!

    static var fixtures: URL { Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/v4") }

    override func setUpWithError() throws {
        folder = try Fixtures.temporaryDirectory()
        let copy = folder.appendingPathComponent("larkspur.assure")
        try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("larkspur-v4.sqlite"), to: copy)
        workspace = try Workspace.open(path: copy.path, now: Fixtures.fixedDate)
    }

    override func tearDownWithError() throws {
        try? workspace.close()
        try? FileManager.default.removeItem(at: folder)
    }

    func expected(_ name: String) throws -> String {
        try String(contentsOf: Self.fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    /// A listing as the first release wrote it, with "" read as null: that release wrote "" for
    /// absent text (a control's justification, a gap's remediation note) where the README
    /// promised null, and today's listings give null. Every other value is compared as written.
    func expectedListing(_ name: String) throws -> String {
        try expected(name).split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.replacingOccurrences(of: #"^(\s*"[a-z_]+"): ""(,?)$"#, with: "$1: null$2", options: .regularExpression)
        }.joined(separator: "\n")
    }

    func testTheFileIsBackedUpBeforeMigrating() throws {
        let backup = try XCTUnwrap(workspace.backupPath)
        XCTAssertTrue(FileManager.default.fileExists(atPath: backup))
        let original = try Data(contentsOf: Self.fixtures.appendingPathComponent("larkspur-v4.sqlite"))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: backup)).count, original.count)
    }

    func testControlsGapsAndOwnersListIdenticallyAfterMigration() throws {
        let (controls, gaps, owners) = try workspace.read { r in
            (try r.controls(), try r.gaps(), try r.owners(today: fixtureDay))
        }
        XCTAssertEqual(Listings.controls(controls).json(), try expectedListing("controls.json"))
        XCTAssertEqual(Listings.gaps(gaps, today: fixtureDay).json(), try expectedListing("gaps.json"))
        XCTAssertEqual(Listings.owners(owners).json(), try expectedListing("owners.json"))
        // The normalisation touched only the empty values, and they are null now.
        let json = Listings.controls(controls).json()
        XCTAssertEqual(json.components(separatedBy: "\"justification\": null").count - 1, 137)
        XCTAssertFalse(json.contains("\"\""))
        XCTAssertTrue(json.contains("\"justification\": \"No email-borne customer data; DLP handled by the SaaS suite\""), json)
    }

    func testCriteriaListSOC2AloneAndTheSecondCatalogMovesToItsOwnFramework() throws {
        let (criteria, readiness, other) = try workspace.read { r in
            (try r.criteria(), try r.readiness(), try r.requirementSummaries(framework: "internal-2026"))
        }
        let listed = try JSONSerialization.jsonObject(with: Data(Listings.criteria(criteria, readiness: readiness).json().utf8)) as! [[String: Any]]
        let before = try JSONSerialization.jsonObject(with: Data(try expected("criteria.json").utf8)) as! [[String: Any]]
        XCTAssertEqual(listed.count, 61)
        // v4 listed the other catalog's two criteria with SOC 2's; everything else is the same.
        XCTAssertEqual(before.count, 63)
        XCTAssertEqual(listed as NSArray, Array(before.prefix(61)) as NSArray)
        XCTAssertEqual(other.map(\.requirement.ref), ["IS", "IS-1", "IS-1.1", "IS-2"])
        XCTAssertEqual(other.map(\.requirement.level), ["category", "criterion", "point of focus", "criterion"])
        // v4 counted 40 criteria (SOC 2's 38 plus the other catalog's 2); now each framework counts its own.
        XCTAssertEqual(readiness.overall, Share(addressed: 26, total: 38))
    }

    func testHistoryKeepsItsHashesAndTheChainVerifies() throws {
        let old = try JSONSerialization.jsonObject(with: Data(try expected("log.json").utf8)) as! [[String: Any]]
        let (log, verification) = try workspace.read { r in (try r.log(), try r.verifyChain()) }
        XCTAssertTrue(verification.isIntact, verification.problem ?? "")
        // Schema v13 appends one row: the tables' starting state (TableStateTests).
        XCTAssertEqual(log.count, old.count + 1)
        XCTAssertEqual(log.last.map { [$0.entity, $0.field] }, ["workspace", "state"])
        for (row, before) in zip(log, old) {
            XCTAssertEqual(row.id, (before["id"] as! NSNumber).int64Value)
            XCTAssertEqual(row.hash, before["hash"] as? String, "row \(row.id) keeps its hash")
            XCTAssertEqual(row.after, before["after"] as? String)
        }
    }

    func testMeetingsSnapshotsWeightsAndTargetSurvive() throws {
        let (meetings, snapshots, weights, target, minutes) = try workspace.read { r in
            (
                try r.meetings(), try r.snapshots(), try r.rankingWeights(), try r.auditTarget(),
                MeetingMinutes.build(meeting: try r.meeting("1"), changes: try r.changes(inMeeting: 1), gaps: try r.gaps()).markdown()
            )
        }
        XCTAssertEqual(meetings.map(\.title), ["Readiness review 1"])
        XCTAssertEqual(snapshots.map(\.title), ["After review 1"])
        XCTAssertEqual(weights.severity[.critical], 12)
        XCTAssertEqual(weights.overdueFactor, 2)
        XCTAssertEqual(target, AuditTarget(reportType: .type2, windowStart: "2027-03-01", window: "6m"))
        // The first release left out why DP-08 is not applicable; the minutes now say it, as one
        // more decision. Everything else is as that release wrote it.
        let na = "- 04:11 DP-08 status: not-started → not-applicable (Aisha Bello)\n"
        let written = try expected("minutes-1.md")
        XCTAssertTrue(written.contains(na) && written.contains("## Decisions (13)"))
        XCTAssertEqual(
            minutes,
            written.replacingOccurrences(of: "## Decisions (13)", with: "## Decisions (14)")
                .replacingOccurrences(
                    of: na, with: na + "- 04:11 DP-08 not applicable: No email-borne customer data; DLP handled by the SaaS suite (Aisha Bello)\n"))
        let scope = try workspace.read { try $0.scope() }
        XCTAssertEqual(scope.categories, [.security, .availability, .confidentiality])
        XCTAssertEqual(scope.reportType, .type2)
    }

    func testTheOldFrameworkIdIsStillAcceptedAndUndoWorksOnOldRows() throws {
        XCTAssertEqual(try workspace.read { try $0.framework("soc2-2017").id }, "soc2")
        // Batch of "GAP-5 owner: Tomasz Nowak -> Lena Fischer", written by v4 with names only.
        let batch = try XCTUnwrap(workspace.read { try $0.log(LogFilter(ref: "GAP-5")) }.last?.batch)
        let summary = try workspace.write(Fixtures.actor()) { try $0.undo(batch: batch) }.value
        XCTAssertEqual(summary, "GAP-5 owner: Tomasz Nowak")
        XCTAssertEqual(try workspace.read { try $0.gaps() }.first { $0.ref == "GAP-5" }?.owner, "Tomasz Nowak")
        XCTAssertTrue(try workspace.read { try $0.verifyChain() }.isIntact)
    }
}
