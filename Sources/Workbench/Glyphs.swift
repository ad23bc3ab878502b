import AssureModel

/// Symbols used on screen, with ASCII stand-ins for terminals without a UTF-8 locale.
struct Glyphs {
    let unicode: Bool

    func status(_ status: ControlStatus) -> String {
        switch status {
        case .implemented: return unicode ? "●" : "*"
        case .inProgress: return unicode ? "◐" : "~"
        case .notStarted: return unicode ? "○" : "o"
        case .notApplicable: return unicode ? "⊘" : "-"
        }
    }

    func gapStatus(_ status: GapStatus) -> String {
        switch status {
        case .open: return unicode ? "○" : "o"
        case .inProgress: return unicode ? "◐" : "~"
        case .remediated: return unicode ? "✓" : "v"
        case .riskAccepted: return unicode ? "≈" : "="
        }
    }

    /// One cell of an evidence timeline: evidenced on time, late, missing, not yet due.
    func occurrence(_ state: OccurrenceState) -> String {
        switch state {
        case .evidenced: return unicode ? "●" : "*"
        case .late: return unicode ? "◐" : "~"
        case .missing: return unicode ? "✗" : "x"
        case .notDue: return unicode ? "·" : "."
        }
    }

    func fold(expanded: Bool) -> String { unicode ? (expanded ? "▾" : "▸") : (expanded ? "-" : "+") }
    var dash: String { unicode ? "—" : "-" }
    var dot: String { unicode ? "·" : "|" }
    var filled: String { unicode ? "█" : "#" }
    var empty: String { unicode ? "░" : "." }
    var ellipsis: String { unicode ? "…" : "~" }
    var times: String { unicode ? "×" : "x" }
    var arrow: String { unicode ? "→" : "->" }

    /// A bar of `width` cells for `done` of `total`.
    func bar(_ done: Int, _ total: Int, width: Int) -> (filled: String, empty: String) {
        let cells = total == 0 ? 0 : (done * width + total / 2) / total
        return (String(repeating: filled, count: cells), String(repeating: empty, count: width - cells))
    }
}
