import Foundation

/// The rules every path must apply the same way: the command line, the workbench, CSV import
/// and the sample loader all call these instead of writing their own.
public enum Rules {
    /// A control's backup must be someone other than its owner.
    public static func checkBackup(control ref: String, ownerID: Int64?, backupID: Int64?) throws {
        if let ownerID, ownerID == backupID {
            throw RuleViolation("\(ref): the backup owner must be someone other than the owner")
        }
    }

    /// "Not applicable" needs a written justification; any other status clears it.
    /// Returns the justification to store.
    public static func justification(for status: ControlStatus, _ text: String, control ref: String) throws -> String {
        let reason = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if status == .notApplicable && reason.isEmpty {
            throw RuleViolation("\(ref): marking a control not applicable needs a justification (--justification TEXT)")
        }
        return status == .notApplicable ? reason : ""
    }

    /// A control needs an owner when it is not "not applicable" and nobody current runs it: no
    /// owner, or an owner who has left.
    public static func isUnowned(_ control: Control) -> Bool {
        isUnowned(status: control.status, owner: control.owner, ownerRetired: control.ownerRetired)
    }

    /// The same rule for the line the workbench holds of a control.
    public static func isUnowned(_ line: ControlLine) -> Bool {
        isUnowned(status: line.status, owner: line.owner, ownerRetired: line.ownerRetired)
    }

    public static func isUnowned(status: ControlStatus, owner: String?, ownerRetired: Bool) -> Bool {
        status != .notApplicable && (owner == nil || ownerRetired)
    }

    /// Leaving a requirement out of scope at the assessable level (ISO's Statement of
    /// Applicability) needs a justification; leaving out a whole group (a SOC 2 category) does not.
    public static func checkExclusion(ref: String, applicable: Bool, atAssessableLevel: Bool, justification: String) throws {
        if !applicable && atAssessableLevel && justification.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw RuleViolation("\(ref): excluding a requirement from scope needs a justification (--justification TEXT)")
        }
    }
}

/// A domain rule refused an input; the message says which and why.
public struct RuleViolation: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ message: String) { description = message }
}
