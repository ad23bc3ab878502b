import AssureTestSupport
import Foundation
import XCTest

/// Evidence, the Type II ledger, populations and samples, and the auditor's requests, through
/// the command line on a fresh workspace (independent of the sample's own evidence).
final class EvidenceCLITests: CLITestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        assertSucceeds(try assure("init", "acme.assure", "--company", "Acme"))
        assertSucceeds(try assure("target", "--type", "2", "--window-start", "2026-01-01", "--window", "6m"))
    }

    func write(_ name: String, _ text: String) throws { try text.write(toFile: path(name), atomically: true, encoding: .utf8) }

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    func changeCount() throws -> String { try assure("verify").stdout }

    func assure(_ arguments: [String]) throws -> ProcessResult {
        try runProcess(
            Self.binary, arguments,
            environment: [
                "PATH": "/usr/bin:/bin", "HOME": folder.path, "ASSURE_USER": "tester",
                "TMPDIR": folder.path, "LANG": "C.UTF-8",
            ], currentDirectory: folder.path)
    }

    func testEvidenceIsStoredOnceVersionedReviewedAndComesBackByteForByte() throws {
        try write("review.csv", "user,decision\nalice,keep\nbob,remove\n")
        let added = try assure("evidence", "add", "AC-03", path("review.csv"), "--period", "2026-01-01..2026-03-31", "--source", "Okta export")
        assertSucceeds(added)
        XCTAssertTrue(added.stdout.hasPrefix("EV-1: 1 file for AC-03, proving 2026-01-01..2026-03-31"), added.stdout)
        // The same bytes under another item are stored once: the workspace grows by a row, not a file.
        assertSucceeds(try assure("evidence", "add", "AC-03", path("review.csv"), "--effective", "2026-04-02"))
        let list = try XCTUnwrap(try json(try assure("evidence", "list", "--format", "json").stdout) as? [[String: Any]])
        XCTAssertEqual(list.map { $0["id"] as? String }, ["EV-2", "EV-1"], "newest proved first")
        XCTAssertEqual(list[1]["control"] as? String, "AC-03")
        XCTAssertEqual(list[1]["source"] as? String, "Okta export")
        XCTAssertEqual(list[1]["proved_from"] as? String, "2026-01-01")
        XCTAssertEqual(list[1]["proved_to"] as? String, "2026-03-31")
        XCTAssertEqual(list[0]["sha256"] as? [String], list[1]["sha256"] as? [String])
        XCTAssertNotNil(list[1]["added_at"] as? String)
        let blobs = try runProcess(
            "/usr/bin/env", ["sqlite3", path("acme.assure"), "SELECT count(*) FROM blob"], environment: ProcessInfo.processInfo.environment)
        if blobs.exitCode == 0 { XCTAssertEqual(blobs.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "1") }

        // A new version keeps the old one; its review starts over.
        assertSucceeds(try assure("evidence", "accept", "EV-1", "--note", "All 41 accounts attested"))
        try write("review-v2.csv", "user,decision\nalice,keep\n")
        assertSucceeds(try assure("evidence", "revise", "EV-1", path("review-v2.csv")))
        let shown = try assure("evidence", "show", "EV-1")
        XCTAssertTrue(shown.stdout.contains("v1  review.csv") && shown.stdout.contains("v2  review-v2.csv"), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("Review:    pending"), shown.stdout)

        assertSucceeds(try assure("evidence", "get", "EV-1", "-o", path("back.csv")))
        XCTAssertEqual(try String(contentsOfFile: path("back.csv"), encoding: .utf8), "user,decision\nalice,keep\n")
        assertSucceeds(try assure("evidence", "get", "EV-1", "--version", "1", "-o", path("back1.csv")))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("back1.csv"))), try Data(contentsOf: URL(fileURLWithPath: path("review.csv"))))
        let exists = try assure("evidence", "get", "EV-1", "-o", path("back.csv"))
        XCTAssertNotEqual(exists.exitCode, 0, "an existing file is never overwritten")
    }

    func testDamagedStoredBytesAreReportedAndNotWrittenOut() throws {
        try write("r.csv", "user,decision\nalice,keep\n")
        assertSucceeds(try assure("evidence", "add", "AC-03", path("r.csv"), "--effective", "2026-02-01"))
        let damage = try runProcess(
            "/usr/bin/env", ["sqlite3", path("acme.assure"), "UPDATE blob_chunk SET data = X'00'"],
            environment: ProcessInfo.processInfo.environment)
        try XCTSkipIf(damage.exitCode != 0, "the sqlite3 shell is needed to damage the file")
        let get = try assure("evidence", "get", "EV-1", "-o", path("out.csv"))
        XCTAssertNotEqual(get.exitCode, 0)
        XCTAssertTrue(get.stderr.contains("does not match its SHA-256"), get.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out.csv")), "no half-written file is left looking like evidence")
    }

    func testBadEvidenceInputIsRefusedAndNothingIsWritten() throws {
        let before = try changeCount()
        for arguments in [
            ["evidence", "add", "AC-03", path("missing.pdf")],
            ["evidence", "add", "NOPE-1", path("missing.pdf")],
            ["evidence", "add", "AC-03", path("x"), "--period", "2026-03-01..2026-01-01"],
            ["evidence", "add", "AC-03", path("x"), "--effective", "2026-02-30"],
            ["evidence", "accept", "EV-9", "--note", "x"],
        ] {
            try write("x", "x")
            let result = try assure(arguments)
            XCTAssertNotEqual(result.exitCode, 0, arguments.joined(separator: " "))
            XCTAssertTrue(result.stderr.hasPrefix("Error: "), result.stderr)
        }
        XCTAssertEqual(try changeCount(), before, "the workspace is unchanged")
    }

    func testTheOwnerCannotReviewTheirOwnEvidenceWhenTheWorkspaceAsks() throws {
        assertSucceeds(try assure("owner", "add", "Dana Kim"))
        assertSucceeds(try assure("assign", "AC-03", "Dana Kim"))
        try write("r.csv", "a\n1\n")
        assertSucceeds(try assure("evidence", "add", "AC-03", path("r.csv"), "--effective", "2026-02-01"))
        assertSucceeds(try assure("evidence", "settings", "--independent-review", "yes", "--grace", "10"))
        let own = try assure("evidence", "accept", "EV-1", "--note", "fine", "--as", "Dana Kim")
        XCTAssertNotEqual(own.exitCode, 0)
        XCTAssertTrue(own.stderr.contains("Dana Kim owns the control"), own.stderr)
        assertSucceeds(try assure("evidence", "accept", "EV-1", "--note", "fine", "--as", "Priya Raman"))
        XCTAssertTrue(try assure("evidence", "settings").stdout.contains("grace: 10 days; independent review: yes"))
    }

    /// The window's edges: 2026-01-01..2026-06-30 for 6m; a quarterly control owes two occurrences.
    func testTheLedgerAtTheWindowEdges() throws {
        func add(_ control: String, _ day: String) throws {
            try write("e-\(day).txt", day)
            let added = try assure("evidence", "add", control, path("e-\(day).txt"), "--effective", day)
            assertSucceeds(added)
            let ref = String(added.stdout.prefix { $0 != ":" })
            assertSucceeds(try assure("evidence", "accept", ref, "--note", "checked"))
        }
        try add("AC-03", "2025-12-31")  // before the window: ignored
        try add("AC-03", "2026-01-01")  // first day: Q1
        try add("AC-03", "2026-06-30")  // last day: Q2
        try add("AC-03", "2026-07-01")  // after the window: ignored
        try add("AC-09", "2026-07-10")  // annual, one occurrence due 2026-06-30: within the 14-day grace
        let ledger = try XCTUnwrap(try json(try assure("ledger", "--format", "json").stdout) as? [String: Any])
        XCTAssertEqual((ledger["window"] as? [String: String])?["end"], "2026-06-30")
        let occurrences = try XCTUnwrap(ledger["occurrences"] as? [[String: Any]])
        let ac03 = occurrences.filter { $0["control"] as? String == "AC-03" }
        XCTAssertEqual(ac03.map { $0["period_start"] as? String }, ["2026-01-01", "2026-04-01"])
        XCTAssertEqual(ac03.map { $0["due"] as? String }, ["2026-03-31", "2026-06-30"])
        XCTAssertEqual(ac03.map { $0["state"] as? String }, ["evidenced", "evidenced"])
        XCTAssertEqual(ac03.map { $0["evidence"] as? [String] }, [["EV-2"], ["EV-3"]])
        let ac09 = try XCTUnwrap(occurrences.first { $0["control"] as? String == "AC-09" })
        XCTAssertEqual(ac09["state"] as? String, "evidenced")
        // The window has passed (today is after 2026-07-14), so what has no evidence is missing.
        let lm05 = occurrences.filter { $0["control"] as? String == "LM-05" }
        XCTAssertEqual(lm05.count, 26, "weekly over 181 days: 25 full weeks and a clipped 26th")
        XCTAssertTrue(lm05.allSatisfy { $0["state"] as? String == "missing" })
        let coverage = try XCTUnwrap((ledger["coverage"] as? [String: Any])?["controls"] as? [[String: Any]])
        XCTAssertEqual(coverage.first { $0["control"] as? String == "AC-03" }?["percent"] as? Int, 100)

        // A grace of zero makes the annual item late.
        assertSucceeds(try assure("evidence", "settings", "--grace", "0"))
        let strict = try XCTUnwrap(try json(try assure("ledger", "--control", "AC-09", "--format", "json").stdout) as? [String: Any])
        XCTAssertEqual((strict["occurrences"] as? [[String: Any]])?.map { $0["state"] as? String }, ["late"])
        // Derive turns what the ledger finds into proposed gaps, one per control that is said
        // to operate (LM-05 not started has its own "not started" proposal instead).
        XCTAssertFalse(try assure("gaps", "derive").stdout.contains("LM-05 has no evidence"))
        for control in ["LM-05", "AC-03"] { assertSucceeds(try assure("control", "set-status", control, "implemented")) }
        let derive = try assure("gaps", "derive")
        XCTAssertTrue(derive.stdout.contains("high     LM-05 has no evidence for 26 occurrences in the window"), derive.stdout)
        XCTAssertTrue(derive.stdout.contains("medium   AC-03 evidence expired on 2026-09-30"), derive.stdout)
        XCTAssertFalse(derive.stdout.contains("AC-09 ran late"), "AC-09 is not implemented")
        // The report carries the window's ledger.
        let report = try assure("report", "--format", "md").stdout
        XCTAssertTrue(report.contains("## Type II window"), report)
        XCTAssertTrue(report.contains("| LM-05 | weekly | 0 | 0 | 26 | 0 |"), report)
        let table = try assure("ledger", "--control", "AC-03")
        XCTAssertTrue(table.stdout.contains("2026-01-01..2026-03-31  2026-03-31  evidenced  EV-2"), table.stdout)
    }

    func testASampleIsReproducibleAndAChangedPopulationIsNoticed() throws {
        var rows = "Employee ID,Name,Start\n"
        for i in 1...40 { rows += "E-\(1000 + i),Person \(i),2026-02-\(10 + i % 18)\n" }
        try write("hires.csv", rows)
        let first = try assure("population", "add", "new-hires", path("hires.csv"), "--control", "AC-04")
        assertSucceeds(first)
        XCTAssertTrue(first.stdout.contains("new-hires@1: 40 rows keyed by Employee ID"), first.stdout)
        // The same rows in another order are the same population.
        let shuffled = "Employee ID,Name,Start\n" + rows.split(separator: "\n").dropFirst().reversed().joined(separator: "\n") + "\n"
        try write("hires-reordered.csv", shuffled)
        XCTAssertTrue(try assure("population", "add", "new-hires", path("hires-reordered.csv")).stdout.contains("unchanged"))

        let sample = try assure("sample", "new-hires", "--size", "10", "--seed", "7", "--format", "json")
        assertSucceeds(sample)
        let again = try assure("sample", "new-hires", "--size", "10", "--seed", "7", "--format", "json")
        XCTAssertEqual(again.stdout, sample.stdout, "the same inputs give the same bytes")
        let object = try XCTUnwrap(try json(sample.stdout) as? [String: Any])
        for key in ["population_sha256", "seed", "rule", "size", "items"] { XCTAssertNotNil(object[key], key) }
        let items = try XCTUnwrap(object["items"] as? [String])
        XCTAssertEqual(items.count, 10)
        XCTAssertEqual(Set(items).count, 10)
        // A larger sample with the same seed keeps the first ten.
        let larger = try XCTUnwrap(
            try json(try assure("sample", "new-hires", "--size", "15", "--seed", "7", "--format", "json").stdout) as? [String: Any])
        XCTAssertEqual(Array((larger["items"] as? [String] ?? []).prefix(10)), items)
        XCTAssertEqual(try assure("sample", "list").stdout.components(separatedBy: "SMP-").count - 1, 2, "two samples recorded, the repeat reused")

        // One changed row is a new version, said so, with another hash.
        try write("hires.csv", rows.replacingOccurrences(of: "Person 5,", with: "Person Five,"))
        let changed = try assure("population", "add", "new-hires", path("hires.csv"))
        XCTAssertTrue(changed.stdout.contains("new-hires@2"), changed.stdout)
        XCTAssertTrue(changed.stdout.contains("1 changed; changed E-1005"), changed.stdout)
        let resampled = try XCTUnwrap(
            try json(try assure("sample", "new-hires", "--size", "10", "--seed", "7", "--format", "json").stdout) as? [String: Any])
        XCTAssertNotEqual(resampled["population_sha256"] as? String, object["population_sha256"] as? String)

        // --auto: an event-driven control is sized by the attribute formula (29 at 95% / 10%).
        let auto = try XCTUnwrap(try json(try assure("sample", "new-hires", "--auto", "--seed", "1", "--format", "json").stdout) as? [String: Any])
        XCTAssertEqual(auto["size"] as? Int, 29)
        XCTAssertTrue((auto["sizing"] as? String ?? "").contains("attribute sampling at 95% confidence"))

        // The event-driven control owes the newest sample's items in the ledger.
        assertSucceeds(try assure("sample", "result", try XCTUnwrap(auto["sample"] as? String), (auto["items"] as? [String] ?? [])[0], "pass"))
        let owed = try XCTUnwrap(try json(try assure("ledger", "--control", "AC-04", "--format", "json").stdout) as? [String: Any])
        let sampled = try XCTUnwrap(owed["occurrences"] as? [[String: Any]])
        XCTAssertEqual(sampled.count, 29)
        XCTAssertEqual(sampled.first?["item"] as? String, (auto["items"] as? [String])?.first)
        XCTAssertEqual(sampled.first?["state"] as? String, "evidenced")
        XCTAssertEqual(sampled.filter { $0["state"] as? String == "missing" }.count, 28, "the window is over and the rest are untested")

        // A mock-audit exception can open a gap in the same change.
        let result = try assure("sample", "result", "SMP-1", items[0], "exception", "--note", "approved after access was granted", "--open-gap")
        assertSucceeds(result)
        XCTAssertTrue(result.stdout.contains("opened GAP-"), result.stdout)
        XCTAssertNotEqual(try assure("sample", "result", "SMP-1", items[1], "exception").exitCode, 0, "an exception needs a note")
    }

    func testTheAuditorsRequestListImportsAnswersAndGoesBack() throws {
        try write(
            "pbc.csv",
            "Request ID,Request,Control,Due Date\nPBC-1,Quarterly access reviews,AC-03,2026-08-15\nPBC-2,\"Onboarding tickets, sampled\",AC-04,2026-08-15\n"
        )
        let map = "Request ID=ref,Request=text,Control=controls,Due Date=due"
        let dry = try assure("requests", "import", path("pbc.csv"), "--map", map, "--dry-run")
        XCTAssertTrue(dry.stdout.contains("dry run: 2 changes, nothing written"), dry.stdout)
        XCTAssertEqual(try assure("requests").stdout, "(none)\n")
        assertSucceeds(try assure("requests", "import", path("pbc.csv"), "--map", map))
        try write("r.csv", "x\n")
        assertSucceeds(try assure("evidence", "add", "AC-03", path("r.csv"), "--effective", "2026-02-01"))
        assertSucceeds(try assure("requests", "answer", "PBC-1", "EV-1"))
        let csv = try assure("requests", "--format", "csv").stdout
        XCTAssertTrue(csv.contains("PBC-1,Quarterly access reviews,AC-03,,2026-08-15,provided,EV-1"), csv)
        XCTAssertTrue(csv.contains("\"Onboarding tickets, sampled\""), csv)

        try write("bad.csv", "Request ID,Request,Control\nPBC-3,New thing,AC-03\nPBC-4,Other,NOPE-9\n")
        let bad = try assure("requests", "import", path("bad.csv"), "--map", "Request ID=ref,Request=text,Control=controls")
        XCTAssertNotEqual(bad.exitCode, 0)
        XCTAssertTrue(bad.stderr.contains("bad.csv:3:3") && bad.stderr.contains("unknown control 'NOPE-9'"), bad.stderr)
        XCTAssertFalse(try assure("requests").stdout.contains("PBC-3"), "one bad row means nothing is written")
    }

    func testThePackageIsTheSameBytesTwiceAndVerifyCatchesAChangedByte() throws {
        try write("minutes.md", String(repeating: "Steering meeting minutes. ", count: 40))
        try write("review.csv", "user,decision\nalice,keep\n")
        assertSucceeds(try assure("evidence", "add", "GV-04", path("minutes.md"), "--effective", "2026-01-21"))
        assertSucceeds(try assure("evidence", "add", "AC-03", path("review.csv"), "--period", "2026-01-01..2026-03-31"))
        assertSucceeds(try assure("evidence", "add", "AC-03", path("review.csv"), "--effective", "2027-03-01"))  // outside the window
        assertSucceeds(try assure("evidence", "accept", "EV-1", "--note", "ok"))
        let built = try assure("package", "-o", path("one.zip"))
        assertSucceeds(built)
        XCTAssertTrue(built.stdout.contains("2 evidence entries, 2 files"), built.stdout)
        assertSucceeds(try assure("package", "-o", path("two.zip")))
        let one = try Data(contentsOf: URL(fileURLWithPath: path("one.zip")))
        XCTAssertEqual(one, try Data(contentsOf: URL(fileURLWithPath: path("two.zip"))), "the same workspace gives the same bytes")
        let verified = try assure("package", "verify", path("one.zip"))
        assertSucceeds(verified)
        XCTAssertTrue(verified.stdout.contains("intact"), verified.stdout)

        // Flip the first data byte of the review file's entry (found from its local header).
        var bytes = [UInt8](one)
        let name = Array("-review.csv".utf8)
        let found = try XCTUnwrap((0...(bytes.count - name.count)).first { Array(bytes[$0..<($0 + name.count)]) == name })
        let header = try XCTUnwrap(
            (0..<found).reversed().first { bytes[$0] == 0x50 && bytes[$0 + 1] == 0x4B && bytes[$0 + 2] == 3 && bytes[$0 + 3] == 4 })
        let nameLength = Int(bytes[header + 26]) | Int(bytes[header + 27]) << 8
        let extraLength = Int(bytes[header + 28]) | Int(bytes[header + 29]) << 8
        bytes[header + 30 + nameLength + extraLength] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path("changed.zip")))
        let caught = try assure("package", "verify", path("changed.zip"))
        XCTAssertEqual(caught.exitCode, 1)
        XCTAssertTrue(caught.stdout.contains("problem:") && caught.stdout.contains("review.csv"), caught.stdout + caught.stderr)

        // Signed: verify checks the signature against the workspace too.
        assertSucceeds(try assure("package", "-o", path("signed.zip"), "--sign"))
        // (Its manifest names a newer chain head: the first signature records the signer's key.)
        let signed = try assure("package", "verify", path("signed.zip"))
        assertSucceeds(signed)
        XCTAssertTrue(signed.stdout.contains("signed by tester"), signed.stdout)
        try FileManager.default.copyItem(atPath: path("signed.zip.sig"), toPath: path("changed.zip.sig"))
        try Data(bytes).write(to: URL(fileURLWithPath: path("changed.zip")))
        XCTAssertEqual(try assure("package", "verify", path("changed.zip")).exitCode, 1)
        // A signature that names another file's hash is refused even when the ZIP is intact.
        try FileManager.default.copyItem(atPath: path("signed.zip.sig"), toPath: path("two.zip.sig"))
        try "x".write(toFile: path("note.txt"), atomically: true, encoding: .utf8)
        assertSucceeds(try assure("evidence", "add", "AC-03", path("note.txt"), "--effective", "2026-02-02"))
        assertSucceeds(try assure("package", "-o", path("three.zip")))
        try FileManager.default.copyItem(atPath: path("signed.zip.sig"), toPath: path("three.zip.sig"))
        let foreign = try assure("package", "verify", path("three.zip"))
        XCTAssertEqual(foreign.exitCode, 1)
        XCTAssertTrue(foreign.stderr.contains("changed"), foreign.stderr)
    }
}
