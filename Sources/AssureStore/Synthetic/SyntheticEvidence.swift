import AssureModel
import Crypto
import Foundation
import GRDB

/// Evidence for the benchmark: `items` accepted items spread over the controls and over a
/// Type 2 window set on SOC 2, sharing `files` distinct stored files of `fileSize` bytes each
/// (deterministic bytes, so every run stores the same). One transaction, prepared statements.
extension Workspace {
    public func addSyntheticEvidence(
        items: Int, files: Int, fileSize: Int, windowStart: String, window: String,
        seed: UInt64 = 7, by actor: Actor
    ) throws {
        try write(actor) { w in
            let db = w.db
            try db.execute(
                sql: "UPDATE framework SET audit_kind = 'type2', window_start = ?, window_length = ? WHERE id = 'soc2'",
                arguments: [windowStart, window])
            guard let start = DueDate.parseDay(windowStart), let end = Ledger.windowEnd(start: windowStart, length: window),
                let last = DueDate.parseDay(end)
            else { throw WorkspaceError.invalid("bad synthetic window") }
            let days = max(1, Int(last.timeIntervalSince(start) / 86_400) + 1)
            var random = SplitMix(seed: seed)
            var hashes: [(String, Int64)] = []
            let insertBlob = try db.makeStatement(sql: "INSERT OR IGNORE INTO blob (sha256, size, chunks) VALUES (?, ?, ?)")
            let insertChunk = try db.makeStatement(sql: "INSERT OR IGNORE INTO blob_chunk (sha256, seq, data) VALUES (?, ?, ?)")
            for f in 0..<max(1, files) {
                var bytes = [UInt8](repeating: 0, count: fileSize)
                var word = UInt64(f) &* 0x9E37_79B9_7F4A_7C15 &+ seed
                for i in 0..<fileSize {
                    if i % 8 == 0 { word = word &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407 }
                    bytes[i] = UInt8(truncatingIfNeeded: word >> (8 * UInt64(i % 8)))
                }
                let data = Data(bytes)
                let sha = Hex.encode(SHA256.hash(data: data))
                let chunks = (fileSize + BlobStore.chunkSize - 1) / BlobStore.chunkSize
                try insertBlob.execute(arguments: [sha, fileSize, max(1, chunks)])
                for seq in 0..<max(1, chunks) {
                    let lower = seq * BlobStore.chunkSize
                    try insertChunk.execute(arguments: [sha, seq, data.subdata(in: lower..<min(fileSize, lower + BlobStore.chunkSize))])
                }
                hashes.append((sha, Int64(fileSize)))
            }
            let controls = try Int64.fetchAll(db, sql: "SELECT id FROM control ORDER BY id")
            let insertEvidence = try db.makeStatement(
                sql: """
                    INSERT INTO evidence (number, ref, control_id, title, proved_from, proved_to, review, added_by, added_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'accepted', 'bench', '2026-12-01T00:00:00Z')
                    """)
            let insertFile = try db.makeStatement(
                sql: """
                    INSERT INTO evidence_file (evidence_id, version, name, sha256, size, added_by, added_at) VALUES (?, 1, ?, ?, ?, 'bench', '2026-12-01T00:00:00Z')
                    """)
            let base = (try Int64.fetchOne(db, sql: "SELECT coalesce(max(number), 0) FROM evidence") ?? 0)
            for i in 0..<items {
                let number = base + Int64(i) + 1
                let day = DueDate.format(start.addingTimeInterval(Double(random.next(days)) * 86_400))
                try insertEvidence.execute(arguments: [number, "EV-\(number)", controls[random.next(controls.count)], "item \(number)", day, day])
                let file = hashes[i % hashes.count]
                try insertFile.execute(arguments: [db.lastInsertedRowID, "evidence-\(i % hashes.count).bin", file.0, file.1])
            }
            try w.log.record(db, entity: "evidence", ref: "synthetic", field: "loaded", before: nil, after: "\(items) items, \(files) files")
        }
    }
}
