import AssureServerStore
import AssureTestSupport
import Foundation
import XCTest

/// sslmode as libpq reads it, against a server that offers TLS with its own certificate.
final class ServerTLSTests: XCTestCase {
    func connectionUsesTLS(_ mode: String, rootCertificate: String? = nil) throws -> Bool {
        var address = try TestServer.freshDatabase()
        address.sslMode = try XCTUnwrap(ServerAddress.SSLMode(rawValue: mode))
        address.sslRootCert = rootCertificate
        return try ServerSession.with(address) { session in
            try await session.rows("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first!.decode(Bool.self)
        }
    }

    func testEachModeUsesTLSAsLibpqWould() throws {
        let certificate = try TestServer.certificate()
        XCTAssertFalse(try connectionUsesTLS("disable"))
        XCTAssertTrue(try connectionUsesTLS("prefer"), "the server offers TLS, so prefer takes it")
        XCTAssertTrue(try connectionUsesTLS("require"), "require does not check the certificate")
        XCTAssertTrue(try connectionUsesTLS("verify-ca", rootCertificate: certificate))
        XCTAssertTrue(try connectionUsesTLS("verify-full", rootCertificate: certificate), "the certificate names 127.0.0.1")
    }

    func testACertificateFromAnUnknownAuthorityIsRefused() throws {
        XCTAssertThrowsError(try connectionUsesTLS("verify-ca")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix("cannot connect to postgres://assure_admin@127.0.0.1:"), message)
            XCTAssertTrue(message.contains("TLS failed"), message)
        }
        XCTAssertThrowsError(try connectionUsesTLS("verify-ca", rootCertificate: "/nonexistent/root.crt")) { error in
            XCTAssertTrue("\(error)".contains("sslrootcert /nonexistent/root.crt cannot be read"), "\(error)")
        }
    }
}
