import AssureTestSupport
import Foundation
import XCTest

/// A writer killed with SIGKILL at random moments loses nothing it acknowledged: every write
/// is one transaction, committed before the command prints that it is done.
final class KillTests: CLITestCase {
    /// Rounds per run; `ASSURE_KILL_ROUNDS=1000` makes a longer soak outside CI.
    var rounds: Int { Int(ProcessInfo.processInfo.environment["ASSURE_KILL_ROUNDS"] ?? "") ?? 8 }

    func testAcknowledgedWritesSurviveKillNine() throws {
        try makeLarkspur()
        guard let pkill = ["/usr/bin/pkill", "/bin/pkill"].first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw XCTSkip("pkill (procps) is needed to kill the writer's running command")
        }
        var generator = SystemRandomNumberGenerator()
        var acknowledged: [String: String] = [:]  // GAP-N -> title
        for round in 0..<rounds {
            let log = path("round-\(round).out")
            FileManager.default.createFile(atPath: log, contents: nil)
            // A shell that opens gaps one after another, each an `assure` process, printing each reference.
            let script = """
                i=0
                while true; do
                  i=$((i+1))
                  "$0" gap open --title "kill \(round) $i" --severity low -w larkspur.assure >> \(log) || exit 1
                done
                """
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script, Self.binary]
            process.currentDirectoryURL = folder
            process.environment = ["PATH": "/usr/bin:/bin", "ASSURE_USER": "writer", "HOME": folder.path, "TMPDIR": folder.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Let it write for a while, then kill at an arbitrary moment: stop the loop so it starts
            // nothing new, kill the `assure` it is running (wherever that is in its write), then the loop.
            usleep(UInt32.random(in: 150_000...600_000, using: &generator))
            let shell = process.processIdentifier
            kill(shell, SIGSTOP)
            _ = try runProcess(pkill, ["-KILL", "-P", String(shell)])
            kill(shell, SIGKILL)
            process.waitUntilExit()
            let output = try String(contentsOfFile: log, encoding: .utf8)
            for line in output.split(separator: "\n") where line.hasPrefix("Opened ") {
                // "Opened GAP-31: kill 0 4"
                let parts = line.dropFirst("Opened ".count).split(separator: ":", maxSplits: 1)
                guard parts.count == 2 else { continue }
                acknowledged[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        XCTAssertGreaterThan(acknowledged.count, rounds, "the writers acknowledged some gaps before being killed")
        let listing = try assure("gaps", "--format", "json", "-w", "larkspur.assure")
        assertSucceeds(listing)
        let gaps = try JSONSerialization.jsonObject(with: Data(listing.stdout.utf8)) as! [[String: Any]]
        let stored = Dictionary(gaps.map { ($0["ref"] as! String, $0["title"] as! String) }, uniquingKeysWith: { a, _ in a })
        for (ref, title) in acknowledged {
            XCTAssertEqual(stored[ref], title, "\(ref) was acknowledged and must be there")
        }
        assertSucceeds(try assure("verify", "-w", "larkspur.assure"))
        if let sqlite3 = ["/usr/bin/sqlite3", "/bin/sqlite3"].first(where: FileManager.default.isExecutableFile(atPath:)) {
            let check = try runProcess(sqlite3, [path("larkspur.assure"), "PRAGMA integrity_check"])
            XCTAssertEqual(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "ok")
        }
    }
}
