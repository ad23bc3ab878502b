import AssureStore
import AssureTestSupport
import Foundation
import XCTest

/// `assure baseline` and `assure drift` through the built binary. The collector, its runs and a
/// drift row are written with sqlite3 (skipped where it is missing), so these tests do not
/// depend on running commands; the full loop through `collect` is the last test.
final class DriftCLITests: CLITestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        assertSucceeds(try assure("init", "acme.assure", "--company", "Acme"))
    }

    func write(_ name: String, _ text: String) throws { try text.write(toFile: path(name), atomically: true, encoding: .utf8) }

    @discardableResult
    func sql(_ statement: String) throws -> String {
        let result = try runProcess("/usr/bin/env", ["sqlite3", path("acme.assure"), statement], environment: ProcessInfo.processInfo.environment)
        guard result.exitCode == 0 else { throw XCTSkip("sqlite3 is not available: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func addCollector(_ name: String, control: String, format: String) throws {
        try sql(
            """
            INSERT INTO collector (name, control_id, command, format, created_by, created_at)
            VALUES ('\(name)', (SELECT id FROM control WHERE ref = '\(control)'), 'cat x', '\(format)', 'tester', '2026-11-20T10:00:00Z')
            """)
    }

    /// A passed run whose stdout is `text`, stored as a one-chunk blob; returns its id.
    func addRun(_ collector: String, _ text: String) throws -> Int {
        try write("run.out", text)
        let sha = try FileDigest.sha256(path: path("run.out"))
        let hex = text.utf8.map { String(format: "%02x", $0) }.joined()
        return Int(
            try sql(
                """
                INSERT OR IGNORE INTO blob (sha256, size, chunks) VALUES ('\(sha)', \(text.utf8.count), 1);
                INSERT OR IGNORE INTO blob_chunk (sha256, seq, data) VALUES ('\(sha)', 0, X'\(hex)');
                INSERT INTO collector_run (collector_id, command, started_at, ended_at, exit_status, outcome, host, user, stdout_sha256, stdout_size)
                VALUES ((SELECT id FROM collector WHERE name = '\(collector)'), 'cat x', '2026-11-21T10:00:00Z', '2026-11-21T10:00:01Z', 0, 'passed',
                        'host', 'tester', '\(sha)', \(text.utf8.count));
                SELECT last_insert_rowid();
                """))!
    }

    func testBaselineSetShowListAndRefusals() throws {
        try addCollector("password-policy", control: "AC-02", format: "json")
        try write("policy.json", "{\"MinimumPasswordLength\": 14,\n \"exportedAt\": \"2026-11-01\"}\n")
        try write("bad.json", "{\"a\": 1,\n}")
        let logBefore = try assure("verify").stdout

        let bad = try assure("baseline", "set", "password-policy", "--file", path("bad.json"))
        XCTAssertNotEqual(bad.exitCode, 0)
        XCTAssertTrue(bad.stderr.contains("bad.json: not valid JSON at line 2, column 1"), bad.stderr)
        let badPath = try assure("baseline", "set", "password-policy", "--file", path("policy.json"), "--ignore", "$..id")
        XCTAssertNotEqual(badPath.exitCode, 0)
        XCTAssertTrue(badPath.stderr.contains("ignore path '$..id': recursive descent (..) is not supported"), badPath.stderr)
        let noRun = try assure("baseline", "set", "password-policy")
        XCTAssertNotEqual(noRun.exitCode, 0)
        XCTAssertTrue(noRun.stderr.contains("password-policy has no passed run yet"), noRun.stderr)
        XCTAssertEqual(try assure("verify").stdout, logBefore, "refusals leave the workspace unchanged")
        XCTAssertEqual(try assure("baseline", "list").stdout, "(none)\n")

        let set = try assure("baseline", "set", "password-policy", "--file", path("policy.json"), "--ignore", "$.exportedAt")
        assertSucceeds(set)
        XCTAssertTrue(set.stdout.hasPrefix("password-policy baseline v1 approved: file policy.json, 59 bytes, ignoring $.exportedAt"), set.stdout)

        let shown = try assure("baseline", "show", "password-policy")
        assertSucceeds(shown)
        XCTAssertTrue(shown.stdout.contains("password-policy baseline v1  AC-02  json  59 bytes"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("Ignoring: $.exportedAt"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("\n{\"MinimumPasswordLength\": 14,\n"), shown.stdout)

        let listed = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(try assure("baseline", "list", "--format", "json").stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(listed.count, 1)
        XCTAssertEqual(listed[0]["collector"] as? String, "password-policy")
        XCTAssertEqual(listed[0]["version"] as? Int, 1)
        XCTAssertEqual(listed[0]["ignore"] as? [String], ["$.exportedAt"])
        XCTAssertEqual(listed[0]["approved_by"] as? String, "tester")
        let missing = try assure("baseline", "show", "password-policy", "--version", "3")
        XCTAssertNotEqual(missing.exitCode, 0)
        XCTAssertTrue(missing.stderr.contains("password-policy has no baseline version 3; it has v1"), missing.stderr)
        XCTAssertTrue(try assure("log").stdout.contains("password-policy v1"), "on the trail")
    }

    func testDriftListShowAndResolveByNewBaseline() throws {
        try addCollector("sshd", control: "AC-01", format: "text")
        _ = try addRun("sshd", "PermitRootLogin no\n\u{1B}[2J# end\n")
        assertSucceeds(try assure("baseline", "set", "sshd"))
        let baseline = try assure("baseline", "show", "sshd").stdout
        XCTAssertTrue(baseline.hasSuffix("\nPermitRootLogin no\n [2J# end\n"), baseline)
        XCTAssertFalse(baseline.contains("\u{1B}"), "no escape sequence reaches the terminal")
        let second = try addRun("sshd", "PermitRootLogin yes\n")
        // A drift row as checkDrift writes it, with an escape sequence that must not reach the terminal.
        try sql(
            """
            INSERT INTO drift (collector_id, run_id, baseline_id, diff) VALUES ((SELECT id FROM collector WHERE name = 'sshd'), \(second),
              (SELECT id FROM baseline), '@@ -1,1 +1,1 @@' || char(10) || '-PermitRootLogin no' || char(10) || '+PermitRootLogin yes' || char(27) || '[2J')
            """)
        XCTAssertEqual(
            try assure("drift").stdout,
            """
            ID       Collector  Control  Run  Detected              Changed  Status
            DRIFT-1  sshd       AC-01      \(second)  2026-11-21T10:00:01Z        2  open

            """)
        let json = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(try assure("drift", "list", "--format", "json").stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(json.first?["id"] as? String, "DRIFT-1")
        XCTAssertEqual(json.first?["changed"] as? Int, 2)
        XCTAssertEqual(json.first?["baseline"] as? String, "v1")

        let shown = try assure("drift", "show", "drift-1")
        assertSucceeds(shown)
        XCTAssertEqual(
            shown.stdout,
            """
            DRIFT-1  sshd  AC-01  open
            Run \(second), ended 2026-11-21T10:00:01Z, compared with baseline v1: 2 changed

            @@ -1,1 +1,1 @@
            -PermitRootLogin no
            +PermitRootLogin yes [2J

            """)
        let unknown = try assure("drift", "show", "DRIFT-9")
        XCTAssertNotEqual(unknown.exitCode, 0)
        XCTAssertTrue(unknown.stderr.contains("unknown drift event"), unknown.stderr)

        // Approving the new output resolves the event.
        let approved = try assure("baseline", "set", "sshd", "--from-run", "\(second)")
        assertSucceeds(approved)
        XCTAssertTrue(approved.stdout.contains("sshd baseline v2 approved: run \(second)"), approved.stdout)
        XCTAssertTrue(approved.stdout.contains("1 open drift event resolved (new-baseline)"), approved.stdout)
        XCTAssertEqual(try assure("drift").stdout, "(none)\n")
        let all = try assure("drift", "--all", "--format", "csv").stdout
        XCTAssertTrue(all.contains("DRIFT-1,sshd,AC-01,\(second),v1,2026-11-21T10:00:01Z,2,resolved,new-baseline,tester,"), all)
    }

    /// The whole loop through the collectors' own commands, when they are there.
    func testCollectBaselineDriftAndMatchThroughCollect() throws {
        guard try assure("collector", "--help").exitCode == 0 else { throw XCTSkip("the collector commands are not registered yet") }
        try write("policy.json", #"{"MinimumPasswordLength": 14, "exportedAt": "2026-11-01"}"#)
        assertSucceeds(try assure("collector", "add", "password-policy", "--control", "AC-02", "--run", "cat policy.json", "--format", "json"))
        assertSucceeds(try assure("collect", "password-policy"))
        assertSucceeds(try assure("baseline", "set", "password-policy", "--ignore", "$.exportedAt"))
        try write("policy.json", #"{"exportedAt": "2026-11-22", "MinimumPasswordLength": 8}"#)
        assertSucceeds(try assure("collect", "password-policy"))
        let shown = try assure("drift", "show", "DRIFT-1")
        assertSucceeds(shown)
        XCTAssertTrue(shown.stdout.hasSuffix("~ $.MinimumPasswordLength: 14 -> 8\n"), shown.stdout)
        try write("policy.json", #"{"MinimumPasswordLength": 14, "exportedAt": "2026-11-23"}"#)
        assertSucceeds(try assure("collect", "password-policy"))
        XCTAssertEqual(try assure("drift").stdout, "(none)\n")
        XCTAssertTrue(try assure("drift", "--all").stdout.contains("resolved"))
    }
}
