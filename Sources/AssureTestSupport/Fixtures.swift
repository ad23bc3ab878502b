import AssureModel
import AssureStore
import Foundation

/// Shared test fixtures: temporary folders, a fixed clock, and the repository's paths.
public enum Fixtures {
    /// 2026-11-20T09:00:00Z: every golden and date rule in the tests is computed from this.
    public static let fixedDate = Date(timeIntervalSince1970: 1_795_165_200)

    /// The repository root, found from this file's location.
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    public static func sampleText(_ name: String) throws -> String {
        try String(contentsOf: repositoryRoot.appendingPathComponent("samples/\(name).yaml"), encoding: .utf8)
    }

    /// A new empty temporary directory, removed by the caller (or left in the build's tmp).
    public static func temporaryDirectory() throws -> URL {
        let base = URL(fileURLWithPath: NSTemporaryDirectory())
        let url = base.appendingPathComponent("assure-tests-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Someone acting at the fixed test time.
    public static func actor(_ name: String = "tester") -> Actor { Actor(name, now: fixedDate) }

    /// `YYYY-MM-DD` of the fixed test time.
    public static var today: String { Timestamps.day(fixedDate) }

    /// The Larkspur Health sample in memory, loaded at the fixed time.
    public static func larkspur(actor: String = "tester") throws -> Workspace {
        try Workspace.inMemory(fromYAML: try sampleText("larkspur-health"), sourcePath: "samples/larkspur-health.yaml",
                               by: Self.actor(actor))
    }

    /// The Hanami Labs sample (SOC 2 and ISO 27001) in memory, loaded at the fixed time.
    public static func hanami(actor: String = "tester") throws -> Workspace {
        try Workspace.inMemory(fromYAML: try sampleText("hanami-labs"), sourcePath: "samples/hanami-labs.yaml", by: Self.actor(actor))
    }
}
