import AssureServerStore
import AssureStore
import AssureTestSupport
import Foundation
import XCTest

/// Commands on a postgres:// workspace, as a team uses them.
final class ServerWorkspaceCLITests: CLITestCase {
    func testCommandsTakeAURLAndRolesHold() throws {
        try makeLarkspur()
        let address = try TestServer.freshDatabase()
        let url = try TestServer.url(of: address)
        assertSucceeds(try assure("copy", "larkspur.assure", url))

        let status = try assure("status", "-w", url)
        assertSucceeds(status)
        XCTAssertEqual(status.stdout, try assure("status", "-w", "larkspur.assure").stdout, "the same workspace, read from the server")

        assertSucceeds(try assure("assign", "AC-02", "Omar Haddad", environment: ["ASSURE_WORKSPACE": url]))
        let log = try assure("log", "--limit", "1", "--format", "json", "-w", url)
        assertSucceeds(log)
        XCTAssertTrue(log.stdout.contains("\"actor\": \"assure_admin\""), "the change names the server login: \(log.stdout)")
        XCTAssertTrue(log.stdout.contains("\"after\": \"Omar Haddad\""), log.stdout)

        assertSucceeds(try assure("access", "grant", "vera", "viewer", "-w", url))
        assertSucceeds(try assure("access", "grant", "omar", "owner", "--owner", "Omar Haddad", "-w", url))
        let list = try assure("access", "list", "--format", "json", "-w", url)
        assertSucceeds(list)
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(entries.map { "\($0["person"]!) \($0["role"]!)" }, ["assure_admin admin", "omar owner", "vera viewer"])
        XCTAssertEqual(entries[1]["owner"] as? String, "Omar Haddad")

        // Vera logs in and tries to change something.
        try TestServer.admin("ALTER ROLE vera PASSWORD 'pw-vera'")
        var vera = address
        vera.user = "vera"
        vera.urlPassword = "pw-vera"
        let refused = try assure("assign", "AC-03", "Omar Haddad", "-w", try TestServer.url(of: vera))
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertTrue(refused.stderr.contains("vera is a viewer, who changes nothing; an editor or admin may make this change"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("nothing was written"), refused.stderr)
        let granted = try assure("access", "grant", "mallory", "admin", "-w", try TestServer.url(of: vera))
        XCTAssertEqual(granted.exitCode, 1)
        XCTAssertTrue(granted.stderr.contains("vera's role is viewer; only an admin grants or revokes access"), granted.stderr)

        let verify = try assure("verify", "-w", url)
        assertSucceeds(verify)
        XCTAssertTrue(verify.stdout.hasPrefix("ok: "), verify.stdout)

        // An edit made on the server behind assure's back (the tables' owner can): the local
        // copy never saw it, and verify still finds it, on the server.
        try ServerSession.with(address) { session in try await session.execute("UPDATE assure.change_log SET after = 'forged' WHERE id = 5") }
        let tampered = try assure("verify", "-w", url)
        XCTAssertEqual(tampered.exitCode, 1)
        XCTAssertTrue(tampered.stderr.contains("on the server, change-log row 5 does not hash or link as recorded"), tampered.stderr)

        let onAFile = try assure("access", "list", "-w", "larkspur.assure")
        XCTAssertEqual(onAFile.exitCode, 1)
        XCTAssertTrue(onAFile.stderr.contains("access is for a server workspace"), onAFile.stderr)
    }

    /// Writers killed with SIGKILL at random moments (before, during and after the server takes
    /// their write): the server's chain stays whole, and both the killed writers' copy and a new
    /// one verify against it.
    func testWritersKilledAtRandomLeaveTheServerAndTheCopiesWhole() throws {
        try makeLarkspur()
        let address = try TestServer.freshDatabase()
        let url = try TestServer.url(of: address)
        assertSucceeds(try assure("copy", "larkspur.assure", url))
        let owners = ["Omar Haddad", "Priya Raman", "Tomasz Nowak", "Aisha Bello"]
        var random = SystemRandomNumberGenerator()
        var killed = 0
        for round in 0..<16 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = ["assign", "AC-0\(round % 9 + 1)", owners[round % owners.count], "-w", url]
            process.environment = ["HOME": folder.path, "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 0..<250_000, using: &random))
            if process.isRunning { killed += 1 }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let chain = try ServerChainCheck.run(address)
        XCTAssertNil(chain.firstBadRow)
        assertSucceeds(try assure("verify", "-w", url))
        let fresh = folder.appendingPathComponent("fresh")
        try FileManager.default.createDirectory(at: fresh, withIntermediateDirectories: true)
        let verifyFresh = try assure("verify", "-w", url, environment: ["HOME": fresh.path])
        assertSucceeds(verifyFresh)
        XCTAssertTrue(verifyFresh.stdout.contains("ok: \(chain.rows) change-log rows"), verifyFresh.stdout)
        XCTAssertGreaterThan(killed, 0, "some writers were killed while running")
    }
}
