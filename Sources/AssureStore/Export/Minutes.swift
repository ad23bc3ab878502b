import AssureModel

/// Meeting minutes: attendees, times, every decision, and action items per owner.
public struct MeetingMinutes: Sendable {
    public struct Decision: Equatable, Sendable {
        public var at: String
        public var actor: String
        public var text: String
    }
    public struct ActionItem: Equatable, Sendable {
        public var owner: String
        public var gap: String
        public var title: String
        public var due: String?
        public var severity: Severity
    }

    public var meeting: Meeting
    public var decisions: [Decision]
    public var actionItems: [ActionItem]
    /// The change log's row count and head when the minutes were read, if given: read it in
    /// the same transaction as the changes and gaps (`assure meeting minutes` does).
    public var anchor: ChainAnchor?

    /// Builds minutes from the meeting's change-log rows and the gaps as they are now.
    public static func build(meeting: Meeting, changes: [ChangeRecord], gaps: [Gap], anchor: ChainAnchor? = nil) -> MeetingMinutes {
        var decisions: [Decision] = []
        var touchedGaps = Set<String>()
        // A gap's opening is one decision; the fields set with it are folded into that line.
        let openings = Dictionary(
            changes.filter { $0.entity == "gap" && $0.field == "created" }.map { ("\($0.ref)#\($0.batch)", $0) },
            uniquingKeysWith: { a, _ in a })
        // An undo or redo is one decision too: its batch's marker row says what it reverted,
        // and the field rows it wrote are folded into that line.
        let undoBatches = Set(changes.filter(isUndoMarker).map(\.batch))
        for change in changes {
            if change.entity == "gap" { touchedGaps.insert(change.ref) }
            if undoBatches.contains(change.batch), !isUndoMarker(change) { continue }
            if change.entity == "gap", change.field != "created", openings["\(change.ref)#\(change.batch)"] != nil { continue }
            var text = describe(change)
            if change.entity == "gap" && change.field == "created" {
                let fields = changes.filter { $0.ref == change.ref && $0.batch == change.batch }
                func value(_ field: String) -> String? { fields.first { $0.field == field }?.after }
                let details = [value("severity"), value("owner").map { "owner \($0)" }, value("due").map { "due \($0)" }].compactMap { $0 }
                text = "\(change.ref) opened: \(change.after ?? "")" + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))")
            }
            guard let text else { continue }
            decisions.append(Decision(at: change.at, actor: change.actor, text: text))
        }
        let items = gaps.filter { touchedGaps.contains($0.ref) && $0.status.isOpen }
            .map { ActionItem(owner: $0.owner ?? "(unassigned)", gap: $0.ref, title: $0.title, due: $0.due, severity: $0.severity) }
            .sorted { ($0.owner, $0.due ?? "9999", $0.gap) < ($1.owner, $1.due ?? "9999", $1.gap) }
        return MeetingMinutes(meeting: meeting, decisions: decisions, actionItems: items, anchor: anchor)
    }

    /// The row an undo records about itself (see `WorkspaceWriter.undo(batch:)`).
    static func isUndoMarker(_ c: ChangeRecord) -> Bool {
        c.entity == "batch" && (c.field == "undone" || c.field == "redone")
    }

    /// One decision line per meaningful change; bookkeeping fields are folded into their status change.
    static func describe(_ c: ChangeRecord) -> String? {
        let none = "none"
        switch (c.entity, c.field) {
        case ("batch", "undone"): return "undo: \(c.after ?? "batch \(c.ref)")"
        case ("batch", "redone"): return "redo: \(c.after ?? "batch \(c.ref)")"
        case ("control", "owner"): return "\(c.ref) owner: \(c.before ?? none) → \(c.after ?? none)"
        case ("control", "backup_owner"): return "\(c.ref) backup owner: \(c.before ?? none) → \(c.after ?? none)"
        case ("control", "status"): return "\(c.ref) status: \(c.before ?? none) → \(c.after ?? none)"
        // Only a not-applicable control has a justification (any other status clears it).
        case ("control", "justification") where !(c.after ?? "").isEmpty: return "\(c.ref) not applicable: \(c.after!)"
        case ("gap", "created"): return "\(c.ref) opened: \(c.after ?? "")"
        case ("gap", "status"):
            switch c.after {
            case "remediated": return "\(c.ref) remediated"
            case "risk-accepted": return "\(c.ref) risk accepted"
            case "open" where c.before != nil: return "\(c.ref) reopened"
            case "in-progress": return "\(c.ref) in progress"
            default: return nil
            }
        case ("gap", "owner") where c.before != nil || c.after != nil:
            return "\(c.ref) owner: \(c.before ?? none) → \(c.after ?? none)"
        case ("gap", "due") where c.before != nil: return "\(c.ref) due: \(c.before ?? none) → \(c.after ?? none)"
        case ("gap", "remediation_note") where !(c.after ?? "").isEmpty: return "\(c.ref) note: \(c.after!)"
        case ("gap", "justification") where !(c.after ?? "").isEmpty: return "\(c.ref) justification: \(c.after!)"
        case ("gap", "deleted"), ("owner", "deleted"), ("evidence", "deleted"): return "\(c.ref) removed (undo)"
        case ("evidence", "created"): return "\(c.ref) added for \(c.after ?? "")"
        case ("evidence", "review"):
            switch c.after {
            case "accepted": return "\(c.ref) accepted"
            case "rejected": return "\(c.ref) rejected"
            default: return "\(c.ref) back to pending review"
            }
        case ("evidence", "review_note") where !(c.after ?? "").isEmpty: return "\(c.ref) review note: \(c.after!)"
        case ("owner", "created"): return "owner added: \(c.ref)"
        default: return nil
        }
    }

    /// Markdown; workspace text goes through `Markdown.text`, so a title or note cannot break
    /// its line or carry raw HTML.
    public func markdown() -> String {
        let m = meeting
        let md = Markdown.text
        var out = "# Minutes: \(md(m.title))\n\n"
        out += "- Started: \(md(m.startedAt)) by \(md(m.startedBy))\n"
        out += "- Ended: \(md(m.endedAt ?? "still open"))\n"
        out += "- Attendees: \(m.attendees.isEmpty ? "not recorded" : md(m.attendees.joined(separator: ", ")))\n"
        if let anchor { out += "- \(anchor.line)\n" }
        out += "\n## Decisions (\(decisions.count))\n\n"
        if decisions.isEmpty { out += "No decisions were recorded.\n" }
        for d in decisions { out += "- \(md(String(d.at.dropFirst(11).prefix(5)))) \(md(d.text)) (\(md(d.actor)))\n" }
        out += "\n## Action items\n"
        if actionItems.isEmpty { out += "\nNone.\n" }
        var currentOwner: String?
        for item in actionItems {
            if item.owner != currentOwner { out += "\n### \(md(item.owner))\n\n"; currentOwner = item.owner }
            out += "- [ ] \(md(item.gap)) \(md(item.title)) (\(item.severity.rawValue), due \(md(item.due ?? "not set")))\n"
        }
        return out
    }

    /// One row per decision and per action item, after the "meeting" rows: the title, the
    /// start (at, by whom), the end (at, or "still open"), the attendees and, when the minutes
    /// carry it, the change-log anchor ("change log: 266 rows, head …").
    public func csv() -> String {
        let m = meeting
        var rows: [[Value]] = [
            [.text("meeting"), .text(nil), .text(nil), .text("title: \(m.title)"), .text(nil), .text(nil)],
            [.text("meeting"), .text(m.startedAt), .text(m.startedBy), .text("started"), .text(nil), .text(nil)],
            [.text("meeting"), .text(m.endedAt), .text(nil), .text(m.endedAt == nil ? "still open" : "ended"), .text(nil), .text(nil)],
            [
                .text("meeting"), .text(nil), .text(nil),
                .text("attendees: \(m.attendees.isEmpty ? "not recorded" : m.attendees.joined(separator: ", "))"), .text(nil), .text(nil),
            ],
        ]
        if let anchor {
            rows.append([
                .text("meeting"), .text(nil), .text(nil),
                .text("change log: \(anchor.rows) \(anchor.rows == 1 ? "row" : "rows"), head \(anchor.head)"), .text(nil), .text(nil),
            ])
        }
        rows += decisions.map { [.text("decision"), .text($0.at), .text($0.actor), .text($0.text), .text(nil), .text(nil)] }
        rows += actionItems.map {
            [.text("action"), .text(nil), .text($0.owner), .text("\($0.gap) \($0.title)"), .text($0.due), .text($0.severity.rawValue)]
        }
        return Table(
            columns: [
                .init("kind", "Kind"), .init("at", "At"), .init("who", "Who"), .init("what", "What"),
                .init("due", "Due"), .init("severity", "Severity"),
            ], rows: rows
        ).csv()
    }
}
