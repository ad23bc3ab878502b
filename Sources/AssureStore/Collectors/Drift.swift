import AssureModel
import Foundation
import GRDB

/// A run whose output differed from its collector's baseline, open until the next run matches
/// or a new baseline is approved.
public struct DriftSummary: Equatable, Sendable {
    /// `DRIFT-7`
    public var ref: String
    public var collector: String
    public var control: String
    public var runID: Int64
    public var baselineVersion: Int
    /// When the differing run ended (the check runs as the run is recorded).
    public var detectedAt: String
    public var diff: String
    /// Changed paths (JSON) or changed lines (text).
    public var changedCount: Int
    /// `open` or `resolved`.
    public var status: String
    /// `matched` (a later run agreed) or `new-baseline`.
    public var resolution: String?
    public var resolvedBy: String?
    public var resolvedAt: String?
    public var isOpen: Bool { status == "open" }
}

enum DriftRows {
    static let select = """
        SELECT d.id, k.name, c.ref, d.run_id, b.version, r.ended_at, d.diff, d.status, d.resolution, d.resolved_by, d.resolved_at
        FROM drift d JOIN collector k ON k.id = d.collector_id JOIN control c ON c.id = k.control_id
        JOIN collector_run r ON r.id = d.run_id JOIN baseline b ON b.id = d.baseline_id
        """

    static func summary(_ row: Row) -> DriftSummary {
        let id: Int64 = row[0]
        let diff: String = row[6]
        return DriftSummary(
            ref: "DRIFT-\(id)", collector: row[1], control: row[2], runID: row[3], baselineVersion: row[4], detectedAt: row[5],
            diff: diff, changedCount: DriftDiff.changedCount(diff), status: row[7], resolution: row[8],
            resolvedBy: row[9], resolvedAt: row[10])
    }

    /// `DRIFT-7`, `drift-7` or `7`.
    static func id(_ db: Database, _ ref: String) throws -> Int64 {
        let upper = ref.uppercased()
        let number = Int64(upper.hasPrefix("DRIFT-") ? String(upper.dropFirst(6)) : upper)
        if let number, try Bool.fetchOne(db, sql: "SELECT 1 FROM drift WHERE id = ?", arguments: [number]) == true { return number }
        let all = try Int64.fetchAll(db, sql: "SELECT id FROM drift ORDER BY id").map { "DRIFT-\($0)" }
        throw WorkspaceError.unknownReference(kind: "drift event", name: ref, suggestions: Suggestions.closest(to: upper, in: all))
    }
}

extension WorkspaceReader {
    /// Drift events, oldest first (only the open ones when `openOnly`).
    public func driftEvents(openOnly: Bool = true) throws -> [DriftSummary] {
        try Row.fetchAll(db, sql: DriftRows.select + (openOnly ? " WHERE d.status = 'open'" : "") + " ORDER BY d.id").map(DriftRows.summary)
    }

    public func driftEvent(_ ref: String) throws -> DriftSummary {
        let id = try DriftRows.id(db, ref)
        return try DriftRows.summary(Row.fetchOne(db, sql: DriftRows.select + " WHERE d.id = ?", arguments: [id])!)
    }

    /// One proposed gap per control with unresolved drift, keyed by the control and its first
    /// open event (`drift:CM-03:4`): once that gap exists, the same drift is not proposed again,
    /// and drift that returns after being resolved is.
    public func driftProposals(today: String, existingKeys: Set<String>) throws -> [DerivedGap] {
        let open = try driftEvents(openOnly: true)
        var byControl: [String: [DriftSummary]] = [:]
        var order: [String] = []
        for event in open {
            if byControl[event.control] == nil { order.append(event.control) }
            byControl[event.control, default: []].append(event)
        }
        var proposals: [DerivedGap] = []
        for control in order {
            let events = byControl[control]!
            let first = events[0]
            let key = "drift:\(control):\(first.ref.dropFirst(6))"
            if existingKeys.contains(key) { continue }
            let owner = try String.fetchOne(
                db,
                sql: """
                    SELECT o.name FROM control c JOIN owner o ON o.id = c.owner_id WHERE c.ref = ?
                    """, arguments: [control])
            let collectors = Array(Set(events.map(\.collector))).sorted()
            let refs = events.map(\.ref).joined(separator: ", ")
            proposals.append(
                DerivedGap(
                    key: key,
                    draft: GapDraft(
                        title: "\(control) configuration drifted from its approved baseline",
                        description:
                            "Open drift (\(refs)) from \(collectors.joined(separator: ", ")): the collected output no longer matches the approved baseline. "
                            + "Put the configuration back so the next run matches, or approve the new output (assure baseline set \(collectors[0])).",
                        severity: .high, effort: .s, owner: owner, control: control)))
        }
        return proposals
    }
}

/// The report's "Configuration drift" section: open events (left out when there are none).
extension ReadinessReport {
    var driftTable: Table {
        Table(
            columns: [
                .init("ref", "Drift"), .init("collector", "Collector"), .init("control", "Control"), .init("detected", "Detected"),
                .init("changed", "Changed", alignRight: true), .init("baseline", "Baseline"),
            ],
            rows: drift.map { d in
                [.text(d.ref), .text(d.collector), .text(d.control), .text(d.detectedAt), .int(d.changedCount), .text("v\(d.baselineVersion)")]
            })
    }

    var driftLine: String {
        let controls = Set(drift.map(\.control)).count
        return "\(drift.count) open drift event\(drift.count == 1 ? "" : "s") on \(controls) control\(controls == 1 ? "" : "s"): "
            + "collected configuration that differs from its approved baseline (assure drift show ID for the diff)."
    }

    var driftMarkdown: String {
        "\n## Configuration drift\n\n" + Markdown.text(driftLine) + "\n\n" + driftTable.markdown()
    }
}
