import AssureModel
import AssureTestSupport
import Foundation
import XCTest

@testable import AssureStore

/// The OSCAL importer: catalogs, profile resolution (each directive), errors with JSON paths,
/// the workspace write and the CLI.
final class OSCALImportTests: XCTestCase {
    static let synthetic = OSCALSynthetic.catalog()
    var folder: URL!

    override func setUpWithError() throws { folder = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    // MARK: Helpers

    func write(_ name: String, _ object: Any) throws -> String {
        let url = folder.appendingPathComponent(name)
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: url)
        return url.path
    }

    func load(_ path: String, id: String? = "t") throws -> Catalog {
        try OSCALImporter.catalog(json: try Data(contentsOf: URL(fileURLWithPath: path)), path: path, id: id)
    }

    /// The refusal's message, or a failure when it was accepted.
    func refusal(_ path: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try load(path)
            XCTFail("accepted \(path)", file: file, line: line)
            return ""
        } catch let error as WorkspaceError {
            guard case .badFile = error else { XCTFail("not badFile: \(error)", file: file, line: line); return "" }
            return error.description
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
            return ""
        }
    }

    func byRef(_ catalog: Catalog) -> [String: Requirement] {
        Dictionary(uniqueKeysWithValues: catalog.requirements.map { ($0.ref, $0) })
    }

    static func control(
        _ id: String, _ title: String, label: String? = nil, params: [[String: Any]] = [], prose: String? = nil,
        items: [[String: Any]] = [], withdrawn: Bool = false, controls: [[String: Any]] = []
    ) -> [String: Any] {
        var props: [[String: Any]] = [["name": "label", "value": label ?? id.uppercased()], ["name": "sort-id", "value": id]]
        if withdrawn { props.append(["name": "status", "value": "withdrawn"]) }
        var statement: [String: Any] = ["id": "\(id)_smt", "name": "statement", "class": "stmt"]
        if let prose { statement["prose"] = prose }
        if !items.isEmpty { statement["parts"] = items }
        var object: [String: Any] = [
            "id": id, "title": title, "class": "test", "props": props,
            "parts": [statement, ["id": "\(id)_gdn", "name": "guidance", "prose": "Guidance for \(id)."]],
        ]
        if !params.isEmpty { object["params"] = params }
        if !controls.isEmpty { object["controls"] = controls }
        return object
    }

    /// g1 { c1 { c1.1, c1.2 { c1.2.1 } }, c2 }, g2 { c3 (withdrawn), c4 }.
    static var small: [String: Any] {
        let c1 = control(
            "c1", "First",
            params: [
                ["id": "c1_prm_1", "label": "frequency"],
                ["id": "c1_prm_2", "select": ["how-many": "one-or-more", "choice": ["daily", "weekly"]]],
            ], prose: "Review the accounts:",
            items: [
                [
                    "id": "c1_smt.a", "name": "item", "props": [["name": "label", "value": "a."]], "prose": "every {{ insert: param, c1_prm_1 }};",
                    "parts": [
                        [
                            "id": "c1_smt.a.1", "name": "item", "props": [["name": "label", "value": "1."]],
                            "prose": "by {{ insert: param, c1_prm_2 }}.",
                        ]
                    ],
                ],
                ["id": "c1_smt.b", "name": "item", "props": [["name": "label", "value": "b."]], "prose": "and report."],
            ],
            controls: [
                control("c1.1", "First enhancement", label: "C1(1)"),
                control("c1.2", "Second enhancement", label: "C1(2)", controls: [control("c1.2.1", "Nested enhancement", label: "C1(2)(a)")]),
            ])
        return [
            "catalog": [
                "uuid": "11111111-1111-4111-8111-111111111111",
                "metadata": [
                    "title": "Small Test Catalog", "version": "1.0", "last-modified": "2026-01-01T00:00:00Z", "oscal-version": "1.1.3",
                    "parties": [["uuid": "22222222-2222-4222-8222-222222222222", "type": "organization", "name": "Test Publisher"]],
                    "responsible-parties": [["role-id": "publisher", "party-uuids": ["22222222-2222-4222-8222-222222222222"]]],
                ] as [String: Any],
                "groups": [
                    ["id": "g1", "title": "Group One", "controls": [c1, control("c2", "Second", prose: "Do the second thing.")]],
                    [
                        "id": "g2", "title": "Group Two",
                        "controls": [control("c3", "Withdrawn", withdrawn: true), control("c4", "Fourth", prose: "Fourth.")],
                    ],
                ],
            ] as [String: Any]
        ]
    }

    func profile(
        _ name: String, imports: [[String: Any]], merge: [String: Any]? = nil, modify: [String: Any]? = nil,
        backMatter: [String: Any]? = nil
    ) throws -> String {
        var profile: [String: Any] = [
            "uuid": "33333333-3333-4333-8333-333333333333",
            "metadata": ["title": "Profile \(name)", "version": "1", "last-modified": "2026-01-01T00:00:00Z", "oscal-version": "1.1.3"],
            "imports": imports,
        ]
        if let merge { profile["merge"] = merge }
        if let modify { profile["modify"] = modify }
        if let backMatter { profile["back-matter"] = backMatter }
        return try write(name, ["profile": profile])
    }

    func resolve(imports: [[String: Any]], merge: [String: Any]? = ["as-is": true], modify: [String: Any]? = nil) throws -> Catalog {
        _ = try write("small.json", Self.small)
        return try load(try profile("p.json", imports: imports, merge: merge, modify: modify))
    }

    func oscalIDs(_ catalog: Catalog) -> [String] { catalog.requirements.compactMap { $0.level == "group" ? nil : $0.attributes["oscal_id"] } }

    // MARK: Catalogs

    func testSyntheticCatalogCountsLevelsAndRoles() throws {
        let counts = OSCALSynthetic.counts()
        XCTAssertEqual(counts.groups, 20)
        XCTAssertGreaterThan(counts.controls + counts.enhancements, 1_000)
        XCTAssertGreaterThan(counts.nestedEnhancements, 0)
        XCTAssertGreaterThan(counts.withdrawn, 0)
        let catalog = try OSCALImporter.catalog(json: Self.synthetic, path: "synthetic.json", id: "syn", loadImport: { _ in nil })
        let levels = Dictionary(grouping: catalog.requirements, by: \.level).mapValues(\.count)
        XCTAssertEqual(levels, ["group": counts.groups, "control": counts.controls, "enhancement": counts.enhancements])
        XCTAssertEqual(catalog.criteria.count, counts.controls, "controls are assessable, enhancements are details below them")
        XCTAssertEqual(catalog.requirements.filter { $0.kind == .point }.count, counts.enhancements)
        XCTAssertEqual(catalog.requirements.filter { $0.kind == .category }.count, 20)
        XCTAssertEqual(catalog.requirements.filter { $0.attributes["status"] == "withdrawn" }.count, counts.withdrawn)
        var params = 0
        for requirement in catalog.requirements {
            guard let text = requirement.attributes["params"] else { continue }
            let list = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
            params += list.count
        }
        XCTAssertEqual(params, counts.params)
        XCTAssertEqual(catalog.framework.id, "syn")
        XCTAssertEqual(catalog.framework.assessableLevel, "control")
        XCTAssertEqual(catalog.framework.publisher, "Synthetic Standards Office")
        XCTAssertEqual(catalog.framework.version, "5.1.1-synthetic")
        XCTAssertEqual(catalog.framework.source, "synthetic.json")
        let refs = byRef(catalog)
        let ac1 = try XCTUnwrap(refs["AC-1"])
        XCTAssertEqual(ac1.parentRef, "AC")
        XCTAssertEqual(ac1.category, "ac")
        XCTAssertEqual(ac1.attributes["oscal_id"], "ac-1")
        XCTAssertEqual(ac1.attributes["sort_id"], "ac-01")
        XCTAssertEqual(ac1.attributes["class"], "SP800-53")
        XCTAssertFalse(ac1.statement.contains("{{"), "parameters are rendered: \(ac1.statement)")
        let nested = try XCTUnwrap(catalog.requirements.first { $0.attributes["oscal_id"]?.split(separator: ".").count == 3 })
        XCTAssertEqual(nested.level, "enhancement")
        XCTAssertEqual(refs[nested.parentRef ?? ""]?.level, "enhancement", "an enhancement of an enhancement stays under it")
    }

    func testSmallCatalogStatementParamsAndRefs() throws {
        let catalog = try load(try write("small.json", Self.small))
        XCTAssertEqual(catalog.framework.title, "Small Test Catalog")
        XCTAssertEqual(catalog.framework.publisher, "Test Publisher")
        XCTAssertEqual(catalog.framework.notice, "Imported from OSCAL")
        XCTAssertEqual(catalog.requirements.map(\.ref), ["G1", "C1", "C1(1)", "C1(2)", "C1(2)(a)", "C2", "G2", "C3", "C4"])
        XCTAssertEqual(
            catalog.requirements.map(\.level),
            ["group", "control", "enhancement", "enhancement", "enhancement", "control", "group", "control", "control"])
        let refs = byRef(catalog)
        XCTAssertEqual(
            refs["C1"]?.statement,
            """
            Review the accounts:
            a. every [Assignment: frequency];
              1. by [Selection (one or more): daily; weekly].
            b. and report.
            """)
        XCTAssertEqual(
            refs["C1"]?.attributes["params"],
            #"[{"id":"c1_prm_1","label":"frequency"},{"id":"c1_prm_2","select":{"how-many":"one-or-more","choice":["daily","weekly"]}}]"#)
        XCTAssertEqual(refs["C1(2)(a)"]?.parentRef, "C1(2)")
        XCTAssertEqual(refs["C1(2)(a)"]?.kind, .point)
        XCTAssertEqual(refs["C3"]?.attributes["status"], "withdrawn")
        XCTAssertNil(refs["C4"]?.attributes["status"])
        XCTAssertEqual(refs["G2"]?.kind, .category)
    }

    func testNISTBasicCatalogExample() throws {
        let path = "/work/shared/reference/oscal/examples/basic-catalog.json"
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("no reference examples here") }
        let catalog = try load(path, id: nil)
        XCTAssertEqual(catalog.framework.id, "sample-security-catalog-for-demonstration-and")
        XCTAssertEqual(catalog.framework.version, "1.1")
        XCTAssertTrue(catalog.framework.notice.contains("ISO/IEC 27002:2013"), "the remarks are the notice")
        XCTAssertEqual(catalog.requirements.filter { $0.level == "group" }.count, 4)
        XCTAssertEqual(catalog.requirements.filter { $0.level == "control" }.map(\.ref), ["1.1.1", "1.1.2", "2.1.1", "2.1.2"])
        XCTAssertEqual(catalog.requirements.filter { $0.kind == .series }.map(\.ref), ["S1.1", "2.1"], "a label when there is one, else the id")
        let first = try XCTUnwrap(byRef(catalog)["1.1.1"])
        XCTAssertEqual(first.parentRef, "S1.1")
        XCTAssertEqual(first.attributes["oscal_id"], "s1.1.1")
        XCTAssertTrue(
            first.statement.contains(
                "A value has been assigned to [Selection (one or more): initiating a device lock after [Assignment: a duration] of inactivity; requiring"
            ),
            first.statement)
    }

    // MARK: Profile directives

    func testIncludeWithIDsKeepsGroupsAsIs() throws {
        let catalog = try resolve(imports: [["href": "small.json", "include-controls": [["with-ids": ["c1", "c4"]]]]])
        XCTAssertEqual(catalog.requirements.map(\.ref), ["G1", "C1", "G2", "C4"])
        XCTAssertEqual(catalog.framework.title, "Profile p.json")
        XCTAssertEqual(catalog.framework.publisher, "Test Publisher", "the catalog's publisher carries through a profile without one")
        XCTAssertEqual(byRef(catalog)["C1"]?.parentRef, "G1")
    }

    func testWithChildControlsTakesEveryDescendant() throws {
        let catalog = try resolve(imports: [["href": "small.json", "include-controls": [["with-ids": ["c1"], "with-child-controls": "yes"]]]])
        XCTAssertEqual(oscalIDs(catalog), ["c1", "c1.1", "c1.2", "c1.2.1"])
    }

    func testExcludePrevailsAndTakesChildren() throws {
        let catalog = try resolve(imports: [
            [
                "href": "small.json", "include-all": [String: Any](),
                "exclude-controls": [["with-ids": ["c1.2"], "with-child-controls": "yes"], ["with-ids": ["c3"]]],
            ]
        ])
        XCTAssertEqual(oscalIDs(catalog), ["c1", "c1.1", "c2", "c4"])
        let matching = try resolve(
            imports: [
                [
                    "href": "small.json", "include-controls": [["matching": [["pattern": "c1*"]]]],
                    "exclude-controls": [["matching": [["pattern": "c1.?"]]]],
                ]
            ], merge: ["flat": [String: Any]()])
        XCTAssertEqual(oscalIDs(matching), ["c1", "c1.2.1"], "c1.2.1 rises to c1 when c1.2 is left out")
        XCTAssertEqual(byRef(matching)["C1(2)(a)"]?.parentRef, "C1")
    }

    func testAsIsKeepsAnUnselectedParentAsImplicit() throws {
        let catalog = try resolve(imports: [["href": "small.json", "include-controls": [["with-ids": ["c1.1"]]]]])
        XCTAssertEqual(catalog.requirements.map(\.ref), ["G1", "C1", "C1(1)"])
        let parent = try XCTUnwrap(byRef(catalog)["C1"])
        XCTAssertEqual(parent.attributes["implicit"], "yes")
        XCTAssertEqual(parent.statement, "", "an implicit control carries its title only")
        XCTAssertNil(parent.attributes["params"])
    }

    func testFlatAndNoMergeDropGroups() throws {
        let imports: [[String: Any]] = [["href": "small.json", "include-controls": [["with-ids": ["c1.1", "c2", "c4"]]]]]
        for merge: [String: Any]? in [["flat": [String: Any]()], nil] {
            let catalog = try resolve(imports: imports, merge: merge)
            XCTAssertEqual(catalog.requirements.map(\.ref), ["C1(1)", "C2", "C4"], "merge \(String(describing: merge))")
            XCTAssertTrue(catalog.requirements.allSatisfy { $0.parentRef == nil && $0.kind == .criterion })
            XCTAssertEqual(byRef(catalog)["C1(1)"]?.level, "enhancement")
            XCTAssertEqual(byRef(catalog)["C4"]?.category, "g2", "the family survives flattening as the category")
        }
        let nested = try resolve(
            imports: [["href": "small.json", "include-controls": [["with-ids": ["c1"], "with-child-controls": "yes"]]]],
            merge: ["flat": [String: Any]()])
        XCTAssertEqual(byRef(nested)["C1(1)"]?.parentRef, "C1", "a selected enhancement stays in its selected control")
    }

    func testSetParameters() throws {
        let catalog = try resolve(
            imports: [["href": "small.json", "include-controls": [["with-ids": ["c1"]]]]],
            modify: [
                "set-parameters": [
                    ["param-id": "c1_prm_1", "label": "review frequency", "values": ["monthly"]],
                    ["param-id": "c1_prm_2", "values": ["weekly"]],
                ]
            ])
        let c1 = try XCTUnwrap(byRef(catalog)["C1"])
        XCTAssertEqual(
            c1.attributes["params"],
            #"[{"id":"c1_prm_1","label":"review frequency","values":["monthly"]},{"id":"c1_prm_2","values":["weekly"]}]"#,
            "values replace the selection")
        XCTAssertTrue(c1.statement.contains("a. every monthly;"), c1.statement)
        XCTAssertTrue(c1.statement.contains("1. by weekly."), c1.statement)
        let select = try resolve(
            imports: [["href": "small.json"]],
            modify: [
                "set-parameters": [
                    ["param-id": "c1_prm_1", "select": ["how-many": "one", "choice": ["yearly", "never"]]]
                ]
            ])
        XCTAssertTrue(try XCTUnwrap(byRef(select)["C1"]).statement.contains("every [Selection: yearly; never];"))
    }

    func testAltersAddAndRemove() throws {
        let catalog = try resolve(
            imports: [["href": "small.json"]],
            modify: [
                "alters": [
                    [
                        "control-id": "c1", "removes": [["by-id": "c1_prm_2"], ["by-id": "c1_smt.b"]],
                        "adds": [
                            [
                                "position": "starting", "by-id": "c1_smt",
                                "parts": [
                                    ["id": "c1_smt.z", "name": "item", "props": [["name": "label", "value": "z."]], "prose": "first, added."]
                                ],
                            ],
                            ["params": [["id": "c1_prm_9", "label": "added parameter"]]],
                        ],
                    ],
                    ["control-id": "c2", "adds": [["title": "Second, retitled"]]],
                    ["control-id": "c4", "removes": [["by-class": "stmt"]]],
                    [
                        "control-id": "c1.1", "removes": [["by-name": "label", "by-item-name": "prop"]],
                        "adds": [["position": "after", "by-id": "c1.1_smt", "parts": [["name": "statement", "prose": "not the first statement"]]]],
                    ],
                ]
            ])
        let refs = byRef(catalog)
        let c1 = try XCTUnwrap(refs["C1"])
        XCTAssertEqual(
            c1.statement,
            """
            Review the accounts:
            z. first, added.
            a. every [Assignment: frequency];
              1. by {{ insert: param, c1_prm_2 }}.
            """, "a removed parameter is no longer rendered; a removed item is gone")
        XCTAssertEqual(c1.attributes["params"], #"[{"id":"c1_prm_1","label":"frequency"},{"id":"c1_prm_9","label":"added parameter"}]"#)
        XCTAssertEqual(refs["C2"]?.title, "Second, retitled")
        XCTAssertEqual(refs["C4"]?.statement, "", "removed by class")
        XCTAssertNil(refs["C1(1)"], "without its label the enhancement is known by its id")
        XCTAssertEqual(refs["C1.1"]?.statement, "", "the first statement part (no prose) is the statement, not the one added after it")
        XCTAssertEqual(refs["C1.1"]?.parentRef, "C1")
    }

    func testBackMatterImportAndTwoImportsCombine() throws {
        _ = try write("small.json", Self.small)
        let path = try profile(
            "bm.json",
            imports: [
                ["href": "#cat", "include-controls": [["with-ids": ["c2"]]]],
                ["href": "small.json", "include-controls": [["with-ids": ["c2", "c4"]]]],
            ],
            merge: ["as-is": true, "combine": ["method": "use-first"]],
            backMatter: ["resources": [["uuid": "cat", "rlinks": [["href": "https://example.com/small.json"], ["href": "small.json"]]]]])
        let catalog = try load(path)
        XCTAssertEqual(catalog.requirements.map(\.ref), ["G1", "C2", "G2", "C4"])
        let keep = try profile(
            "keep.json",
            imports: [
                ["href": "small.json", "include-controls": [["with-ids": ["c2"]]]],
                ["href": "small.json", "include-controls": [["with-ids": ["c2"]]]],
            ])
        XCTAssertTrue(refusal(keep).contains("'c2': duplicate id"), refusal(keep))
    }

    func testProfileOfAProfileAndCatalogFallback() throws {
        _ = try write("small.json", Self.small)
        _ = try profile(
            "inner.json", imports: [["href": "small.json", "include-controls": [["with-ids": ["c1", "c2"], "with-child-controls": "yes"]]]],
            merge: ["as-is": true], modify: ["set-parameters": [["param-id": "c1_prm_1", "values": ["hourly"]]]])
        let outer = try profile(
            "outer.json", imports: [["href": "inner.json", "exclude-controls": [["with-ids": ["c1.2"]]]]], merge: ["as-is": true])
        let catalog = try load(outer)
        XCTAssertEqual(oscalIDs(catalog), ["c1", "c1.1", "c1.2", "c1.2.1", "c2"])
        XCTAssertEqual(byRef(catalog)["C1(2)"]?.attributes["implicit"], "yes", "c1.2 is kept, as-is, for its selected enhancement")
        XCTAssertTrue(try XCTUnwrap(byRef(catalog)["C1"]).statement.contains("every hourly;"), "the inner profile's settings carry through")
        // An href that cannot be followed uses the catalog given with --catalog.
        let remote = try profile("remote.json", imports: [["href": "https://example.com/catalog.json", "include-controls": [["with-ids": ["c4"]]]]])
        let loader = OSCALImporter.loader(fallbackCatalog: folder.appendingPathComponent("small.json").path)
        let viaFallback = try OSCALImporter.catalog(
            json: try Data(contentsOf: URL(fileURLWithPath: remote)), path: remote, id: "r", loadImport: loader)
        XCTAssertEqual(oscalIDs(viaFallback), ["c4"])
    }

    func testSyntheticBaselinesResolve() throws {
        try Self.synthetic.write(to: folder.appendingPathComponent("catalog.json"))
        for baseline in OSCALSynthetic.Baseline.allCases {
            let path = folder.appendingPathComponent("\(baseline.rawValue).json").path
            try OSCALSynthetic.profile(baseline).write(to: URL(fileURLWithPath: path))
            let catalog = try load(path, id: baseline.rawValue)
            let explicit = catalog.requirements.filter { $0.level != "group" && $0.attributes["implicit"] == nil }
            XCTAssertEqual(Set(explicit.compactMap { $0.attributes["oscal_id"] }), OSCALSynthetic.expectedSelection(baseline), baseline.rawValue)
            switch baseline {
            case .high:
                XCTAssertFalse(catalog.requirements.contains { $0.level == "group" }, "HIGH merges flat")
                XCTAssertFalse(catalog.requirements.contains { $0.attributes["status"] == "withdrawn" })
            case .low, .moderate:
                XCTAssertEqual(catalog.requirements.filter { $0.level == "group" }.count, 20)
            }
            if baseline == .moderate {
                XCTAssertGreaterThan(catalog.requirements.filter { $0.attributes["implicit"] == "yes" }.count, 0)
                XCTAssertTrue(catalog.requirements.contains { $0.attributes["params"]?.contains("at least every 30 days") == true })
            }
        }
    }

    // MARK: Errors

    func testMissingIDIsRefusedWithItsJSONPathAndLine() throws {
        var document = Self.small
        var catalog = document["catalog"] as! [String: Any]
        var groups = catalog["groups"] as! [[String: Any]]
        var controls = groups[1]["controls"] as! [[String: Any]]
        controls[1]["id"] = nil
        groups[1]["controls"] = controls
        catalog["groups"] = groups
        document["catalog"] = catalog
        let message = refusal(try write("bad.json", document))
        XCTAssertTrue(message.contains("bad.json:"), message)
        XCTAssertTrue(message.contains("$.catalog.groups[1].controls[1].id: 'id' is required"), message)
        // The line points into the document (pretty-printed: not line 1).
        let line = Int(message.split(separator: ":")[1]) ?? 0
        XCTAssertGreaterThan(line, 10, message)
    }

    func testWrongTypeIsRefused() throws {
        var document = Self.small
        var catalog = document["catalog"] as! [String: Any]
        var groups = catalog["groups"] as! [[String: Any]]
        groups[0]["title"] = 5
        catalog["groups"] = groups
        document["catalog"] = catalog
        let message = refusal(try write("bad.json", document))
        XCTAssertTrue(message.contains("$.catalog.groups[0].title: must be a string, found a number"), message)
        let notJSON = folder.appendingPathComponent("broken.json")
        try Data("{\"catalog\": [1, 2,, 3]}".utf8).write(to: notJSON)
        XCTAssertTrue(refusal(notJSON.path).contains("not valid JSON"), refusal(notJSON.path))
    }

    func testDuplicateIDIsRefused() throws {
        var document = Self.small
        var catalog = document["catalog"] as! [String: Any]
        var groups = catalog["groups"] as! [[String: Any]]
        var controls = groups[1]["controls"] as! [[String: Any]]
        controls[1]["id"] = "c2"
        groups[1]["controls"] = controls
        catalog["groups"] = groups
        document["catalog"] = catalog
        let message = refusal(try write("dup.json", document))
        XCTAssertTrue(message.contains("$.catalog.groups[1].controls[1].id: 'c2': duplicate control id"), message)
    }

    func testDanglingImportIsRefused() throws {
        let path = try profile("dangling.json", imports: [["href": "missing.json"]])
        let message = refusal(path)
        XCTAssertTrue(message.contains("dangling.json:"), message)
        XCTAssertTrue(message.contains("$.profile.imports[0].href: 'missing.json': cannot follow the import"), message)
        let resource = try profile("resource.json", imports: [["href": "#nowhere"]])
        XCTAssertTrue(refusal(resource).contains("'#nowhere': names no back-matter resource"), refusal(resource))
    }

    func testUnknownWithIDIsRefused() throws {
        _ = try write("small.json", Self.small)
        let path = try profile("p.json", imports: [["href": "small.json", "include-controls": [["with-ids": ["c1", "zz-9"]]]]])
        let message = refusal(path)
        XCTAssertTrue(message.contains("$.profile.imports[0].include-controls[0].with-ids[1]: 'zz-9': names no control"), message)
        let setParam = try profile("q.json", imports: [["href": "small.json"]], modify: ["set-parameters": [["param-id": "nope", "values": ["x"]]]])
        XCTAssertTrue(refusal(setParam).contains("$.profile.modify.set-parameters[0].param-id: 'nope': names no parameter"), refusal(setParam))
        let alter = try profile(
            "r.json", imports: [["href": "small.json"]],
            modify: ["alters": [["control-id": "c1", "adds": [["position": "after", "by-id": "nothing", "props": [["name": "x", "value": "y"]]]]]]])
        XCTAssertTrue(refusal(alter).contains("$.profile.modify.alters[0].adds[0].by-id: 'nothing': names nothing in control 'c1'"), refusal(alter))
    }

    func testImportCycleIsRefused() throws {
        _ = try profile("a.json", imports: [["href": "b.json"]])
        _ = try profile("b.json", imports: [["href": "a.json"]])
        let message = refusal(folder.appendingPathComponent("a.json").path)
        XCTAssertTrue(message.contains("b.json:"), message)
        XCTAssertTrue(message.contains("$.profile.imports[0].href: 'a.json': import cycle:"), message)
        let itself = try profile("self.json", imports: [["href": "self.json"]])
        XCTAssertTrue(refusal(itself).contains("import cycle"), refusal(itself))
    }

    // MARK: Workspace and CLI

    func testImportIntoWorkspaceLeavesWithdrawnOutOfScope() throws {
        let workspace = try Fixtures.larkspur()
        let path = try write("small.json", Self.small)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try workspace.write(Fixtures.actor()) { _ = try $0.importOSCAL(json: data, path: path, id: "small") }
        let summaries = try workspace.read { try $0.requirementSummaries(framework: "small") }
        XCTAssertEqual(summaries.count, 9)
        XCTAssertEqual(summaries.filter { !$0.inScope }.map(\.requirement.ref), ["C3"])
        XCTAssertEqual(
            summaries.first { $0.requirement.ref == "C3" }?.justification, "Withdrawn by the publisher",
            "the workspace's scope rule leaves a withdrawn control out")
        let readiness = try workspace.read { try $0.readiness(framework: "small") }
        XCTAssertEqual(readiness.overall.total, 3, "C1, C2 and C4 are assessable; C3 is withdrawn")
        XCTAssertThrowsError(try workspace.write(Fixtures.actor()) { _ = try $0.importOSCAL(json: data, path: path, id: "small") })
    }

    func testCLIImportsOSCALAndListsLevels() throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("assure").path
        let candidates = [binary, Bundle.main.bundleURL.appendingPathComponent("assure").path]
        guard let assure = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { throw XCTSkip("no assure binary") }
        let environment = ["PATH": "/usr/bin:/bin", "HOME": folder.path, "ASSURE_USER": "tester", "TMPDIR": folder.path, "LANG": "C.UTF-8"]
        func run(_ arguments: String...) throws -> ProcessResult {
            try runProcess(assure, arguments, environment: environment, currentDirectory: folder.path)
        }
        guard try run("import", "oscal", "--help").stdout.contains("OSCAL") else { throw XCTSkip("`import oscal` is not registered in this build") }
        let sample = Fixtures.repositoryRoot.appendingPathComponent("samples/larkspur-health.yaml").path
        XCTAssertEqual(try run("init", "w.assure", "--from", sample).exitCode, 0)
        _ = try write("small.json", Self.small)
        let imported = try run("import", "oscal", "small.json", "--id", "small")
        XCTAssertEqual(imported.exitCode, 0, imported.stderr)
        XCTAssertTrue(
            imported.stdout.contains("Imported Small Test Catalog as 'small': 4 controls, 3 enhancements in 2 groups (1 withdrawn, out of scope)"),
            imported.stdout)
        let listed = try run("requirements", "--framework", "small", "--format", "json")
        XCTAssertEqual(listed.exitCode, 0, listed.stderr)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(Set(rows.compactMap { $0["level"] as? String }), ["group", "control", "enhancement"])
        XCTAssertEqual(rows.first { $0["ref"] as? String == "C1(1)" }?["parent"] as? String, "C1")
        XCTAssertEqual((rows.first { $0["ref"] as? String == "C1" }?["attributes"] as? [String: Any])?["oscal_id"] as? String, "c1")
        // A refusal names file, line, JSON path and id, and writes nothing.
        _ = try profile("bad.json", imports: [["href": "small.json", "include-controls": [["with-ids": ["nope"]]]]])
        let refused = try run("import", "oscal", "bad.json")
        XCTAssertNotEqual(refused.exitCode, 0)
        XCTAssertTrue(refused.stderr.contains("bad.json:") && refused.stderr.contains("with-ids[0]: 'nope': names no control"), refused.stderr)
        XCTAssertNotEqual(try run("requirements", "--framework", "profile-bad-json").exitCode, 0)
    }

    // MARK: Speed (release figures come from AssureBench's oscalBench)

    func testSyntheticImportAndResolveTimes() throws {
        let catalogData = Self.synthetic
        let profileData = OSCALSynthetic.profile(.moderate)
        var start = DispatchTime.now().uptimeNanoseconds
        let catalog = try OSCALImporter.catalog(json: catalogData, path: "catalog.json", id: "syn")
        let importMS = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        start = DispatchTime.now().uptimeNanoseconds
        let moderate = try OSCALImporter.catalog(json: profileData, path: "moderate.json", id: "mod", loadImport: { _ in catalogData })
        let resolveMS = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        print(
            String(
                format: "OSCAL (this build): import %.1f ms (%d requirements, %.2f MiB), resolve MODERATE %.1f ms (%d requirements)",
                importMS, catalog.requirements.count, Double(catalogData.count) / 1_048_576, resolveMS, moderate.requirements.count))
        XCTAssertLessThan(importMS, 3_000, "even a debug build stays well under seconds")
        XCTAssertEqual(
            moderate.requirements.filter { $0.level != "group" && $0.attributes["implicit"] == nil }.count,
            OSCALSynthetic.expectedSelection(.moderate).count)
    }
}
