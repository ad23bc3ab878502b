import AssureApp
import AssureStore
import Foundation
import TerminalUI
import Workbench

/// Replays a key script headlessly and times each keystroke from event to finished frame.
enum WorkbenchBench {
    /// Moving, switching panes, filtering and folding, as in a meeting.
    static let script: [Key] = {
        var keys: [Key] = Array(repeating: .char("j"), count: 20) + [.char("G"), .char("g"), .pageDown, .pageDown]
        keys += [.tab] + Array(repeating: .char("j"), count: 30) + [.char("t"), .pageDown, .char("G"), .char("o")]
        keys += [.char("/"), .char("s"), .char("y"), .char("n"), .enter, .char("n"), .char("n"), .escape]
        keys += [.char("3"), .char("j"), .enter, .char("4"), .char("j"), .char("j"), .escape, .char("1"), .char("h"), .char("l")]
        keys += [.char("j"), .char("j"), .enter, .char("?"), .char("j"), .escape, .char(":"), .char("t"), .char("h"), .escape]
        return keys
    }()

    /// The measurements, and a line naming the slowest steps of the script.
    static func run(store: WorkbenchStore, label: String, iterations: Int) -> (measurements: [Measurement], slowest: String) {
        var firstFrames: [Double] = []
        var keystrokes: [Double] = []
        // Each step of the script over the runs: the slowest ones say where the p99 comes from.
        var byStep = [[Double]](repeating: [], count: script.count)
        for _ in 0..<max(3, iterations / 5) {
            let terminal = HeadlessTerminal(width: 160, height: 50)
            var runtime: Runtime?
            firstFrames.append(
                Stopwatch.time {
                    runtime = try! Runtime(store: store, terminal: terminal)
                    runtime!.render()
                })
            for (step, key) in script.enumerated() {
                terminal.press(key)
                let time = Stopwatch.time { runtime!.runUntilIdle() }
                keystrokes.append(time)
                byStep[step].append(time)
            }
        }
        let slowest = byStep.indices.sorted { byStep[$0].max()! > byStep[$1].max()! }.prefix(6).map { step in
            let keys = script[max(0, step - 3)...step].map(KeyNames.label).joined(separator: " ")
            return String(format: "#%d %@ %.1f ms", step, keys, byStep[step].max()!)
        }
        let slowestLine = "workbench \(label): slowest keys (step of the script, with the three keys before it): \(slowest.joined(separator: "; "))"
        // The first frame's parts: reading the snapshot, building the state, drawing.
        var loads: [Double] = []
        var states: [Double] = []
        var draws: [Double] = []
        for _ in 0..<max(3, iterations / 5) {
            var snapshot: WorkspaceSnapshot?
            loads.append(Stopwatch.time { snapshot = try! store.loadSnapshot() })
            var state: AppState?
            states.append(Stopwatch.time { state = AppState(snapshot: snapshot!, size: (160, 50)) })
            let theme = ThemeCatalog.load("default").theme
            draws.append(Stopwatch.time { _ = view(state!, theme: theme, depth: .palette256) })
        }
        // The dashboard's frame: open it (loads the trend), then time redraws of it.
        let terminal = HeadlessTerminal(width: 160, height: 50)
        let runtime = try! Runtime(store: store, terminal: terminal)
        terminal.press(.char("D"))
        runtime.runUntilIdle()
        let dashboard = (0..<max(3, iterations / 5)).map { _ in Stopwatch.time { runtime.render() } }
        let measurements = [
            Measurement(name: "workbench \(label): first frame", samples: firstFrames),
            Measurement(name: "workbench \(label): keystroke", samples: keystrokes),
            Measurement(name: "workbench \(label): dashboard frame", samples: dashboard),
            Measurement(name: "workbench \(label): first frame, reading the snapshot", samples: loads),
            Measurement(name: "workbench \(label): first frame, building the state", samples: states),
            Measurement(name: "workbench \(label): first frame, drawing", samples: draws),
        ]
        return (measurements, slowestLine)
    }

    /// Both workspaces, large and small, in this process.
    static func runBoth(_ large: Workspace, folder: String, iterations n: Int, now: Date) throws -> (measurements: [Measurement], notes: [String]) {
        let largeRun = run(store: WorkspaceAdapter(large, actor: "bench", clock: { now }), label: "large", iterations: n)
        let smallPath = folder + "/small.assure"
        _ = try Workspace.synthetic(path: smallPath, controls: 150, owners: 8, gaps: 25, logRows: 500)
        let smallRun = run(
            store: WorkspaceAdapter(try Workspace.open(path: smallPath), actor: "bench", clock: { now }), label: "small", iterations: n)
        return (largeRun.measurements + smallRun.measurements, [largeRun.slowest, smallRun.slowest])
    }

    /// Runs the workbench part in a child process of this benchmark, so its peak memory is that
    /// of a process doing only what a workbench session does (this process goes on to run every
    /// store operation in turn). Spawned before anything else: Linux counts a child's peak from
    /// the image it was spawned from, so a child spawned by a large process would inherit its size.
    static func runInChild(path: String, iterations: Int, folder: String) -> (measurements: [Measurement], notes: [String], peakMiB: Double)? {
        let file = folder + "/workbench-samples.json"
        let run = ProcessBench.runMeasured(
            CommandLine.arguments[0],
            ["--keep", path, "--reuse", "--iterations", String(iterations), "--only", "workbench", "--samples", file])
        guard run.status == 0, let data = FileManager.default.contents(atPath: file),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let samples = object["measurements"] as? [[String: Any]], let notes = object["notes"] as? [String]
        else { return nil }
        let measurements = samples.compactMap { item -> Measurement? in
            guard let name = item["name"] as? String, let values = item["samples"] as? [Double] else { return nil }
            return Measurement(name: name, samples: values)
        }
        return (measurements, notes, run.peakMiB)
    }

    /// What `runInChild` reads back.
    static func writeSamples(_ measurements: [Measurement], notes: [String], to file: String) throws {
        let object: [String: Any] = ["measurements": measurements.map { ["name": $0.name, "samples": $0.samples] }, "notes": notes]
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: file))
    }
}
