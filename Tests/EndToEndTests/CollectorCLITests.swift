import AssureStore
import AssureTestSupport
import Foundation
import XCTest

/// `assure collector` and `assure collect` through the built binary: each way a run ends, the
/// schedule, the lock, and a workspace copied to another home folder.
final class CollectorCLITests: CLITestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        assertSucceeds(try assure("init", "acme.assure", "--company", "Acme"))
    }

    func write(_ name: String, _ text: String) throws { try text.write(toFile: path(name), atomically: true, encoding: .utf8) }

    func list(environment: [String: String] = [:]) throws -> [[String: Any]] {
        let result = try assure("collector", "list", "--format", "json", environment: environment)
        assertSucceeds(result)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
    }

    func evidenceCount() throws -> Int {
        let result = try assure("evidence", "list", "--format", "json")
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [Any])?.count ?? -1
    }

    func testCollectKeepsOutputAsEvidenceAndAcceptsOnSuccess() throws {
        try write("policy.json", "{\"MinimumPasswordLength\": 14}\n")
        let added = try assure(
            "collector", "add", "password-policy", "--control", "AC-07", "--run", "cat policy.json", "--every", "weekly",
            "--format", "json", "--accept-on-success")
        assertSucceeds(added)
        XCTAssertEqual(added.stdout, "password-policy: collects evidence for AC-07 weekly (timeout 1m, json); allowed on this machine\n")
        let collected = try assure("collect", "password-policy")
        assertSucceeds(collected)
        XCTAssertTrue(collected.stdout.hasPrefix("password-policy: passed in "), collected.stdout)
        XCTAssertTrue(collected.stdout.contains("30 bytes kept as EV-1 for AC-07 (accepted automatically)"), collected.stdout)
        let evidence = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(try assure("evidence", "list", "--format", "json").stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(evidence.first?["source"] as? String, "password-policy")
        XCTAssertEqual(evidence.first?["review"] as? String, "accepted")
        assertSucceeds(try assure("evidence", "get", "EV-1", "-o", path("back.json")))
        XCTAssertEqual(try String(contentsOfFile: path("back.json"), encoding: .utf8), "{\"MinimumPasswordLength\": 14}\n")
        let row = try XCTUnwrap(try list().first)
        XCTAssertEqual(row["name"] as? String, "password-policy")
        XCTAssertEqual(row["outcome"] as? String, "passed")
        XCTAssertEqual(row["allowed"] as? String, "yes")
        let shown = try assure("collector", "show", "password-policy")
        XCTAssertTrue(shown.stdout.contains("Command:   cat policy.json") && shown.stdout.contains("EV-1"), shown.stdout)
    }

    func testFailuresAreShownRecordedAndExitOne() throws {
        assertSucceeds(try assure("collector", "add", "slow", "--control", "AC-03", "--run", "sleep 30", "--timeout", "1s"))
        assertSucceeds(try assure("collector", "add", "big", "--control", "AC-03", "--run", "head -c 100000000 /dev/zero"))
        assertSucceeds(try assure("collector", "add", "broken", "--control", "AC-03", "--run", "echo 'access denied' >&2; exit 2"))
        assertSucceeds(try assure("collector", "add", "config", "--control", "AC-03", "--run", "echo '{\"a\": '", "--format", "json"))

        let start = Date()
        let slow = try assure("collect", "slow")
        XCTAssertLessThan(Date().timeIntervalSince(start), 29, "killed at its timeout, not left to sleep 30 s")
        XCTAssertEqual(slow.exitCode, 1)
        XCTAssertEqual(slow.stdout, "slow: timed-out: no result after 1s; the command was killed\n")

        let big = try assure("collect", "big", "--max-output", "1M")
        XCTAssertEqual(big.exitCode, 1)
        XCTAssertEqual(big.stdout, "big: too-large: output passed 1.0 MiB; the command was killed\n")
        // The default limit (50 MiB) through the environment variable's absence: still killed, memory stays small.
        let bigDefault = try runProcess(
            "/usr/bin/time", ["-f", "%M", Self.binary, "collect", "big"],
            environment: ["PATH": "/usr/bin:/bin", "HOME": folder.path, "ASSURE_USER": "tester", "TMPDIR": folder.path],
            currentDirectory: folder.path)
        if bigDefault.exitCode != 127, let kilobytes = Int(bigDefault.stderr.split(separator: "\n").last ?? "") {
            XCTAssertTrue(bigDefault.stdout.contains("output passed 50.0 MiB"), bigDefault.stdout)
            XCTAssertLessThan(kilobytes, 200_000, "100 MB of output is streamed, never held whole")
        }
        let viaEnvironment = try assure("collect", "big", environment: ["ASSURE_COLLECT_MAX_OUTPUT": "64K"])
        XCTAssertTrue(viaEnvironment.stdout.contains("output passed 64.0 KiB"), viaEnvironment.stdout)

        let broken = try assure("collect", "broken")
        XCTAssertEqual(broken.exitCode, 1)
        XCTAssertEqual(broken.stdout, "broken: failed: exit 2: access denied\n")

        let config = try assure("collect", "config")
        XCTAssertEqual(config.exitCode, 1)
        XCTAssertTrue(config.stdout.hasPrefix("config: failed: output is not JSON: "), config.stdout)

        XCTAssertEqual(try evidenceCount(), 0, "a failed run is never stored as evidence")
        let outcomes = Dictionary(uniqueKeysWithValues: try list().map { ($0["name"] as! String, $0["outcome"] as? String) })
        XCTAssertEqual(outcomes, ["big": "too-large", "broken": "failed", "config": "failed", "slow": "timed-out"])
        let runs = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(try assure("collector", "show", "broken", "--format", "json").stdout.utf8))
                as? [[String: Any]])
        XCTAssertEqual(runs.first?["exit"] as? String, "2")
        XCTAssertEqual(runs.first?["reason"] as? String, "exit 2: access denied")
    }

    /// `collect --format json` (or csv): one row per collector for scripts and schedulers, the
    /// human lines on standard error so standard output stays whole.
    func testCollectAsJSONAndCSV() throws {
        assertSucceeds(try assure("collector", "add", "users", "--control", "AC-03", "--run", "echo alice"))
        assertSucceeds(try assure("collector", "add", "broken", "--control", "AC-03", "--run", "echo 'access denied' >&2; exit 2"))
        let collected = try assure("collect", "--format", "json")
        XCTAssertEqual(collected.exitCode, 1, "a run failed")
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(collected.stdout.utf8)) as? [[String: Any]], collected.stdout)
        XCTAssertEqual(rows.map { $0["collector"] as? String }, ["broken", "users"])
        XCTAssertEqual(rows.map { $0["outcome"] as? String }, ["failed", "passed"])
        XCTAssertEqual(rows[0]["exit"] as? String, "2")
        XCTAssertEqual(rows[0]["reason"] as? String, "exit 2: access denied")
        XCTAssertTrue(rows[0]["evidence"] is NSNull, "a failed run keeps no evidence")
        XCTAssertEqual(rows[1]["evidence"] as? String, "EV-1")
        XCTAssertEqual(rows[1]["control"] as? String, "AC-03")
        XCTAssertNotNil(rows[1]["run"] as? Int)
        XCTAssertTrue(collected.stderr.contains("broken: failed: exit 2: access denied"), collected.stderr)

        let csv = try assure("collect", "users", "--format", "csv")
        assertSucceeds(csv)
        let lines = csv.stdout.split(separator: "\r\n").map(String.init)
        XCTAssertEqual(lines.first, "Collector,Control,Run,Outcome,Exit,Evidence,Drift,Reason")
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[1].hasPrefix("users,AC-03,"), lines[1])
        XCTAssertTrue(lines[1].contains(",passed,0,EV-2,"), lines[1])

        // Nothing due: still a JSON array, the reason on standard error.
        assertSucceeds(try assure("collector", "remove", "broken"))
        let none = try assure("collect", "--due", "--format", "json")
        assertSucceeds(none)
        XCTAssertEqual(none.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "[]")
        XCTAssertEqual(none.stderr, "nothing is due\n")
    }

    func testDueRunsOnlyWhatIsDueAndIsSafeToRepeat() throws {
        assertSucceeds(try assure("collector", "add", "daily-list", "--control", "AC-03", "--run", "echo alice", "--every", "daily"))
        assertSucceeds(try assure("collector", "add", "manual", "--control", "AC-03", "--run", "echo manual"))
        let first = try assure("collect", "--due")
        assertSucceeds(first)
        XCTAssertTrue(first.stdout.hasPrefix("daily-list: passed"), first.stdout)
        XCTAssertFalse(first.stdout.contains("manual"), "a collector without a schedule runs only when named")
        let second = try assure("collect", "--due")
        assertSucceeds(second)
        XCTAssertEqual(second.stdout, "nothing is due\n")
        XCTAssertEqual(try evidenceCount(), 1)

        // Another collect holding the lock: --due gives up quietly, a named run fails.
        let lock = try XCTUnwrap(try CollectLock.acquire(workspacePath: path("acme.assure")))
        let busyDue = try assure("collect", "--due")
        XCTAssertEqual(busyDue.exitCode, 0)
        XCTAssertTrue(busyDue.stdout.contains("another `assure collect` is running"), busyDue.stdout)
        let busyNamed = try assure("collect", "manual")
        XCTAssertEqual(busyNamed.exitCode, 1)
        XCTAssertTrue(busyNamed.stderr.contains("another `assure collect` is running"), busyNamed.stderr)
        withExtendedLifetime(lock) {}
    }

    func testACopiedWorkspaceRefusesToRunUntilAllowedAndAgainAfterAChange() throws {
        try write("users.txt", "alice\nbob\n")
        assertSucceeds(try assure("collector", "add", "users", "--control", "AC-03", "--run", "cat users.txt"))
        assertSucceeds(try assure("collect", "users"))

        // Someone else's home folder (and config folder) on the same files.
        let other = folder.appendingPathComponent("other-home").path
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        let elsewhere = ["HOME": other, "XDG_CONFIG_HOME": other + "/.config"]
        let refused = try assure("collect", "users", environment: elsewhere)
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertEqual(refused.stdout, "users is not allowed on this machine: review its command and run `assure collector allow users`\n")
        XCTAssertEqual(try list(environment: elsewhere).first?["allowed"] as? String, "not allowed")
        let allowed = try assure("collector", "allow", "users", environment: elsewhere)
        assertSucceeds(allowed)
        XCTAssertEqual(allowed.stdout, "users: allowed on this machine: cat users.txt\n")
        XCTAssertTrue(try String(contentsOfFile: other + "/.config/assure/allowed", encoding: .utf8).contains("\tusers\t"))
        assertSucceeds(try assure("collect", "users", environment: elsewhere))

        // The first user changes the command (allowed for them, as they typed it); the other must approve it again.
        assertSucceeds(try assure("collector", "edit", "users", "--run", "cat users.txt | sort"))
        assertSucceeds(try assure("collect", "users"))
        let changed = try assure("collect", "users", environment: elsewhere)
        XCTAssertEqual(changed.exitCode, 1)
        XCTAssertTrue(changed.stdout.contains("its command changed since it was allowed"), changed.stdout)
        XCTAssertEqual(try list(environment: elsewhere).first?["allowed"] as? String, "command changed")
        assertSucceeds(try assure("collector", "allow", "users", environment: elsewhere))
        assertSucceeds(try assure("collect", "users", environment: elsewhere))
        XCTAssertEqual(try evidenceCount(), 4)
    }

    func testRemoveKeepsHistoryAndBadInputIsRefused() throws {
        assertSucceeds(try assure("collector", "add", "users", "--control", "AC-03", "--run", "echo alice"))
        assertSucceeds(try assure("collect", "users"))
        let bad = try assure("collector", "add", "x", "--control", "AC-03", "--run", "true", "--timeout", "forever")
        XCTAssertNotEqual(bad.exitCode, 0)
        XCTAssertTrue(bad.stderr.contains("'forever' is not a timeout"), bad.stderr)
        let unknown = try assure("collect", "userz")
        XCTAssertNotEqual(unknown.exitCode, 0)
        XCTAssertTrue(unknown.stderr.contains("userz"), unknown.stderr)
        assertSucceeds(try assure("collector", "remove", "users"))
        XCTAssertEqual(try list().count, 0)
        let shown = try assure("collector", "show", "users")
        XCTAssertTrue(shown.stdout.contains("(removed)") && shown.stdout.contains("EV-1"), shown.stdout)
        XCTAssertEqual(try evidenceCount(), 1, "its evidence stays")
    }
}
