import AssureStore
import XCTest

final class CSVTests: XCTestCase {
    func testHostileCellsAreNeutralisedAndRoundTrip() {
        let hostile = [
            "=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR", "plain, with comma",
            "quote \" inside", "multi\nline", "-42", "日本語 🔑",
        ]
        let table = Table(columns: [.init("v", "Value")], rows: hostile.map { [.text($0)] })
        let parsed = CSV.parse(table.csv())
        XCTAssertEqual(parsed.first, ["Value"])
        let cells = parsed.dropFirst().map { $0[0] }
        XCTAssertEqual(
            cells,
            [
                "'=HYPERLINK(\"http://evil\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tTab", "'\rCR",
                "plain, with comma", "quote \" inside", "multi\nline", "-42", "日本語 🔑",
            ])
        XCTAssertTrue(table.csv().hasSuffix("\r\n"))
    }

    func testJSONKeepsKeyOrderAndTypes() {
        let table = Table(
            columns: [.init("ref", "Ref"), .init("owner", "Owner"), .init("criteria", "Criteria"), .init("in_scope", "In")],
            rows: [[.text("AC-01"), .text(nil), .list(["CC6.1", "CC6.2"]), .bool(true)]])
        XCTAssertEqual(
            table.json(),
            """
            [
              {
                "ref": "AC-01",
                "owner": null,
                "criteria": ["CC6.1", "CC6.2"],
                "in_scope": true
              }
            ]

            """)
    }
}
