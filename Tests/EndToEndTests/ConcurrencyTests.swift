import AssureApp
import AssureStore
import AssureTestSupport
import Foundation
import TerminalUI
import Workbench
import XCTest

/// Two processes on one workspace file.
final class ConcurrencyTests: CLITestCase {
    func testTwoProcessesWritingAtOnceLoseNothing() throws {
        try makeLarkspur()
        let before = try Workspace.open(path: path("larkspur.assure"))
        let gapsBefore = try before.read { try $0.gaps() }.count
        let logBefore = try before.read { try $0.log() }.count
        try before.close()
        let rounds = 25
        let binary = Self.binary
        let folderPath = folder.path
        @Sendable func writer(_ name: String) throws -> ProcessResult {
            // Each writer opens gaps and reassigns controls in a loop, as two people in a meeting would.
            let script = """
                for i in $(seq 1 \(rounds)); do
                  "$0" gap open --title "\(name) gap $i" --severity low --as \(name) -w larkspur.assure >/dev/null || exit 1
                  "$0" assign AC-0$((i % 9 + 1)) "\(name == "p1" ? "Dana Kim" : "Omar Haddad")" --as \(name) -w larkspur.assure >/dev/null || exit 1
                done
                """
            return try runProcess(
                "/bin/sh", ["-c", script, binary], environment: ["PATH": "/usr/bin:/bin"],
                currentDirectory: folderPath)
        }
        nonisolated(unsafe) var results: [String: ProcessResult] = [:]  // written only under `lock`
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            let name = "p\(i + 1)"
            let result = try? writer(name)
            lock.lock(); results[name] = result; lock.unlock()
        }
        XCTAssertEqual(results["p1"]?.exitCode, 0, results["p1"]?.stderr ?? "")
        XCTAssertEqual(results["p2"]?.exitCode, 0, results["p2"]?.stderr ?? "")

        let workspace = try Workspace.open(path: path("larkspur.assure"))
        let gaps = try workspace.read { try $0.gaps() }
        XCTAssertEqual(gaps.count, gapsBefore + 2 * rounds, "no gap lost")
        XCTAssertEqual(Set(gaps.map(\.ref)).count, gaps.count, "no reference handed out twice")
        for name in ["p1", "p2"] {
            XCTAssertEqual(gaps.filter { $0.title.hasPrefix("\(name) gap ") }.count, rounds)
            let created = try workspace.read { try $0.log(LogFilter(actor: name)) }.filter { $0.field == "created" }
            XCTAssertEqual(created.count, rounds, "every change of \(name) is in the log")
        }
        XCTAssertGreaterThan(try workspace.read { try $0.log() }.count, logBefore + 2 * rounds)
        XCTAssertTrue(try workspace.read { try $0.verifyChain() }.isIntact)
    }

    func testAnOpenWorkbenchShowsAnotherProcessEditOnItsIdleTick() throws {
        try makeLarkspur()
        let file = path("larkspur.assure")
        let terminal = HeadlessTerminal(width: 120, height: 40)
        let runtime = try Runtime(store: WorkspaceAdapter(try Workspace.open(path: file), actor: "dana"), terminal: terminal)
        runtime.runUntilIdle()
        terminal.press(.char("2"))
        runtime.runUntilIdle()
        /// The Controls row of AC-01 (its owner column is at the end of the row).
        func row() -> String {
            terminal.screenText.split(separator: "\n").first { $0.contains("AC-01 ") && $0.contains("SSO") }.map(String.init) ?? ""
        }
        XCTAssertTrue(row().contains("D. Kim"), terminal.screenText)
        // Another process (the command line) reassigns AC-01.
        assertSucceeds(try assure("assign", "AC-01", "Priya Raman", "--as", "omar", "-w", file))
        runtime.runUntilIdle()  // the idle tick polls the change token and reloads
        XCTAssertTrue(row().contains("P. Raman"), terminal.screenText)
        XCTAssertTrue(terminal.screenText.contains("last change: owner Dana Kim → Priya Raman by omar"), terminal.screenText)
    }
}
