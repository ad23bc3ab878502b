import AssureStore
import Foundation
import GRDB

/// One row a write changed, as the server and every other copy apply it. An insert carries
/// every column in `new`; a delete every column in `old`; an update the key and the changed
/// columns' values before (`old`) and the changed columns' values after (`new`).
package struct RowChange: Equatable, Sendable {
    package enum Operation: String, Sendable { case insert, update, delete }

    package var table: String
    package var operation: Operation
    package var old: [String: DatabaseValue]
    package var new: [String: DatabaseValue]
}

/// A batch of row changes as JSON: `[{"t": table, "op": "insert", "old": {...}, "new": {...}}]`.
/// Integers and reals are JSON numbers (a real always with a point or an exponent, the
/// non-finite ones as strings PostgreSQL reads), text is a JSON string, bytes are a string in
/// PostgreSQL's `\x` hex form, which `jsonb_populate_record` reads straight into `bytea`.
enum RowChangeJSON {
    private static let hexDigits = Array("0123456789abcdef".utf8)
    static func encode(_ changes: [RowChange]) -> String {
        var out = "["
        for (index, change) in changes.enumerated() {
            if index > 0 { out += "," }
            out += "{\"t\":"
            string(change.table, into: &out)
            out += ",\"op\":\"\(change.operation.rawValue)\",\"old\":"
            object(change.old, into: &out)
            out += ",\"new\":"
            object(change.new, into: &out)
            out += "}"
        }
        return out + "]"
    }

    private static func object(_ values: [String: DatabaseValue], into out: inout String) {
        out += "{"
        for (index, (key, value)) in values.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { out += "," }
            string(key, into: &out)
            out += ":"
            switch value.storage {
            case .null: out += "null"
            case .int64(let number): out += String(number)
            case .double(let number):
                if number.isFinite {
                    let text = "\(number)"
                    out += text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) ? text : text + ".0"
                } else {
                    out += number.isNaN ? "\"NaN\"" : (number < 0 ? "\"-Infinity\"" : "\"Infinity\"")
                }
            case .string(let text): string(text, into: &out)
            case .blob(let data):
                var hex: [UInt8] = Array("\"\\\\x".utf8)
                hex.reserveCapacity(data.count * 2 + 5)
                for byte in data {
                    hex.append(hexDigits[Int(byte >> 4)])
                    hex.append(hexDigits[Int(byte & 0x0F)])
                }
                hex.append(UInt8(ascii: "\""))
                out += String(decoding: hex, as: UTF8.self)
            }
        }
        out += "}"
    }

    private static func string(_ text: String, into out: inout String) { out += JSON.string(text) }

    /// Reads a batch back, each value typed by its column's declared type.
    static func decode(_ json: String, shapes: [String: TableShape]) throws -> [RowChange] {
        guard let items = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] else {
            throw ServerError.server("a change batch from the server is not a JSON array of changes")
        }
        return try items.map { item in
            guard let table = item["t"] as? String, let shape = shapes[table], let opText = item["op"] as? String,
                let operation = RowChange.Operation(rawValue: opText)
            else { throw ServerError.server("a change from the server names an unknown table or operation: \(item["t"] ?? "?")") }
            let types = Dictionary(uniqueKeysWithValues: shape.columns.map { ($0.name, $0.declaredType) })
            func values(_ key: String) throws -> [String: DatabaseValue] {
                var result: [String: DatabaseValue] = [:]
                for (column, raw) in item[key] as? [String: Any] ?? [:] {
                    guard let declared = types[column] else { throw ServerError.server("\(table) has no column \(column)") }
                    result[column] = try value(raw, declared: declared, place: "\(table).\(column)")
                }
                return result
            }
            return RowChange(table: table, operation: operation, old: try values("old"), new: try values("new"))
        }
    }

    private static func value(_ raw: Any, declared: String, place: String) throws -> DatabaseValue {
        switch raw {
        case is NSNull: return .null
        case let text as String:
            if declared == "BLOB", text.hasPrefix("\\x") { return Data(hex: text.dropFirst(2)).databaseValue }
            if declared == "REAL", let number = Double(text) { return number.databaseValue }
            return text.databaseValue
        case let number as NSNumber:
            if declared == "REAL" { return number.doubleValue.databaseValue }
            let text = number.stringValue
            if let integer = Int64(text) { return integer.databaseValue }
            return number.doubleValue.databaseValue
        default:
            throw ServerError.server("\(place): a value of an unexpected kind in a change from the server")
        }
    }
}

extension Data {
    /// Bytes from hex digits (pairs; anything else ends the reading).
    init(hex: Substring) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for character in hex.utf8 {
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
            default: self.init(bytes); return
            }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        self.init(bytes)
    }
}
