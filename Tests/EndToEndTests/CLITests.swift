import AssureTestSupport
import Foundation
import XCTest

final class CLITests: CLITestCase {
    func testInitStatusAndListingsFromAnotherDirectory() throws {
        // Built-in catalogs come from the binary, whatever the current directory.
        let elsewhere = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let created = try assure(
            "init", path("acme.assure"), "--company", "Acme Cloud", "--scope", "security,availability",
            "--type", "1", in: elsewhere.path)
        assertSucceeds(created)
        XCTAssertTrue(
            created.stdout.hasPrefix("Created \(path("acme.assure")) for Acme Cloud: soc2; SOC 2 Type I, Security, Availability; 166 controls."),
            created.stdout)

        let status = try assure("status")  // finds the single *.assure file in the folder
        assertSucceeds(status)
        XCTAssertTrue(status.stdout.contains("Acme Cloud · SOC 2 Type I"), status.stdout)
        XCTAssertTrue(status.stdout.contains("Scope: Security, Availability"), status.stdout)
        XCTAssertTrue(status.stdout.contains("Readiness: 0% (0 of 36 in-scope criteria addressed)"), status.stdout)

        let criteria = try assure("criteria", "--format", "json")
        assertSucceeds(criteria)
        let array = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(criteria.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(array.count, 61)
        let first = array[0]
        XCTAssertEqual(first["ref"] as? String, "CC1.1")
        XCTAssertEqual(first["category"] as? String, "security")
        XCTAssertEqual(first["in_scope"] as? Bool, true)
        XCTAssertEqual((first["points_of_focus"] as? [String])?.first, "CC1.1.1")
        XCTAssertEqual(array.first { $0["ref"] as? String == "C1.1" }?["in_scope"] as? Bool, false)
    }

    func testWritesThroughTheCommandLine() throws {
        try makeLarkspur()
        assertSucceeds(try assure("owner", "add", "Priya Natarajan", "--role", "Compliance Analyst", "--handle", "priya@example.com"))
        let assigned = try assure("assign", "AC-03", "Priya Natarajan", "--backup", "Dana Kim")
        assertSucceeds(assigned)
        XCTAssertEqual(assigned.stdout, "AC-03 owner: Priya Natarajan, backup: Dana Kim\n")
        assertSucceeds(try assure("control", "set-status", "AC-03", "implemented"))
        let opened = try assure(
            "gap", "open", "--title", "Laptop disk encryption not enforced", "--severity", "high", "--effort", "S",
            "--owner", "Priya N", "--due", "2027-01-15", "--control", "AC-03", "--as", "dana")
        assertSucceeds(opened)
        let ref = try XCTUnwrap(opened.stdout.split(separator: " ").dropFirst().first?.split(separator: ":").first).description
        XCTAssertEqual(ref, "GAP-27")
        let ambiguous = try assure("gap", "assign", ref, "Priya")
        XCTAssertEqual(ambiguous.exitCode, 1)
        XCTAssertTrue(ambiguous.stderr.contains("owner 'Priya' is ambiguous: Priya Natarajan, Priya Raman"), ambiguous.stderr)
        assertSucceeds(try assure("gap", "remediate", ref, "--note", "MDM policy enforced on all laptops"))

        let controls = try assure("controls", "--owner", "Priya Natarajan", "--format", "json")
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(controls.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["ref"] as? String }, ["AC-03"])
        XCTAssertEqual(rows[0]["status"] as? String, "implemented")
        XCTAssertEqual(rows[0]["backup_owner"] as? String, "Dana Kim")
        XCTAssertNotNil(rows[0]["criteria"] as? [String])
        XCTAssertEqual(rows[0]["frequency"] as? String != nil, true)

        let gaps = try assure("gaps", "--owner", "Priya Natarajan", "--format", "csv")
        XCTAssertTrue(
            gaps.stdout.contains("\(ref),Laptop disk encryption not enforced,high,S,remediated,Priya Natarajan,2027-01-15,no,AC-03"), gaps.stdout)

        let log = try assure("log", "--actor", "dana", "--format", "json")
        let logRows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
        XCTAssertTrue(logRows.allSatisfy { $0["actor"] as? String == "dana" })
        XCTAssertEqual(logRows.first?["field"] as? String, "created")
        let verify = try assure("verify")
        assertSucceeds(verify)
        XCTAssertTrue(verify.stdout.hasPrefix("ok: "), verify.stdout)
    }

    func testJSONListingsGiveNullForAbsentTextAndCSVAnEmptyCell() throws {
        try makeLarkspur()
        assertSucceeds(try assure("owner", "add", "Priya Natarajan"))  // no handle, no role
        let opened = try assure("gap", "open", "--title", "Laptop disk encryption not enforced", "--severity", "high")
        assertSucceeds(opened)
        func rows(_ arguments: String...) throws -> [[String: Any]] {
            let result = try runProcess(
                Self.binary, arguments + ["--format", "json"],
                environment: ["PATH": "/usr/bin", "ASSURE_USER": "tester"], currentDirectory: folder.path)
            XCTAssertFalse(result.stdout.contains(": \"\""), "an empty string where null was promised:\n\(result.stdout)")
            return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]], result.stdout)
        }
        let owner = try XCTUnwrap(try rows("owners").first { $0["ref"] as? String == "Priya Natarajan" })
        XCTAssertTrue(owner["handle"] is NSNull, "\(owner)")
        XCTAssertTrue(owner["title"] is NSNull, "\(owner)")
        let control = try XCTUnwrap(try rows("controls").first { $0["ref"] as? String == "AC-03" })
        XCTAssertEqual(control["status"] as? String, "in-progress")
        XCTAssertTrue(control["justification"] is NSNull, "\(control)")
        let gap = try XCTUnwrap(try rows("gaps").first { $0["title"] as? String == "Laptop disk encryption not enforced" })
        XCTAssertTrue(gap["remediation_note"] is NSNull, "\(gap)")
        XCTAssertTrue(gap["justification"] is NSNull, "\(gap)")
        XCTAssertTrue(gap["owner"] is NSNull, "\(gap)")
        XCTAssertTrue(gap["due"] is NSNull, "\(gap)")
        // CSV and tables are unchanged: an absent value is an empty cell.
        let csv = try assure("owners", "--format", "csv").stdout
        XCTAssertTrue(csv.contains("\r\nPriya Natarajan,,,person,0,0,0,0\r\n"), csv)
    }

    func testUnknownReferencesNameTheClosestMatchAndWriteNothing() throws {
        try makeLarkspur()
        let before = try assure("log", "--format", "csv").stdout
        let cases: [([String], String)] = [
            (["assign", "AC-3", "Dana Kim"], "unknown control 'AC-3'; did you mean AC-03, AC-13?"),
            (["assign", "AC-03", "Dana Kin"], "unknown owner 'Dana Kin'; did you mean Dana Kim?"),
            (["gap", "remediate", "GAP-999", "--note", "x"], "unknown gap 'GAP-999'"),
            (["gap", "open", "--title", "x", "--criterion", "CC6.9"], "unknown requirement 'CC6.9'"),
            (["control", "set-status", "AC-03", "not-applicable"], "marking a control not applicable needs a justification (--justification TEXT)"),
            (["gap", "open", "--title", "x", "--due", "2027-02-30"], "'2027-02-30' is not a date: use YYYY-MM-DD, +10d, +2w, +3m, today or eoq"),
        ]
        for (arguments, message) in cases {
            let result = try runProcess(Self.binary, arguments, environment: ["ASSURE_USER": "t", "PATH": "/usr/bin"], currentDirectory: folder.path)
            XCTAssertEqual(result.exitCode, 1, arguments.joined(separator: " "))
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        XCTAssertEqual(try assure("log", "--format", "csv").stdout, before, "a refused command changed the log")
    }

    func testWorkspaceDiscovery() throws {
        let none = try assure("status")
        XCTAssertEqual(none.exitCode, 1)
        XCTAssertTrue(none.stderr.contains("no workspace given and no *.assure file in"), none.stderr)
        try makeLarkspur("a.assure")
        try makeLarkspur("b.assure")
        let two = try assure("status")
        XCTAssertEqual(two.exitCode, 1)
        XCTAssertTrue(two.stderr.contains("several workspaces in \(folder.path) (a.assure, b.assure); choose one with -w PATH"), two.stderr)
        assertSucceeds(try assure("status", "-w", "b.assure"))
        assertSucceeds(try assure("status", environment: ["ASSURE_WORKSPACE": path("a.assure")]))
    }

    func testForeignFilesAreRefused() throws {
        try "hello\n".write(toFile: path("notes.assure"), atomically: true, encoding: .utf8)
        let result = try assure("status", "-w", "notes.assure")
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertTrue(result.stderr.contains("notes.assure: not an assure workspace (not an SQLite database); nothing was written"), result.stderr)
        XCTAssertEqual(try String(contentsOfFile: path("notes.assure"), encoding: .utf8), "hello\n")
    }

    func testImportCatalogRefusesMalformedFile() throws {
        try makeLarkspur()
        try
            "catalog: 1\nframework:\n  id: iso\n  title: ISO\ncategories:\n  - ref: A.5\n    title: Org\n    criteria:\n      - ref: A.5.1\n        title: Policies\n        severity: high\n"
            .write(toFile: path("iso.yaml"), atomically: true, encoding: .utf8)
        let result = try assure("import", "catalog", "iso.yaml")
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertTrue(result.stderr.contains("iso.yaml:11:9: unknown field 'severity'"), result.stderr)
        let criteria = try assure("criteria", "--format", "csv")
        XCTAssertFalse(criteria.stdout.contains("A.5.1"))
    }

    func testDemoPrintsAPathToAFreshCopy() throws {
        let result = try assure("demo", "--print-path")
        assertSucceeds(result)
        let demoPath = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(demoPath.hasSuffix("/larkspur-health.assure"), demoPath)
        XCTAssertTrue(demoPath.hasPrefix(folder.path), "demo copies go to TMPDIR")
        let status = try assure("status", "-w", demoPath)
        XCTAssertTrue(status.stdout.hasPrefix("Larkspur Health"), status.stdout)
    }

    func testEveryCommandHasHelpWithExamples() throws {
        let commands: [[String]] = [
            ["open"], ["demo"], ["init"], ["status"], ["criteria"], ["controls"], ["owners"], ["gaps"], ["owner", "add"], ["assign"],
            ["control", "set-status"], ["gap", "open"], ["gap", "remediate"], ["gap", "reopen"], ["gap", "accept"], ["log"], ["verify"],
            ["import", "catalog"], ["gaps", "derive"], ["export"], ["report"], ["snapshot"], ["diff"], ["target"], ["weights"],
            ["meeting", "start"], ["meeting", "end"], ["meeting", "minutes"], ["meeting", "list"],
            ["impact"], ["lint"], ["decide"], ["framework", "add"], ["import", "oscal"],
        ]
        for command in commands {
            let result = try runProcess(Self.binary, ["help"] + command, environment: ["PATH": "/usr/bin"])
            XCTAssertEqual(result.exitCode, 0, command.joined(separator: " "))
            XCTAssertTrue(result.stdout.contains("Example"), "\(command) has no example:\n\(result.stdout)")
        }
    }
}
