import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks a file's SQLite header before anything opens it, so that a foreign SQLite file, a
/// text file or a truncated file is refused without a single byte being written to it.
enum WorkspaceFile {
    /// The regular file `path` names, symbolic links followed (SQLite keeps the `-wal` and
    /// `-shm` files next to the target, so that is what is checked and opened). A directory,
    /// a named pipe (which would block the open forever), a device or a socket is refused
    /// before it is opened.
    static func resolve(path: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            switch code {
            case ENOENT, ENOTDIR:
                var link = stat()
                if lstat(path, &link) == 0 && link.st_mode & S_IFMT == S_IFLNK {
                    throw WorkspaceError.cannotOpen(path: path, reason: "it is a symbolic link to a file that does not exist")
                }
                throw WorkspaceError.fileNotFound(path)
            case EACCES: throw WorkspaceError.cannotOpen(path: path, reason: "permission denied")
            case ELOOP: throw WorkspaceError.cannotOpen(path: path, reason: "too many levels of symbolic links")
            default: throw WorkspaceError.cannotOpen(path: path, reason: String(cString: strerror(code)))
            }
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw WorkspaceError.notAWorkspace(path: path, reason: "it is a directory, not a file")
        case S_IFIFO: throw WorkspaceError.notAWorkspace(path: path, reason: "it is a named pipe, not a file")
        case S_IFSOCK: throw WorkspaceError.notAWorkspace(path: path, reason: "it is a socket, not a file")
        case S_IFCHR, S_IFBLK: throw WorkspaceError.notAWorkspace(path: path, reason: "it is a device, not a file")
        default: throw WorkspaceError.notAWorkspace(path: path, reason: "it is not a regular file")
        }
        guard let real = realpath(path, nil) else {
            throw WorkspaceError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        defer { free(real) }
        return String(cString: real)
    }

    /// Checks the header of `file` (what `resolve` returned); messages name `path`, as typed.
    static func validateHeader(path: String, file: String? = nil) throws {
        let file = try file ?? resolve(path: path)
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw WorkspaceError.cannotOpen(path: path, reason: "permission denied")
        }
        defer { try? handle.close() }
        let header: [UInt8]
        do { header = [UInt8](try handle.read(upToCount: 100) ?? Data()) } catch {
            throw WorkspaceError.cannotOpen(path: path, reason: "cannot read the file (\(error.localizedDescription))")
        }
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
        // `PRAGMA user_version` is ours to give meaning to; we have never set it, so a higher
        // one means a newer assure wrote the file.
        let userVersion = Int32(bitPattern: bigEndian(header, at: 60))
        if userVersion > Schema.userVersion {
            throw WorkspaceError.newerVersion(path: path, unknown: ["user_version \(userVersion)"])
        }
        // Page size 1 means 65536; the in-header page count is valid when the change counter
        // matches the version-valid-for number.
        let rawPageSize = Int(header[16]) << 8 | Int(header[17])
        let pageSize = rawPageSize == 1 ? 65536 : rawPageSize
        var info = stat()
        let fileSize = stat(file, &info) == 0 ? Int(info.st_size) : 0
        let hasWAL = FileManager.default.fileExists(atPath: file + "-wal")
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

    /// Whether the folder holding `file` lets us create files (SQLite's `-shm` and `-wal`).
    static func folderIsWritable(_ file: String) -> Bool {
        let folder = (file as NSString).deletingLastPathComponent
        return access(folder.isEmpty ? "." : folder, W_OK) == 0
    }

    /// Creates an empty file readable by its owner only: a workspace lists weaknesses.
    static func createPrivate(path: String) throws {
        if FileManager.default.fileExists(atPath: path) { throw WorkspaceError.alreadyExists(path) }
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw WorkspaceError.cannotOpen(path: path, reason: "cannot create the file (does the folder exist?)")
        }
    }
}
