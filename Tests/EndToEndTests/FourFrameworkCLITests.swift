import AssureTestSupport
import Foundation
import XCTest

/// A workspace with SOC 2, ISO 27001, HIPAA and GDPR, driven from the command line.
final class FourFrameworkCLITests: CLITestCase {
    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    func testInitWithFourFrameworksAndWhatTheCommandsSay() throws {
        let created = try assure("init", "acme.assure", "--company", "Acme", "--frameworks", "soc2,iso27001,hipaa,gdpr")
        assertSucceeds(created)
        XCTAssertTrue(created.stdout.contains("soc2, iso27001, hipaa, gdpr"), created.stdout)

        let frameworks = try XCTUnwrap(json(try assure("frameworks", "--format", "json").stdout) as? [[String: Any]])
        XCTAssertEqual(frameworks.map { $0["id"] as? String }, ["soc2", "iso27001", "hipaa", "gdpr"])
        for f in frameworks {
            let coverage = try XCTUnwrap(f["coverage"] as? [String: Int])
            XCTAssertEqual(coverage["covered"], coverage["total"], "\(f["id"] ?? "") is fully reached by the library")
        }

        let iso = try XCTUnwrap(
            json(try assure("requirements", "--framework", "iso27001", "--level", "control", "--format", "json").stdout) as? [[String: Any]])
        XCTAssertEqual(iso.count, 93)
        XCTAssertEqual(iso.first?["parent"] as? String, "A.5")
        XCTAssertEqual((iso.first?["attributes"] as? [String: String])?["theme"], "organizational")
        XCTAssertFalse((iso.first?["controls"] as? [String] ?? []).isEmpty)

        let hipaa = try XCTUnwrap(json(try assure("requirements", "--framework", "hipaa", "--format", "json").stdout) as? [[String: Any]])
        XCTAssertEqual(hipaa.filter { $0["level"] as? String == "standard" }.count, 22)
        let spec = try XCTUnwrap(hipaa.first { $0["ref"] as? String == "164.312(a)(2)(iv)" })
        XCTAssertEqual((spec["attributes"] as? [String: String])?["implementation"], "addressable")
        XCTAssertTrue(spec["decision"] is NSNull)

        // An addressable specification's decision, with its reason, is on the record.
        let refused = try assure("decide", "164.312(a)(2)(iv)", "alternative", "--framework", "hipaa")
        XCTAssertNotEqual(refused.exitCode, 0)
        XCTAssertTrue(refused.stderr.contains("--reason"), refused.stderr)
        assertSucceeds(
            try assure("decide", "164.312(a)(2)(iv)", "alternative", "--reason", "Volumes encrypted by the provider", "--framework", "hipaa"))
        let decided = try XCTUnwrap(json(try assure("requirements", "--framework", "hipaa", "--format", "json").stdout) as? [[String: Any]])
        let decision = try XCTUnwrap(decided.first { $0["ref"] as? String == "164.312(a)(2)(iv)" }?["decision"] as? [String: String])
        XCTAssertEqual(decision["decision"], "alternative")
        XCTAssertEqual(decision["reason"], "Volumes encrypted by the provider")

        let impact = try XCTUnwrap(json(try assure("impact", "AC-02", "--format", "json").stdout) as? [String: Any])
        let served = Set((impact["requirements"] as? [[String: Any]] ?? []).compactMap { $0["framework"] as? String })
        XCTAssertEqual(served, ["soc2", "iso27001", "hipaa", "gdpr"])

        // The SoA: every Annex A control, the same bytes twice.
        assertSucceeds(try assure("scope", "iso27001", "A.7.4", "--exclude", "--justification", "Fully remote; no offices"))
        let soa = try assure("export", "soa", "--format", "csv")
        assertSucceeds(soa)
        XCTAssertEqual(soa.stdout.components(separatedBy: "\r\n").filter { $0.hasPrefix("A.") }.count, 93)
        XCTAssertTrue(soa.stdout.contains("A.7.4,Physical security monitoring,physical,no,Fully remote; no offices,not applicable"), soa.stdout)
        XCTAssertEqual(try assure("export", "soa", "--format", "csv").stdout, soa.stdout)
        let markdown = try assure("export", "soa", "--format", "md")
        XCTAssertTrue(markdown.stdout.hasPrefix("# Statement of Applicability\n"), markdown.stdout)
        XCTAssertTrue(markdown.stdout.contains("Change log: "), markdown.stdout)
    }

    func testFrameworkAddAndLint() throws {
        try makeLarkspur()
        let lint = try assure("lint")
        assertSucceeds(lint)
        XCTAssertEqual(lint.stdout, "No findings.\n")
        let added = try assure("framework", "add", "gdpr")
        assertSucceeds(added)
        XCTAssertTrue(added.stdout.hasPrefix("Added gdpr (General Data Protection Regulation (GDPR)): 60 requirements;"), added.stdout)
        let again = try assure("framework", "add", "gdpr")
        XCTAssertNotEqual(again.exitCode, 0)

        let builtIn = try assure("lint", "--built-in")
        assertSucceeds(builtIn)
        XCTAssertTrue(builtIn.stdout.hasPrefix("Built-in content: no findings"), builtIn.stdout)

        let broken = path("broken.yaml")
        try "catalog: 2\nframework: {id: t, title: T, assessable_level: control}\nrequirements:\n  - {ref: A, level: control, title: \"CafÃ©\"}\n"
            .write(toFile: broken, atomically: true, encoding: .utf8)
        let findings = try assure("lint", "catalog", broken, "--format", "json")
        XCTAssertEqual(findings.exitCode, 1)
        let items = try XCTUnwrap(json(findings.stdout) as? [[String: String]])
        XCTAssertEqual(items.map { $0["code"] }, ["mojibake"])
    }
}
