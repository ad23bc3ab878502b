import AssureModel
import Foundation
import GRDB

extension WorkspaceWriter {
    /// Compares a passed run's output with its collector's current baseline and records a drift
    /// event when they differ, or resolves the open ones (`matched`) when they agree. Returns the
    /// drift event's id, if one was opened. Called by `collect` inside the run's transaction.
    /// No baseline, no drift. A run that repeats an open event's diff opens nothing new, so a
    /// collector that runs every few minutes does not fill the list with one drift.
    @discardableResult
    public func checkDrift(collectorID: Int64, runID: Int64) throws -> Int64? {
        let collector = try DriftCollector.byID(db, collectorID)
        guard
            let run = try Row.fetchOne(
                db, sql: "SELECT outcome, stdout_sha256 FROM collector_run WHERE id = ? AND collector_id = ?",
                arguments: [runID, collectorID])
        else {
            throw WorkspaceError.invalid("\(collector.name) has no run \(runID)")
        }
        let outcome: String = run[0]
        // A failed run says nothing about the configuration.
        guard outcome == "passed" else { return nil }
        guard let baseline = try BaselineRows.current(db, collectorID: collectorID) else { return nil }
        let stdout: String? = run[1]
        let ignore = baseline.ignore.compactMap { try? IgnorePath.parse($0) }
        let diff = DriftCompare.compare(
            baseline: try BaselineRows.text(db, sha256: baseline.sha256),
            current: try BaselineRows.text(db, sha256: stdout), format: collector.format, ignore: ignore)
        if diff.isEmpty {
            try resolveOpenDrift(collectorID: collectorID, resolution: "matched")
            return nil
        }
        let text = diff.text
        if try Bool.fetchOne(
            db, sql: "SELECT 1 FROM drift WHERE collector_id = ? AND status = 'open' AND diff = ?",
            arguments: [collectorID, text]) == true
        {
            return nil
        }
        try db.execute(
            sql: "INSERT INTO drift (collector_id, run_id, baseline_id, diff) VALUES (?, ?, ?, ?)",
            arguments: [collectorID, runID, baseline.id, text])
        let id = db.lastInsertedRowID
        let unit = collector.format == .json ? "path" : "line"
        try log.record(
            db, entity: "drift", ref: "DRIFT-\(id)", id: id, field: "opened", before: nil,
            after: "\(collector.name) run \(runID) differs from baseline v\(baseline.version) (\(collector.control)): "
                + "\(diff.changedCount) changed \(unit)\(diff.changedCount == 1 ? "" : "s")")
        return id
    }
}
