import AssureModel
import Foundation

/// Where a control's evidence items come from: the workspace, or (in tests) an array. The
/// snapshot holds only the stale items (the agenda lists them); the Evidence pane reads the
/// items of the control it shows, so a workspace with a year of daily evidence is not read
/// whole on every refresh.
public protocol EvidenceReading: AnyObject, Sendable {
    /// A control's items, newest proved first.
    func evidence(control: String) throws -> [EvidenceLoad]
}

/// Evidence held in memory, in the order given (by control, newest proved first).
public final class InMemoryEvidence: EvidenceReading {
    public let items: [EvidenceLoad]
    public init(_ items: [EvidenceLoad]) { self.items = items }
    public func evidence(control: String) -> [EvidenceLoad] { items.filter { $0.control == control } }
}

/// Each control's items read so far for one snapshot, by control reference (`PagedRows`, one
/// control a read): the detail strip and the review keys read the selected control's on first
/// use. A new snapshot brings a new cache.
public final class EvidenceRowCache: Sendable, Equatable {
    public let reader: EvidenceReading
    private let cache: PagedRows<String, [EvidenceLoad]>
    /// Controls whose items were read: what a test checks to prove the pane reads one control's.
    var controlsRead: Int { cache.queries }

    public init(_ reader: EvidenceReading) {
        self.reader = reader
        cache = PagedRows(page: 1, limit: 2_000) { controls in
            Dictionary(uniqueKeysWithValues: try controls.map { ($0, try reader.evidence(control: $0)) })
        }
    }

    /// One cache per snapshot: two states are equal only when they read the same snapshot.
    public static func == (a: EvidenceRowCache, b: EvidenceRowCache) -> Bool { a === b }

    /// The control's items, newest proved first; none when they cannot be read.
    public func items(of control: String) -> [EvidenceLoad] { cache.row(0, count: 1) { _ in control } ?? [] }
}
