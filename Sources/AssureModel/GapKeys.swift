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
    /// Open gaps, and those of them overdue, by owner name (the Owners pane's loads).
    public var openByOwner: [String: Int] = [:]
    public var overdueByOwner: [String: Int] = [:]
    public init() {}

    public var open: Int { openBySeverity.values.reduce(0, +) }

    /// The counts of `gaps`, by the same rules the store counts with (the reference for tests
    /// and for a workspace held in memory).
    public init(_ gaps: [Gap], today: String) {
        for gap in gaps where gap.status.isOpen {
            addOpen(
                severity: gap.severity, due: gap.due, owner: gap.owner, control: gap.control,
                requirement: gap.criterion.flatMap { criterion in gap.framework.map { "\($0):\(criterion)" } }, today: today)
        }
    }

    /// An open gap is overdue when its due date is before today.
    @inline(__always)
    public static func isLate(due: String?, today: String) -> Bool { due.map { $0 < today } ?? false }

    /// Counts one open gap (the store calls it per row of its one pass; `requirement` is
    /// `framework:ref`).
    public mutating func addOpen(severity: Severity, due: String?, owner: String?, control: String?, requirement: String?, today: String) {
        openBySeverity[severity, default: 0] += 1
        let late = Self.isLate(due: due, today: today)
        if late { overdue += 1 }
        if let owner {
            openByOwner[owner, default: 0] += 1
            if late { overdueByOwner[owner, default: 0] += 1 }
        } else {
            unassignedOpen += 1
        }
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
    /// 20,000 keys sort in about 300,000 comparisons, so each entry becomes one integer that
    /// orders as the rule does (open first, severity, due date, number), and ties keep their
    /// place.
    public static func triageOrder(entries: [TriageEntry]) -> [Int] {
        let due = dueKeys(entries.map(\.due))
        var keys: [UInt64] = []
        keys.reserveCapacity(entries.count)
        for (i, entry) in entries.enumerated() {
            guard let key = packedKey(isOpen: entry.isOpen, severity: entry.severity, dueKey: due[i], number: entry.number) else {
                let keys = entries.indices.map { i in (entries[i].isOpen ? 0 : 1, entries[i].severity.rank, due[i], entries[i].number, i) }
                return keys.sorted { $0 < $1 }.map(\.4)
            }
            keys.append(key)
        }
        return stableOrder(keys)
    }

    /// One entry's place as one integer, or nil when a field does not fit (the caller then
    /// compares the fields as a tuple). Open: 1 bit, severity: 2, due: 30 (at most
    /// 999,999,995 or a rank), number: 31.
    @inlinable
    public static func packedKey(isOpen: Bool, severity: Severity, dueKey: Int, number: Int) -> UInt64? {
        guard number >= 0, number < 1 << 31, dueKey >= 0, dueKey < 1 << 30 else { return nil }
        return (UInt64(isOpen ? 0 : 1) << 63) | (UInt64(severity.rank) << 61) | (UInt64(dueKey) << 31) | UInt64(number)
    }

    /// Positions of `keys` in ascending order, equal keys in their places: a radix sort, 16
    /// bits a pass (a pass whose digit is the same in every key is skipped), which orders
    /// 20,000 keys in a fraction of what comparing them does.
    public static func stableOrder(_ keys: [UInt64]) -> [Int] {
        var order = Array(0..<keys.count)
        guard keys.count > 1 else { return order }
        var next = [Int](repeating: 0, count: keys.count)
        var counts = [Int](repeating: 0, count: 1 << 16)
        for shift in stride(from: UInt64(0), to: 64, by: 16) {
            for i in counts.indices { counts[i] = 0 }
            for key in keys { counts[Int((key >> shift) & 0xFFFF)] += 1 }
            if counts[Int((keys[0] >> shift) & 0xFFFF)] == keys.count { continue }
            var start = 0
            for i in counts.indices {
                let n = counts[i]
                counts[i] = start
                start += n
            }
            for position in order {
                let digit = Int((keys[position] >> shift) & 0xFFFF)
                next[counts[digit]] = position
                counts[digit] += 1
            }
            swap(&order, &next)
        }
        return order
    }

    /// What `dueKeys` gives a missing due date: as the text "9999" sorts.
    public static let missingDueKey = 99_990_000 * 10

    /// The key of a due date written as ten bytes `DDDD-DD-DD` (any digits: the key orders
    /// as the text does, which is what the rule compares), read straight from a column; nil
    /// for any other text, which needs `dueKeys` over all of them. Inlinable, so the store's
    /// loop over 20,000 rows runs it without a call.
    @inlinable
    public static func dueKey(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count == 10 else { return nil }
        var value = 0
        for i in 0..<10 {
            let byte = bytes[i]
            if i == 4 || i == 7 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value * 10 + 5
    }

    /// The same of a string.
    public static func dueKey(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { dueKey(utf8: $0) }
    }

    /// The text a `dueKey` came from.
    public static func dueText(key: Int) -> String {
        let digits = String(key / 10)
        let padded = String(repeating: "0", count: max(0, 8 - digits.count)) + digits
        let year = padded.prefix(4)
        let month = padded.dropFirst(4).prefix(2)
        return "\(year)-\(month)-\(padded.suffix(2))"
    }

    /// Integers that order as `urgencyFirst` compares due dates as text, a missing one as
    /// "9999". Dates written `DDDD-DD-DD` (all of them, in practice) map straight to
    /// DDDDDDDD × 10 + 5, and "9999" to 9999_0000 × 10, just before the year 9999's dates,
    /// as the text sorts; any other text ranks all the distinct values in string order.
    static func dueKeys(_ dues: [String?]) -> [Int] {
        var keys: [Int] = []
        keys.reserveCapacity(dues.count)
        for due in dues {
            guard let due else {
                keys.append(missingDueKey)
                continue
            }
            guard let key = dueKey(due) else {
                let rank = Dictionary(uniqueKeysWithValues: Set(dues.map { $0 ?? "9999" }).sorted().enumerated().map { ($1, $0) })
                return dues.map { rank[$0 ?? "9999"]! }
            }
            keys.append(key)
        }
        return keys
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
