import Crypto
import Foundation
import GRDB

/// File bytes inside the workspace, content-addressed by SHA-256 and kept in chunks, so the same
/// bytes are stored once and a large file is never held whole in memory, in or out.
enum BlobStore {
    static let chunkSize = 1 << 20

    /// Reads `path` in chunks: the first pass hashes it; when those bytes are new, the second
    /// stores them, hashing again so a file that changed in between is refused, not misfiled.
    static func put(_ db: Database, path: String) throws -> (sha256: String, size: Int64) {
        let first = try hash(path: path)
        if try Bool.fetchOne(db, sql: "SELECT 1 FROM blob WHERE sha256 = ?", arguments: [first.sha256]) == true { return first }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw WorkspaceError.invalid("\(path): cannot read the file") }
        defer { try? handle.close() }
        // The blob row first (its chunks refer to it); a mismatch below rolls the whole write back.
        let chunks = Int((first.size + Int64(chunkSize) - 1) / Int64(chunkSize))
        try db.execute(sql: "INSERT INTO blob (sha256, size, chunks) VALUES (?, ?, ?)", arguments: [first.sha256, first.size, chunks])
        var hasher = SHA256()
        var size: Int64 = 0
        var seq = 0
        while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += Int64(chunk.count)
            try db.execute(sql: "INSERT INTO blob_chunk (sha256, seq, data) VALUES (?, ?, ?)", arguments: [first.sha256, seq, chunk])
            seq += 1
        }
        guard Hex.encode(hasher.finalize()) == first.sha256, size == first.size, seq == chunks else {
            throw WorkspaceError.invalid("\(path): the file changed while it was being read; nothing was stored")
        }
        return first
    }

    static func hash(path: String) throws -> (sha256: String, size: Int64) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw WorkspaceError.fileNotFound(path) }
        guard !isDirectory.boolValue else { throw WorkspaceError.invalid("\(path): is a folder; name the files") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw WorkspaceError.invalid("\(path): cannot read the file") }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while let chunk = try handle.read(upToCount: chunkSize), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += Int64(chunk.count)
        }
        return (Hex.encode(hasher.finalize()), size)
    }

    /// Streams the stored bytes, chunk by chunk, and checks them against their hash at the end:
    /// a damaged workspace is reported, never passed on as evidence.
    static func read(_ db: Database, sha256: String, _ consume: (Data) throws -> Void) throws {
        guard let expected = try Int64.fetchOne(db, sql: "SELECT size FROM blob WHERE sha256 = ?", arguments: [sha256]) else {
            throw WorkspaceError.invalid("the stored file \(sha256.prefix(12)) is missing from the workspace")
        }
        var hasher = SHA256()
        var size: Int64 = 0
        let chunks = try Data.fetchCursor(db, sql: "SELECT data FROM blob_chunk WHERE sha256 = ? ORDER BY seq", arguments: [sha256])
        while let chunk = try chunks.next() {
            hasher.update(data: chunk)
            size += Int64(chunk.count)
            try consume(chunk)
        }
        guard size == expected, Hex.encode(hasher.finalize()) == sha256 else {
            throw WorkspaceError.invalid("the stored file \(sha256.prefix(12)) does not match its SHA-256: the workspace is damaged")
        }
    }
}

/// A file's SHA-256 (hex), read in chunks: for checking a signed package without reading it whole.
public enum FileDigest {
    public static func sha256(path: String) throws -> String { try BlobStore.hash(path: path).sha256 }
}
