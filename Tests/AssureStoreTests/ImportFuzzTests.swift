import AssureModel
import AssureStore
import AssureTestSupport
import XCTest

/// Mutated CSV and YAML files thrown at the importers: each is imported whole or refused with a
/// message naming the file, and a refusal writes nothing. Seeded, so a failure replays.
final class ImportFuzzTests: XCTestCase {
    /// A small deterministic generator (SplitMix64), so every run mutates the same way.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let pieces: [[UInt8]] = [
        [0x22], [0x2C], [0x0A], [0x0D], [0x00], [0x3A], [0x2D, 0x20], [0x7B], [0x5B], [0x23], [0xFF], [0xE2, 0x80],
        Array("GAP-1".utf8), Array("critical".utf8), Array("+99999999999999w".utf8), Array("  ".utf8),
    ]

    func mutate(_ text: String, _ random: inout Seeded) -> String {
        var bytes = Array(text.utf8)
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let at = Int.random(in: 0...bytes.count, using: &random)
            switch Int.random(in: 0..<3, using: &random) {
            case 0: bytes.insert(contentsOf: Self.pieces.randomElement(using: &random)!, at: at)
            case 1: if at < bytes.count { bytes.remove(at: at) }
            default: bytes = Array(bytes.prefix(at))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func check(_ workspace: Workspace, _ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try workspace.read { try $0.log().count }
        do {
            try body()
        } catch let error as WorkspaceError {
            XCTAssertFalse(error.description.isEmpty, file: file, line: line)
            XCTAssertEqual(try workspace.read { try $0.log().count }, before, "a refusal writes nothing: \(error)", file: file, line: line)
        }
        let verification = try workspace.read { try $0.verifyChain() }
        XCTAssertTrue(verification.isIntact, verification.problem ?? "", file: file, line: line)
    }

    func testMutatedGapSpreadsheetsAreImportedWholeOrRefused() throws {
        let csv =
            "title,severity,effort,owner,due,status,note\nNo DR test,critical,M,Dana Kim,+10d,open,\n\"Quoted, title\",high,S,,2027-01-31,remediated,Done\n"
        var random = Seeded(state: 11)
        let workspace = try Fixtures.larkspur()
        for round in 0..<150 {
            let text = mutate(csv, &random)
            try check(workspace) {
                _ = try workspace.importCSV(text, path: "fuzz-\(round).csv", kind: .gaps, createOwners: false, by: Fixtures.actor())
            }
        }
    }

    func testMutatedCatalogsAreImportedWholeOrRefused() throws {
        let yaml = """
            catalog: 2
            framework: {id: fuzz, title: "Fuzz", version: "1", assessable_level: control}
            requirements:
              - ref: A
                level: group
                title: "Group A"
                requirements:
                  - {ref: A.1, level: control, title: "One", attributes: {type: required}}
                  - {ref: A.2, level: control, title: "Two"}
            """
        var random = Seeded(state: 29)
        let workspace = try Fixtures.larkspur()
        for round in 0..<150 {
            var text = mutate(yaml, &random)
            // Each accepted catalog needs its own id, so a later success is not refused as a duplicate.
            text = text.replacingOccurrences(of: "id: fuzz", with: "id: fuzz\(round)")
            try check(workspace) { _ = try workspace.write(Fixtures.actor()) { try $0.importCatalog(yaml: text, path: "fuzz-\(round).yaml") } }
        }
    }
}
