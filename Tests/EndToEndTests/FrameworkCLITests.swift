import AssureTestSupport
import Foundation
import XCTest

/// The command line for many frameworks, on the built binary.
final class FrameworkCLITests: CLITestCase {
    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    func testStatusAndFrameworksSpeakJSONWithReadinessPerFramework() throws {
        try makeLarkspur()
        let status = try assure("status", "--format", "json")
        assertSucceeds(status)
        let object = try XCTUnwrap(json(status.stdout) as? [String: Any])
        let frameworks = try XCTUnwrap(object["frameworks"] as? [[String: Any]])
        XCTAssertEqual(frameworks.map { $0["id"] as? String }, ["soc2", "hipaa"], "Larkspur is a HIPAA business associate")
        let readiness = try XCTUnwrap(frameworks[0]["readiness"] as? [String: Int])
        XCTAssertEqual(readiness["total"], 38)
        XCTAssertEqual((object["controls"] as? [String: Any])?["total"] as? Int, 186)

        let listed = try assure("frameworks", "--format", "json")
        assertSucceeds(listed)
        let items = try XCTUnwrap(json(listed.stdout) as? [[String: Any]])
        XCTAssertEqual(items.first?["id"] as? String, "soc2")
        XCTAssertEqual(items.first?["requirements_in_scope"] as? Int, 38)
        XCTAssertEqual((items.first?["coverage"] as? [String: Int])?["total"], 38)
        XCTAssertTrue((items.first?["notice"] as? String ?? "").contains("AICPA"))
    }

    func testRequirementsMapAndUnmapAcrossFrameworks() throws {
        try makeLarkspur()
        let catalog = path("lookalike.yaml")
        try """
        catalog: 2
        framework: {id: lookalike, title: "A lookalike", version: "1", assessable_level: control}
        requirements:
          - {ref: CC6.1, level: control, title: "Access is controlled"}
          - {ref: CC9.9, level: control, title: "Something else"}
        """.write(toFile: catalog, atomically: true, encoding: .utf8)
        let before = try assure("criteria", "--format", "csv").stdout
        assertSucceeds(try assure("import", "catalog", catalog))
        XCTAssertEqual(try assure("criteria", "--format", "csv").stdout, before, "SOC 2's criteria are untouched")

        let criteria = try assure("requirements", "--framework", "soc2", "--level", "criterion", "--format", "csv")
        assertSucceeds(criteria)
        XCTAssertEqual(criteria.stdout.split(separator: "\r\n").count, 62, "header and 61 criteria")

        let ambiguous = try assure("map", "AC-01", "CC6.1")
        XCTAssertEqual(ambiguous.exitCode, 1)
        XCTAssertTrue(ambiguous.stderr.contains("soc2:CC6.1") && ambiguous.stderr.contains("lookalike:CC6.1"), ambiguous.stderr)
        assertSucceeds(try assure("map", "AC-01", "CC6.1", "--framework", "lookalike", "--relationship", "equal"))
        let mapped = try XCTUnwrap(json(try assure("requirements", "--framework", "lookalike", "--format", "json").stdout) as? [[String: Any]])
        XCTAssertEqual(mapped.first?["controls"] as? [String], ["AC-01"])
        XCTAssertEqual(mapped.first?["state"] as? String, "addressed")
        assertSucceeds(try assure("unmap", "AC-01", "lookalike:CC6.1"))
        let unknown = try assure("map", "AC-01", "CC6.1", "--framework", "nosuch")
        XCTAssertEqual(unknown.exitCode, 1)
        XCTAssertTrue(unknown.stderr.contains("unknown framework 'nosuch'"), unknown.stderr)
    }

    func testExportedCatalogImportsIntoANewWorkspaceWithTheSameRequirements() throws {
        try makeLarkspur()
        let catalog = path("internal.yaml")
        try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/v4/internal-catalog.yaml"))
            .write(toFile: catalog, atomically: true, encoding: .utf8)
        assertSucceeds(try assure("import", "catalog", catalog))
        let exported = path("exported.yaml")
        assertSucceeds(try assure("export", "catalog", "internal-2026", "--format", "yaml", "-o", exported))
        assertSucceeds(try assure("init", "fresh.assure", "--company", "Fresh"))
        assertSucceeds(try assure("import", "catalog", exported, "-w", "fresh.assure"))
        let original = try assure("requirements", "--framework", "internal-2026", "--format", "json", "-w", "larkspur.assure")
        assertSucceeds(original)
        let copy = try assure("requirements", "--framework", "internal-2026", "--format", "json", "-w", "fresh.assure")
        assertSucceeds(copy)
        XCTAssertEqual(copy.stdout, original.stdout)
        XCTAssertTrue(copy.stdout.contains("\"level\" : \"point of focus\""), copy.stdout)
    }

    func testOwnerEditAndRetireFromTheCommandLine() throws {
        try makeLarkspur()
        assertSucceeds(try assure("owner", "edit", "Omar Haddad", "--name", "Omar Haddad-Li", "--role", "Head of SRE"))
        let log = try assure("log", "--entity", "gap", "--ref", "GAP-1", "--format", "json")
        XCTAssertTrue(log.stdout.contains("Omar Haddad-Li"), "the log names him as he is called now")
        let retire = try assure("owner", "retire", "Marcus Bell")
        assertSucceeds(retire)
        XCTAssertTrue(retire.stdout.contains("Still theirs, to reassign"), retire.stdout)
        let moved = try assure("owner", "retire", "Sofia Alvarez", "--reassign-to", "Aisha Bello")
        assertSucceeds(moved)
        XCTAssertTrue(moved.stdout.contains("Moved to Aisha Bello"), moved.stdout)
        let refused = try assure("assign", "AC-01", "Marcus Bell")
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertTrue(refused.stderr.contains("Marcus Bell has retired"), refused.stderr)
        assertSucceeds(try assure("verify"))
    }
}

/// `-o` to something that is not a regular file writes into it instead of replacing it.
final class OutputTargetTests: CLITestCase {
    func testWritingToAPipeKeepsThePipe() throws {
        try makeLarkspur()
        let fifo = path("out.fifo")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // A reader drains the pipe while assure writes the report into it.
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/cat")
        reader.arguments = [fifo]
        let pipe = Pipe()
        reader.standardOutput = pipe
        try reader.run()
        assertSucceeds(try assure("report", "--format", "md", "-o", fifo))
        var info = stat()
        XCTAssertEqual(stat(fifo, &info), 0)
        guard info.st_mode & S_IFMT == S_IFIFO else {
            reader.terminate()  // nobody will ever write to the pipe it is waiting on
            return XCTFail("the pipe was replaced by a file renamed over it")
        }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        reader.waitUntilExit()
        XCTAssertTrue(text.hasPrefix("# SOC 2 readiness: Larkspur Health"), text)
    }
}
