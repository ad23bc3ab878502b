import ArgumentParser
import AssureApp
import AssureServerStore
import AssureStore
import Foundation
import NCursesTerminal
import Workbench

/// Options of the terminal workbench.
struct DisplayOptions: ParsableArguments {
    @Option(help: "Theme name (default, light, high-contrast, colorblind, or one in $XDG_CONFIG_HOME/assure/themes).")
    var theme: String = "default"
    @Flag(name: .customLong("no-color"), help: "Monochrome: bold, reverse and underline only (also NO_COLOR or TERM=dumb).")
    var noColor = false
    @Flag(name: .customLong("no-mouse"), help: "Do not capture the mouse.")
    var noMouse = false
    @Flag(help: "Refuse every edit (for screen sharing).")
    var readonly = false
    @Option(name: .customLong("as"), help: ArgumentHelp("Who is making changes, for the change log.", valueName: "name"))
    var actor: String?

    /// Refuses a theme name that is a path: the name picks a file in the themes folder and
    /// must not reach outside it (`../../x`).
    func checkTheme() throws {
        if theme.isEmpty || theme.contains("/") || theme.contains("\\") || theme.contains("..") {
            throw CLIError(
                "--theme '\(theme)': a theme is named, not given as a path (no '/', '\\' or '..'): default, light, high-contrast, colorblind, or NAME for $XDG_CONFIG_HOME/assure/themes/NAME.yaml"
            )
        }
    }
}

struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open a workspace in the terminal workbench.",
        discussion: "Examples:\n  assure larkspur.assure\n  assure open larkspur.assure --readonly --theme high-contrast")

    @Argument(help: "The workspace file or postgres:// URL (default: $ASSURE_WORKSPACE or the single *.assure file here).")
    var path: String?
    @OptionGroup var display: DisplayOptions

    func run() throws {
        try display.checkTheme()
        let options = try WorkspaceOptions.parse(path.map { ["-w", $0] } ?? [])
        try Open.launch(path: try options.path(), display: display)
    }

    static func launch(path: String, display: DisplayOptions) throws {
        // Opening first means a bad file is reported before any screen is drawn.
        try display.checkTheme()
        // A server workspace's copy takes in other people's writes as the server announces them.
        let server = ServerAddress.isServer(path) ? try ServerAddress(path) : nil
        let workspace =
            try server.map { try ServerWorkspace.open($0, readOnly: display.readonly, live: true) }
            ?? Workspace.open(path: path, readOnly: display.readonly)
        let actor = display.actor ?? server?.user
        let terminal = try NCursesTerminal(useMouse: !display.noMouse, forceMonochrome: display.noColor)
        do {
            let options = RuntimeOptions(
                themeName: display.theme, readOnly: display.readonly, monochrome: display.noColor,
                shouldStop: { terminal.isDisconnected })
            let runtime = try Runtime(
                store: WorkspaceAdapter(workspace, actor: ActorName.resolve(actor)), terminal: terminal, options: options)
            runtime.run()
        } catch {
            terminal.shutdown()
            throw error
        }
        terminal.shutdown()
        if let signal = terminal.pendingSignal { Foundation.exit(128 + signal) }
    }
}
