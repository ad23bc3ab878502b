import AssureModel
import AssureTestSupport
import Foundation
import GRDB
import XCTest

@testable import AssureStore

/// Every write intent: its effect, its change-log rows, and that a refused write leaves no trace.
final class WriteTests: XCTestCase {
    var workspace: Workspace!

    override func setUpWithError() throws {
        workspace = try Workspace.inMemory(scope: Scope(company: "Acme", categories: [.security]), actor: "alice",
                                           clock: { Fixtures.fixedDate })
        try workspace.loadStarterLibrary()
        try workspace.addOwner(Owner(name: "Dana Kim", handle: "dana@acme.example", role: "Head of Security"))
        try workspace.addOwner(Owner(name: "Omar Haddad", role: "SRE Lead"))
    }

    func logCount() throws -> Int { try workspace.log().count }

    /// Runs `body`, expects it to throw `message`, and checks nothing in the file changed.
    func assertRefused(_ message: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) throws {
        let before = try snapshot()
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual("\(error)", message, file: file, line: line)
        }
        XCTAssertEqual(try snapshot(), before, "a refused write changed the workspace", file: file, line: line)
    }

    func snapshot() throws -> String {
        try workspace.read { db in
            var text = ""
            for table in ["control", "owner", "gap", "change_log", "scope", "workspace"] {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY rowid")
                text += "\(table):\(rows.map { $0.description }.joined(separator: "\n"))\n"
            }
            return text
        }
    }

    func testAssignRecordsOwnerAndBackup() throws {
        let start = try logCount()
        try workspace.assign(controls: ["ac-01"], owner: .some("Dana Kim"), backup: .some("omar"))
        let control = try XCTUnwrap(workspace.controls().first { $0.ref == "AC-01" })
        XCTAssertEqual(control.owner, "Dana Kim")
        XCTAssertEqual(control.backupOwner, "Omar Haddad")
        let rows = try workspace.log().suffix(from: start)
        XCTAssertEqual(rows.map { "\($0.actor) \($0.entity) \($0.ref) \($0.field) \($0.before ?? "-") -> \($0.after ?? "-")" },
                       ["alice control AC-01 owner - -> Dana Kim", "alice control AC-01 backup_owner - -> Omar Haddad"])
        XCTAssertEqual(Set(rows.map(\.batch)).count, 1, "one intent, one batch")
        XCTAssertEqual(rows.first?.at, "2026-11-20T09:00:00Z")
    }

    func testAssignRefusals() throws {
        try assertRefused("unknown owner 'Dana Kimm'; did you mean Dana Kim?") {
            try workspace.assign(controls: ["AC-01"], owner: .some("Dana Kimm"))
        }
        try assertRefused("unknown control 'AC-1'; did you mean AC-01, AC-10, AC-11?") {
            try workspace.assign(controls: ["AC-1"], owner: .some("Dana Kim"))
        }
        try assertRefused("AC-01: the backup owner must be someone other than the owner") {
            try workspace.assign(controls: ["AC-01"], owner: .some("Dana Kim"), backup: .some("Dana Kim"))
        }
        // A bulk assignment with one bad control writes nothing at all.
        try assertRefused("unknown control 'NOPE-99'") {
            try workspace.assign(controls: ["AC-01", "AC-02", "NOPE-99"], owner: .some("Dana Kim"))
        }
    }

    func testSetStatusAndNotApplicableNeedsJustification() throws {
        try workspace.setStatus(controls: ["AC-02"], to: .implemented)
        XCTAssertEqual(try workspace.controls().first { $0.ref == "AC-02" }?.status, .implemented)
        XCTAssertEqual(try workspace.log().last.map { "\($0.field) \($0.before!) -> \($0.after!)" }, "status not-started -> implemented")
        try assertRefused("marking a control not applicable needs a justification (--justification TEXT)") {
            try workspace.setStatus(controls: ["AC-02"], to: .notApplicable, justification: "  ")
        }
        try workspace.setStatus(controls: ["AC-02"], to: .notApplicable, justification: "No such system")
        let control = try XCTUnwrap(workspace.controls().first { $0.ref == "AC-02" })
        XCTAssertEqual(control.status, .notApplicable)
        XCTAssertEqual(control.justification, "No such system")
    }

    func testGapLifecycle() throws {
        let ref = try workspace.openGap(GapDraft(title: "No DR test", severity: .high, effort: .m, owner: "Omar Haddad",
                                                 due: "+10d", control: "BC-01", criterion: "a1.3"))
        XCTAssertEqual(ref, "GAP-1")
        var gap = try XCTUnwrap(workspace.gaps().first)
        XCTAssertEqual(gap.due, "2026-11-30")
        XCTAssertEqual(gap.criterion, "A1.3")
        XCTAssertEqual(gap.owner, "Omar Haddad")
        XCTAssertEqual(gap.status, .open)
        XCTAssertEqual(gap.createdAt, "2026-11-20T09:00:00Z")

        try workspace.remediateGaps(["1"], note: "Restored from backup in staging")
        gap = try XCTUnwrap(workspace.gaps().first)
        XCTAssertEqual(gap.status, .remediated)
        XCTAssertEqual(gap.remediatedBy, "alice")
        XCTAssertEqual(gap.remediatedAt, "2026-11-20T09:00:00Z")
        XCTAssertEqual(gap.remediationNote, "Restored from backup in staging")
        let remediation = try workspace.log(LogFilter(ref: "GAP-1")).filter { $0.field == "status" }.map { "\($0.before ?? "-")->\($0.after ?? "-")" }
        XCTAssertEqual(remediation, ["-->open", "open->remediated"])

        try workspace.reopenGaps(["GAP-1"])
        gap = try XCTUnwrap(workspace.gaps().first)
        XCTAssertEqual(gap.status, .open)
        XCTAssertNil(gap.remediatedBy)
        XCTAssertEqual(gap.remediationNote, "")

        try workspace.acceptGaps(["GAP-1"], justification: "Compensating control: daily snapshot check")
        XCTAssertEqual(try workspace.gaps().first?.status, .riskAccepted)
        try workspace.assignGaps(["GAP-1"], owner: "Dana Kim")
        XCTAssertEqual(try workspace.gaps().first?.owner, "Dana Kim")
    }

    func testGapRefusals() throws {
        try assertRefused("a gap needs a title (--title TEXT)") { try workspace.openGap(GapDraft(title: " ")) }
        try assertRefused("'2027-02-30' is not a date: use YYYY-MM-DD, +10d, +2w, +3m, today or eoq") {
            try workspace.openGap(GapDraft(title: "x", due: "2027-02-30"))
        }
        try assertRefused("unknown criterion 'CC6.10'; did you mean CC6.1?") {
            try workspace.openGap(GapDraft(title: "x", criterion: "CC6.10"))
        }
        let ref = try workspace.openGap(GapDraft(title: "x"))
        try assertRefused("remediating a gap needs a note saying what was done (--note TEXT)") { try workspace.remediateGaps([ref], note: "") }
        try assertRefused("accepting a risk needs a justification (--justification TEXT)") { try workspace.acceptGaps([ref], justification: "") }
        try assertRefused("unknown gap 'GAP-9'; did you mean GAP-1?") { try workspace.remediateGaps(["GAP-9"], note: "done") }
    }

    func testOwnerRefusals() throws {
        try assertRefused("owner 'dana kim' already exists") { try workspace.addOwner(Owner(name: "dana kim")) }
        try assertRefused("an owner needs a name") { try workspace.addOwner(Owner(name: "  ")) }
    }

    func testReadOnlyWorkspaceRefusesWrites() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("r.assure").path
        try Workspace.create(path: path, scope: Scope(company: "R"), actor: "a").close()
        let readOnly = try Workspace.open(path: path, actor: "a", readOnly: true)
        XCTAssertThrowsError(try readOnly.addOwner(Owner(name: "X"))) { XCTAssertEqual($0 as? WorkspaceError, .readOnly) }
    }
}
