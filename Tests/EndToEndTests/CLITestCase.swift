import AssureTestSupport
import Foundation
import XCTest

/// Runs the built `assure` binary on temporary workspaces.
class CLITestCase: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws { folder = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// The `assure` binary built next to this test bundle.
    static var binary: String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("assure").path,
            Bundle.main.bundleURL.appendingPathComponent("assure").path,
            Fixtures.repositoryRoot.appendingPathComponent(".build/debug/assure").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[2]
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Runs assure in `folder` (or `directory`) with a clean, predictable environment.
    @discardableResult
    func assure(
        _ arguments: String..., in directory: String? = nil, environment extra: [String: String] = [:],
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> ProcessResult {
        var environment = ["PATH": "/usr/bin:/bin", "HOME": folder.path, "ASSURE_USER": "tester", "TMPDIR": folder.path, "LANG": "C.UTF-8"]
        for (name, value) in extra { environment[name] = value }
        return try runProcess(Self.binary, arguments, environment: environment, currentDirectory: directory ?? folder.path)
    }

    func assertSucceeds(_ result: ProcessResult, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.exitCode, 0, "stderr: \(result.stderr)\nstdout: \(result.stdout)", file: file, line: line)
    }

    /// Creates the Larkspur sample at `name` in the temporary folder.
    func makeLarkspur(_ name: String = "larkspur.assure") throws {
        let sample = Fixtures.repositoryRoot.appendingPathComponent("samples/larkspur-health.yaml").path
        assertSucceeds(try assure("init", name, "--from", sample))
    }
}
