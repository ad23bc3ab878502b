import AssureTestSupport
import Foundation
import XCTest

@testable import AssureModel
@testable import AssureStore

/// The fast paths behind `assure status` and `assure gaps --format csv` must give exactly what
/// the general readers give: the CSV byte for byte, the readiness value for value.
final class StatusReadTests: XCTestCase {
    /// The CSV as the listing builds it, from whole gaps and a table.
    func slowCSV(_ r: WorkspaceReader, _ filter: GapFilter, today: String) throws -> [UInt8] {
        Array(Listings.gaps(try r.gaps(filter), today: today).csv().utf8)
    }

    func checkCSV(_ workspace: Workspace, filters: [GapFilter], file: StaticString = #filePath, line: UInt = #line) throws {
        for today in [Fixtures.today, "2000-01-01", "2099-12-31"] {
            for filter in filters {
                // Each in a fresh transaction: the listing's cache must not hide a difference.
                let fast = try workspace.read { try $0.gapsCSV(filter, today: today) }
                let slow = try workspace.read { try self.slowCSV($0, filter, today: today) }
                XCTAssertEqual(
                    String(decoding: fast, as: UTF8.self), String(decoding: slow, as: UTF8.self), "\(filter) at \(today)", file: file,
                    line: line)
                XCTAssertEqual(fast, slow, "bytes of \(filter) at \(today)", file: file, line: line)
            }
        }
    }

    func testGapsCSVMatchesTheListingOnTheSamples() throws {
        let larkspur = try Fixtures.larkspur()
        let owner = try XCTUnwrap(try larkspur.read { try $0.gaps() }.compactMap(\.owner).first)
        try checkCSV(
            larkspur,
            filters: [
                GapFilter(), GapFilter(status: .open), GapFilter(severity: .high), GapFilter(owner: owner),
                GapFilter(owner: owner.uppercased(), status: .open, severity: .critical),
            ])
        try checkCSV(try Fixtures.hanami(), filters: [GapFilter(), GapFilter(status: .remediated)])
    }

    func testGapsCSVMatchesTheListingOnASyntheticBacklog() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = try Workspace.synthetic(
            path: folder.appendingPathComponent("s.assure").path, controls: 200, owners: 10, gaps: 800, logRows: 20)
        try checkCSV(workspace, filters: [GapFilter(), GapFilter(status: .inProgress), GapFilter(owner: "Owner 3", severity: .low)])
    }

    /// Text that CSV must quote or neutralise, text that is not ASCII, text that only
    /// SQLite could hold (a NUL byte, invalid UTF-8) and values outside the schema's lists:
    /// each cell as the general path writes it.
    func testGapsCSVMatchesTheListingOnAwkwardText() throws {
        let workspace = try Fixtures.larkspur()
        let titles = [
            "plain", "a,b", "say \"hi\"", "line\nbreak", "cr\rlf", "crlf\r\nx", "-12.5", "-x", "-", "=1+1", "+1", "@a", "\tx",
            "é,ü", ",\u{301}", "\"\u{301}", "naïve", "日本語", "", " lead", "trail ", "-inf", "-1e5", "'quoted'",
        ]
        try workspace.write(Fixtures.actor()) { w in
            for _ in titles { try w.openGap(GapDraft(title: "x", severity: .high)) }
        }
        try workspace.writer.write { db in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM gap ORDER BY number DESC LIMIT ?", arguments: [titles.count])
            for (id, title) in zip(ids, titles) {
                try db.execute(
                    sql: "UPDATE gap SET title = ?, remediation_note = ?, due = ? WHERE id = ?",
                    arguments: [title.isEmpty ? "t" : title, title, "2026-01-01", id])
            }
            // A NUL byte (GRDB's text ends there), invalid UTF-8 (repaired), and a gap whose
            // severity, effort and status escaped the schema's checks.
            try db.execute(sql: "UPDATE gap SET title = CAST(x'41004243' AS TEXT) WHERE id = ?", arguments: [ids[0]])
            try db.execute(sql: "UPDATE gap SET remediation_note = CAST(x'2cff41' AS TEXT) WHERE id = ?", arguments: [ids[1]])
            try db.execute(sql: "UPDATE gap SET justification = CAST(x'41ff' AS TEXT) WHERE id = ?", arguments: [ids[2]])
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
            try db.execute(
                sql: "UPDATE gap SET severity = 'odd', effort = 'huge', status = 'weird', due = '1999-01-01' WHERE id = ?", arguments: [ids[3]])
            try db.execute(sql: "PRAGMA ignore_check_constraints = OFF")
        }
        try checkCSV(workspace, filters: [GapFilter(), GapFilter(severity: .high)])
        let csv = String(decoding: try workspace.read { try $0.gapsCSV(today: Fixtures.today) }, as: UTF8.self)
        XCTAssertTrue(csv.contains(",'=1+1,"), "a formula is neutralised")
        XCTAssertTrue(csv.contains(",-12.5,"), "a negative number is left as it is")
        XCTAssertTrue(csv.contains(",\"a,b\","), "a comma is quoted")
    }

    func testAnUnknownOwnerIsRefusedAsTheListingRefusesIt() throws {
        let workspace = try Fixtures.larkspur()
        var error: Error?
        var expected: Error?
        XCTAssertThrowsError(try workspace.read { try $0.gapsCSV(GapFilter(owner: "Nobody Here"), today: Fixtures.today) }) { error = $0 }
        XCTAssertThrowsError(try workspace.read { try $0.gaps(GapFilter(owner: "Nobody Here")) }) { expected = $0 }
        XCTAssertEqual(error.map { "\($0)" }, expected.map { "\($0)" })
        XCTAssertNotNil(error)
    }

    func testEnumerationRawValuesNeedNoQuoting() {
        let raws = Severity.allCases.map(\.rawValue) + Effort.allCases.map(\.rawValue) + GapStatus.allCases.map(\.rawValue) + ["yes", "no"]
        for raw in raws { XCTAssertEqual(CSV.field(raw), raw) }
    }

    func testReadinessKeyIsUppercased() {
        for ref in [
            "AC-03", "ac-03", "Cc6.1", "CC6.1", "", "syn-00001", "a.b_c~z{", "ß", "straße", "ﬁ", "é", "İ", "ǅ", "Ab\u{301}", "x\u{0}y",
            "`az{@AZ[",
        ] {
            XCTAssertEqual(ReadinessFacts.key(ref), ref.uppercased(), ref.debugDescription)
        }
    }

    /// The facts and counts status reads in one pass, against the two readers it replaces.
    func checkStatusFacts(_ workspace: Workspace, file: StaticString = #filePath, line: UInt = #line) throws {
        for today in [Fixtures.today, "2000-01-01", "2099-12-31"] {
            let (facts, counts) = try workspace.read { try $0.statusFacts(today: today) }
            XCTAssertEqual(facts, try workspace.read { try $0.readinessFacts() }, "facts at \(today)", file: file, line: line)
            XCTAssertEqual(counts, try workspace.read { try $0.counts(today: today) }, "counts at \(today)", file: file, line: line)
        }
    }

    /// The mappings placed by the controls' reference order, against the join sorted in SQL.
    func checkMappings(_ workspace: Workspace, file: StaticString = #filePath, line: UInt = #line) throws {
        try workspace.read { r in
            for framework in try r.frameworks() {
                let fast = try MappedControls.read(r.db, framework: framework.id)
                let joined = try MappedControls.joined(r.db, framework: framework.id)
                // The workbench's way: inverted from every control's line.
                let inverted = MappedControls.from(
                    try r.controlLines(), framework: framework.id, rows: try RequirementRows.fetch(r.db, framework: framework.id))
                for other in [fast, inverted] {
                    XCTAssertEqual(other.asciiRefs, joined.asciiRefs, framework.id, file: file, line: line)
                    XCTAssertEqual(Set(other.direct.keys), Set(joined.direct.keys), framework.id, file: file, line: line)
                    for (requirement, controls) in joined.direct {
                        XCTAssertEqual(other.direct[requirement]?.map(\.0), controls.map(\.0), file: file, line: line)
                        XCTAssertEqual(other.direct[requirement]?.map(\.1), controls.map(\.1), file: file, line: line)
                    }
                }
            }
        }
        // Whole summaries, read after the lines (taking the mappings from them) or alone.
        let alone = try workspace.read { r in try r.frameworks().map { try r.requirementSummaries(framework: $0.id) } }
        let afterLines = try workspace.read { r in
            _ = try r.controlLines()
            return try r.frameworks().map { try r.requirementSummaries(framework: $0.id) }
        }
        XCTAssertEqual(alone, afterLines, file: file, line: line)
        XCTAssertFalse(alone.joined().allSatisfy(\.controls.isEmpty), "some requirement has controls", file: file, line: line)
    }

    func testStatusFactsAndMappingsMatchTheGeneralReaders() throws {
        try checkStatusFacts(try Fixtures.larkspur())
        try checkStatusFacts(try Fixtures.hanami())
        try checkMappings(try Fixtures.larkspur())
        try checkMappings(try Fixtures.hanami())
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = try Workspace.synthetic(
            path: folder.appendingPathComponent("s.assure").path, controls: 300, owners: 15, gaps: 1_200, logRows: 20)
        try workspace.write(Fixtures.actor()) { w in
            try w.retireOwner("Owner 3")
            try w.setStatus(controls: ["SYN-00001", "SYN-00002"], to: .notApplicable, justification: "Not used here")
            try w.assign(controls: ["SYN-00005"], owner: .some(nil))
            try w.acceptGaps(["GAP-3"], justification: "Accepted")
        }
        // Lower-case and non-ASCII references: keys that `uppercased()` changes, and a
        // mapping order that is not byte order.
        try workspace.writer.write { db in
            try db.execute(sql: "UPDATE control SET ref = 'syn-low' WHERE ref = 'SYN-00010'")
            try db.execute(sql: "UPDATE control SET ref = 'Sÿn-é' WHERE ref = 'SYN-00011'")
            try db.execute(sql: "UPDATE control SET ref = '_first' WHERE ref = 'SYN-00012'")
        }
        try checkStatusFacts(workspace)
        try checkMappings(workspace)
        let pairs = try workspace.read { try Int.fetchOne($0.db, sql: "SELECT count(*) FROM control_requirement") ?? 0 }
        XCTAssertGreaterThanOrEqual(pairs * 2, 300, "the synthetic workspace takes the ordered path")
    }

    /// Status takes SOC 2's readiness from its framework summary: the same as reading it alone.
    func testFrameworkReadinessMatchesEachFrameworkRead() throws {
        for workspace in [try Fixtures.larkspur(), try Fixtures.hanami()] {
            let (pairs, summaries) = try workspace.read { r in
                (try r.frameworkReadiness(facts: try r.readinessFacts()), try r.frameworkSummaries())
            }
            XCTAssertEqual(pairs.map(\.summary), summaries)
            XCTAssertFalse(pairs.isEmpty)
            for pair in pairs {
                let alone = try workspace.read { try $0.readiness(framework: pair.summary.framework.id) }
                XCTAssertEqual(pair.readiness, alone, pair.summary.framework.id)
            }
        }
    }
}
