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

/// Whole controls read so far for one snapshot, by reference: the detail strip and the edit
/// form read the selected one on first use, with the page of rows around it (one query), so
/// moving through 5,000 controls reads once every few dozen moves and never the table. A new
/// snapshot brings a new cache.
///
/// `@unchecked Sendable`: the dictionaries are only touched under `lock`; the reader is Sendable.
public final class ControlRowCache: @unchecked Sendable, Equatable {
    public let reader: ControlReading
    private let lock = NSLock()
    private var read: [String: Control] = [:]
    /// References asked for and not found (deleted since the snapshot): not asked again.
    private var gone = Set<String>()
    /// Rows read per miss: a screen's worth and more, so moving line by line reads rarely.
    static let page = 64
    /// Whole controls read so far: what a test checks to prove the pane never reads them all.
    private(set) var rowsRead = 0
    /// Queries made for whole controls.
    private(set) var queries = 0

    public init(_ reader: ControlReading) { self.reader = reader }

    /// One cache per snapshot: two states are equal only when they read the same snapshot.
    public static func == (a: ControlRowCache, b: ControlRowCache) -> Bool { a === b }

    /// The whole control of row `row` of `refs` (the pane's references in order), reading the
    /// page around it on a miss; nil when it is gone or cannot be read.
    public func control(_ refs: [String], _ row: Int) -> Control? {
        guard refs.indices.contains(row) else { return nil }
        let ref = refs[row]
        lock.lock()
        defer { lock.unlock() }
        if let control = read[ref] { return control }
        if gone.contains(ref) { return nil }
        let start = max(0, row - Self.page / 3)
        let wanted = refs[start..<min(refs.count, start + Self.page)].filter { read[$0] == nil && !gone.contains($0) }
        guard let found = try? reader.controls(refs: wanted) else { return nil }
        rowsRead += found.count
        queries += 1
        for control in found { read[control.ref] = control }
        for asked in wanted where read[asked] == nil { gone.insert(asked) }
        return read[ref]
    }

    /// One control by reference (a form opened from elsewhere), read alone on a miss.
    public func control(_ ref: String) -> Control? { control([ref], 0) }
}
