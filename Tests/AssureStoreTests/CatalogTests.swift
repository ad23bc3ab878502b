import AssureModel
import AssureTestSupport
import Foundation
import XCTest

@testable import AssureStore

final class CatalogTests: XCTestCase {
    static let expectedCriteria: [String] = {
        var refs: [String] = []
        for (series, count) in [
            ("CC1", 5), ("CC2", 3), ("CC3", 4), ("CC4", 2), ("CC5", 3), ("CC6", 8), ("CC7", 5), ("CC8", 1), ("CC9", 2),
            ("A1", 3), ("C1", 2), ("PI1", 5), ("P1", 1), ("P2", 1), ("P3", 2), ("P4", 3), ("P5", 2), ("P6", 7),
            ("P7", 1), ("P8", 1),
        ] {
            for i in 1...count { refs.append("\(series).\(i)") }
        }
        return refs
    }()

    func testBuiltInSOC2CatalogHasAll61CriteriaInOrder() throws {
        let catalog = try BuiltIn.soc2Catalog()
        XCTAssertEqual(catalog.framework.id, "soc2", "the catalog file still says soc2-2017; it loads under the v5 id")
        XCTAssertEqual(catalog.criteria.map(\.ref), Self.expectedCriteria)
        XCTAssertEqual(catalog.criteria.count, 61)
        let categories = catalog.requirements.filter { $0.kind == .category }
        XCTAssertEqual(categories.map(\.category), ["security", "availability", "confidentiality", "processing-integrity", "privacy"])
        for criterion in catalog.criteria {
            XCTAssertFalse(criterion.summary.isEmpty, "\(criterion.ref) has no summary")
            let points = catalog.requirements.filter { $0.parentRef == criterion.ref && $0.kind == .point }
            XCTAssertFalse(points.isEmpty, "\(criterion.ref) has no points of focus")
            XCTAssertEqual(points.first?.ref, "\(criterion.ref).1")
        }
        XCTAssertTrue(
            catalog.criteria.first!.title.hasPrefix("COSO Principle 1: The entity demonstrates a commitment to integrity and ethical values"))
        XCTAssertEqual(catalog.requirements.first { $0.ref == "CC6" }?.title, "Logical and Physical Access Controls")
        XCTAssertEqual(catalog.requirements.first { $0.ref == "CC1.1.1" }?.title, "Sets the Tone at the Top")
        // Points of focus revised in 2022, checked against public transcriptions of the AICPA text.
        func points(_ ref: String) -> [String] { catalog.requirements.filter { $0.parentRef == ref && $0.kind == .point }.map(\.title) }
        XCTAssertEqual(points("CC1.2").last, "Supplements Board Expertise")
        XCTAssertEqual(
            points("CC6.2"),
            [
                "Creates Access Credentials to Protected Information Assets", "Reviews Validity of Access Credentials",
                "Prevents the Use of Credentials When No Longer Valid",
            ])
        XCTAssertEqual(points("CC7.5")[1], "Communicates Information About the Incident")
        XCTAssertEqual(catalog.requirements.filter { $0.kind == .point }.count, 330, "the 2022 publication's points of focus")
    }

    func testStarterLibraryCoversEveryCriterion() throws {
        let library = try BuiltIn.starterLibrary()
        XCTAssertGreaterThanOrEqual(library.count, 120)
        XCTAssertEqual(Set(library.map { $0.ref.uppercased() }).count, library.count, "duplicate control refs")
        let known = Set(Self.expectedCriteria)
        for control in library {
            XCTAssertFalse(control.requirements.isEmpty, "\(control.ref) maps to nothing")
            for ref in control.criteria { XCTAssertTrue(known.contains(ref), "\(control.ref) maps to unknown \(ref)") }
            if control.criteria.isEmpty {
                XCTAssertFalse(control.requirements.contains { $0.hasPrefix("soc2:") }, "\(control.ref): SOC 2 links are its criteria")
            }
            XCTAssertFalse(control.description.isEmpty, "\(control.ref) has no description")
            XCTAssertFalse(control.evidenceHint.isEmpty, "\(control.ref) has no evidence hint")
        }
        let covered = Set(library.flatMap(\.criteria))
        XCTAssertEqual(known.subtracting(covered).sorted(), [], "criteria no starter control addresses")
    }

    func testNoBrokenEncodingInBuiltInText() throws {
        for name in [BuiltIn.soc2CatalogName, BuiltIn.starterLibraryName] + BuiltIn.sampleNames.map({ $0 + ".yaml" }) {
            let text = try BuiltIn.text(name)
            for marker in ["\u{FFFD}", "â€", "Ã©", "Ã", "\u{0}"] {
                XCTAssertFalse(text.contains(marker), "\(name) contains \(marker.debugDescription)")
            }
        }
    }

    func testBuiltInFilesMatchTheRepository() throws {
        // The binary embeds copies; they must be the files in the repository.
        let root = Fixtures.repositoryRoot
        XCTAssertEqual(
            try BuiltIn.text(BuiltIn.soc2CatalogName),
            try String(contentsOf: root.appendingPathComponent("Sources/AssureStore/Catalogs/soc2-2017.yaml"), encoding: .utf8))
        XCTAssertEqual(try BuiltIn.text("larkspur-health.yaml"), try Fixtures.sampleText("larkspur-health"))
    }

    func testMalformedCatalogsAreRefusedWithFileLineColumn() throws {
        let cases: [(String, String)] = [
            (
                "catalog: 1\nframework:\n  id: x\n  title: X\ncategories:\n  - ref: A\n    title: A\n    criteria:\n      - ref: A.1\n        titel: oops\n",
                "bad.yaml:10:9: unknown field 'titel' (did you mean 'title'?)"
            ),
            (
                "catalog: 1\nframework:\n  id: x\n  title: X\ncategories:\n  - ref: A\n    title: A\n    criteria:\n      - ref: A.1\n        title: one\n      - ref: A.1\n        title: two\n",
                "bad.yaml:11:9: duplicate reference 'A.1' (first defined on line 9)"
            ),
            ("catalog: 1\nframework: [unclosed\n", "bad.yaml:3:1: YAML syntax: while parsing a flow sequence did not find expected ',' or ']'"),
            ("catalog: 3\n", "bad.yaml:1:10: unsupported catalog format version; this assure reads versions 1 and 2"),
            (
                "catalog: 1\nframework:\n  id: x\n  title: X\ncategories:\n  - ref: A\n    title: A\n",
                "bad.yaml:6:5: category 'A' has neither 'series' nor 'criteria'"
            ),
        ]
        for (yaml, message) in cases {
            let workspace = try Fixtures.workspace(scope: Scope(company: "A"), by: Fixtures.actor())
            let before = try workspace.read { try $0.log() }.count
            XCTAssertThrowsError(try workspace.write(Fixtures.actor()) { try $0.importCatalog(yaml: yaml, path: "bad.yaml") }) { error in
                XCTAssertEqual("\(error)", message)
            }
            XCTAssertEqual(try workspace.read { try $0.log() }.count, before)
            XCTAssertEqual(try workspace.read { try $0.frameworks() }.count, 1)
        }
    }

    func testImportingASecondFrameworkAddsItsRequirements() throws {
        let workspace = try Fixtures.workspace(scope: Scope(company: "A"), by: Fixtures.actor())
        let yaml = """
            catalog: 1
            framework: {id: hipaa-security, title: "HIPAA Security Rule", version: "2013"}
            categories:
              - ref: "164.308"
                key: administrative
                title: "Administrative safeguards"
                criteria:
                  - ref: "164.308(a)(1)"
                    title: "Security management process"
                    summary: "Run a risk analysis and manage the risks it finds."
                    points_of_focus: ["Risk analysis", "Risk management"]
            """
        let catalog = try workspace.write(Fixtures.actor()) { try $0.importCatalog(yaml: yaml, path: "hipaa.yaml") }.value
        XCTAssertEqual(catalog.requirements.map(\.ref), ["164.308", "164.308(a)(1)", "164.308(a)(1).1", "164.308(a)(1).2"])
        XCTAssertEqual(try workspace.read { try $0.frameworks() }.map(\.id), ["soc2", "hipaa-security"])
        XCTAssertEqual(try workspace.read { try $0.log() }.last?.field, "imported")
        XCTAssertThrowsError(try workspace.write(Fixtures.actor()) { try $0.importCatalog(yaml: yaml, path: "hipaa.yaml") }) {
            XCTAssertEqual("\($0)", "framework 'hipaa-security' already exists")
        }
    }

    func testLarkspurSampleLoads() throws {
        let workspace = try Fixtures.larkspur()
        let scope = try workspace.read { try $0.scope() }
        XCTAssertEqual(scope.company, "Larkspur Health")
        XCTAssertEqual(scope.orderedCategories, [.security, .availability, .confidentiality])
        XCTAssertEqual(scope.reportType, .type2)
        XCTAssertGreaterThanOrEqual(try workspace.read { try $0.owners(today: Fixtures.today) }.count, 7)
        let gaps = try workspace.read { try $0.gaps() }
        XCTAssertGreaterThanOrEqual(gaps.count, 20)
        XCTAssertTrue(gaps.contains { $0.isOverdue(today: "2026-11-20") })
        XCTAssertTrue(try workspace.read { try $0.verifyChain() }.isIntact)
    }

    func testBadSampleIsRefusedWithItsLineAndNoFileIsLeft() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("s.assure").path
        let yaml = "workspace: 1\ncompany: X\nowners:\n  - name: Ann\ncontrols:\n  - ref: AC-01\n    owner: Bob\n"
        XCTAssertThrowsError(try Workspace.create(path: path, fromYAML: yaml, sourcePath: "s.yaml", by: Fixtures.actor("a"))) { error in
            XCTAssertEqual("\(error)", "s.yaml:6:5: unknown owner 'Bob'")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }
}
