import Foundation
import GRDB

/// What every OSCAL export shares: one JSON encoding (sorted keys, so the same workspace gives
/// the same bytes) and the dates taken from the change log, never from the clock.
enum OSCALWriting {
    static func encode(_ model: String, _ document: [String: Any], notes: [String]) throws -> OSCALExport {
        OSCALExport(json: CanonicalJSON.encode([model: document]) + "\n", notes: notes)
    }

    /// What a plan or a component definition lists: the assessable requirements and, for a
    /// catalog imported from OSCAL, its enhancements too (an 800-53 plan answers for AC-2(1) on
    /// its own, though readiness counts it under AC-2).
    static func listed(_ summary: RequirementSummary) -> Bool {
        summary.isAssessable || summary.requirement.level == "enhancement"
    }

    static func metadata(title: String, lastModified: String) -> [String: Any] {
        ["title": title, "last-modified": lastModified, "version": "1", "oscal-version": "1.1.3"]
    }
}

extension WorkspaceReader {
    /// The first and the last change-log times: the span the workspace records.
    func oscalChangeLogSpan() throws -> (first: String, last: String) {
        let epoch = "1970-01-01T00:00:00Z"
        let first = try String.fetchOne(db, sql: "SELECT at FROM change_log ORDER BY id LIMIT 1") ?? epoch
        let last = try String.fetchOne(db, sql: "SELECT at FROM change_log ORDER BY id DESC LIMIT 1") ?? epoch
        return (first, last)
    }
}
