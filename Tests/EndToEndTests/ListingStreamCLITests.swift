import AssureModel
import AssureStore
import AssureTestSupport
import Foundation
import XCTest

/// `assure log` and `assure gaps` write each row as they read it (a million log rows once took a
/// gigabyte and 13 s). Their CSV and JSON must stay the exact bytes of the whole listing, and
/// their text tables must stay aligned past the first rows that decide the column widths.
final class ListingStreamCLITests: CLITestCase {
    /// A log longer than the rows that decide a text table's widths (`ListingStream.widthWindow`).
    func makeLongLog() throws -> (path: String, records: [ChangeRecord]) {
        let path = path("long.assure")
        // Past 10,000 rows: the ids of the first 2,000 have four digits, the newest five.
        let workspace = try Workspace.synthetic(path: path, controls: 40, owners: 3, gaps: 12, logRows: 10_200)
        let records = try workspace.read { try $0.log() }
        try workspace.close()
        XCTAssertGreaterThan(records.count, 10_000)
        return (path, records)
    }

    func testCSVAndJSONAreTheBytesOfTheWholeListing() throws {
        let (path, records) = try makeLongLog()
        let csv = try assure("log", "--format", "csv", "-w", path)
        assertSucceeds(csv)
        XCTAssertEqual(csv.stdout, Listings.log(records).csv())
        let json = try assure("log", "--format", "json", "-w", path)
        XCTAssertEqual(json.stdout, Listings.log(records).json())
        let limited = try assure("log", "--format", "json", "--limit", "3", "-w", path)
        XCTAssertEqual(limited.stdout, Listings.log(Array(records.suffix(3))).json())
    }

    func testNothingFoundIsAnEmptyListingInEveryFormat() throws {
        let (path, _) = try makeLongLog()
        XCTAssertEqual(try assure("log", "--format", "json", "--actor", "nobody", "-w", path).stdout, "[]\n")
        XCTAssertEqual(
            try assure("log", "--format", "csv", "--actor", "nobody", "-w", path).stdout,
            "#,When,Who,Entity,Ref,Field,Before,After,Batch,Meeting,Hash\r\n")
        XCTAssertTrue(try assure("log", "--actor", "nobody", "-w", path).stdout.hasPrefix("(none)\n"))
    }

    /// Every line of a long table has its columns where the header has them: the row number
    /// column is as wide as the newest id from the first line on.
    func testALongTextTableStaysAligned() throws {
        let (path, records) = try makeLongLog()
        let result = try assure("log", "-w", path)
        assertSucceeds(result)
        var lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.removeLast(), "")
        XCTAssertEqual(lines.removeLast(), "chain head: \(records.last!.hash)")
        XCTAssertEqual(lines.count, records.count + 1, "a header and one line per row")
        let header = lines.removeFirst()
        let when = try XCTUnwrap(header.range(of: "When")).lowerBound.utf16Offset(in: header)
        XCTAssertEqual(when, String(records.count).count + 2, "the number column is as wide as the newest id")
        for (line, record) in zip(lines, records) {
            XCTAssertEqual(String(line.prefix(when)), String(record.id).leftPadded(to: when - 2) + "  ")
            XCTAssertTrue(line.dropFirst(when).hasPrefix(record.at), line)
        }
    }

    func testGapsAsJSONAreTheBytesOfTheWholeListingAndALongTableStaysAligned() throws {
        let path = path("gaps.assure")
        let workspace = try Workspace.synthetic(path: path, controls: 30, owners: 4, gaps: 2_300, logRows: 10)
        let gaps = try workspace.read { try $0.gaps() }
        try workspace.close()
        let today = Timestamps.day(Date())
        let json = try assure("gaps", "--format", "json", "-w", path)
        assertSucceeds(json)
        XCTAssertEqual(json.stdout, Listings.gaps(gaps, today: today).json())
        let open = try assure("gaps", "--format", "json", "--status", "open", "-w", path)
        XCTAssertEqual(open.stdout, Listings.gaps(gaps.filter { $0.status == .open }, today: today).json())

        let table = try assure("gaps", "-w", path)
        var lines = table.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, gaps.count + 1)
        let header = lines.removeFirst()
        let severity = try XCTUnwrap(header.range(of: "Severity")).lowerBound.utf16Offset(in: header)
        for (line, gap) in zip(lines, gaps) {
            XCTAssertTrue(line.hasPrefix(gap.ref), line)
            XCTAssertTrue(line.dropFirst(severity).hasPrefix(gap.severity.rawValue), line)
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
