import Foundation

/// One point of the dashboard's trend.
public struct TrendPoint: Equatable, Sendable {
    public var date: String
    public var openGaps: Int
    public var readiness: Share
    public init(date: String, openGaps: Int, readiness: Share) { self.date = date; self.openGaps = openGaps; self.readiness = readiness }
}

public enum Trend {
    /// Replays history backwards: starting from the state now, each change made after a sample's
    /// moment is reversed (control and gap statuses, gap severities, gap creations), and the
    /// readiness rule is applied at every sample.
    ///
    /// - `samples`: the sample moments (`YYYY-MM-DDTHH:MM:SSZ`), newest first.
    /// - `changes`: change-log rows after the oldest sample, newest first.
    /// Returns the points oldest first.
    public static func replay(
        samples: [String], controls: [Control], gaps: [Gap], criteria: [ReadinessCriterion],
        changes: [ChangeRecord], framework: String = Framework.soc2ID
    ) -> [TrendPoint] {
        var controls = controls
        var gaps = gaps
        let controlIndex = Dictionary(controls.enumerated().map { ($1.ref, $0) }, uniquingKeysWith: { a, _ in a })
        // Gaps by reference (the first of equal references, as a search from the start finds);
        // a gap whose creation is reversed is marked gone rather than removed, so the indices hold.
        let gapIndex = Dictionary(gaps.enumerated().map { ($1.ref, $0) }, uniquingKeysWith: { a, _ in a })
        var gone = [Bool](repeating: false, count: gaps.count)
        var points: [TrendPoint] = []
        var cursor = 0
        for sample in samples {
            while cursor < changes.count, changes[cursor].at > sample {
                let change = changes[cursor]
                cursor += 1
                if change.entity == "control", change.field == "status", let i = controlIndex[change.ref],
                    let status = change.before.flatMap(ControlStatus.init(rawValue:))
                {
                    controls[i].status = status
                } else if change.entity == "gap", let i = gapIndex[change.ref], !gone[i] {
                    switch change.field {
                    case "created": gone[i] = true
                    case "status": if let s = change.before.flatMap(GapStatus.init(rawValue:)) { gaps[i].status = s }
                    case "severity": if let s = change.before.flatMap(Severity.init(rawValue:)) { gaps[i].severity = s }
                    default: break
                    }
                }
            }
            var facts = ReadinessFacts()
            for control in controls { facts.add(control: control.ref, status: control.status, justification: control.justification) }
            var open = 0
            for (i, gap) in gaps.enumerated() where !gone[i] {
                if gap.status.isOpen { open += 1 }
                facts.add(gap: gap.status, severity: gap.severity, control: gap.control, requirement: gap.criterion, framework: gap.framework)
            }
            let readiness = Readiness.compute(criteria: criteria, facts: facts, framework: framework)
            points.append(TrendPoint(date: String(sample.prefix(10)), openGaps: open, readiness: readiness.overall))
        }
        return points.reversed()
    }
}
