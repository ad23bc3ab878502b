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
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.map(String.init).joined(separator: "-")
    }
}
