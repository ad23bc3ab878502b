import Foundation

/// A gap's place in the Gaps pane: enough to count, select, mark and find a row without
/// reading it. 20,000 keys of short refs cost a few hundred kilobytes; whole gaps are read
/// only for the rows on screen (`GapRowCache`).
public struct GapKey: Equatable, Hashable, Sendable {
    /// The store's row id, by which a window of whole gaps is read.
    public var id: Int64
    public var ref: String
    public var isOpen: Bool
    public init(id: Int64, ref: String, isOpen: Bool) { self.id = id; self.ref = ref; self.isOpen = isOpen }
}

/// A key with the fields the Gaps pane's filter matches (reference, title, owner).
public struct GapSearchRow: Equatable, Sendable {
    public var key: GapKey
    public var title: String
    public var owner: String?
    public init(key: GapKey, title: String, owner: String?) { self.key = key; self.title = title; self.owner = owner }
}

/// Open-gap counts the readiness panes, the Owners pane, the meeting counters and the
/// dashboard show, counted by the store instead of by walking every gap on every frame.
public struct GapCounts: Equatable, Sendable {
    public var openBySeverity: [Severity: Int] = [:]
    public var overdue = 0
    /// Open gaps with no owner.
    public var unassignedOpen = 0
    /// Open gaps by linked control ref.
    public var openByControl: [String: Int] = [:]
    /// Open gaps by linked requirement, as `framework:ref`.
    public var openByRequirement: [String: Int] = [:]
    public init() {}

    public var open: Int { openBySeverity.values.reduce(0, +) }

    /// The counts of `gaps`, by the same rules the store counts with (the reference for tests
    /// and for a workspace held in memory).
    public init(_ gaps: [Gap], today: String) {
        for gap in gaps where gap.status.isOpen {
            addOpen(
                severity: gap.severity, due: gap.due, hasOwner: gap.owner != nil, control: gap.control,
                requirement: gap.criterion.flatMap { criterion in gap.framework.map { "\($0):\(criterion)" } }, today: today)
        }
    }

    /// Counts one open gap (the store calls it per row of its one pass; `requirement` is
    /// `framework:ref`).
    public mutating func addOpen(severity: Severity, due: String?, hasOwner: Bool, control: String?, requirement: String?, today: String) {
        openBySeverity[severity, default: 0] += 1
        if let due, due < today { overdue += 1 }
        if !hasOwner { unassignedOpen += 1 }
        if let control { openByControl[control, default: 0] += 1 }
        if let requirement { openByRequirement[requirement, default: 0] += 1 }
    }
}

/// What the triage order compares, read without the rest of the gap (the store reads only
/// these columns for the Gaps pane's 20,000 keys).
public struct TriageEntry: Equatable, Sendable {
    public var isOpen: Bool
    public var severity: Severity
    public var due: String?
    /// The number in the reference (`GAP-12` is 12).
    public var number: Int
    public init(isOpen: Bool, severity: Severity, due: String?, number: Int) {
        self.isOpen = isOpen; self.severity = severity; self.due = due; self.number = number
    }
}

extension GapOrder {
    /// Positions of `entries` in triage order: the rule `triage` on the columns it needs.
    public static func triageOrder(entries: [TriageEntry]) -> [Int] {
        let keys = entries.map { Key(score: 0, severity: $0.severity, due: $0.due, number: $0.number) }
        return keys.indices.sorted { a, b in
            if entries[a].isOpen != entries[b].isOpen { return entries[a].isOpen }
            return keys[a].urgencyFirst(keys[b])
        }
    }
}

/// An open critical or high gap's links: all the readiness rule needs of a blocking gap.
public struct BlockingLink: Equatable, Sendable {
    public var control: String?
    public var requirement: String?
    public var framework: String?
    public init(control: String?, requirement: String?, framework: String?) {
        self.control = control; self.requirement = requirement; self.framework = framework
    }
}
