import AssureModel
import AssureStore
import Workbench

/// The real workspace behind the workbench's `WorkbenchStore` protocol.
public final class WorkspaceAdapter: WorkbenchStore {
    public let workspace: Workspace

    public init(_ workspace: Workspace) { self.workspace = workspace }

    public func loadSnapshot() throws -> WorkspaceSnapshot {
        let all = try workspace.requirements()
        var points: [String: [Requirement]] = [:]
        for requirement in all where requirement.kind == .point { points[requirement.parentRef ?? "", default: []].append(requirement) }
        let owners = try workspace.owners().map {
            OwnerLoad(owner: $0.owner, controls: $0.controls, openGaps: $0.openGaps, overdueGaps: $0.overdueGaps)
        }
        var snapshot = WorkspaceSnapshot(
            scope: try workspace.scope(), requirements: all.filter { $0.kind != .point }, pointsOfFocus: points,
            controls: try workspace.controls(), owners: owners, gaps: try workspace.gaps(),
            today: Timestamps.day(workspace.clock()), readOnly: workspace.isReadOnly, meeting: try workspace.openMeeting()?.title)
        let ranked = try workspace.rankedGaps(snapshot.gaps, controls: snapshot.controls, requirements: all)
        snapshot.gapScores = Dictionary(uniqueKeysWithValues: ranked.map { ($0.gap.ref, $0.score.explanation) })
        if let target = try workspace.auditTarget() {
            snapshot.target = "SOC 2 \(target.reportType.label), \(target.window) window from \(target.windowStart): \(try workspace.auditThreats().count) threats"
        }
        return snapshot
    }

    /// The newest change-log id: every write adds rows, whichever process made it.
    public func changeToken() throws -> Int64 { try workspace.changeCounter() }

    public func trend(weeks: Int) throws -> [TrendSample] {
        try workspace.trend(weeks: weeks).map { TrendSample(date: $0.date, openGaps: $0.openGaps, readinessPercent: $0.readiness.percent) }
    }

    public func proposedGaps() throws -> [String] { try workspace.proposeGaps().map { "\($0.draft.severity.letter) \($0.draft.title)" } }

    public func lastChange(entity: String, ref: String) throws -> ChangeRecord? {
        try workspace.lastChange(entity: entity, ref: ref)
    }

    public func apply(_ edit: Edit, baseline: Int64?) throws -> EditResult {
        workspace.conflictBaseline = baseline
        defer { workspace.conflictBaseline = nil }
        let summary: String
        switch edit {
        case .assignOwner(let controls, let owner, let create):
            if let owner, create { try workspace.assignCreatingOwner(owner, controls: controls) }
            else { try workspace.assign(controls: controls, owner: .some(owner)) }
            summary = "\(describe(controls)) owner: \(owner ?? "none")"
        case .assignBackup(let controls, let owner, let create):
            if let owner, create { try workspace.assignCreatingOwner(owner, backupFor: controls) }
            else { try workspace.assign(controls: controls, backup: .some(owner)) }
            summary = "\(describe(controls)) backup: \(owner ?? "none")"
        case .assignGapOwner(let gaps, let owner, let create):
            if let owner, create { try workspace.assignCreatingOwner(owner, gaps: gaps) }
            else { try workspace.assignGaps(gaps, owner: owner) }
            summary = "\(describe(gaps)) owner: \(owner ?? "none")"
        case .setStatus(let controls, let status, let justification):
            try workspace.setStatus(controls: controls, to: status, justification: justification)
            summary = "\(describe(controls)) status: \(status.label)"
        case .openGap(let f):
            let ref = try workspace.openGap(GapDraft(title: f.title, severity: f.severity, effort: f.effort, owner: f.owner,
                                                     due: f.due, control: f.control, criterion: f.criterion))
            summary = "\(ref) opened: \(f.title)"
        case .editControl(let ref, let title, let description, let evidence, let frequency):
            try workspace.editControl(ref, ControlEdit(title: title, description: description, evidenceHint: evidence, frequency: frequency))
            summary = "\(ref) edited"
        case .editGap(let ref, let title, let description, let severity, let effort, let due):
            try workspace.editGap(ref, GapEdit(title: title, description: description, severity: severity, effort: effort, due: due))
            summary = "\(ref) edited"
        case .remediate(let gaps, let note):
            try workspace.remediateGaps(gaps, note: note)
            summary = "\(describe(gaps)) remediated"
        case .reopen(let gaps):
            try workspace.reopenGaps(gaps)
            summary = "\(describe(gaps)) reopened"
        case .accept(let gaps, let justification):
            try workspace.acceptGaps(gaps, justification: justification)
            summary = "\(describe(gaps)) risk accepted"
        case .startMeeting(let title, let attendees):
            let meeting = try workspace.startMeeting(title: title, attendees: attendees)
            summary = "meeting started: \(meeting.title); every change now belongs to it"
        case .endMeeting:
            let meeting = try workspace.endMeeting()
            summary = "meeting ended: \(meeting.title) (assure meeting minutes \(meeting.id))"
        case .deriveGaps:
            let refs = try workspace.createDerivedGaps(try workspace.proposeGaps())
            summary = refs.isEmpty ? "nothing to derive" : "\(refs.count) gaps opened (\(refs.first!)...\(refs.last!))"
        case .setTarget(let type, let start, let window):
            guard let reportType = ReportType(rawValue: type) else { throw WorkspaceError.invalid("the report type is 1 or 2") }
            try workspace.setAuditTarget(AuditTarget(reportType: reportType, windowStart: start, window: window))
            summary = "target: SOC 2 \(reportType.label), \(window) from \(start); \(try workspace.auditThreats().count) threats to the date"
        case .undo(let batch):
            let result = try workspace.undo(batch: batch)
            return EditResult(batch: result.batch, summary: result.summary)
        }
        return EditResult(batch: workspace.lastBatch, summary: summary)
    }

    private func describe(_ refs: [String]) -> String {
        refs.count == 1 ? refs[0] : "\(refs.count) items"
    }
}
