import Crypto
import Foundation
import GRDB

/// Why a signature was refused, or why a signing key could not be used. `description` is the
/// message shown to the user; it names the file involved.
public enum SigningError: Error, CustomStringConvertible, Equatable {
    case keyFile(path: String, problem: String)
    case malformed(signatureFile: String, problem: String)
    case fileChanged(file: String, actual: String, signed: String)
    case forged(signatureFile: String)
    case unknownSigner(signatureFile: String, name: String, key: String)
    case wrongSigner(signatureFile: String, claimed: String, recorded: String)
    case foreignAnchor(signatureFile: String, anchor: ChainAnchor, rows: Int)

    public var description: String {
        switch self {
        case .keyFile(let path, let problem):
            return "signing key \(path): \(problem)"
        case .malformed(let file, let problem):
            return "\(file): not an assure signature (\(problem))"
        case .fileChanged(let file, let actual, let signed):
            return "\(file) has changed since it was signed: its SHA-256 is \(actual), the signature is for \(signed)"
        case .forged(let file):
            return "\(file): the signature does not match its contents: the .sig file was altered or forged"
        case .unknownSigner(let file, let name, let key):
            return "\(file): unknown signer: the key that signed it (\(name), \(key)) is not recorded in this workspace"
        case .wrongSigner(let file, let claimed, let recorded):
            return "\(file): it names \(claimed) as the signer, but its key is recorded for \(recorded)"
        case .foreignAnchor(let file, let anchor, let rows):
            return "\(file): its anchor (\(anchor.rows) rows, head \(anchor.head)) is not in this workspace's change log (\(rows) rows): "
                + "the rows it names were altered or deleted, or it was signed from another workspace"
        }
    }
}

/// Lowercase hex of bytes, and back.
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out = [UInt8]()
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.lowercased().utf8)
        guard chars.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            default: return nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let high = value(chars[i]), let low = value(chars[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }
}

/// One person's Ed25519 signing key, read from (or first written to) their own config folder.
public struct SigningIdentity {
    /// The actor name the key signs as.
    public let name: String
    public let keyPath: String
    public let privateKey: Curve25519.Signing.PrivateKey
    /// True when this call created the key file.
    public let created: Bool
    public var publicKeyHex: String { Hex.encode(privateKey.publicKey.rawRepresentation) }
}

/// Where signing keys live: `$XDG_CONFIG_HOME/assure/keys/NAME.ed25519`, else
/// `~/.config/assure/keys/NAME.ed25519`; never in or beside a workspace. The folder is 0700
/// and each key file 0600, holding the 32-byte private key as 64 hex digits.
public enum SigningKeys {
    /// The actor name made safe as a file name: letters, digits, `.`, `_` and `-` are kept,
    /// anything else becomes `_`; no leading dot (no hidden files, no `..`).
    public static func fileName(for name: String) -> String {
        var safe = String(
            name.unicodeScalars.map { scalar -> Character in
                scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar))
                    ? Character(scalar) : "_"
            })
        while safe.hasPrefix(".") { safe = "_" + safe.dropFirst() }
        if safe.isEmpty { safe = "_" }
        return String(safe.prefix(200)) + ".ed25519"
    }

    /// The keys folder for this environment.
    public static func folder(environment: [String: String]) -> String {
        let base =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) + "/.config")
        return base + "/assure/keys"
    }

    public static func path(for name: String, environment: [String: String]) -> String {
        folder(environment: environment) + "/" + fileName(for: name)
    }

    /// Reads `name`'s key, creating it (and its folder) on first use. `workspacePath`, when
    /// given, is checked: a key folder that is the workspace's own folder is refused.
    public static func loadOrCreate(name: String, environment: [String: String], workspacePath: String? = nil) throws -> SigningIdentity {
        let folder = folder(environment: environment)
        let path = path(for: name, environment: environment)
        if let workspacePath {
            let workspaceFolder = URL(fileURLWithPath: workspacePath).resolvingSymlinksInPath().deletingLastPathComponent().path
            if URL(fileURLWithPath: folder).resolvingSymlinksInPath().path == workspaceFolder {
                throw SigningError.keyFile(path: path, problem: "the keys folder is the workspace's own folder; set XDG_CONFIG_HOME elsewhere")
            }
        }
        try makePrivateFolder(folder, path: path)
        if let key = try read(path) { return SigningIdentity(name: name, keyPath: path, privateKey: key, created: false) }
        let key = Curve25519.Signing.PrivateKey()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600)
        if fd < 0 {
            let error = errno
            // Another process created it meanwhile: use theirs.
            if error == EEXIST, let key = try read(path) { return SigningIdentity(name: name, keyPath: path, privateKey: key, created: false) }
            throw SigningError.keyFile(path: path, problem: "cannot create it (\(String(cString: strerror(error))))")
        }
        defer { close(fd) }
        fchmod(fd, 0o600)
        let bytes = Array((Hex.encode(key.rawRepresentation) + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            unlink(path)
            throw SigningError.keyFile(path: path, problem: "cannot write it")
        }
        return SigningIdentity(name: name, keyPath: path, privateKey: key, created: true)
    }

    /// Creates the folder and any missing parents; the keys folder itself is made 0700.
    private static func makePrivateFolder(_ folder: String, path: String) throws {
        var current = folder.hasPrefix("/") ? "" : "."
        for component in folder.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o700) != 0 && errno != EEXIST {
                throw SigningError.keyFile(path: path, problem: "cannot create \(current) (\(String(cString: strerror(errno))))")
            }
        }
        var info = stat()
        guard stat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw SigningError.keyFile(path: path, problem: "\(folder) is not a folder")
        }
        if info.st_mode & 0o077 != 0 && chmod(folder, 0o700) != 0 {
            throw SigningError.keyFile(path: path, problem: "\(folder) is open to others and cannot be made private (chmod 700 it)")
        }
    }

    /// The key at `path`, or nil when there is no file. A key others can read is refused.
    private static func read(_ path: String) throws -> Curve25519.Signing.PrivateKey? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw SigningError.keyFile(path: path, problem: "not a regular file") }
        guard info.st_mode & 0o077 == 0 else {
            throw SigningError.keyFile(
                path: path, problem: String(format: "others can read it (mode %04o); run chmod 600 on it", info.st_mode & 0o777))
        }
        guard let data = FileManager.default.contents(atPath: path),
            let bytes = Hex.decode(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
            bytes.count == 32,
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes)
        else { throw SigningError.keyFile(path: path, problem: "not an assure signing key (64 hexadecimal digits)") }
        return key
    }
}

/// A detached signature (`FILE.sig`): who signed, the file's SHA-256, the change-log anchor the
/// file was read at, and an Ed25519 signature over exactly those lines.
///
///     assure signature 1
///     signer: Dana Kim
///     key: 3b6a27bc…                      (the Ed25519 public key, 64 hex digits)
///     sha256: 9f86d081…
///     change-log: 232 rows, head 4e07408…
///     signed-at: 2026-11-20T09:00:00Z
///     signature: BASE64
public struct ExportSignature: Equatable, Sendable {
    public static let header = "assure signature 1"

    public var signer: String
    public var publicKey: String
    public var sha256: String
    public var anchor: ChainAnchor
    public var signedAt: String
    public var signature: Data

    /// The signed lines, each ending in a line feed.
    public var payload: Data {
        Data(
            """
            \(Self.header)
            signer: \(signer)
            key: \(publicKey)
            sha256: \(sha256)
            change-log: \(anchor.rows) rows, head \(anchor.head)
            signed-at: \(signedAt)

            """.utf8)
    }

    /// The whole `.sig` file.
    public var text: String {
        String(decoding: payload, as: UTF8.self) + "signature: \(signature.base64EncodedString())\n"
    }

    public static func digest(_ data: Data) -> String { Hex.encode(SHA256.hash(data: data)) }

    /// Signs `data` as read at `anchor`.
    public static func sign(_ data: Data, anchor: ChainAnchor, by identity: SigningIdentity, at date: Date) throws -> ExportSignature {
        try sign(sha256: digest(data), anchor: anchor, by: identity, at: date)
    }

    /// Signs a file by its SHA-256 (hex), computed while it was written: a large evidence
    /// package is never read back whole to be signed.
    public static func sign(sha256: String, anchor: ChainAnchor, by identity: SigningIdentity, at date: Date) throws -> ExportSignature {
        var result = ExportSignature(
            signer: identity.name, publicKey: identity.publicKeyHex, sha256: sha256,
            anchor: anchor, signedAt: Timestamps.iso(date), signature: Data())
        result.signature = try identity.privateKey.signature(for: result.payload)
        return result
    }

    /// Reads a `.sig` file's text; `file` names it in the error.
    public static func parse(_ text: String, file: String) throws -> ExportSignature {
        func fail(_ problem: String) -> SigningError { .malformed(signatureFile: file, problem: problem) }
        var lines = text.components(separatedBy: "\n")
        guard lines.last == "" else { throw fail("it does not end with a line feed") }
        lines.removeLast()
        let keys = ["signer", "key", "sha256", "change-log", "signed-at", "signature"]
        guard lines.first == header else { throw fail("the first line is not \"\(header)\"") }
        guard lines.count == keys.count + 1 else { throw fail("expected \(keys.count + 1) lines, found \(lines.count)") }
        var values: [String] = []
        for (key, line) in zip(keys, lines.dropFirst()) {
            guard line.hasPrefix(key + ": ") else { throw fail("expected a \"\(key):\" line, found \"\(line.prefix(40))\"") }
            values.append(String(line.dropFirst(key.count + 2)))
        }
        let hex64 = { (s: String) in s.utf8.count == 64 && Hex.decode(s) != nil && s == s.lowercased() }
        guard !values[0].isEmpty, !values[0].unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw fail("the signer line is empty or holds control characters")
        }
        guard hex64(values[1]) else { throw fail("the key is not 64 hexadecimal digits") }
        guard hex64(values[2]) else { throw fail("the sha256 is not 64 hexadecimal digits") }
        guard let match = values[3].wholeMatch(of: #/(\d{1,18}) rows, head ([0-9a-f]{64})/#), let rows = Int(match.1) else {
            throw fail("the change-log line is not \"N rows, head HASH\"")
        }
        guard let signature = Data(base64Encoded: values[5]), signature.count == 64 else {
            throw fail("the signature is not 64 bytes of base64")
        }
        return ExportSignature(
            signer: values[0], publicKey: values[1], sha256: values[2],
            anchor: ChainAnchor(rows: rows, head: String(match.2)), signedAt: values[4], signature: signature)
    }
}

/// What a verified signature vouches for.
public struct SignatureCheck: Equatable, Sendable {
    public var signer: Signer
    public var signature: ExportSignature
}

extension WorkspaceReader {
    /// Checks a signature of `data` against this workspace: the file's SHA-256, the Ed25519
    /// signature, that its key is recorded here for the signer it names, and that its anchor
    /// is a row of this change log. `file` and `signatureFile` name them in errors.
    public func verify(_ signature: ExportSignature, of data: Data, file: String, signatureFile: String) throws -> SignatureCheck {
        try verify(signature, sha256: ExportSignature.digest(data), file: file, signatureFile: signatureFile)
    }

    /// As `verify(_:of:...)`, given the file's SHA-256 (hex), hashed by streaming.
    public func verify(_ signature: ExportSignature, sha256 actual: String, file: String, signatureFile: String) throws -> SignatureCheck {
        guard actual == signature.sha256 else { throw SigningError.fileChanged(file: file, actual: actual, signed: signature.sha256) }
        guard let key = Hex.decode(signature.publicKey).flatMap({ try? Curve25519.Signing.PublicKey(rawRepresentation: $0) }),
            key.isValidSignature(signature.signature, for: signature.payload)
        else { throw SigningError.forged(signatureFile: signatureFile) }
        guard let signer = try self.signer(publicKey: signature.publicKey) else {
            throw SigningError.unknownSigner(signatureFile: signatureFile, name: signature.signer, key: signature.publicKey)
        }
        guard signer.name == signature.signer else {
            throw SigningError.wrongSigner(signatureFile: signatureFile, claimed: signature.signer, recorded: signer.name)
        }
        let head =
            signature.anchor.rows == 0
            ? ChangeRecorder.genesisHash
            : try String.fetchOne(db, sql: "SELECT hash FROM change_log WHERE id = ?", arguments: [signature.anchor.rows])
        guard head == signature.anchor.head else {
            throw SigningError.foreignAnchor(signatureFile: signatureFile, anchor: signature.anchor, rows: try chainAnchor().rows)
        }
        return SignatureCheck(signer: signer, signature: signature)
    }
}
