import Foundation

/// Every way a workspace operation can be refused. `description` is the message shown to the
/// user: it names the file, line or reference involved.
public enum WorkspaceError: Error, CustomStringConvertible, Equatable {
    case fileNotFound(String)
    case alreadyExists(String)
    case notAWorkspace(path: String, reason: String)
    case newerVersion(path: String, unknown: [String])
    case cannotOpen(path: String, reason: String)
    case unknownReference(kind: String, name: String, suggestions: [String])
    case ambiguousReference(kind: String, name: String, matches: [String])
    case invalid(String)
    case duplicate(kind: String, name: String)
    case conflict(String)
    case readOnly
    case badFile(path: String, line: Int, column: Int, message: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such workspace file"
        case .alreadyExists(let path):
            return "\(path): a file already exists there; choose another path"
        case .notAWorkspace(let path, let reason):
            return "\(path): not an assure workspace (\(reason)); nothing was written"
        case .newerVersion(let path, let unknown):
            return "\(path) was written by a newer assure (schema \(unknown.joined(separator: ", "))); upgrade assure to open it"
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open workspace: \(reason)"
        case .unknownReference(let kind, let name, let suggestions):
            let hint = suggestions.isEmpty ? "" : "; did you mean \(suggestions.joined(separator: ", "))?"
            return "unknown \(kind) \(Self.quoted(name))\(hint)"
        case .ambiguousReference(let kind, let name, let matches):
            return "\(kind) \(Self.quoted(name)) is ambiguous: \(matches.joined(separator: ", "))"
        case .invalid(let message):
            return message
        case .duplicate(let kind, let name):
            return "\(kind) '\(name)' already exists"
        case .conflict(let message):
            return message
        case .readOnly:
            return "the workspace is open read-only"
        case .badFile(let path, let line, let column, let message):
            return "\(path):\(line):\(column): \(message)"
        }
    }

    /// A name as typed, in quotes; a very long one (a pasted file) is cut to its start.
    static func quoted(_ name: String) -> String {
        let longest = 80
        guard name.utf8.count > longest, name.count > longest else { return "'\(name)'" }
        return "'\(name.prefix(longest))…' (\(name.count) characters)"
    }
}
