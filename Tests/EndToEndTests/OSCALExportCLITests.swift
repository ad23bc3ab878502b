import AssureStore
import AssureTestSupport
import Foundation
import XCTest

/// OSCAL out: the component definition validates against the NIST 1.1.3 schema and is the same
/// bytes twice.
final class OSCALExportCLITests: CLITestCase {
    /// `../shared/reference/oscal/validate.py` (Python with jsonschema and regex; .ci/run installs them).
    func validate(_ file: String) throws -> ProcessResult {
        // Beside the repository (`../shared`), or where $ASSURE_OSCAL_REFERENCE says (a clone elsewhere).
        let candidates = [
            ProcessInfo.processInfo.environment["ASSURE_OSCAL_REFERENCE"].map { $0 + "/validate.py" },
            Fixtures.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/reference/oscal/validate.py").path,
            "/work/shared/reference/oscal/validate.py",
        ].compactMap { $0 }
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

    func json(_ file: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path(file)))) as? [String: Any])
    }

    func testAssessmentResultsCarryTheReadinessRuleAndTheGapsBehindIt() throws {
        try makeLarkspur()
        let export = try assure("export", "oscal", "assessment-results", "-o", path("results.json"))
        assertSucceeds(export)
        XCTAssertTrue(export.stderr.contains("no OSCAL assessment plan"), export.stderr)
        let checked = try validate(path("results.json"))
        XCTAssertEqual(checked.exitCode, 0, checked.stdout + checked.stderr)
        XCTAssertTrue(checked.stdout.contains("assessment-results valid"), checked.stdout)
        let text = try String(contentsOfFile: path("results.json"), encoding: .utf8)
        XCTAssertEqual(try assure("export", "oscal", "assessment-results").stdout, text, "the same bytes twice")

        let results = try XCTUnwrap((try json("results.json")["assessment-results"] as? [String: Any])?["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, 2, "SOC 2 and HIPAA")
        // The same numbers `assure status` prints: SOC 2 24 of 38 addressed, HIPAA 16 of 22.
        for (result, (satisfied, total)) in zip(results, [(24, 38), (16, 22)]) {
            let findings = try XCTUnwrap(result["findings"] as? [[String: Any]])
            XCTAssertEqual(findings.count, total)
            let states = findings.compactMap { (($0["target"] as? [String: Any])?["status"] as? [String: Any])?["state"] as? String }
            XCTAssertEqual(states.filter { $0 == "satisfied" }.count, satisfied)
        }
        // Every related observation is one the result holds, and a blocked criterion points at its gap.
        let soc2 = results[0]
        let observations = try XCTUnwrap(soc2["observations"] as? [[String: Any]])
        let known = Set(observations.compactMap { $0["uuid"] as? String })
        let findings = try XCTUnwrap(soc2["findings"] as? [[String: Any]])
        let related = findings.flatMap { ($0["related-observations"] as? [[String: String]] ?? []).compactMap { $0["observation-uuid"] } }
        XCTAssertFalse(related.isEmpty)
        XCTAssertTrue(Set(related).isSubset(of: known))
        let titles = observations.compactMap { $0["title"] as? String }
        XCTAssertTrue(titles.contains { $0.hasSuffix("No disaster-recovery failover test in the last 12 months") }, "\(titles)")

        // --framework narrows it to one result.
        let one = try assure("export", "oscal", "assessment-results", "--framework", "hipaa")
        assertSucceeds(one)
        let hipaa = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(((hipaa["assessment-results"] as? [String: Any])?["results"] as? [Any])?.count, 1)

        assertSucceeds(try assure("init", "empty.assure", "--company", "Empty", "--library", "none"))
        assertSucceeds(try assure("export", "oscal", "assessment-results", "-w", "empty.assure", "-o", path("empty.json")))
        XCTAssertEqual(try validate(path("empty.json")).exitCode, 0)
    }

    func testSystemSecurityPlanIsValidForANewWorkspaceAndMarksWhatIsNotKnown() throws {
        assertSucceeds(try assure("init", "empty.assure", "--company", "Empty", "--library", "none"))
        let empty = try assure("export", "oscal", "ssp", "-w", "empty.assure", "-o", path("empty-ssp.json"))
        assertSucceeds(empty)
        XCTAssertTrue(empty.stderr.contains("not recorded by assure"), empty.stderr)
        XCTAssertTrue(empty.stderr.contains("no control has an owner yet"), empty.stderr)
        let checked = try validate(path("empty-ssp.json"))
        XCTAssertEqual(checked.exitCode, 0, checked.stdout + checked.stderr)
        XCTAssertTrue(checked.stdout.contains("system-security-plan valid"), checked.stdout)
        let plan = try XCTUnwrap(try json("empty-ssp.json")["system-security-plan"] as? [String: Any])
        let characteristics = try XCTUnwrap(plan["system-characteristics"] as? [String: Any])
        XCTAssertEqual((characteristics["status"] as? [String: Any])?["remarks"] as? String, "Not yet recorded in the assure workspace.")
        let requirements = try XCTUnwrap((plan["control-implementation"] as? [String: Any])?["implemented-requirements"] as? [[String: Any]])
        XCTAssertEqual(requirements.count, 61, "every SOC 2 criterion: 33 Security in scope, 28 out of scope")
        func state(_ item: [String: Any]) -> String? {
            ((item["by-components"] as? [[String: Any]])?.first?["implementation-status"] as? [String: Any])?["state"] as? String
        }
        XCTAssertEqual(requirements.filter { state($0) == "planned" }.count, 33, "nothing is mapped yet")
        XCTAssertEqual(requirements.filter { state($0) == "not-applicable" }.count, 28)

        try makeLarkspur()
        assertSucceeds(try assure("export", "oscal", "ssp", "-w", "larkspur.assure", "-o", path("ssp.json")))
        XCTAssertEqual(try validate(path("ssp.json")).exitCode, 0)
        let text = try String(contentsOfFile: path("ssp.json"), encoding: .utf8)
        XCTAssertEqual(try assure("export", "oscal", "ssp", "-w", "larkspur.assure").stdout, text, "the same bytes twice")
        let larkspur = try XCTUnwrap(try json("ssp.json")["system-security-plan"] as? [String: Any])
        let users = try XCTUnwrap((larkspur["system-implementation"] as? [String: Any])?["users"] as? [[String: Any]])
        XCTAssertEqual(users.count, 8, "one user per control owner")
        let implemented = try XCTUnwrap((larkspur["control-implementation"] as? [String: Any])?["implemented-requirements"] as? [[String: Any]])
        XCTAssertEqual(implemented.filter { state($0) == "implemented" }.count, 24 + 16, "the addressed SOC 2 and HIPAA requirements")

        let wrong = try assure("export", "oscal", "sap", "-w", "larkspur.assure")
        XCTAssertNotEqual(wrong.exitCode, 0)
        XCTAssertTrue(wrong.stderr.contains("component-definition, assessment-results, poam, ssp"), wrong.stderr)
    }

    /// The README's walk-through: a catalog and its MODERATE baseline in, the library mapped to the
    /// baseline from a spreadsheet (plain references are the baseline's; SOC 2 links untouched),
    /// and the plan written for that baseline alone.
    func testABaselineImportedAndMappedFromASpreadsheetIsPlannedInOSCAL() throws {
        try makeLarkspur()
        try OSCALSynthetic.catalog().write(to: URL(fileURLWithPath: path("catalog.json")))
        try OSCALSynthetic.profile(.moderate, catalogHref: "catalog.json").write(to: URL(fileURLWithPath: path("moderate.json")))
        assertSucceeds(try assure("import", "oscal", path("catalog.json"), "--id", "sp800-53"))
        let imported = try assure("import", "oscal", path("moderate.json"), "--id", "moderate")
        assertSucceeds(imported)
        XCTAssertTrue(imported.stdout.contains("as 'moderate'"), imported.stdout)

        // The spreadsheet names controls by their labels (AC-1(10)); OSCAL ids (ac-1.10) come back in the export.
        let listed = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(try assure("requirements", "--framework", "moderate", "--format", "json").stdout.utf8))
                as? [[String: Any]])
        var labels: [String: String] = [:]
        for r in listed { if let id = (r["attributes"] as? [String: Any])?["oscal_id"] as? String { labels[id] = r["ref"] as? String } }
        let ids = OSCALSynthetic.expectedSelection(.moderate).sorted()
        let selected = try ids.prefix(4).map { try XCTUnwrap(labels[$0], "\($0) is imported") }
        let soc2Before = try assure("controls", "--format", "csv").stdout
        try "ref,criteria\nAC-01,\"\(selected[0]) \(selected[1])\"\nAC-02,\(selected[2])\n".write(
            toFile: path("map.csv"), atomically: true, encoding: .utf8)
        let mapped = try assure("import", "controls", path("map.csv"), "--framework", "moderate")
        assertSucceeds(mapped)
        XCTAssertTrue(mapped.stdout.contains("AC-01 criteria: none -> moderate:\(selected[0]) moderate:\(selected[1])"), mapped.stdout)
        XCTAssertEqual(try assure("controls", "--format", "csv").stdout, soc2Before, "the SOC 2 criteria column is untouched")
        // A requirement also answers to its OSCAL id, as other tools' mapping sheets name it.
        let byID = try assure("map", "AC-03", ids[3], "--framework", "moderate")
        assertSucceeds(byID)
        XCTAssertTrue(byID.stdout.contains(try XCTUnwrap(labels[ids[3]])), byID.stdout)
        let unknown = try assure("import", "controls", path("map.csv"), "--framework", "nosuch")
        XCTAssertNotEqual(unknown.exitCode, 0)
        XCTAssertTrue(unknown.stderr.contains("nosuch"), unknown.stderr)

        assertSucceeds(try assure("export", "oscal", "ssp", "--framework", "moderate", "-o", path("ssp.json")))
        XCTAssertEqual(try validate(path("ssp.json")).exitCode, 0)
        let plan = try XCTUnwrap(try json("ssp.json")["system-security-plan"] as? [String: Any])
        let requirements = try XCTUnwrap((plan["control-implementation"] as? [String: Any])?["implemented-requirements"] as? [[String: Any]])
        let written = requirements.compactMap { $0["control-id"] as? String }
        XCTAssertEqual(written.count, Set(written).count)
        XCTAssertTrue(written.contains(ids[0]) && written.contains(ids[2]), "the plan names the baseline's own OSCAL ids")
        let first = try XCTUnwrap(requirements.first { $0["control-id"] as? String == ids[0] })
        let description = ((first["by-components"] as? [[String: Any]])?.first?["description"] as? String) ?? ""
        XCTAssertTrue(description.contains("AC-01"), description)
    }

    func testAcceptedEvidenceBecomesObservationsOfItsRequirements() throws {
        assertSucceeds(try assure("init", "acme.assure", "--company", "Acme"))
        try "user,decision\nalice,keep\n".write(toFile: path("review.csv"), atomically: true, encoding: .utf8)
        assertSucceeds(try assure("evidence", "add", "AC-03", path("review.csv"), "--period", "2026-01-01..2026-03-31"))
        assertSucceeds(try assure("evidence", "add", "AC-03", path("review.csv"), "--effective", "2026-05-01"))
        assertSucceeds(try assure("evidence", "accept", "EV-1", "--note", "checked"))
        assertSucceeds(try assure("export", "oscal", "assessment-results", "-o", path("ar.json")))
        XCTAssertEqual(try validate(path("ar.json")).exitCode, 0)
        let results = try XCTUnwrap((try json("ar.json")["assessment-results"] as? [String: Any])?["results"] as? [[String: Any]])
        let observations = try XCTUnwrap(results[0]["observations"] as? [[String: Any]])
        let proof = try XCTUnwrap(observations.first { ($0["title"] as? String)?.hasPrefix("EV-1:") == true })
        XCTAssertFalse(observations.contains { ($0["title"] as? String)?.hasPrefix("EV-2:") == true }, "pending evidence is not an observation")
        let relevant = try XCTUnwrap(proof["relevant-evidence"] as? [[String: Any]])
        XCTAssertTrue((relevant.first?["description"] as? String ?? "").contains("review.csv (version 1, sha256 "), "\(relevant)")
        // AC-03 serves CC6.2: that finding points at the evidence.
        let finding = try XCTUnwrap(
            (results[0]["findings"] as? [[String: Any]])?.first { ($0["target"] as? [String: Any])?["target-id"] as? String == "CC6.2" })
        let linked = (finding["related-observations"] as? [[String: String]] ?? []).compactMap { $0["observation-uuid"] }
        XCTAssertTrue(linked.contains(proof["uuid"] as? String ?? "-"))
    }
}
