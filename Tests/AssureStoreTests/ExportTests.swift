import AssureModel
import AssureTestSupport
import XCTest

@testable import AssureStore

final class ExportTests: XCTestCase {
    func testExportGoldensOnTheSample() throws {
        let workspace = try Fixtures.larkspur()
        let today = Fixtures.today
        assertGolden(try workspace.read { try $0.controlMatrix() }.csv(), named: "export-controls-csv")
        assertGolden(try workspace.read { try $0.controlMatrix() }.markdown(), named: "export-controls-md")
        assertGolden(try workspace.read { try $0.controlMatrix() }.json(), named: "export-controls-json")
        assertGolden(try workspace.read { try $0.backlog(today: today) }.csv(), named: "export-gaps-csv")
        assertGolden(try workspace.read { try $0.backlog(today: today) }.json(), named: "export-gaps-json")
        assertGolden(try workspace.read { try $0.backlog(today: today) }.markdown(), named: "export-gaps-md")
        // Deterministic: a second workspace built from the same sample gives the same bytes.
        let again = try Fixtures.larkspur()
        XCTAssertEqual(try again.read { try $0.controlMatrix() }.csv(), try workspace.read { try $0.controlMatrix() }.csv())
        XCTAssertEqual(try again.read { try $0.backlog(today: today) }.json(), try workspace.read { try $0.backlog(today: today) }.json())
    }

    func testHostileTitlesSurviveTheCSVExportAsText() throws {
        let workspace = try Fixtures.larkspur()
        let hostile = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-1+1", "@import", "Comma, \"quoted\"\nand a new line"]
        for title in hostile {
            try workspace.write(Fixtures.actor()) { try $0.openGap(GapDraft(title: title, severity: .critical, effort: .xs)) }
        }
        let records = CSV.parse(try workspace.read { try $0.backlog(today: Fixtures.today) }.csv())
        let titleColumn = try XCTUnwrap(records.first?.firstIndex(of: "Title"))
        let titles = Set(records.dropFirst().map { $0[titleColumn] })
        for title in hostile {
            let expected = ["=", "+", "-", "@", "\t"].contains(String(title.prefix(1))) ? "'" + title : title
            XCTAssertTrue(titles.contains(expected), "\(title.debugDescription) came back as something else")
        }
    }
}
