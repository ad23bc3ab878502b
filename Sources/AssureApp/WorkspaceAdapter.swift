import AssureModel
import AssureStore
import Foundation
import Workbench

/// The real workspace behind the workbench's `WorkbenchStore` protocol. The adapter is the
/// session: it knows who is at the keyboard and what time it is, and passes both into every
/// write; the workspace handle itself holds neither.
public final class WorkspaceAdapter: WorkbenchStore {
    public let workspace: Workspace
    public let actor: String
    let clock: () -> Date
    /// Whose allow-list decides which collectors may run here (the user's own by default).
    let trust: CollectorTrust

    public init(_ workspace: Workspace, actor: String, clock: @escaping () -> Date = Date.init, trust: CollectorTrust = .forCurrentUser()) {
        self.workspace = workspace; self.actor = actor; self.clock = clock; self.trust = trust
    }

    /// Everything the screen shows, as of one state of the file: a refresh never mixes two.
    /// Two cores share the work, each in its own read transaction: a second thread reads the
    /// gaps (their keys in the pane's order, the counts and the links of blocking gaps, never
    /// every whole gap: the pane reads those a window at a time) and the owners' loads, while
    /// this one reads the rest. Every
    /// framework's figures then follow by the readiness rule from what both read, as the index
    /// computes the shown framework's. Both reads describe the same state when they saw the
    /// same newest change-log id, because every write that changes a table adds a change-log
    /// row (`TableState`); if a write landed between them, everything is read again in one.
    public func loadSnapshot() throws -> WorkspaceSnapshot {
        let now = clock()
        let today = Timestamps.day(now)
        // The gaps and owners on a second connection while this one reads the rest.
        let (main, side) = try workspace.readSplit(
            { r in
                let snapshot = try readSnapshot(r, now: now)
                // The controls' half of the readiness facts, on this thread while the other
                // gathers the gaps' half.
                return (snapshot, ReadinessFacts(lines: snapshot.controls))
            }, side: { r in try SideRead(r, today: today, now: now) })
        return main.0.with(side, lineFacts: main.1, reader: gapReader)
    }

    /// Reads whole gaps for the Gaps pane's window, one short read transaction per page.
    private lazy var gapReader = WorkspaceGapReader(workspace)
    /// Reads the whole control shown in full, one short read transaction each.
    private lazy var controlReader = WorkspaceControlReader(workspace)

    /// Everything but what `SideRead` reads on the other thread.
    private func readSnapshot(_ r: WorkspaceReader, now: Date) throws -> WorkspaceSnapshot {
        let today = Timestamps.day(now)
        // Each framework's tree once; SOC 2's also fills the snapshot's first-release fields.
        var views: [String: FrameworkView] = [:]
        // The lines first: each framework's summaries then take their mapped controls from them.
        let controls = try r.controlLines()
        let frameworks = try r.frameworks()
        for framework in frameworks {
            let summaries = try r.requirementSummaries(framework: framework.id)
            var details: [String: [Requirement]] = [:]
            for s in summaries where s.requirement.kind == .point { details[s.requirement.parentRef ?? "", default: []].append(s.requirement) }
            views[framework.id] = FrameworkView(
                requirements: summaries.map(\.requirement).filter { $0.kind != .point }, details: details,
                readinessInput: try r.readinessInput(framework: framework.id),
                inScope: Set(summaries.filter(\.inScope).map(\.requirement.ref)))
        }
        let soc2 = views[Framework.soc2ID]
        var snapshot = WorkspaceSnapshot(
            scope: try r.scope(), requirements: soc2?.requirements ?? [], pointsOfFocus: soc2?.details ?? [:],
            controls: [], owners: [], gaps: [],
            today: today, readOnly: workspace.isReadOnly, meeting: try r.openMeeting()?.title
        ).with(lines: controls, reader: controlReader)
        snapshot.ranking = try r.rankingContext(lines: controls)
        snapshot.readinessInput = soc2?.readinessInput ?? []
        snapshot.changeToken = try r.changeCounter()
        snapshot.views = views
        let audits = try r.auditLabels()
        snapshot.frameworks = frameworks.map { FrameworkLoad(framework: $0, audit: audits[$0.id]) }
        if let target = try r.auditTarget() {
            snapshot.target =
                "SOC 2 \(target.reportType.label), \(target.window) window from \(target.windowStart): \(try r.auditThreats(now: now).count) threats"
            // A target whose window cannot be tiled shows as no window rather than no screen.
            if let ledger = try? r.ledger(framework: Framework.soc2ID, today: today) {
                var byControl: [String: [Occurrence]] = [:]
                for occurrence in ledger.occurrences { byControl[occurrence.control, default: []].append(occurrence) }
                snapshot.typeII = TypeIIWindowLoad(
                    windowStart: ledger.windowStart, windowEnd: ledger.windowEnd, length: target.window, graceDays: ledger.graceDays,
                    controls: ledger.controls.map {
                        LedgerControlLoad(control: $0.ref, frequency: $0.frequency, occurrences: byControl[$0.ref] ?? [], coverage: $0.coverage)
                    },
                    overall: ledger.overall, eventDriven: ledger.eventDriven)
            }
        }
        // The stale items only: the pane reads a control's items when it shows them.
        snapshot.staleEvidence = try r.staleEvidence(today: today).map(EvidenceLoad.init)
        snapshot.evidenceRows = EvidenceRowCache(WorkspaceEvidenceReader(workspace, today: today))
        // Risks, policies and vendors: here rather than beside the gaps, which take longer.
        try ProgrammeRead(r, today: today, now: now).fill(&snapshot)
        // The owners' roster here, their gap loads once the gaps' thread has counted them: the
        // gaps are the longer half.
        snapshot.owners = try r.owners(counts: GapCounts()).map {
            OwnerLoad(owner: $0.owner, controls: $0.controls, openGaps: 0, overdueGaps: 0)
        }
        return snapshot
    }

    /// The newest change-log id: every write adds rows, whichever process made it.
    public func changeToken() throws -> Int64 { try workspace.read { try $0.changeCounter() } }

    public func trend(weeks: Int) throws -> [TrendSample] {
        try workspace.read { try $0.trend(weeks: weeks, now: clock()) }
            .map { TrendSample(date: $0.date, openGaps: $0.openGaps, readinessPercent: $0.readiness.percent) }
    }

    public func proposedGaps() throws -> [String] {
        try workspace.read { try $0.proposeGaps(today: Timestamps.day(clock())) }.map { "\($0.draft.severity.letter) \($0.draft.title)" }
    }

    public func lastChange(entity: String, ref: String) throws -> ChangeRecord? {
        try workspace.read { try $0.lastChange(entity: entity, ref: ref) }
    }

    public func apply(_ edit: Edit, baseline: Int64?) throws -> EditResult {
        // A collector's command runs outside any transaction; each run is then recorded in its own.
        if case .runCollectors(let control) = edit { return try runCollectors(control: control) }
        var summary = ""
        let written = try workspace.write(Actor(actor, now: clock(), baseline: baseline)) { w in
            summary = try self.apply(edit, with: w)
        }
        return EditResult(batch: written.batch, summary: summary)
    }

    /// One edit inside the write transaction; returns its one-line summary.
    private func apply(_ edit: Edit, with workspace: WorkspaceWriter) throws -> String {
        let summary: String
        switch edit {
        case .assignOwner(let controls, let owner, let create):
            if let owner, create {
                try workspace.assignCreatingOwner(owner, controls: controls)
            } else {
                try workspace.assign(controls: controls, owner: .some(owner))
            }
            summary = "\(describe(controls)) owner: \(owner ?? "none")"
        case .assignBackup(let controls, let owner, let create):
            if let owner, create {
                try workspace.assignCreatingOwner(owner, backupFor: controls)
            } else {
                try workspace.assign(controls: controls, backup: .some(owner))
            }
            summary = "\(describe(controls)) backup: \(owner ?? "none")"
        case .assignGapOwner(let gaps, let owner, let create):
            if let owner, create { try workspace.assignCreatingOwner(owner, gaps: gaps) } else { try workspace.assignGaps(gaps, owner: owner) }
            summary = "\(describe(gaps)) owner: \(owner ?? "none")"
        case .setStatus(let controls, let status, let justification):
            try workspace.setStatus(controls: controls, to: status, justification: justification)
            summary = "\(describe(controls)) status: \(status.label)"
        case .openGap(let f):
            let ref = try workspace.openGap(f)
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
            let refs = try workspace.createDerivedGaps(try workspace.reader.proposeGaps(today: Timestamps.day(clock())))
            summary = refs.isEmpty ? "nothing to derive" : "\(refs.count) gaps opened (\(refs.first!)...\(refs.last!))"
        case .setTarget(let type, let start, let window):
            guard let reportType = ReportType(rawValue: type) else { throw WorkspaceError.invalid("the report type is 1 or 2") }
            try workspace.setAuditTarget(AuditTarget(reportType: reportType, windowStart: start, window: window))
            summary =
                "target: SOC 2 \(reportType.label), \(window) from \(start); \(try workspace.reader.auditThreats(now: workspace.actor.now).count) threats to the date"
        case .addEvidence(let control, let file, let from, let to):
            // "~/q1.csv" as a shell would read it; a relative path is from where assure was started.
            let path = NSString(string: file).expandingTildeInPath
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
                let from = path.hasPrefix("/") ? "" : " (a relative path starts in \(FileManager.default.currentDirectoryPath))"
                throw WorkspaceError.invalid(isFolder.boolValue ? "\(file) is a folder; name a file" : "\(file): no such file\(from)")
            }
            let ref = try workspace.addEvidence(EvidenceDraft(control: control, files: [path], provedFrom: from, provedTo: to))
            summary =
                "\(ref) added to \(control): \(URL(fileURLWithPath: path).lastPathComponent), proves \(from == to ? from : "\(from)..\(to)"), pending review"
        case .reviewEvidence(let ref, let accept, let note):
            try workspace.reviewEvidence(ref, accept: accept, note: note)
            summary = "\(ref.uppercased()) \(accept ? "accepted" : "rejected")"
        case .reviewRisk(let ref):
            let review = try workspace.reviewRisk(ref)
            summary = "\(ref.uppercased()) reviewed \(review.reviewedOn)" + (review.nextReview.map { ", next review \($0)" } ?? "")
        case .reviewVendor(let ref):
            let review = try workspace.reviewVendor(ref)
            summary = "\(ref.uppercased()) reviewed \(review.reviewedOn)" + (review.nextReview.map { ", next review \($0)" } ?? "")
        case .approveBaseline(let collector, let run):
            let version = try workspace.setBaseline(collector: collector, fromRun: run)
            summary = "\(collector): run \(run) approved as baseline v\(version); its open drift is resolved"
        case .runCollectors:
            preconditionFailure("collectors run outside a write transaction (see apply)")
        case .undo(let batch):
            summary = try workspace.undo(batch: batch)
        }
        return summary
    }

    /// Runs every active collector of `control` now, in name order; a failed run is recorded and
    /// reported, never stored as evidence. Runs are not undone (their history is the point).
    private func runCollectors(control: String) throws -> EditResult {
        let now = clock()
        let names = try workspace.read { try $0.collectors(today: Timestamps.day(now), now: now) }
            .filter { $0.control.caseInsensitiveCompare(control) == .orderedSame && $0.status == "active" }.map(\.name)
        guard !names.isEmpty else { throw WorkspaceError.invalid("\(control) has no collector") }
        var parts: [String] = []
        for name in names {
            let run = try workspace.runCollector(name, actor: Actor(actor, now: now), trust: trust)
            var text = "\(name) \(run.outcome.rawValue)"
            if let evidence = run.evidence { text += " (\(evidence))" }
            if run.outcome != .passed && !run.reason.isEmpty { text += ": \(run.reason)" }
            if let drift = run.drift { text += ", drift DRIFT-\(drift)" }
            parts.append(text)
        }
        return EditResult(batch: nil, summary: parts.joined(separator: "; "))
    }

    private func describe(_ refs: [String]) -> String {
        refs.count == 1 ? refs[0] : "\(refs.count) items"
    }
}

/// What the second core reads for a snapshot, in its own read transaction: the gaps' overview
/// and the owners' loads.
private struct SideRead: Sendable {
    var gaps: GapOverview
    var figures: (open: Int, refWidth: Int)
    /// The blocking gaps' half of the readiness facts, gathered in the gaps' pass.
    var blocked: ReadinessFacts
    /// The Gaps pane's first page of whole gaps, read here rather than by the first frame.
    var firstPage: [Gap]

    init(_ r: WorkspaceReader, today: String, now: Date) throws {
        gaps = try r.gapOverview(today: today)
        // Worked out here, beside the other thread's reads, rather than after both.
        figures = GapKey.figures(gaps.keys)
        blocked = gaps.blocked
        firstPage = try r.gaps(ids: GapRowCache.firstPage(gaps.keys).map(\.id))
    }
}

extension WorkspaceSnapshot {
    /// The snapshot with what the other thread read; the frameworks' figures follow from the
    /// blocking gaps it brings.
    fileprivate func with(_ side: SideRead, lineFacts: ReadinessFacts, reader: WorkspaceGapReader) -> WorkspaceSnapshot {
        let rows = GapRowCache(reader)
        rows.prefillFirstPage(side.gaps.keys, side.firstPage)
        var snapshot = WorkspaceSnapshot(
            copying: self, keys: side.gaps.keys, rows: rows, blocking: side.gaps.blocking, counts: side.gaps.counts, figures: side.figures)
        // The roster came with the main read; each owner's gap loads, from the gaps' counts.
        let counts = side.gaps.counts
        snapshot.owners = owners.map { load in
            var load = load
            load.openGaps = counts.openByOwner[load.owner.name] ?? 0
            load.overdueGaps = counts.overdueByOwner[load.owner.name] ?? 0
            return load
        }
        snapshot.computeFrameworkFigures(lineFacts: lineFacts, blocked: side.blocked)
        return snapshot
    }
}

/// The Gaps pane's rows from the workspace. Each call is its own read transaction: rows read
/// after another person's edit show it, and the poll that follows reloads the snapshot.
public final class WorkspaceGapReader: GapReading {
    let workspace: Workspace
    public init(_ workspace: Workspace) { self.workspace = workspace }
    public func gapKeys(owner: String?) throws -> [GapKey] { try workspace.read { try $0.gapKeys(owner: owner) } }
    public func gapSearchRows(owner: String?) throws -> [GapSearchRow] { try workspace.read { try $0.gapSearchRows(owner: owner) } }
    public func gaps(ids: [Int64]) throws -> [Gap] { try workspace.read { try $0.gaps(ids: ids) } }
    public func overdueGaps(today: String) throws -> [Gap] { try workspace.read { try $0.overdueGaps(today: today) } }
}

/// Whole controls from the workspace, for the control the detail strip or a form shows.
public final class WorkspaceControlReader: ControlReading {
    let workspace: Workspace
    public init(_ workspace: Workspace) { self.workspace = workspace }
    public func controls(refs: [String]) throws -> [Control] { try workspace.read { try $0.controls(refs: refs) } }
}

/// A control's evidence items from the workspace, for the Evidence pane's selected control.
final class WorkspaceEvidenceReader: EvidenceReading {
    let workspace: Workspace
    let today: String
    init(_ workspace: Workspace, today: String) { self.workspace = workspace; self.today = today }
    func evidence(control: String) throws -> [EvidenceLoad] {
        try workspace.read { try $0.evidence(control: control, today: today) }.map(EvidenceLoad.init)
    }
}

extension EvidenceLoad {
    /// An item as the Evidence pane shows it: its current version's files.
    init(_ item: EvidenceItem) {
        self.init(
            ref: item.ref, control: item.control, provedFrom: item.provedFrom, provedTo: item.provedTo,
            review: EvidenceReviewState(rawValue: item.review.rawValue) ?? .pending, reviewNote: item.reviewNote,
            reviewedBy: item.reviewedBy, version: item.version, files: item.currentFiles.map(\.name),
            addedBy: item.addedBy, addedAt: item.addedAt, expires: item.expires, stale: item.stale)
    }
}
