import AssureModel
import AssureTestSupport
import Foundation
import XCTest

@testable import AssureStore

/// Signing keys in the person's config folder, signers recorded in the workspace, and detached
/// signatures of exports.
final class SigningTests: XCTestCase {
    let alice = Fixtures.actor("alice")
    var folder: URL!

    override func setUpWithError() throws { folder = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    var environment: [String: String] { ["XDG_CONFIG_HOME": folder.appendingPathComponent("config").path, "HOME": "/nonexistent"] }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)!.intValue
    }

    // MARK: - Keys

    func testKeyFileNamesAreSafe() {
        XCTAssertEqual(SigningKeys.fileName(for: "alice"), "alice.ed25519")
        XCTAssertEqual(SigningKeys.fileName(for: "Dana Kim"), "Dana_Kim.ed25519")
        XCTAssertEqual(SigningKeys.fileName(for: "../../etc/passwd"), "_._.._etc_passwd.ed25519")
        XCTAssertEqual(SigningKeys.fileName(for: ".hidden"), "_hidden.ed25519")
        XCTAssertEqual(SigningKeys.fileName(for: "Zoë"), "Zo_.ed25519")
        XCTAssertEqual(SigningKeys.fileName(for: ""), "_.ed25519")
    }

    func testTheKeyFolderFollowsXDGElseHome() {
        XCTAssertEqual(SigningKeys.folder(environment: ["XDG_CONFIG_HOME": "/x/cfg", "HOME": "/home/a"]), "/x/cfg/assure/keys")
        XCTAssertEqual(SigningKeys.folder(environment: ["XDG_CONFIG_HOME": "", "HOME": "/home/a"]), "/home/a/.config/assure/keys")
        XCTAssertEqual(SigningKeys.path(for: "Dana Kim", environment: ["HOME": "/home/a"]), "/home/a/.config/assure/keys/Dana_Kim.ed25519")
    }

    func testAKeyIsCreatedOnFirstUseWithMode0600InA0700FolderAndReusedAfter() throws {
        let first = try SigningKeys.loadOrCreate(name: "alice", environment: environment)
        let keys = folder.appendingPathComponent("config/assure/keys")
        XCTAssertTrue(first.created)
        XCTAssertEqual(first.keyPath, keys.appendingPathComponent("alice.ed25519").path)
        XCTAssertEqual(try mode(first.keyPath), 0o600)
        XCTAssertEqual(try mode(keys.path), 0o700)
        let stored = try String(contentsOfFile: first.keyPath, encoding: .utf8)
        XCTAssertEqual(stored.count, 65)
        XCTAssertTrue(stored.hasSuffix("\n"))
        XCTAssertEqual(first.publicKeyHex.count, 64)

        let second = try SigningKeys.loadOrCreate(name: "alice", environment: environment)
        XCTAssertFalse(second.created)
        XCTAssertEqual(second.publicKeyHex, first.publicKeyHex)
        XCTAssertNotEqual(try SigningKeys.loadOrCreate(name: "bob", environment: environment).publicKeyHex, first.publicKeyHex)
    }

    func testAKeyOthersCanReadIsRefused() throws {
        let key = try SigningKeys.loadOrCreate(name: "alice", environment: environment)
        XCTAssertEqual(chmod(key.keyPath, 0o644), 0)
        XCTAssertThrowsError(try SigningKeys.loadOrCreate(name: "alice", environment: environment)) { error in
            XCTAssertEqual("\(error)", "signing key \(key.keyPath): others can read it (mode 0644); run chmod 600 on it")
        }
    }

    func testAKeysFolderThatIsTheWorkspacesFolderIsRefused() throws {
        let keys = folder.appendingPathComponent("config/assure/keys")
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        XCTAssertThrowsError(
            try SigningKeys.loadOrCreate(
                name: "alice", environment: environment,
                workspacePath: keys.appendingPathComponent("acme.assure").path)
        ) { error in
            XCTAssertTrue("\(error)".contains("the keys folder is the workspace's own folder"), "\(error)")
        }
    }

    // MARK: - Signers

    func testRecordingASignerWritesOneChangeLogRowOnce() throws {
        let workspace = try Fixtures.workspace(scope: Scope(company: "Acme"), by: alice)
        let key = try SigningKeys.loadOrCreate(name: "alice", environment: environment)
        let before = try workspace.read { try $0.chainAnchor() }
        let written = try workspace.write(alice) { try $0.recordSigner(name: "alice", publicKey: key.publicKeyHex.uppercased()) }
        XCTAssertNotNil(written.batch)
        XCTAssertEqual(written.value, Signer(id: 1, name: "alice", publicKey: key.publicKeyHex, recordedAt: "2026-11-20T09:00:00Z"))
        let (signers, log, after) = try workspace.read { r in (try r.signers(), try r.log(), try r.chainAnchor()) }
        XCTAssertEqual(signers, [written.value])
        XCTAssertEqual(after.rows, before.rows + 1)
        let row = try XCTUnwrap(log.last)
        XCTAssertEqual([row.entity, row.ref, row.field, row.actor], ["signer", "alice", "public_key", "alice"])
        XCTAssertNil(row.before)
        XCTAssertEqual(row.after, key.publicKeyHex)
        XCTAssertEqual(row.entityID, 1)
        XCTAssertTrue(try workspace.read { try $0.verifyChain() }.isIntact)

        // The same key again writes nothing; the key for someone else is refused.
        XCTAssertNil(try workspace.write(alice) { try $0.recordSigner(name: "alice", publicKey: key.publicKeyHex) }.batch)
        XCTAssertThrowsError(try workspace.write(alice) { try $0.recordSigner(name: "mallory", publicKey: key.publicKeyHex) }) { error in
            XCTAssertEqual("\(error)", "this signing key is already recorded for alice, not mallory")
        }
        XCTAssertThrowsError(try workspace.write(alice) { try $0.recordSigner(name: "alice", publicKey: "abc") })
        XCTAssertEqual(try workspace.read { try $0.chainAnchor() }, after)
    }

    func testTheV6MigrationCreatesTheSignerTable() throws {
        XCTAssertTrue(Schema.knownMigrations.contains("v6-signers"))
        let workspace = try Fixtures.workspace(scope: Scope(company: "Acme"), by: alice)
        XCTAssertEqual(try workspace.read { try $0.signers() }, [])
    }

    // MARK: - Signatures

    func signed(_ text: String) throws -> (Workspace, ExportSignature, SigningIdentity) {
        let workspace = try Fixtures.workspace(scope: Scope(company: "Acme"), by: alice)
        let key = try SigningKeys.loadOrCreate(name: "alice", environment: environment)
        try workspace.write(alice) { try $0.recordSigner(name: "alice", publicKey: key.publicKeyHex) }
        let anchor = try workspace.read { try $0.chainAnchor() }
        return (workspace, try ExportSignature.sign(Data(text.utf8), anchor: anchor, by: key, at: Fixtures.fixedDate), key)
    }

    func testASignatureRoundTripsAndVerifies() throws {
        let (workspace, signature, key) = try signed("Reference,Title\nAC-01,Access\n")
        let anchor = try workspace.read { try $0.chainAnchor() }
        XCTAssertEqual(signature.sha256, "\(ExportSignature.digest(Data("Reference,Title\nAC-01,Access\n".utf8)))")
        let lines = signature.text.components(separatedBy: "\n")
        XCTAssertEqual(lines.count, 8)
        XCTAssertEqual(
            Array(lines.prefix(6)),
            [
                "assure signature 1", "signer: alice", "key: \(key.publicKeyHex)", "sha256: \(signature.sha256)",
                "change-log: \(anchor.rows) rows, head \(anchor.head)", "signed-at: 2026-11-20T09:00:00Z",
            ])
        XCTAssertTrue(lines[6].hasPrefix("signature: "))
        XCTAssertEqual(lines[7], "")

        let parsed = try ExportSignature.parse(signature.text, file: "x.sig")
        XCTAssertEqual(parsed, signature)
        let check = try workspace.read { try $0.verify(parsed, of: Data("Reference,Title\nAC-01,Access\n".utf8), file: "x", signatureFile: "x.sig") }
        XCTAssertEqual(check.signer.name, "alice")
        XCTAssertEqual(check.signature.anchor, anchor)
    }

    func testAChangedFileAForgedSignatureAnUnknownKeyAndAForeignAnchorAreRefused() throws {
        let text = "Reference,Title\nAC-01,Access\n"
        let (workspace, signature, _) = try signed(text)
        func verify(_ s: ExportSignature, _ data: String = text) throws -> SignatureCheck {
            try workspace.read { try $0.verify(s, of: Data(data.utf8), file: "x.csv", signatureFile: "x.csv.sig") }
        }
        XCTAssertThrowsError(try verify(signature, "Reference,Title\nAC-01,Acces!\n")) { error in
            XCTAssertEqual(
                error as? SigningError,
                .fileChanged(
                    file: "x.csv", actual: ExportSignature.digest(Data("Reference,Title\nAC-01,Acces!\n".utf8)),
                    signed: signature.sha256))
            XCTAssertTrue("\(error)".hasPrefix("x.csv has changed since it was signed: its SHA-256 is "), "\(error)")
        }
        var renamed = signature
        renamed.signer = "mallory"
        XCTAssertThrowsError(try verify(renamed)) { XCTAssertEqual($0 as? SigningError, .forged(signatureFile: "x.csv.sig")) }
        var otherHash = signature
        otherHash.sha256 = ExportSignature.digest(Data("other".utf8))
        XCTAssertThrowsError(try verify(otherHash, "other")) { XCTAssertEqual($0 as? SigningError, .forged(signatureFile: "x.csv.sig")) }

        // A key this workspace never recorded, correctly signed.
        let stranger = try SigningKeys.loadOrCreate(name: "stranger", environment: environment)
        let anchor = try workspace.read { try $0.chainAnchor() }
        let foreign = try ExportSignature.sign(Data(text.utf8), anchor: anchor, by: stranger, at: Fixtures.fixedDate)
        XCTAssertThrowsError(try verify(foreign)) { error in
            XCTAssertEqual(error as? SigningError, .unknownSigner(signatureFile: "x.csv.sig", name: "stranger", key: stranger.publicKeyHex))
            XCTAssertEqual(
                "\(error)", "x.csv.sig: unknown signer: the key that signed it (stranger, \(stranger.publicKeyHex)) is not recorded in this workspace"
            )
        }

        // An anchor that is not a row of this chain.
        let alicesKey = try SigningKeys.loadOrCreate(name: "alice", environment: environment)
        let elsewhere = try ExportSignature.sign(
            Data(text.utf8), anchor: ChainAnchor(rows: anchor.rows, head: String(repeating: "a", count: 64)),
            by: alicesKey, at: Fixtures.fixedDate)
        XCTAssertThrowsError(try verify(elsewhere)) { error in
            guard case .foreignAnchor(_, _, let rows)? = error as? SigningError else { return XCTFail("\(error)") }
            XCTAssertEqual(rows, anchor.rows)
        }
    }

    func testMalformedSignatureFilesAreRefusedNamingTheFile() throws {
        let (_, signature, _) = try signed("x")
        let text = signature.text
        for (bad, problem) in [
            ("assure signature 1", "it does not end with a line feed"),
            ("", "the first line is not \"assure signature 1\""),
            ("hello\n", "the first line is not \"assure signature 1\""),
            (
                text.replacingOccurrences(of: "sha256: ", with: "sha-256: "),
                "expected a \"sha256:\" line, found \"sha-256: \(signature.sha256.prefix(31))\""
            ),
            (text.replacingOccurrences(of: "signature: ", with: "signature: !"), "the signature is not 64 bytes of base64"),
            (text + "extra\n", "expected 7 lines, found 8"),
        ] {
            XCTAssertThrowsError(try ExportSignature.parse(bad, file: "r.md.sig")) { error in
                XCTAssertEqual("\(error)", "r.md.sig: not an assure signature (\(problem))")
            }
        }
    }
}
