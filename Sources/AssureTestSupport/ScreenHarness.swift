import AssureApp
import AssureStore
import Foundation
import TerminalUI
import Workbench

/// The real workbench runtime on a headless terminal over an in-memory sample workspace,
/// with the fixed test clock. Press keys, then read the screen once the UI is idle.
public final class ScreenHarness {
    public let terminal: HeadlessTerminal
    public let workspace: Workspace
    public let runtime: Runtime

    public init(
        sample: String = "larkspur-health", width: Int = 120, height: Int = 40, colorDepth: ColorDepth = .palette256,
        unicode: Bool = true, theme: String = "default", readOnly: Bool = false, monochrome: Bool = false,
        actor: String = "tester", typeII: Bool = true
    ) throws {
        // Always in memory (the screen tests are not store tests), from the fixtures' shared template.
        workspace = try InMemoryTemplates.workspace(key: "sample \(sample) \(typeII) \(actor)") {
            try Workspace.inMemory(
                fromYAML: try Fixtures.sampleText(sample, typeII: typeII), sourcePath: "samples/\(sample).yaml",
                by: Fixtures.actor(actor))
        }
        terminal = HeadlessTerminal(width: width, height: height, colorDepth: colorDepth, unicode: unicode)
        runtime = try Runtime(
            store: WorkspaceAdapter(workspace, actor: actor, clock: { Fixtures.fixedDate }), terminal: terminal,
            options: RuntimeOptions(themeName: theme, readOnly: readOnly, monochrome: monochrome))
        settle()
    }

    /// The workbench over a workspace the test built (a synthetic one, say).
    public init(workspace: Workspace, width: Int = 120, height: Int = 40, actor: String = "tester") throws {
        self.workspace = workspace
        terminal = HeadlessTerminal(width: width, height: height, colorDepth: .palette256, unicode: true)
        runtime = try Runtime(store: WorkspaceAdapter(workspace, actor: actor, clock: { Fixtures.fixedDate }), terminal: terminal)
        settle()
    }

    /// Presses keys given as names ("j", "Enter", "ctrl-p", "S-Tab", "F1") and waits until idle.
    @discardableResult
    public func press(_ keys: String...) -> ScreenHarness {
        for name in keys { terminal.press(KeyNames.parse(name)!) }
        settle()
        return self
    }

    /// Types text character by character and waits until idle.
    @discardableResult
    public func type(_ text: String) -> ScreenHarness {
        terminal.type(text)
        settle()
        return self
    }

    public func resize(width: Int, height: Int) {
        terminal.resize(width: width, height: height)
        settle()
    }

    /// Runs until idle, then waits for the pages read ahead: what the store was asked for
    /// then never depends on timing.
    private func settle() {
        runtime.runUntilIdle()
        ReadAhead.wait()
    }

    public var screen: String { terminal.screenText }
    public var frame: ScreenBuffer { terminal.lastFrame }

    /// The screen's attributes as letters, one per cell: R reverse, U bold+underline, b bold,
    /// u underline, d dim, . plain. Used for monochrome goldens.
    public var attributeMap: String {
        let f = frame
        return (0..<f.height).map { y in
            String(
                (0..<f.width).map { x -> Character in
                    let a = f[x, y].style.attributes
                    if a.contains(.reverse) { return "R" }
                    if a.contains(.bold) && a.contains(.underline) { return "U" }
                    if a.contains(.bold) { return "b" }
                    if a.contains(.underline) { return "u" }
                    if a.contains(.dim) { return "d" }
                    return "."
                })
        }.joined(separator: "\n")
    }
}
