import AssureApp
import AssureModel
import AssureStore
import AssureTestSupport
import Foundation
import XCTest

@testable import Workbench

/// The Frameworks pane's figures come from the readiness rule over what the snapshot already
/// holds, not from a second read: they must equal what `assure frameworks` computes.
final class FrameworkFiguresTests: XCTestCase {
    func check(_ workspace: Workspace, file: StaticString = #filePath, line: UInt = #line) throws {
        let snapshot = try WorkspaceAdapter(workspace, actor: "tester", clock: { Fixtures.fixedDate }).loadSnapshot()
        let summaries = try workspace.read { try $0.frameworkSummaries() }
        XCTAssertGreaterThan(summaries.count, 1, "the sample has several frameworks", file: file, line: line)
        XCTAssertEqual(snapshot.frameworks.map(\.id), summaries.map(\.framework.id), file: file, line: line)
        for (load, summary) in zip(snapshot.frameworks, summaries) {
            XCTAssertEqual(load.requirementsInScope, summary.inScope, load.id, file: file, line: line)
            XCTAssertEqual(load.readiness, summary.readiness, load.id, file: file, line: line)
            XCTAssertEqual(load.coverage, summary.coverage, load.id, file: file, line: line)
            XCTAssertEqual(load.audit ?? "", summary.auditKind, load.id, file: file, line: line)
            XCTAssertEqual(load.inScope, summary.framework.inScope, load.id, file: file, line: line)
        }
    }

    func testTheFiguresAreWhatTheFrameworksListingSays() throws {
        let workspace = try Fixtures.larkspur(typeII: true)
        try check(workspace)
        // A blocking gap on an implemented control and a justified "not applicable" move the
        // figures; they still agree.
        let controls = try workspace.read { try $0.controls() }
        let implemented = try XCTUnwrap(controls.first { $0.status == .implemented && !$0.requirements.isEmpty })
        let before = try workspace.read { try $0.frameworkSummaries() }.map(\.readiness)
        try workspace.write(Fixtures.actor()) { w in
            _ = try w.openGap(GapDraft(title: "Broken", severity: .critical, control: implemented.ref))
            try w.setStatus(controls: [controls.last!.ref], to: .notApplicable, justification: "Not offered")
        }
        XCTAssertNotEqual(try workspace.read { try $0.frameworkSummaries() }.map(\.readiness), before, "the edits change a figure")
        try check(workspace)
    }
}
