import Crypto
import Foundation

/// Name-based UUIDs (RFC 9562 version 5, SHA-1): the same key always gives the same UUID, so an
/// OSCAL export of the same workspace is the same bytes every time.
enum StableUUID {
    /// assure's own namespace for OSCAL exports (itself a v5 UUID of "assure.oscal" in the URL namespace).
    static let namespace: [UInt8] = [0x8b, 0x2e, 0x4a, 0x51, 0x93, 0x0c, 0x5d, 0x6e, 0xa1, 0x47, 0x2f, 0x30, 0xc9, 0x1d, 0x7a, 0x64]

    static func make(_ key: String) -> String {
        var hasher = Insecure.SHA1()
        hasher.update(data: namespace)
        hasher.update(data: Array(key.utf8))
        var bytes = Array(hasher.finalize().prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50  // version 5
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC variant
        // Spelled out by hand: String(format:) per byte was a fifth of a large SSP export.
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (i, byte) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)]); text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
