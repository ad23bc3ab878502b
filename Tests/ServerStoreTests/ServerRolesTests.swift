import AssureModel
import AssureServerStore
import AssureStore
import AssureTestSupport
import Foundation
import GRDB
import XCTest

/// Roles on a server workspace, enforced by PostgreSQL: through assure, through a client that
/// sends its own batches, and through raw SQL.
final class ServerRolesTests: XCTestCase {
    var folder: URL!
    var admin: ServerAddress!

    override func setUpWithError() throws {
        folder = try Fixtures.temporaryDirectory()
        admin = try TestServer.larkspurOnServer(in: folder)
        try ServerAccess.grant(admin, person: "omar", role: "owner", owner: "Omar Haddad")
        try ServerAccess.grant(admin, person: "vera", role: "viewer", owner: nil)
        try ServerAccess.grant(admin, person: "ada", role: "auditor", owner: nil)
        try ServerAccess.grant(admin, person: "ed", role: "editor", owner: nil)
        for person in ["omar", "vera", "ada", "ed"] { try TestServer.admin("ALTER ROLE \(person) PASSWORD 'pw-\(person)'") }
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func address(_ person: String) -> ServerAddress {
        var address = admin!
        address.user = person
        address.urlPassword = "pw-\(person)"
        return address
    }

    func open(_ person: String) throws -> Workspace {
        try ServerWorkspace.open(
            address(person), readOnly: false, environment: ["XDG_CACHE_HOME": folder.appendingPathComponent("cache-\(person)").path])
    }

    func owner(of control: String, in workspace: Workspace) throws -> String? {
        try workspace.read { r in try r.controls().first { $0.ref == control }?.owner }
    }

    /// The first admin need not be a superuser: an account that may create roles and owns the
    /// database is enough, and the roles then hold for everyone else as before.
    func testAnAccountThatMayCreateRolesCanBeTheFirstAdmin() throws {
        try TestServer.admin(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'alice') THEN CREATE ROLE alice LOGIN CREATEROLE; END IF; END $$")
        try TestServer.admin("ALTER ROLE alice PASSWORD 'pw-alice'")
        let database = "t_alice_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        try TestServer.admin("CREATE DATABASE \(database) OWNER alice")
        var alice = address("alice")
        alice.database = database
        _ = try CopyToServer.run(file: folder.appendingPathComponent("larkspur.assure").path, to: alice)
        try ServerAccess.grant(alice, person: "vera", role: "viewer", owner: nil)
        XCTAssertEqual(try ServerAccess.list(alice).map(\.person), ["alice", "vera"])
        let copy = try ServerWorkspace.open(
            alice, readOnly: false, environment: ["XDG_CACHE_HOME": folder.appendingPathComponent("cache-alice").path])
        try copy.write(Actor("alice")) { try $0.setStatus(controls: ["AC-03"], to: .implemented) }
        var vera = alice
        vera.user = "vera"
        vera.urlPassword = "pw-vera"
        XCTAssertThrowsError(try ServerSession.with(vera) { try await $0.execute("UPDATE assure.control SET title = 'x'") }) { error in
            XCTAssertTrue("\(error)".contains("permission denied"), "\(error)")
        }
    }

    func testAccessIsListedAndEveryGrantIsOnTheTrail() throws {
        let entries = try ServerAccess.list(admin)
        XCTAssertEqual(
            entries.map { "\($0.person) \($0.role) \($0.owner ?? "-")" },
            ["ada auditor -", "assure_admin admin -", "ed editor -", "omar owner Omar Haddad", "vera viewer -"])
        let ed = try open("ed")
        let grants = try ed.read { r in try r.log(LogFilter(entity: "access")) }
        XCTAssertEqual(
            grants.map { "\($0.ref) \($0.after ?? "-") by \($0.actor)" }.sorted(),
            [
                "ada auditor by assure_admin", "ed editor by assure_admin", "omar owner (Omar Haddad) by assure_admin", "vera viewer by assure_admin",
            ])
        XCTAssertTrue(try ed.read { try $0.verifyWorkspace() }.isIntact)

        try ServerAccess.revoke(admin, person: "vera")
        XCTAssertFalse(try ServerAccess.list(admin).contains { $0.person == "vera" })
        XCTAssertThrowsError(try ServerAccess.grant(address("ed"), person: "mallory", role: "admin", owner: nil)) { error in
            XCTAssertTrue("\(error)".contains("ed's role is editor; only an admin grants or revokes access"), "\(error)")
        }
        XCTAssertThrowsError(try ServerAccess.grant(admin, person: "zoe", role: "owner", owner: "Nobody Here")) { error in
            XCTAssertTrue("\(error)".contains("Nobody Here is not one"), "\(error)")
        }
    }

    func testAnOwnerChangesTheirOwnControlsAndIsRefusedOthers() throws {
        let omar = try open("omar")
        try omar.write(Actor("omar")) { try $0.setStatus(controls: ["LM-03"], to: .implemented) }
        XCTAssertThrowsError(try omar.write(Actor("omar")) { try $0.setStatus(controls: ["AC-03"], to: .implemented) }) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("omar is an owner (Omar Haddad), who changes only the controls, gaps and evidence they own"), message)
            XCTAssertTrue(message.contains("an editor or admin may change it"), message)
            XCTAssertTrue(message.contains("nothing was written"), message)
        }
        // Nor may he give his control away, or write in someone else's name.
        XCTAssertThrowsError(try omar.write(Actor("omar")) { try $0.assign(controls: ["LM-02"], owner: "Dana Kim") })
        XCTAssertThrowsError(try omar.write(Actor("dana")) { try $0.setStatus(controls: ["LM-05"], to: .implemented) }) { error in
            XCTAssertTrue("\(error)".contains("the change log would name dana but omar is logged in"), "\(error)")
        }
        let check = try open("ed")
        XCTAssertEqual(try check.read { r in try r.controls().first { $0.ref == "LM-03" }?.status }, .implemented)
        XCTAssertEqual(try check.read { r in try r.controls().first { $0.ref == "AC-03" }?.status }, .inProgress)
        XCTAssertEqual(try owner(of: "LM-02", in: check), "Omar Haddad")
        XCTAssertTrue(try check.read { try $0.verifyWorkspace() }.isIntact)
    }

    func testAViewerChangesNothingAndAnAuditorOnlyReviews() throws {
        let vera = try open("vera")
        XCTAssertThrowsError(try vera.write(Actor("vera")) { try $0.setStatus(controls: ["AC-03"], to: .implemented) }) { error in
            XCTAssertTrue("\(error)".contains("vera is a viewer, who changes nothing; an editor or admin may make this change"), "\(error)")
        }
        let ada = try open("ada")
        try ada.write(Actor("ada")) { try $0.reviewEvidence("EV-1", accept: true, note: "sampled, matches the policy") }
        XCTAssertThrowsError(try ada.write(Actor("ada")) { try $0.setStatus(controls: ["AC-03"], to: .implemented) }) { error in
            XCTAssertTrue("\(error)".contains("ada is an auditor, who reviews evidence and handles audit requests only"), "\(error)")
        }
        let ed = try open("ed")
        try ed.write(Actor("ed")) { try $0.setStatus(controls: ["AC-03"], to: .implemented) }
        XCTAssertEqual(try ed.read { r in try r.controls().first { $0.ref == "AC-03" }?.status }, .implemented)
        XCTAssertTrue(try ed.read { try $0.verifyWorkspace() }.isIntact)
    }

    /// Raw SQL as any non-admin role: no table can be written, and a hand-made batch that gets
    /// the chain exactly right is still held to the role by the row policies.
    func testRawSQLCannotExceedARole() throws {
        for person in ["omar", "vera", "ada", "ed"] {
            for statement in [
                "UPDATE assure.control SET title = 'x'", "DELETE FROM assure.change_log WHERE id = 1",
                "INSERT INTO assure.access (person, role) VALUES ('\(person)', 'admin')", "UPDATE assure.meta SET value = 'x'",
                "DELETE FROM assure.sync_batch",
            ] {
                XCTAssertThrowsError(try ServerSession.with(address(person)) { try await $0.execute(statement) }, "\(person): \(statement)") {
                    error in
                    XCTAssertTrue("\(error)".contains("permission denied"), "\(person): \(statement): \(error)")
                }
            }
        }
        // Omar makes a batch by hand: a change-log row that continues the chain, and an update
        // of Dana's control AC-01.
        let omarCopy = try open("omar")
        let (head, hash, batch) = try omarCopy.read { r in
            try (r.verifyChain().rows, r.verifyChain().head, r.log(LogFilter()).last!.batch)
        }
        // The hash is computed by the server's own function, so the row is exactly right.
        let unsigned = """
            {"id":\(head + 1),"at":"2026-12-01T10:00:00Z","actor":"omar","entity":"control","ref":"AC-01","field":"title",\
            "before":"x","after":"Taken over","batch":\(batch + 1),"prev_hash":"\(hash)"}
            """
        let signed = try ServerSession.with(admin) { session in
            try await session.rows(
                "SELECT (jsonb_set($1::jsonb, '{hash}', to_jsonb(assure.chain_hash(jsonb_populate_record(NULL::assure.change_log, $1::jsonb)))))::text",
                [.text(unsigned)]
            ).first!.decode(String.self)
        }
        let json = """
            [{"t":"change_log","op":"insert","old":{},"new":\(signed)},\
            {"t":"control","op":"update","old":{"id":1},"new":{"title":"Taken over"}}]
            """
        XCTAssertThrowsError(
            try ServerSession.with(address("omar")) {
                try await $0.execute("SELECT assure.apply_batch($1, $2::jsonb)", [.integer(Int64(head)), .text(json)])
            }
        ) { error in
            XCTAssertTrue("\(error)".contains("omar is an owner (Omar Haddad)"), "\(error)")
        }
        let title = try ServerSession.with(admin) { session in
            try await session.rows("SELECT title FROM assure.control WHERE id = 1").first!.decode(String.self)
        }
        XCTAssertNotEqual(title, "Taken over")
    }
}
