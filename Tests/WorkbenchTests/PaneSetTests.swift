import AssureModel
import AssureStore
import AssureTestSupport
import TerminalUI
import XCTest

@testable import Workbench

/// Every pane set, the agenda and every form, as goldens at 120x40, 80x24 and the smallest
/// supported size; and the registry that makes a pane one file and one registration.
final class PaneSetTests: XCTestCase {
    static let sizes = [(120, 40), (80, 24), (40, 12)]

    /// Larkspur with a second framework, so the Frameworks pane has more than SOC 2.
    func harness(width: Int, height: Int) throws -> ScreenHarness { try Self.harness(width: width, height: height) }

    static func harness(width: Int, height: Int) throws -> ScreenHarness {
        let h = try ScreenHarness(width: width, height: height)
        let catalog = try String(
            contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Tests/Fixtures/v4/internal-catalog.yaml"), encoding: .utf8)
        try h.workspace.write(Fixtures.actor()) { try $0.importCatalog(yaml: catalog, path: "internal-catalog.yaml") }
        h.runtime.runUntilIdle()
        return h
    }

    func testTheFrameworksSetAtEverySize() throws {
        for (w, hgt) in Self.sizes {
            let h = try harness(width: w, height: hgt)
            h.press("]")
            XCTAssertEqual(h.runtime.state.paneSet, .frameworks)
            XCTAssertEqual(h.runtime.state.focus, Pane.frameworks)
            assertGolden(h.screen, named: "frameworks-\(w)x\(hgt)")
        }
        let h = try harness(width: 120, height: 40)
        h.press("5")
        XCTAssertTrue(h.screen.contains("soc2"), h.screen)
        XCTAssertTrue(h.screen.contains("internal-2026"), h.screen)
        XCTAssertTrue(h.screen.contains("American Institute of Certified Public Accountants"), "the notice is in the detail strip\n\(h.screen)")
        h.press("j", "j")
        XCTAssertTrue(h.screen.contains("Larkspur internal security standard (2026.1)"), h.screen)
        // The keys users know keep their meaning: 1-4 come back to the readiness set.
        h.press("2")
        XCTAssertEqual(h.runtime.state.paneSet, .readiness)
        XCTAssertEqual(h.runtime.state.focus, .controls)
        h.press("[")
        XCTAssertEqual(h.runtime.state.paneSet, .vendors, "[ goes back round: Readiness, Frameworks, Type II, Programme, Vendors")
        h.press("[")
        XCTAssertEqual(h.runtime.state.paneSet, .programme)
        h.press("[")
        XCTAssertEqual(h.runtime.state.paneSet, .typeII)
        h.press("[")
        XCTAssertEqual(h.runtime.state.paneSet, .frameworks)
        h.press("Tab")
        XCTAssertEqual(h.runtime.state.focus, .frameworks, "Tab cycles within the set on screen")
    }

    func testTheAgendaAtEverySize() throws {
        for (w, hgt) in Self.sizes {
            let h = try ScreenHarness(width: w, height: hgt)
            h.press(":").type("agenda").press("Enter")
            assertGolden(h.screen, named: "agenda-\(w)x\(hgt)")
        }
    }

    func testEveryFormAtEverySize() throws {
        let forms: [(name: String, keys: [String], text: String?)] = [
            ("new-gap", ["2", "n"], nil), ("edit-gap", ["4", "e"], nil), ("edit-control", ["2", "e"], nil),
            ("status", ["2", "s"], nil), ("owner-picker", ["2", "a"], "Om"), ("backup-picker", ["2", "A"], nil),
            ("remediate", ["4", "r"], "Failover tested"), ("accept", ["4", "x"], nil), ("not-applicable", ["2", "s", "4", "Enter"], nil),
            ("target", [":"], "target audit"), ("meeting", [":"], "meeting start"),
        ]
        for (w, hgt) in Self.sizes {
            for form in forms {
                let h = try ScreenHarness(width: w, height: hgt)
                for key in form.keys { h.press(key) }
                if form.name == "target" || form.name == "meeting" { h.type(form.text!).press("Enter") } else if let text = form.text { h.type(text) }
                XCTAssertNotEqual(h.runtime.state.mode, .normal, "\(form.name) is open at \(w)x\(hgt)")
                assertGolden(h.screen, named: "form-\(form.name)-\(w)x\(hgt)")
            }
        }
    }

    func testAPaneIsDeclaredOnceAndEveryViewOfTheKeysFollows() {
        // The Frameworks pane is one file (Panes/FrameworksPane.swift) and one registry line.
        XCTAssertEqual(Pane.allCases, [.criteria, .controls, .owners, .gaps, .frameworks, .evidence, .risks, .heatMap, .policies, .vendors])
        XCTAssertEqual(PaneRegistry.panes(in: .readiness), [.criteria, .controls, .owners, .gaps])
        XCTAssertEqual(Pane.frameworks.title, "Frameworks")
        // Its focus key is in the registry, so help and the palette list it.
        XCTAssertTrue(helpLines().contains { $0.key == "5" && $0.text.contains("Frameworks") })
        XCTAssertTrue(paletteMatches("frameworks").contains { $0.id == .focusFrameworks })
        // Pane-owned commands are found by key only in their pane.
        XCTAssertEqual(CommandRegistry.command(for: .char("o"), in: .controls)?.id, .sortControls)
        XCTAssertNil(CommandRegistry.command(for: .char("o"), in: .gaps))
        XCTAssertEqual(CommandRegistry.command(for: .enter, in: .owners)?.title, "Limit Controls and Gaps to this owner (again to clear)")
    }

    func testADisabledCommandExplainsItself() throws {
        let h = try ScreenHarness(readOnly: true)
        h.press("2", "a")
        XCTAssertEqual(h.runtime.state.mode, .normal)
        XCTAssertTrue(h.screen.contains("read-only: this workbench was opened with --readonly"), h.screen)
    }
}

/// The README's key table is the registry's: a key added, renamed or removed shows up here.
final class ReadmeKeyTableTests: XCTestCase {
    func testTheReadmeKeyTableIsGeneratedFromTheRegistry() throws {
        let readme = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let begin = "<!-- keys:begin (generated from the command registry; RECORD_SNAPSHOTS=1 rewrites it) -->\n"
        let end = "<!-- keys:end -->"
        guard let start = readme.range(of: begin), let stop = readme.range(of: end, range: start.upperBound..<readme.endIndex) else {
            return XCTFail("README.md has no generated key table")
        }
        let table = String(readme[start.upperBound..<stop.lowerBound])
        let expected = CommandRegistry.markdownKeyTable()
        if table != expected && ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            let updated = readme.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: expected)
            try updated.write(to: Fixtures.repositoryRoot.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
            return XCTFail("README key table re-recorded")
        }
        XCTAssertEqual(table, expected)
    }

    func testTheReadmeColumnTableIsGeneratedFromThePanes() throws {
        let url = Fixtures.repositoryRoot.appendingPathComponent("README.md")
        let readme = try String(contentsOf: url, encoding: .utf8)
        let begin = "<!-- columns:begin (generated from the pane registry; RECORD_SNAPSHOTS=1 rewrites it) -->\n"
        guard let start = readme.range(of: begin), let stop = readme.range(of: "<!-- columns:end -->", range: start.upperBound..<readme.endIndex)
        else { return XCTFail("README.md has no generated column table") }
        let table = String(readme[start.upperBound..<stop.lowerBound])
        let expected = PaneRegistry.markdownColumnTable()
        XCTAssertTrue(expected.contains("| 4 Gaps | severity, ref, title, owner (from 60 wide), due (from 40 wide), status |"), expected)
        if table != expected && ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try readme.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: expected).write(to: url, atomically: true, encoding: .utf8)
            return XCTFail("README column table re-recorded")
        }
        XCTAssertEqual(table, expected)
    }
}

/// The requirements pane's framework switcher.
final class FrameworkSwitcherTests: XCTestCase {
    func testTheRequirementsPaneSwitchesFrameworksAndActsOnThem() throws {
        let larkspur = try ScreenHarness()
        larkspur.press("f")
        XCTAssertEqual(larkspur.runtime.state.framework, "hipaa", "Larkspur pursues SOC 2 and HIPAA")
        XCTAssertTrue(larkspur.screen.contains("HIPAA Security Rule"), larkspur.screen)

        let h = try PaneSetTests.harness(width: 120, height: 40)
        h.press("f", "f")
        XCTAssertEqual(h.runtime.state.framework, "internal-2026")
        XCTAssertTrue(h.screen.contains("1 Criteria · internal-2026"), h.screen)
        XCTAssertTrue(h.screen.contains("Larkspur internal security standard"), "the title bar names the framework\n\(h.screen)")
        assertGolden(h.screen, named: "framework-switcher-internal-120x40")
        XCTAssertEqual(h.runtime.state.criteriaRows.map(\.ref), ["IS", "IS-1", "IS-2"])
        XCTAssertEqual(h.runtime.state.index.readiness.overall, Share(addressed: 0, total: 2))
        // A gap opened on one of its requirements is linked to it, not to a SOC 2 namesake.
        h.press("j", "n").type("No access review for the internal standard").press("ctrl-s")
        let gaps: [Gap] = try h.workspace.read { try $0.gaps() }
        let gap = try XCTUnwrap(gaps.last)
        XCTAssertEqual(gap.framework, "internal-2026")
        XCTAssertEqual(gap.criterion, "IS-1")
        // Back to SOC 2 from the Frameworks pane.
        h.press("5")
        XCTAssertEqual(h.runtime.state.focus, Pane.frameworks)
        h.press("g", "Enter")
        XCTAssertEqual(h.runtime.state.framework, "soc2")
        XCTAssertEqual(h.runtime.state.focus, Pane.criteria)
        XCTAssertEqual(h.runtime.state.criteriaRows.first?.ref, "CC")
    }
}
