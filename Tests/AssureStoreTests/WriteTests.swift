import AssureModel
import AssureTestSupport
import Foundation
import GRDB
import XCTest

@testable import AssureStore

/// Every write intent: its effect, its change-log rows, and that a refused write leaves no trace.
final class WriteTests: XCTestCase {
    var workspace: Workspace!
    let alice = Fixtures.actor("alice")

    override func setUpWithError() throws {
        workspace = try Fixtures.workspace(scope: Scope(company: "Acme", categories: [.security]), by: alice)
        try workspace.write(alice) { try $0.loadStarterLibrary() }
        try workspace.write(alice) { try $0.addOwner(Owner(name: "Dana Kim", handle: "dana@acme.example", role: "Head of Security")) }
        try workspace.write(alice) { try $0.addOwner(Owner(name: "Omar Haddad", role: "SRE Lead")) }
    }

    func log(_ filter: LogFilter = LogFilter()) throws -> [ChangeRecord] { try workspace.read { try $0.log(filter) } }
    func logCount() throws -> Int { try log().count }
    func controls() throws -> [Control] { try workspace.read { try $0.controls() } }
    func gaps() throws -> [Gap] { try workspace.read { try $0.gaps() } }
    /// One write by alice at the fixed time.
    @discardableResult
    func write<T>(_ body: (WorkspaceWriter) throws -> T) throws -> T { try workspace.write(alice, body).value }

    /// Runs `body`, expects it to throw `message`, and checks nothing in the file changed.
    func assertRefused(_ message: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) throws {
        let before = try snapshot()
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual("\(error)", message, file: file, line: line)
        }
        XCTAssertEqual(try snapshot(), before, "a refused write changed the workspace", file: file, line: line)
    }

    func snapshot() throws -> String {
        try workspace.read { r in
            var text = ""
            // Schema v5 keeps SOC 2's scope in framework_scope and the report type on the framework.
            for table in ["control", "owner", "gap", "change_log", "framework_scope", "framework", "workspace"] {
                let rows = try Row.fetchAll(r.db, sql: "SELECT * FROM \(table) ORDER BY rowid")
                text += "\(table):\(rows.map { $0.description }.joined(separator: "\n"))\n"
            }
            return text
        }
    }

    func testAssignRecordsOwnerAndBackup() throws {
        let start = try logCount()
        try write { try $0.assign(controls: ["ac-01"], owner: .some("Dana Kim"), backup: .some("omar")) }
        let control = try XCTUnwrap(controls().first { $0.ref == "AC-01" })
        XCTAssertEqual(control.owner, "Dana Kim")
        XCTAssertEqual(control.backupOwner, "Omar Haddad")
        let rows = try log().suffix(from: start)
        XCTAssertEqual(
            rows.map { "\($0.actor) \($0.entity) \($0.ref) \($0.field) \($0.before ?? "-") -> \($0.after ?? "-")" },
            ["alice control AC-01 owner - -> Dana Kim", "alice control AC-01 backup_owner - -> Omar Haddad"])
        XCTAssertEqual(Set(rows.map(\.batch)).count, 1, "one intent, one batch")
        XCTAssertEqual(rows.first?.at, "2026-11-20T09:00:00Z")
    }

    func testAssignRefusals() throws {
        try assertRefused("unknown owner 'Dana Kimm'; did you mean Dana Kim?") {
            try write { try $0.assign(controls: ["AC-01"], owner: .some("Dana Kimm")) }
        }
        try assertRefused("unknown control 'AC-1'; did you mean AC-01, AC-10, AC-11?") {
            try write { try $0.assign(controls: ["AC-1"], owner: .some("Dana Kim")) }
        }
        try assertRefused("AC-01: the backup owner must be someone other than the owner") {
            try write { try $0.assign(controls: ["AC-01"], owner: .some("Dana Kim"), backup: .some("Dana Kim")) }
        }
        // A bulk assignment with one bad control writes nothing at all.
        try assertRefused("unknown control 'NOPE-99'") {
            try write { try $0.assign(controls: ["AC-01", "AC-02", "NOPE-99"], owner: .some("Dana Kim")) }
        }
    }

    func testSetStatusAndNotApplicableNeedsJustification() throws {
        try write { try $0.setStatus(controls: ["AC-02"], to: .implemented) }
        XCTAssertEqual(try controls().first { $0.ref == "AC-02" }?.status, .implemented)
        XCTAssertEqual(try log().last.map { "\($0.field) \($0.before!) -> \($0.after!)" }, "status not-started -> implemented")
        try assertRefused("AC-02: marking a control not applicable needs a justification (--justification TEXT)") {
            try write { try $0.setStatus(controls: ["AC-02"], to: .notApplicable, justification: "  ") }
        }
        try write { try $0.setStatus(controls: ["AC-02"], to: .notApplicable, justification: "No such system") }
        let control = try XCTUnwrap(controls().first { $0.ref == "AC-02" })
        XCTAssertEqual(control.status, .notApplicable)
        XCTAssertEqual(control.justification, "No such system")
    }

    func testGapLifecycle() throws {
        let ref = try write {
            try $0.openGap(
                GapDraft(
                    title: "No DR test", severity: .high, effort: .m, owner: "Omar Haddad",
                    due: "+10d", control: "BC-01", criterion: "a1.3"))
        }
        XCTAssertEqual(ref, "GAP-1")
        var gap = try XCTUnwrap(gaps().first)
        XCTAssertEqual(gap.due, "2026-11-30")
        XCTAssertEqual(gap.criterion, "A1.3")
        XCTAssertEqual(gap.owner, "Omar Haddad")
        XCTAssertEqual(gap.status, .open)
        XCTAssertEqual(gap.createdAt, "2026-11-20T09:00:00Z")

        try write { try $0.remediateGaps(["1"], note: "Restored from backup in staging") }
        gap = try XCTUnwrap(gaps().first)
        XCTAssertEqual(gap.status, .remediated)
        XCTAssertEqual(gap.remediatedBy, "alice")
        XCTAssertEqual(gap.remediatedAt, "2026-11-20T09:00:00Z")
        XCTAssertEqual(gap.remediationNote, "Restored from backup in staging")
        let remediation = try log(LogFilter(ref: "GAP-1")).filter { $0.field == "status" }.map { "\($0.before ?? "-")->\($0.after ?? "-")" }
        XCTAssertEqual(remediation, ["-->open", "open->remediated"])

        try write { try $0.reopenGaps(["GAP-1"]) }
        gap = try XCTUnwrap(gaps().first)
        XCTAssertEqual(gap.status, .open)
        XCTAssertNil(gap.remediatedBy)
        XCTAssertEqual(gap.remediationNote, "")

        try write { try $0.acceptGaps(["GAP-1"], justification: "Compensating control: daily snapshot check") }
        XCTAssertEqual(try gaps().first?.status, .riskAccepted)
        try write { try $0.assignGaps(["GAP-1"], owner: "Dana Kim") }
        XCTAssertEqual(try gaps().first?.owner, "Dana Kim")
    }

    func testGapRefusals() throws {
        try assertRefused("a gap needs a title (--title TEXT)") { try write { _ = try $0.openGap(GapDraft(title: " ")) } }
        try assertRefused("'2027-02-30' is not a date: use YYYY-MM-DD, +10d, +2w, +3m, today or eoq") {
            try write { _ = try $0.openGap(GapDraft(title: "x", due: "2027-02-30")) }
        }
        try assertRefused("unknown requirement 'CC6.10'; did you mean CC6.1?") {
            try write { _ = try $0.openGap(GapDraft(title: "x", criterion: "CC6.10")) }
        }
        let ref = try write { try $0.openGap(GapDraft(title: "x")) }
        try assertRefused("remediating a gap needs a note saying what was done (--note TEXT)") { try write { try $0.remediateGaps([ref], note: "") } }
        try assertRefused("accepting a risk needs a justification (--justification TEXT)") {
            try write { try $0.acceptGaps([ref], justification: "") }
        }
        try assertRefused("unknown gap 'GAP-9'; did you mean GAP-1?") { try write { try $0.remediateGaps(["GAP-9"], note: "done") } }
    }

    func testOwnerRefusals() throws {
        try assertRefused("owner 'dana kim' already exists") { try write { try $0.addOwner(Owner(name: "dana kim")) } }
        try assertRefused("an owner needs a name") { try write { try $0.addOwner(Owner(name: "  ")) } }
    }

    func testReadOnlyWorkspaceRefusesWrites() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("r.assure").path
        try Workspace.create(path: path, scope: Scope(company: "R"), by: Actor("a")).close()
        let readOnly = try Workspace.open(path: path, readOnly: true)
        XCTAssertThrowsError(try readOnly.write(Actor("a")) { try $0.addOwner(Owner(name: "X")) }) {
            XCTAssertEqual($0 as? WorkspaceError, .readOnly)
        }
    }
}
