import Foundation
import XCTest

@testable import AssureStore

/// The requirement attributes column is written by hand (keys in byte order, no locale
/// collation): whatever the text, it must read back as the same attributes.
final class AttributesJSONTests: XCTestCase {
    func testAttributesReadBackAsWritten() {
        let cases: [[String: String]] = [
            [:],
            ["key": "security"],
            ["status": "withdrawn", "params": "ac-1_prm_1=organization-defined", "sort-id": "ac-01", "class": "SP800-53"],
            ["quote\"d": "a \"b\" c", "back\\slash": "C:\\path", "url": "https://csrc.nist.gov/a/b", "line": "one\ntwo\r\tthree"],
            ["bell": "\u{07}\u{00}\u{1F}", "é": "café 日本 🙂", "10": "ten", "9": "nine", "B": "upper", "a": "lower"],
        ]
        for attributes in cases {
            let text = RequirementRows.json(attributes)
            XCTAssertEqual(RequirementRows.attributes(text), attributes, text)
            XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(text.utf8)), "valid JSON: \(text)")
        }
    }

    func testKeysAreInByteOrderSoTheTextIsTheSameEveryTime() {
        XCTAssertEqual(RequirementRows.json(["b": "2", "a": "1", "B": "3", "10": "x", "9": "y"]), #"{"10":"x","9":"y","B":"3","a":"1","b":"2"}"#)
        XCTAssertEqual(RequirementRows.json([:]), "{}")
    }
}
