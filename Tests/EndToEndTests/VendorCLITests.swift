import AssureTestSupport
import Foundation
import XCTest

/// Vendors through the command line on a fresh workspace: reports and coverage of the audit
/// window, CUECs, agreements, reviews, refusals that write nothing.
final class VendorCLITests: CLITestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        assertSucceeds(try assure("init", "acme.assure", "--company", "Acme"))
        assertSucceeds(try assure("owner", "add", "Dana Kim", "--role", "Head of Security"))
    }

    func json(_ text: String) throws -> [[String: Any]] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]], text)
    }

    func changeCount() throws -> String { try assure("verify").stdout }

    func testVendorReportsCoverageAndAgreementsAsJSON() throws {
        let added = try assure(
            "vendor", "add", "Nimbus Cloud", "--criticality", "critical", "--data", "phi", "--service", "Hosting",
            "--subprocessor", "--owner", "Dana")
        assertSucceeds(added)
        XCTAssertTrue(added.stdout.hasPrefix("VEN-1: Nimbus Cloud (critical, data phi); next review "), added.stdout)

        // Before any report or window: a finding for the missing report, uncovered_days null.
        var row = try XCTUnwrap(try json(try assure("vendors", "--format", "json").stdout).first)
        XCTAssertEqual(
            Array(row.keys).sorted(),
            [
                "agreements", "coverage", "criticality", "cuecs", "data", "due", "findings", "latest_report", "name",
                "next_review", "overdue", "owner", "ref", "reports", "reviewed_on", "service",
                "status", "subprocessor", "uncovered_days", "unmapped_cuecs",
            ])
        XCTAssertTrue(row["uncovered_days"] is NSNull, "no window: null")
        XCTAssertEqual(
            row["findings"] as? [String], ["no SOC 2 report (critical vendor)", "holds PHI without a BAA", "holds personal data without a DPA"])

        assertSucceeds(try assure("target", "--type", "2", "--window-start", "2026-01-01", "--window", "6m"))
        let pdf = path("nimbus-soc2.pdf")
        try Data("%PDF-1.7 report".utf8).write(to: URL(fileURLWithPath: pdf))
        let report = try assure(
            "vendor", "report", "nimbus", "--type", "2", "--period", "2025-04-01..2026-03-31", "--opinion", "qualified",
            "--exceptions", "2", "--carve-out", "Colo Facilities Inc.", "--bridge-until", "2026-05-31", "--file", pdf)
        assertSucceeds(report)
        XCTAssertEqual(
            report.stdout,
            """
            VEN-1 report 1: Type 2 2025-04-01..2026-03-31, qualified opinion, 2 exceptions; carve-outs: Colo Facilities Inc.; bridge letter to 2026-05-31
            Coverage: covered to 2026-03-31, bridge to 2026-05-31; 30 days uncovered (2026-06-01..2026-06-30)

            """)
        assertSucceeds(try assure("vendor", "report", "VEN-1", "--type", "1", "--as-of", "2026-06-15", "--opinion", "unqualified"))
        assertSucceeds(try assure("vendor", "agreement", "VEN-1", "--kind", "baa", "--signed", "2026-01-05", "--file", pdf))
        let dpa = try assure("vendor", "agreement", "VEN-1", "--kind", "dpa", "--signed", "2025-01-05", "--expires", "2026-01-04")
        assertSucceeds(dpa)
        XCTAssertEqual(dpa.stdout, "VEN-1: DPA signed 2025-01-05, expires 2026-01-04 (not in force today)\n")

        row = try XCTUnwrap(try json(try assure("vendors", "--format", "json").stdout).first)
        XCTAssertEqual(row["uncovered_days"] as? Int, 30)
        XCTAssertEqual(row["coverage"] as? String, "covered to 2026-03-31, bridge to 2026-05-31; 30 days uncovered (2026-06-01..2026-06-30)")
        XCTAssertEqual(row["reports"] as? Int, 2)
        XCTAssertEqual(row["agreements"] as? [String], ["baa"])
        XCTAssertEqual(
            row["findings"] as? [String],
            [
                "30 days of the audit window uncovered", "report 1: qualified opinion, 2 exceptions not reviewed",
                "DPA expired 2026-01-04 (holds personal data)",
            ])
        XCTAssertEqual(row["owner"] as? String, "Dana Kim")
        XCTAssertEqual(row["subprocessor"] as? Bool, true)

        let reviewed = try assure(
            "vendor", "report-review", "Nimbus Cloud", "--report", "1", "--note", "Badge exceptions at one site; not our tenancy",
            "--as", "Priya Raman")
        assertSucceeds(reviewed)
        XCTAssertTrue(
            reviewed.stdout.hasPrefix("VEN-1 report 1 (Type 2 2025-04-01..2026-03-31, qualified opinion, 2 exceptions): reviewed by Priya Raman on "),
            reviewed.stdout)
        // A newer report closes the window exactly at its end.
        assertSucceeds(try assure("vendor", "report", "VEN-1", "--type", "2", "--period", "2025-07-01..2026-06-30", "--opinion", "unqualified"))
        row = try XCTUnwrap(try json(try assure("vendors", "--format", "json").stdout).first)
        XCTAssertEqual(row["uncovered_days"] as? Int, 0)
        XCTAssertEqual(row["coverage"] as? String, "covered to 2026-06-30; window covered")
        XCTAssertEqual(row["findings"] as? [String], ["DPA expired 2026-01-04 (holds personal data)"])

        let shown = try assure("vendor", "show", "ven-1")
        assertSucceeds(shown)
        for expected in [
            "VEN-1  Nimbus Cloud", "Criticality:   critical (reviewed every 6 months)", "Audit window:  2026-01-01..2026-06-30 (181 days)",
            "  1. Type 2 2025-04-01..2026-03-31, qualified opinion, 2 exceptions; carve-outs: Colo Facilities Inc.; bridge letter to 2026-05-31; file nimbus-soc2.pdf",
            "     reviewed by Priya Raman on ", "  2. Type 1 as of 2026-06-15, unqualified, no exceptions",
            "  BAA signed 2026-01-05; file nimbus-soc2.pdf (current)", "  - DPA expired 2026-01-04 (holds personal data)",
        ] {
            XCTAssertTrue(shown.stdout.contains(expected), "\(expected) in\n\(shown.stdout)")
        }

        let log = try assure("log", "--entity", "vendor", "--ref", "VEN-1")
        for field in ["created", "criticality", "report", "report_review", "agreement"] {
            XCTAssertTrue(log.stdout.contains(field), "\(field) in \(log.stdout)")
        }
        let table = try assure("vendors")
        XCTAssertTrue(table.stdout.hasPrefix("Vendor "), table.stdout)
        let csv = try assure("vendors", "--format", "csv")
        XCTAssertTrue(csv.stdout.hasPrefix("Vendor,Name,Criticality,Data,Service,Subprocessor,Owner,"), csv.stdout)
    }

    func testCUECsWithControlOwnerAndEvidence() throws {
        assertSucceeds(try assure("vendor", "add", "Okta", "--criticality", "high", "--data", "confidential"))
        assertSucceeds(try assure("assign", "AC-04", "Dana Kim"))
        let evidence = path("q2.csv")
        try Data("user,decision\n".utf8).write(to: URL(fileURLWithPath: evidence))
        assertSucceeds(try assure("evidence", "add", "AC-04", evidence, "--period", "2026-04-01..2026-06-30"))
        assertSucceeds(try assure("evidence", "accept", "EV-1", "--note", "all attested"))

        let mapped = try assure("vendor", "cuec", "okta", "Review who holds admin roles each quarter", "--control", "AC-04")
        assertSucceeds(mapped)
        XCTAssertEqual(mapped.stdout, "VEN-1 CUEC 1: mapped to AC-04\n")
        let unmapped = try assure("vendor", "cuec", "okta", "Turn on MFA for every user")
        XCTAssertEqual(unmapped.stdout, "VEN-1 CUEC 2: not mapped yet (assure vendor cuec-map VEN-1 2 --control REF)\n")

        var rows = try json(try assure("vendor", "cuecs", "--format", "json").stdout)
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[0]["control"] as? String, "AC-04")
        XCTAssertEqual(rows[0]["owner"] as? String, "Dana Kim")
        XCTAssertEqual(rows[0]["evidence"] as? String, "EV-1")
        XCTAssertEqual(rows[0]["evidence_proves"] as? String, "2026-04-01..2026-06-30")
        XCTAssertTrue(rows[1]["control"] is NSNull)
        XCTAssertEqual(rows[1]["evidence"] as? String, "none")
        XCTAssertEqual(try json(try assure("vendors", "--format", "json").stdout).first?["unmapped_cuecs"] as? Int, 1)

        assertSucceeds(try assure("vendor", "cuec-map", "Okta", "2", "--control", "AC-04"))
        rows = try json(try assure("vendor", "cuecs", "Okta", "--format", "json").stdout)
        XCTAssertEqual(rows.map { $0["evidence"] as? String }, ["EV-1", "EV-1"])
        let table = try assure("vendor", "cuecs")
        XCTAssertTrue(table.stdout.contains("Turn on MFA for every user"), table.stdout)
    }

    func testEditReviewAndDue() throws {
        assertSucceeds(try assure("vendor", "add", "Ledgerly", "--criticality", "low"))
        let edited = try assure("vendor", "edit", "Ledgerly", "--name", "Ledgerly Payroll", "--criticality", "critical", "--data", "personal")
        assertSucceeds(edited)
        XCTAssertEqual(edited.stdout, "VEN-1: 3 changes recorded\n")
        XCTAssertEqual(try assure("vendor", "edit", "VEN-1", "--no-subprocessor").stdout, "VEN-1: no change\n")
        // A review six months and a day ago leaves it overdue and due.
        let day = Self.day(offsetMonths: -6, days: -1)
        let review = try assure("vendor", "review", "ledgerly", "--date", day)
        assertSucceeds(review)
        XCTAssertTrue(review.stdout.hasPrefix("VEN-1: reviewed on \(day); next review "), review.stdout)
        XCTAssertTrue(review.stdout.hasSuffix("(critical: every 6 months)\n"), review.stdout)
        var due = try json(try assure("vendors", "--due", "--format", "json").stdout)
        XCTAssertEqual(due.map { $0["ref"] as? String }, ["VEN-1"])
        XCTAssertEqual(due.first?["overdue"] as? Bool, true)
        XCTAssertEqual(due.first?["name"] as? String, "Ledgerly Payroll")
        assertSucceeds(try assure("vendor", "review", "VEN-1"))
        due = try json(try assure("vendors", "--due", "--format", "json").stdout)
        XCTAssertEqual(due.count, 0)
    }

    func testBadInputIsRefusedAndWritesNothing() throws {
        assertSucceeds(try assure("vendor", "add", "Nimbus Cloud", "--criticality", "critical"))
        assertSucceeds(try assure("vendor", "add", "Nimbus Mail"))
        let before = try changeCount()
        let cases: [([String], String)] = [
            (["vendor", "add", "Other", "--criticality", "urgent"], "unknown criticality 'urgent'; use low, medium, high, critical"),
            (["vendor", "add", "Other", "--data", "secret"], "unknown data class 'secret'"),
            (["vendor", "add", "nimbus cloud"], "a vendor named 'nimbus cloud' already exists (VEN-1)"),
            (["vendor", "add", "Other", "--owner", "Nobody"], "unknown owner 'Nobody'"),
            (["vendor", "edit", "Nimbus"], "nothing to change"),
            (["vendor", "edit", "Nimbus", "--criticality", "low"], "vendor 'Nimbus' is ambiguous: VEN-1 Nimbus Cloud, VEN-2 Nimbus Mail"),
            (["vendor", "edit", "VEN-9", "--criticality", "low"], "unknown vendor 'VEN-9'"),
            (
                ["vendor", "report", "VEN-1", "--type", "3", "--period", "2025-01-01..2025-12-31", "--opinion", "unqualified"],
                "unknown report type '3'"
            ),
            (["vendor", "report", "VEN-1", "--type", "2", "--period", "2025-01-01..2025-12-31", "--opinion", "fine"], "unknown opinion 'fine'"),
            (["vendor", "report", "VEN-1", "--type", "2", "--as-of", "2025-12-31", "--opinion", "unqualified"], "--as-of is for a Type 1 report"),
            (
                ["vendor", "report", "VEN-1", "--type", "1", "--period", "2025-01-01..2025-12-31", "--opinion", "unqualified"],
                "a Type 1 report is as of one day"
            ),
            (
                ["vendor", "report", "VEN-1", "--type", "2", "--period", "2025-12-31..2025-01-01", "--opinion", "unqualified"],
                "ends before it starts"
            ),
            (
                [
                    "vendor", "report", "VEN-1", "--type", "2", "--period", "2025-01-01..2025-12-31", "--opinion", "unqualified", "--bridge-until",
                    "2025-06-01",
                ],
                "must reach past the report's period end (2025-12-31)"
            ),
            (
                ["vendor", "report", "VEN-1", "--type", "2", "--period", "2025-01-01..2025-12-31", "--opinion", "unqualified", "--file", "nope.pdf"],
                "--file: nope.pdf: no such file"
            ),
            (
                ["vendor", "report", "VEN-1", "--type", "2", "--period", "2025-01-01..2025-02-30", "--opinion", "unqualified"],
                "'2025-02-30' is not a date"
            ),
            (["vendor", "report-review", "VEN-1", "--note", "ok"], "VEN-1 has no SOC 2 report to review"),
            (["vendor", "cuec", "VEN-1", "Review roles", "--control", "NOPE-1"], "unknown control 'NOPE-1'"),
            (["vendor", "cuec-map", "VEN-1", "1", "--control", "AC-04"], "VEN-1 has no CUECs"),
            (["vendor", "agreement", "VEN-1", "--kind", "sla", "--signed", "2026-01-01"], "unknown agreement kind 'sla'; use dpa, baa, msa, nda"),
            (
                ["vendor", "agreement", "VEN-1", "--kind", "dpa", "--signed", "2026-01-01", "--expires", "2025-01-01"],
                "expires (2025-01-01) before it was signed"
            ),
            (["vendor", "agreement", "VEN-1", "--kind", "dpa", "--signed", "2999-01-01"], "cannot be signed after today"),
            (["vendor", "review", "VEN-1", "--date", "2999-01-01"], "a review cannot be dated after today"),
            (["vendor", "add", "Evil\u{1B}[2J"], "control character"),
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
    }

    func testReadOnlyCommandsNeverWrite() throws {
        assertSucceeds(try assure("vendor", "add", "Nimbus Cloud", "--criticality", "critical", "--data", "phi"))
        assertSucceeds(try assure("vendor", "cuec", "Nimbus", "Restrict admin roles"))
        let before = try changeCount()
        let file = path("acme.assure")
        let modified = try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date
        for arguments in [
            ["vendors"], ["vendors", "--format", "json"], ["vendors", "--due"], ["vendor", "show", "Nimbus"], ["vendor", "cuecs"],
            ["vendor", "cuecs", "VEN-1", "--format", "csv"],
        ] {
            assertSucceeds(
                try runProcess(
                    Self.binary, arguments + ["--workspace", file],
                    environment: ["PATH": "/usr/bin:/bin", "HOME": folder.path, "ASSURE_USER": "tester", "TMPDIR": folder.path, "LANG": "C.UTF-8"],
                    currentDirectory: folder.path))
        }
        XCTAssertEqual(try changeCount(), before)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date, modified)
    }

    /// Today (UTC) moved by calendar months and then days, as `YYYY-MM-DD`.
    static func day(offsetMonths months: Int, days: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let moved = calendar.date(byAdding: .day, value: days, to: calendar.date(byAdding: .month, value: months, to: Date())!)!
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: moved)
    }
}
