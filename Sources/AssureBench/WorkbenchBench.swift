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

    static func run(store: WorkbenchStore, label: String, iterations: Int) -> [Measurement] {
        var firstFrames: [Double] = []
        var keystrokes: [Double] = []
        for _ in 0..<max(3, iterations / 5) {
            let terminal = HeadlessTerminal(width: 160, height: 50)
            var runtime: Runtime?
            firstFrames.append(
                Stopwatch.time {
                    runtime = try! Runtime(store: store, terminal: terminal)
                    runtime!.render()
                })
            for key in script {
                terminal.press(key)
                keystrokes.append(Stopwatch.time { runtime!.runUntilIdle() })
            }
        }
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
        return [
            Measurement(name: "workbench \(label): first frame", samples: firstFrames),
            Measurement(name: "workbench \(label): keystroke", samples: keystrokes),
            Measurement(name: "workbench \(label): dashboard frame", samples: dashboard),
            Measurement(name: "workbench \(label): first frame, reading the snapshot", samples: loads),
            Measurement(name: "workbench \(label): first frame, building the state", samples: states),
            Measurement(name: "workbench \(label): first frame, drawing", samples: draws),
        ]
    }
}
