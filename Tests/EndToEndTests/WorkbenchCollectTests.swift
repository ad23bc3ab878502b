import AssureApp
import AssureModel
import AssureStore
import AssureTestSupport
import Foundation
import TerminalUI
import Workbench
import XCTest

/// Collecting from the workbench on a real workspace file whose collectors this (test) machine
/// has allowed: a run that still differs keeps the drift open, a fixed configuration resolves it
/// (`matched`), and a command that hangs is stopped at its timeout and recorded, never as evidence.
final class WorkbenchCollectTests: XCTestCase {
    func testCollectResolveAndTimeOutFromTheEvidencePane() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("larkspur.assure").path
        let workspace = try Workspace.create(
            path: path, fromYAML: try Fixtures.sampleText("larkspur-health"),
            sourcePath: Fixtures.repositoryRoot.appendingPathComponent("samples/larkspur-health.yaml").path,
            by: Fixtures.actor())
        defer { try? workspace.close() }
        let trust = CollectorTrust(file: folder.appendingPathComponent("allowed").path)
        try trust.allow(workspacePath: path, collector: "aws-password-policy", command: "cat larkspur-password-policy.json")
        let terminal = HeadlessTerminal(width: 120, height: 40)
        let runtime = try Runtime(
            store: WorkspaceAdapter(workspace, actor: "tester", clock: { Fixtures.fixedDate }, trust: trust), terminal: terminal)
        runtime.runUntilIdle()
        func press(_ keys: String...) {
            for key in keys { terminal.press(KeyNames.parse(key)!) }
            runtime.runUntilIdle()
        }
        func runs() throws -> [CollectorRunSummary] { try workspace.read { try $0.collectorRuns(collector: "aws-password-policy", limit: 10) } }

        // d, Enter: AC-09 in the Evidence pane; c runs its collector: the export is still weak.
        press("d", "Enter")
        XCTAssertEqual(runtime.state.selectedLedgerRow?.control, "AC-09")
        press("c")
        XCTAssertTrue(terminal.screenText.contains("aws-password-policy passed (EV-20)"), terminal.screenText)
        XCTAssertEqual(try runs().count, 3)
        XCTAssertEqual(runtime.state.snapshot.drift.map(\.ref), ["DRIFT-1"], "the same difference opens no new event")

        // The setting is fixed (the file the command reads): the next run matches the baseline.
        let policy = folder.appendingPathComponent("larkspur-password-policy.json")
        let fixed = try String(contentsOf: policy, encoding: .utf8)
            .replacingOccurrences(of: "\"MinimumPasswordLength\": 8,", with: "\"MinimumPasswordLength\": 14,")
            .replacingOccurrences(of: "\"HardExpiry\": false", with: "\"PasswordReusePrevention\": 24,\n    \"HardExpiry\": false")
        try fixed.write(to: policy, atomically: true, encoding: .utf8)
        press("c")
        XCTAssertTrue(runtime.state.snapshot.drift.isEmpty, terminal.screenText)
        XCTAssertEqual(try workspace.read { try $0.driftEvents(openOnly: false) }.first?.resolution, "matched")

        // A command that hangs is stopped at its timeout: recorded as timed-out, shown, no evidence.
        try workspace.write(Fixtures.actor()) { w in
            var edit = CollectorEdit()
            edit.command = "sleep 30"
            edit.timeoutSeconds = 1
            _ = try w.editCollector("aws-password-policy", edit)
        }
        try trust.allow(workspacePath: path, collector: "aws-password-policy", command: "sleep 30")
        let evidenceBefore = try workspace.read { try $0.evidence(today: Fixtures.today) }.count
        let started = Date()
        press("c")
        XCTAssertLessThan(Date().timeIntervalSince(started), 29, "stopped at its timeout, not left to sleep 30 s")
        XCTAssertTrue(terminal.screenText.contains("aws-password-policy timed-out"), terminal.screenText)
        XCTAssertEqual(try runs().first?.outcome, .timedOut)
        XCTAssertEqual(try workspace.read { try $0.evidence(today: Fixtures.today) }.count, evidenceBefore)
    }
}
