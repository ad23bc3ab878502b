import Foundation

/// Writes the JSON tree the OSCAL exports build (dictionaries, arrays, strings, numbers,
/// booleans) with keys sorted by code point (as RFC 8785) and two-space indentation: the layout
/// `JSONSerialization` gives with `.prettyPrinted, .sortedKeys, .withoutEscapingSlashes`, whose
/// collation agrees for OSCAL's keys (a test holds them equal). Foundation's writer sorted keys
/// through `AnyHashable` and spent half of a large SSP export doing it.
enum CanonicalJSON {
    static func encode(_ value: Any) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        write(value, into: &out, indent: 0)
        return String(decoding: out, as: UTF8.self)
    }

    private static func write(_ value: Any, into out: inout [UInt8], indent: Int) {
        switch value {
        case let text as String: string(text, into: &out)
        case let object as [String: Any]:
            guard !object.isEmpty else { out += Array("{\n\n".utf8); pad(indent, &out); out.append(UInt8(ascii: "}")); return }
            out += Array("{\n".utf8)
            for (i, key) in object.keys.sorted().enumerated() {
                if i > 0 { out += Array(",\n".utf8) }
                pad(indent + 2, &out)
                string(key, into: &out)
                out += Array(" : ".utf8)
                write(object[key]!, into: &out, indent: indent + 2)
            }
            out.append(UInt8(ascii: "\n")); pad(indent, &out); out.append(UInt8(ascii: "}"))
        case let array as [Any]:
            guard !array.isEmpty else { out += Array("[\n\n".utf8); pad(indent, &out); out.append(UInt8(ascii: "]")); return }
            out += Array("[\n".utf8)
            for (i, element) in array.enumerated() {
                if i > 0 { out += Array(",\n".utf8) }
                pad(indent + 2, &out)
                write(element, into: &out, indent: indent + 2)
            }
            out.append(UInt8(ascii: "\n")); pad(indent, &out); out.append(UInt8(ascii: "]"))
        case let flag as Bool: out += Array((flag ? "true" : "false").utf8)
        case let number as Int: out += Array(String(number).utf8)
        default: out += Array("\(value)".utf8)
        }
    }

    private static func pad(_ count: Int, _ out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count))
    }

    private static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [0x5C, 0x22]
            case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x08: out += [0x5C, UInt8(ascii: "b")]
            case 0x0C: out += [0x5C, UInt8(ascii: "f")]
            case 0..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8); out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
