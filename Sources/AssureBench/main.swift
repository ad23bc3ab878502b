import AssureApp
import AssureModel
import AssureStore
import Foundation
import TerminalUI
import Workbench

// AssureBench: builds synthetic workspaces and times what users wait for.
// Usage: AssureBench [--controls N] [--owners N] [--gaps N] [--log N] [--iterations N] [--keep PATH]

var settings = BenchSettings.parse(CommandLine.arguments.dropFirst())
let folder = NSTemporaryDirectory() + "assure-bench-\(getpid())"
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
defer { if settings.keep == nil { try? FileManager.default.removeItem(atPath: folder) } }

print("AssureBench on \(ProcessInfo.processInfo.activeProcessorCount) cores: \(settings.controls) controls, \(settings.owners) owners, "
      + "\(settings.gaps) gaps, \(settings.logRows) change-log rows; \(settings.iterations) iterations (median, p99, min in ms)")
let path = settings.keep ?? folder + "/large.assure"
let build = Stopwatch.time {
    _ = try! Workspace.synthetic(path: path, controls: settings.controls, owners: settings.owners, gaps: settings.gaps, logRows: settings.logRows)
}
let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
print(String(format: "built the workspace in %.1f s (%.1f MiB)", build / 1000, Double(size) / 1_048_576))

/// The synthetic workspace's own clock, so every run measures the same overdue dates.
let benchNow = Date(timeIntervalSince1970: 1_795_165_200)
let benchToday = Timestamps.day(benchNow)
let bench = Actor("bench", now: benchNow)

var results: [Measurement] = []
let n = settings.iterations
results.append(measure("open workspace", n) { _ = try! Workspace.open(path: path) })
let workspace = try Workspace.open(path: path)
results.append(measure("status (readiness, listings)", n) {
    _ = try! workspace.read { r in (try r.scope(), try r.readiness(), try r.owners(today: benchToday), try r.criteria()) }
})
results.append(measure("list all controls", n) { _ = try! workspace.read { try $0.controls() } })
results.append(measure("filter controls by owner", n) { _ = try! workspace.read { try $0.controls(ControlFilter(owner: "Owner 7")) } })
results.append(measure("filter controls by criterion CC6.1", n) { _ = try! workspace.read { try $0.controls(ControlFilter(criterion: "CC6.1")) } })
results.append(measure("filter unowned controls", n) { _ = try! workspace.read { try $0.controls(ControlFilter(unowned: true)) } })
results.append(measure("list open gaps", n) { _ = try! workspace.read { try $0.gaps(GapFilter(status: .open)) } })
var flip = false
results.append(measure("write: assign one control", n) {
    flip.toggle()
    try! workspace.write(bench) { try $0.assign(controls: ["SYN-00001"], owner: .some(flip ? "Owner 1" : "Owner 2")) }
})
results.append(measure("write: open a gap", n) { _ = try! workspace.write(bench) { try $0.openGap(GapDraft(title: "bench gap", severity: .high)) } })
results.append(measure("export all controls as CSV", n) { _ = Listings.controls(try! workspace.read { try $0.controls() }).csv() })
results.append(measure("readiness computation", n) { _ = try! workspace.read { try $0.readiness() } })
results.append(measure("rank the backlog (20,000 gaps)", n) { _ = try! workspace.read { try $0.rankedGaps(today: benchToday) } })
results.append(measure("gaps derive (propose only)", max(3, n / 5)) { _ = try! workspace.read { try $0.proposeGaps() } })
try workspace.write(bench) { try $0.takeSnapshot(title: "bench") }
results.append(measure("diff snapshot -> now", max(3, n / 5)) { _ = try! workspace.read { try $0.diff(from: "bench") } })
results.append(measure("export controls as JSON / Markdown", n) { let t = try! workspace.read { try $0.controlMatrix() }; _ = t.json(); _ = t.markdown() })
results.append(measure("export gaps as CSV (ranked)", max(3, n / 5)) { _ = try! workspace.read { try $0.backlog(today: benchToday) }.csv() })
results.append(measure("report as Markdown", max(3, n / 5)) { _ = try! workspace.read { try $0.readinessReport(now: benchNow) }.markdown() })
results.append(measure("report as HTML", max(3, n / 5)) { _ = try! workspace.read { try $0.readinessReport(now: benchNow) }.html() })
results.append(measure("dashboard trend (8 weeks)", max(3, n / 5)) { _ = try! workspace.read { try $0.trend(weeks: 8, now: benchNow) } })
results.append(measure("verify change-log chain", max(3, n / 10)) { precondition(try! workspace.read { try $0.verifyChain() }.isIntact) })

// The workbench on the same workspace: time to first frame and per-keystroke cost.
let adapter = WorkspaceAdapter(workspace, actor: "bench", clock: { benchNow })
results += WorkbenchBench.run(store: adapter, label: "large", iterations: n)
let smallPath = folder + "/small.assure"
_ = try Workspace.synthetic(path: smallPath, controls: 150, owners: 8, gaps: 25, logRows: 500)
results += WorkbenchBench.run(store: WorkspaceAdapter(try Workspace.open(path: smallPath), actor: "bench", clock: { benchNow }), label: "small", iterations: n)

Measurement.printTable(results)
var usage = rusage()
getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
print(String(format: "peak memory (max RSS): %.0f MiB", Double(usage.ru_maxrss) / 1024))
