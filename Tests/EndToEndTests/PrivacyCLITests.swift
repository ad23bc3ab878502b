import AssureTestSupport
import Foundation
import XCTest

/// The privacy records through the command line: processing, DPIAs and data subject requests.
/// Dates are relative to the real today, so the deadlines are checked against what it is.
final class PrivacyCLITests: CLITestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        assertSucceeds(try assure("init", "acme.assure", "--company", "Acme Health"))
        // Vendors come from the vendor commands; written here with sqlite3 when those are absent.
        for name in ["Cloudcore", "Mailbird"] {
            let viaCLI = try assure("vendor", "add", name)
            if viaCLI.exitCode != 0 { try insertVendor(name) }
        }
    }

    func insertVendor(_ name: String) throws {
        let number = name == "Cloudcore" ? 1 : 2
        let result = try runProcess(
            "/usr/bin/sqlite3",
            [
                path("acme.assure"),
                "INSERT INTO vendor (number, ref, name, created_on, created_by) VALUES (\(number), 'VEN-\(number)', '\(name)', '2026-01-01', 'tester')",
            ],
            environment: ["PATH": "/usr/bin:/bin"], currentDirectory: folder.path)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
    }

    func json(_ text: String) throws -> [[String: Any]] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]], text)
    }

    func changeCount() throws -> String { try assure("verify").stdout }

    static func day(_ offset: Int, months: Int = 0) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // The day first, then the months: what "received on that day, due a month later" means.
        let received = calendar.date(byAdding: .day, value: offset, to: Date())!
        let date = calendar.date(byAdding: .month, value: months, to: received)!
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    func testProcessingRegisterAddEditListAndExport() throws {
        let added = try assure(
            "processing", "add", "Patient scheduling", "--purpose", "Book and remind appointments", "--basis", "contract",
            "--data", "name, email, appointment times", "--subjects", "patients", "--recipients", "cloudcore", "VEN-2",
            "--transfer", "US", "--mechanism", "scc", "--retention", "2 years after the last visit", "--high-risk")
        assertSucceeds(added)
        XCTAssertEqual(added.stdout, "ROPA-1: Patient scheduling (contract; 2 recipients; transfer to US under scc; high risk: needs a DPIA)\n")
        assertSucceeds(
            try assure(
                "processing", "add", "Payroll", "--purpose", "Pay staff", "--basis", "legal-obligation",
                "--data", "name, bank account", "--subjects", "employees", "--retention", "7 years"))

        var rows = try json(try assure("processing", "--format", "json").stdout)
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(
            Array(rows[0].keys).sorted(),
            [
                "basis", "created_on", "data", "dpia", "dpia_outcome", "high_risk", "mechanism", "name",
                "purpose", "recipients", "ref", "retention", "subjects", "transfer",
            ])
        XCTAssertEqual(rows[0]["recipients"] as? [String], ["Cloudcore", "Mailbird"])
        XCTAssertEqual(rows[0]["data"] as? [String], ["name", "email", "appointment times"])
        XCTAssertEqual(rows[0]["high_risk"] as? Bool, true)
        XCTAssertTrue(rows[0]["dpia"] is NSNull)
        XCTAssertTrue(rows[1]["transfer"] is NSNull)

        let edited = try assure("processing", "edit", "payroll", "--add-recipient", "Cloudcore", "--retention", "6 years")
        assertSucceeds(edited)
        XCTAssertEqual(edited.stdout, "ROPA-2: 2 changes recorded\n")
        rows = try json(try assure("processing", "list", "--format", "json").stdout)
        XCTAssertEqual(rows[1]["recipients"] as? [String], ["Cloudcore"])

        let table = try assure("processing")
        XCTAssertTrue(table.stdout.hasPrefix("Ref     Activity"), table.stdout)
        let shown = try assure("processing", "show", "ROPA-1")
        XCTAssertTrue(shown.stdout.contains("Transfer:    US under scc (standard contractual clauses)"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("DPIA:        none (one is needed: assure dpia add ROPA-1 --outcome ...)"), shown.stdout)

        let csv = try assure("processing", "export", "--format", "csv")
        assertSucceeds(csv)
        let lines = csv.stdout.components(separatedBy: "\r\n")
        XCTAssertEqual(
            lines[0],
            "Ref,Processing activity,Controller,Purpose,Legal basis,Categories of personal data,Categories of data subjects,Recipients,Transfer to third country,Transfer safeguard,Retention,High risk,DPIA,DPIA outcome"
        )
        XCTAssertEqual(
            lines[2], "ROPA-2,Payroll,Acme Health,Pay staff,legal-obligation,name; bank account,employees,Cloudcore,none,,6 years,no,not required,")
        assertSucceeds(try assure("processing", "export", "--format", "md", "-o", "ropa.md"))
        let markdown = try String(contentsOfFile: path("ropa.md"), encoding: .utf8)
        XCTAssertTrue(markdown.hasPrefix("# Record of processing activities\n\nController: Acme Health\n\n"), markdown)
        assertSucceeds(try assure("processing", "export", "--format", "md", "-o", "again.md"))
        XCTAssertEqual(try String(contentsOfFile: path("again.md"), encoding: .utf8), markdown, "byte-stable")

        let log = try assure("log", "--entity", "processing", "--ref", "ROPA-2")
        for field in ["created", "retention", "recipient"] { XCTAssertTrue(log.stdout.contains(field), "\(field) in \(log.stdout)") }
    }

    func testDPIAsAndTheirDerivedGaps() throws {
        assertSucceeds(
            try assure(
                "processing", "add", "Telehealth", "--purpose", "Video visits", "--basis", "contract", "--data", "health data",
                "--subjects", "patients", "--retention", "10 years", "--high-risk"))
        var derived = try assure("gaps", "derive")
        assertSucceeds(derived)
        XCTAssertTrue(derived.stdout.contains("ROPA-1 is high-risk processing with no DPIA"), derived.stdout)
        let added = try assure(
            "dpia", "add", "Telehealth", "--outcome", "not-acceptable", "--summary", "Recordings kept too long",
            "--date", Self.day(-200), "--next-review", Self.day(-10), "--risk", "RISK-1")
        assertSucceeds(added)
        XCTAssertEqual(
            added.stdout, "DPIA-1: ROPA-1 Telehealth assessed \(Self.day(-200)): not-acceptable; next review \(Self.day(-10)); risks RISK-1\n")
        let rows = try json(try assure("dpia", "--format", "json").stdout)
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows[0]["review_overdue"] as? Bool, true)
        XCTAssertEqual(rows[0]["current"] as? Bool, true)
        XCTAssertEqual(rows[0]["risks"] as? [String], ["RISK-1"])
        let shown = try assure("dpia", "show", "1")
        XCTAssertTrue(shown.stdout.contains("Next review: \(Self.day(-10)) (overdue)"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("  Recordings kept too long"), shown.stdout)
        derived = try assure("gaps", "derive")
        XCTAssertTrue(derived.stdout.contains("DPIA-1 review was due on \(Self.day(-10))"), derived.stdout)
        XCTAssertTrue(derived.stdout.contains("DPIA-1 found the risk of ROPA-1 not acceptable"), derived.stdout)
        XCTAssertFalse(derived.stdout.contains("ROPA-1 is high-risk processing with no DPIA"), derived.stdout)
        assertSucceeds(try assure("dsr", "open", "--kind", "objection", "--received", Self.day(-45)))
        XCTAssertTrue(try assure("gaps", "derive").stdout.contains("DSR-1 (objection request) was due on \(Self.day(-45, months: 1))"))
    }

    func testRequestsOpenExtendCloseAndList() throws {
        let received = Self.day(-5)
        let due = Self.day(-5, months: 1)
        let opened = try assure("dsr", "open", "--kind", "access", "--received", received, "--subject-ref", "ZD-48213")
        assertSucceeds(opened)
        XCTAssertTrue(opened.stdout.hasPrefix("DSR-1: access request received \(received), due \(due) ("), opened.stdout)
        let extended = try assure("dsr", "extend", "DSR-1", "--months", "2", "--reason", "Records span three systems")
        assertSucceeds(extended)
        XCTAssertTrue(extended.stdout.hasPrefix("DSR-1: extended by 2 months to "), extended.stdout)

        let late = Self.day(-40)
        assertSucceeds(try assure("dsr", "open", "--kind", "erasure", "--received", late))
        var rows = try json(try assure("dsr", "--format", "json").stdout)
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(
            Array(rows[0].keys).sorted(),
            [
                "closed_on", "days_left", "due", "extension_reason", "kind", "original_due", "overdue",
                "received", "ref", "status", "subject_ref", "when",
            ])
        XCTAssertEqual(rows[0]["original_due"] as? String, due)
        XCTAssertEqual(rows[0]["overdue"] as? Bool, false)
        XCTAssertEqual(rows[1]["overdue"] as? Bool, true)
        XCTAssertLessThan(try XCTUnwrap(rows[1]["days_left"] as? Int), 0)
        let overdue = try json(try assure("dsr", "--overdue", "--format", "json").stdout)
        XCTAssertEqual(overdue.map { $0["ref"] as? String }, ["DSR-2"])

        let reply = path("reply.txt")
        try Data("Access export sent".utf8).write(to: URL(fileURLWithPath: reply))
        let closed = try assure("dsr", "close", "DSR-1", "--status", "completed", "--note", "Export sent", "--evidence", reply)
        assertSucceeds(closed)
        XCTAssertEqual(closed.stdout, "DSR-1: completed on \(Self.day(0)) (on time); evidence reply.txt\n")
        rows = try json(try assure("dsr", "--open", "--format", "json").stdout)
        XCTAssertEqual(rows.map { $0["ref"] as? String }, ["DSR-2"])
        assertSucceeds(try assure("dsr", "evidence", "DSR-1", "-o", "copy.txt"))
        XCTAssertEqual(try String(contentsOfFile: path("copy.txt"), encoding: .utf8), "Access export sent")
        let table = try assure("dsr")
        XCTAssertTrue(table.stdout.hasPrefix("DSR    Kind"), table.stdout)
        XCTAssertTrue(table.stdout.contains("days overdue"), table.stdout)
        let log = try assure("log", "--entity", "dsr", "--ref", "DSR-1")
        for field in ["received_on", "due_on", "extended_to", "extension_reason", "status", "closing_note", "file"] {
            XCTAssertTrue(log.stdout.contains(field), "\(field) in \(log.stdout)")
        }
    }

    func testBadInputIsRefusedAndWritesNothing() throws {
        assertSucceeds(try assure("dsr", "open", "--kind", "access", "--received", Self.day(-40)))
        let before = try changeCount()
        let cases: [([String], String)] = [
            (
                [
                    "processing", "add", "X", "--purpose", "p", "--basis", "contract", "--data", "d", "--subjects", "s", "--retention", "r",
                    "--transfer", "US",
                ], "--transfer needs --mechanism scc|adequacy|bcr"
            ),
            (
                [
                    "processing", "add", "X", "--purpose", "p", "--basis", "contract", "--data", "d", "--subjects", "s", "--retention", "r",
                    "--mechanism", "scc",
                ], "--mechanism goes with --transfer COUNTRY"
            ),
            (
                ["processing", "add", "X", "--purpose", "p", "--basis", "whim", "--data", "d", "--subjects", "s", "--retention", "r"],
                "unknown lawful basis 'whim'"
            ),
            (
                [
                    "processing", "add", "X", "--purpose", "p", "--basis", "contract", "--data", "d", "--subjects", "s", "--retention", "r",
                    "--recipients", "Nobody Inc",
                ], "unknown vendor 'Nobody Inc'"
            ),
            (["processing", "edit", "ROPA-1", "--retention", "1y"], "unknown processing activity 'ROPA-1'"),
            (["processing", "edit", "ROPA-1"], "nothing to change"),
            (["dpia", "add", "ROPA-1", "--outcome", "fine"], "unknown DPIA outcome 'fine'"),
            (
                ["dsr", "open", "--kind", "access", "--received", "today", "--subject-ref", "jane.doe@example.com"],
                "looks like an email address: store an opaque reference, not personal data"
            ),
            (
                ["dsr", "open", "--kind", "access", "--received", "today", "--subject-ref", "+1 415 555 0123"],
                "looks like a phone number: store an opaque reference, not personal data"
            ),
            (["dsr", "open", "--kind", "gossip", "--received", "today"], "unknown request kind 'gossip'"),
            (["dsr", "open", "--kind", "access", "--received", "yesterday-ish"], "--received: 'yesterday-ish' is not a date"),
            (["dsr", "extend", "DSR-1", "--months", "2", "--reason", "late"], "an extension must be decided before the original due date passes"),
            (["dsr", "extend", "DSR-1", "--months", "3", "--reason", "x"], "--months must be 1 or 2"),
            (["dsr", "close", "DSR-1", "--status", "open", "--note", "x"], "use completed or refused"),
            (["dsr", "close", "DSR-1", "--status", "completed", "--note", "x", "--evidence", "missing.pdf"], "missing.pdf: no such file"),
            (["dsr", "show", "DSR-9"], "unknown DSR 'DSR-9'"),
        ]
        for (arguments, message) in cases {
            let result = try assure(arguments)
            XCTAssertNotEqual(result.exitCode, 0, arguments.joined(separator: " "))
            XCTAssertTrue(result.stderr.contains(message), "\(arguments.joined(separator: " ")): \(result.stderr)")
        }
        XCTAssertEqual(try changeCount(), before, "refused commands write nothing")
        // The refusal never echoes what looked like personal data.
        let refused = try assure(["dsr", "open", "--kind", "access", "--received", "today", "--subject-ref", "jane.doe@example.com"])
        XCTAssertFalse(refused.stderr.contains("jane"), refused.stderr)
    }

    func testReadOnlyListingsNeverWrite() throws {
        let before = try changeCount()
        for arguments in [["processing"], ["processing", "export", "--format", "md"], ["dpia"], ["dsr", "--format", "csv"], ["dsr", "--overdue"]] {
            assertSucceeds(try assure(arguments))
        }
        XCTAssertEqual(try changeCount(), before)
    }
}

extension PrivacyCLITests {
    /// `assure` with an array of arguments.
    fileprivate func assure(_ arguments: [String]) throws -> ProcessResult {
        try runProcess(
            Self.binary, arguments,
            environment: [
                "PATH": "/usr/bin:/bin", "HOME": folder.path, "ASSURE_USER": "tester",
                "TMPDIR": folder.path, "LANG": "C.UTF-8",
            ], currentDirectory: folder.path)
    }
}
