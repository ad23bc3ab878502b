import AssureStore
import AssureTestSupport
import TerminalUI
import Workbench
import XCTest

/// The real runtime on a headless terminal: keys pressed, screen compared once idle.
final class ScreenTests: XCTestCase {
    func testLarkspurAtEverySize() throws {
        for (w, h) in [(160, 50), (120, 40), (80, 24), (40, 12)] {
            let harness = try ScreenHarness(width: w, height: h)
            assertGolden(harness.screen, named: "larkspur-\(w)x\(h)")
        }
    }

    func testTooSmallSaysSoAndRecoversOnResize() throws {
        let harness = try ScreenHarness(width: 39, height: 11)
        assertGolden(harness.screen, named: "too-small-39x11")
        harness.resize(width: 120, height: 40)
        XCTAssertTrue(harness.screen.contains("1 Criteria"))
        harness.resize(width: 80, height: 24)
        assertGolden(harness.screen, named: "larkspur-80x24")
    }

    /// A resize while another pane set is shown left the Readiness panes scrolled so their
    /// selection was the top row (they were scrolled for a height of one), hiding the rows
    /// above it when they came back, though everything fitted.
    func testAResizeInAnotherSetKeepsTheRowsAboveTheSelection() throws {
        let harness = try ScreenHarness(width: 120, height: 40)
        harness.press("2", "j", "j", "3", "j")
        harness.press("6")
        harness.resize(width: 80, height: 24)
        harness.press("1")
        let lines = harness.screen.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[2].contains("AC-01"), "the first control is still the first row:\n\(harness.screen)")
        XCTAssertTrue(harness.screen.contains("3/147"))
        XCTAssertTrue(lines.contains { $0.contains("Aisha Bello") }, "the first owner is still shown:\n\(harness.screen)")
    }

    func testDrillIntoACriterionShowsItsControlsAndDetail() throws {
        let harness = try ScreenHarness()
        harness.press("j", "j", "Enter")
        assertGolden(harness.screen, named: "larkspur-cc1.1-controls")
        XCTAssertTrue(harness.screen.contains("2 Controls · CC1.1 (5)"))
    }

    func testFilterHelpAndPalette() throws {
        let harness = try ScreenHarness()
        harness.press("2", "t", "/").type("backup")
        XCTAssertTrue(harness.screen.contains("/backup"))
        assertGolden(harness.screen, named: "larkspur-filter-backup")
        harness.press("Enter", "?")
        assertGolden(harness.screen, named: "larkspur-help")
        harness.press("Esc", "ctrl-p").type("gaps")
        XCTAssertTrue(harness.screen.contains("Focus Gaps"))
        harness.press("Enter")
        XCTAssertTrue(harness.screen.contains("┌ 4 Gaps"))
    }

    func testSingleColumnLayoutSwitchesPanes() throws {
        let harness = try ScreenHarness(width: 60, height: 20)
        XCTAssertTrue(harness.screen.contains("1 Criteria"))
        harness.press("4")
        assertGolden(harness.screen, named: "larkspur-60x20-gaps")
    }

    func testWideCharactersKeepColumnsAligned() throws {
        let harness = try ScreenHarness(sample: "hanami-labs")
        harness.press("4")
        assertGolden(harness.screen, named: "hanami-gaps-cjk")
        // Every line of the frame is exactly as wide as the terminal.
        for line in harness.screen.split(separator: "\n", omittingEmptySubsequences: false) {
            XCTAssertLessThanOrEqual(TextWidth.of(String(line)), 120, String(line))
        }
        harness.press("3")
        assertGolden(harness.screen, named: "hanami-owners-cjk")
    }

    func testASCIIFallbackWithoutUTF8() throws {
        let harness = try ScreenHarness(width: 80, height: 24, unicode: false)
        XCTAssertFalse(harness.screen.contains("┌"))
        XCTAssertTrue(harness.screen.contains("+ 1 Criteria"))
        assertGolden(harness.screen, named: "larkspur-80x24-ascii")
    }

    func testEveryThemeInMonochromeUsesOnlyAttributes() throws {
        var maps: [String: String] = [:]
        for theme in ["default", "light", "high-contrast", "colorblind"] {
            let harness = try ScreenHarness(width: 80, height: 24, colorDepth: .palette256, theme: theme, monochrome: true)
            harness.press("j")
            for y in 0..<harness.frame.height {
                for x in 0..<harness.frame.width {
                    let style = harness.frame[x, y].style
                    XCTAssertEqual(style.foreground, .default, "\(theme) uses a colour in monochrome")
                    XCTAssertEqual(style.background, .default)
                }
            }
            maps[theme] = harness.attributeMap
            assertGolden(harness.attributeMap, named: "monochrome-\(theme)-80x24")
        }
        XCTAssertEqual(Set(maps.values).count, 1, "monochrome is the same semantic mapping whatever the theme")
    }

    func testThemesDifferInColour() throws {
        var backgrounds: [String: Color] = [:]
        for theme in ["default", "light", "high-contrast", "colorblind"] {
            let harness = try ScreenHarness(width: 80, height: 24, colorDepth: .trueColor, theme: theme)
            backgrounds[theme] = harness.frame[3, 2].style.background
            XCTAssertEqual(harness.runtime.theme.name, theme)
        }
        XCTAssertEqual(Set(backgrounds.values.map { "\($0)" }).count, 4, "\(backgrounds)")
    }

    func testUnknownThemeFallsBackWithAMessage() throws {
        let harness = try ScreenHarness(theme: "nope")
        XCTAssertEqual(harness.runtime.theme.name, "default")
        XCTAssertTrue(harness.screen.contains("unknown theme 'nope'"), harness.screen)
        harness.press(":").type("theme light").press("Enter")
        XCTAssertEqual(harness.runtime.theme.name, "light")
    }
}
