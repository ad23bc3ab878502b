import TerminalUI
import Workbench
import XCTest

/// The workbench's tokens against the theme files it ships.
final class ThemeTokenTests: XCTestCase {
    static var themesFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("themes")
    }

    func testEveryThemeFileDefinesEveryToken() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.themesFolder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertEqual(files, ["colorblind.yaml", "default.yaml", "high-contrast.yaml", "light.yaml"])
        for file in files {
            let path = Self.themesFolder.appendingPathComponent(file).path
            let theme = try ThemeLoader.load(yaml: try String(contentsOfFile: path, encoding: .utf8), path: path)
            for token in WorkbenchTokens.required {
                XCTAssertNotNil(theme.tokens[token], "\(file) lacks \(token)")
            }
            XCTAssertEqual(BuiltInThemes.text(theme.name), try String(contentsOfFile: path, encoding: .utf8), "\(file) embedded copy differs")
        }
    }

    func testMonochromeKeepsStatesApart() {
        let theme = ThemeCatalog.builtInDefault
        let selected = theme.style("row.selected", depth: .monochrome)
        let unfocused = theme.style("row.selected.unfocused", depth: .monochrome)
        let focusBorder = theme.style("pane.border.focused", depth: .monochrome)
        let plain = theme.style("text", depth: .monochrome)
        let error = theme.style("toast.error", depth: .monochrome)
        let dim = theme.style("text.dim", depth: .monochrome)
        XCTAssertEqual(Set([selected, unfocused, focusBorder, plain, error, dim]).count, 6)
        XCTAssertTrue([selected, unfocused, focusBorder, plain, error, dim].allSatisfy { $0.foreground == .default && $0.background == .default })
    }

}
