import AssureModel
import TerminalUI
import XCTest

@testable import Workbench

/// A criterion row's coverage in a large workspace: the bar and "89/169" never run together.
final class CriteriaRowTests: XCTestCase {
    func testALongCoverageCountKeepsABlankAfterTheBar() {
        var snapshot = ReducerTests.snapshot()
        // 169 controls on CC6.1, 89 of them implemented.
        let whole = snapshot.controls.compactMap { snapshot.controlRows.control($0.ref) }
        snapshot.setControls(
            whole
                + (1...165).map { i in
                    Control(ref: "BIG-\(i)", title: "Control \(i)", status: i <= 88 ? .implemented : .notStarted, criteria: ["CC6.1"])
                })
        let state = AppState(snapshot: snapshot, size: (120, 40))
        XCTAssertEqual(state.index.coverage(of: "CC6.1").mapped, 167)
        let screen = view(state, theme: ThemeCatalog.load("default").theme, depth: .palette256).text()
        let row = screen.split(separator: "\n").first { $0.contains("CC6.1") }.map(String.init) ?? ""
        XCTAssertTrue(row.contains("░ 89/167"), row)
        // Short counts keep their place: right-aligned in six cells after the bar.
        let short = screen.split(separator: "\n").first { $0.contains("CC6.2") }.map(String.init) ?? ""
        XCTAssertTrue(short.contains("░░░░░░   0/2"), short)
    }

    /// A COSO principle's row drops the prefix and the blanks around what follows the colon.
    func testAListTitleDropsTheCOSOPrefixAndItsBlanks() {
        XCTAssertEqual(listTitle("COSO Principle 1: The entity demonstrates a commitment"), "The entity demonstrates a commitment")
        XCTAssertEqual(listTitle("COSO Principle 12:\t  Deploys control activities \t"), "Deploys control activities")
        XCTAssertEqual(listTitle("COSO Principle 3:"), "")
        XCTAssertEqual(listTitle("COSO Principle 4:   "), "")
        XCTAssertEqual(listTitle("Logical access: restricted"), "Logical access: restricted", "only COSO principles")
        XCTAssertEqual(listTitle("COSO Principle 5 without a colon"), "COSO Principle 5 without a colon")
    }
}
