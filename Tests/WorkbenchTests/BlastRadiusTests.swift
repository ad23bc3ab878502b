import AssureStore
import AssureTestSupport
import Foundation
import XCTest

@testable import AssureModel
@testable import Workbench

/// The detail strip's blast radius runs the impact rule on facts gathered once per snapshot and
/// on the requirements the index says a control reaches. It must say exactly what the rule says
/// when run the long way: every control, every gap, the control set to not started.
final class BlastRadiusTests: XCTestCase {
    func reference(control ref: String, inputs: [(framework: String, criteria: [ReadinessCriterion])], controls: [Control], gaps: [Gap])
        -> [ControlImpact.Consequence]
    {
        let failedControls = controls.map { control -> Control in
            var copy = control
            if control.ref.uppercased() == ref.uppercased() { copy.status = .notStarted; copy.justification = "" }
            return copy
        }
        var result: [ControlImpact.Consequence] = []
        for (framework, criteria) in inputs {
            let reached = criteria.filter { $0.controls.contains { $0.uppercased() == ref.uppercased() } }
            let now = Readiness.compute(criteria: reached, controls: controls, gaps: gaps, framework: framework)
            let after = Readiness.compute(criteria: reached, controls: failedControls, gaps: gaps, framework: framework)
            for criterion in reached {
                result.append(
                    ControlImpact.Consequence(
                        framework: framework, ref: criterion.ref, inScope: criterion.inScope, now: now.states[criterion.ref] ?? .notAddressed,
                        ifFailed: after.states[criterion.ref] ?? .notAddressed,
                        sole: criterion.controls.allSatisfy { $0.uppercased() == ref.uppercased() }))
            }
        }
        return result
    }

    /// `stops`: whether some control's failure must stop a requirement (the sample has sole
    /// controls; a synthetic workspace maps several controls to every requirement).
    func check(_ workspace: Workspace, stops: Bool) throws {
        let (controls, gaps, inputs) = try workspace.read { r in
            (try r.controls(), try r.gaps(), try r.frameworks().map { (framework: $0.id, criteria: try r.readinessInput(framework: $0.id)) })
        }
        let h = try ScreenHarness(workspace: workspace)
        let index = h.runtime.state.index
        var stopping = 0
        var reaching = 0
        for control in controls {
            let reached = index.criteriaReached(by: control.ref)
            XCTAssertEqual(reached.map(\.framework), inputs.map(\.framework), "every framework, in order")
            let fast = ControlImpact.compute(control: control.ref, criteria: reached, facts: index.readinessFacts)
            let slow = reference(control: control.ref, inputs: inputs, controls: controls, gaps: gaps)
            XCTAssertEqual(fast.consequences, slow, control.ref)
            stopping += fast.wouldStop.count
            reaching += fast.consequences.count
        }
        XCTAssertGreaterThan(reaching, 0, "controls reach requirements: the check compares something")
        if stops { XCTAssertGreaterThan(stopping, 0, "some control's failure would stop a requirement") }
    }

    func testTheSampleAgreesWithTheRuleRunTheLongWay() throws {
        try check(try Fixtures.larkspur(typeII: true), stops: true)
    }

    func testASyntheticWorkspaceAgreesAfterEdits() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = try Workspace.synthetic(
            path: folder.appendingPathComponent("w.assure").path, controls: 120, owners: 6, gaps: 300, logRows: 10)
        try workspace.write(Fixtures.actor()) { w in
            try w.setStatus(controls: ["SYN-00003"], to: .notApplicable, justification: "Not used here")
            try w.setStatus(controls: ["SYN-00004"], to: .implemented, justification: "")
        }
        try check(workspace, stops: false)
    }
}
