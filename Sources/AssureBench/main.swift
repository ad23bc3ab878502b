import AssureApp
import AssureModel
import AssureStore
import Foundation
import TerminalUI
import Workbench

// AssureBench: builds synthetic workspaces and times what users wait for.
// Usage: AssureBench [--controls N] [--owners N] [--gaps N] [--log N] [--iterations N] [--keep PATH [--reuse]]
//                    [--only store,workbench,cli,oscal,typeII,team,build] [--team-seconds N] [--json FILE] [--markdown FILE]
//                    [--samples FILE]

// A small copy of this benchmark that runs one command and reports its own peak memory.
if CommandLine.arguments.dropFirst().first == "--measure-child" { ProcessBench.measureChild(Array(CommandLine.arguments.dropFirst(2))) }
var settings = BenchSettings.parse(CommandLine.arguments.dropFirst())
let folder = NSTemporaryDirectory() + "assure-bench-\(getpid())"
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
// Ten writers on one workspace, PostgreSQL and SQLite: needs no large workspace, so alone it
// runs before one is built. With the other parts it runs last (below): its ten writers grow
// this process, and every command spawned after would count that size as its own peak.
if settings.only == ["team"] {
    let teamRun = try TeamBench.run(folder: folder, seconds: settings.teamSeconds)
    Measurement.printTable(teamRun.measurements)
    if let json = settings.json {
        try JSONSerialization.data(withJSONObject: teamRun.figures, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: json))
    }
    try? FileManager.default.removeItem(atPath: folder)
    exit(0)
}
// A child run (building, or the workbench part) works on its parent's workspace: its own
// folder holds only scratch files.
let isChild = settings.samples != nil || settings.only == ["build"]
defer { if settings.keep == nil || isChild { try? FileManager.default.removeItem(atPath: folder) } }

print(
    "AssureBench on \(ProcessInfo.processInfo.activeProcessorCount) cores: \(settings.controls) controls, \(settings.owners) owners, "
        + "\(settings.gaps) gaps, \(settings.logRows) change-log rows; \(settings.iterations) iterations (median, p99, min in ms)")
let path = settings.keep ?? folder + "/large.assure"
let reusing = settings.reuse && FileManager.default.fileExists(atPath: path)
// Built in a child process when this one will spawn others: Linux counts a child's peak memory
// from the largest this process has been, and building a million rows makes it large.
let build =
    reusing
    ? 0
    : Stopwatch.time {
        if settings.only == ["build"] || settings.only == [] {
            _ = try! Workspace.synthetic(
                path: path, controls: settings.controls, owners: settings.owners, gaps: settings.gaps, logRows: settings.logRows)
        } else {
            let sizes = [
                "--controls", String(settings.controls), "--owners", String(settings.owners), "--gaps", String(settings.gaps), "--log",
                String(settings.logRows),
            ]
            let status = ProcessBench.run(CommandLine.arguments[0], sizes + ["--keep", path, "--only", "build"])
            precondition(status == 0, "building the synthetic workspace failed")
        }
    }
let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
print(
    reusing
        ? String(format: "reused %@ (%.1f MiB)", path, Double(size) / 1_048_576)
        : String(format: "built the workspace in %.1f s (%.1f MiB)", build / 1000, Double(size) / 1_048_576))

/// The synthetic workspace's own clock, so every run measures the same overdue dates.
let benchNow = Date(timeIntervalSince1970: 1_795_165_200)
let benchToday = Timestamps.day(benchNow)
let bench = Actor("bench", now: benchNow)

var results: [Measurement] = []
let n = settings.iterations
let workspace = try Workspace.open(path: path)
/// The workbench's own process: its peak memory, when it ran in a child (see `runInChild`).
var workbenchPeakMiB: Double?
if settings.runs("workbench") {
    // The workbench on the same workspace: time to first frame and per-keystroke cost. In a
    // child process, first, unless this is that child or the only part asked for.
    if settings.samples == nil && settings.only != ["workbench"], let child = WorkbenchBench.runInChild(path: path, iterations: n, folder: folder) {
        results += child.measurements
        for note in child.notes { print(note) }
        workbenchPeakMiB = child.peakMiB
    } else {
        let run = try WorkbenchBench.runBoth(workspace, folder: folder, iterations: n, now: benchNow)
        results += run.measurements
        for note in run.notes { print(note) }
        if let file = settings.samples { try WorkbenchBench.writeSamples(run.measurements, notes: run.notes, to: file) }
    }
}
// The command line and the sqlite3 shell on the same large file, as whole processes.
let processRuns = max(3, n / 2)
let cli: [(key: String, measurement: Measurement?)] =
    !settings.runs("cli")
    ? []
    : [
        ("status_ms", ProcessBench.time("assure status (process)", processRuns, ProcessBench.assure, ["status", "-w", path])),
        (
            "controls_csv_ms",
            ProcessBench.time(
                "assure controls --format csv (process)", processRuns, ProcessBench.assure,
                ["controls", "--format", "csv", "-w", path])
        ),
        (
            "controls_csv_sqlite3_ms",
            ProcessBench.time(
                "sqlite3: the same controls as CSV", processRuns, ProcessBench.sqlite3,
                ["-csv", "-header", path, ProcessBench.controlsSQL])
        ),
        (
            "gaps_csv_ms",
            ProcessBench.time(
                "assure gaps --format csv (process)", processRuns, ProcessBench.assure,
                ["gaps", "--format", "csv", "-w", path])
        ),
        (
            "gaps_csv_sqlite3_ms",
            ProcessBench.time(
                "sqlite3: the same gaps as CSV", processRuns, ProcessBench.sqlite3,
                ["-csv", "-header", path, ProcessBench.gapsSQL])
        ),
        (
            "report_html_ms",
            ProcessBench.time(
                "assure report --format html (process)", max(3, n / 5), ProcessBench.assure,
                ["report", "--format", "html", "-o", folder + "/report.html", "-w", path])
        ),
        ("verify_ms", ProcessBench.time("assure verify (process)", max(3, n / 10), ProcessBench.assure, ["verify", "-w", path])),
        (
            "log_csv_ms",
            ProcessBench.time(
                "assure log --format csv, 1M rows (process)", max(3, n / 10), ProcessBench.assure, ["log", "--format", "csv", "-w", path])
        ),
        (
            "log_csv_sqlite3_ms",
            ProcessBench.time(
                "sqlite3: the same log as CSV", max(3, n / 10), ProcessBench.sqlite3, ["-csv", "-header", path, ProcessBench.logSQL])
        ),
    ]
results += cli.compactMap(\.measurement)

let oscalFigures = settings.runs("oscal") ? oscalBench(iterations: n, folder: folder, actor: bench) : [:]
let typeIIFigures = settings.runs("typeII") ? typeIIBench(iterations: n, folder: folder, actor: bench, today: benchToday) : [:]

// Every store operation in turn, in this process: last, since this process's size would be
// counted in the peak of any command it spawned after.
if settings.runs("store") {
    results.append(measure("open workspace", n) { _ = try! Workspace.open(path: path) })
    results.append(
        measure("status (readiness, listings)", n) {
            _ = try! workspace.read { r in (try r.scope(), try r.readiness(), try r.owners(today: benchToday), try r.criteria()) }
        })
    results.append(measure("list all controls", n) { _ = try! workspace.read { try $0.controls() } })
    results.append(measure("filter controls by owner", n) { _ = try! workspace.read { try $0.controls(ControlFilter(owner: "Owner 7")) } })
    results.append(
        measure("filter controls by criterion CC6.1", n) { _ = try! workspace.read { try $0.controls(ControlFilter(criterion: "CC6.1")) } })
    results.append(measure("filter unowned controls", n) { _ = try! workspace.read { try $0.controls(ControlFilter(unowned: true)) } })
    results.append(measure("list open gaps", n) { _ = try! workspace.read { try $0.gaps(GapFilter(status: .open)) } })
    var flip = false
    results.append(
        measure("write: assign one control", n) {
            flip.toggle()
            try! workspace.write(bench) { try $0.assign(controls: ["SYN-00001"], owner: .some(flip ? "Owner 1" : "Owner 2")) }
        })
    results.append(
        measure("write: open a gap", n) { _ = try! workspace.write(bench) { try $0.openGap(GapDraft(title: "bench gap", severity: .high)) } })
    results.append(measure("export all controls as CSV", n) { _ = Listings.controls(try! workspace.read { try $0.controls() }).csv() })
    results.append(measure("readiness computation", n) { _ = try! workspace.read { try $0.readiness() } })
    results.append(measure("rank the backlog (20,000 gaps)", n) { _ = try! workspace.read { try $0.rankedGaps(today: benchToday) } })
    results.append(measure("gaps derive (propose only)", max(3, n / 5)) { _ = try! workspace.read { try $0.proposeGaps() } })
    try workspace.write(bench) { try $0.takeSnapshot(title: "bench") }
    results.append(measure("diff snapshot -> now", max(3, n / 5)) { _ = try! workspace.read { try $0.diff(from: "bench") } })
    results.append(
        measure("export controls as JSON / Markdown", n) {
            let t = try! workspace.read { try $0.controlMatrix() }; _ = t.json(); _ = t.markdown()
        })
    results.append(measure("export gaps as CSV (ranked)", max(3, n / 5)) { _ = try! workspace.read { try $0.backlog(today: benchToday) }.csv() })
    results.append(measure("report as Markdown", max(3, n / 5)) { _ = try! workspace.read { try $0.readinessReport(now: benchNow) }.markdown() })
    results.append(measure("report as HTML", max(3, n / 5)) { _ = try! workspace.read { try $0.readinessReport(now: benchNow) }.html() })
    results.append(measure("dashboard trend (8 weeks)", max(3, n / 5)) { _ = try! workspace.read { try $0.trend(weeks: 8, now: benchNow) } })
    results.append(measure("verify change-log chain", max(3, n / 10)) { precondition(try! workspace.read { try $0.verifyChain() }.isIntact) })
    // Closed, so the writes above are checkpointed into the file: a write-ahead log left behind
    // would be read back by every later open of a kept workspace (`--reuse`).
    try workspace.close()

}

var usage = rusage()
getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
var children = rusage()
getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &children)
// Last, once the peaks above are taken: the throwaway cluster's processes are children too.
let teamRun = settings.runs("team") ? try TeamBench.run(folder: folder, seconds: settings.teamSeconds) : nil
results += teamRun?.measurements ?? []
Measurement.printTable(results)
// The headline: the largest process a user runs on this workspace, each command and the
// workbench session measured in a process of its own. This process, which runs every store
// operation one after another, is reported beside it.
let benchPeakMiB = Double(usage.ru_maxrss) / 1024
let commandPeakMiB = Double(children.ru_maxrss) / 1024
let peakMiB = workbenchPeakMiB == nil ? max(benchPeakMiB, commandPeakMiB) : commandPeakMiB
print(
    String(
        format: "peak memory: %.0f MiB, the largest assure process (workbench %@, the largest command %.0f); this benchmark's own process %.0f",
        peakMiB, workbenchPeakMiB.map { String(format: "%.0f", $0) } ?? "in this process", commandPeakMiB, benchPeakMiB))

if let jsonPath = settings.json {
    func median(_ name: String) -> Double? { results.first { $0.name == name }?.median }
    func p99(_ name: String) -> Double? { results.first { $0.name == name }?.percentile(0.99) }
    var figures: [String: Double] = [
        "first_frame_ms_large": median("workbench large: first frame") ?? -1,
        "keystroke_p99_ms_large": p99("workbench large: keystroke") ?? -1,
        "keystroke_p99_ms_small": p99("workbench small: keystroke") ?? -1,
        "peak_rss_mib": peakMiB,
        "peak_rss_mib_bench_process": benchPeakMiB,
        "peak_rss_mib_commands": commandPeakMiB,
        "peak_rss_mib_workbench": workbenchPeakMiB ?? benchPeakMiB,
    ]
    for (key, measurement) in cli { figures[key] = measurement?.median ?? -1 }
    figures.merge(oscalFigures) { _, new in new }
    figures.merge(typeIIFigures) { _, new in new }
    figures.merge(teamRun?.figures ?? [:]) { _, new in new }
    for r in results { figures["op:" + r.name] = r.median }
    let data = try JSONSerialization.data(withJSONObject: figures, options: [.prettyPrinted, .sortedKeys])
    try data.write(to: URL(fileURLWithPath: jsonPath))
    print("figures written to \(jsonPath)")
}

if let markdownPath = settings.markdown {
    // The README's performance table, made from this run's figures.
    func row(_ label: String, _ name: String) -> String? {
        guard let m = results.first(where: { $0.name == name }) else { return nil }
        return String(format: "| %@ | %.1f | %.1f |", label, m.median, m.percentile(0.99))
    }
    func ratio(_ ours: String, _ theirs: String) -> String {
        guard let a = results.first(where: { $0.name == ours })?.median, let b = results.first(where: { $0.name == theirs })?.median, b > 0 else {
            return "n/a"
        }
        return String(format: "%.1fx", a / b)
    }
    var lines = ["| operation | median ms | p99 ms |", "| --- | ---: | ---: |"]
    lines += [
        row("open the workspace", "open workspace"),
        row("`assure status` (whole process)", "assure status (process)"),
        row("`assure controls --format csv` (whole process)", "assure controls --format csv (process)"),
        row("`sqlite3` shell, the same controls as CSV", "sqlite3: the same controls as CSV"),
        row("`assure gaps --format csv` (whole process)", "assure gaps --format csv (process)"),
        row("`sqlite3` shell, the same gaps as CSV", "sqlite3: the same gaps as CSV"),
        row("`assure report --format html` (whole process)", "assure report --format html (process)"),
        row("`assure verify` (whole process)", "assure verify (process)"),
        row("`assure log --format csv`, every row (whole process)", "assure log --format csv, 1M rows (process)"),
        row("`sqlite3` shell, the same log as CSV", "sqlite3: the same log as CSV"),
        row("one write with its change-log row (assign)", "write: assign one control"),
        row("readiness computation", "readiness computation"),
        row("rank the backlog", "rank the backlog (20,000 gaps)"),
        row("workbench, large: first frame", "workbench large: first frame"),
        row("... of which reading the snapshot", "workbench large: first frame, reading the snapshot"),
        row("... building the state (indexes, rows)", "workbench large: first frame, building the state"),
        row("... drawing", "workbench large: first frame, drawing"),
        row("workbench, large: keystroke", "workbench large: keystroke"),
        row("workbench, small: first frame", "workbench small: first frame"),
        row("workbench, small: keystroke", "workbench small: keystroke"),
    ].compactMap { $0 }
    lines.append("")
    lines.append(
        "Against the `sqlite3` shell running the same query on the same file: controls CSV \(ratio("assure controls --format csv (process)", "sqlite3: the same controls as CSV")), gaps CSV \(ratio("assure gaps --format csv (process)", "sqlite3: the same gaps as CSV")), change log CSV \(ratio("assure log --format csv, 1M rows (process)", "sqlite3: the same log as CSV")). Peak memory of the largest assure process (a command, or the workbench replaying the keys) \(String(format: "%.0f", peakMiB)) MiB; this benchmark's own process, which runs every store operation in turn, \(String(format: "%.0f", benchPeakMiB)) MiB."
    )
    try (lines.joined(separator: "\n") + "\n").write(toFile: markdownPath, atomically: true, encoding: .utf8)
    print("table written to \(markdownPath)")
}
