import AssureModel
import Foundation
import TerminalUI

public struct RuntimeOptions {
    public var themeName: String
    public var readOnly: Bool
    public var monochrome: Bool
    /// Checked between events: the terminal hung up or a signal asked us to stop.
    public var shouldStop: () -> Bool
    /// How long to wait for input before an idle tick (and a check for other people's edits).
    public var idleMilliseconds: Int

    public init(
        themeName: String = "default", readOnly: Bool = false, monochrome: Bool = false,
        shouldStop: @escaping () -> Bool = { false }, idleMilliseconds: Int = 250
    ) {
        self.themeName = themeName; self.readOnly = readOnly; self.monochrome = monochrome
        self.shouldStop = shouldStop; self.idleMilliseconds = idleMilliseconds
    }
}

/// The loop: event -> Action -> reduce -> effects -> view -> terminal. One thread owns the state.
public final class Runtime {
    public private(set) var state: AppState
    public private(set) var theme: Theme
    let store: WorkbenchStore
    let terminal: Terminal
    let options: RuntimeOptions
    private var lastToken: Int64
    private var pendingDetail: (entity: String, ref: String)?

    public init(store: WorkbenchStore, terminal: Terminal, options: RuntimeOptions = RuntimeOptions()) throws {
        self.store = store
        self.terminal = terminal
        self.options = options
        // The theme's YAML is parsed while the snapshot is read: a few milliseconds of the
        // first frame, on the core the read leaves idle while it waits for its other half.
        let themeName = options.themeName
        let themeLoad = Background { ThemeCatalog.load(themeName) }
        var snapshot = try store.loadSnapshot()
        snapshot.readOnly = snapshot.readOnly || options.readOnly
        // The token the snapshot was read at, when the store gives one: asking again after
        // the read would take a second transaction, and miss an edit landing in between.
        lastToken = snapshot.changeToken != 0 ? snapshot.changeToken : try store.changeToken()
        let size = terminal.size
        if snapshot.changeToken == 0 { snapshot.changeToken = lastToken }
        state = AppState(snapshot: snapshot, size: (size.width, size.height))
        state.unicode = terminal.supportsUnicode
        let loaded = themeLoad.value
        theme = loaded.theme
        state.themeName = loaded.theme.name
        if let warning = loaded.warning { state.toast = Toast(text: warning, isError: true, ticksLeft: 40) }
        perform(detailEffect(state))
    }

    /// Runs until the user quits or the terminal goes away.
    public func run() {
        render()
        while !state.shouldQuit {
            if options.shouldStop() { break }
            if let event = terminal.nextEvent(timeoutMilliseconds: options.idleMilliseconds) {
                handle(event)
            } else {
                idle()
            }
            render()
        }
    }

    /// Handles every queued event, then one idle pass, then draws: what tests call after
    /// pressing keys on a HeadlessTerminal ("wait until idle", never a sleep).
    public func runUntilIdle() {
        while !state.shouldQuit, let event = terminal.nextEvent(timeoutMilliseconds: 0) { handle(event) }
        idle()
        render()
    }

    public func send(_ action: Action) {
        perform(reduce(&state, action))
    }

    private func handle(_ event: InputEvent) {
        switch event {
        case .key(let key): send(.key(key))
        case .mouse(let button, let x, let y): send(.mouse(button, x: x, y: y))
        case .resize(let width, let height): send(.resize(width: width, height: height))
        case .paste(let text): send(.paste(text))
        }
    }

    /// Idle work: fade toasts, pick up edits made by other processes, load the detail.
    private func idle() {
        send(.tick)
        if let token = try? store.changeToken(), token != lastToken { reload() }
        if let detail = pendingDetail {
            pendingDetail = nil
            send(.detailLoaded(try? store.lastChange(entity: detail.entity, ref: detail.ref)))
        }
    }

    private func reload() {
        do {
            lastToken = try store.changeToken()
            var snapshot = try store.loadSnapshot()
            snapshot.readOnly = state.readOnly
            if snapshot.changeToken == 0 { snapshot.changeToken = lastToken }
            send(.snapshotLoaded(snapshot))
        } catch {
            send(.failed("could not reload the workspace: \(error)"))
        }
    }

    private func perform(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .reload: reload()
            case .loadDetail(let entity, let ref):
                // Deferred to the idle pass, so holding j down does not query on every row.
                state.detailChange = nil
                pendingDetail = (entity, ref)
            case .switchTheme(let name):
                let loaded = ThemeCatalog.load(name)
                if let warning = loaded.warning {
                    send(.failed(warning))
                } else {
                    theme = loaded.theme
                    state.themeName = loaded.theme.name
                    state.toast = Toast(text: "theme: \(loaded.theme.name)", isError: false, ticksLeft: 12)
                }
            case .apply(let edit, let kind, let baseline, let reopen):
                do {
                    let result = try store.apply(edit, baseline: baseline)
                    send(.applied(edit, kind, result))
                } catch {
                    // Show the refusal and the current values it was about; bring back the form.
                    reload()
                    send(.refused("\(error)", reopen: reopen))
                }
            case .loadTrend:
                send(.trendLoaded((try? store.trend(weeks: 8)) ?? []))
            case .loadProposals:
                do { send(.proposalsLoaded(try store.proposedGaps())) } catch { send(.failed("\(error)")) }
            case .suspend:
                terminal.suspend()
                let size = terminal.size
                state.size = ScreenSize(width: size.width, height: size.height)
                terminal.invalidate()
            case .redraw:
                terminal.invalidate()
            case .quit:
                state.shouldQuit = true
            }
        }
    }

    /// Draws the current state, then reads ahead what the next keys are likely to show.
    public func render() {
        let size = terminal.size
        if size.width != state.size.width || size.height != state.size.height { send(.resize(width: size.width, height: size.height)) }
        let depth: ColorDepth = options.monochrome ? .monochrome : terminal.colorDepth
        terminal.present(view(state, theme: theme, depth: depth))
        for pane in state.visiblePanes { pane.definition.readAhead?(state) }
    }
}
