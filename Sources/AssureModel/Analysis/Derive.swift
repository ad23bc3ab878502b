import Foundation

/// A gap `gaps derive` would open for something missing. `key` is stable, so a proposal that
/// was ever created (even if later remediated) is never proposed again.
public struct DerivedGap: Equatable, Sendable {
    public var key: String
    public var draft: GapDraft
    public init(key: String, draft: GapDraft) { self.key = key; self.draft = draft }
}

/// An in-scope requirement at its framework's assessable level, as derive sees it.
public struct DeriveRequirement: Equatable, Sendable {
    /// `framework:ref`, except SOC 2's, which keep the plain ref the first release wrote into
    /// derived keys (so a gap derived then is not proposed again).
    public var key: String
    /// `framework:ref`, always: the gap's link.
    public var qualifiedRef: String
    public var ref: String
    public var title: String
    public var mappedControls: Int
    public init(frameworkID: String, ref: String, title: String, mappedControls: Int) {
        self.qualifiedRef = "\(frameworkID):\(ref)"
        self.key = frameworkID == Framework.soc2ID ? ref : qualifiedRef
        self.ref = ref; self.title = title; self.mappedControls = mappedControls
    }
}

public enum Derive {
    /// What is missing: in-scope requirements with no mapped control, controls nobody current
    /// owns, controls not started, periodic controls with no evidence defined. Proposals whose key
    /// is in `existingKeys` (derived before) are left out.
    public static func proposals(
        requirements: [DeriveRequirement], controls: [Control], existingKeys: Set<String>
    ) -> [DerivedGap] {
        var proposals: [DerivedGap] = []
        for requirement in requirements where requirement.mappedControls == 0 {
            proposals.append(
                DerivedGap(
                    key: "criterion-unmapped:\(requirement.key)",
                    draft: GapDraft(
                        title: "No control addresses \(requirement.ref)", description: "Map or write a control for: \(requirement.title)",
                        severity: .high, effort: .m, criterion: requirement.qualifiedRef)))
        }
        for control in controls where control.status != .notApplicable {
            if Rules.isUnowned(control) {
                proposals.append(
                    DerivedGap(
                        key: "control-unowned:\(control.ref)",
                        draft: GapDraft(
                            title: "\(control.ref) has no owner", description: "Name someone to run \(control.title).",
                            severity: .medium, effort: .xs, control: control.ref)))
            }
            if control.status == .notStarted {
                proposals.append(
                    DerivedGap(
                        key: "control-not-started:\(control.ref)",
                        draft: GapDraft(
                            title: "\(control.ref) not started: \(control.title)", severity: .medium, effort: .m,
                            owner: control.ownerRetired ? nil : control.owner, control: control.ref)))
            }
            if control.frequency.periodDays != nil && control.evidenceHint.trimmingCharacters(in: .whitespaces).isEmpty {
                proposals.append(
                    DerivedGap(
                        key: "control-no-evidence:\(control.ref)",
                        draft: GapDraft(
                            title: "\(control.ref) has no evidence defined", description: "Say what proves each \(control.frequency.label) run.",
                            severity: .low, effort: .xs, owner: control.ownerRetired ? nil : control.owner, control: control.ref)))
            }
        }
        return proposals.filter { !existingKeys.contains($0.key) }
    }
}
