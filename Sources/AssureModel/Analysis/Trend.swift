import Foundation

/// One point of the dashboard's trend.
public struct TrendPoint: Equatable, Sendable {
    public var date: String
    public var openGaps: Int
    public var readiness: Share
    public init(date: String, openGaps: Int, readiness: Share) { self.date = date; self.openGaps = openGaps; self.readiness = readiness }
}

public enum Trend {
    /// What the replay needs of a control: its status and whether it holds a justification
    /// (which counts once the replayed status is "not applicable", `ControlLine.isJustified`).
    public struct ControlState: Sendable, Equatable {
        public var ref: String
        public var status: ControlStatus
        public var hasJustification: Bool
        public init(ref: String, status: ControlStatus, hasJustification: Bool) {
            self.ref = ref; self.status = status; self.hasJustification = hasJustification
        }
    }

    /// What the replay needs of a gap: what the readiness rule and the open count look at.
    public struct GapState: Sendable, Equatable {
        public var ref: String
        public var status: GapStatus
        public var severity: Severity
        public var control: String?
        public var criterion: String?
        public var framework: String?
        public init(ref: String, status: GapStatus, severity: Severity, control: String?, criterion: String?, framework: String?) {
            self.ref = ref; self.status = status; self.severity = severity
            self.control = control; self.criterion = criterion; self.framework = framework
        }
    }

    /// What the replay needs of a change-log row: when, to what, and the value before.
    public struct Change: Sendable, Equatable {
        public var at: String
        public var entity: String
        public var ref: String
        public var field: String
        public var before: String?
        public init(at: String, entity: String, ref: String, field: String, before: String?) {
            self.at = at; self.entity = entity; self.ref = ref; self.field = field; self.before = before
        }
    }

    /// The replay from whole controls, gaps and change records.
    public static func replay(
        samples: [String], controls: [Control], gaps: [Gap], criteria: [ReadinessCriterion],
        changes: [ChangeRecord], framework: String = Framework.soc2ID
    ) -> [TrendPoint] {
        replay(
            samples: samples,
            controls: controls.map {
                ControlState(
                    ref: $0.ref, status: $0.status, hasJustification: ControlLine.isJustified(status: .notApplicable, justification: $0.justification)
                )
            },
            gaps: gaps.map {
                GapState(ref: $0.ref, status: $0.status, severity: $0.severity, control: $0.control, criterion: $0.criterion, framework: $0.framework)
            },
            criteria: criteria,
            changes: changes.map { Change(at: $0.at, entity: $0.entity, ref: $0.ref, field: $0.field, before: $0.before) },
            framework: framework)
    }

    /// Replays history backwards: starting from the state now, each change made after a sample's
    /// moment is reversed (control and gap statuses, gap severities, gap creations), and the
    /// readiness rule is applied at every sample. Only what the rule looks at is held, so a
    /// workspace of 20,000 gaps costs a few megabytes here, not whole gaps.
    ///
    /// - `samples`: the sample moments (`YYYY-MM-DDTHH:MM:SSZ`), newest first.
    /// - `changes`: change-log rows after the oldest sample, newest first.
    /// Returns the points oldest first.
    public static func replay(
        samples: [String], controls: [ControlState], gaps: [GapState], criteria: [ReadinessCriterion],
        changes: [Change], framework: String = Framework.soc2ID
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
                    // The justification is not replayed: as before, today's text decides.
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
            for control in controls {
                facts.controls[ReadinessFacts.key(control.ref)] = ReadinessFacts.ControlFact(
                    status: control.status, justified: control.status == .notApplicable && control.hasJustification)
            }
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
