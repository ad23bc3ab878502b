import AssureModel
import Foundation
import GRDB

extension WorkspaceWriter {
    /// Reviews an item as `reviewEvidence` does (the same independent-review rule, the same
    /// `review` and `review_note` rows) and also records who had reviewed it and when before,
    /// so that undoing the review in the workbench puts the previous reviewer back as well.
    public func reviewEvidenceRecordingReviewer(_ ref: String, accept: Bool, note: String) throws {
        let (id, _) = try Lookup.evidence(db, ref)
        let before = try Row.fetchOne(db, sql: "SELECT reviewed_by, reviewed_at FROM evidence WHERE id = ?", arguments: [id])!
        try reviewEvidence(ref, accept: accept, note: note)
        let after = try Row.fetchOne(db, sql: "SELECT ref, reviewed_by, reviewed_at FROM evidence WHERE id = ?", arguments: [id])!
        let canonical: String = after["ref"]
        for field in ["reviewed_by", "reviewed_at"] {
            try log.record(db, entity: "evidence", ref: canonical, id: id, field: field, before: before[field], after: after[field])
        }
    }
}
