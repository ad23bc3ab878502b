import AssureApp
import AssureModel
import AssureStore
import AssureTestSupport
import Foundation
import XCTest

@testable import Workbench

/// The index works some figures out more cheaply than by their definitions: each must still
/// say what the definition says.
final class WorkspaceIndexTests: XCTestCase {
    func snapshot(_ workspace: Workspace) throws -> WorkspaceSnapshot {
        try WorkspaceAdapter(workspace, actor: "tester", clock: { Fixtures.fixedDate }).loadSnapshot()
    }

    /// Controls needing an owner that an audit covers, by the definition: in scope in any
    /// framework's readiness input, or mapped to nothing.
    func unownedInScopeByDefinition(_ snapshot: WorkspaceSnapshot) -> [Int] {
        let inputs = snapshot.views.isEmpty ? [snapshot.readinessInput] : snapshot.views.values.map(\.readinessInput)
        let audited = Set(inputs.flatMap { $0.filter(\.inScope).flatMap(\.controls) })
        return snapshot.controls.indices.filter {
            Rules.isUnowned(snapshot.controls[$0]) && (audited.contains(snapshot.controls[$0].ref) || snapshot.controls[$0].requirements.isEmpty)
        }
    }

    func testUnownedControlsInScopeAreThoseOfTheDefinition() throws {
        for workspace in [try Fixtures.larkspur(), try Fixtures.hanami()] {
            // Some owners leave, so the list has members in scope and out of it.
            try workspace.write(Fixtures.actor()) { w in
                let lines = try w.reader.controlLines()
                try w.assign(controls: lines.prefix(12).map(\.ref), owner: .some(nil))
            }
            let snapshot = try snapshot(workspace)
            let index = WorkspaceIndex(snapshot)
            XCTAssertEqual(index.unownedInScope, unownedInScopeByDefinition(snapshot))
            XCTAssertFalse(index.unownedInScope.isEmpty)
            XCTAssertEqual(index.unownedControlCount, snapshot.controls.filter(Rules.isUnowned).count)
        }
    }

    /// The snapshot's side thread works out the Gaps pane's figures; they are those of its
    /// keys, and a snapshot whose keys change forgets them.
    func testTheSnapshotsGapFiguresAreThoseOfItsKeys() throws {
        var snapshot = try snapshot(try Fixtures.larkspur())
        let counted = GapKey.figures(snapshot.gapKeys)
        XCTAssertEqual(snapshot.gapFigures, GapFigures(open: counted.open, refWidth: counted.refWidth))
        XCTAssertGreaterThan(counted.open, 0)
        let index = WorkspaceIndex(snapshot)
        XCTAssertEqual(index.openGapKeyCount, counted.open)
        XCTAssertEqual(index.gapRefWidth, counted.refWidth)
        // The owners' roster is read beside the frameworks, their gap loads beside the gaps:
        // together they are what `assure owners` says.
        let owners = try Fixtures.larkspur().read { try $0.owners(today: snapshot.today) }
        XCTAssertEqual(
            snapshot.owners, owners.map { OwnerLoad(owner: $0.owner, controls: $0.controls, openGaps: $0.openGaps, overdueGaps: $0.overdueGaps) })
        XCTAssertTrue(snapshot.owners.contains { $0.openGaps > 0 } && snapshot.owners.contains { $0.overdueGaps > 0 })
        snapshot.gapKeys = Array(snapshot.gapKeys.prefix(1))
        XCTAssertNil(snapshot.gapFigures)
        XCTAssertEqual(WorkspaceIndex(snapshot).openGapKeyCount, GapKey.figures(snapshot.gapKeys).open)
    }

    /// The store gathers the readiness facts in two halves on two threads (the controls', the
    /// blocking gaps'); joined, they are the facts gathered from the snapshot in one pass, and
    /// every framework's figures are the rule's over them.
    func testTheFactsGatheredOnTwoThreadsAreThoseOfTheSnapshot() throws {
        for workspace in [try Fixtures.larkspur(), try Fixtures.hanami()] {
            let loaded = try snapshot(workspace)
            var fresh = loaded
            fresh.blockingLinks = loaded.blockingLinks  // forgets the gathered facts
            let facts = fresh.readinessFacts()
            XCTAssertEqual(loaded.readinessFacts(), facts)
            XCTAssertFalse(facts.blockedControls.isEmpty)
            XCTAssertFalse(facts.blockedRequirements.isEmpty)
            fresh.computeFrameworkFigures()
            XCTAssertEqual(loaded.frameworks, fresh.frameworks)
            for framework in loaded.frameworks {
                XCTAssertEqual(
                    loaded.gatheredReadiness(framework: framework.id),
                    Readiness.compute(criteria: loaded.readinessInput(framework: framework.id), facts: facts, framework: framework.id))
            }
            // The index reaches the same figures whichever half of its work finishes first.
            let index = WorkspaceIndex(loaded)
            XCTAssertEqual(index.readinessFacts, facts)
            XCTAssertEqual(index.frameworkInputs.map(\.id), loaded.frameworks.map(\.id))
        }
    }

    /// Joining the halves: a requirement blocked in either is blocked in the join.
    func testJoiningFactsUnitesTheBlockedRequirements() {
        var controls = ReadinessFacts()
        controls.add(control: "AC-1", status: .implemented, justification: "")
        controls.addBlocking(control: "ac-2", requirement: "CC6.1", framework: "soc2")
        var gaps = ReadinessFacts()
        gaps.addBlocking(control: "AC-3", requirement: "cc6.2", framework: "soc2")
        gaps.addBlocking(control: nil, requirement: "A.5.1", framework: "iso27001")
        let joined = controls.adding(blockedFrom: gaps)
        XCTAssertEqual(joined.controls.keys.sorted(), ["AC-1"])
        XCTAssertEqual(joined.blockedControls, ["AC-2", "AC-3"])
        XCTAssertEqual(joined.blockedRequirements, ["soc2": ["CC6.1", "CC6.2"], "iso27001": ["A.5.1"]])
    }
}
