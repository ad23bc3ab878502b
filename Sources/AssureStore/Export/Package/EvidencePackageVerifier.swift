import Crypto
import Foundation
import ZIPFoundation

/// What checking a package found. Each problem names the entry it is about.
public struct PackageVerification: Equatable, Sendable {
    public var company: String
    public var createdAt: String
    public var chainHead: String
    public var chainCount: Int
    /// Files the manifest lists (index.html included).
    public var files: Int
    public var evidence: Int
    public var problems: [String]
    public var isIntact: Bool { problems.isEmpty }
}

/// Checks a package as received: every file the manifest lists is there, has its recorded size
/// and SHA-256 (rehashed by streaming, never read whole), and nothing else is in the ZIP.
public enum EvidencePackageVerifier {
    public static func verify(_ url: URL) throws -> PackageVerification {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { throw EvidencePackageError.notAPackage(path: path, reason: "no such file") }
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw EvidencePackageError.notAPackage(path: path, reason: "not a ZIP file, or a truncated one: \(error)")
        }
        let entries = Array(archive)
        guard let manifestEntry = entries.first(where: { $0.path == EvidencePackage.manifestPath }) else {
            throw EvidencePackageError.noManifest(path: path)
        }
        let manifest = try readManifest(manifestEntry, in: archive, path: path)

        var problems: [String] = []
        var byPath: [String: Entry] = [:]
        for entry in entries {
            if byPath[entry.path] != nil { problems.append("\(entry.path): in the ZIP more than once") }
            byPath[entry.path] = byPath[entry.path] ?? entry
        }
        var listed: Set<String> = [EvidencePackage.manifestPath]
        for file in manifest.files {
            listed.insert(file.path)
            guard let entry = byPath[file.path] else { problems.append("\(file.path): listed in the manifest but missing"); continue }
            if let problem = check(entry, against: file, in: archive) { problems.append("\(file.path): \(problem)") }
        }
        for entry in entries where !listed.contains(entry.path) {
            problems.append("\(entry.path): in the ZIP but not listed in the manifest")
        }
        let filePaths = Set(manifest.files.map(\.path))
        for (id, evidencePath) in manifest.evidencePaths where !filePaths.contains(evidencePath) {
            problems.append("\(id): its file \(evidencePath) is not among the manifest's files")
        }
        return PackageVerification(
            company: manifest.company, createdAt: manifest.createdAt, chainHead: manifest.chainHead,
            chainCount: manifest.chainCount, files: manifest.files.count,
            evidence: manifest.evidencePaths.count, problems: problems)
    }

    /// A listed file: the path, the recorded SHA-256 and size.
    struct Listed { var path: String; var sha256: String; var size: Int64 }

    struct Manifest {
        var company: String
        var createdAt: String
        var chainHead: String
        var chainCount: Int
        /// Evidence files and index.html.
        var files: [Listed]
        var evidencePaths: [(id: String, path: String)]
    }

    private static func readManifest(_ entry: Entry, in archive: Archive, path: String) throws -> Manifest {
        var data = Data()
        do { _ = try archive.extract(entry, bufferSize: EvidencePackage.chunkSize) { data.append($0) } } catch {
            throw EvidencePackageError.badManifest(path: path, reason: "cannot extract it: \(error)")
        }
        func bad(_ reason: String) -> EvidencePackageError { .badManifest(path: path, reason: reason) }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { throw bad("not a JSON object") }
        guard let format = root["format"] as? String else { throw bad("no \"format\"") }
        guard format == EvidencePackage.format else { throw bad("format \(format), this assure reads \(EvidencePackage.format)") }
        func listed(_ object: Any?, _ what: String) throws -> Listed {
            guard let o = object as? [String: Any], let p = o["path"] as? String, let sha = o["sha256"] as? String,
                let size = (o["size"] as? NSNumber)?.int64Value
            else { throw bad("\(what) has no path, sha256 and size") }
            return Listed(path: p, sha256: sha.lowercased(), size: size)
        }
        guard let files = root["files"] as? [Any] else { throw bad("no \"files\" list") }
        var all = try files.enumerated().map { try listed($1, "files[\($0)]") }
        if root["index"] != nil { all.append(try listed(root["index"], "index")) }
        let evidence = (root["evidence"] as? [[String: Any]] ?? []).map { ($0["id"] as? String ?? "?", $0["path"] as? String ?? "") }
        let chain = root["chain"] as? [String: Any] ?? [:]
        return Manifest(
            company: root["company"] as? String ?? "", createdAt: root["created_at"] as? String ?? "",
            chainHead: chain["head"] as? String ?? "", chainCount: (chain["count"] as? NSNumber)?.intValue ?? 0,
            files: all, evidencePaths: evidence)
    }

    /// Why an entry does not match its listing, or nil when it does.
    private static func check(_ entry: Entry, against file: Listed, in archive: Archive) -> String? {
        var hasher = SHA256()
        var size: Int64 = 0
        do {
            // ZIP's own CRC is skipped: the SHA-256 below is the stronger check and names the file.
            _ = try archive.extract(entry, bufferSize: EvidencePackage.chunkSize, skipCRC32: true) { chunk in
                hasher.update(data: chunk)
                size += Int64(chunk.count)
            }
        } catch {
            return "unreadable (\(error)); the package is damaged"
        }
        if size != file.size { return "\(size) bytes, but the manifest records \(file.size)" }
        let actual = Hex.encode(hasher.finalize())
        if actual != file.sha256 { return "SHA-256 is \(actual), but the manifest records \(file.sha256); the file was changed or damaged" }
        if file.path.hasPrefix("evidence/") && !file.path.contains(file.sha256) {
            return "its path does not carry its SHA-256 \(file.sha256)"
        }
        return nil
    }
}
