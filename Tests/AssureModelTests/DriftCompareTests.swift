import AssureModel
import XCTest

/// The comparison behind drift: canonical JSON with ignore paths, text line by line.
final class DriftCompareTests: XCTestCase {
    func json(_ old: String, _ new: String, ignore: [String] = []) throws -> [String] {
        DriftCompare.compare(baseline: old, current: new, format: .json, ignore: try ignore.map(IgnorePath.parse)).lines
    }

    func testKeyOrderWhitespaceAndNumberFormDoNotCount() throws {
        XCTAssertEqual(try json(#"{"a": 1, "b": {"x": true, "y": [1, 2]}}"#, #"{"b":{"y":[1,2.0],"x":true},"a":1.00}"#), [])
    }

    func testChangedAddedAndRemovedPathsOneLineEach() throws {
        let lines = try json(
            #"{"MinimumPasswordLength": 14, "RequireSymbols": true, "Old": "x"}"#,
            #"{"MinimumPasswordLength": 8, "RequireSymbols": true, "New key": [1]}"#)
        XCTAssertEqual(
            lines,
            [
                "~ $.MinimumPasswordLength: 14 -> 8",
                "+ $[\"New key\"]: [1]",
                "- $.Old: \"x\"",
            ])
        XCTAssertEqual(DriftDiff(lines: lines).changedCount, 3)
    }

    func testArraysCompareElementByElementAndTypeChangesShow() throws {
        XCTAssertEqual(
            try json(#"{"l": [{"id": 1}, {"id": 2}]}"#, #"{"l": [{"id": 1}, {"id": "2"}, {"id": 3}]}"#),
            [
                "~ $.l[1].id: 2 -> \"2\"",
                "+ $.l[2]: {\"id\":3}",
            ])
        XCTAssertEqual(try json("[1, 2, 3]", "[1, 2]"), ["- $[2]: 3"])
        XCTAssertEqual(try json(#"{"a": null}"#, #"{"a": {}}"#), ["~ $.a: null -> {}"])
    }

    func testIgnorePathsLeaveFieldsOut() throws {
        let old =
            #"{"exportedAt": "2026-01-01T00:00:00Z", "rules": [{"id": "r-1", "min": 14}, {"id": "r-2", "min": 1}], "meta": {"req": "a", "keep": 1}}"#
        let new =
            #"{"rules": [{"id": "r-9", "min": 14}, {"id": "r-8", "min": 2}], "meta": {"req": "b", "keep": 1}, "exportedAt": "2026-02-01T00:00:00Z"}"#
        XCTAssertEqual(try json(old, new, ignore: ["$.exportedAt", "$.rules[*].id", "$.meta.req"]), ["~ $.rules[1].min: 1 -> 2"])
        // One element only: the other's id still counts.
        XCTAssertEqual(
            try json(old, new, ignore: ["$.exportedAt", "$.rules[0].id", "$['meta'].req"]),
            ["~ $.rules[1].id: \"r-2\" -> \"r-8\"", "~ $.rules[1].min: 1 -> 2"])
        // A key ignored whole may appear or disappear without drift; every key with `.*`.
        XCTAssertEqual(try json(#"{"a": 1, "t": 5}"#, #"{"a": 1}"#, ignore: ["$.t"]), [])
        XCTAssertEqual(
            try json(
                #"{"m": {"x": {"ts": 1, "v": 1}, "y": {"ts": 2, "v": 2}}}"#,
                #"{"m": {"x": {"ts": 3, "v": 1}, "y": {"ts": 4, "v": 5}}}"#, ignore: ["$.m.*.ts"]), ["~ $.m.y.v: 2 -> 5"])
    }

    func testBadIgnorePathsAreRefusedByName() {
        for (path, reason) in [
            ("updatedAt", "must start with $"), ("$..id", "recursive descent"), ("$.list[?(@.x)]", "not supported"),
            ("$.a[1", "not closed"), ("$", "whole output"), ("$.a b", "['a b']"), ("$.", "key name is missing"),
        ] {
            XCTAssertThrowsError(try IgnorePath.parse(path), path) { error in
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix("ignore path '\(path)'"), text)
                XCTAssertTrue(text.contains(reason), "\(path): \(text)")
            }
        }
        XCTAssertEqual(try IgnorePath.parse("$.a['b c'][2][*].*").steps, [.key("a"), .key("b c"), .index(2), .anyElement, .anyKey])
    }

    func testInvalidJSONIsADifferenceNamingWhere() throws {
        let lines = try json(#"{"a": 1}"#, "{\"a\": 1,\n  \"b\" 2}")
        XCTAssertEqual(lines, ["! $: the output is not valid JSON at line 2, column 7: expected ':' after a key"])
        XCTAssertThrowsError(try DriftCompare.parseJSON("[1, 2")) { XCTAssertTrue("\($0)".contains("line 1, column 6"), "\($0)") }
        XCTAssertThrowsError(try DriftCompare.parseJSON("01"))
        XCTAssertThrowsError(try DriftCompare.parseJSON(String(repeating: "[", count: 600) + String(repeating: "]", count: 600)))
        XCTAssertEqual(try DriftCompare.parseJSON(#"{"s": "a\u00e9\n\ud83d\ude00"}"#), .object(["s": .string("aé\n😀")]))
    }

    func testStringsWithControlCharactersAreEscapedInTheDiff() throws {
        let lines = try json(#"{"a": "x"}"#, #"{"a": "\u001b[31mred"}"#)
        XCTAssertEqual(lines, [#"~ $.a: "x" -> "\u001b[31mred""#])
        XCTAssertNil(StoredText.firstProblem(in: lines.joined(separator: "\n")))
    }

    func testTextDiffShowsChangedLinesInHunks() {
        let old = "a\nb\nc\nd\ne\n"
        let new = "a\nB\nc\nd\ne\nf\n"
        let diff = DriftCompare.compare(baseline: old, current: new, format: .text)
        XCTAssertEqual(diff.lines, ["@@ -2,1 +2,1 @@", "-b", "+B", "@@ -5,0 +6,1 @@", "+f"])
        XCTAssertEqual(diff.changedCount, 3)
        XCTAssertEqual(DriftCompare.compare(baseline: "x\r\ny\r\n", current: "x\ny", format: .text).lines, [], "line ends do not count")
        XCTAssertEqual(DriftCompare.compare(baseline: "a\nb\nc\n", current: "a\nc\n", format: .text).lines, ["@@ -2,1 +1,0 @@", "-b"])
        XCTAssertEqual(DriftCompare.compare(baseline: "", current: "new\n", format: .text).lines, ["@@ -0,0 +1,1 @@", "+new"])
        let escaped = DriftCompare.compare(baseline: "ok\n", current: "\u{1B}[2Jok\n", format: .text).lines
        XCTAssertEqual(escaped, ["@@ -1,1 +1,1 @@", "-ok", "+\\u{1B}[2Jok"])
    }

    func testLargeTextWithOneChangedLineStaysFastAndExact() {
        let old = (0..<200_000).map { "line \($0)" }.joined(separator: "\n")
        var lines = (0..<200_000).map { "line \($0)" }
        lines[100_000] = "changed"
        let diff = DriftCompare.compare(baseline: old, current: lines.joined(separator: "\n"), format: .text)
        XCTAssertEqual(diff.lines, ["@@ -100001,1 +100001,1 @@", "-line 100000", "+changed"])
    }

    func testLongValuesAreCut() throws {
        let long = String(repeating: "x", count: 500)
        let line = try json(#"{"a": "y"}"#, "{\"a\": \"\(long)\"}")[0]
        XCTAssertTrue(line.hasSuffix("…"), line)
        XCTAssertLessThan(line.count, 240)
    }
}
