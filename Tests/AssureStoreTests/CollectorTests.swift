import AssureModel
import AssureTestSupport
import Foundation
import GRDB
import XCTest

@testable import AssureStore

/// Collectors in the store: their trail, each way a run ends, the allow-list and the lock.
final class CollectorTests: XCTestCase {
    var folder: URL!
    var workspace: Workspace!
    var trust: CollectorTrust!
    let alice = Actor("alice")

    override func setUpWithError() throws {
        folder = try Fixtures.temporaryDirectory()
        workspace = try Workspace.create(
            path: folder.appendingPathComponent("acme.assure").path,
            scope: Scope(company: "Acme", categories: [.security]), by: alice)
        try workspace.write(alice) { try $0.loadStarterLibrary() }
        trust = CollectorTrust(file: folder.appendingPathComponent("config/assure/allowed").path)
    }

    override func tearDownWithError() throws {
        try? workspace.close()
        try? FileManager.default.removeItem(at: folder)
    }

    var today: String { Timestamps.day(Date()) }

    /// Adds a collector and allows it, as `collector add` does.
    func add(
        _ name: String, _ command: String, control: String = "AC-03", every: CollectorEvery? = nil, timeout: Int = 60,
        format: CollectorFormat = .text, accept: Bool = false
    ) throws {
        try workspace.write(alice) {
            try $0.addCollector(
                CollectorDraft(
                    name: name, control: control, command: command, every: every, timeoutSeconds: timeout,
                    format: format, acceptOnSuccess: accept))
        }
        try trust.allow(workspacePath: workspace.path, collector: name, command: command)
    }

    func run(_ name: String, maxOutput: Int64? = nil) throws -> CollectorRunSummary {
        try workspace.runCollector(name, actor: alice, maxOutput: maxOutput, trust: trust)
    }

    func count(_ table: String) throws -> Int {
        try workspace.read { r in try Int.fetchOne(r.db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }

    func testAddEditRemoveAreOnTheTrail() throws {
        try add("okta-admins", "okta-admins.sh", every: .monthly)
        XCTAssertThrowsError(try add("OKTA-admins", "x")) { XCTAssertTrue("\($0)".contains("okta-admins"), "\($0)") }
        XCTAssertThrowsError(try add("bad name", "x")) { XCTAssertTrue("\($0)".contains("is not a collector name"), "\($0)") }
        XCTAssertThrowsError(try add("empty", "  ")) { XCTAssertTrue("\($0)".contains("needs a command"), "\($0)") }
        XCTAssertThrowsError(try add("nowhere", "x", control: "ZZ-99")) { XCTAssertTrue("\($0)".contains("ZZ-99"), "\($0)") }

        var edit = CollectorEdit()
        edit.command = "./okta-admins.sh --all"
        edit.every = .some(nil)
        edit.timeoutSeconds = 300
        XCTAssertEqual(try workspace.write(alice) { try $0.editCollector("okta-admins", edit) }.value, 3)
        XCTAssertEqual(try workspace.write(alice) { try $0.editCollector("okta-admins", edit) }.value, 0, "the same values change nothing")
        let stored = try workspace.read { try $0.collector("okta-admins", today: today) }
        XCTAssertEqual(stored.command, "./okta-admins.sh --all")
        XCTAssertNil(stored.every)
        XCTAssertEqual(stored.timeoutSeconds, 300)
        XCTAssertFalse(stored.due, "no schedule: never due")

        try workspace.write(alice) { try $0.removeCollector("okta-admins") }
        XCTAssertEqual(try workspace.read { try $0.collectors(today: today) }.count, 0)
        XCTAssertEqual(try workspace.read { try $0.collectors(today: today, includeRemoved: true) }.map(\.status), ["removed"])
        XCTAssertThrowsError(try workspace.runCollector("okta-admins", actor: alice, trust: trust))

        let log = try workspace.read { try $0.log(LogFilter()) }.filter { $0.entity == "collector" }
        XCTAssertEqual(log.filter { $0.field == "command" }.map { $0.after }, ["okta-admins.sh", "./okta-admins.sh --all"])
        XCTAssertEqual(log.last.map { "\($0.field) \($0.before ?? "-") -> \($0.after ?? "-")" }, "status active -> removed")
    }

    func testAPassedRunBecomesEvidenceWithItsOutputAndProvenance() throws {
        try "{\"minimum_length\": 14}\n".write(to: folder.appendingPathComponent("policy.json"), atomically: true, encoding: .utf8)
        try add("password-policy", "cat policy.json; echo note >&2", control: "AC-07", every: .weekly, format: .json, accept: true)
        XCTAssertTrue(try workspace.read { try $0.collectors(today: today) }[0].due, "never run: due")
        let result = try run("password-policy")
        XCTAssertEqual(result.outcome, .passed)
        XCTAssertEqual(result.exitStatus, 0)
        XCTAssertEqual(result.evidence, "EV-1")
        XCTAssertTrue(result.accepted)
        XCTAssertEqual(result.stdoutSize, 23)
        XCTAssertNotNil(result.stderrSHA256, "stderr is kept beside the output")

        let item = try workspace.read { try $0.evidenceItem("EV-1", today: today) }
        XCTAssertEqual(item.control, "AC-07")
        XCTAssertEqual(item.source, "password-policy")
        XCTAssertEqual(item.review, .accepted)
        XCTAssertEqual(item.reviewNote, "accepted automatically: collector exited 0")
        XCTAssertEqual(item.provedFrom, today)
        XCTAssertTrue(item.note.contains("`cat policy.json; echo note >&2`") && item.note.contains("exit 0"), item.note)
        XCTAssertEqual(item.files.first?.sha256, result.stdoutSHA256)
        var bytes = Data()
        _ = try workspace.read { try $0.readEvidenceFile("EV-1") { bytes.append($0) } }
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "{\"minimum_length\": 14}\n")

        let listed = try workspace.read { try $0.collectors(today: today) }[0]
        XCTAssertEqual(listed.lastRun?.outcome, .passed)
        XCTAssertEqual(listed.lastPassed, today)
        XCTAssertFalse(listed.due, "passed today; weekly: not due again")
        XCTAssertEqual(listed.nextDue, CollectorSchedule.nextDue(every: .weekly, lastPassedDay: today, today: today))
        let log = try workspace.read { try $0.log(LogFilter()) }
        XCTAssertEqual(log.last { $0.entity == "collector" }?.after, "run \(result.id) passed (EV-1)")
    }

    func testAFailingCommandIsRecordedWithItsReasonAndNeverBecomesEvidence() throws {
        try add("broken", "echo partial; echo 'bucket not found' >&2; exit 3")
        let result = try run("broken")
        XCTAssertEqual(result.outcome, .failed)
        XCTAssertEqual(result.exitStatus, 3)
        XCTAssertEqual(result.reason, "exit 3: bucket not found")
        XCTAssertNil(result.evidence)
        XCTAssertEqual(try count("evidence"), 0)
        XCTAssertEqual(try workspace.read { try $0.collectorRuns(collector: "broken", limit: 5) }.map(\.reason), ["exit 3: bucket not found"])
    }

    func testAHangingCommandIsKilledAtItsTimeout() throws {
        try add("slow", "sleep 30", timeout: 1)
        let start = Date()
        let result = try run("slow")
        // A bound from the command, not from the machine: it was stopped, not left to sleep 30 s.
        XCTAssertLessThan(Date().timeIntervalSince(start), 29)
        XCTAssertEqual(result.outcome, .timedOut)
        XCTAssertNil(result.exitStatus)
        XCTAssertEqual(try count("evidence"), 0)
    }

    func testABackgroundProcessHoldingTheOutputDoesNotHoldTheRun() throws {
        try add("detached", "sleep 30 & echo started", timeout: 20)
        let start = Date()
        let result = try run("detached")
        // Neither the background sleep (30 s) nor the timeout (20 s) was waited for.
        XCTAssertLessThan(Date().timeIntervalSince(start), 19)
        XCTAssertEqual(result.outcome, .passed)
        XCTAssertEqual(result.stdoutSize, 8)
    }

    func testAPipelineIsKilledWholeAtItsTimeout() throws {
        let marker = folder.appendingPathComponent("survivor").path
        try add("pipeline", "(sleep 3; touch '\(marker)') | cat", timeout: 1)
        XCTAssertEqual(try run("pipeline").outcome, .timedOut)
        Thread.sleep(forTimeInterval: 3.5)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "every process of the run was killed")
    }

    func testOutputPastTheLimitIsKilledAndNotKept() throws {
        try add("big", "head -c 100000000 /dev/zero")
        let result = try run("big", maxOutput: 1 << 20)
        XCTAssertEqual(result.outcome, .tooLarge)
        XCTAssertEqual(result.reason, "output passed 1.0 MiB; the command was killed")
        XCTAssertNil(result.stdoutSHA256)
        XCTAssertEqual(try count("blob"), 0, "nothing of the output is stored")
    }

    func testJSONCollectorRefusesOutputThatIsNotJSON() throws {
        try add("config", "echo '{not json'", format: .json)
        let result = try run("config")
        XCTAssertEqual(result.outcome, .failed)
        XCTAssertTrue(result.reason.hasPrefix("output is not JSON: "), result.reason)
        XCTAssertEqual(try count("evidence"), 0)
    }

    func testACommandRunsOnlyWhileAllowedAndAChangeNeedsApprovalAgain() throws {
        try workspace.write(alice) { try $0.addCollector(CollectorDraft(name: "copied", control: "AC-03", command: "echo hi")) }
        XCTAssertThrowsError(try run("copied")) { error in
            XCTAssertEqual("\(error)", "copied is not allowed on this machine: review its command and run `assure collector allow copied`")
        }
        XCTAssertEqual(try count("collector_run"), 0, "refused before running: nothing recorded")
        try trust.allow(workspacePath: workspace.path, collector: "copied", command: "echo hi")
        XCTAssertEqual(try run("copied").outcome, .passed)

        var edit = CollectorEdit()
        edit.command = "echo changed"
        try workspace.write(alice) { try $0.editCollector("copied", edit) }
        XCTAssertEqual(trust.status(workspacePath: workspace.path, collector: "copied", command: "echo changed"), .changed)
        XCTAssertThrowsError(try run("copied")) { error in XCTAssertTrue("\(error)".contains("its command changed since it was allowed"), "\(error)")
        }
        try trust.allow(workspacePath: workspace.path, collector: "copied", command: "echo changed")
        XCTAssertEqual(try run("copied").outcome, .passed)
        XCTAssertEqual(trust.entries().count, 1, "a new allowance replaces the old one")

        // A copy of the workspace elsewhere is another workspace.
        let copy = folder.appendingPathComponent("copy.assure").path
        try FileManager.default.copyItem(atPath: workspace.path, toPath: copy)
        XCTAssertEqual(trust.status(workspacePath: copy, collector: "copied", command: "echo changed"), .notAllowed)
    }

    func testRunsNeverOverlap() throws {
        try add("quick", "echo hi")
        let held = try XCTUnwrap(try CollectLock.acquire(workspacePath: workspace.path))
        XCTAssertNil(try CollectLock.acquire(workspacePath: workspace.path, wait: 0.2))
        XCTAssertThrowsError(try run("quick")) { XCTAssertTrue($0 is CollectorBusy, "\($0)") }
        XCTAssertEqual(try workspace.runCollector("quick", actor: alice, trust: trust, lock: held).outcome, .passed, "the holder may run")
        withExtendedLifetime(held) {}
    }

    func testTheCommandRunsInTheWorkspaceFolderWithTheCallersEnvironment() throws {
        setenv("ASSURE_TEST_SECRET", "s3cret", 1)
        defer { unsetenv("ASSURE_TEST_SECRET") }
        try add("where", "pwd; echo $ASSURE_TEST_SECRET; cat")
        let result = try run("where")
        XCTAssertEqual(result.outcome, .passed)
        var bytes = Data()
        _ = try workspace.read { try $0.readEvidenceFile(result.evidence!) { bytes.append($0) } }
        let expected = CollectorTrust.identity(workspacePath: folder.path)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "\(expected)\ns3cret\n", "stdin is empty; cat ends at once")
        let stored = try workspace.read { r in try String.fetchAll(r.db, sql: "SELECT command FROM collector") }
        XCTAssertFalse(stored.joined().contains("s3cret"), "the secret stays in the environment")
    }
}
