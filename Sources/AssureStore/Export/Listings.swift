import AssureModel

/// The tables behind `assure criteria|controls|owners|gaps` and the exports. JSON keys are a
/// public contract (README "JSON fields"): add new keys, never rename or remove one. Absent
/// values are null in JSON (and empty in tables and CSV): optional text that is stored as ""
/// goes through `optional`.
public enum Listings {
    /// Text that may be absent: nil or "" is null in JSON and an empty cell elsewhere.
    static func optional(_ text: String?) -> Value {
        .text(text.flatMap { $0.isEmpty ? nil : $0 })
    }

    public static func criteria(_ criteria: [CriterionSummary], readiness: Readiness) -> Table {
        Table(
            columns: [
                .init("ref", "Ref"), .init("title", "Title"), .init("category", "Category"), .init("series", "Series"),
                .init("in_scope", "In scope"), .init("state", "State"), .init("implemented", "Implemented", alignRight: true),
                .init("controls", "Controls"), .init("points_of_focus", "Points of focus"),
            ],
            rows: criteria.map { c in
                [
                    .text(c.requirement.ref), .text(c.requirement.title), .text(c.requirement.category),
                    optional(c.requirement.parentRef), .bool(c.inScope),
                    .text(c.inScope ? (readiness.states[c.requirement.ref] ?? .notAddressed).rawValue : "out-of-scope"),
                    .int(c.implementedControls), .list(c.controls), .list(c.pointsOfFocus),
                ]
            })
    }

    public static func controls(_ controls: [Control]) -> Table {
        Table(
            columns: [
                .init("ref", "Ref"), .init("title", "Title"), .init("status", "Status"), .init("owner", "Owner"),
                .init("backup_owner", "Backup"), .init("frequency", "Frequency"), .init("criteria", "Criteria"),
                .init("evidence", "Evidence"), .init("tags", "Tags"), .init("justification", "Justification"),
            ],
            rows: controls.map { c in
                [
                    .text(c.ref), .text(c.title), .text(c.status.rawValue), optional(c.owner), optional(c.backupOwner),
                    .text(c.frequency.rawValue), .list(c.criteria), optional(c.evidenceHint), .list(c.tags),
                    optional(c.justification),
                ]
            })
    }

    public static func owners(_ owners: [OwnerSummary]) -> Table {
        Table(
            columns: [
                .init("ref", "Name"), .init("title", "Role"), .init("handle", "Handle"), .init("kind", "Kind"),
                .init("controls", "Controls", alignRight: true), .init("backup_for", "Backup for", alignRight: true),
                .init("open_gaps", "Open gaps", alignRight: true), .init("overdue_gaps", "Overdue", alignRight: true),
            ],
            rows: owners.map { o in
                [
                    .text(o.owner.name), optional(o.owner.role), optional(o.owner.handle), .text(o.owner.kind.rawValue),
                    .int(o.controls), .int(o.backupFor), .int(o.openGaps), .int(o.overdueGaps),
                ]
            })
    }

    public static func gaps(_ gaps: [Gap], today: String) -> Table {
        Table(columns: gapColumns, rows: gaps.map { gapRow($0, today: today) })
    }

    /// The gaps listing's columns and one gap's row, for writing it a row at a time.
    public static let gapColumns: [Table.Column] = [
        .init("ref", "Ref"), .init("title", "Title"), .init("severity", "Severity"), .init("effort", "Effort"),
        .init("status", "Status"), .init("owner", "Owner"), .init("due", "Due"), .init("overdue", "Overdue"),
        .init("control", "Control"), .init("criterion", "Criterion"), .init("remediation_note", "Remediation note"),
        .init("justification", "Justification"), .init("remediated_by", "Remediated by"),
        .init("remediated_at", "Remediated at"),
    ]

    public static func gapRow(_ g: Gap, today: String) -> [Value] {
        [
            .text(g.ref), .text(g.title), .text(g.severity.rawValue), .text(g.effort.rawValue),
            .text(g.status.rawValue), optional(g.owner), optional(g.due), .bool(g.isOverdue(today: today)),
            optional(g.control), optional(g.criterion), optional(g.remediationNote), optional(g.justification),
            optional(g.remediatedBy), optional(g.remediatedAt),
        ]
    }

    public static func log(_ records: [ChangeRecord]) -> Table {
        Table(columns: logColumns, rows: records.map(logRow))
    }

    /// The log's columns and one record's row, for writing the log a row at a time.
    public static let logColumns: [Table.Column] = [
        .init("id", "#", alignRight: true), .init("at", "When"), .init("actor", "Who"), .init("entity", "Entity"),
        .init("ref", "Ref"), .init("field", "Field"), .init("before", "Before"), .init("after", "After"),
        .init("batch", "Batch", alignRight: true), .init("meeting", "Meeting"), .init("hash", "Hash"),
    ]

    public static func logRow(_ r: ChangeRecord) -> [Value] {
        [
            .int(Int(r.id)), .text(r.at), .text(r.actor), .text(r.entity), .text(r.ref), .text(r.field),
            .text(r.before), .text(r.after), .int(Int(r.batch)), .text(r.meeting), .text(r.hash),
        ]
    }

    /// `assure meeting list`: `attendees` is a list, `ended_at` null while the meeting is open.
    public static func meetings(_ meetings: [Meeting]) -> Table {
        Table(
            columns: [
                .init("id", "#", alignRight: true), .init("title", "Title"), .init("attendees", "Attendees"),
                .init("started_at", "Started"), .init("started_by", "Started by"), .init("ended_at", "Ended"),
            ],
            rows: meetings.map { m in
                [.int(Int(m.id)), .text(m.title), .list(m.attendees), .text(m.startedAt), .text(m.startedBy), .text(m.endedAt)]
            })
    }
}
