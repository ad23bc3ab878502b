import AssureModel
import Foundation
import GRDB

/// What goes into `assure package`: the evidence that is not rejected, whose proved date or
/// period touches the window, with the requirements its control serves and the requests it
/// answers, read in one transaction with the change-log anchor the manifest names.
extension WorkspaceReader {
    public func evidencePackageContents(window: (from: String, to: String)?, framework: String?, today: String) throws -> PackageContents {
        let frameworkID = try framework.map { try Lookup.framework(db, $0) }
        var window = window
        if window == nil, let target = try auditTarget(framework: frameworkID ?? Framework.soc2ID),
            let end = Ledger.windowEnd(start: target.windowStart, length: target.window)
        {
            window = (target.windowStart, end)
        }
        let anchor = try chainAnchor()
        let createdAt = try oscalChangeLogSpan().last
        let items = try evidence(today: today).filter { item in
            item.review != .rejected && (window.map { item.provedTo >= $0.from && item.provedFrom <= $0.to } ?? true)
        }
        let titles = Dictionary(try Row.fetchAll(db, sql: "SELECT ref, title FROM control").map { ($0["ref"] as String, $0["title"] as String) }) {
            a, _ in a
        }
        var requirementsOf: [String: [String]] = [:]
        var requirementTitles: [String: String] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT c.ref AS control, r.framework_id || ':' || r.ref AS requirement, r.title FROM control_requirement cr
                JOIN control c ON c.id = cr.control_id JOIN requirement r ON r.id = cr.requirement_id JOIN framework f ON f.id = r.framework_id
                WHERE f.in_scope = 1 AND (? IS NULL OR f.id = ?) ORDER BY f.sort_order, r.sort_order
                """, arguments: [frameworkID, frameworkID])
        {
            requirementsOf[row["control"], default: []].append(row["requirement"])
            requirementTitles[row["requirement"]] = row["title"]
        }
        let requests = try auditRequests()
        var requestsOf: [String: [String]] = [:]
        for request in requests { for item in request.evidence { requestsOf[item, default: []].append(request.ref) } }
        // The writer pulls every chunk on this thread, inside this read transaction, before it
        // returns; the closures never outlive it or cross threads.
        nonisolated(unsafe) let database = db
        let evidence = items.flatMap { item in
            item.currentFiles.map { file in
                PackageEvidence(
                    id: item.ref, version: file.version, control: item.control, controlTitle: titles[item.control] ?? "",
                    requirements: requirementsOf[item.control] ?? [], requests: requestsOf[item.ref] ?? [],
                    provedFrom: item.provedFrom, provedTo: item.provedTo, addedAt: item.addedAt, addedBy: item.addedBy,
                    review: item.review.rawValue,
                    file: PackageFile(sha256: file.sha256, name: file.name, size: file.size) {
                        // Pulled chunk by chunk on this read transaction: a large file is never whole in memory.
                        let chunks = try Data.fetchCursor(
                            database, sql: "SELECT data FROM blob_chunk WHERE sha256 = ? ORDER BY seq", arguments: [file.sha256])
                        return { try chunks.next() }
                    })
            }
        }
        return PackageContents(
            company: try scope().company, window: window, framework: frameworkID, chainHead: anchor.head, chainCount: anchor.rows,
            createdAt: createdAt, evidence: evidence,
            requests: requests.map { PackageRequest(ref: $0.ref, text: $0.text, state: $0.state.rawValue) },
            requirementTitles: requirementTitles)
    }
}
