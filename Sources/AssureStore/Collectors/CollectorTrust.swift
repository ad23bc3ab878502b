import Crypto
import Foundation

/// Which collectors' commands this user has approved on this machine. A workspace can come
/// from someone else, and a collector is a shell command: like direnv, a command runs only
/// after it was allowed here, and a changed command must be allowed again. The list lives
/// outside the workspace (`$XDG_CONFIG_HOME/assure/allowed`, else `~/.config/assure/allowed`),
/// one line per allowance: the command's SHA-256, the collector's name and the workspace
/// file's real path, separated by tabs.
public struct CollectorTrust: Sendable {
    public enum Status: String, Sendable, Equatable {
        case allowed
        /// Never allowed here (for this workspace file and name).
        case notAllowed = "not allowed"
        /// Allowed once, but the command has changed since.
        case changed = "command changed"
    }

    /// The allow-list file.
    public let file: String

    public init(file: String) { self.file = file }

    /// The list of the user running assure, from `XDG_CONFIG_HOME` or `HOME`.
    public static func forCurrentUser(environment: [String: String] = ProcessInfo.processInfo.environment) -> CollectorTrust {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            return CollectorTrust(file: config + "/assure/allowed")
        }
        var home = environment["HOME"] ?? ""
        if home.isEmpty, let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir { home = String(cString: dir) }
        return CollectorTrust(file: home + "/.config/assure/allowed")
    }

    /// A workspace's identity on this machine: its file's real path (a copy elsewhere is
    /// another workspace, and must be allowed on its own).
    public static func identity(workspacePath: String) -> String {
        guard let real = realpath(workspacePath, nil) else { return URL(fileURLWithPath: workspacePath).standardizedFileURL.path }
        defer { free(real) }
        return String(cString: real)
    }

    public static func hash(_ command: String) -> String { Hex.encode(SHA256.hash(data: Data(command.utf8))) }

    public func status(workspacePath: String, collector: String, command: String) -> Status {
        let identity = Self.identity(workspacePath: workspacePath)
        let hash = Self.hash(command)
        let mine = entries().filter { $0.path == identity && $0.name.caseInsensitiveCompare(collector) == .orderedSame }
        if mine.isEmpty { return .notAllowed }
        return mine.contains { $0.sha256 == hash } ? .allowed : .changed
    }

    /// Records the approval of `command`, replacing any earlier one for the same collector of
    /// the same workspace. The file is rewritten whole (it is small) and renamed into place.
    public func allow(workspacePath: String, collector: String, command: String) throws {
        let identity = Self.identity(workspacePath: workspacePath)
        guard !identity.contains("\t"), !identity.contains("\n"), !collector.contains("\t"), !collector.contains("\n") else {
            throw WorkspaceError.invalid("cannot record an allowance for a path or name holding a tab or line break: \(identity)")
        }
        var kept = entries().filter { !($0.path == identity && $0.name.caseInsensitiveCompare(collector) == .orderedSame) }
        kept.append(Entry(sha256: Self.hash(command), name: collector, path: identity))
        let folder = (file as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let text =
                "# assure: collector commands allowed to run on this machine (sha256, collector, workspace)\n"
                + kept.map { "\($0.sha256)\t\($0.name)\t\($0.path)\n" }.joined()
            let temporary = file + ".tmp-\(getpid())"
            guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw WorkspaceError.invalid("\(temporary): cannot write the list of allowed collectors")
            }
            guard rename(temporary, file) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw WorkspaceError.invalid("\(file): cannot write the list of allowed collectors (\(reason))")
            }
        } catch let error as WorkspaceError {
            throw error
        } catch {
            throw WorkspaceError.invalid("\(folder): cannot create the folder for allowed collectors (\(error.localizedDescription))")
        }
    }

    struct Entry: Equatable { var sha256: String; var name: String; var path: String }

    /// The lines of the file; comments, blank and malformed lines are skipped.
    func entries() -> [Entry] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            if line.hasPrefix("#") { return nil }
            let parts = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 64 else { return nil }
            return Entry(sha256: String(parts[0]), name: String(parts[1]), path: String(parts[2]))
        }
    }
}
