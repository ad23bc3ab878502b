import AssureModel
import Foundation
import GRDB

/// A public key recorded in the workspace: whoever holds its private key signed as `name`.
public struct Signer: Equatable, Sendable {
    public var id: Int64
    public var name: String
    /// The Ed25519 public key: 64 lowercase hex digits.
    public var publicKey: String
    public var recordedAt: String
}

extension WorkspaceReader {
    /// Every recorded signer, oldest first.
    public func signers() throws -> [Signer] {
        try Row.fetchAll(db, sql: "SELECT * FROM signer ORDER BY id").map(Signers.signer)
    }

    /// The signer recorded for this public key (hex, any case), if any.
    public func signer(publicKey: String) throws -> Signer? {
        try Row.fetchOne(db, sql: "SELECT * FROM signer WHERE public_key = ?", arguments: [publicKey.lowercased()])
            .map(Signers.signer)
    }
}

extension WorkspaceWriter {
    /// Records `publicKey` (hex) as `name`'s signing key, with a change-log row. A key already
    /// recorded for `name` is returned as it is and nothing is written; a key recorded for
    /// someone else is refused.
    @discardableResult
    public func recordSigner(name: String, publicKey: String) throws -> Signer {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw WorkspaceError.invalid("a signer needs a name") }
        let key = publicKey.lowercased()
        guard Signers.isPublicKeyHex(key) else {
            throw WorkspaceError.invalid("a signing key is 64 hexadecimal digits (an Ed25519 public key)")
        }
        if let existing = try reader.signer(publicKey: key) {
            guard existing.name == name else {
                throw WorkspaceError.invalid("this signing key is already recorded for \(existing.name), not \(name)")
            }
            return existing
        }
        try db.execute(
            sql: "INSERT INTO signer (name, public_key, recorded_at) VALUES (?, ?, ?)",
            arguments: [name, key, log.at])
        let id = db.lastInsertedRowID
        try log.record(db, entity: "signer", ref: name, id: id, field: "public_key", before: nil, after: key)
        return Signer(id: id, name: name, publicKey: key, recordedAt: log.at)
    }
}

enum Signers {
    static func signer(_ row: Row) -> Signer {
        Signer(id: row["id"], name: row["name"], publicKey: row["public_key"], recordedAt: row["recorded_at"])
    }

    static func isPublicKeyHex(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
