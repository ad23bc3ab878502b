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
        let pattern = Fuzzy.Pattern(filter)
        return try gapSearchRows(owner: owner).filter { row in pattern.matches(any: row.key.ref, row.title, row.owner) }.map(\.key)
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

/// Whole gaps read so far for one snapshot (`PagedRows`, a page of 96 around the row asked
/// for), and the agenda's overdue gaps. A new snapshot brings a new cache.
///
/// `@unchecked Sendable`: `overdue` is only touched under `lock`; the rest is Sendable.
public final class GapRowCache: @unchecked Sendable, Equatable {
    public let reader: GapReading
    private let lock = NSLock()
    private let pages: PagedRows<GapKey, Gap>
    /// Each owner's keys, for a limit to an owner.
    let owners: OwnerGapKeys
    /// Rows read per miss: a screen's worth and more, so scrolling line by line reads rarely.
    static let page = 96
    private var overdue: [Gap]?
    /// Whole gaps read so far: what a test checks to prove the pane reads windows, not tables.
    var rowsRead: Int { pages.rowsRead }
    /// Queries made for whole gaps.
    var queries: Int { pages.queries }

    public init(_ reader: GapReading) {
        self.reader = reader
        pages = PagedRows(page: Self.page, limit: 2_000) { keys in Self.match(keys, try reader.gaps(ids: keys.map(\.id))) }
        owners = OwnerGapKeys { owner in try reader.keys(owner: owner, filter: "") }
    }

    /// The keys of the gaps of `owner` ("" for unassigned, nil for everyone's) that match
    /// `filter`: an owner's keys without a filter are kept for the snapshot (and read ahead).
    public func keys(owner: String?, filter: String) throws -> [GapKey] {
        if let owner, filter.isEmpty { return try owners.keys(owner: owner) }
        return try reader.keys(owner: owner, filter: filter)
    }

    /// Reads ahead, on another thread, the keys of `owner`'s gaps and then their first page.
    func readAhead(owner: String) {
        owners.readAhead(owner: owner) { [pages] keys in pages.readAhead(around: 0, count: keys.count) { keys[$0] } }
    }

    /// Gaps come back without their row id: each is matched to its key by reference.
    private static func match(_ keys: [GapKey], _ gaps: [Gap]) -> [GapKey: Gap] {
        let byRef = Dictionary(gaps.map { ($0.ref, $0) }, uniquingKeysWith: { a, _ in a })
        return Dictionary(keys.compactMap { key in byRef[key.ref].map { (key, $0) } }, uniquingKeysWith: { a, _ in a })
    }

    /// The keys of the first page: what the pane's first rows ask for (`PagedRows` reads the
    /// page from row 0 on a miss there).
    public static func firstPage(_ keys: [GapKey]) -> [GapKey] { Array(keys.prefix(page)) }

    /// The first page's whole gaps, read beside the snapshot's keys in the same read, so the
    /// first frame draws the Gaps pane without a query of its own.
    public func prefillFirstPage(_ keys: [GapKey], _ gaps: [Gap]) {
        let first = Self.firstPage(keys)
        pages.prefill(first, Self.match(first, gaps))
    }

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
    public func gap(_ keys: [GapKey], _ row: Int) -> Gap? { pages.row(row, count: keys.count) { keys[$0] } }

    /// Reads ahead, on another thread, the page around row `row` of `keys` and the last page.
    func readAhead(_ keys: [GapKey], _ row: Int) { pages.readAhead(around: row, count: keys.count) { keys[$0] } }
}
