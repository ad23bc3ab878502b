import AssureModel
import TerminalUI

extension Pane {
    public static let frameworks = Pane(5)
}

/// Pane 5, the first of the frameworks set: every framework in the workspace with its scope,
/// readiness and coverage, and its publisher's notice in the detail strip.
extension PaneDefinition {
    static let frameworksPane = PaneDefinition(
        pane: .frameworks, title: "Frameworks", set: .frameworks,
        rebuild: { state in
            let filter = state.pane(.frameworks).filter
            state.extraRows[.frameworks] = state.snapshot.frameworks.indices.filter {
                AppState.matches(filter, [state.snapshot.frameworks[$0].id, state.snapshot.frameworks[$0].title])
            }
            state.clamp(.frameworks)
        },
        rowCount: { $0.rows(.frameworks).count },
        rowKey: { state, row in state.rows(.frameworks).indices.contains(row) ? state.snapshot.frameworks[state.rows(.frameworks)[row]].id : nil },
        drawRow: { screen, state, row, line, styles, glyphs in
            drawFrameworkRow(&screen, state.snapshot.frameworks[state.rows(.frameworks)[row]], line, styles, glyphs)
        },
        titleSuffix: { state, glyphs in " \(glyphs.dot) \(state.snapshot.frameworks.filter(\.inScope).count) in scope" },
        emptyText: { _ in "no frameworks" },
        detail: { state, glyphs in
            let rows = state.rows(.frameworks)
            let i = state.pane(.frameworks).selection
            guard rows.indices.contains(i) else { return [] }
            return frameworkDetail(state.snapshot.frameworks[rows[i]], glyphs)
        },
        detailEntity: { state in
            let rows = state.rows(.frameworks)
            let i = state.pane(.frameworks).selection
            return rows.indices.contains(i) ? ("framework", state.snapshot.frameworks[rows[i]].id) : nil
        },
        bindings: [
            Command(
                id: CommandID("openFramework"), title: "Show this framework's requirements in pane 1", keys: [.enter],
                hint: "requirements", section: "Frameworks", panes: [.frameworks],
                handler: { state in
                    let rows = state.rows(.frameworks)
                    let i = state.pane(.frameworks).selection
                    guard rows.indices.contains(i) else { return [] }
                    return showFramework(&state, state.snapshot.frameworks[rows[i]].id)
                })
        ])
}

private func drawFrameworkRow(_ screen: inout ScreenBuffer, _ f: FrameworkLoad, _ line: Rect, _ styles: Styles, _ glyphs: Glyphs) {
    let base = f.inScope ? styles("text") : styles("category.out-of-scope")
    var x = line.x + 1
    x += screen.write(TextWidth.pad(f.id, to: 14) + " ", x: x, y: line.y, style: base, maxWidth: line.maxX - x)
    let figures =
        f.inScope
        ? "\(TextWidth.pad("\(f.readiness.percent)%", to: 4, alignRight: true)) \(TextWidth.pad("\(f.readiness.addressed)/\(f.readiness.total)", to: 7, alignRight: true))  coverage \(TextWidth.pad("\(f.coverage.percent)%", to: 4, alignRight: true))"
        : "out of scope"
    let right = line.maxX - TextWidth.of(figures) - 1
    if line.width >= 60 {
        let bar = glyphs.bar(f.readiness.addressed, f.readiness.total, width: 10)
        let token = f.readiness.percent >= 80 ? "readiness.good" : (f.readiness.percent >= 50 ? "readiness.mid" : "readiness.bad")
        if f.inScope {
            x += screen.write(bar.filled, x: x, y: line.y, style: styles(token))
            x += screen.write(bar.empty + " ", x: x, y: line.y, style: styles("bar.empty"))
        }
    }
    screen.write(TextWidth.truncate(f.title, to: max(0, right - x - 1)), x: x, y: line.y, style: base)
    screen.write(figures, x: right, y: line.y, style: f.inScope ? styles("text.dim") : base)
}

private func frameworkDetail(_ f: FrameworkLoad, _ glyphs: Glyphs) -> [String] {
    let dot = " \(glyphs.dot) "
    var facts = [f.inScope ? "in scope" : "out of scope"]
    if let audit = f.audit { facts.append(audit) }
    facts.append("\(count(f.requirementsInScope, "requirement")) in scope at level \(f.assessableLevel)")
    return [
        "\(f.id)\(dot)\(f.title)\(f.version.isEmpty ? "" : " (\(f.version))")\(f.publisher.isEmpty ? "" : dot + f.publisher)",
        facts.joined(separator: dot)
            + "\(dot)readiness \(f.readiness.percent)% (\(f.readiness.addressed)/\(f.readiness.total))\(dot)coverage \(f.coverage.percent)%",
        f.notice,
    ]
}
