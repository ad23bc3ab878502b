import AssureModel
import AssureTestSupport
import Foundation
import XCTest

@testable import AssureStore

/// The Larkspur sample's `programme:` section (people with a leaver and a new hire, approved
/// policy versions, acknowledgements, training, risks), and a bad entry refused by its line with
/// nothing written. The fixed test day is 2026-11-20.
final class SampleProgrammeTests: XCTestCase {
    func testLarkspurHasItsProgramme() throws {
        let workspace = try Fixtures.larkspur()
        let today = Fixtures.today
        try workspace.read { r in
            // People: the list of fourteen, of whom the leaver is not active and the new hire is.
            let people = try r.people()
            XCTAssertEqual(people.count, 14)
            let active = try r.people(activeOn: today).map(\.name)
            XCTAssertFalse(active.contains("Ben Adeyemi"), "left on 2026-09-30")
            XCTAssertTrue(active.contains("Maya Lindqvist"), "started on 2026-11-16")
            XCTAssertEqual(active.count, 13)

            // Policies: two versions of POL-IS, the second with the revision's note; POL-BC overdue; POL-IR a draft.
            let policies = Dictionary(uniqueKeysWithValues: try r.policies(today: today).map { ($0.ref, $0) })
            XCTAssertEqual(policies.count, 6)
            XCTAssertEqual(policies["POL-IS"]?.liveVersion, 2)
            XCTAssertEqual(policies["POL-IS"]?.liveApprovedOn, "2026-02-10")
            XCTAssertEqual(policies["POL-IS"]?.approver, "Priya Raman")
            XCTAssertEqual(policies["POL-BC"]?.status, .reviewOverdue)
            XCTAssertEqual(policies["POL-IR"]?.status, .draft)
            let detail = try r.policy("POL-IS", today: today)
            XCTAssertEqual(detail.versions.map(\.approvedOn), ["2025-02-06", "2026-02-10"])
            XCTAssertTrue(detail.versions[1].text.contains("Revised 2026-02-10: Every system holding ePHI"))
            XCTAssertFalse(detail.versions[0].text.contains("Revised"))
            XCTAssertEqual(try r.policyVersion("POL-IS", on: "2026-02-09").live?.version, 1)
            XCTAssertEqual(try r.policyVersion("POL-IS", on: "2026-02-10").live?.version, 2)

            // Acknowledgements of the live version: everyone employed on 2026-02-20 but Rafael;
            // Ben left (not counted) and Maya joined after (owes it).
            let acks = try r.policyAcks("POL-IS", today: today)
            XCTAssertEqual(acks.coverage.missing, ["Maya Lindqvist", "Rafael Costa"])
            XCTAssertEqual(acks.coverage.fraction, "11/13")
            XCTAssertTrue(acks.acks.contains { $0.person == "Ben Adeyemi" }, "the leaver's acknowledgement stays on record")

            // Training: Rafael never took the annual course and is overdue; Lena caught up in April;
            // the new hire owes both courses within her grace period.
            let training = try r.trainingStatus(today: today)
            let overdue = training.filter { $0.state == .overdue }.map { "\($0.person): \($0.course)" }
            XCTAssertEqual(overdue, ["Rafael Costa: Security and HIPAA basics"])
            XCTAssertEqual(training.first { $0.person == "Lena Fischer" && $0.courseRef == "TRN-1" }?.lastCompleted, "2026-04-16")
            let maya = training.filter { $0.person == "Maya Lindqvist" }
            XCTAssertEqual(Set(maya.map(\.courseRef)), ["TRN-1", "TRN-2"])
            XCTAssertTrue(maya.allSatisfy { $0.due == "2026-12-16" && $0.state == .due }, "\(maya)")
            XCTAssertFalse(training.contains { $0.person == "Ben Adeyemi" }, "a leaver owes nothing")

            // Risks: the starter thirteen with Larkspur's owners and scores, and one accepted risk.
            let risks = try r.risks(today: today)
            XCTAssertEqual(risks.count, 14)
            XCTAssertEqual(risks[0].risk.owner, "Dana Kim")
            XCTAssertEqual(risks[0].risk.residualScore, 8)
            XCTAssertFalse(risks[0].risk.controls.isEmpty, "starter risks are linked to the starter controls")
            XCTAssertEqual(risks.filter(\.overdue).map(\.risk.ref), ["RISK-1", "RISK-2", "RISK-7"])
            let accepted = try XCTUnwrap(risks.last)
            XCTAssertEqual(accepted.risk.treatment, .accept)
            XCTAssertEqual(accepted.risk.approver, "Dana Kim")
        }
    }

    func testABadProgrammeEntryIsRefusedByItsLine() throws {
        let text = try Fixtures.sampleText("larkspur-health")
        let bad = text.replacingOccurrences(of: "{date: 2026-02-10, change: \"Every system", with: "{date: 2026-02-10, chnage: \"Every system")
        XCTAssertNotEqual(bad, text)
        let line = bad.components(separatedBy: "\n").firstIndex { $0.contains("chnage:") }! + 1
        XCTAssertThrowsError(try Fixtures.workspace(fromYAML: bad, sourcePath: "samples/larkspur-health.yaml", by: Fixtures.actor())) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("samples/larkspur-health.yaml:\(line):"), message)
            XCTAssertTrue(message.contains("chnage"), message)
        }
        // An acknowledgement by someone unknown names its line too.
        let unknown = text.replacingOccurrences(of: "except: [\"Rafael Costa\"]}", with: "except: [\"Rafael Kosta\"]}")
        let ackLine = unknown.components(separatedBy: "\n").firstIndex { $0.contains("Rafael Kosta") }! + 1
        XCTAssertThrowsError(try Fixtures.workspace(fromYAML: unknown, sourcePath: "samples/larkspur-health.yaml", by: Fixtures.actor())) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("samples/larkspur-health.yaml:\(ackLine):"), message)
            XCTAssertTrue(message.contains("Rafael Costa"), "the closest name is suggested: \(message)")
        }
    }
}
