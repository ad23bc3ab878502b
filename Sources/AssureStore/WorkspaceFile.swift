import Foundation

/// Checks a file's SQLite header before anything opens it, so that a foreign SQLite file, a
/// text file or a truncated file is refused without a single byte being written to it.
enum WorkspaceFile {
    static func validateHeader(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw WorkspaceError.fileNotFound(path) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw WorkspaceError.cannotOpen(path: path, reason: "permission denied")
        }
        defer { try? handle.close() }
        let header = [UInt8](handle.readData(ofLength: 100))
        let magic = Array("SQLite format 3\0".utf8)
        guard header.count >= 16, Array(header[0..<16]) == magic else {
            throw WorkspaceError.notAWorkspace(path: path, reason: "not an SQLite database")
        }
        guard header.count == 100 else {
            throw WorkspaceError.notAWorkspace(path: path, reason: "the file is truncated")
        }
        let applicationID = Int32(bitPattern: bigEndian(header, at: 68))
        guard applicationID == Schema.applicationID else {
            throw WorkspaceError.notAWorkspace(path: path, reason: "an SQLite database from another application")
        }
        // Page size 1 means 65536; the in-header page count is valid when the change counter
        // matches the version-valid-for number.
        let rawPageSize = Int(header[16]) << 8 | Int(header[17])
        let pageSize = rawPageSize == 1 ? 65536 : rawPageSize
        let fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let hasWAL = FileManager.default.fileExists(atPath: path + "-wal")
        if pageSize < 512 || fileSize % pageSize != 0 {
            throw WorkspaceError.notAWorkspace(path: path, reason: "the file is truncated")
        }
        let pageCount = Int(bigEndian(header, at: 28))
        let headerValid = bigEndian(header, at: 24) == bigEndian(header, at: 92)
        if !hasWAL && headerValid && fileSize < pageCount * pageSize {
            throw WorkspaceError.notAWorkspace(path: path, reason: "the file is truncated")
        }
    }

    private static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    /// Creates an empty file readable by its owner only: a workspace lists weaknesses.
    static func createPrivate(path: String) throws {
        if FileManager.default.fileExists(atPath: path) { throw WorkspaceError.alreadyExists(path) }
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw WorkspaceError.cannotOpen(path: path, reason: "cannot create the file (does the folder exist?)")
        }
    }
}
