import AssureTestSupport
import Foundation
import GRDB
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// Bad input through the command line: a clear error naming the file, row and column or the
/// argument, exit status 1, and the workspace unchanged (same change log, `verify` still ok).
final class BadInputCLITests: CLITestCase {
    /// `assure verify`'s line: the change log's length and head, and that the chain is intact.
    func chain(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try assure("verify")
        assertSucceeds(result, file: file, line: line)
        XCTAssertTrue(result.stdout.hasPrefix("ok: "), result.stdout, file: file, line: line)
        return result.stdout
    }

    /// `assure(...)` with the arguments in an array.
    func assure(_ arguments: [String]) throws -> ProcessResult {
        try runProcess(
            Self.binary, arguments,
            environment: [
                "PATH": "/usr/bin:/bin", "HOME": folder.path, "ASSURE_USER": "tester",
                "TMPDIR": folder.path, "LANG": "C.UTF-8",
            ],
            currentDirectory: folder.path)
    }

    /// Runs assure and checks it was refused with exactly `message` on standard error.
    func assertRefused(
        _ arguments: [String], _ message: String, environment: [String: String] = [:],
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        var environmentWithDefaults = [
            "PATH": "/usr/bin:/bin", "HOME": folder.path, "ASSURE_USER": "tester", "TMPDIR": folder.path, "LANG": "C.UTF-8",
        ]
        for (name, value) in environment { environmentWithDefaults[name] = value }
        let result = try runProcess(Self.binary, arguments, environment: environmentWithDefaults, currentDirectory: folder.path)
        XCTAssertEqual(result.exitCode, 1, "\(arguments.map { String($0.prefix(60)) }): \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stderr, "Error: \(message)\n", file: file, line: line)
    }

    /// The SHA-256 (sha256sum, or FNV-1a where that is missing) and size of the workspace file
    /// and of its `-wal` file (a missing one reads as empty: a reader may create it, empty):
    /// equal fingerprints mean not a byte was written.
    func fingerprint(_ name: String) throws -> [String] {
        try [path(name), path(name) + "-wal"].flatMap { file -> [String] in
            let data = FileManager.default.fileExists(atPath: file) ? try Data(contentsOf: URL(fileURLWithPath: file)) : Data()
            let digest: String
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum") {
                let output = try runProcess("/usr/bin/sha256sum", [FileManager.default.fileExists(atPath: file) ? file : "/dev/null"]).stdout
                digest = String(output.prefix(64))
            } else {
                digest = "fnv1a \(data.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 })"
            }
            return ["\(file): \(data.count) bytes, \(digest.trimmingCharacters(in: .whitespacesAndNewlines))"]
        }
    }

    // MARK: - 1. Control characters

    func testNULInAnImportedCSVIsRefusedAndVerifyStaysOK() throws {
        try makeLarkspur()
        let before = try chain()
        try Data("title,severity\nab\0cd,high\n".utf8).write(to: URL(fileURLWithPath: path("n.csv")))
        try assertRefused(
            ["import", "gaps", "n.csv"],
            "n.csv:2:1: column \"title\": control character U+0000 is not allowed (text may hold tabs and line breaks, no other control characters), at character 3 of the cell"
        )
        try assertRefused(
            ["import", "gaps", "n.csv", "--dry-run"],
            "n.csv:2:1: column \"title\": control character U+0000 is not allowed (text may hold tabs and line breaks, no other control characters), at character 3 of the cell"
        )
        XCTAssertEqual(try chain(), before)
    }

    func testControlCharactersInArgumentsAreRefusedNamingTheArgument() throws {
        try makeLarkspur()
        let before = try chain()
        let oneLine = "is not allowed (one line of text, without tabs or control characters)"
        try assertRefused(["gap", "open", "--title", "a\u{1B}[31mb"], "--title: control character U+001B \(oneLine), at character 2")
        try assertRefused(["gap", "open", "--title=ab\u{1}"], "--title: control character U+0001 \(oneLine), at character 3")
        try assertRefused(["owner", "add", "Bob\tX"], "argument 3 ('Bob?X'): control character U+0009 \(oneLine), at character 4")
        try assertRefused(["snapshot", "Q1\nreview"], "argument 2 ('Q1?review'): control character U+000A \(oneLine), at character 3")
        try assertRefused(["gap", "open", "--title", "x", "--as", "eve\u{7}"], "--as: control character U+0007 \(oneLine), at character 4")
        try assertRefused(
            ["gap", "open", "--title", "x", "--description", "a\u{1F}b"],
            "--description: control character U+001F is not allowed (text may hold tabs and line breaks, no other control characters), at character 2"
        )
        try assertRefused(
            ["gap", "open", "--title", "x"], "$ASSURE_USER: control character U+001B \(oneLine), at character 8",
            environment: ["ASSURE_USER": "mallory\u{1B}]0;x"])
        XCTAssertEqual(try chain(), before)
        // Tabs and line breaks stay welcome where a text may span lines.
        assertSucceeds(try assure("gap", "open", "--title", "Two-line description", "--description", "first line\nsecond\tline"))
        XCTAssertTrue(try assure("verify").stdout.hasPrefix("ok: "))
    }

    func testControlCharactersInYAMLFilesAreRefusedWithLineAndColumn() throws {
        try makeLarkspur()
        let before = try chain()
        let catalog =
            "catalog: 2\nframework:\n  id: tiny\n  title: \"Tiny\"\n  assessable_level: control\nrequirements:\n  - ref: T.1\n    level: control\n    title: \"ab\u{0}cd\"\n"
        try Data(catalog.utf8).write(to: URL(fileURLWithPath: path("tiny.yaml")))
        try assertRefused(
            ["import", "catalog", "tiny.yaml"],
            "tiny.yaml:9:15: control character U+0000 is not allowed (text may hold tabs and line breaks, no other control characters)")
        XCTAssertEqual(try chain(), before)

        let sample = try Fixtures.sampleText("larkspur-health").replacingOccurrences(of: "\"Larkspur Health\"", with: "\"Larkspur\u{0}Health\"")
        try Data(sample.utf8).write(to: URL(fileURLWithPath: path("sample.yaml")))
        try assertRefused(
            ["init", "new.assure", "--from", "sample.yaml"],
            "sample.yaml:9:19: control character U+0000 is not allowed (text may hold tabs and line breaks, no other control characters)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("new.assure")))
    }

    // MARK: - 2. Due dates

    func testDueDatesOutOfRangeAreRefused() throws {
        try makeLarkspur()
        let before = try chain()
        for due in ["+1317624576693539402w", "+9223372036854775807d", "+999999999999d", "2201-01-01", "1969-12-31"] {
            try assertRefused(
                ["gap", "open", "--title", "x", "--due", due], "'\(due)' is out of range: a due date falls between 1970-01-01 and 2200-12-31")
        }
        try "title,due\nlate,+999999999999d\n".write(toFile: path("g.csv"), atomically: true, encoding: .utf8)
        try assertRefused(
            ["import", "gaps", "g.csv"],
            "g.csv:2:2: column \"due\": '+999999999999d' is out of range: a due date falls between 1970-01-01 and 2200-12-31")
        XCTAssertEqual(try chain(), before)
    }

    // MARK: - 3. Weights

    func testNonFiniteAndAbsurdWeightsAreRefusedAndExportsStillWork() throws {
        try makeLarkspur()
        let before = try chain()
        for (value, shown) in [("1e19", "1e+19"), ("inf", "inf"), ("nan", "nan"), ("1001", "1001.0"), ("0", "0.0")] {
            try assertRefused(["weights", "--set", "critical=\(value)"], "weight critical must be a number from 0.001 to 1000 (got \(shown))")
        }
        XCTAssertEqual(try chain(), before)
        for arguments in [["export", "gaps", "--format", "md"], ["export", "gaps", "--format", "csv"], ["report", "--format", "md"]] {
            assertSucceeds(try assure(arguments))
        }
    }

    // MARK: - 4. Workspace paths

    func testADirectoryIsRefusedNotCrashedOn() throws {
        try FileManager.default.createDirectory(atPath: path("folder.assure"), withIntermediateDirectories: false)
        try assertRefused(
            ["status", "-w", "folder.assure"], "folder.assure: not an assure workspace (it is a directory, not a file); nothing was written")
        try assertRefused(
            ["gap", "open", "--title", "x", "-w", "folder.assure"],
            "folder.assure: not an assure workspace (it is a directory, not a file); nothing was written")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path("folder.assure")), [], "nothing was created in it")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("folder.assure-wal")))
    }

    func testANamedPipeIsRefusedWithoutHanging() throws {
        XCTAssertEqual(mkfifo(path("pipe.assure"), 0o600), 0)
        // Were the pipe opened for reading, assure would wait for a writer forever: become that
        // writer after a while, so that a regression fails instead of hanging the suite.
        let fifo = path("pipe.assure")
        let rescue = PipeRescue(fifo)
        try assertRefused(
            ["status", "-w", "pipe.assure"], "pipe.assure: not an assure workspace (it is a named pipe, not a file); nothing was written")
        XCTAssertFalse(rescue.stop(), "the pipe was refused without being opened for reading")
    }

    func testASymbolicLinkToAWorkspaceOpensTheTarget() throws {
        try makeLarkspur("real.assure")
        try FileManager.default.createSymbolicLink(atPath: path("link.assure"), withDestinationPath: "real.assure")
        let status = try assure("status", "-w", "link.assure")
        assertSucceeds(status)
        XCTAssertTrue(status.stdout.hasPrefix("Larkspur Health"), status.stdout)
        assertSucceeds(try assure("gap", "open", "--title", "Written through the link", "-w", "link.assure"))
        XCTAssertTrue(try assure("gaps", "-w", "real.assure").stdout.contains("Written through the link"))
        XCTAssertTrue(try assure("verify", "-w", "real.assure").stdout.hasPrefix("ok: "))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("link.assure-wal")))
    }

    func testANewerUserVersionIsRefused() throws {
        try makeLarkspur()
        // PRAGMA user_version is the big-endian 32-bit number at offset 60 of the header.
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: path("larkspur.assure")))
        try handle.seek(toOffset: 60)
        try handle.write(contentsOf: Data([0, 0, 0, 9]))
        try handle.close()
        let before = try fingerprint("larkspur.assure")
        let message = "larkspur.assure was written by a newer assure (schema user_version 9); upgrade assure to open it"
        try assertRefused(["status"], message)
        try assertRefused(["owner", "add", "Zed"], message)
        XCTAssertEqual(try fingerprint("larkspur.assure"), before)
    }

    // MARK: - 5. Theme names

    func testThemeNamesCannotReachOutsideTheThemesFolder() throws {
        try makeLarkspur()
        let before = try fingerprint("larkspur.assure")
        let message = { (name: String) in
            "--theme '\(name)': a theme is named, not given as a path (no '/', '\\' or '..'): default, light, high-contrast, colorblind, or NAME for $XDG_CONFIG_HOME/assure/themes/NAME.yaml"
        }
        try assertRefused(["--theme", "../../x", "larkspur.assure"], message("../../x"))
        try assertRefused(["open", "larkspur.assure", "--theme", "/etc/passwd"], message("/etc/passwd"))
        try assertRefused(["open", "larkspur.assure", "--theme", "..\\x"], message("..\\x"))
        try assertRefused(["open", "larkspur.assure", "--theme", ""], message(""))
        try assertRefused(["demo", "--theme", "../x"], message("../x"))
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("assure-demo-") }, [],
            "the demo copy is not made for a refused theme")
        XCTAssertEqual(try fingerprint("larkspur.assure"), before)
    }

    // MARK: - 6. Suggestions

    func testAHugeUnknownNameAnswersAtOnce() throws {
        try makeLarkspur()
        let before = try chain()
        // An argument is at most 128 KiB on Linux; the store's test takes 1 MiB.
        let huge = String(repeating: "x", count: 100_000)
        try assertRefused(["assign", "AC-01", huge], "unknown owner '\(String(repeating: "x", count: 80))…' (100000 characters)")
        try assertRefused(["assign", huge, "Dana Kim"], "unknown control '\(String(repeating: "x", count: 80))…' (100000 characters)")
        XCTAssertEqual(try chain(), before)
    }

    // MARK: - 7. Read-only commands

    func testReadCommandsLeaveTheWorkspaceBytesAlone() throws {
        try makeLarkspur()
        assertSucceeds(try assure("snapshot", "baseline"))
        assertSucceeds(try assure("meeting", "start", "Review"))
        assertSucceeds(try assure("meeting", "end"))
        let before = try fingerprint("larkspur.assure")
        let commands: [[String]] = [
            ["status"], ["verify"], ["status", "--format", "json"], ["frameworks"], ["requirements", "--framework", "soc2"], ["criteria"],
            ["controls"], ["owners"], ["gaps"], ["log"], ["export", "controls"], ["export", "gaps", "--format", "md"],
            ["export", "catalog", "soc2"], ["report", "--format", "html"], ["meeting", "list"], ["meeting", "minutes", "1"],
            ["diff", "baseline"], ["snapshot", "--list"], ["weights"], ["target"], ["gaps", "derive"],
        ]
        for arguments in commands {
            assertSucceeds(try assure(arguments))
            XCTAssertEqual(try fingerprint("larkspur.assure"), before, "assure \(arguments.joined(separator: " ")) wrote to the workspace")
        }
    }

    func testAReadCommandDoesNotUpgradeAnOlderWorkspace() throws {
        let fixture = Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/v4/larkspur-v4.sqlite")
        try FileManager.default.copyItem(at: fixture, to: folder.appendingPathComponent("old.assure"))
        let before = try fingerprint("old.assure")
        let message =
            "old.assure: cannot open workspace: written by an older assure; open it once writable (without --readonly, e.g. `assure open old.assure`) to upgrade it"
        for arguments in [["status"], ["verify"], ["controls"], ["export", "gaps"], ["report"], ["meeting", "list"]] {
            try assertRefused(arguments + ["-w", "old.assure"], message)
        }
        XCTAssertEqual(try fingerprint("old.assure"), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".bak-") }, [])
    }

    func testAWorkspaceInAReadOnlyFolderIsReadThroughAnImmutableOpen() throws {
        // Root ignores file modes, so the folder is only read-only to another user: run assure as
        // `nobody` through setpriv when we are root, or as ourselves when we are not.
        let asRoot = getuid() == 0
        if asRoot && !FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
            throw XCTSkip("running as root, which ignores file modes, and /usr/bin/setpriv is not there to run assure as an unprivileged user")
        }
        try makeLarkspur()
        // Everything in the file itself, no -wal or -shm next to it: what a copy onto a read-only
        // share looks like.
        let queue = try DatabaseQueue(path: path("larkspur.assure"))
        try queue.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try queue.close()
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path("larkspur.assure") + suffix) }
        try FileManager.default.createDirectory(atPath: path("share"), withIntermediateDirectories: false)
        try FileManager.default.moveItem(atPath: path("larkspur.assure"), toPath: path("share/larkspur.assure"))
        if asRoot { XCTAssertEqual(chown(path("share/larkspur.assure"), 65534, 65534), 0) }
        XCTAssertEqual(chmod(path("share"), 0o555), 0)
        defer { _ = chmod(path("share"), 0o755) }
        let before = try fingerprint("share/larkspur.assure")

        func run(_ arguments: String...) throws -> ProcessResult {
            let environment = ["PATH": "/usr/bin:/bin", "HOME": folder.path, "ASSURE_USER": "tester", "TMPDIR": folder.path, "LANG": "C.UTF-8"]
            if !asRoot { return try runProcess(Self.binary, arguments, environment: environment, currentDirectory: folder.path) }
            return try runProcess(
                "/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", Self.binary] + arguments,
                environment: environment, currentDirectory: folder.path)
        }
        let status = try run("status", "-w", "share/larkspur.assure")
        if asRoot && (status.exitCode == 126 || status.exitCode == 127) {
            throw XCTSkip("the unprivileged user cannot run \(Self.binary): \(status.stderr)")
        }
        XCTAssertEqual(status.exitCode, 0, status.stderr)
        XCTAssertTrue(status.stdout.hasPrefix("Larkspur Health"), status.stdout)
        let verify = try run("verify", "-w", "share/larkspur.assure")
        XCTAssertEqual(verify.exitCode, 0, verify.stderr)
        XCTAssertTrue(verify.stdout.hasPrefix("ok: "), verify.stdout)
        let write = try run("owner", "add", "Zed", "-w", "share/larkspur.assure")
        XCTAssertEqual(write.exitCode, 1, "a write in a read-only folder fails")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: path("share")), ["larkspur.assure"])
        XCTAssertEqual(try fingerprint("share/larkspur.assure"), before)
    }
}
