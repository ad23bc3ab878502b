import AssureServerStore
import AssureStore
import AssureTestSupport
import Foundation
import XCTest

/// `assure copy` as a user runs it, against a real PostgreSQL server.
final class CopyCommandTests: CLITestCase {
    func testCopyToAServerAndBackVerifiesWithTheSameHead() throws {
        try makeLarkspur()
        let address = try TestServer.freshDatabase()
        let url = try TestServer.url(of: address)
        let up = try assure("copy", "larkspur.assure", url)
        assertSucceeds(up)
        XCTAssertTrue(up.stdout.contains("to \(address.description)"), up.stdout)
        XCTAssertFalse(up.stdout.contains(try XCTUnwrap(address.urlPassword)), "the password is never printed")
        let down = try assure("copy", url, "back.assure")
        assertSucceeds(down)
        let logLine = try XCTUnwrap(up.stdout.split(separator: "\n").last)
        XCTAssertEqual(down.stdout.split(separator: "\n").last, logLine, "the same rows and the same head both ways")

        let original = try assure("verify", "-w", "larkspur.assure")
        let copy = try assure("verify", "-w", "back.assure")
        assertSucceeds(copy)
        XCTAssertEqual(copy.stdout, original.stdout)
        let head = try XCTUnwrap(logLine.split(separator: " ").last.map(String.init))
        assertSucceeds(try assure("verify", "-w", "back.assure", "--expect", head))
    }

    func testBadCopiesSayWhyAndExitNonZero() throws {
        try makeLarkspur()
        let bothFiles = try assure("copy", "larkspur.assure", "other.assure")
        XCTAssertNotEqual(bothFiles.exitCode, 0)
        XCTAssertTrue(bothFiles.stderr.contains("both are files"), bothFiles.stderr)

        let badPort = try assure("copy", "larkspur.assure", "postgres://me:secret@localhost:99999/x")
        XCTAssertNotEqual(badPort.exitCode, 0)
        XCTAssertTrue(badPort.stderr.contains("port 99999"), badPort.stderr)
        XCTAssertFalse(badPort.stderr.contains("secret"), badPort.stderr)

        let badMode = try assure("copy", "larkspur.assure", "postgres://me@localhost/x?sslmode=always")
        XCTAssertTrue(badMode.stderr.contains("sslmode always is not one of disable, allow, prefer, require, verify-ca, verify-full"), badMode.stderr)

        let missing = try assure("copy", "nothing-here.assure", try TestServer.url(of: try TestServer.freshDatabase()))
        XCTAssertNotEqual(missing.exitCode, 0)
        XCTAssertTrue(missing.stderr.contains("nothing-here.assure"), missing.stderr)
    }

    /// The copy is killed with SIGKILL while its COPY is streaming: the server rolls the whole
    /// transaction back, so the database holds no workspace, not half of one.
    func testACopyKilledMidwayLeavesNothingOnTheServer() throws {
        let big = path("big.assure")
        try Workspace.synthetic(path: big, controls: 300, owners: 20, gaps: 300, logRows: 50_000).close()
        let address = try TestServer.freshDatabase()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["copy", big, try TestServer.url(of: address)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the server is receiving the change log's rows, then kill the client.
        var copying = false
        for _ in 0..<600 where !copying {
            copying = try TestServer.activeCopies(database: address.database) > 0
            if !copying { usleep(20_000) }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertTrue(copying, "the copy was seen streaming before it was killed")
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        // The server notices the closed connection and aborts its transaction.
        for _ in 0..<500 where try TestServer.activeCopies(database: address.database) > 0 { usleep(20_000) }
        let exists = try ServerSession.with(address) { session in try await ServerSchema.exists(session) }
        XCTAssertFalse(exists, "nothing of the killed copy is left")
        // And the database takes a whole copy afterwards.
        assertSucceeds(try assure("copy", big, try TestServer.url(of: address)))
    }
}
