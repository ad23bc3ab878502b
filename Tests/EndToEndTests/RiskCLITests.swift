import AssureTestSupport
import Foundation
import XCTest

/// The risk register through the command line on a fresh workspace.
final class RiskCLITests: CLITestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        assertSucceeds(try assure("init", "acme.assure", "--company", "Acme"))
        assertSucceeds(try assure("owner", "add", "Dana Kim", "--role", "Head of Security"))
    }

    func json(_ text: String) throws -> [[String: Any]] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]], text)
    }

    func changeCount() throws -> String { try assure("verify").stdout }

    func testAddEditReviewAndListAsJSON() throws {
        // Whatever `init` already put in the register, the new risk gets the next number.
        let before = try json(try assure("risks", "--format", "json").stdout).count
        let added = try assure(
            "risk", "add", "Customer database exposed", "--likelihood", "3", "--impact", "5", "--cia", "c,i",
            "--owner", "Dana", "--control", "AC-06", "--control", "DP-02,LM-03", "--description", "A public snapshot")
        assertSucceeds(added)
        let ref = "RISK-\(before + 1)"
        XCTAssertEqual(added.stdout, "\(ref): Customer database exposed (inherent 3 x 5 = 15 (high); residual not assessed)\n")

        var rows = try json(try assure("risks", "--format", "json").stdout)
        var row = try XCTUnwrap(rows.first { $0["ref"] as? String == ref })
        XCTAssertEqual(
            Array(row.keys).sorted(),
            [
                "approver", "cia", "controls", "description", "impact", "inherent_score", "justification",
                "likelihood", "next_review", "overdue", "owner", "rating", "ref", "residual_impact",
                "residual_likelihood", "residual_score", "review_cadence", "reviewed_on", "status", "title", "treatment",
            ])
        XCTAssertEqual(row["inherent_score"] as? Int, 15)
        XCTAssertTrue(row["residual_likelihood"] is NSNull, "unassessed residual is null")
        XCTAssertEqual(row["residual_score"] as? Int, 15)
        XCTAssertEqual(row["cia"] as? [String], ["c", "i"])
        XCTAssertEqual(row["controls"] as? [String], ["AC-06", "DP-02", "LM-03"])
        XCTAssertEqual(row["owner"] as? String, "Dana Kim")
        XCTAssertTrue(row["justification"] is NSNull)
        XCTAssertEqual(row["overdue"] as? Bool, false)

        let edited = try assure(
            "risk", "edit", String(before + 1), "--residual-likelihood", "2", "--residual-impact", "4",
            "--add-control", "AC-10", "--remove-control", "LM-03", "--review", "quarterly")
        assertSucceeds(edited)
        XCTAssertEqual(edited.stdout, "\(ref): 5 changes recorded\n")
        assertSucceeds(try assure("risk", "review", ref, "--date", "2026-01-10"))
        rows = try json(try assure("risks", "--format", "json").stdout)
        row = try XCTUnwrap(rows.first { $0["ref"] as? String == ref })
        XCTAssertEqual(row["residual_score"] as? Int, 8)
        XCTAssertEqual(row["rating"] as? String, "medium")
        XCTAssertEqual(row["controls"] as? [String], ["AC-06", "AC-10", "DP-02"])
        XCTAssertEqual(row["reviewed_on"] as? String, "2026-01-10")
        XCTAssertEqual(row["next_review"] as? String, "2026-04-10")
        XCTAssertEqual(row["overdue"] as? Bool, "2026-04-10" < Self.todayUTC)

        let overdue = try json(try assure("risks", "--overdue", "--format", "json").stdout)
        XCTAssertEqual(overdue.contains { $0["ref"] as? String == ref }, "2026-04-10" < Self.todayUTC)

        let log = try assure("log", "--entity", "risk", "--ref", ref)
        assertSucceeds(log)
        for field in ["residual_likelihood", "residual_impact", "review_cadence", "control", "reviewed_on"] {
            XCTAssertTrue(log.stdout.contains(field), "\(field) in \(log.stdout)")
        }

        let shown = try assure("risk", "show", ref)
        XCTAssertTrue(shown.stdout.contains("Inherent:      likelihood 3 x 5 = 15 (high)"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("Residual:      likelihood 2 x 4 = 8 (medium)"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("Controls:      AC-06, AC-10, DP-02"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("Review:        quarterly; last 2026-01-10; next 2026-04-10"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("  A public snapshot"), shown.stdout)

        let table = try assure("risks", "--sort", "score")
        XCTAssertTrue(table.stdout.hasPrefix("Risk "), table.stdout)
        XCTAssertTrue(table.stdout.contains(ref), table.stdout)
        let csv = try assure("risks", "--format", "csv")
        XCTAssertTrue(csv.stdout.hasPrefix("Risk,Title,Description,L,I,Score,RL,RI,Residual,Rating,CIA,"), csv.stdout)
    }

    func testAcceptedRiskNeedsJustificationAndApproverAndBadInputWritesNothing() throws {
        let before = try changeCount()
        let cases: [([String], String)] = [
            (
                ["risk", "add", "Outage", "--likelihood", "2", "--impact", "3", "--treatment", "accept"],
                "an accepted risk needs a justification (--justification TEXT) and an approver (--approver NAME)"
            ),
            (
                ["risk", "add", "Outage", "--likelihood", "2", "--impact", "3", "--treatment", "accept", "--justification", "SLA credits"],
                "an accepted risk needs an approver (--approver NAME)"
            ),
            (["risk", "add", "Outage", "--likelihood", "6", "--impact", "3"], "--likelihood must be 1 to 5, not 6"),
            (
                ["risk", "add", "Outage", "--likelihood", "2", "--impact", "3", "--residual-likelihood", "1"],
                "needs both --residual-likelihood and --residual-impact"
            ),
            (["risk", "add", "Outage", "--likelihood", "2", "--impact", "3", "--control", "NOPE-1"], "unknown control 'NOPE-1'"),
            (["risk", "add", "Outage", "--likelihood", "2", "--impact", "3", "--treatment", "ignore"], "unknown treatment 'ignore'"),
            (["risk", "add", "Outage", "--likelihood", "2", "--impact", "3", "--review", "once"], "unknown review cadence 'once'"),
            (["risk", "add", "Outage", "--likelihood", "2", "--impact", "3", "--cia", "x"], "unknown CIA property 'x'"),
            (["risk", "add", "Outage", "--likelihood", "2", "--impact", "3", "--owner", "Nobody"], "unknown owner 'Nobody'"),
            (["risk", "edit", "RISK-999", "--impact", "2"], "unknown risk 'RISK-999'"),
            (["risk", "review", "RISK-999"], "unknown risk 'RISK-999'"),
            (["risk", "edit", "RISK-999"], "nothing to change"),
            (["risks", "--residual"], "--residual goes with --heatmap"),
        ]
        for (arguments, message) in cases {
            let result = try runProcess(
                Self.binary, arguments,
                environment: [
                    "PATH": "/usr/bin:/bin", "HOME": folder.path, "ASSURE_USER": "tester",
                    "TMPDIR": folder.path, "LANG": "C.UTF-8",
                ], currentDirectory: folder.path)
            XCTAssertNotEqual(result.exitCode, 0, arguments.joined(separator: " "))
            XCTAssertTrue(result.stderr.contains(message), "\(arguments.joined(separator: " ")): \(result.stderr)")
        }
        XCTAssertEqual(try changeCount(), before, "refused commands write nothing")
        let accepted = try assure(
            "risk", "add", "Outage", "--likelihood", "2", "--impact", "3", "--treatment", "accept",
            "--justification", "SLA credits cover it", "--approver", "CEO")
        assertSucceeds(accepted)
    }

    func testStarterRisksInstallAndHeatMap() throws {
        // `risk install` is idempotent: whatever `init` did, after it every starter risk is there once.
        assertSucceeds(try assure("risk", "install"))
        let again = try assure("risk", "install")
        assertSucceeds(again)
        XCTAssertEqual(again.stdout, "The register already has every starter risk.\n")
        let rows = try json(try assure("risks", "--format", "json").stdout)
        XCTAssertGreaterThanOrEqual(rows.count, 12)
        XCTAssertTrue(rows.allSatisfy { !($0["controls"] as? [String] ?? []).isEmpty }, "every starter risk is linked to starter controls")

        let heat = try assure("risks", "--heatmap")
        assertSucceeds(heat)
        let lines = heat.stdout.components(separatedBy: "\n")
        XCTAssertEqual(lines[0], "Inherent risk: \(rows.count) open risks by likelihood (rows) and impact (columns)")
        // The grid's counts add up to the register, and match the JSON cell by cell.
        var total = 0
        for (index, likelihood) in (1...5).reversed().enumerated() {
            let cells = lines[3 + index].split(separator: " ").suffix(5)
            for (column, cell) in cells.enumerated() {
                let count = cell == "." ? 0 : Int(cell) ?? -1
                let expected = rows.filter { $0["likelihood"] as? Int == likelihood && $0["impact"] as? Int == column + 1 }.count
                XCTAssertEqual(count, expected, "L\(likelihood) I\(column + 1)")
                total += count
            }
        }
        XCTAssertEqual(total, rows.count)
        let residual = try assure("risks", "--heatmap", "--residual")
        XCTAssertTrue(residual.stdout.hasPrefix("Residual risk: "), residual.stdout)

        // The HTML report carries both maps.
        let report = try assure("report", "--format", "html")
        assertSucceeds(report)
        XCTAssertTrue(report.stdout.contains("<title id=\"risk-heatmap-inherent-title\">Inherent risk heat map</title>"))
        XCTAssertTrue(report.stdout.contains("<title id=\"risk-heatmap-residual-title\">Residual risk heat map</title>"))
    }

    func testReadOnlyListingNeverWrites() throws {
        let before = try changeCount()
        for arguments in [["risks"], ["risks", "--heatmap"], ["risks", "--format", "json"]] {
            let result = try runProcess(
                Self.binary, arguments + ["--workspace", path("acme.assure")],
                environment: ["PATH": "/usr/bin:/bin", "HOME": folder.path, "ASSURE_USER": "tester", "TMPDIR": folder.path, "LANG": "C.UTF-8"],
                currentDirectory: folder.path)
            assertSucceeds(result)
        }
        XCTAssertEqual(try changeCount(), before)
    }

    static var todayUTC: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }
}
