import Foundation

/// A control as every frame and every rule needs it: what the Controls pane's row shows, what
/// the readiness and ownership rules read, and what it is mapped to. Its description, evidence
/// hint, justification text and tags are read only for the control on screen in full (the
/// workbench's `ControlRowCache`), so 5,000 of these cost what their short fields cost.
public struct ControlLine: Equatable, Sendable {
    public var ref: String
    public var title: String
    public var status: ControlStatus
    /// Not applicable with a written justification: what `Readiness.counts` needs of the text.
    public var justified: Bool
    public var frequency: Frequency
    public var owner: String?
    public var backupOwner: String?
    /// The owner has left: the control counts as unowned until someone takes it over.
    public var ownerRetired: Bool
    /// Every requirement it addresses, in every framework, as `framework:ref`.
    public var requirements: [String]

    public init(
        ref: String, title: String, status: ControlStatus, justified: Bool, frequency: Frequency, owner: String?,
        backupOwner: String?, ownerRetired: Bool, requirements: [String]
    ) {
        self.ref = ref; self.title = title; self.status = status; self.justified = justified; self.frequency = frequency
        self.owner = owner; self.backupOwner = backupOwner; self.ownerRetired = ownerRetired; self.requirements = requirements
    }

    /// The line of a whole control.
    public init(_ control: Control) {
        self.init(
            ref: control.ref, title: control.title, status: control.status,
            justified: Self.isJustified(status: control.status, justification: control.justification), frequency: control.frequency,
            owner: control.owner, backupOwner: control.backupOwner, ownerRetired: control.ownerRetired,
            requirements: control.requirements)
    }

    /// Not applicable with a justification that is more than spaces (`Readiness.counts`).
    public static func isJustified(status: ControlStatus, justification: String) -> Bool {
        status == .notApplicable && !justification.trimmingCharacters(in: .whitespaces).isEmpty
    }
}
