import Foundation

/// One step of a JSON path: `$.catalog.groups[3].controls[12].id`.
enum JSONPathStep: Equatable, Sendable {
    case key(String)
    case index(Int)
}

extension Array where Element == JSONPathStep {
    /// `$.catalog.groups[3].controls[12].id`.
    var jsonPath: String {
        var text = "$"
        for step in self {
            switch step {
            case .key(let key): text += "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}

/// A refused OSCAL document: the file, where in it, the offending id and why. Turned into
/// `WorkspaceError.badFile` (`file:line:column: $.json.path: 'id': reason`) at the public edge,
/// the line and column found by `JSONLocator` only once something is wrong.
struct OSCALError: Error, CustomStringConvertible {
    var file: String
    var path: [JSONPathStep]
    var id: String?
    var reason: String
    /// The document's bytes, to find the line and column of `path`.
    var data: Data?

    var description: String { message }

    var message: String {
        "\(path.jsonPath): \(id.map { "'\($0)': " } ?? "")\(reason)"
    }

    var workspaceError: WorkspaceError {
        let (line, column) = data.map { JSONLocator.position(of: path, in: $0) } ?? (1, 1)
        return .badFile(path: file, line: line, column: column, message: message)
    }
}

/// Finds the line and column of a JSON path in a document's bytes, or of the deepest part of the
/// path that exists (a missing key is reported at the object that lacks it). Only run on error.
enum JSONLocator {
    static func position(of path: [JSONPathStep], in data: Data) -> (line: Int, column: Int) {
        let bytes = [UInt8](data)
        var scanner = Scanner(bytes: bytes)
        scanner.skipSpace()
        var found = scanner.index
        walk: for step in path {
            scanner.skipSpace()
            switch step {
            case .key(let key):
                guard scanner.peek == UInt8(ascii: "{") else { break walk }
                scanner.index += 1
                var matched = false
                while true {
                    scanner.skipSpace()
                    guard scanner.peek == UInt8(ascii: "\"") else { break }
                    let name = scanner.string()
                    scanner.skipSpace()
                    if scanner.peek == UInt8(ascii: ":") { scanner.index += 1 }
                    scanner.skipSpace()
                    if name == key { matched = true; break }
                    scanner.skipValue()
                    scanner.skipSpace()
                    if scanner.peek == UInt8(ascii: ",") { scanner.index += 1 } else { break }
                }
                guard matched else { break walk }
            case .index(let index):
                guard scanner.peek == UInt8(ascii: "[") else { break walk }
                scanner.index += 1
                var matched = true
                for _ in 0..<index {
                    scanner.skipSpace()
                    scanner.skipValue()
                    scanner.skipSpace()
                    guard scanner.peek == UInt8(ascii: ",") else { matched = false; break }
                    scanner.index += 1
                }
                scanner.skipSpace()
                guard matched, scanner.peek != UInt8(ascii: "]") else { break walk }
            }
            found = scanner.index
        }
        var line = 1
        var column = 1
        for byte in bytes[..<min(found, bytes.count)] {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
        }

        /// Reads a string at `index` (on its opening quote); escapes other than `\"` and `\\` are
        /// kept as written, which is enough to compare OSCAL keys.
        mutating func string() -> String {
            index += 1
            var out: [UInt8] = []
            while let byte = peek {
                index += 1
                if byte == UInt8(ascii: "\"") { break }
                if byte == UInt8(ascii: "\\"), let next = peek {
                    index += 1
                    if next == UInt8(ascii: "\"") || next == UInt8(ascii: "\\") || next == UInt8(ascii: "/") {
                        out.append(next)
                    } else {
                        out += [byte, next]
                    }
                    continue
                }
                out.append(byte)
            }
            return String(decoding: out, as: UTF8.self)
        }

        mutating func skipValue() {
            guard let byte = peek else { return }
            switch byte {
            case UInt8(ascii: "\""):
                _ = string()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while let current = peek {
                    if current == UInt8(ascii: "\"") { _ = string(); continue }
                    index += 1
                    if current == UInt8(ascii: "{") || current == UInt8(ascii: "[") { depth += 1 }
                    if current == UInt8(ascii: "}") || current == UInt8(ascii: "]") {
                        depth -= 1
                        if depth == 0 { return }
                    }
                }
            default:
                while let current = peek, current != UInt8(ascii: ","), current != UInt8(ascii: "}"), current != UInt8(ascii: "]") { index += 1 }
            }
        }
    }
}
