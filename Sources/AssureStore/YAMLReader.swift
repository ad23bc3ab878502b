import AssureModel
import Foundation
import Yams

/// A YAML node with the file it came from, so every complaint names `file:line:column`.
struct YAMLNode {
    let node: Node
    let path: String

    static func parse(_ text: String, path: String) throws -> YAMLNode {
        // Control characters are refused before YAML sees them: a NUL in a title would be stored
        // and break the change log's hash chain.
        if let problem = StoredText.firstProblem(in: text) {
            throw WorkspaceError.badFile(path: path, line: problem.line, column: problem.column, message: problem.description)
        }
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw WorkspaceError.badFile(path: path, line: 1, column: 1, message: "the file is empty")
            }
            return YAMLNode(node: node, path: path)
        } catch let error as YamlError {
            throw YAMLNode.convert(error, path: path)
        }
    }

    private static func convert(_ error: YamlError, path: String) -> WorkspaceError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return .badFile(path: path, line: mark.line, column: mark.column, message: "YAML syntax: \(what)")
        case .composer(let context, let problem, let mark, _):
            let what = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return .badFile(path: path, line: mark.line, column: mark.column, message: "YAML: \(what)")
        default:
            return .badFile(path: path, line: 1, column: 1, message: "YAML: \(error)")
        }
    }

    var line: Int { node.mark?.line ?? 1 }
    var column: Int { node.mark?.column ?? 1 }

    func error(_ message: String) -> WorkspaceError {
        .badFile(path: path, line: line, column: column, message: message)
    }

    func child(_ node: Node) -> YAMLNode { YAMLNode(node: node, path: path) }

    /// The mapping's value for `key`, or nil when absent.
    func optional(_ key: String) throws -> YAMLNode? {
        guard let mapping = node.mapping else { throw error("expected a mapping with '\(key)'") }
        for (k, v) in mapping where k.string == key { return child(v) }
        return nil
    }

    func required(_ key: String) throws -> YAMLNode {
        guard let value = try optional(key) else { throw error("missing '\(key)'") }
        return value
    }

    func string() throws -> String {
        guard let scalar = node.scalar else { throw error("expected text") }
        return scalar.string
    }

    func nonEmptyString(_ what: String) throws -> String {
        let value = try string().trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty { throw error("\(what) is empty") }
        return value
    }

    func int() throws -> Int {
        guard let value = Int(try string()) else { throw error("expected a whole number") }
        return value
    }

    func sequence() throws -> [YAMLNode] {
        guard let sequence = node.sequence else { throw error("expected a list") }
        return sequence.map(child)
    }

    /// A list of strings, written either as a YAML list or as one comma-separated string.
    func stringList() throws -> [String] {
        if node.sequence != nil { return try sequence().map { try $0.string() } }
        return try string().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Keys of a mapping, to reject unknown ones (a typo must not be silently ignored).
    func checkKeys(_ allowed: Set<String>) throws {
        guard let mapping = node.mapping else { throw error("expected a mapping") }
        for (key, _) in mapping {
            let name = key.string ?? ""
            if !allowed.contains(name) {
                let hint = closestKeyHint(name, allowed)
                throw child(key).error("unknown field '\(name)'\(hint)")
            }
        }
    }
}

/// " (did you mean 'x'?)" for a misspelt field name, or "" when nothing is close.
func closestKeyHint(_ name: String, _ allowed: Set<String>) -> String {
    guard let best = Suggestions.closest(to: name, in: allowed.sorted(), limit: 1).first else { return "" }
    return " (did you mean '\(best)'?)"
}
