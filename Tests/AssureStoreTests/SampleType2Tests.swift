import AssureModel
import AssureTestSupport
import Foundation
import XCTest

@testable import AssureStore

/// The Larkspur sample's `type2:` section: the SOC 2 Type II window, evidence in every review
/// state, a population with a sample, and the auditor's request list; loaded from disk
/// (`assure init --from`) and from the files built into the binary (`assure demo`).
final class SampleType2Tests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws { folder = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    // MARK: - The Larkspur sample

    func testLarkspurFromDiskHasTheType2Window() throws {
        try assertLarkspurType2(try Fixtures.larkspur())
    }

    /// `assure demo` loads the built-in YAML with a `built-in:` source path, so every file comes
    /// from `EmbeddedFiles`; this is the same call `Demo.makeCopy` makes.
    func testDemoLoadsTheEmbeddedSampleWithoutDiskFiles() throws {
        let path = folder.appendingPathComponent("larkspur-health.assure").path
        let demo = try Workspace.create(
            path: path, fromYAML: try BuiltIn.text("larkspur-health.yaml"),
            sourcePath: "built-in:larkspur-health.yaml", by: Fixtures.actor())
        defer { try? demo.close() }
        try assertLarkspurType2(demo)
        // The built-in copies are byte for byte the files in samples/larkspur-evidence.
        let disk = try Fixtures.larkspur()
        let hashes = { (w: Workspace) in try w.read { r in try r.evidence(today: Fixtures.today).map { $0.files.map(\.sha256) } } }
        XCTAssertEqual(try hashes(demo), try hashes(disk))
    }

    func testEveryEvidenceFileIsBuiltIn() throws {
        let names = try FileManager.default.contentsOfDirectory(
            atPath: Fixtures.repositoryRoot.appendingPathComponent("samples/larkspur-evidence").path)
        XCTAssertFalse(names.isEmpty)
        for name in names {
            XCTAssertTrue(name.hasPrefix("larkspur-"), name)
            XCTAssertNotNil(EmbeddedFiles.byName[name], "\(name) is not embedded")
        }
    }

    private func assertLarkspurType2(_ workspace: Workspace, file: StaticString = #filePath, line: UInt = #line) throws {
        try workspace.read { r in
            XCTAssertEqual(try r.auditTarget(), AuditTarget(reportType: .type2, windowStart: "2026-01-01", window: "6m"), file: file, line: line)
            XCTAssertEqual(try r.evidenceSettings().graceDays, 14, file: file, line: line)

            let ledger = try r.ledger(control: "GV-04", today: Fixtures.today)
            XCTAssertEqual(ledger.windowEnd, "2026-06-30", file: file, line: line)
            // March's meeting was held on 22 April and April's on 28 April; none in May.
            XCTAssertEqual(
                ledger.occurrences.map(\.state), [.evidenced, .evidenced, .late, .evidenced, .missing, .evidenced], file: file, line: line)
            XCTAssertEqual(ledger.occurrences.map(\.evidence), [["EV-2"], ["EV-3"], ["EV-4"], ["EV-5"], [], ["EV-6"]], file: file, line: line)
            func states(_ control: String) throws -> [OccurrenceState] {
                try r.ledger(control: control, today: Fixtures.today).occurrences.map(\.state)
            }
            XCTAssertEqual(try states("AV-01"), [.evidenced, .evidenced], file: file, line: line)
            XCTAssertEqual(try states("EP-03"), [.evidenced, .missing], "Q2 is still pending review", file: file, line: line)
            XCTAssertEqual(try states("HC-14"), [.evidenced, .missing], "Q2 was rejected", file: file, line: line)
            for control in ["GV-01", "GV-02", "HR-04"] { XCTAssertEqual(try states(control), [.evidenced], control, file: file, line: line) }

            let evidence = Dictionary(uniqueKeysWithValues: try r.evidence(today: Fixtures.today).map { ($0.ref, $0) })
            // Fifteen items from the Type II section, and the four outputs of the sample's collectors'
            // runs (accepted automatically).
            XCTAssertEqual(evidence.count, 19, file: file, line: line)
            XCTAssertEqual(evidence.values.filter { $0.review == .accepted }.count, 17, file: file, line: line)
            XCTAssertEqual(
                evidence.values.filter { $0.source == "aws-password-policy" }.map(\.provedFrom).sorted(), ["2026-06-01", "2026-11-16"],
                file: file, line: line)
            XCTAssertEqual(evidence["EV-10"]?.review, .pending, file: file, line: line)
            XCTAssertNil(evidence["EV-10"]?.reviewedBy, file: file, line: line)
            XCTAssertEqual(evidence["EV-12"]?.review, .rejected, file: file, line: line)
            XCTAssertEqual(evidence["EV-12"]?.reviewedBy, "Aisha Bello", file: file, line: line)
            XCTAssertTrue(evidence["EV-12"]?.reviewNote.contains("Redo with sign-off") ?? false, file: file, line: line)
            XCTAssertEqual(evidence["EV-4"]?.reviewedBy, "Dana Kim", file: file, line: line)
            XCTAssertEqual(evidence["EV-11"].map { [$0.provedFrom, $0.provedTo] }, ["2026-01-01", "2026-03-31"], file: file, line: line)
            XCTAssertEqual(evidence["EV-2"]?.currentFiles.map(\.name), ["larkspur-steering-2026-01.md"], file: file, line: line)

            let population = try r.population("new-hires-h1").population
            XCTAssertEqual(population.rowCount, 24, file: file, line: line)
            XCTAssertEqual(population.control, "AC-04", file: file, line: line)
            XCTAssertEqual(population.keyColumn, "Employee ID", file: file, line: line)

            let samples = try r.samples()
            XCTAssertEqual(samples.count, 1, file: file, line: line)
            let sample = try XCTUnwrap(samples.first, file: file, line: line)
            XCTAssertEqual(sample.ref, "SMP-1", file: file, line: line)
            XCTAssertEqual(sample.selection.size, 8, file: file, line: line)
            XCTAssertEqual(sample.selection.seed, 2026, file: file, line: line)
            XCTAssertEqual(
                sample.selection.items, ["E-2046", "E-2032", "E-2040", "E-2047", "E-2044", "E-2049", "E-2041", "E-2053"], file: file, line: line)
            XCTAssertEqual(sample.results.map(\.result), [.pass, .pass, .pass, .pass, .pass, .pass, .exception, .untested], file: file, line: line)
            XCTAssertEqual(sample.results.map(\.evidence), Array(repeating: "EV-15", count: 7) + [nil], file: file, line: line)
            XCTAssertTrue(sample.results[6].note.contains("before the manager approved"), file: file, line: line)

            let requests = try r.auditRequests()
            XCTAssertEqual(requests.map(\.ref), (1...8).map { "PBC-0\($0)" }, file: file, line: line)
            XCTAssertEqual(requests.map(\.state), [.accepted, .provided, .open, .open, .open, .rejected, .open, .open], file: file, line: line)
            XCTAssertEqual(requests.map(\.evidence), [["EV-1"], ["EV-14"], [], [], [], ["EV-13"], [], []], file: file, line: line)
            XCTAssertEqual(requests[3].controls, ["HC-14"], file: file, line: line)
            XCTAssertEqual(requests[3].requirements, ["soc2:CC6.1", "soc2:CC6.2"], file: file, line: line)
            XCTAssertEqual(requests[0].due, "2026-07-10", file: file, line: line)
        }
    }

    // MARK: - Errors name the YAML file and line

    private let header = """
        workspace: 1
        company: "Test Co"
        report_type: 2
        library: none
        type2:
          window: {start: 2026-01-01, length: 6m}

        """

    private func assertBadFile(
        _ body: @autoclosure () throws -> Any, path: String, line: Int, containing text: String,
        file: StaticString = #filePath, sourceLine: UInt = #line
    ) {
        XCTAssertThrowsError(try body(), file: file, line: sourceLine) { error in
            guard case WorkspaceError.badFile(let errorPath, let errorLine, _, let message) = error else {
                return XCTFail("expected a file error, got \(error)", file: file, line: sourceLine)
            }
            XCTAssertEqual(errorPath, path, file: file, line: sourceLine)
            XCTAssertEqual(errorLine, line, message, file: file, line: sourceLine)
            XCTAssertTrue(message.contains(text), message, file: file, line: sourceLine)
        }
    }

    func testUnknownType2KeyNamesFileAndLine() {
        let yaml = header + "  grace: 14\n"
        assertBadFile(try Fixtures.workspace(fromYAML: yaml, sourcePath: "bad.yaml"), path: "bad.yaml", line: 7, containing: "unknown field 'grace'")
        let nested = header + "  evidence:\n    - {control: GV-04, files: [a.md], effective: 2026-01-21, reviewed: yes}\n"
        assertBadFile(
            try Fixtures.workspace(fromYAML: nested, sourcePath: "bad.yaml"), path: "bad.yaml", line: 8, containing: "unknown field 'reviewed'")
        let noDate = header + "  evidence:\n    - {control: GV-04, files: [a.md]}\n"
        assertBadFile(try Fixtures.workspace(fromYAML: noDate, sourcePath: "bad.yaml"), path: "bad.yaml", line: 8, containing: "effective")
    }

    func testMissingEvidenceFileOnDiskNamesTheLine() throws {
        let yaml = header + "  evidence:\n    - control: GV-04\n      effective: 2026-01-21\n      files:\n        - evidence/missing.md\n"
        let path = folder.appendingPathComponent("sample.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let target = folder.appendingPathComponent("sample.assure").path
        assertBadFile(
            try Workspace.create(path: target, fromYAML: yaml, sourcePath: path, by: Fixtures.actor()),
            path: path, line: 11, containing: "evidence/missing.md")
        XCTAssertFalse(FileManager.default.fileExists(atPath: target), "a failed load leaves no workspace")
    }

    func testMissingBuiltInFileNamesTheLine() {
        let yaml = header + "  populations:\n    - {name: hires, file: larkspur-evidence/larkspur-nobody.csv}\n"
        assertBadFile(
            try Fixtures.workspace(fromYAML: yaml, sourcePath: "built-in:test.yaml"), path: "built-in:test.yaml", line: 8,
            containing: "larkspur-nobody.csv")
    }

    func testAFileErrorInsideACSVNamesTheCSV() throws {
        let csv = folder.appendingPathComponent("hires.csv")
        try "ID,Name\nE-1,Ann\nE-1,Bob\n".write(to: csv, atomically: true, encoding: .utf8)
        let yaml = header + "  populations:\n    - {name: hires, file: hires.csv}\n"
        let path = folder.appendingPathComponent("sample.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        assertBadFile(try Fixtures.workspace(fromYAML: yaml, sourcePath: path), path: csv.path, line: 3, containing: "already on line 2")
    }

    func testType2NeedsATypeIIReport() {
        let yaml = header.replacingOccurrences(of: "report_type: 2", with: "report_type: 1")
        assertBadFile(try Fixtures.workspace(fromYAML: yaml, sourcePath: "bad.yaml"), path: "bad.yaml", line: 6, containing: "report_type: 2")
    }
}
