import AssureModel
import Foundation

/// Typed reads from the parsed document that remember where they are: every refusal
/// names the file, the JSON path, the offending id when there is one, and the reason. The path
/// is a stack pushed and popped while walking, so reading costs no path strings.
final class OSCALJSONReader {
    let file: String
    let data: Data
    private(set) var path: [JSONPathStep] = []

    init(file: String, data: Data) {
        self.file = file
        self.data = data
    }

    /// Parses the document; a syntax error is reported at its line and column.
    func root() throws -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONParser.parse(data)
        } catch let error as JSONParser.SyntaxError {
            var line = 1
            var column = 1
            for byte in data.prefix(error.offset) {
                if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
            }
            throw WorkspaceError.badFile(path: file, line: line, column: column, message: "not valid JSON: \(error.reason)")
        }
        guard case .object(let object) = value else { throw fail("an OSCAL document is a JSON object, found \(Self.kind(of: value))") }
        return object
    }

    func fail(_ reason: String, id: String? = nil, at step: JSONPathStep? = nil) -> OSCALError {
        OSCALError(file: file, path: step.map { path + [$0] } ?? path, id: id, reason: reason, data: data)
    }

    func error(at path: [JSONPathStep], id: String?, reason: String) -> OSCALError {
        OSCALError(file: file, path: path, id: id, reason: reason, data: data)
    }

    /// Runs `body` with `step` pushed on the path.
    @inline(__always)
    func within<T>(_ step: JSONPathStep, _ body: () throws -> T) rethrows -> T {
        path.append(step)
        defer { path.removeLast() }
        return try body()
    }

    // MARK: Typed fields of one object (the reader's path is the object's).

    func string(_ object: JSONObject, _ key: String, multiline: Bool = true) throws -> String? {
        guard let value = object[key] else { return nil }
        guard case .string(let text) = value else { throw fail("must be a string, found \(Self.kind(of: value))", at: .key(key)) }
        if let problem = StoredText.firstProblem(in: text, multiline: multiline) {
            throw fail(problem.description, at: .key(key))
        }
        return text
    }

    func required(_ object: JSONObject, _ key: String, multiline: Bool = true, owner: String? = nil) throws -> String {
        guard let text = try string(object, key, multiline: multiline) else {
            throw fail("'\(key)' is required", id: owner, at: .key(key))
        }
        return text
    }

    /// A required `id`-like token: non-empty, no spaces.
    func token(_ object: JSONObject, _ key: String, owner: String? = nil) throws -> String {
        let text = try required(object, key, multiline: false, owner: owner)
        guard !text.isEmpty, !text.utf8.contains(where: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
            throw fail("'\(key)' must be a non-empty token without spaces", id: text, at: .key(key))
        }
        return text
    }

    func object(_ object: JSONObject, _ key: String) throws -> JSONObject? {
        guard let value = object[key] else { return nil }
        guard case .object(let inner) = value else { throw fail("must be an object, found \(Self.kind(of: value))", at: .key(key)) }
        return inner
    }

    /// `true`/`false` (OSCAL booleans), also tolerating the strings "true"/"false".
    func bool(_ object: JSONObject, _ key: String) throws -> Bool? {
        guard let value = object[key] else { return nil }
        if case .bool(let flag) = value { return flag }
        if case .string(let text) = value, text == "true" || text == "false" { return text == "true" }
        throw fail("must be true or false, found \(Self.kind(of: value))", at: .key(key))
    }

    /// An array of strings.
    func strings(_ object: JSONObject, _ key: String, multiline: Bool = true) throws -> [String] {
        guard let value = object[key] else { return [] }
        guard case .array(let array) = value else { throw fail("must be an array, found \(Self.kind(of: value))", at: .key(key)) }
        var out: [String] = []
        out.reserveCapacity(array.count)
        try within(.key(key)) {
            for (index, item) in array.enumerated() {
                guard case .string(let text) = item else { throw fail("must be a string, found \(Self.kind(of: item))", at: .index(index)) }
                if let problem = StoredText.firstProblem(in: text, multiline: multiline) { throw fail(problem.description, at: .index(index)) }
                out.append(text)
            }
        }
        return out
    }

    /// Maps each object of the array at `key`, the path pointing at each in turn.
    func objects<T>(_ object: JSONObject, _ key: String, _ body: (JSONObject) throws -> T) throws -> [T] {
        guard let value = object[key] else { return [] }
        guard case .array(let array) = value else { throw fail("must be an array, found \(Self.kind(of: value))", at: .key(key)) }
        var out: [T] = []
        out.reserveCapacity(array.count)
        path.append(.key(key))
        defer { path.removeLast() }
        for (index, item) in array.enumerated() {
            guard case .object(let inner) = item else { throw fail("must be an object, found \(Self.kind(of: item))", at: .index(index)) }
            path.append(.index(index))
            out.append(try body(inner))
            path.removeLast()
        }
        return out
    }

    static func kind(of value: JSONValue) -> String {
        switch value {
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        case .null: return "null"
        case .number: return "a number"
        case .bool: return "a boolean"
        }
    }
}
