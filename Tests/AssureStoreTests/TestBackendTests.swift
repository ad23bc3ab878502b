import AssureModel
import AssureStore
import AssureTestSupport
import Foundation
import XCTest

/// The store tests run on the backend asked for: with ASSURE_TEST_BACKEND=postgres every
/// fixture workspace is a server workspace's local copy, and its writes go through the server.
final class TestBackendTests: XCTestCase {
    func testTheFixturesAreOnTheBackendAskedFor() throws {
        let workspace = try Fixtures.larkspur()
        if TestBackend.isServer {
            XCTAssertTrue(workspace.path.contains("/assure/servers/"), workspace.path)
        } else {
            XCTAssertEqual(workspace.path, ":memory:")
        }
        try workspace.write(Fixtures.actor()) { try $0.assign(controls: ["AC-02"], owner: "Omar Haddad") }
        XCTAssertEqual(try workspace.read { r in try r.controls().first { $0.ref == "AC-02" }?.owner }, "Omar Haddad")
        XCTAssertTrue(try workspace.read { try $0.verifyWorkspace() }.isIntact)
    }
}
