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

    /// A sample's YAML; `typeII: false` leaves out its Type II section (the audit window,
    /// evidence, samples, requests), for tests of a workspace before any of that exists.
    public static func sampleText(_ name: String, typeII: Bool = true) throws -> String {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("samples/\(name).yaml"), encoding: .utf8)
        guard !typeII, let section = text.range(of: "\n# The SOC 2 Type II observation window") ?? text.range(of: "\ntype2:") else { return text }
        return String(text[..<section.lowerBound]) + "\n"
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

    /// The Larkspur Health sample in memory (or on the server: `TestBackend`), loaded at the fixed time.
    public static func larkspur(actor: String = "tester", typeII: Bool = true) throws -> Workspace {
        try workspace(
            fromYAML: try sampleText("larkspur-health", typeII: typeII), sourcePath: "samples/larkspur-health.yaml",
            by: Self.actor(actor))
    }

    /// The Hanami Labs sample (SOC 2 and ISO 27001) in memory, loaded at the fixed time.
    public static func hanami(actor: String = "tester") throws -> Workspace {
        try workspace(fromYAML: try sampleText("hanami-labs"), sourcePath: "samples/hanami-labs.yaml", by: Self.actor(actor))
    }
}
