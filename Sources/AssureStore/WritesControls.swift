import AssureModel
import GRDB

extension Workspace {
    /// Sets the owner and/or the backup owner of one or more controls in one transaction.
    /// `owner`/`backup`: nil leaves the field as it is; `.some(nil)` clears it.
    public func assign(controls refs: [String], owner: String?? = nil, backup: String?? = nil) throws {
        guard !refs.isEmpty else { throw WorkspaceError.invalid("no control given") }
        try perform { db, log in try ControlWriter.assign(db, log: &log, refs: refs, owner: owner, backup: backup) }
    }

    /// Sets the status of one or more controls. "Not applicable" needs a justification.
    public func setStatus(controls refs: [String], to status: ControlStatus, justification: String = "") throws {
        guard !refs.isEmpty else { throw WorkspaceError.invalid("no control given") }
        let reason = justification.trimmingCharacters(in: .whitespacesAndNewlines)
        if status == .notApplicable && reason.isEmpty {
            throw WorkspaceError.invalid("marking a control not applicable needs a justification (--justification TEXT)")
        }
        try perform { db, log in
            for ref in refs {
                let control = try Lookup.control(db, ref)
                let row = try Row.fetchOne(db, sql: "SELECT status, justification FROM control WHERE id = ?", arguments: [control.id])!
                let newJustification = status == .notApplicable ? reason : ""
                try db.execute(sql: "UPDATE control SET status = ?, justification = ? WHERE id = ?",
                               arguments: [status.rawValue, newJustification, control.id])
                try log.record(db, entity: "control", ref: control.ref, field: "status", before: row["status"], after: status.rawValue)
                try log.record(db, entity: "control", ref: control.ref, field: "justification", before: row["justification"], after: newJustification)
            }
        }
    }
}

enum ControlWriter {
    /// The owner and backup rules shared by every way of assigning: the backup must be someone else.
    static func assign(_ db: Database, log: inout ChangeRecorder, refs: [String], owner: String??, backup: String??) throws {
        let ownerID = try owner.map { name in try name.map { try Lookup.owner(db, $0) } }
        let backupID = try backup.map { name in try name.map { try Lookup.owner(db, $0) } }
        for ref in refs {
            let control = try Lookup.control(db, ref)
            let row = try Row.fetchOne(db, sql: "SELECT owner_id, backup_owner_id FROM control WHERE id = ?", arguments: [control.id])!
            let currentOwner: Int64? = row["owner_id"]
            let currentBackup: Int64? = row["backup_owner_id"]
            let newOwner = ownerID.map { $0?.id } ?? currentOwner
            let newBackup = backupID.map { $0?.id } ?? currentBackup
            if let newOwner, newOwner == newBackup {
                throw WorkspaceError.invalid("\(control.ref): the backup owner must be someone other than the owner")
            }
            if newOwner != currentOwner {
                try db.execute(sql: "UPDATE control SET owner_id = ? WHERE id = ?", arguments: [newOwner, control.id])
                try log.record(db, entity: "control", ref: control.ref, field: "owner",
                               before: try Lookup.ownerName(db, currentOwner), after: try Lookup.ownerName(db, newOwner))
            }
            if newBackup != currentBackup {
                try db.execute(sql: "UPDATE control SET backup_owner_id = ? WHERE id = ?", arguments: [newBackup, control.id])
                try log.record(db, entity: "control", ref: control.ref, field: "backup_owner",
                               before: try Lookup.ownerName(db, currentBackup), after: try Lookup.ownerName(db, newBackup))
            }
        }
    }
}
