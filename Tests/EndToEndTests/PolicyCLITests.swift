import AssureTestSupport
import Foundation
import XCTest

/// The policy commands through the built binary: naming, the editor round trip, approvals by
/// date, acknowledgements and rendering. Dates are relative to the real today, since the
/// binary refuses approvals in the future.
final class PolicyCLITests: CLITestCase {
    /// Today and nearby days as the binary sees them (UTC).
    let todayText = PolicyCLITests.day(0)
    static func day(_ offset: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date().addingTimeInterval(Double(offset) * 86_400))
    }

    override func setUpWithError() throws {
        try super.setUpWithError()
        assertSucceeds(try assure("init", "acme.assure", "--company", "Acme"))
        // Idempotent: whether or not `init` installed them already, the six are there after it.
        assertSucceeds(try assure("policy", "install"))
        assertSucceeds(try assure("owner", "add", "Dana Kim", "--role", "Head of Security"))
        assertSucceeds(try assure("owner", "add", "Priya Raman", "--role", "CEO"))
    }

    func json(_ text: String) throws -> [[String: Any]] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]], text)
    }

    func write(_ name: String, _ text: String) throws { try text.write(toFile: path(name), atomically: true, encoding: .utf8) }

    func changeCount() throws -> String { try assure("log", "--format", "csv").stdout }

    func testListSetApproveAndAtByDate() throws {
        let again = try assure("policy", "install")
        assertSucceeds(again)
        XCTAssertEqual(again.stdout, "all six built-in policies are already in the workspace\n")

        var list = try json(try assure("policies", "--format", "json").stdout)
        XCTAssertEqual(list.map { $0["ref"] as? String }, ["POL-IS", "POL-AC", "POL-CM", "POL-BC", "POL-DP", "POL-IR"])
        XCTAssertEqual(list[0]["status"] as? String, "draft")
        XCTAssertTrue(list[0]["owner"] is NSNull, "missing values are null")
        XCTAssertTrue(list[0]["live_version"] is NSNull)
        XCTAssertTrue(list[0]["acks"] is NSNull)

        let refused = try assure("policy", "approve", "POL-IS")
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertTrue(refused.stderr.contains("POL-IS has no approver; name one first: assure policy set POL-IS --approver NAME"), refused.stderr)
        let set = try assure("policy", "set", "information security", "--owner", "Dana Kim", "--approver", "Priya")
        assertSucceeds(set)
        XCTAssertEqual(set.stdout, "POL-IS: owner Dana Kim, approver Priya Raman, annual review\n")

        let first = Self.day(-40)
        let second = Self.day(-10)
        let approved = try assure("policy", "approve", "Information Security Policy", "--date", first)
        assertSucceeds(approved)
        XCTAssertTrue(approved.stdout.hasPrefix("POL-IS: version 1 approved on \(first) by Priya Raman, sha256 "), approved.stdout)
        let same = try assure("policy", "approve", "POL-IS")
        XCTAssertNotEqual(same.exitCode, 0)
        XCTAssertTrue(same.stderr.contains("the draft of POL-IS is version 1 already"), same.stderr)

        // A draft from a file, then a second version.
        let text = try assure("policy", "render", "POL-IS", "--format", "md").stdout
        XCTAssertTrue(text.hasPrefix("# Acme Information Security Policy\n"), text)
        let source = try readDraft("POL-IS")
        try write("is.md", source.replacingOccurrences(of: "at most twelve months", with: "at most six months"))
        let edited = try assure("policy", "edit", "POL-IS", "--file", path("is.md"))
        assertSucceeds(edited)
        XCTAssertEqual(edited.stdout, "POL-IS: draft updated; status changed\n")
        let future = try assure("policy", "approve", "POL-IS", "--date", Self.day(2))
        XCTAssertNotEqual(future.exitCode, 0)
        XCTAssertTrue(future.stderr.contains("is in the future"), future.stderr)
        assertSucceeds(try assure("policy", "approve", "POL-IS", "--date", second))

        let before = try assure("policy", "at", "POL-IS", Self.day(-41))
        XCTAssertEqual(before.exitCode, 1, "before the first approval")
        XCTAssertEqual(before.stderr, "POL-IS had no approved version on \(Self.day(-41)): version 1 was approved on \(first)\n")
        XCTAssertEqual(before.stdout, "")
        let onFirst = try assure("policy", "at", "pol-is", first)
        assertSucceeds(onFirst)
        XCTAssertTrue(
            onFirst.stdout.hasPrefix("POL-IS Information Security Policy on \(first): version 1, approved on \(first) by Priya Raman\nsha256 "),
            onFirst.stdout)
        XCTAssertTrue(try assure("policy", "at", "POL-IS", Self.day(-11)).stdout.contains(": version 1,"), "the day before the next version")
        XCTAssertTrue(try assure("policy", "at", "POL-IS", second).stdout.contains(": version 2,"), "the day of it")
        let never = try assure("policy", "at", "POL-CM", second)
        XCTAssertEqual(never.exitCode, 1)
        XCTAssertEqual(never.stderr, "POL-CM had no approved version on \(second): it has never been approved\n")

        list = try json(try assure("policies", "--format", "json").stdout)
        XCTAssertEqual(list[0]["status"] as? String, "approved")
        XCTAssertEqual(list[0]["live_version"] as? Int, 2)
        XCTAssertEqual(list[0]["live_approved_on"] as? String, second)
        XCTAssertEqual(list[0]["owner"] as? String, "Dana Kim")
        XCTAssertEqual(list[0]["acks"] as? String, "0/2")
        let table = try assure("policies")
        assertSucceeds(table)
        XCTAssertTrue(table.stdout.hasPrefix("Ref     Title"), table.stdout)
        XCTAssertTrue(table.stdout.contains("review overdue") == false)

        let show = try assure("policy", "show", "POL-IS")
        assertSucceeds(show)
        XCTAssertTrue(show.stdout.contains("  Risk management\n    Requirements: soc2:CC3.1, soc2:CC3.2"), show.stdout)
        XCTAssertTrue(show.stdout.contains("  v1  \(first)  approved by Priya Raman  recorded by tester"), show.stdout)
        XCTAssertTrue(show.stdout.contains("(same as version 2)"), show.stdout)

        let ambiguous = try assure("policy", "show", "in")
        XCTAssertNotEqual(ambiguous.exitCode, 0)
        XCTAssertTrue(
            ambiguous.stderr.contains("policy 'in' is ambiguous: POL-IS (Information Security Policy), POL-IR (Incident Response Policy)"),
            ambiguous.stderr)
    }

    func readDraft(_ name: String) throws -> String {
        // `policy edit` with an editor that copies the draft out shows exactly what is stored.
        let out = path("draft-\(name).md")
        let result = try assure("policy", "edit", name, environment: ["EDITOR": "cp -f \"$1\" \(out); true", "VISUAL": ""])
        assertSucceeds(result)
        XCTAssertTrue(result.stdout.hasSuffix("no changes; nothing was written\n"), result.stdout)
        return try String(contentsOfFile: out, encoding: .utf8)
    }

    func testEditOpensTheEditorAndKeepsTheTextWhenItIsRefused() throws {
        // An editor that changes one word.
        let good = try assure("policy", "edit", "POL-BC", environment: ["EDITOR": "sed -i s/alternating/rotating/"])
        assertSucceeds(good)
        XCTAssertEqual(good.stdout, "POL-BC: draft updated; status draft\n")
        XCTAssertTrue(try readDraft("POL-BC").contains("rotating between walk-through exercises"))
        // $VISUAL wins over $EDITOR.
        let visual = try assure("policy", "edit", "POL-BC", environment: ["VISUAL": "sed -i s/rotating/alternating/", "EDITOR": "false"])
        assertSucceeds(visual)

        let log = try changeCount()
        let bad = try assure("policy", "edit", "POL-BC", environment: ["EDITOR": "sed -i s/{{company}}/{{compnay}}/"])
        XCTAssertEqual(bad.exitCode, 1)
        XCTAssertTrue(bad.stderr.contains("unknown placeholder '{{compnay}}' (did you mean {{company}}?)"), bad.stderr)
        let kept = try XCTUnwrap(
            bad.stderr.components(separatedBy: "your edited text is kept in ").last?.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertTrue(kept.hasPrefix(folder.path) && kept.hasSuffix(".md"), kept)
        XCTAssertTrue(try String(contentsOfFile: kept, encoding: .utf8).contains("{{compnay}}"), "nothing typed is lost")
        let line = try XCTUnwrap(bad.stderr.range(of: #"\.md:(\d+):"#, options: .regularExpression))
        XCTAssertFalse(bad.stderr[line].isEmpty, "the error names the line")
        XCTAssertEqual(try changeCount(), log, "nothing was written")

        let failed = try assure("policy", "edit", "POL-BC", environment: ["EDITOR": "false"])
        XCTAssertNotEqual(failed.exitCode, 0)
        XCTAssertTrue(failed.stderr.contains("the editor exited with status 1; the draft of POL-BC is unchanged"), failed.stderr)
        XCTAssertEqual(try changeCount(), log)
    }

    func testAcknowledgementsAndWhoOwesThem() throws {
        assertSucceeds(try assure("policy", "set", "POL-IR", "--approver", "Priya Raman"))
        assertSucceeds(try assure("policy", "approve", "POL-IR", "--date", Self.day(-30)))
        let ack = try assure("policy", "ack", "incident", "--person", "dana", "--date", Self.day(-20))
        assertSucceeds(ack)
        XCTAssertEqual(ack.stdout, "POL-IR: Dana Kim acknowledged version 1 on \(Self.day(-20))\n")
        let twice = try assure("policy", "ack", "POL-IR", "--person", "Dana Kim")
        XCTAssertNotEqual(twice.exitCode, 0)
        XCTAssertTrue(twice.stderr.contains("Dana Kim already acknowledged POL-IR version 1"), twice.stderr)
        let unknown = try assure("policy", "ack", "POL-IR", "--person", "Nobody Known")
        XCTAssertNotEqual(unknown.exitCode, 0)
        XCTAssertTrue(unknown.stderr.contains("unknown person 'Nobody Known'"), unknown.stderr)

        let acks = try assure("policy", "acks", "POL-IR")
        assertSucceeds(acks)
        XCTAssertTrue(
            acks.stdout.hasPrefix("POL-IR version 1 (approved \(Self.day(-30))): 1/2 of the people active today acknowledged it\n"), acks.stdout)
        XCTAssertTrue(acks.stdout.contains("Dana Kim  \(Self.day(-20))"), acks.stdout)
        XCTAssertTrue(acks.stdout.hasSuffix("Not yet acknowledged:\n  Priya Raman\n"), acks.stdout)
        let missing = try assure("policy", "acks", "POL-IR", "--missing")
        XCTAssertEqual(missing.stdout, "  Priya Raman\n")
        let rows = try json(try assure("policy", "acks", "POL-IR", "--format", "json").stdout)
        XCTAssertEqual(rows.map { $0["person"] as? String }, ["Dana Kim", "Priya Raman"])
        XCTAssertEqual(rows.map { $0["acknowledged"] as? Bool }, [true, false])
        XCTAssertTrue(rows[1]["acked_on"] is NSNull)

        // A leaver and a new hire, straight into the personnel table (the people commands are not under test here).
        let sql =
            "INSERT INTO person (name, started_on, ended_on) VALUES ('Lee Leaver', '2020-01-01', '\(Self.day(-5))'), ('Nina Novak', '\(Self.day(-2))', NULL)"
        let inserted = try runProcess("/usr/bin/env", ["sqlite3", path("acme.assure"), sql], environment: ProcessInfo.processInfo.environment)
        try XCTSkipIf(inserted.exitCode != 0, "the sqlite3 shell is needed to add people directly")
        assertSucceeds(try assure("policy", "ack", "POL-IR", "--person", "Lee Leaver", "--date", Self.day(-10)))
        let left = try assure("policy", "ack", "POL-IR", "--person", "Lee Leaver", "--date", todayText, "--version", "1")
        XCTAssertNotEqual(left.exitCode, 0)
        XCTAssertEqual(
            try assure("policy", "acks", "POL-IR", "--missing").stdout, "  Nina Novak\n  Priya Raman\n", "the new hire owes; the leaver does not")
        XCTAssertEqual(try json(try assure("policies", "--format", "json").stdout).last?["acks"] as? String, "1/3")
    }

    func testRenderIsStandaloneEscapedAndByteIdentical() throws {
        assertSucceeds(try assure("init", "odd.assure", "--company", "<b>Acme & \"Co\"</b>"))
        assertSucceeds(try assure("policy", "install", "-w", "odd.assure"))
        let markdown = try assure("policy", "render", "POL-DP", "-w", "odd.assure")
        assertSucceeds(markdown)
        XCTAssertTrue(markdown.stdout.hasPrefix("# <b>Acme & \"Co\"</b> Data Classification and Privacy Policy\n"), markdown.stdout)

        let written = try assure("policy", "render", "POL-DP", "--format", "html", "-o", path("dp.html"), "-w", "odd.assure")
        assertSucceeds(written)
        XCTAssertTrue(written.stdout.hasPrefix(path("dp.html") + ": "), written.stdout)
        let html = try String(contentsOfFile: path("dp.html"), encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.hasSuffix("</html>\n"))
        XCTAssertTrue(html.contains("&lt;b&gt;Acme &amp; &quot;Co&quot;&lt;/b&gt; Data Classification and Privacy Policy</h1>"), html)
        XCTAssertFalse(html.contains("<b>Acme"))
        assertSucceeds(try assure("policy", "render", "POL-DP", "--format", "html", "-o", path("dp2.html"), "-w", "odd.assure"))
        XCTAssertEqual(
            try Data(contentsOf: URL(fileURLWithPath: path("dp2.html"))), try Data(contentsOf: URL(fileURLWithPath: path("dp.html"))),
            "byte-identical on re-run")

        let noVersion = try assure("policy", "render", "POL-DP", "--version", "1", "-w", "odd.assure")
        XCTAssertNotEqual(noVersion.exitCode, 0)
        XCTAssertTrue(noVersion.stderr.contains("POL-DP has no version 1; it has never been approved"), noVersion.stderr)
    }

    func testAddingACompanyPolicyAndRefusals() throws {
        try write(
            "vendor.md",
            """
            ---
            ref: POL-VM
            title: Vendor Management Policy
            cadence: annual
            sections:
              - title: Due diligence
                requirements: [soc2:CC9.2, "iso27001:A.5.19"]
                evidence: [Vendor reviews]
            ---
            # {{company}} Vendor Management Policy

            ## Due diligence

            Vendors are reviewed before we rely on them.
            """)
        let added = try assure("policy", "add", "--from", path("vendor.md"), "--owner", "Dana Kim")
        assertSucceeds(added)
        XCTAssertEqual(added.stdout, "POL-VM: added as a draft; approve it with `assure policy approve POL-VM`\n")
        XCTAssertEqual(try json(try assure("policies", "--format", "json").stdout).last?["source"] as? String, "company")

        let log = try changeCount()
        let again = try assure("policy", "add", "--from", path("vendor.md"))
        XCTAssertNotEqual(again.exitCode, 0)
        XCTAssertTrue(again.stderr.contains("already has a policy with the ref POL-VM"), again.stderr)
        try write(
            "bad.md",
            try String(contentsOfFile: path("vendor.md"), encoding: .utf8)
                .replacingOccurrences(of: "POL-VM", with: "POL-X").replacingOccurrences(of: "Vendor Management", with: "Other")
                .replacingOccurrences(of: "soc2:CC9.2", with: "soc2:CC9.7"))
        let bad = try assure("policy", "add", "--from", path("bad.md"))
        XCTAssertNotEqual(bad.exitCode, 0)
        XCTAssertTrue(bad.stderr.contains("bad.md:7:"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("unknown requirement 'soc2:CC9.7'"), bad.stderr)
        let unknown = try assure("policy", "show", "Zebra Policy")
        XCTAssertNotEqual(unknown.exitCode, 0)
        XCTAssertTrue(unknown.stderr.contains("unknown policy 'Zebra Policy'"), unknown.stderr)
        XCTAssertEqual(try changeCount(), log, "refusals write nothing")
    }
}
