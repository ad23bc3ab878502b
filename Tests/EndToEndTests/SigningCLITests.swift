import AssureTestSupport
import Foundation
import XCTest

/// `--sign` on exports and the report, and `assure verify-signature`.
final class SigningCLITests: CLITestCase {
    /// A config folder outside the workspace's folder, as a person's own would be.
    var config: URL!

    override func setUpWithError() throws {
        try super.setUpWithError()
        config = try Fixtures.temporaryDirectory()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: config)
        try super.tearDownWithError()
    }

    var env: [String: String] { ["XDG_CONFIG_HOME": config.path] }

    func sign(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> ProcessResult {
        let result = try runProcess(
            Self.binary, arguments,
            environment: [
                "PATH": "/usr/bin:/bin", "HOME": folder.path, "ASSURE_USER": "tester", "TMPDIR": folder.path, "LANG": "C.UTF-8",
                "XDG_CONFIG_HOME": config.path,
            ], currentDirectory: folder.path)
        assertSucceeds(result, file: file, line: line)
        return result
    }

    func testASignedExportVerifiesAndAChangedByteOrATamperedSignatureFails() throws {
        try makeLarkspur()
        let (rowsBefore, _) = try verified()
        let first = try sign(["export", "controls", "--format", "csv", "-o", "controls.csv", "--sign"])
        let keyPath = config.appendingPathComponent("assure/keys/tester.ed25519").path
        XCTAssertEqual(first.stdout, "")
        XCTAssertEqual(
            first.stderr,
            """
            assure: created your signing key \(keyPath)
            assure: signed controls.csv as tester; signature in controls.csv.sig

            """)
        // Recording the key is one change-log row, and the signature's anchor includes it.
        let (rows, head) = try verified()
        XCTAssertEqual(rows, rowsBefore + 1)
        let log = try assure("log", "--entity", "signer", "--format", "csv")
        assertSucceeds(log)
        XCTAssertTrue(log.stdout.contains(",tester,signer,tester,public_key,,"), log.stdout)

        let sig = try String(contentsOfFile: path("controls.csv.sig"), encoding: .utf8)
        let lines = sig.components(separatedBy: "\n")
        XCTAssertEqual(lines.count, 8, sig)
        XCTAssertEqual(lines[0], "assure signature 1")
        XCTAssertEqual(lines[1], "signer: tester")
        XCTAssertTrue(lines[2].hasPrefix("key: ") && lines[2].count == 69, lines[2])
        XCTAssertTrue(lines[3].hasPrefix("sha256: ") && lines[3].count == 72, lines[3])
        XCTAssertEqual(lines[4], "change-log: \(rows) rows, head \(head)")
        XCTAssertTrue(lines[6].hasPrefix("signature: "), lines[6])
        let sha = String(lines[3].dropFirst(8))
        XCTAssertEqual(try runProcess("/usr/bin/sha256sum", [path("controls.csv")]).stdout, "\(sha)  \(path("controls.csv"))\n")

        let ok = try assure("verify-signature", "controls.csv", "-w", "larkspur.assure")
        assertSucceeds(ok)
        let recorded = try runProcess("/usr/bin/sqlite3", [path("larkspur.assure"), "SELECT recorded_at FROM signer"]).stdout
        XCTAssertEqual(
            ok.stdout,
            """
            ok: controls.csv signed by tester at \(lines[5].dropFirst(11))
            \(lines[2]) (recorded \(recorded.dropLast()))
            sha256: \(sha)
            Change log: \(rows) rows, head \(head)

            """)

        // Signing again reuses the key and records nothing more.
        let second = try sign(["report", "--format", "md", "-o", "report.md", "--sign"])
        XCTAssertEqual(second.stderr, "assure: signed report.md as tester; signature in report.md.sig\n")
        XCTAssertEqual(try verified().rows, rows)
        assertSucceeds(try assure("verify-signature", "report.md"))
        XCTAssertEqual(
            try sign(["export", "gaps", "--format", "md", "-o", "gaps.md", "--sign"]).stderr,
            "assure: signed gaps.md as tester; signature in gaps.md.sig\n")
        XCTAssertEqual(
            try sign(["export", "catalog", "soc2", "-o", "soc2.yaml", "--sign"]).stderr,
            "assure: signed soc2.yaml as tester; signature in soc2.yaml.sig\n")
        assertSucceeds(try assure("verify-signature", "gaps.md"))
        assertSucceeds(try assure("verify-signature", "soc2.yaml"))

        // One byte of the file changed.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path("controls.csv")))
        bytes[10] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path("controls.csv")))
        let changed = try assure("verify-signature", "controls.csv")
        XCTAssertEqual(changed.exitCode, 1)
        XCTAssertEqual(changed.stdout, "")
        XCTAssertTrue(
            changed.stderr.hasPrefix("assure: verify-signature failed: controls.csv has changed since it was signed: its SHA-256 is "), changed.stderr
        )
        XCTAssertTrue(changed.stderr.hasSuffix(", the signature is for \(sha)\n"), changed.stderr)

        // The .sig tampered with: the signer renamed, or the hash swapped for the changed file's.
        let reportSig = try String(contentsOfFile: path("report.md.sig"), encoding: .utf8)
        let renamed = reportSig.replacingOccurrences(of: "signer: tester\n", with: "signer: testers\n")
        XCTAssertNotEqual(renamed, reportSig)
        try renamed.write(toFile: path("report.md.sig"), atomically: false, encoding: .utf8)
        let forged = try assure("verify-signature", "report.md")
        XCTAssertEqual(forged.exitCode, 1)
        XCTAssertEqual(
            forged.stderr,
            "assure: verify-signature failed: report.md.sig: the signature does not match its contents: the .sig file was altered or forged\n")
        let newSHA = String(try runProcess("/usr/bin/sha256sum", [path("controls.csv")]).stdout.prefix(64))
        try sig.replacingOccurrences(of: sha, with: newSHA).write(toFile: path("controls.csv.sig"), atomically: false, encoding: .utf8)
        let swapped = try assure("verify-signature", "controls.csv")
        XCTAssertEqual(swapped.exitCode, 1)
        XCTAssertEqual(
            swapped.stderr,
            "assure: verify-signature failed: controls.csv.sig: the signature does not match its contents: the .sig file was altered or forged\n")
        try "nonsense\n".write(toFile: path("gaps.md.sig"), atomically: false, encoding: .utf8)
        let garbled = try assure("verify-signature", "gaps.md")
        XCTAssertEqual(garbled.exitCode, 1)
        XCTAssertEqual(
            garbled.stderr, "assure: verify-signature failed: gaps.md.sig: not an assure signature (the first line is not \"assure signature 1\")\n")
        let missing = try assure("verify-signature", "nothing.csv")
        XCTAssertEqual(missing.exitCode, 1)
        XCTAssertEqual(missing.stderr, "assure: verify-signature failed: nothing.csv: cannot read the file\n")
    }

    func testAKeyTheWorkspaceNeverRecordedIsAnUnknownSigner() throws {
        try makeLarkspur()
        assertSucceeds(try assure("init", "other.assure", "--company", "Other"))
        _ = try sign(["export", "controls", "-w", "other.assure", "-o", "controls.csv", "--sign"])
        assertSucceeds(try assure("verify-signature", "controls.csv", "-w", "other.assure"))
        let signers = try runProcess("/usr/bin/sqlite3", [path("larkspur.assure"), "SELECT count(*) FROM signer"])
        XCTAssertEqual(signers.stdout, "0\n")
        let key = try String(contentsOfFile: path("controls.csv.sig"), encoding: .utf8).components(separatedBy: "\n")[2].dropFirst(5)
        let unknown = try assure("verify-signature", "controls.csv", "-w", "larkspur.assure")
        XCTAssertEqual(unknown.exitCode, 1)
        XCTAssertEqual(
            unknown.stderr,
            "assure: verify-signature failed: controls.csv.sig: unknown signer: the key that signed it (tester, \(key)) is not recorded in this workspace\n"
        )
    }

    func testTheKeyFileIsPrivateAndOutsideTheWorkspacesFolder() throws {
        try makeLarkspur()
        _ = try sign(["export", "gaps", "-o", "gaps.csv", "--sign"])
        let keys = config.appendingPathComponent("assure/keys")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: keys.path), ["tester.ed25519"])
        let key = keys.appendingPathComponent("tester.ed25519").path
        func mode(_ path: String) throws -> Int { (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)!.intValue }
        XCTAssertEqual(try mode(key), 0o600)
        XCTAssertEqual(try mode(keys.path), 0o700)
        let workspaceFolder = folder.resolvingSymlinksInPath().path + "/"
        XCTAssertFalse(URL(fileURLWithPath: key).resolvingSymlinksInPath().path.hasPrefix(workspaceFolder))
        // Nothing but the export, its signature, the workspace's own files and the files the sample's
        // collectors read beside the workspace.
        let beside = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix("larkspur.assure") }.sorted()
        XCTAssertEqual(beside, ["gaps.csv", "gaps.csv.sig", "larkspur-log-bucket-policy.json", "larkspur-password-policy.json"])
        // The private key's hex is nowhere in the workspace file.
        let secret = try String(contentsOfFile: key, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let dump = try runProcess("/usr/bin/sqlite3", [path("larkspur.assure"), ".dump"]).stdout
        XCTAssertFalse(dump.contains(secret))
        XCTAssertEqual(secret.count, 64)
    }

    func testSignWithoutAnOutputFileIsRefused() throws {
        try makeLarkspur()
        for arguments in [["export", "controls", "--sign"], ["report", "--sign"]] {
            let result = try runProcess(
                Self.binary, arguments,
                environment: [
                    "PATH": "/usr/bin:/bin", "HOME": folder.path, "ASSURE_USER": "tester", "XDG_CONFIG_HOME": config.path,
                ], currentDirectory: folder.path)
            XCTAssertNotEqual(result.exitCode, 0)
            XCTAssertEqual(result.stdout, "")
            XCTAssertEqual(
                result.stderr,
                "Error: --sign needs -o FILE: the signature is written beside the file as FILE.sig, and standard output cannot be signed\n")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: config.appendingPathComponent("assure").path))
    }

    /// The rows and head `assure verify` prints.
    func verified(file: StaticString = #filePath, line: UInt = #line) throws -> (rows: Int, head: String) {
        let result = try assure("verify")
        assertSucceeds(result, file: file, line: line)
        let match = try XCTUnwrap(
            result.stdout.firstMatch(of: #/^ok: (\d+) change-log rows, chain intact; head ([0-9a-f]{64})\n$/#),
            result.stdout, file: file, line: line)
        return (Int(match.1)!, String(match.2))
    }
}
