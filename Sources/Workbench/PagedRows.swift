import Foundation

/// Whole rows read so far for one snapshot, by key: asking for a row reads the page of rows
/// around it on a miss (one query), so a pane costs what is on screen, not the size of its
/// table, and moving line by line reads once every few dozen moves. The Gaps, Controls and
/// Evidence panes each keep one per snapshot (`GapRowCache`, `ControlRowCache`,
/// `EvidenceRowCache`).
///
/// `@unchecked Sendable`: the dictionaries and counters are only touched under `lock`; `fetch`
/// is Sendable.
final class PagedRows<Key: Hashable & Sendable, Row: Sendable>: @unchecked Sendable {
    /// Rows read per miss.
    let page: Int
    /// Beyond this many cached rows the cache starts over (a long scroll through 20,000 rows).
    let limit: Int
    /// Reads the rows of some keys; a key it leaves out is gone (deleted since the snapshot).
    private let fetch: @Sendable ([Key]) throws -> [Key: Row]
    private let lock = NSLock()
    private var rows: [Key: Row] = [:]
    /// Keys asked for and not found: not asked again on every frame.
    private var gone = Set<Key>()
    /// Rows read so far and queries made: what tests check to prove a pane reads windows.
    private(set) var rowsRead = 0
    private(set) var queries = 0

    init(page: Int, limit: Int, fetch: @escaping @Sendable ([Key]) throws -> [Key: Row]) {
        self.page = page; self.limit = limit; self.fetch = fetch
    }

    /// Rows read elsewhere for `keys` (a key `read` leaves out is gone), counted as one query:
    /// a store reads the first page beside the snapshot, in the same read.
    func prefill(_ keys: [Key], _ read: [Key: Row]) {
        lock.lock()
        defer { lock.unlock() }
        rowsRead += read.count
        queries += 1
        for key in keys {
            if let found = read[key] { rows[key] = found } else { gone.insert(key) }
        }
    }

    /// Row `row` of `count` rows whose keys `key` gives. Keys are asked for only on a miss,
    /// for the page around the row. Nil when the row is gone or cannot be read.
    func row(_ row: Int, count: Int, key: (Int) -> Key) -> Row? {
        guard row >= 0, row < count else { return nil }
        let wanted = key(row)
        lock.lock()
        defer { lock.unlock() }
        if let found = rows[wanted] { return found }
        if gone.contains(wanted) { return nil }
        if rows.count > limit { rows.removeAll(keepingCapacity: true) }
        // The page around the row, so moving up or down from it hits the cache.
        let start = max(0, row - page / 3)
        let keys = (start..<min(count, start + page)).map(key).filter { rows[$0] == nil && !gone.contains($0) }
        guard let read = try? fetch(keys) else { return nil }
        rowsRead += read.count
        queries += 1
        for key in keys {
            if let found = read[key] { rows[key] = found } else { gone.insert(key) }
        }
        return rows[wanted]
    }
}
