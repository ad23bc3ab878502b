import AssureModel
import Foundation
import TerminalUI

/// Where the Gaps pane's rows come from: the workspace, which reads keys in order and whole
/// gaps by the window, or (in tests and for a workspace held in memory) an array.
public protocol GapReading: AnyObject, Sendable {
    /// Keys in triage order (`GapOrder.triage`: open first, then severity, due date, number),
    /// limited to one owner's gaps when `owner` is given ("" for gaps with no owner).
    func gapKeys(owner: String?) throws -> [GapKey]
    /// The same rows with the fields the filter matches, in the same order.
    func gapSearchRows(owner: String?) throws -> [GapSearchRow]
    /// Whole gaps by id, in any order; ids no longer in the workspace are left out.
    func gaps(ids: [Int64]) throws -> [Gap]
    /// Open gaps past their due date, in triage order (the agenda's second section).
    func overdueGaps(today: String) throws -> [Gap]
}

/// The Gaps pane's rows for a query: the keys of every matching gap, in order.
extension GapReading {
    public func keys(owner: String?, filter: String) throws -> [GapKey] {
        if filter.isEmpty { return try gapKeys(owner: owner) }
        return try gapSearchRows(owner: owner).filter { row in AppState.matches(filter, [row.key.ref, row.title, row.owner]) }.map(\.key)
    }
}

/// Gaps held in memory: the reference the store's SQL is tested against, and what tests hand
/// the workbench.
public final class InMemoryGaps: GapReading {
    public let gaps: [Gap]
    private let order: [Int]

    public init(_ gaps: [Gap]) {
        self.gaps = gaps
        order = GapOrder.triageOrder(gaps)
    }

    /// Position + 1 is the id, as a table's row id would be.
    private func key(_ i: Int) -> GapKey { GapKey(id: Int64(i + 1), ref: gaps[i].ref, isOpen: gaps[i].status.isOpen) }

    private func ordered(owner: String?) -> [Int] {
        guard let owner else { return order }
        return order.filter { owner.isEmpty ? gaps[$0].owner == nil : gaps[$0].owner == owner }
    }

    public func gapKeys(owner: String?) -> [GapKey] { ordered(owner: owner).map(key) }

    public func gapSearchRows(owner: String?) -> [GapSearchRow] {
        ordered(owner: owner).map { GapSearchRow(key: key($0), title: gaps[$0].title, owner: gaps[$0].owner) }
    }

    public func gaps(ids: [Int64]) -> [Gap] { ids.compactMap { gaps.indices.contains(Int($0) - 1) ? gaps[Int($0) - 1] : nil } }

    public func overdueGaps(today: String) -> [Gap] { order.map { gaps[$0] }.filter { $0.isOverdue(today: today) } }
}

/// Whole gaps read so far for one snapshot, by id. Drawing a row or asking for the selected
/// gap reads the window around it on a miss (a page of rows in one query), so the pane costs
/// what is on screen, not the size of the table. A new snapshot brings a new cache.
///
/// `@unchecked Sendable`: the dictionary is only touched under `lock`; the reader is Sendable.
public final class GapRowCache: @unchecked Sendable, Equatable {
    public let reader: GapReading
    private let lock = NSLock()
    private var rows: [Int64: Gap] = [:]
    /// Ids asked for and not found (deleted since the snapshot): not asked again each frame.
    private var gone = Set<Int64>()
    /// Rows read per miss: a screen's worth and more, so scrolling line by line reads rarely.
    static let page = 96
    /// Beyond this many cached rows the cache starts over (a long scroll through 20,000 rows).
    static let limit = 2_000

    private var overdue: [Gap]?
    /// Whole gaps read so far: what a test checks to prove the pane reads windows, not tables.
    private(set) var rowsRead = 0
    /// Queries made for whole gaps.
    private(set) var queries = 0

    public init(_ reader: GapReading) { self.reader = reader }

    /// Open gaps past their due date, read once per snapshot (the agenda draws every frame).
    public func overdueGaps(today: String) -> [Gap] {
        lock.lock()
        defer { lock.unlock() }
        if let overdue { return overdue }
        let read = (try? reader.overdueGaps(today: today)) ?? []
        overdue = read
        return read
    }

    /// One cache per snapshot: two states are equal only when they read the same snapshot.
    public static func == (a: GapRowCache, b: GapRowCache) -> Bool { a === b }

    /// The gap of row `row` of `keys`, reading its page if needed; nil when it is gone (deleted
    /// since the snapshot: the next reload drops its row) or cannot be read.
    public func gap(_ keys: [GapKey], _ row: Int) -> Gap? {
        guard keys.indices.contains(row) else { return nil }
        let id = keys[row].id
        lock.lock()
        defer { lock.unlock() }
        if let gap = rows[id] { return gap }
        if gone.contains(id) { return nil }
        if rows.count > Self.limit { rows.removeAll(keepingCapacity: true) }
        // The page around the row, so moving up or down from it hits the cache.
        let start = max(0, row - Self.page / 3)
        let end = min(keys.count, start + Self.page)
        let wanted = keys[start..<end].map(\.id).filter { rows[$0] == nil }
        guard let read = try? reader.gaps(ids: wanted) else { return nil }
        rowsRead += read.count
        queries += 1
        let byRef = Dictionary(read.map { ($0.ref, $0) }, uniquingKeysWith: { a, _ in a })
        for key in keys[start..<end] where rows[key.id] == nil {
            if let gap = byRef[key.ref] { rows[key.id] = gap } else { gone.insert(key.id) }
        }
        return rows[id]
    }
}
