import AssureModel
import Foundation

/// A value in a tabular listing: rendered as text in tables, CSV and Markdown, and typed in JSON.
public enum Value: Equatable, Sendable {
    case text(String?)
    case int(Int)
    case bool(Bool)
    case list([String])
    case number(Double)

    /// The value as table/CSV text: lists joined with spaces, nil as empty.
    public var plain: String {
        switch self {
        case .text(let s): return s ?? ""
        case .int(let i): return String(i)
        case .bool(let b): return b ? "yes" : "no"
        case .list(let items): return items.joined(separator: " ")
        case .number(let d): return FixedPoint.format(d, digits: 2)
        }
    }
}

/// Rows with named columns. `key` is the stable JSON field name scripts rely on; `header` is
/// what people read in tables and CSV.
public struct Table: Sendable {
    public struct Column: Sendable {
        public var key: String
        public var header: String
        public var alignRight: Bool
        public init(_ key: String, _ header: String, alignRight: Bool = false) {
            self.key = key; self.header = header; self.alignRight = alignRight
        }
    }
    public var columns: [Column]
    public var rows: [[Value]]
    public init(columns: [Column], rows: [[Value]]) { self.columns = columns; self.rows = rows }

    /// RFC 4180 CSV with CRLF line ends; cells that a spreadsheet would run as a formula are
    /// prefixed with an apostrophe so they show as text.
    public func csv() -> String {
        var out = Table.csvHeader(columns)
        for row in rows { out += Table.csvLine(row) }
        return out
    }

    public func json() -> String {
        var out = ""
        for (index, row) in rows.enumerated() { out += Table.jsonRow(columns, row, first: index == 0) }
        return out + Table.jsonEnd(empty: rows.isEmpty)
    }

    // One row at a time, so a listing too long to hold (a million change-log rows) can be
    // written as it is read, in exactly the bytes `csv()` and `json()` make.

    /// The CSV header line.
    public static func csvHeader(_ columns: [Column]) -> String {
        columns.map { CSV.field($0.header) }.joined(separator: ",") + "\r\n"
    }

    /// One CSV record, with its line end.
    public static func csvLine(_ row: [Value]) -> String {
        var out = ""
        for (index, value) in row.enumerated() {
            if index > 0 { out += "," }
            out += CSV.field(value.plain)
        }
        return out + "\r\n"
    }

    /// One JSON object of the array, with what goes before it (the array's opening, or the
    /// comma ending the object before).
    public static func jsonRow(_ columns: [Column], _ row: [Value], first: Bool) -> String {
        let fields = zip(columns, row).map { column, value in "    \(JSON.string(column.key)): \(JSON.value(value))" }
        return (first ? "[\n" : ",\n") + "  {\n" + fields.joined(separator: ",\n") + "\n  }"
    }

    /// What closes the array: `[]` when no row was written.
    public static func jsonEnd(empty: Bool) -> String { empty ? "[]\n" : "\n]\n" }

    public func markdown() -> String {
        var out = "| " + columns.map { Markdown.cell($0.header) }.joined(separator: " | ") + " |\n"
        out += "|" + columns.map { $0.alignRight ? " ---: |" : " --- |" }.joined() + "\n"
        for row in rows { out += "| " + row.map { Markdown.cell($0.plain) }.joined(separator: " | ") + " |\n" }
        return out
    }
}

/// Workspace text placed into Markdown (reports, exports, minutes) as plain text.
public enum Markdown {
    /// Running text (a heading, a list item, a paragraph): a line break of any kind (CR LF, a
    /// lone CR or LF) becomes one space, so a value cannot end its line or start a block; `\`
    /// is escaped, and `&`, `<` and `>` are written as entities, so a title never becomes raw
    /// HTML (or an entity) in the rendered page.
    public static func text(_ raw: String) -> String {
        var out = String.UnicodeScalarView()
        var afterCR = false
        for scalar in raw.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            switch scalar {
            case "\r": out.append(" ")
            case "\n": if !afterCR { out.append(" ") }
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// A table cell: running text with `|` escaped too, so the value stays in its cell.
    public static func cell(_ raw: String) -> String {
        text(raw).replacingOccurrences(of: "|", with: "\\|")
    }
}

public enum CSV {
    /// Quotes a field when needed (RFC 4180) and neutralises formula injection: a cell that
    /// begins with =, +, -, @, tab or carriage return gets a leading apostrophe.
    public static func field(_ raw: String) -> String {
        var text = raw
        // The first byte is the first scalar when it is ASCII, and every trigger is ASCII.
        if let first = text.utf8.first, first == 0x3D || first == 0x2B || first == 0x2D || first == 0x40 || first == 0x09 || first == 0x0D {
            // Plain negative numbers stay numbers; anything else starting with '-' is neutralised.
            if !(first == 0x2D && Double(text) != nil) { text = "'" + text }
        }
        if needsQuotes(text) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    /// A comma, a quote or a line break (CR, LF or CR LF) as a character of its own. In ASCII
    /// text every byte is its own character but CR LF, so the bytes answer; other text asks
    /// character by character (a combining mark after a comma makes a different character).
    static func needsQuotes(_ text: String) -> Bool {
        var found = false
        var ascii = true
        for byte in text.utf8 {
            if byte >= 0x80 { ascii = false }
            if byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D { found = true }
        }
        // No such byte: no such character. Such a byte in text that is not all ASCII: a mark
        // may follow and join a comma or a quote, so the characters decide.
        guard found && !ascii else { return found }
        return text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
    }

    /// Parses RFC 4180 text into records (used by imports and by tests of the round trip).
    public static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var inQuotes = false
        var iterator = Array(text.unicodeScalars)[...]
        while let c = iterator.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if iterator.first == "\"" { field.unicodeScalars.append("\""); iterator.removeFirst() } else { inQuotes = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                inQuotes = true
            } else if c == "," {
                record.append(field); field = ""
            } else if c == "\r" || c == "\n" {
                if c == "\r" && iterator.first == "\n" { iterator.removeFirst() }
                record.append(field); field = ""
                records.append(record); record = []
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }
}

package enum JSON {
    package static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    static func value(_ v: Value) -> String {
        switch v {
        case .text(let s): return s.map(string) ?? "null"
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .list(let items): return "[" + items.map(string).joined(separator: ", ") + "]"
        case .number(let d): return FixedPoint.format(d, digits: 2)
        }
    }
}
