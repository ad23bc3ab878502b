import XCTest

@testable import AssureStore

/// OSCAL UUIDs are RFC 9562 version 5: pinned against Python's `uuid.uuid5` with assure's namespace.
final class StableUUIDTests: XCTestCase {
    func testMatchesAnIndependentVersion5Implementation() {
        XCTAssertEqual(StableUUID.make("component/system"), "a3570863-3d4b-5f28-ab7a-72d760ed0528")
        XCTAssertEqual(StableUUID.make("requirement/hipaa/164.312(d)"), "c93f80fe-3f69-5908-98b1-5df57bee578f")
    }
}

/// The OSCAL exports' JSON writer gives exactly what Foundation's sorted, pretty writer gives.
final class CanonicalJSONTests: XCTestCase {
    func testSameBytesAsJSONSerialization() throws {
        let tree: [String: Any] = [
            "b": ["x", "quote \" and \\ backslash", "line\nbreak\ttab", "ctrl \u{01}\u{1F}", "slash / é 日本 🙂"],
            "a": ["nested": ["k": "v", "A": "upper first"], "empty-object": [String: Any](), "empty-array": [Any]()],
            "n": 42, "t": true, "f": false,
            "order": ["z": "1", "aa": "2", "a-b": "3", "a.b": "5", "control-id": "6", "control-implementations": "7"],
        ]
        let foundation = try JSONSerialization.data(withJSONObject: tree, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        XCTAssertEqual(CanonicalJSON.encode(tree), String(decoding: foundation, as: UTF8.self))
        // Where Foundation's collation and code points disagree, keys go by code point (as RFC 8785 does).
        XCTAssertEqual(CanonicalJSON.encode(["a_b": "1", "a-b": "2"]), "{\n  \"a-b\" : \"2\",\n  \"a_b\" : \"1\"\n}")
    }
}
