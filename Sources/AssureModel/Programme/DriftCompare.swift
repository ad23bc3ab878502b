import Foundation

/// How a collector's output is compared with its approved baseline.
public enum DriftFormat: String, Sendable, CaseIterable { case text, json }

/// What differs between a baseline and a run: one line per change. JSON: `~ $.path: old -> new`,
/// `+ $.path: value` (only in the run), `- $.path: value` (only in the baseline). Text: hunks of
/// changed lines, unified-diff style without context (`@@ -3,1 +3,1 @@`, `-old`, `+new`).
public struct DriftDiff: Equatable, Sendable {
    public var lines: [String]
    public init(lines: [String]) { self.lines = lines }
    public var isEmpty: Bool { lines.isEmpty }
    public var text: String { lines.joined(separator: "\n") }
    /// Changed paths (JSON) or changed lines (text): every line but a hunk header.
    public var changedCount: Int { DriftDiff.changedCount(text) }
    public static func changedCount(_ text: String) -> Int {
        text.split(separator: "\n", omittingEmptySubsequences: true).filter { !$0.hasPrefix("@@") }.count
    }
}

/// A JSON path naming what to leave out of the comparison (a timestamp, a request id).
/// Supported: `$` then any of `.name`, `['name']` or `["name"]` (a key with other characters),
/// `[N]` (one array element, 0-based), `[*]` (every element) and `.*` (every key). Filters,
/// slices and recursive descent (`..`) are not supported and are refused by name.
public struct IgnorePath: Equatable, Sendable, CustomStringConvertible {
    public enum Step: Equatable, Sendable {
        case key(String)
        case index(Int)
        case anyElement, anyKey
    }
    public let text: String
    public let steps: [Step]
    public var description: String { text }

    public static func parse(_ text: String) throws -> IgnorePath {
        func fail(_ why: String) -> DriftCompareError { .badPath(path: text, reason: why) }
        let chars = Array(text.trimmingCharacters(in: .whitespaces))
        guard chars.first == "$" else { throw fail("it must start with $ (e.g. $.updatedAt)") }
        var steps: [Step] = []
        var i = 1
        while i < chars.count {
            if chars[i] == "." {
                i += 1
                if i < chars.count && chars[i] == "." { throw fail("recursive descent (..) is not supported") }
                if i < chars.count && chars[i] == "*" { steps.append(.anyKey); i += 1; continue }
                var name = ""
                while i < chars.count, chars[i] != ".", chars[i] != "[" { name.append(chars[i]); i += 1 }
                guard !name.isEmpty else { throw fail("a key name is missing after '.'") }
                guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "$" }) else {
                    throw fail("'\(name)' holds characters a plain key cannot; write it as ['\(name)']")
                }
                steps.append(.key(name))
            } else if chars[i] == "[" {
                i += 1
                guard i < chars.count else { throw fail("'[' is not closed") }
                if chars[i] == "'" || chars[i] == "\"" {
                    let quote = chars[i]
                    i += 1
                    var name = ""
                    while i < chars.count, chars[i] != quote {
                        if chars[i] == "\\", i + 1 < chars.count { i += 1 }
                        name.append(chars[i]); i += 1
                    }
                    guard i + 1 < chars.count, chars[i] == quote, chars[i + 1] == "]" else { throw fail("a quoted key is not closed with \(quote)]") }
                    steps.append(.key(name)); i += 2
                } else {
                    var inner = ""
                    while i < chars.count, chars[i] != "]" { inner.append(chars[i]); i += 1 }
                    guard i < chars.count else { throw fail("'[' is not closed") }
                    i += 1
                    if inner == "*" {
                        steps.append(.anyElement)
                    } else if let n = Int(inner), n >= 0 {
                        steps.append(.index(n))
                    } else {
                        throw fail("[\(inner)] is not supported; use [N], [*] or ['key']")
                    }
                }
            } else {
                throw fail("unexpected '\(chars[i])' at character \(i + 1)")
            }
        }
        guard !steps.isEmpty else { throw fail("$ alone would ignore the whole output") }
        return IgnorePath(text: String(chars), steps: steps)
    }
}

public enum DriftCompareError: Error, Equatable, CustomStringConvertible {
    case badPath(path: String, reason: String)
    case badJSON(line: Int, column: Int, reason: String)
    public var description: String {
        switch self {
        case .badPath(let path, let reason): return "ignore path '\(path)': \(reason)"
        case .badJSON(let line, let column, let reason): return "not valid JSON at line \(line), column \(column): \(reason)"
        }
    }
}

/// A parsed JSON document. Numbers keep their text and compare by decimal value (`1.0` = `1`).
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    /// Left where an ignore path removed an array element, so later indices keep their place.
    case ignored

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null), (.ignored, .ignored): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y || (Decimal(string: x).map { $0 == Decimal(string: y) } ?? false)
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)): return x == y
        default: return false
        }
    }

    /// Compact JSON with sorted keys: how values appear in a diff.
    public var canonical: String {
        switch self {
        case .null: return "null"
        case .ignored: return "(ignored)"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n
        case .string(let s): return JSONValue.quote(s)
        case .array(let items): return "[" + items.map(\.canonical).joined(separator: ",") + "]"
        case .object(let fields):
            return "{" + fields.keys.sorted().map { JSONValue.quote($0) + ":" + fields[$0]!.canonical }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal; control characters escaped so a diff never carries one.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

public enum DriftCompare {
    /// The longest value shown in a diff line; longer ones end in "…".
    static let maxValueLength = 200
    /// Above this many line pairs the text diff skips the exact alignment and reports the
    /// differing middle whole (a 100 MB output must not take quadratic time).
    static let maxAlignmentCells = 4_000_000

    public static func compare(baseline: String, current: String, format: DriftFormat, ignore: [IgnorePath] = []) -> DriftDiff {
        switch format {
        case .text: return compareText(baseline: baseline, current: current)
        case .json:
            let old: JSONValue
            let new: JSONValue
            do { old = try parseJSON(baseline) } catch { return DriftDiff(lines: ["! $: the baseline is not valid JSON (\(error))"]) }
            do { new = try parseJSON(current) } catch { return DriftDiff(lines: ["! $: the output is \(error)"]) }
            return compareJSON(baseline: old, current: new, ignore: ignore)
        }
    }

    // MARK: JSON

    public static func compareJSON(baseline: JSONValue, current: JSONValue, ignore: [IgnorePath]) -> DriftDiff {
        var old = baseline
        var new = current
        for path in ignore {
            old = remove(path.steps[...], from: old)
            new = remove(path.steps[...], from: new)
        }
        var lines: [String] = []
        walk(old, new, path: "$", into: &lines)
        return DriftDiff(lines: lines)
    }

    static func remove(_ steps: ArraySlice<IgnorePath.Step>, from value: JSONValue) -> JSONValue {
        guard let step = steps.first else { return .ignored }
        let rest = steps.dropFirst()
        switch (step, value) {
        case (.key(let name), .object(let fields)):
            guard let child = fields[name] else { return value }
            var copy = fields
            // A key ignored whole is left out on both sides, so its presence alone is no drift.
            if rest.isEmpty { copy[name] = nil } else { copy[name] = remove(rest, from: child) }
            return .object(copy)
        case (.anyKey, .object(let fields)):
            if rest.isEmpty { return .object([:]) }
            return .object(fields.mapValues { remove(rest, from: $0) })
        case (.index(let n), .array(let items)) where n < items.count:
            var copy = items
            copy[n] = remove(rest, from: items[n])
            return .array(copy)
        case (.anyElement, .array(let items)):
            return .array(items.map { remove(rest, from: $0) })
        default:
            return value
        }
    }

    static func walk(_ old: JSONValue, _ new: JSONValue, path: String, into lines: inout [String]) {
        switch (old, new) {
        case (.object(let a), .object(let b)):
            for key in Set(a.keys).union(b.keys).sorted() {
                let child = path + component(key)
                switch (a[key], b[key]) {
                case (let x?, let y?): walk(x, y, path: child, into: &lines)
                case (let x?, nil): lines.append("- \(child): \(show(x))")
                case (nil, let y?): lines.append("+ \(child): \(show(y))")
                case (nil, nil): break
                }
            }
        case (.array(let a), .array(let b)):
            // Element by element: an inserted element shows as changes up to the end.
            for i in 0..<max(a.count, b.count) {
                let child = "\(path)[\(i)]"
                if i < a.count && i < b.count {
                    walk(a[i], b[i], path: child, into: &lines)
                } else if i < a.count {
                    lines.append("- \(child): \(show(a[i]))")
                } else {
                    lines.append("+ \(child): \(show(b[i]))")
                }
            }
        default:
            if old != new { lines.append("~ \(path): \(show(old)) -> \(show(new))") }
        }
    }

    static func component(_ key: String) -> String {
        let plain = !key.isEmpty && key.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" || $0 == "-" }
        return plain ? ".\(key)" : "[\(JSONValue.quote(key))]"
    }

    static func show(_ value: JSONValue) -> String {
        let text = value.canonical
        return text.count > maxValueLength ? String(text.prefix(maxValueLength)) + "…" : text
    }

    // MARK: Text

    public static func compareText(baseline: String, current: String) -> DriftDiff {
        let a = textLines(baseline)
        let b = textLines(current)
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let midA = Array(a[prefix..<(a.count - suffix)])
        let midB = Array(b[prefix..<(b.count - suffix)])
        if midA.isEmpty && midB.isEmpty { return DriftDiff(lines: []) }
        // Edit script over the middle: (kind, line index in a or b), in order.
        var script: [(kind: Character, a: Int, b: Int)] = []
        if midA.count * midB.count <= maxAlignmentCells && !midA.isEmpty && !midB.isEmpty {
            script = align(midA, midB).map { ($0.kind, $0.a + prefix, $0.b + prefix) }
        } else {
            script = midA.indices.map { ("-", $0 + prefix, 0) } + midB.indices.map { ("+", 0, $0 + prefix) }
            script = script.map { $0.kind == "-" ? ($0.kind, $0.a, prefix) : ($0.kind, prefix + midA.count, $0.b) }
        }
        // Group consecutive changes into hunks.
        var lines: [String] = []
        var i = 0
        while i < script.count {
            if script[i].kind == "=" { i += 1; continue }
            var j = i
            while j < script.count, script[j].kind != "=" { j += 1 }
            let hunk = script[i..<j]
            let removed = hunk.filter { $0.kind == "-" }
            let added = hunk.filter { $0.kind == "+" }
            let startA = removed.first?.a ?? hunk.first!.a
            let startB = added.first?.b ?? hunk.first!.b
            lines.append("@@ -\(removed.isEmpty ? startA : startA + 1),\(removed.count) +\(added.isEmpty ? startB : startB + 1),\(added.count) @@")
            lines += removed.map { "-" + escape(a[$0.a]) }
            lines += added.map { "+" + escape(b[$0.b]) }
            i = j
        }
        return DriftDiff(lines: lines)
    }

    /// Lines without their ends (LF or CRLF); a final line end adds no empty line.
    static func textLines(_ text: String) -> [String] {
        // CRLF is one Character in Swift, so it is folded first rather than split on.
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Longest-common-subsequence alignment: `=` kept, `-` only in a, `+` only in b. Each
    /// entry carries the current index in both (the insertion point for the missing side).
    static func align(_ a: [String], _ b: [String]) -> [(kind: Character, a: Int, b: Int)] {
        let n = a.count
        let m = b.count
        var table = [Int32](repeating: 0, count: (n + 1) * (m + 1))
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i * (m + 1) + j] =
                    a[i] == b[j]
                    ? table[(i + 1) * (m + 1) + j + 1] + 1
                    : max(table[(i + 1) * (m + 1) + j], table[i * (m + 1) + j + 1])
            }
        }
        var out: [(kind: Character, a: Int, b: Int)] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                out.append(("=", i, j)); i += 1; j += 1
            } else if j < m, i == n || table[i * (m + 1) + j + 1] >= table[(i + 1) * (m + 1) + j] {
                out.append(("+", i, j)); j += 1
            } else {
                out.append(("-", i, j)); i += 1
            }
        }
        return out
    }

    /// Control characters (other than tab) shown as `\u{1B}`, so a stored diff stays plain text.
    static func escape(_ line: String) -> String {
        guard line.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || (0x7F...0x9F).contains($0.value) }) else { return line }
        var out = ""
        for scalar in line.unicodeScalars {
            if (scalar.value < 0x20 && scalar != "\t") || (0x7F...0x9F).contains(scalar.value) {
                out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    // MARK: Parsing

    /// A strict JSON parser (RFC 8259), nesting at most 512 deep; errors give line and column.
    public static func parseJSON(_ text: String) throws -> JSONValue {
        var parser = JSONParser(bytes: Array(text.utf8))
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.at == parser.bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }
}

struct JSONParser {
    let bytes: [UInt8]
    var at = 0

    func error(_ reason: String) -> DriftCompareError {
        var line = 1
        var column = 1
        for byte in bytes[..<min(at, bytes.count)] {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return .badJSON(line: line, column: column, reason: reason)
    }

    mutating func skipSpace() {
        while at < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[at]) { at += 1 }
    }

    mutating func literal(_ word: String, _ value: JSONValue) throws -> JSONValue {
        let w = Array(word.utf8)
        guard at + w.count <= bytes.count, Array(bytes[at..<(at + w.count)]) == w else { throw error("unexpected character") }
        at += w.count
        return value
    }

    mutating func value(depth: Int) throws -> JSONValue {
        guard depth < 512 else { throw error("nested more than 512 deep") }
        guard at < bytes.count else { throw error("unexpected end of input") }
        switch bytes[at] {
        case UInt8(ascii: "{"):
            at += 1
            var fields: [String: JSONValue] = [:]
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return .object(fields) }
            while true {
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw error("expected a key in double quotes") }
                let key = try string()
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
                at += 1
                skipSpace()
                fields[key] = try value(depth: depth + 1)
                skipSpace()
                guard at < bytes.count else { throw error("unexpected end of input in an object") }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                if bytes[at] == UInt8(ascii: "}") { at += 1; return .object(fields) }
                throw error("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            at += 1
            var items: [JSONValue] = []
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard at < bytes.count else { throw error("unexpected end of input in an array") }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                if bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
                throw error("expected ',' or ']'")
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw error("unexpected character")
        }
    }

    mutating func number() throws -> JSONValue {
        let start = at
        func digits() -> Int { let s = at; while at < bytes.count, (0x30...0x39).contains(bytes[at]) { at += 1 }; return at - s }
        if bytes[at] == UInt8(ascii: "-") { at += 1 }
        let whole = at
        guard digits() > 0 else { throw error("a number needs digits") }
        if bytes[whole] == UInt8(ascii: "0"), at - whole > 1 { throw error("a number may not start with 0") }
        if at < bytes.count, bytes[at] == UInt8(ascii: ".") { at += 1; guard digits() > 0 else { throw error("digits expected after '.'") } }
        if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
            at += 1
            if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard digits() > 0 else { throw error("digits expected in the exponent") }
        }
        return .number(String(decoding: bytes[start..<at], as: UTF8.self))
    }

    mutating func string() throws -> String {
        at += 1  // the opening quote
        var out = [UInt8]()
        while at < bytes.count {
            let byte = bytes[at]
            if byte == UInt8(ascii: "\"") { at += 1; return String(decoding: out, as: UTF8.self) }
            if byte < 0x20 { throw error("a control character inside a string must be escaped") }
            if byte != UInt8(ascii: "\\") { out.append(byte); at += 1; continue }
            at += 1
            guard at < bytes.count else { break }
            let escaped = bytes[at]
            at += 1
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escaped)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800...0xDBFF).contains(code), at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") {
                    at += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw error("a high surrogate must be followed by a low one") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                out += Array(String(Character(scalar)).utf8)
            default: throw error("unknown escape")
            }
        }
        throw error("a string is not closed")
    }

    mutating func hex4() throws -> UInt32 {
        guard at + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[at..<(at + 4)], as: UTF8.self), radix: 16) else {
            throw error("\\u needs four hex digits")
        }
        at += 4
        return code
    }
}
