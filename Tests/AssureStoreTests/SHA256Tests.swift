import AssureModel
import XCTest

@testable import AssureStore

/// The change-log digest (`ChainHash`, swift-crypto's SHA-256) gives exactly the lowercase hex
/// the hand-written implementation gave, so every existing workspace's chain still verifies.
final class SHA256Tests: XCTestCase {
    func testNISTVectorsThroughTheChainHash() {
        // FIPS 180-4 examples: "abc", the empty message and the 448-bit message.
        XCTAssertEqual(ChainHash.hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(ChainHash.hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(
            ChainHash.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testLongAndNonASCIITextHashesItsUTF8Bytes() {
        XCTAssertEqual(ChainHash.hex(String(repeating: "a", count: 1000)).prefix(16), "41edece42d63e8d9")
        XCTAssertEqual(ChainHash.hex("é日本🔑"), "d8dc4105fea190b13ca45b2e359b682047726bbe08e9cadc47db5d4f0b13e70e")
        // The unit separator and the NUL the chain joins fields with are hashed as bytes too.
        XCTAssertEqual(ChainHash.hex("a\u{1F}\u{0}b"), "f77d83035a60ff95a3867d943c97b38fe03a8a71110728ae91ad6933fc5cf3f9")
    }

    func testRowHashesAreFixedForever() {
        // A row without ids (as every release before v5 wrote it) and one with an entity id:
        // digests computed independently (Python's hashlib) over the canonical text.
        let old = ChangeRecord(
            id: 1, at: "2026-11-20T09:00:00Z", actor: "alice", entity: "scope", ref: "scope", field: "company",
            before: nil, after: "Acme", batch: 1, meeting: nil)
        XCTAssertEqual(
            ChangeRecorder.hash(old, previous: ChangeRecorder.genesisHash),
            "9e3084170bd04beff0c47a8c836947d9aa11c24f7dedbdb48c5f5fbf1baefe03")
        let withID = ChangeRecord(
            id: 2, at: "2026-11-20T09:00:00Z", actor: "alice", entity: "owner", ref: "Dana Kim", field: "created",
            before: nil, after: "Dana Kim", batch: 2, meeting: nil, entityID: 7)
        XCTAssertEqual(
            ChangeRecorder.hash(withID, previous: ChangeRecorder.genesisHash),
            "ffa730d49b27ba56c4c68a3b267617dad6fff0fc6925fb39550db271763b2b44")
    }
}
