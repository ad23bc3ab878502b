import AssureModel

/// `assure export`: the control matrix and the ranked backlog, deterministic byte for byte.
extension WorkspaceReader {
    /// The control matrix auditors expect.
    public func controlMatrix() throws -> Table {
        Table(
            columns: [
                .init("ref", "Reference"), .init("title", "Title"), .init("description", "Description"),
                .init("criteria", "Criteria addressed"), .init("owner", "Owner"), .init("backup_owner", "Backup"),
                .init("status", "Status"), .init("frequency", "Frequency"), .init("evidence", "Evidence"),
                .init("justification", "Justification"),
            ],
            rows: try controls().map { c in
                [
                    .text(c.ref), .text(c.title), .text(c.description), .list(c.criteria), .text(c.owner), .text(c.backupOwner),
                    .text(c.status.rawValue), .text(c.frequency.rawValue), .text(c.evidenceHint), .text(c.justification),
                ]
            })
    }

    /// The backlog in rank order, with each gap's score and how it was computed.
    public func backlog(today: String, weights: RankingWeights? = nil) throws -> Table {
        Table(
            columns: [
                .init("rank", "Rank", alignRight: true), .init("ref", "Reference"), .init("title", "Title"),
                .init("score", "Score", alignRight: true), .init("score_parts", "Score parts"), .init("severity", "Severity"),
                .init("effort", "Effort"), .init("status", "Status"), .init("owner", "Owner"), .init("due", "Due"),
                .init("overdue", "Overdue"), .init("control", "Control"), .init("criterion", "Criterion"),
            ],
            rows: try rankedGaps(today: today, weights: weights).enumerated().map { i, item in
                let g = item.gap
                return [
                    .int(i + 1), .text(g.ref), .text(g.title), .number(item.score.score), .text(item.score.explanation),
                    .text(g.severity.rawValue), .text(g.effort.rawValue), .text(g.status.rawValue), .text(g.owner),
                    .text(g.due), .bool(g.isOverdue(today: today)), .text(g.control), .text(g.criterion),
                ]
            })
    }
}

extension Table {
    /// A Markdown export: the table, a blank line, then the change-log anchor it was read at
    /// ("Change log: 266 rows, head …"). CSV and JSON exports carry no anchor: their shapes are
    /// what imports and scripts read.
    public func markdown(anchor: ChainAnchor) -> String {
        markdown() + "\n" + anchor.line + "\n"
    }
}
