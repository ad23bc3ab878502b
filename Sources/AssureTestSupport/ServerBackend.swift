import AssureModel
import AssureServerStore
import AssureStore
import Crypto
import Foundation
import XCTest

/// Which store the store tests run on: SQLite (the default), or a PostgreSQL server when
/// ASSURE_TEST_BACKEND=postgres, each test's workspace then being a server workspace reached
/// through a local copy, exactly as `-w postgres://...` opens one.
public enum TestBackend {
    public static let isServer = ProcessInfo.processInfo.environment["ASSURE_TEST_BACKEND"] == "postgres"
}

extension Fixtures {
    /// A new workspace for a store test: in memory, or on the server (see `TestBackend`).
    public static func workspace(scope: Scope, frameworks: [String] = [Framework.soc2ID], by actor: Actor = Actor("test")) throws -> Workspace {
        guard TestBackend.isServer else {
            return try InMemoryTemplates.workspace(key: "scope \(scope) \(frameworks) \(actor.name) \(actor.now.timeIntervalSince1970)") {
                try Workspace.inMemory(scope: scope, frameworks: frameworks, by: actor)
            }
        }
        return try ServerTemplates.workspace(key: "scope \(scope) \(frameworks) \(actor.name) \(actor.now.timeIntervalSince1970)") { path in
            try Workspace.create(path: path, scope: scope, frameworks: frameworks, by: actor).close()
        }
    }

    /// A sample's workspace for a store test: in memory, or on the server.
    public static func workspace(fromYAML text: String, sourcePath: String, by actor: Actor = Actor("test")) throws -> Workspace {
        guard TestBackend.isServer else {
            return try InMemoryTemplates.workspace(key: "yaml \(sourcePath) \(text) \(actor.name) \(actor.now.timeIntervalSince1970)") {
                try Workspace.inMemory(fromYAML: text, sourcePath: sourcePath, by: actor)
            }
        }
        return try ServerTemplates.workspace(key: "yaml \(sourcePath) \(text) \(actor.name) \(actor.now.timeIntervalSince1970)") { path in
            try Workspace.create(path: path, fromYAML: text, sourcePath: sourcePath, by: actor).close()
        }
    }
}

/// In-memory workspaces for the tests, made fast: each distinct starting workspace is built once
/// per test process (importing a sample takes about a second in a debug build) and every test
/// gets its own copy of it, so no test sees another's writes.
enum InMemoryTemplates {
    private static let lock = NSLock()
    /// Guarded by `lock`.
    nonisolated(unsafe) private static var templates: [String: Workspace] = [:]

    static func workspace(key: String, make: () throws -> Workspace) throws -> Workspace {
        lock.lock()
        defer { lock.unlock() }
        let template = try templates[key] ?? make()
        templates[key] = template
        return try template.inMemoryCopy()
    }
}

/// Server workspaces for the store tests, made fast: each distinct starting workspace is copied
/// to the server once, as a template database; each test gets a clone of it (CREATE DATABASE
/// ... TEMPLATE) and a local copy that is the template's file (the same rows, so nothing to
/// fetch). The clones are dropped when their test ends.
enum ServerTemplates {
    private struct Template {
        let database: String
        let file: String
        let workspaceID: String
    }

    private static let lock = NSLock()
    /// Guarded by `lock`.
    nonisolated(unsafe) private static var templates: [String: Template] = [:]
    /// Databases and folders made for the running test. Guarded by `lock`.
    nonisolated(unsafe) private static var made: [(database: String, folder: URL)] = []
    nonisolated(unsafe) private static var observing = false

    static func workspace(key: String, make: (String) throws -> Void) throws -> Workspace {
        lock.lock()
        defer { lock.unlock() }
        if !observing {
            XCTestObservationCenter.shared.addTestObserver(DropAfterEachTest())
            observing = true
        }
        let template = try templates[key] ?? makeTemplate(key: key, make: make)
        templates[key] = template
        let database = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20).lowercased()
        try cloneDatabase(database, from: template.database)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assure-server-\(database)")
        let servers = folder.appendingPathComponent("assure/servers")
        try FileManager.default.createDirectory(at: servers, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: template.file, toPath: servers.appendingPathComponent("\(template.workspaceID).assure").path)
        made.append((database, folder))
        var address = try ServerAddress(try TestServer.adminURL())
        address.database = database
        return try ServerWorkspace.open(address, readOnly: false, environment: ["XDG_CACHE_HOME": folder.path])
    }

    private static func makeTemplate(key: String, make: (String) throws -> Void) throws -> Template {
        let digest = SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
        let database = "tpl_" + digest.prefix(24)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assure-template-\(database)")
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("template.assure").path
        try make(file)
        try TestServer.admin("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
        try TestServer.admin("CREATE DATABASE \(database)")
        var address = try ServerAddress(try TestServer.adminURL())
        address.database = database
        _ = try CopyToServer.run(file: file, to: address)
        let id = try ServerSession.with(address) { session in try await ServerSchema.meta(session)["workspace_id"] ?? "" }
        return Template(database: database, file: file, workspaceID: id)
    }

    /// A clone of the template; tried again while the template's last session is still ending.
    private static func cloneDatabase(_ database: String, from template: String) throws {
        for attempt in 1...50 {
            do {
                return try TestServer.admin("CREATE DATABASE \(database) TEMPLATE \(template)")
            } catch  where attempt < 50 && "\(error)".contains("is being accessed by other users") {
                usleep(20_000)
            }
        }
    }

    /// After each test: its databases (connections and all) and its folders go.
    fileprivate static func dropMade() {
        lock.lock()
        let done = made
        made = []
        lock.unlock()
        for (database, folder) in done {
            try? TestServer.admin("DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
            try? FileManager.default.removeItem(at: folder)
        }
    }
}

private final class DropAfterEachTest: NSObject, XCTestObservation {
    func testCaseDidFinish(_ testCase: XCTestCase) { ServerTemplates.dropMade() }
}
