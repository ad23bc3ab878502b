import Foundation

/// Whole rows read so far for one snapshot, by key: asking for a row reads the page of rows
/// around it on a miss (one query), so a pane costs what is on screen, not the size of its
/// table, and moving line by line reads once every few dozen moves. The Gaps, Controls and
/// Evidence panes each keep one per snapshot (`GapRowCache`, `ControlRowCache`,
/// `EvidenceRowCache`).
///
/// A page can also be read ahead (`readAhead`) on `ReadAhead.queue` while the screen waits for
/// the next key: moving onto it then finds it read, and a miss on a row being read ahead waits
/// for that read instead of making its own.
///
/// `@unchecked Sendable`: the dictionaries, sets and counters are only touched under `lock`;
/// `fetch` is Sendable.
final class PagedRows<Key: Hashable & Sendable, Row: Sendable>: @unchecked Sendable {
    /// Rows read per miss.
    let page: Int
    /// Beyond this many cached rows the cache starts over (a long scroll through 20,000 rows).
    let limit: Int
    /// Reads the rows of some keys; a key it leaves out is gone (deleted since the snapshot).
    private let fetch: @Sendable ([Key]) throws -> [Key: Row]
    /// A lock with a condition: signalled when a read ahead lands.
    private let lock = NSCondition()
    private var rows: [Key: Row] = [:]
    /// Keys asked for and not found: not asked again on every frame.
    private var gone = Set<Key>()
    /// Keys being read ahead on `ReadAhead.queue`, and keys asked for whose read has not
    /// started (`readAhead`); `scheduled` while a read of this cache is on the queue.
    private var inFlight = Set<Key>()
    private var pending: [Key] = []
    private var scheduled = false
    /// The last `readAhead`, by its row and the keys at it and at the end.
    private struct Ask: Equatable {
        var row: Int, count: Int, at: Key, last: Key
    }
    private var lastAsk: Ask?
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
        store(keys, read)
    }

    /// Row `row` of `count` rows whose keys `key` gives. Keys are asked for only on a miss,
    /// for the page around the row. Nil when the row is gone or cannot be read.
    func row(_ row: Int, count: Int, key: (Int) -> Key) -> Row? {
        guard row >= 0, row < count else { return nil }
        let wanted = key(row)
        lock.lock()
        defer { lock.unlock() }
        while inFlight.contains(wanted) { lock.wait() }
        if let found = rows[wanted] { return found }
        if gone.contains(wanted) { return nil }
        if rows.count > limit { rows.removeAll(keepingCapacity: true) }
        let keys = missing(in: pageRange(around: row, count: count), key: key)
        guard let read = try? fetch(keys) else { return nil }
        store(keys, read)
        return rows[wanted]
    }

    /// Reads ahead, on `ReadAhead.queue`, the page around `row` and the last page (where `G`
    /// goes), leaving out what is read already: called after a frame is drawn. What an earlier
    /// call asked for and is not being read yet is dropped, the screen having moved on since:
    /// holding `j` down in the Criteria pane, which gives the Controls pane new rows on every
    /// key, queued a read per key and the reads fell behind the keys.
    func readAhead(around row: Int, count: Int, key: (Int) -> Key) {
        guard count > 0 else { return }
        let row = min(max(0, row), count - 1)
        // Asked after every frame: the same ask as the last one (the same row, the same rows)
        // was answered then, and looking up two pages of keys cost a tenth of a frame.
        let ask = Ask(row: row, count: count, at: key(row), last: key(count - 1))
        lock.lock()
        defer { lock.unlock() }
        guard ask != lastAsk else { return }
        lastAsk = ask
        var keys = missing(in: pageRange(around: row, count: count), key: key)
        let around = Set(keys)
        keys += missing(in: max(0, count - page)..<count, key: key).filter { !around.contains($0) }
        pending = keys
        guard !keys.isEmpty, !scheduled else { return }
        scheduled = true
        ReadAhead.run { self.readPending() }
    }

    /// The read ahead: what is asked for when its turn comes, less what the screen read itself.
    private func readPending() {
        lock.lock()
        scheduled = false
        let keys = pending.filter { rows[$0] == nil && !gone.contains($0) }
        pending = []
        inFlight.formUnion(keys)
        lock.unlock()
        guard !keys.isEmpty else { return }
        let read = try? fetch(keys)
        lock.lock()
        defer { lock.unlock() }
        inFlight.subtract(keys)
        // A failed read leaves the rows to be read when they are shown.
        if let read {
            if rows.count > limit { rows.removeAll(keepingCapacity: true) }
            store(keys, read)
        }
        lock.broadcast()
    }

    /// The page around `row`: it starts a third of a page above it, so moving up or down from
    /// it hits the cache.
    private func pageRange(around row: Int, count: Int) -> Range<Int> {
        let start = max(0, row - page / 3)
        return start..<min(count, start + page)
    }

    /// The keys of `range` not read, gone or being read. Called under `lock`.
    private func missing(in range: Range<Int>, key: (Int) -> Key) -> [Key] {
        range.map(key).filter { rows[$0] == nil && !gone.contains($0) && !inFlight.contains($0) }
    }

    /// What a read of `keys` found; a key it left out is gone. Called under `lock`.
    private func store(_ keys: [Key], _ read: [Key: Row]) {
        rowsRead += read.count
        queries += 1
        for key in keys {
            if let found = read[key] { rows[key] = found } else { gone.insert(key) }
        }
    }
}

/// Where pages are read ahead: one read at a time, so reading ahead takes one of the pool's
/// reader connections at most and never makes the screen's own read open another; each cache
/// has one read on the queue at most.
public enum ReadAhead {
    private static let queue = DispatchQueue(label: "assure.read-ahead", qos: .userInitiated)
    private static let lock = NSLock()
    /// Reads on the queue or running (a read may ask for another when it lands); only
    /// touched under `lock`, hence `nonisolated(unsafe)`.
    nonisolated(unsafe) private static var outstanding = 0

    static func run(_ work: @escaping @Sendable () -> Void) {
        lock.withLock { outstanding += 1 }
        queue.async {
            work()
            lock.withLock { outstanding -= 1 }
        }
    }

    /// Waits until every read ahead asked for so far has landed, and those they asked for:
    /// what tests call before counting reads, so the counts do not depend on timing.
    public static func wait() {
        repeat { queue.sync {} } while lock.withLock({ outstanding }) > 0
    }
}
