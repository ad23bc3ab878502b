import Crypto
import Foundation
import ZIPFoundation

/// One stored evidence file, as the store holds it. The bytes are pulled chunk by chunk while
/// the package is written, so a large file is never held whole.
public struct PackageFile: Sendable {
    /// Gives the next chunk of the bytes (any size), or nil (or empty) at the end.
    public typealias NextChunk = () throws -> Data?

    /// SHA-256 of the bytes, in hex, as recorded when the file was added.
    public var sha256: String
    /// The file name as it was added (shown to auditors; sanitised inside the ZIP).
    public var name: String
    public var size: Int64
    /// Starts one pass over the bytes. Pulled, not pushed: ZIPFoundation asks for each chunk,
    /// and a pull keeps every read on the caller's thread (a database read stays in its transaction).
    public var open: @Sendable () throws -> NextChunk

    public init(sha256: String, name: String, size: Int64, open: @escaping @Sendable () throws -> NextChunk) {
        self.sha256 = sha256; self.name = name; self.size = size; self.open = open
    }

    /// A file on disk, read in 64 KiB chunks.
    public init(sha256: String, name: String, size: Int64, contentsOf url: URL) {
        self.init(sha256: sha256, name: name, size: size) {
            let handle = try FileHandle(forReadingFrom: url)  // closed when the last chunk reader goes
            return { try handle.read(upToCount: 1 << 16) }
        }
    }
}

/// One evidence item (one version of it) and the file it carries.
public struct PackageEvidence: Sendable {
    /// "EV-3"
    public var id: String
    public var version: Int
    public var control: String
    public var controlTitle: String
    /// Qualified requirement references, "soc2:CC6.1".
    public var requirements: [String]
    /// The auditor's request references it answers, "PBC-4".
    public var requests: [String]
    public var provedFrom: String
    public var provedTo: String
    public var addedAt: String
    public var addedBy: String
    /// accepted, rejected or pending.
    public var review: String
    public var file: PackageFile

    public init(
        id: String, version: Int, control: String, controlTitle: String, requirements: [String], requests: [String],
        provedFrom: String, provedTo: String, addedAt: String, addedBy: String, review: String, file: PackageFile
    ) {
        self.id = id; self.version = version; self.control = control; self.controlTitle = controlTitle
        self.requirements = requirements; self.requests = requests; self.provedFrom = provedFrom; self.provedTo = provedTo
        self.addedAt = addedAt; self.addedBy = addedBy; self.review = review; self.file = file
    }
}

/// An auditor's request ("PBC-4: the access review for Q2") and where it stands.
public struct PackageRequest: Sendable {
    public var ref: String
    public var text: String
    public var state: String
    public init(ref: String, text: String, state: String) { self.ref = ref; self.text = text; self.state = state }
}

/// Everything a package holds, as plain values read from the workspace in one transaction.
public struct PackageContents: Sendable {
    public var company: String
    public var window: (from: String, to: String)?
    public var framework: String?
    public var chainHead: String
    public var chainCount: Int
    /// From the change log, never the clock: the same workspace gives the same package.
    public var createdAt: String
    public var evidence: [PackageEvidence]
    public var requests: [PackageRequest]
    /// "soc2:CC6.1" → its title, for display only.
    public var requirementTitles: [String: String]

    public init(
        company: String, window: (from: String, to: String)?, framework: String?, chainHead: String, chainCount: Int,
        createdAt: String, evidence: [PackageEvidence], requests: [PackageRequest] = [], requirementTitles: [String: String] = [:]
    ) {
        self.company = company; self.window = window; self.framework = framework; self.chainHead = chainHead
        self.chainCount = chainCount; self.createdAt = createdAt; self.evidence = evidence; self.requests = requests
        self.requirementTitles = requirementTitles
    }
}

/// What was written.
public struct PackageSummary: Equatable, Sendable {
    /// Distinct files stored (shared bytes count once).
    public var files: Int
    public var evidence: Int
    /// The evidence bytes before compression.
    public var bytes: Int64
    /// SHA-256 of the whole ZIP, for the sender to quote to the auditor.
    public var sha256: String
}

public enum EvidencePackageError: Error, CustomStringConvertible, Equatable {
    case invalidHash(evidence: String, name: String, value: String)
    case inconsistent(String)
    /// The stored bytes do not hash to what was recorded: the store may be damaged.
    case damaged(evidence: [String], name: String, recorded: String, actual: String)
    case wrongSize(evidence: [String], name: String, recorded: Int64, actual: String)
    case unreadable(evidence: [String], name: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case notAPackage(path: String, reason: String)
    case noManifest(path: String)
    case badManifest(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidHash(let evidence, let name, let value):
            return "\(evidence) (\(name)): '\(value)' is not a SHA-256 in hex"
        case .inconsistent(let message):
            return message
        case .damaged(let evidence, let name, let recorded, let actual):
            return
                "\(evidence.joined(separator: ", ")) (\(name)): the stored bytes hash to \(actual), not \(recorded) as recorded; the evidence store may be damaged; no package was written"
        case .wrongSize(let evidence, let name, let recorded, let actual):
            return
                "\(evidence.joined(separator: ", ")) (\(name)): the stored file has \(actual) bytes, not \(recorded) as recorded; the evidence store may be damaged; no package was written"
        case .unreadable(let evidence, let name, let reason):
            return "\(evidence.joined(separator: ", ")) (\(name)): cannot read the stored file: \(reason); no package was written"
        case .cannotWrite(let path, let reason):
            return "\(path): cannot write the package: \(reason)"
        case .notAPackage(let path, let reason):
            return "\(path): not an evidence package (\(reason))"
        case .noManifest(let path):
            return "\(path): a ZIP, but not an evidence package: it has no manifest.json"
        case .badManifest(let path, let reason):
            return "\(path): manifest.json is unreadable: \(reason)"
        }
    }
}

/// `assure package`: a deterministic ZIP for auditors. manifest.json and index.html first
/// (deflated), then each distinct file once under `evidence/<2 hex>/<sha256>-<name>`, stored as
/// it is: evidence is mostly exports, PDFs and images that are compressed already, and deflating
/// them made the package five times slower than writing the same bytes to disk. Every entry is
/// dated 1980-01-01 00:00 (the DOS epoch) and 0644, so the same contents give the same bytes.
public enum EvidencePackage {
    public static let format = "assure-evidence-package/1"
    static let manifestPath = "manifest.json"
    static let indexPath = "index.html"
    static let chunkSize = 1 << 16
    /// 1980-01-01T00:00:00Z, the earliest DOS date: no clock, no time zone in the bytes.
    static let entryDate = Date(timeIntervalSince1970: 315_532_800)
    static let permissions: UInt16 = 0o644

    public static func write(_ contents: PackageContents, to url: URL) throws -> PackageSummary {
        let layout = try PackageLayout(contents)
        let index = Data(EvidencePackageIndex.html(contents, layout).utf8)
        let manifest = Data(manifestJSON(contents, layout, index: index).utf8)
        // Written beside the target and renamed at the end, so a refusal leaves no half package.
        let partial = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
        try? FileManager.default.removeItem(at: partial)
        do {
            try writeArchive(at: partial, manifest: manifest, index: index, layout: layout)
            guard rename(partial.path, url.path) == 0 else {
                throw EvidencePackageError.cannotWrite(path: url.path, reason: String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            if error is EvidencePackageError { throw error }
            throw EvidencePackageError.cannotWrite(path: url.path, reason: "\(error)")
        }
        return PackageSummary(
            files: layout.files.count, evidence: layout.evidence.count,
            bytes: layout.files.map(\.size).reduce(0, +), sha256: try sha256(of: url))
    }

    /// The archive lives only in this function, so it is closed before the rename.
    private static func writeArchive(at url: URL, manifest: Data, index: Data, layout: PackageLayout) throws {
        let archive = try Archive(url: url, accessMode: .create)
        for (path, data) in [(manifestPath, manifest), (indexPath, index)] {
            try add(path, size: Int64(data.count), compressed: true, to: archive) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        for file in layout.files { try stream(file, into: archive) }
    }

    private static func add(_ path: String, size: Int64, compressed: Bool, to archive: Archive, provider: Provider) throws {
        try archive.addEntry(
            with: path, type: .file, uncompressedSize: size, modificationDate: entryDate, permissions: permissions,
            compressionMethod: compressed ? .deflate : .none, bufferSize: chunkSize, provider: provider)
    }

    /// Copies one file from the store into the archive, hashing as it goes, and refuses it when
    /// its size or hash is not the recorded one.
    private static func stream(_ file: PackageLayout.File, into archive: Archive) throws {
        // A store that cannot be read is named with the evidence, not blamed on the package.
        func reading<T>(_ body: () throws -> T) throws -> T {
            do { return try body() } catch {
                throw EvidencePackageError.unreadable(evidence: file.evidence, name: file.name, reason: "\(error)")
            }
        }
        let source = try reading { try file.source.open() }
        let next = { try reading { try source() } }
        var hasher = SHA256()
        var pending = Data()
        var offset = 0  // how much of `pending` was handed out: a read index, not a copy per call
        var taken: Int64 = 0
        var ended = false
        // The store's chunks come in any size; ZIPFoundation wants exactly `size` bytes each call.
        func take(_ size: Int) throws -> Data {
            if pending.count - offset < size && offset > 0 {
                pending = pending.subdata(in: offset..<pending.count)
                offset = 0
            }
            while pending.count - offset < size && !ended {
                if let chunk = try next(), !chunk.isEmpty { pending.append(chunk) } else { ended = true }
            }
            guard pending.count - offset >= size else {
                throw EvidencePackageError.wrongSize(
                    evidence: file.evidence, name: file.name, recorded: file.size,
                    actual: "only \(taken + Int64(pending.count - offset))")
            }
            let chunk = pending.subdata(in: offset..<offset + size)
            offset += size
            taken += Int64(size)
            hasher.update(data: chunk)
            return chunk
        }
        try add(file.path, size: file.size, compressed: false, to: archive) { _, size in try take(size) }
        let rest = pending.subdata(in: offset..<pending.count)
        let more = try rest.isEmpty && !ended ? next() : rest
        if let more, !more.isEmpty {
            throw EvidencePackageError.wrongSize(evidence: file.evidence, name: file.name, recorded: file.size, actual: "more than \(file.size)")
        }
        let actual = Hex.encode(hasher.finalize())
        guard actual == file.sha256 else {
            throw EvidencePackageError.damaged(evidence: file.evidence, name: file.name, recorded: file.sha256, actual: actual)
        }
    }

    /// Sorted keys, two-space indent (the OSCAL exports' writer). An absent window or framework
    /// is left out (that writer has no null).
    static func manifestJSON(_ contents: PackageContents, _ layout: PackageLayout, index: Data) -> String {
        var root: [String: Any] = [
            "format": format,
            "company": contents.company,
            "created_at": contents.createdAt,
            "chain": ["head": contents.chainHead, "count": contents.chainCount],
            "index": ["path": indexPath, "sha256": Hex.encode(SHA256.hash(data: index)), "size": index.count],
            "files": layout.files.map { ["path": $0.path, "sha256": $0.sha256, "size": Int($0.size)] as [String: Any] },
            "evidence": layout.evidence.map { e -> [String: Any] in
                [
                    "id": e.id, "version": e.version, "control": e.control, "control_title": e.controlTitle,
                    "requirements": e.requirements, "requests": e.requests, "proved_from": e.provedFrom, "proved_to": e.provedTo,
                    "added_at": e.addedAt, "added_by": e.addedBy, "review": e.review, "name": e.file.name,
                    "sha256": e.file.sha256, "path": layout.path(of: e),
                ]
            },
            "requests": layout.requests.map { r -> [String: Any] in
                ["ref": r.ref, "text": r.text, "state": r.state, "evidence": layout.evidence(answering: r.ref).map(\.id)]
            },
        ]
        if let window = contents.window { root["window"] = ["from": window.from, "to": window.to] }
        if let framework = contents.framework { root["framework"] = framework }
        return CanonicalJSON.encode(root) + "\n"
    }

    static func sha256(of url: URL) throws -> String { try BlobStore.hash(path: url.path).sha256 }

    /// A file name safe in any unzip tool and still readable: no path separators, control or
    /// invisible format characters (a right-to-left override could make "fdp.exe" read as
    /// "exe.pdf"), no characters Windows refuses, no leading dots or spaces, at most 120 bytes
    /// (the extension kept).
    static func sanitisedName(_ name: String) -> String {
        let refused = Set("/\\<>:\"|?*".unicodeScalars)
        var scalars = String.UnicodeScalarView()
        for scalar in name.precomposedStringWithCanonicalMapping.unicodeScalars {
            let category = scalar.properties.generalCategory
            let bad =
                refused.contains(scalar) || category == .control || category == .format
                || category == .lineSeparator || category == .paragraphSeparator
            scalars.append(bad ? "_" : scalar)
        }
        var clean = String(scalars)
        while let first = clean.first, first == "." || first.isWhitespace { clean.removeFirst() }
        while let last = clean.last, last == "." || last.isWhitespace { clean.removeLast() }
        if clean.isEmpty { return "file" }
        let limit = 120
        guard clean.utf8.count > limit else { return clean }
        let dot = clean.lastIndex(of: ".")
        let ext = dot.map { String(clean[$0...]) }.flatMap { $0.utf8.count <= 16 ? $0 : nil } ?? ""
        var stem = String(clean.dropLast(ext.count))
        while stem.utf8.count + ext.utf8.count > limit { stem.removeLast() }
        return stem + ext
    }
}

/// Where everything goes, decided before a byte is written: evidence in a stable order, one
/// entry per distinct file (shared bytes stored once) and each file's path.
struct PackageLayout {
    struct File {
        var path: String
        var sha256: String
        var size: Int64
        /// The name as added, for messages: of the evidence sharing these bytes, the one whose
        /// sanitised name comes first (that sanitised name ends the path).
        var name: String
        var evidence: [String]
        var source: PackageFile
    }

    var evidence: [PackageEvidence]
    var files: [File]
    var requests: [PackageRequest]
    private var pathBySHA: [String: String]

    init(_ contents: PackageContents) throws {
        var evidence = contents.evidence
        for i in evidence.indices {
            let sha = evidence[i].file.sha256.lowercased()
            guard sha.utf8.count == 64, sha.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
                throw EvidencePackageError.invalidHash(evidence: evidence[i].id, name: evidence[i].file.name, value: evidence[i].file.sha256)
            }
            evidence[i].file.sha256 = sha
        }
        evidence.sort { PackageLayout.precedes(($0.id, $0.version), ($1.id, $1.version)) }
        for (a, b) in zip(evidence, evidence.dropFirst()) where a.id == b.id && a.version == b.version {
            throw EvidencePackageError.inconsistent("\(a.id) version \(a.version) is listed twice")
        }
        var bySHA: [String: [PackageEvidence]] = [:]
        for e in evidence { bySHA[e.file.sha256, default: []].append(e) }
        var files: [File] = []
        for (sha, sharing) in bySHA {
            guard Set(sharing.map(\.file.size)).count == 1 else {
                throw EvidencePackageError.inconsistent(
                    "\(sharing.map(\.id).joined(separator: ", ")): the same SHA-256 \(sha) is recorded with different sizes")
            }
            let named = sharing.map { (clean: EvidencePackage.sanitisedName($0.file.name), name: $0.file.name) }
                .min {
                    $0.clean == $1.clean
                        ? $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) : $0.clean.utf8.lexicographicallyPrecedes($1.clean.utf8)
                }!
            files.append(
                File(
                    path: "evidence/\(sha.prefix(2))/\(sha)-\(named.clean)", sha256: sha, size: sharing[0].file.size,
                    name: named.name, evidence: sharing.map(\.id), source: sharing[0].file))
        }
        self.evidence = evidence
        self.files = files.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        self.pathBySHA = Dictionary(uniqueKeysWithValues: files.map { ($0.sha256, $0.path) })
        // Every request named, listed or only referenced by evidence, once.
        var requests = contents.requests
        let listed = Set(requests.map(\.ref))
        for ref in Set(evidence.flatMap(\.requests)).subtracting(listed) {
            requests.append(PackageRequest(ref: ref, text: "", state: "not in the request list"))
        }
        self.requests = requests.sorted { PackageLayout.precedes($0.ref, $1.ref) }
    }

    func path(of evidence: PackageEvidence) -> String { pathBySHA[evidence.file.sha256]! }

    func evidence(answering request: String) -> [PackageEvidence] { evidence.filter { $0.requests.contains(request) } }

    /// "EV-3" before "EV-10"; equal-looking references fall back to plain order, so it is total.
    static func precedes(_ a: String, _ b: String) -> Bool {
        switch a.compare(b, options: [.numeric]) {
        case .orderedAscending: return true
        case .orderedDescending: return false
        case .orderedSame: return a.utf8.lexicographicallyPrecedes(b.utf8)
        }
    }

    static func precedes(_ a: (String, Int), _ b: (String, Int)) -> Bool {
        a.0 == b.0 ? a.1 < b.1 : precedes(a.0, b.0)
    }
}
