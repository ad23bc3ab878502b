import AssureModel
import Foundation

/// The optional `collectors:` section of a workspace YAML: collectors with the runs they already
/// made (recorded from files, nothing is executed while loading), the run approved as baseline,
/// and the files their commands read, placed next to the new workspace so they run offline.
///
///     collectors:
///       - {name: aws-password-policy, control: AC-09, run: "cat larkspur-password-policy.json",
///          every: daily, format: json, timeout: 60s, accept_on_success: true,
///          files: [dir/larkspur-password-policy.json], ignore: ["$.GeneratedAt"],
///          runs: [{output: dir/approved.json, at: 2026-06-01T08:00:00Z, baseline: true},
///                 {output: dir/larkspur-password-policy.json, at: 2026-11-16T08:00:00Z}]}
struct SampleCollectors {
    struct Run { var output: SampleType2.FileRef, at: Date, baseline: Bool, line: Int }
    struct Entry { var draft: CollectorDraft, files: [SampleType2.FileRef], ignore: [String], runs: [Run], line: Int }
    var entries: [Entry]

    static func parse(_ node: YAMLNode) throws -> SampleCollectors {
        SampleCollectors(
            entries: try node.sequence().map { item in
                try item.checkKeys(["name", "control", "run", "every", "format", "timeout", "accept_on_success", "files", "ignore", "runs"])
                let every = try item.optional("every").map { n -> CollectorEvery in
                    let text = try n.string()
                    guard let value = CollectorEvery(rawValue: text.lowercased()) else {
                        throw n.error("unknown schedule '\(text)'; use \(CollectorEvery.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return value
                }
                let format =
                    try item.optional("format").map { n -> CollectorFormat in
                        let text = try n.string()
                        guard let value = CollectorFormat(rawValue: text.lowercased()) else { throw n.error("format must be text or json") }
                        return value
                    } ?? .text
                let timeoutNode = try item.optional("timeout")
                let timeout =
                    try timeoutNode.map { n -> Int in
                        let text = try n.string()
                        guard let seconds = Int(text.hasSuffix("s") ? String(text.dropLast()) : text), seconds > 0 else {
                            throw n.error("timeout is seconds, e.g. 60s")
                        }
                        return seconds
                    } ?? 60
                let accept =
                    try item.optional("accept_on_success").map { n -> Bool in
                        switch try n.string().lowercased() {
                        case "true", "yes": return true
                        case "false", "no": return false
                        default: throw n.error("accept_on_success must be true or false")
                        }
                    } ?? false
                let files = try (try item.optional("files")?.sequence() ?? []).map {
                    SampleType2.FileRef(name: try $0.nonEmptyString("file"), line: $0.line)
                }
                let runs = try (try item.optional("runs")?.sequence() ?? []).map { run -> Run in
                    try run.checkKeys(["output", "at", "baseline"])
                    let atNode = try run.required("at")
                    guard let at = ISO8601DateFormatter().date(from: try atNode.string()) else {
                        throw atNode.error("at is a time in UTC, e.g. 2026-06-01T08:00:00Z")
                    }
                    let baseline = try run.optional("baseline").map { try $0.string().lowercased() == "true" } ?? false
                    let output = try run.required("output")
                    return Run(
                        output: SampleType2.FileRef(name: try output.nonEmptyString("output"), line: output.line), at: at, baseline: baseline,
                        line: run.line)
                }
                let draft = CollectorDraft(
                    name: try item.required("name").nonEmptyString("name"), control: try item.required("control").nonEmptyString("control"),
                    command: try item.required("run").nonEmptyString("run"), every: every, timeoutSeconds: timeout,
                    format: format, acceptOnSuccess: accept)
                return Entry(draft: draft, files: files, ignore: try item.optional("ignore")?.stringList() ?? [], runs: runs, line: item.line)
            })
    }
}

extension SampleWorkspace {
    /// Adds the collectors and records their runs as if the commands had printed the files, each
    /// at its own time; a run marked `baseline` is approved as the baseline right after it.
    func applyCollectors(_ c: SampleCollectors, _ w: WorkspaceWriter) throws {
        var files = SampleFiles(yamlPath: path)
        defer { files.cleanUp() }
        let scratch = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("assure-sample-runs-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        for entry in c.entries {
            var collectorID: Int64 = 0
            try at(entry.line) { collectorID = try w.addCollector(entry.draft) }
            for run in entry.runs {
                // Named as a real run names its output, so the evidence item reads the same.
                let source = try files.path(run.output)
                let output = scratch.appendingPathComponent(
                    "\(entry.draft.name)-\(Timestamps.day(run.at)).\(entry.draft.format == .json ? "json" : "txt")")
                try? FileManager.default.removeItem(at: output)
                try FileManager.default.copyItem(atPath: source, toPath: output.path)
                let size = (try FileManager.default.attributesOfItem(atPath: output.path)[.size] as? NSNumber)?.int64Value ?? 0
                let execution = CollectorExecution(
                    started: run.at, ended: run.at.addingTimeInterval(2), exitStatus: 0, outcome: .passed, reason: "",
                    stdoutPath: output.path, stdoutSize: size, stderrPath: "/dev/null", stderrSize: 0,
                    folder: scratch.path)
                try at(run.line) {
                    let recorded = try CollectorRunRecorder(
                        writer: w, collectorID: collectorID, command: entry.draft.command, execution: execution,
                        host: "ops-runner-1", user: "collector"
                    ).record()
                    if run.baseline { _ = try w.setBaseline(collector: entry.draft.name, fromRun: recorded.id, ignore: entry.ignore) }
                }
            }
        }
    }

    /// Puts the files the collectors' commands read next to the workspace at `path` (never over
    /// a file already there), so `assure collect` works offline once the collectors are allowed.
    func placeCollectorFiles(nextTo path: String) throws {
        guard let collectors, path != ":memory:" else { return }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let files = SampleFiles(yamlPath: self.path)
        for entry in collectors.entries {
            for file in entry.files {
                let target = folder.appendingPathComponent(URL(fileURLWithPath: file.name).lastPathComponent)
                guard !FileManager.default.fileExists(atPath: target.path) else { continue }
                try files.text(file).text.write(to: target, atomically: true, encoding: .utf8)
            }
        }
    }
}
