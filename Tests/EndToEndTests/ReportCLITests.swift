import AssureTestSupport
import Foundation
import XCTest

final class ReportCLITests: CLITestCase {
    func testDeriveTwiceCreatesNothingTheSecondTime() throws {
        try makeLarkspur()
        let proposal = try assure("gaps", "derive")
        assertSucceeds(proposal)
        // How many depends on the day (evidence goes stale, reviews fall due), so the count is read
        // from the proposal and must be exactly what --yes opens.
        let match = proposal.stdout.range(of: #"(\d+) gaps would be opened; run again with --yes to open them.\n$"#, options: .regularExpression)
        XCTAssertNotNil(match, proposal.stdout)
        let proposed = Int(proposal.stdout[match!].prefix { $0.isNumber })!
        XCTAssertGreaterThanOrEqual(proposed, 147, "the readiness and evidence proposals at the least")
        func gapCount() throws -> Int {
            (try JSONSerialization.jsonObject(with: Data(try assure("gaps", "--format", "json").stdout.utf8)) as? [Any])?.count ?? -1
        }
        let before = try gapCount()
        assertSucceeds(try assure("gaps", "derive", "--yes"))
        XCTAssertEqual(try gapCount(), before + proposed)
        let again = try assure("gaps", "derive", "--yes")
        XCTAssertEqual(again.stdout, "Nothing to derive: every proposal already exists.\n")
    }

    func testExportsAreTheSameBytesEveryTimeAndFilesArePrivate() throws {
        try makeLarkspur()
        assertSucceeds(try assure("export", "controls", "--format", "csv", "-o", "a.csv"))
        assertSucceeds(try assure("export", "controls", "--format", "csv", "-o", "b.csv"))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("a.csv"))), try Data(contentsOf: URL(fileURLWithPath: path("b.csv"))))
        let mode = try FileManager.default.attributesOfItem(atPath: path("a.csv"))[.posixPermissions] as! Int
        XCTAssertEqual(mode & 0o777, 0o600)
        let html = try assure("report", "--format", "html")
        XCTAssertTrue(html.stdout.hasPrefix("<!DOCTYPE html>"))
        XCTAssertEqual(try assure("report", "--format", "html").stdout, html.stdout)
    }

    func testImportWithABadRowExitsOneAndWritesNothing() throws {
        try makeLarkspur()
        try "Title,Severity\nGood one,high\nBad one,severe\n".write(toFile: path("g.csv"), atomically: true, encoding: .utf8)
        let before = try assure("gaps", "--format", "csv").stdout
        let result = try assure("import", "gaps", "g.csv")
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertTrue(result.stderr.contains("g.csv:3:2: column \"Severity\": unknown severity 'severe'"), result.stderr)
        XCTAssertEqual(try assure("gaps", "--format", "csv").stdout, before)
        let dry = try assure("import", "gaps", "g.csv", "--map", "Title=title", "--dry-run")
        XCTAssertEqual(dry.exitCode, 1, "a dry run reports the same error")
    }

    func testSnapshotDiffAndTarget() throws {
        try makeLarkspur()
        assertSucceeds(try assure("snapshot", "before Q1 review"))
        assertSucceeds(try assure("gap", "remediate", "GAP-3", "--note", "Billing DB reviewed"))
        let diff = try assure("diff", "before Q1 review", "--format", "json")
        assertSucceeds(diff)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((json["gaps_remediated"] as? [[String: String]])?.first?["ref"], "GAP-3")
        let target = try assure("target", "--type", "2", "--window-start", "2027-01-01", "--window", "6m")
        assertSucceeds(target)
        XCTAssertTrue(target.stdout.contains("Target: SOC 2 Type II, window of 6m starting 2027-01-01"), target.stdout)
        XCTAssertTrue(target.stdout.contains("GAP-13"), target.stdout)
    }
}
