import AssureModel
import AssureTestSupport
import Foundation
import GRDB
import XCTest

@testable import AssureStore

/// Baselines and drift on an in-memory workspace. Collectors and their runs are plain rows here
/// (the collectors' own code records them the same way).
final class DriftTests: XCTestCase {
    var workspace: Workspace!
    var folder: URL!
    let alice = Fixtures.actor("alice")

    override func setUpWithError() throws {
        folder = try Fixtures.temporaryDirectory()
        workspace = try Fixtures.workspace(scope: Scope(company: "Acme", categories: [.security]), by: alice)
        try workspace.write(alice) { try $0.loadStarterLibrary() }
        try workspace.write(alice) { try $0.addOwner(Owner(name: "Dana Kim", role: "Head of Security")) }
        try workspace.write(alice) { try $0.assign(controls: ["AC-02"], owner: "Dana Kim") }
        try workspace.write(alice) { w in
            try w.db.execute(
                sql: """
                    INSERT INTO collector (name, control_id, command, format, created_by, created_at)
                    VALUES ('password-policy', (SELECT id FROM control WHERE ref = 'AC-02'), 'cat policy.json', 'json', 'alice', '2026-11-20T10:00:00Z'),
                           ('sshd-config', (SELECT id FROM control WHERE ref = 'AC-01'), 'cat sshd_config', 'text', 'alice', '2026-11-20T10:00:00Z')
                    """)
        }
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func file(_ name: String, _ text: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func collectorID(_ name: String) throws -> Int64 {
        try workspace.read { try Int64.fetchOne($0.db, sql: "SELECT id FROM collector WHERE name = ?", arguments: [name])! }
    }

    /// Records a run with `output` as its stdout and checks it for drift, as `collect` would.
    @discardableResult
    func run(_ collector: String, _ output: String, outcome: String = "passed", check: Bool = true) throws -> (run: Int64, drift: Int64?) {
        let path = try file("out-\(UUID().uuidString.prefix(6))", output)
        let id = try collectorID(collector)
        return try workspace.write(alice) { w in
            let stored = try BlobStore.put(w.db, path: path)
            let count = try Int.fetchOne(w.db, sql: "SELECT count(*) FROM collector_run") ?? 0
            let started = String(format: "2026-11-21T10:%02d:00Z", count)
            try w.db.execute(
                sql: """
                    INSERT INTO collector_run (collector_id, command, started_at, ended_at, exit_status, outcome, host, user, stdout_sha256, stdout_size)
                    VALUES (?, 'cmd', ?, ?, ?, ?, 'host', 'alice', ?, ?)
                    """, arguments: [id, started, started, outcome == "passed" ? 0 : 1, outcome, stored.sha256, stored.size])
            let runID = w.db.lastInsertedRowID
            return (runID, check ? try w.checkDrift(collectorID: id, runID: runID) : nil)
        }.value
    }

    func driftLog() throws -> [String] {
        try workspace.read { try $0.log(LogFilter()) }.filter { $0.entity == "drift" || $0.entity == "baseline" }
            .map { "\($0.entity) \($0.ref) \($0.field): \($0.after ?? "")" }
    }

    func testNoBaselineNoDriftThenDriftOpensOnceAndResolvesWhenARunMatches() throws {
        let approved = #"{"MinimumPasswordLength": 14, "exportedAt": "2026-11-01"}"#
        XCTAssertNil(try run("password-policy", approved).drift, "no baseline yet")
        let version = try workspace.write(alice) { try $0.setBaseline(collector: "password-policy", ignore: ["$.exportedAt"]) }.value
        XCTAssertEqual(version, 1)
        let base = try XCTUnwrap(try workspace.read { try $0.baselines(collector: "PASSWORD-POLICY") }.first)
        XCTAssertEqual(base.source, "run 1")
        XCTAssertEqual(base.ignore, ["$.exportedAt"])
        XCTAssertEqual(base.approvedBy, "alice")
        XCTAssertEqual(base.control, "AC-02")

        // Key order and the ignored timestamp do not count.
        XCTAssertNil(try run("password-policy", #"{"exportedAt": "2026-11-21", "MinimumPasswordLength": 14}"#).drift)
        let drifted = try run("password-policy", #"{"exportedAt": "2026-11-22", "MinimumPasswordLength": 8}"#)
        let driftID = try XCTUnwrap(drifted.drift)
        // The same difference again opens nothing new; a different one does.
        XCTAssertNil(try run("password-policy", #"{"MinimumPasswordLength": 8, "exportedAt": "2026-11-23"}"#).drift)
        var open = try workspace.read { try $0.driftEvents(openOnly: true) }
        XCTAssertEqual(open.count, 1)
        XCTAssertEqual(open[0].ref, "DRIFT-\(driftID)")
        XCTAssertEqual(open[0].diff, "~ $.MinimumPasswordLength: 14 -> 8")
        XCTAssertEqual(open[0].changedCount, 1)
        XCTAssertEqual(open[0].runID, drifted.run)
        XCTAssertEqual(open[0].control, "AC-02")
        XCTAssertEqual(open[0].baselineVersion, 1)
        XCTAssertNotNil(try run("password-policy", #"{"MinimumPasswordLength": 6}"#).drift)
        open = try workspace.read { try $0.driftEvents(openOnly: true) }
        XCTAssertEqual(open.count, 2)

        // Fixed: the next run matches, and every open event of the collector is resolved.
        XCTAssertNil(try run("password-policy", #"{"MinimumPasswordLength": 14}"#).drift)
        XCTAssertEqual(try workspace.read { try $0.driftEvents(openOnly: true) }.count, 0)
        let all = try workspace.read { try $0.driftEvents(openOnly: false) }
        XCTAssertEqual(all.map(\.resolution), ["matched", "matched"])
        XCTAssertEqual(all.map(\.resolvedBy), ["alice", "alice"])
        let log = try driftLog()
        XCTAssertTrue(
            log.contains("drift DRIFT-\(driftID) opened: password-policy run \(drifted.run) differs from baseline v1 (AC-02): 1 changed path"),
            "\(log)")
        XCTAssertTrue(log.contains("drift DRIFT-\(driftID) resolution: matched"), "\(log)")
        XCTAssertTrue(log.contains("baseline password-policy v1 ignore: $.exportedAt"), "\(log)")
    }

    func testFailedRunsAreNotComparedAndANewBaselineResolvesOpenDrift() throws {
        try run("sshd-config", "PermitRootLogin no\nPasswordAuthentication no\n")
        try workspace.write(alice) { try $0.setBaseline(collector: "sshd-config") }
        XCTAssertNil(try run("sshd-config", "garbage", outcome: "failed").drift)
        let drifted = try run("sshd-config", "PermitRootLogin yes\nPasswordAuthentication no\n")
        let event = try workspace.read { try $0.driftEvent("\(drifted.drift!)") }
        XCTAssertEqual(event.diff, "@@ -1,1 +1,1 @@\n-PermitRootLogin no\n+PermitRootLogin yes")
        XCTAssertEqual(event.changedCount, 2)

        // Approving the new output resolves the event in the same write, on the trail.
        let version = try workspace.write(alice) { try $0.setBaseline(collector: "sshd-config", fromRun: drifted.run) }.value
        XCTAssertEqual(version, 2)
        let resolved = try workspace.read { try $0.driftEvent("drift-\(drifted.drift!)") }
        XCTAssertEqual(resolved.status, "resolved")
        XCTAssertEqual(resolved.resolution, "new-baseline")
        XCTAssertNil(try run("sshd-config", "PermitRootLogin yes\nPasswordAuthentication no\n").drift, "matches v2")
        var text = ""
        let shown = try workspace.read { r in try r.readBaseline(collector: "sshd-config", version: 1) { text += String(decoding: $0, as: UTF8.self) }
        }
        XCTAssertEqual(shown.version, 1)
        XCTAssertEqual(text, "PermitRootLogin no\nPasswordAuthentication no\n")
        XCTAssertEqual(try workspace.read { try $0.baselines() }.map { "\($0.collector) v\($0.version)" }, ["sshd-config v1", "sshd-config v2"])
    }

    func testBaselineFromAFileIsCheckedAndBadInputChangesNothing() throws {
        let good = try file("policy.json", #"{"MinimumPasswordLength": 14}"#)
        let bad = try file("bad.json", "{\"a\": 1,\n}")
        func refused(_ message: String, _ body: @escaping (WorkspaceWriter) throws -> Void) throws {
            let before = try workspace.read { try Int.fetchOne($0.db, sql: "SELECT count(*) FROM change_log")! }
            XCTAssertThrowsError(try workspace.write(alice, body)) { XCTAssertTrue("\($0)".contains(message), "\($0)") }
            XCTAssertEqual(try workspace.read { try Int.fetchOne($0.db, sql: "SELECT count(*) FROM change_log")! }, before)
            XCTAssertEqual(try workspace.read { try Int.fetchOne($0.db, sql: "SELECT count(*) FROM baseline")! }, 0)
        }
        try refused("\(bad): not valid JSON at line 2, column 1") { try $0.setBaseline(collector: "password-policy", file: bad) }
        try refused("ignore path '$.a[': '[' is not closed") { try $0.setBaseline(collector: "password-policy", file: good, ignore: ["$.a["]) }
        try refused("password-policy has no passed run yet") { try $0.setBaseline(collector: "password-policy") }
        try refused("not both") { try $0.setBaseline(collector: "password-policy", fromRun: 1, file: good) }
        try refused("ignore paths apply only to a JSON collector") { try $0.setBaseline(collector: "sshd-config", file: good, ignore: ["$.a"]) }
        try refused("password-policy has no run 99") { try $0.setBaseline(collector: "password-policy", fromRun: 99) }
        try refused("unknown collector") { try $0.setBaseline(collector: "pasword-policy", file: good) }
        let failed = try run("password-policy", "{}", outcome: "failed", check: false)
        try refused("run \(failed.run) of password-policy failed") { try $0.setBaseline(collector: "password-policy", fromRun: failed.run) }

        XCTAssertEqual(try workspace.write(alice) { try $0.setBaseline(collector: "password-policy", file: good) }.value, 1)
        XCTAssertEqual(try workspace.read { try $0.baselines(collector: "password-policy") }.first?.source, "file policy.json")
        XCTAssertNotNil(try run("password-policy", "not json").drift)
        XCTAssertEqual(
            try workspace.read { try $0.driftEvents() }.first?.diff,
            "! $: the output is not valid JSON at line 1, column 1: unexpected character")
    }

    func testProposalsAndReportSection() throws {
        try run("password-policy", #"{"MinimumPasswordLength": 14}"#)
        try workspace.write(alice) { try $0.setBaseline(collector: "password-policy") }
        XCTAssertEqual(try workspace.read { try $0.driftProposals(today: "2026-11-21", existingKeys: []) }, [])
        XCTAssertFalse(try workspace.read { try $0.readinessReport(now: Fixtures.fixedDate) }.markdown().contains("Configuration drift"))

        let first = try XCTUnwrap(try run("password-policy", #"{"MinimumPasswordLength": 8}"#).drift)
        try run("password-policy", #"{"MinimumPasswordLength": 9}"#)
        let proposals = try workspace.read { try $0.driftProposals(today: "2026-11-21", existingKeys: []) }
        XCTAssertEqual(proposals.count, 1, "one per control")
        XCTAssertEqual(proposals[0].key, "drift:AC-02:\(first)")
        XCTAssertEqual(proposals[0].draft.severity, .high)
        XCTAssertEqual(proposals[0].draft.owner, "Dana Kim")
        XCTAssertEqual(proposals[0].draft.control, "AC-02")
        XCTAssertEqual(try workspace.read { try $0.driftProposals(today: "2026-11-21", existingKeys: ["drift:AC-02:\(first)"]) }, [])

        let report = try workspace.read { try $0.readinessReport(now: Fixtures.fixedDate) }
        let markdown = report.markdown()
        XCTAssertTrue(markdown.contains("## Configuration drift\n\n2 open drift events on 1 control"), markdown)
        XCTAssertTrue(markdown.contains("| DRIFT-\(first) | password-policy | AC-02 |"), markdown)
        XCTAssertTrue(report.html().contains("<h2>Configuration drift</h2>"))
    }
}
