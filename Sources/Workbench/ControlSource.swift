import AssureModel
import Foundation

/// Where whole controls come from: the workspace, or (in tests and for a workspace held in
/// memory) an array. The snapshot holds every control's line; a whole control (description,
/// evidence hint, justification, tags) is read only when one is shown in full.
public protocol ControlReading: AnyObject, Sendable {
    /// Whole controls by reference, in any order; references no longer there are left out.
    func controls(refs: [String]) throws -> [Control]
}

/// Controls held in memory.
public final class InMemoryControls: ControlReading {
    public let byRef: [String: Control]
    public init(_ controls: [Control]) { byRef = Dictionary(controls.map { ($0.ref, $0) }, uniquingKeysWith: { _, last in last }) }
    public func controls(refs: [String]) -> [Control] { refs.compactMap { byRef[$0] } }
}

/// Whole controls read so far for one snapshot (`PagedRows`, a page of 64 around the row
/// shown in full): the detail strip and the edit form read the selected one on first use, so
/// moving through 5,000 controls never reads the table. A new snapshot brings a new cache.
public final class ControlRowCache: Sendable, Equatable {
    public let reader: ControlReading
    private let pages: PagedRows<String, Control>
    /// Rows read per miss: a screen's worth and more, so moving line by line reads rarely.
    static let page = 64
    /// Whole controls read so far: what a test checks to prove the pane never reads them all.
    var rowsRead: Int { pages.rowsRead }
    /// Queries made for whole controls.
    var queries: Int { pages.queries }

    public init(_ reader: ControlReading) {
        self.reader = reader
        pages = PagedRows(page: Self.page, limit: 2_000) { refs in
            Dictionary(try reader.controls(refs: refs).map { ($0.ref, $0) }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// One cache per snapshot: two states are equal only when they read the same snapshot.
    public static func == (a: ControlRowCache, b: ControlRowCache) -> Bool { a === b }

    /// The whole control of row `row` of `count` rows whose references `ref` gives (asked only
    /// on a miss, for the page around it); nil when it is gone or cannot be read.
    public func control(_ row: Int, count: Int, ref: (Int) -> String) -> Control? { pages.row(row, count: count, key: ref) }

    /// Reads ahead, on another thread, the page around row `row` and the last page (where `G`
    /// goes): Tab into the pane, a page down or a jump to the end then find their control read.
    func readAhead(_ row: Int, count: Int, ref: (Int) -> String) { pages.readAhead(around: row, count: count, key: ref) }

    /// One control by reference, read alone on a miss.
    public func control(_ ref: String) -> Control? { control(0, count: 1) { _ in ref } }
}
