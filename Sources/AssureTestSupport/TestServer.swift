import AssureServerStore
import AssureStore
import Foundation
import XCTest

/// The PostgreSQL server these tests run against: the one ASSURE_TEST_POSTGRES_URL names (CI
/// starts a throwaway cluster and sets it), else a throwaway cluster this test process starts
/// with `Tests/postgres-cluster` and stops when it exits. Each test gets a database of its own.
public enum TestServer {
    /// The administrator's URL, or why there is no server (PostgreSQL not installed).
    private static let cluster: Result<String, any Error> = {
        if let url = ProcessInfo.processInfo.environment["ASSURE_TEST_POSTGRES_URL"], !url.isEmpty { return .success(url) }
        let folder = "/tmp/assure-pg-\(getpid())"
        clusterFolder = folder
        let script = Fixtures.repositoryRoot.appendingPathComponent("Tests/postgres-cluster").path
        do {
            let started = try runProcess(script, ["start", folder])
            if started.exitCode == 3 { return .failure(XCTSkip("PostgreSQL is not installed: \(started.stderr)")) }
            guard started.exitCode == 0 else { return .failure(ServerError.server("postgres-cluster start failed: \(started.stderr)")) }
            atexit { stopCluster() }
            return .success(started.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            return .failure(error)
        }
    }()
    /// Set once, while `cluster` is first computed (Swift runs that initialiser exactly once,
    /// under its own lock), and read only by the exit handler after the tests.
    nonisolated(unsafe) private static var clusterFolder: String?

    private static func stopCluster() {
        guard let folder = clusterFolder else { return }
        let script = Fixtures.repositoryRoot.appendingPathComponent("Tests/postgres-cluster").path
        _ = try? runProcess(script, ["stop", folder])
    }

    public static func adminURL() throws -> String { try cluster.get() }

    /// The certificate the test server's TLS uses (its own authority): ASSURE_TEST_POSTGRES_CERT
    /// with ASSURE_TEST_POSTGRES_URL, else the one Tests/postgres-cluster made.
    package static func certificate() throws -> String {
        _ = try adminURL()
        if let file = ProcessInfo.processInfo.environment["ASSURE_TEST_POSTGRES_CERT"], !file.isEmpty { return file }
        guard let folder = clusterFolder else { throw XCTSkip("ASSURE_TEST_POSTGRES_URL is set without ASSURE_TEST_POSTGRES_CERT") }
        return folder + "/server.crt"
    }

    /// A new, empty database; the address of it, as the administrator.
    package static func freshDatabase() throws -> ServerAddress {
        let url = try adminURL()
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try admin("CREATE DATABASE \(name)")
        var address = try ServerAddress(url)
        address.database = name
        return address
    }

    /// Runs one statement on the administrator's database (CREATE DATABASE, CREATE ROLE).
    package static func admin(_ sql: String) throws {
        try ServerSession.with(try ServerAddress(try adminURL())) { session in try await session.execute(sql) }
    }

    /// The URL of `address` with its password, as a user would type it.
    package static func url(of address: ServerAddress) throws -> String {
        let password = address.urlPassword.map { ":" + $0 } ?? ""
        return "postgres://\(address.user)\(password)@\(address.host):\(address.port)/\(address.database)?sslmode=disable"
    }

    /// How many sessions are running a COPY into `database` right now.
    package static func activeCopies(database: String) throws -> Int {
        let address = try ServerAddress(try adminURL())
        return try ServerSession.with(address) { session in
            try await session.rows(
                "SELECT count(*)::bigint FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'COPY%' AND state = 'active'",
                [.text(database)]
            ).first!.decode(Int.self)
        }
    }

    /// The Larkspur sample as `folder/larkspur.assure`, copied onto a new database: its address.
    package static func larkspurOnServer(in folder: URL) throws -> ServerAddress {
        let file = folder.appendingPathComponent("larkspur.assure").path
        try Workspace.create(
            path: file, fromYAML: try Fixtures.sampleText("larkspur-health"), sourcePath: "samples/larkspur-health.yaml", by: Fixtures.actor()
        ).close()
        let address = try freshDatabase()
        _ = try CopyToServer.run(file: file, to: address)
        return address
    }
}
