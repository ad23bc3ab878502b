import AssureModel
import Foundation
import GRDB

public enum SampleResult: String, Sendable, CaseIterable {
    case untested, pass, exception
    case notTested = "not-tested"
}

/// A recorded sample: the selection (reproducible from the population's hash and the seed) and
/// the mock audit's result for each item.
public struct RecordedSample: Equatable, Sendable {
    public var ref: String
    public var population: Population
    public var selection: SampleSelection
    /// Which methodology rule sized it ("monthly: 2 (range 2-5)"), or "asked for N".
    public var sizing: String
    public var results: [(key: String, result: SampleResult, note: String, evidence: String?)]
    public static func == (a: RecordedSample, b: RecordedSample) -> Bool {
        a.ref == b.ref && a.selection == b.selection && a.results.map(\.key) == b.results.map(\.key)
            && a.results.map(\.result) == b.results.map(\.result)
    }
}

extension WorkspaceReader {
    /// The workspace's sampling methodology (`assure methodology`), the defaults unless edited.
    public func samplingMethodology() throws -> SamplingMethodology {
        guard let text = try setting("sampling.methodology") else { return .default }
        return (try? JSONDecoder().decode(SamplingMethodology.self, from: Data(text.utf8))) ?? .default
    }

    /// The sample that would be drawn: nothing is written, so a read-only re-run shows the same.
    public func drawSample(population name: String, size: Int?, higherRisk: Bool, seed: UInt64) throws -> (
        populationID: Int64, selection: SampleSelection, sizing: String
    ) {
        let (id, population) = try population(name)
        let keys = try populationKeys(id)
        let sizing: (size: Int, rule: String)
        if let size {
            guard size >= 1 else { throw WorkspaceError.invalid("--size must be at least 1") }
            sizing = (min(size, keys.count), size > keys.count ? "asked for \(size), capped at the population of \(keys.count)" : "asked for \(size)")
        } else {
            let frequency = try population.control.flatMap { ref in
                try String.fetchOne(db, sql: "SELECT frequency FROM control WHERE ref = ?", arguments: [ref]).flatMap(Frequency.init(rawValue:))
            }
            sizing = try samplingMethodology().size(frequency: frequency, higherRisk: higherRisk, population: keys.count)
        }
        return (id, Sampling.select(keys: keys, populationSHA256: population.sha256, seed: seed, size: sizing.size), sizing.rule)
    }

    public func samples() throws -> [RecordedSample] {
        try String.fetchAll(db, sql: "SELECT ref FROM sample ORDER BY number").map(sample)
    }

    public func sample(_ ref: String) throws -> RecordedSample {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT s.*, p.name, p.version FROM sample s JOIN population p ON p.id = s.population_id WHERE s.ref = ?
                    """, arguments: [ref])
        else {
            let all = try String.fetchAll(db, sql: "SELECT ref FROM sample")
            throw WorkspaceError.unknownReference(kind: "sample", name: ref, suggestions: Suggestions.closest(to: ref, in: all))
        }
        let (_, population) = try population("\(row["name"] as String)@\(row["version"] as Int)")
        let items = try Row.fetchAll(
            db,
            sql: """
                SELECT i.key, i.result, i.note, e.ref AS evidence FROM sample_item i LEFT JOIN evidence e ON e.id = i.evidence_id
                WHERE i.sample_id = ? ORDER BY i.position
                """, arguments: [row["id"] as Int64])
        let seed = UInt64(bitPattern: row["seed"] as Int64)
        return RecordedSample(
            ref: row["ref"], population: population,
            selection: SampleSelection(
                populationSHA256: population.sha256, seed: seed, rule: row["rule"], size: row["size"], items: items.map { $0["key"] }),
            sizing: row["sizing"],
            results: items.map { ($0["key"], SampleResult(rawValue: $0["result"]) ?? .untested, $0["note"], $0["evidence"]) })
    }
}

extension WorkspaceWriter {
    /// Records a drawn sample, or returns the one already recorded for the same population
    /// version, seed and size (drawing again gives the same items, so nothing is written twice).
    public func recordSample(population name: String, size: Int?, higherRisk: Bool, seed: UInt64) throws -> (ref: String, isNew: Bool) {
        let drawn = try reader.drawSample(population: name, size: size, higherRisk: higherRisk, seed: seed)
        if let existing = try String.fetchOne(
            db, sql: "SELECT ref FROM sample WHERE population_id = ? AND seed = ? AND size = ?",
            arguments: [drawn.populationID, Int64(bitPattern: seed), drawn.selection.size])
        {
            return (existing, false)
        }
        let number = try Int64.fetchOne(db, sql: "SELECT coalesce(max(number), 0) + 1 FROM sample") ?? 1
        let ref = "SMP-\(number)"
        try db.execute(
            sql: """
                INSERT INTO sample (number, ref, population_id, seed, size, rule, sizing, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                number, ref, drawn.populationID, Int64(bitPattern: seed), drawn.selection.size, drawn.selection.rule, drawn.sizing,
                actor.name, Timestamps.iso(actor.now),
            ])
        let id = db.lastInsertedRowID
        for (position, key) in drawn.selection.items.enumerated() {
            try db.execute(sql: "INSERT INTO sample_item (sample_id, position, key) VALUES (?, ?, ?)", arguments: [id, position, key])
        }
        try log.record(
            db, entity: "sample", ref: ref, id: id, field: "created", before: nil,
            after:
                "\(name) sha256:\(drawn.selection.populationSHA256) seed \(seed) size \(drawn.selection.size): \(drawn.selection.items.joined(separator: " "))"
        )
        return (ref, true)
    }

    /// Records the mock audit's result for one sampled item; an exception needs a note.
    public func recordSampleResult(sample ref: String, key: String, result: SampleResult, note: String, evidence: String?) throws {
        guard let sample = try Row.fetchOne(db, sql: "SELECT id, ref FROM sample WHERE ref = ?", arguments: [ref]) else {
            throw WorkspaceError.unknownReference(kind: "sample", name: ref, suggestions: [])
        }
        let sampleID: Int64 = sample["id"]
        guard
            let item = try Row.fetchOne(
                db, sql: "SELECT position, result FROM sample_item WHERE sample_id = ? AND key = ?", arguments: [sampleID, key])
        else {
            let keys = try String.fetchAll(db, sql: "SELECT key FROM sample_item WHERE sample_id = ? ORDER BY position", arguments: [sampleID])
            throw WorkspaceError.unknownReference(
                kind: "item of \(sample["ref"] as String)", name: key, suggestions: Suggestions.closest(to: key, in: keys))
        }
        if result == .exception && note.trimmingCharacters(in: .whitespaces).isEmpty {
            throw WorkspaceError.invalid("an exception needs a note saying what was wrong (--note)")
        }
        let evidenceID = try evidence.map { try Lookup.evidence(db, $0).id }
        try db.execute(
            sql: """
                UPDATE sample_item SET result = ?, note = ?, evidence_id = ?, tested_by = ?, tested_at = ? WHERE sample_id = ? AND position = ?
                """, arguments: [result.rawValue, note, evidenceID, actor.name, Timestamps.iso(actor.now), sampleID, item["position"] as Int])
        try log.record(
            db, entity: "sample", ref: "\(sample["ref"] as String) \(key)", id: sampleID, field: "result",
            before: item["result"], after: result.rawValue + (note.isEmpty ? "" : ": \(note)"))
    }

    public func setSamplingMethodology(_ methodology: SamplingMethodology) throws {
        try methodology.validate()
        let data = try JSONEncoder.sorted.encode(methodology)
        try setSettings([("sampling.methodology", String(decoding: data, as: UTF8.self))])
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
