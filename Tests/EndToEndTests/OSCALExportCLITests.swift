import AssureTestSupport
import Foundation
import XCTest

/// OSCAL out: the component definition validates against the NIST 1.1.3 schema and is the same
/// bytes twice.
final class OSCALExportCLITests: CLITestCase {
    /// `../shared/reference/oscal/validate.py` (Python with jsonschema and regex; .ci/run installs them).
    func validate(_ file: String) throws -> ProcessResult {
        // Beside the repository (`../shared`), or where $ASSURE_OSCAL_REFERENCE says (a clone elsewhere).
        let candidates = [ProcessInfo.processInfo.environment["ASSURE_OSCAL_REFERENCE"].map { $0 + "/validate.py" },
                          Fixtures.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/reference/oscal/validate.py").path,
                          "/work/shared/reference/oscal/validate.py"].compactMap { $0 }
        guard let script = candidates.first(where: FileManager.default.fileExists) else {
            throw XCTSkip("the OSCAL reference schemas are not on this machine (set ASSURE_OSCAL_REFERENCE)")
        }
        return try runProcess("/usr/bin/env", ["python3", script, file], environment: ProcessInfo.processInfo.environment)
    }

    func testComponentDefinitionIsValidStableAndSaysWhatItRewrote() throws {
        try makeLarkspur()
        let export = try assure("export", "oscal", "component-definition", "-o", path("component.json"))
        assertSucceeds(export)
        XCTAssertTrue(export.stderr.contains("hipaa:164.312(d) is written as control-id r-164.312-d"), export.stderr)
        let checked = try validate(path("component.json"))
        XCTAssertEqual(checked.exitCode, 0, checked.stdout + checked.stderr)
        XCTAssertTrue(checked.stdout.contains("component-definition valid"), checked.stdout)

        let text = try String(contentsOfFile: path("component.json"), encoding: .utf8)
        XCTAssertEqual(try assure("export", "oscal", "component-definition").stdout, text, "the same bytes twice")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let document = try XCTUnwrap(object["component-definition"] as? [String: Any])
        let component = try XCTUnwrap((document["components"] as? [[String: Any]])?.first)
        let implementations = try XCTUnwrap(component["control-implementations"] as? [[String: Any]])
        XCTAssertEqual(implementations.count, 2, "SOC 2 and HIPAA")
        let soc2 = try XCTUnwrap(implementations.first?["implemented-requirements"] as? [[String: Any]])
        XCTAssertEqual(soc2.count, 38, "every in-scope SOC 2 criterion is reached")
        XCTAssertTrue(soc2.contains { $0["control-id"] as? String == "CC6.1" })

        // A new workspace with no controls is still a valid document.
        assertSucceeds(try assure("init", "empty.assure", "--company", "Empty", "--library", "none"))
        assertSucceeds(try assure("export", "oscal", "component-definition", "-w", "empty.assure", "-o", path("empty.json")))
        XCTAssertEqual(try validate(path("empty.json")).exitCode, 0)
    }

    func testPOAMListsTheOpenGapsAndIsValidEvenWithNone() throws {
        try makeLarkspur()
        assertSucceeds(try assure("export", "oscal", "poam", "-o", path("poam.json")))
        let checked = try validate(path("poam.json"))
        XCTAssertEqual(checked.exitCode, 0, checked.stdout + checked.stderr)
        let text = try String(contentsOfFile: path("poam.json"), encoding: .utf8)
        XCTAssertEqual(try assure("export", "oscal", "poam").stdout, text, "the same bytes twice")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let items = try XCTUnwrap((object["plan-of-action-and-milestones"] as? [String: Any])?["poam-items"] as? [[String: Any]])
        XCTAssertEqual(items.count, 20, "Larkspur's open gaps")
        XCTAssertTrue(items.contains { $0["title"] as? String == "No disaster-recovery failover test in the last 12 months" })

        assertSucceeds(try assure("init", "empty.assure", "--company", "Empty", "--library", "none"))
        let empty = try assure("export", "oscal", "poam", "-w", "empty.assure", "-o", path("empty-poam.json"))
        assertSucceeds(empty)
        XCTAssertTrue(empty.stderr.contains("no open gap"), empty.stderr)
        XCTAssertEqual(try validate(path("empty-poam.json")).exitCode, 0)
    }
}
