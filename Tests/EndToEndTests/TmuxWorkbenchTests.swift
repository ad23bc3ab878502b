import AssureTestSupport
import Foundation
import XCTest

/// The real binary on the real ncurses screen, inside tmux.
final class TmuxWorkbenchTests: CLITestCase {
    func testMeetingFlowOnTheRealScreen() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else { throw XCTSkip("tmux is not installed") }
        let session = try TmuxSession(
            width: 120, height: 40, directory: folder.path,
            environment: [
                "PATH": "/usr/bin:/bin", "TMPDIR": folder.path, "ASSURE_USER": "dana", "LANG": "C.UTF-8", "TERM": "xterm-256color",
            ])
        defer { session.kill() }
        try session.runLine("PS1='$ '; \(Self.binary) demo; echo \"exit=$?\"")
        XCTAssertTrue(try session.waitFor("1 Criteria"), session.screen)
        XCTAssertTrue(session.screen.contains("Larkspur Health"))

        // Move, filter, help.
        try session.press("j", "j", "Enter")
        XCTAssertTrue(try session.waitFor("2 Controls · CC1.1 (5)"), session.screen)
        try session.press("t", "/")
        try session.type("backup")
        XCTAssertTrue(try session.waitFor("/backup"), session.screen)
        try session.press("Enter", "?")
        XCTAssertTrue(try session.waitFor("Help · Esc closes"), session.screen)
        try session.press("Escape")
        XCTAssertTrue(try session.waitFor("? help"), session.screen)

        // Assign an owner through the picker.
        try session.press("a")
        XCTAssertTrue(try session.waitFor("Owner of"), session.screen)
        try session.type("sofia")
        try session.press("Enter")
        XCTAssertTrue(try session.waitFor("owner: Sofia Alvarez · z to undo"), session.screen)

        // Remediate the most urgent gap, then undo it.
        try session.press("Escape", "4", "r")
        XCTAssertTrue(try session.waitFor("What was done to remediate GAP-1?"), session.screen)
        try session.type("Failover exercised in us-west-2")
        try session.press("Enter")
        XCTAssertTrue(try session.waitFor("GAP-1 remediated · z to undo"), session.screen)
        try session.press("z")
        XCTAssertTrue(try session.waitFor("undone: GAP-1 status: open"), session.screen)

        // Quit: the terminal is restored and the shell prompt works.
        try session.press("q")
        XCTAssertTrue(try session.waitFor("exit=0"), session.screen)
        try session.runLine("echo prompt-$((40+2))")
        XCTAssertTrue(try session.waitFor("prompt-42"), session.screen)

        // The change log agrees with what happened on screen, and its chain is intact.
        let demos = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("assure-demo-") }
        let workspace = folder.appendingPathComponent(try XCTUnwrap(demos.first)).appendingPathComponent("larkspur-health.assure").path
        let log = try assure("log", "-w", workspace, "--actor", "dana", "--format", "csv")
        assertSucceeds(log)
        XCTAssertTrue(log.stdout.contains(",dana,control,"), log.stdout)
        XCTAssertTrue(log.stdout.contains(",owner,") && log.stdout.contains("Sofia Alvarez"), log.stdout)
        XCTAssertTrue(log.stdout.contains("GAP-1,status,open,remediated"), log.stdout)
        XCTAssertTrue(log.stdout.contains("GAP-1,status,remediated,open"), "the undo is a recorded change")
        let verify = try assure("verify", "-w", workspace)
        assertSucceeds(verify)
        let head = try assure("log", "-w", workspace, "--limit", "1")
        XCTAssertTrue(head.stdout.contains("chain head: "))
        XCTAssertTrue(verify.stdout.contains(head.stdout.components(separatedBy: "chain head: ")[1].trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    func testTheEvidencePaneOnTheRealScreen() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else { throw XCTSkip("tmux is not installed") }
        // A workspace with a Type II window and one evidence item, pending review.
        assertSucceeds(try assure("init", "acme.assure", "--company", "Acme"))
        assertSucceeds(try assure("target", "-w", "acme.assure", "--type", "2", "--window-start", "2026-01-01", "--window", "6m"))
        try "SSO enforced for every app\n".write(toFile: path("sso-config.txt"), atomically: true, encoding: .utf8)
        assertSucceeds(try assure("evidence", "add", "-w", "acme.assure", "AC-01", "sso-config.txt", "--effective", "2026-01-20"))
        let session = try TmuxSession(
            width: 120, height: 40, directory: folder.path,
            environment: [
                "PATH": "/usr/bin:/bin", "ASSURE_USER": "dana", "LANG": "C.UTF-8", "TERM": "xterm-256color",
            ])
        defer { session.kill() }
        try session.runLine("PS1='$ '; \(Self.binary) acme.assure; echo \"exit=$?\"")
        XCTAssertTrue(try session.waitFor("1 Criteria"), session.screen)

        // ] ] reaches the Type II set: AC-01's one occurrence is missing until its evidence is accepted.
        try session.press("]", "]")
        XCTAssertTrue(try session.waitFor("6 Evidence · 2026-01-01..2026-06-30"), session.screen)
        XCTAssertTrue(try session.waitFor("│ AC-01   continuous  ✗"), session.screen)
        XCTAssertTrue(session.screen.contains("evidence (1): EV-1 2026-01-20 pending v1 sso-config.txt"), session.screen)

        try session.press("y")
        XCTAssertTrue(try session.waitFor("Accept EV-1 (AC-01, proves 2026-01-20)?"), session.screen)
        try session.type("IdP settings export checked")
        try session.press("Enter")
        XCTAssertTrue(try session.waitFor("EV-1 accepted · z to undo"), session.screen)
        XCTAssertTrue(try session.waitFor("│ AC-01   continuous  ●"), "the occurrence is evidenced now\n\(session.screen)")

        // z takes the review back; the file on the log agrees.
        try session.press("z")
        XCTAssertTrue(try session.waitFor("undone: EV-1 review: pending"), session.screen)
        try session.press("q")
        XCTAssertTrue(try session.waitFor("exit=0"), session.screen)
        let log = try assure("log", "-w", "acme.assure", "--format", "csv")
        XCTAssertTrue(log.stdout.contains("dana,evidence,EV-1,review,pending,accepted"), log.stdout)
        XCTAssertTrue(log.stdout.contains("dana,evidence,EV-1,review,accepted,pending"), log.stdout)
        assertSucceeds(try assure("verify", "-w", "acme.assure"))
    }

    func testSIGTERMRestoresTheTerminal() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else { throw XCTSkip("tmux is not installed") }
        try makeLarkspur()
        let session = try TmuxSession(
            width: 100, height: 30, directory: folder.path,
            environment: [
                "PATH": "/usr/bin:/bin", "ASSURE_USER": "dana", "LANG": "C.UTF-8", "TERM": "xterm-256color",
            ])
        defer { session.kill() }
        try session.runLine("PS1='$ '; \(Self.binary) larkspur.assure & pid=$!; fg")
        XCTAssertTrue(try session.waitFor("1 Criteria"), session.screen)
        let pids = try runProcess("/usr/bin/pgrep", ["-f", "\(Self.binary) larkspur.assure"]).stdout.split(separator: "\n")
        let pid = try XCTUnwrap(pids.first.flatMap { Int32($0) })
        kill(pid, SIGTERM)
        XCTAssertTrue(try session.waitFor("$ "), session.screen)
        try session.runLine("echo after-$((6*7))")
        XCTAssertTrue(try session.waitFor("after-42"), session.screen)
        XCTAssertFalse(session.screen.contains("1 Criteria"), "the alternate screen is gone")
    }

    func testNotATerminalIsRefusedCleanly() throws {
        try makeLarkspur()
        let result = try assure("larkspur.assure")
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertTrue(result.stderr.contains("not attached to a terminal"), result.stderr)
        let bad = try assure("open", "missing.assure")
        XCTAssertEqual(bad.exitCode, 1)
        XCTAssertTrue(bad.stderr.contains("missing.assure: no such workspace file"), bad.stderr)
    }
}
