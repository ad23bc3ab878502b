import AssureStore
import Foundation
import GRDB

/// PostgreSQL's COPY text format for rows read from a workspace file: values separated by
/// tabs, rows ended by a newline, `\N` for NULL, backslash escapes for the backslash, tab,
/// newline and carriage return, and bytes as `\\x` and hex digits.
struct CopyText {
    private(set) var bytes: [UInt8] = []
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// One row: `values` in the table's column order.
    mutating func appendRow(_ values: [DatabaseValue], shape: TableShape, rowKey: () -> String) throws {
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(0x09) }
            let column = shape.columns[index]
            try append(value, declared: column.declaredType) { "\(shape.name).\(column.name) of the row \(rowKey())" }
        }
        bytes.append(0x0A)
    }

    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    /// A value as its column's server type takes it. A value whose kind the column cannot hold
    /// (text in an INTEGER column, a NUL in text) is refused, naming the column and the row.
    private mutating func append(_ value: DatabaseValue, declared: String, place: () -> String) throws {
        switch (value.storage, declared) {
        case (.null, _):
            bytes.append(contentsOf: Array("\\N".utf8))
        case (.int64(let number), "INTEGER"), (.int64(let number), "REAL"):
            bytes.append(contentsOf: String(number).utf8)
        case (.double(let number), "REAL"):
            bytes.append(contentsOf: CopyText.real(number).utf8)
        case (.string(let text), "TEXT"):
            try appendEscaped(Array(text.utf8), place: place)
        case (.int64(let number), "TEXT"):
            bytes.append(contentsOf: String(number).utf8)
        case (.blob(let data), "BLOB"):
            bytes.append(contentsOf: Array("\\\\x".utf8))
            for byte in data {
                bytes.append(CopyText.hexDigits[Int(byte >> 4)])
                bytes.append(CopyText.hexDigits[Int(byte & 0x0F)])
            }
        default:
            throw ServerError.refused("\(place()) holds \(CopyText.kind(value)) where \(declared) is declared; nothing was written to the server")
        }
    }

    private mutating func appendEscaped(_ text: [UInt8], place: () -> String) throws {
        for byte in text {
            switch byte {
            case 0x00: throw ServerError.refused("\(place()) holds a NUL character, which PostgreSQL text cannot; nothing was written to the server")
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
            case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
            default: bytes.append(byte)
            }
        }
    }

    /// A double as PostgreSQL reads it back to the same bits: Swift's shortest exact digits,
    /// with PostgreSQL's names for the values that are not numbers.
    static func real(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
        return "\(number)"
    }

    private static func kind(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: "NULL"
        case .int64: "an integer"
        case .double: "a real number"
        case .string: "text"
        case .blob: "bytes"
        }
    }
}
