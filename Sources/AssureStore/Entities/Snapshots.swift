import AssureModel
import GRDB

/// What a snapshot records, and what "now" looks like for comparison.
public struct SnapshotState: Equatable, Sendable {
    public var controls: [String: (status: String, owner: String?)]
    public var gaps: [String: (title: String, status: String, severity: String)]
    public var readiness: [String: Share]

    public static func == (a: SnapshotState, b: SnapshotState) -> Bool {
        a.readiness == b.readiness
            && a.controls.mapValues { "\($0.status)|\($0.owner ?? "")" } == b.controls.mapValues { "\($0.status)|\($0.owner ?? "")" }
            && a.gaps.mapValues { "\($0.title)|\($0.status)|\($0.severity)" } == b.gaps.mapValues { "\($0.title)|\($0.status)|\($0.severity)" }
    }
}

public struct Snapshot: Equatable, Sendable {
    public var id: Int64
    public var title: String
    public var takenAt: String
    public var takenBy: String
}

/// The drift between two states: what a meeting or an auditor wants to see changed.
public struct SnapshotDiff: Sendable {
    public struct ControlChange: Equatable, Sendable { public var ref, field: String; public var before, after: String? }
    public var from: String
    public var to: String
    public var controlChanges: [ControlChange]
    public var opened: [(ref: String, title: String)]
    public var remediated: [(ref: String, title: String)]
    public var reopened: [(ref: String, title: String)]
    public var accepted: [(ref: String, title: String)]
    public var readiness: [(category: String, before: Share, after: Share)]

    public var isEmpty: Bool {
        controlChanges.isEmpty && opened.isEmpty && remediated.isEmpty && reopened.isEmpty && accepted.isEmpty
            && readiness.allSatisfy { $0.before == $0.after }
    }

    public static func between(_ a: SnapshotState, _ b: SnapshotState, from: String, to: String) -> SnapshotDiff {
        var changes: [ControlChange] = []
        for ref in Set(a.controls.keys).union(b.controls.keys).sorted() {
            let x = a.controls[ref]
            let y = b.controls[ref]
            if x?.status != y?.status { changes.append(ControlChange(ref: ref, field: "status", before: x?.status, after: y?.status)) }
            if x?.owner != y?.owner { changes.append(ControlChange(ref: ref, field: "owner", before: x?.owner, after: y?.owner)) }
        }
        func number(_ ref: String) -> Int { Int(ref.split(separator: "-").last ?? "") ?? 0 }
        var opened: [(String, String)] = []
        var remediated: [(String, String)] = []
        var reopened: [(String, String)] = []
        var accepted: [(String, String)] = []
        // Each number parsed once, not at every comparison of the sort.
        let byNumber = b.gaps.keys.map { (number: number($0), ref: $0) }.sorted { $0.number < $1.number }.map(\.ref)
        for ref in byNumber {
            let after = b.gaps[ref]!
            guard let before = a.gaps[ref] else { opened.append((ref, after.title)); continue }
            let wasOpen = before.status == "open" || before.status == "in-progress"
            let isOpen = after.status == "open" || after.status == "in-progress"
            if wasOpen && after.status == "remediated" { remediated.append((ref, after.title)) }
            if wasOpen && after.status == "risk-accepted" { accepted.append((ref, after.title)) }
            if !wasOpen && isOpen { reopened.append((ref, after.title)) }
        }
        let categories = TSCCategory.allCases.map(\.rawValue).filter { a.readiness[$0] != nil || b.readiness[$0] != nil }
        return SnapshotDiff(
            from: from, to: to, controlChanges: changes, opened: opened, remediated: remediated, reopened: reopened, accepted: accepted,
            readiness: categories.map { ($0, a.readiness[$0] ?? Share(addressed: 0, total: 0), b.readiness[$0] ?? Share(addressed: 0, total: 0)) })
    }

    public func text() -> String {
        var out = "Changes from \(from) to \(to)\n"
        out += "\nReadiness by category:\n"
        for r in readiness {
            out +=
                "  \(TSCCategory(rawValue: r.category)?.title ?? r.category): \(r.before.percent)% -> \(r.after.percent)% (\(r.before.addressed)/\(r.before.total) -> \(r.after.addressed)/\(r.after.total))\n"
        }
        out += "\nControls changed (\(controlChanges.count)):\n"
        for c in controlChanges { out += "  \(c.ref) \(c.field): \(c.before ?? "none") -> \(c.after ?? "none")\n" }
        for (label, list) in [("Gaps opened", opened), ("Gaps remediated", remediated), ("Gaps reopened", reopened), ("Risks accepted", accepted)] {
            out += "\n\(label) (\(list.count)):\n"
            for g in list { out += "  \(g.ref) \(g.title)\n" }
        }
        return out
    }

    public func json() -> String {
        func list(_ items: [(ref: String, title: String)]) -> String {
            "[" + items.map { "{\"ref\": \(JSON.string($0.ref)), \"title\": \(JSON.string($0.title))}" }.joined(separator: ", ") + "]"
        }
        let controls = controlChanges.map {
            "{\"ref\": \(JSON.string($0.ref)), \"field\": \(JSON.string($0.field)), \"before\": \(JSON.value(.text($0.before))), \"after\": \(JSON.value(.text($0.after)))}"
        }
        let readinessJSON = readiness.map {
            "{\"category\": \(JSON.string($0.category)), \"before\": \($0.before.percent), \"after\": \($0.after.percent), \"before_addressed\": \($0.before.addressed), \"after_addressed\": \($0.after.addressed), \"total\": \($0.after.total)}"
        }
        return """
            {
              "from": \(JSON.string(from)),
              "to": \(JSON.string(to)),
              "readiness": [\(readinessJSON.joined(separator: ", "))],
              "controls_changed": [\(controls.joined(separator: ", "))],
              "gaps_opened": \(list(opened)),
              "gaps_remediated": \(list(remediated)),
              "gaps_reopened": \(list(reopened)),
              "risks_accepted": \(list(accepted))
            }

            """
    }
}

extension WorkspaceReader {
    /// The current state, in snapshot form (SOC 2 readiness by category, as the first release kept).
    public func currentState() throws -> SnapshotState {
        let readiness = try readiness()
        var controls: [String: (status: String, owner: String?)] = [:]
        if let cached = cache.controls {
            controls = Dictionary(uniqueKeysWithValues: cached.map { ($0.ref, ($0.status.rawValue, $0.owner)) })
        } else {
            // Only the columns a snapshot keeps, not whole controls with their mappings.
            let cursor = try Row.fetchCursor(db, sql: "SELECT c.ref, c.status, o.name FROM control c LEFT JOIN owner o ON o.id = c.owner_id")
            while let row = try cursor.next() {
                let ref: String = row[0]
                precondition(controls.updateValue((row[1], row[2]), forKey: ref) == nil, "duplicate control \(ref)")
            }
        }
        var gaps: [String: (title: String, status: String, severity: String)] = [:]
        if let cached = cache.gaps {
            gaps = Dictionary(uniqueKeysWithValues: cached.map { ($0.ref, ($0.title, $0.status.rawValue, $0.severity.rawValue)) })
        } else {
            let cursor = try Row.fetchCursor(db, sql: "SELECT ref, title, status, severity FROM gap")
            gaps.reserveCapacity(try Int.fetchOne(db, sql: "SELECT count(*) FROM gap") ?? 0)
            while let row = try cursor.next() {
                let ref: String = row[0]
                precondition(gaps.updateValue((row[1], row[2], row[3]), forKey: ref) == nil, "duplicate gap \(ref)")
            }
        }
        return SnapshotState(controls: controls, gaps: gaps, readiness: readiness.byCategory)
    }

    public func snapshots() throws -> [Snapshot] {
        try Row.fetchAll(db, sql: "SELECT * FROM snapshot ORDER BY id").map {
            Snapshot(id: $0["id"], title: $0["title"], takenAt: $0["taken_at"], takenBy: $0["taken_by"])
        }
    }

    /// A snapshot by number or title (the newest with that title).
    public func snapshot(_ reference: String) throws -> Snapshot {
        let all = try snapshots()
        if let id = Int64(reference), let found = all.first(where: { $0.id == id }) { return found }
        if let found = all.last(where: { $0.title.lowercased() == reference.lowercased() }) { return found }
        throw WorkspaceError.unknownReference(
            kind: "snapshot", name: reference, suggestions: Suggestions.closest(to: reference, in: all.map(\.title)))
    }

    public func state(of snapshot: Snapshot) throws -> SnapshotState {
        // Read by position: a lookup by name lowercases the name on every read.
        var controls: [String: (status: String, owner: String?)] = [:]
        var cursor = try Row.fetchCursor(db, sql: "SELECT ref, status, owner FROM snapshot_control WHERE snapshot_id = ?", arguments: [snapshot.id])
        while let row = try cursor.next() {
            let ref: String = row[0]
            precondition(controls.updateValue((row[1], row[2]), forKey: ref) == nil, "duplicate control \(ref) in snapshot \(snapshot.id)")
        }
        var gaps: [String: (title: String, status: String, severity: String)] = [:]
        cursor = try Row.fetchCursor(db, sql: "SELECT ref, title, status, severity FROM snapshot_gap WHERE snapshot_id = ?", arguments: [snapshot.id])
        while let row = try cursor.next() {
            let ref: String = row[0]
            precondition(gaps.updateValue((row[1], row[2], row[3]), forKey: ref) == nil, "duplicate gap \(ref) in snapshot \(snapshot.id)")
        }
        var readiness: [String: Share] = [:]
        cursor = try Row.fetchCursor(
            db, sql: "SELECT category, addressed, total FROM snapshot_readiness WHERE snapshot_id = ?", arguments: [snapshot.id])
        while let row = try cursor.next() {
            let category: String = row[0]
            precondition(readiness.updateValue(Share(addressed: row[1], total: row[2]), forKey: category) == nil, "duplicate category \(category)")
        }
        return SnapshotState(controls: controls, gaps: gaps, readiness: readiness)
    }

    /// Drift from a snapshot to another, or to now.
    public func diff(from: String, to: String? = nil) throws -> SnapshotDiff {
        let a = try snapshot(from)
        let before = try state(of: a)
        if let to {
            let b = try snapshot(to)
            return SnapshotDiff.between(before, try state(of: b), from: "snapshot \(a.id) \"\(a.title)\"", to: "snapshot \(b.id) \"\(b.title)\"")
        }
        return SnapshotDiff.between(before, try currentState(), from: "snapshot \(a.id) \"\(a.title)\"", to: "now")
    }
}

extension WorkspaceWriter {
    /// Records the state under a title; returns the snapshot.
    @discardableResult
    public func takeSnapshot(title: String) throws -> Snapshot {
        let title = title.trimmingCharacters(in: .whitespaces)
        guard !title.isEmpty else { throw WorkspaceError.invalid("a snapshot needs a title") }
        let state = try reader.currentState()
        let changeID = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM change_log") ?? 0
        try db.execute(
            sql: "INSERT INTO snapshot (title, taken_at, taken_by, change_id) VALUES (?, ?, ?, ?)",
            arguments: [title, log.at, log.actor, changeID])
        let id = db.lastInsertedRowID
        let control = try db.makeStatement(sql: "INSERT INTO snapshot_control (snapshot_id, ref, status, owner) VALUES (?, ?, ?, ?)")
        for (ref, c) in state.controls { try control.execute(arguments: [id, ref, c.status, c.owner]) }
        let gap = try db.makeStatement(sql: "INSERT INTO snapshot_gap (snapshot_id, ref, title, status, severity) VALUES (?, ?, ?, ?, ?)")
        for (ref, g) in state.gaps { try gap.execute(arguments: [id, ref, g.title, g.status, g.severity]) }
        for (category, share) in state.readiness {
            try db.execute(
                sql: "INSERT INTO snapshot_readiness (snapshot_id, category, addressed, total) VALUES (?, ?, ?, ?)",
                arguments: [id, category, share.addressed, share.total])
        }
        try log.record(db, entity: "snapshot", ref: String(id), id: id, field: "taken", before: nil, after: title)
        return Snapshot(id: id, title: title, takenAt: log.at, takenBy: log.actor)
    }
}
