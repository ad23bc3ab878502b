import AssureServerStore
import Foundation
import XCTest

/// postgres:// URLs read as libpq reads them, and the password looked up as libpq does.
final class ServerAddressTests: XCTestCase {
    let none: [String: String] = [:]

    func testAFullURL() throws {
        let address = try ServerAddress(
            "postgres://al%40ice:p%3Ass@db.example.com:6543/acme%20corp?sslmode=verify-full", environment: none, login: "me")
        XCTAssertEqual(address.host, "db.example.com")
        XCTAssertEqual(address.port, 6543)
        XCTAssertEqual(address.user, "al@ice")
        XCTAssertEqual(address.urlPassword, "p:ss")
        XCTAssertEqual(address.database, "acme corp")
        XCTAssertEqual(address.sslMode, .verifyFull)
        XCTAssertEqual(address.description, "postgres://al%40ice@db.example.com:6543/acme%20corp")
        XCTAssertFalse(address.description.contains("p:ss") || address.description.contains("p%3Ass"))
    }

    func testWhatTheURLLeavesOutComesFromTheEnvironmentThenLibpqDefaults() throws {
        let bare = try ServerAddress("postgresql://", environment: none, login: "me")
        XCTAssertEqual([bare.host, String(bare.port), bare.user, bare.database], ["localhost", "5432", "me", "me"])
        XCTAssertEqual(bare.sslMode, .prefer)
        let environment = ["PGHOST": "pg.internal", "PGPORT": "5433", "PGUSER": "svc", "PGDATABASE": "grc", "PGSSLMODE": "require"]
        let fromEnvironment = try ServerAddress("postgres://", environment: environment, login: "me")
        XCTAssertEqual(
            [fromEnvironment.host, String(fromEnvironment.port), fromEnvironment.user, fromEnvironment.database],
            ["pg.internal", "5433", "svc", "grc"])
        XCTAssertEqual(fromEnvironment.sslMode, .require)
        let urlWins = try ServerAddress("postgres://bob@h2:1/db2?sslmode=disable", environment: environment, login: "me")
        XCTAssertEqual([urlWins.host, String(urlWins.port), urlWins.user, urlWins.database], ["h2", "1", "bob", "db2"])
        XCTAssertEqual(urlWins.sslMode, .disable)
    }

    func testASocketFolderAndAnIPv6Host() throws {
        let socket = try ServerAddress("postgres:///acme?host=/var/run/postgresql&port=5434", environment: none, login: "me")
        XCTAssertEqual(socket.host, "/var/run/postgresql")
        XCTAssertEqual(socket.port, 5434)
        XCTAssertEqual(socket.description, "postgres://me@/acme?host=/var/run/postgresql&port=5434")
        let ipv6 = try ServerAddress("postgres://me@[::1]:5432/acme", environment: none, login: "me")
        XCTAssertEqual(ipv6.host, "::1")
        XCTAssertEqual(ipv6.description, "postgres://me@[::1]:5432/acme")
    }

    func testBadURLsAreRefusedWithoutShowingThePassword() {
        let cases = [
            ("postgres://me:hunter2@h:0/x", "port 0 in postgres://me:***@h:0/x is not a port number"),
            ("postgres://me:hunter2@h/x?sslmode=on", "sslmode on is not one of disable, allow, prefer, require, verify-ca, verify-full"),
            ("postgres://me:hunter2@h/x?sslcert=a.pem", "unknown parameter sslcert in postgres://me:***@h/x?sslcert=a.pem"),
            ("mysql://me:hunter2@h/x", "mysql://me:***@h/x is not a postgres:// URL"),
            ("postgres://h/x?connect_timeout=-1", "connect_timeout -1 is not a number of seconds"),
        ]
        for (url, message) in cases {
            XCTAssertThrowsError(try ServerAddress(url, environment: none, login: "me"), url) { error in
                XCTAssertTrue("\(error)".contains(message), "\(url): \(error)")
                XCTAssertFalse("\(error)".contains("hunter2"), "\(url): \(error)")
            }
        }
    }

    func testThePasswordFromTheURLThenPGPASSWORDThenThePasswordFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("pgpass").path
        try """
        # host:port:database:user:password
        other.host:*:*:*:not-this
        db.example.com:6543:acme:alice:first\\:match
        *:*:*:alice:wildcard
        localhost:5432:*:bob:over-the-socket

        """.write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        let environment = ["PGPASSFILE": file]
        let address = try ServerAddress("postgres://alice@db.example.com:6543/acme", environment: none, login: "me")
        XCTAssertEqual(address.password(environment: environment), "first:match")
        XCTAssertEqual(
            try ServerAddress("postgres://alice@elsewhere/acme", environment: none, login: "me").password(environment: environment), "wildcard")
        XCTAssertEqual(
            try ServerAddress("postgres:///acme?host=/run/pg", environment: none, login: "bob").password(environment: environment),
            "over-the-socket")
        XCTAssertEqual(address.password(environment: environment.merging(["PGPASSWORD": "from-env"]) { $1 }), "from-env")
        XCTAssertEqual(
            try ServerAddress("postgres://alice:in-url@h/acme", environment: none, login: "me").password(environment: environment), "in-url")
        XCTAssertNil(try ServerAddress("postgres://carol@h/acme", environment: none, login: "me").password(environment: environment))
        // A password file others may read is ignored, as libpq ignores it.
        chmod(file, 0o644)
        XCTAssertNil(address.password(environment: environment))
    }

    /// Each workspace's roles are cluster-wide names made from its database's name: within
    /// PostgreSQL's 63 bytes, and distinct for long names that begin alike.
    func testRoleNamesFitAndNeverCollide() {
        XCTAssertEqual(ServerRoles.memberRole("acme"), "assure_acme_member")
        let long = String(repeating: "compliance_programme_", count: 3)
        let first = ServerRoles.memberRole(long + "emea")
        let second = ServerRoles.memberRole(long + "apac")
        XCTAssertNotEqual(first, second)
        for name in [first, second, ServerRoles.memberRole(String(repeating: "é", count: 60))] {
            XCTAssertLessThanOrEqual(name.utf8.count, 63, name)
            XCTAssertTrue(name.hasPrefix("assure_") && name.hasSuffix("_member"), name)
        }
    }
}
