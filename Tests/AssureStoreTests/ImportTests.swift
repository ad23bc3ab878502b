import AssureModel
import AssureTestSupport
import GRDB
import XCTest

@testable import AssureStore

final class ImportTests: XCTestCase {
    let controlsCSV =
        "Control ID,Name,Status,Owner,Criteria,Notes\r\nAC-03,,implemented,Dana Kim,CC6.2 CC6.3,ignored\r\nZZ-01,\"Board reviews the vendor list, yearly\",in progress,Nadia Petrova,CC9.2,\r\n"

    func snapshot(_ w: Workspace) throws -> String {
        try w.read { r in
            try ["control", "owner", "gap", "change_log", "control_requirement"].map { table in
                try Row.fetchAll(r.db, sql: "SELECT * FROM \(table) ORDER BY 1, 2").map(\.description).joined(separator: "\n")
            }.joined(separator: "\n--\n")
        }
    }

    func testDryRunShowsThePlanAndWritesNothing() throws {
        let workspace = try Fixtures.larkspur()
        let before = try snapshot(workspace)
        let result = try workspace.importCSV(
            controlsCSV, path: "c.csv", kind: .controls, mapping: ["Control ID": "ref", "Name": "title"], dryRun: true,
            by: Fixtures.actor())
        XCTAssertEqual(
            result.changes,
            [
                "create owner Nadia Petrova", "AC-03 status: in-progress -> implemented",
                "create ZZ-01: Board reviews the vendor list, yearly", "ZZ-01 status: not-started -> in-progress",
                "ZZ-01 owner: none -> Nadia Petrova", "ZZ-01 criteria: none -> CC9.2",
            ])
        XCTAssertEqual(result.newOwners, ["Nadia Petrova"])
        XCTAssertEqual(try snapshot(workspace), before)
    }

    func testImportWritesEveryChangeToTheLog() throws {
        let workspace = try Fixtures.larkspur()
        XCTAssertThrowsError(
            try workspace.importCSV(
                controlsCSV, path: "c.csv", kind: .controls, mapping: ["Control ID": "ref", "Name": "title"],
                by: Fixtures.actor())
        ) {
            XCTAssertEqual("\($0)", "c.csv: unknown owners Nadia Petrova; add them first or pass --create-owners")
        }
        let result = try workspace.importCSV(
            controlsCSV, path: "c.csv", kind: .controls, mapping: ["Control ID": "ref", "Name": "title"], createOwners: true,
            by: Fixtures.actor())
        XCTAssertEqual(result.changes.count, 6)
        let zz = try XCTUnwrap(workspace.read { try $0.controls() }.first { $0.ref == "ZZ-01" })
        XCTAssertEqual(
            [zz.title, zz.status.rawValue, zz.owner ?? "", zz.criteria.joined()],
            ["Board reviews the vendor list, yearly", "in-progress", "Nadia Petrova", "CC9.2"])
        XCTAssertEqual(try workspace.read { try $0.controls() }.first { $0.ref == "AC-03" }?.status, .implemented)
        let log = try workspace.read { try $0.log() }
        let batch = try XCTUnwrap(log.last?.batch)
        // The new owner is added through the same writer as `owner add`, so it records its kind as well.
        XCTAssertEqual(
            log.filter { $0.batch == batch }.count, 7,
            "one batch holds every change: the new owner (created, kind), the new control, two statuses, an owner, the criteria")
        // Importing the same file again changes nothing.
        XCTAssertEqual(
            try workspace.importCSV(
                controlsCSV, path: "c.csv", kind: .controls, mapping: ["Control ID": "ref", "Name": "title"],
                by: Fixtures.actor()
            ).changes, [])
    }

    func testOneBadRowMeansNothingIsWritten() throws {
        let workspace = try Fixtures.larkspur()
        let before = try snapshot(workspace)
        let cases: [(String, String)] = [
            (
                "Title,Severity,Due\nFirewall rules too broad,high,+5d\nSecond,severe,+5d\n",
                "g.csv:3:2: column \"Severity\": unknown severity 'severe'; use critical, high, medium, low"
            ),
            ("Title,Due\nA,31/12/2026\n", "g.csv:2:2: column \"Due\": '31/12/2026' is not a date: use YYYY-MM-DD, +10d, +2w, +3m, today or eoq"),
            ("Title,Control\nA,AC-99\n", "g.csv:2:2: column \"Control\": unknown control 'AC-99'"),
            ("Title,Status\nA,remediated\n", "g.csv:2:2: column \"Status\": a remediated gap needs a note"),
            ("Severity\nhigh\n", "g.csv:1:1: no column maps to 'title' or 'ref'"),
        ]
        for (csv, message) in cases {
            XCTAssertThrowsError(try workspace.importCSV(csv, path: "g.csv", kind: .gaps, by: Fixtures.actor())) { XCTAssertEqual("\($0)", message) }
            XCTAssertEqual(try snapshot(workspace), before, message)
        }
        let result = try workspace.importCSV(
            "Title,Severity,Owner,Due,Status,Note\nFirewall rules too broad,high,Dana Kim,+5d,remediated,Rules tightened\n", path: "g.csv",
            kind: .gaps,
            by: Fixtures.actor())
        XCTAssertEqual(result.changes, ["create GAP-27: Firewall rules too broad", "GAP-27 status: open -> remediated"])
        XCTAssertEqual(try workspace.read { try $0.gaps() }.last?.remediationNote, "Rules tightened")
    }
}
