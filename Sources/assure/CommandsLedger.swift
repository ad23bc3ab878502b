import ArgumentParser
import AssureModel
import AssureStore
import Foundation
import TerminalUI

struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "The Type II ledger: occurrences each control owes in the audit window, and which evidence shows them.",
        discussion: """
            The window is the framework's audit target (assure target). Each control's frequency tiles the window from \
            its start; an occurrence is due at its period's end and is evidenced, late, missing or not yet due, by accepted \
            evidence's proved date (see the README, "Type II").

            Examples:
              assure ledger                      (coverage per control, then the totals)
              assure ledger --control AC-04      (that control's occurrences)
              assure ledger --format json        (occurrences and coverage, for scripts)
              assure ledger --format csv         (every occurrence, one row each)
            """)
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "Only this control.") var control: String?
    @Option(help: "The framework whose audit window to use (default: soc2).") var framework: String = Framework.soc2ID
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        let report = try options.open(readOnly: true).read { try $0.ledger(framework: framework, control: control, today: today) }
        switch format {
        case .json: print(LedgerJSON.encode(report), terminator: "")
        case .csv: Output.print(LedgerTables.occurrences(report), format: .csv)
        case .table:
            print("\(report.framework) window \(report.windowStart)..\(report.windowEnd), grace \(report.graceDays) days")
            if control != nil {
                let sampled = report.occurrences.contains { $0.item != nil }
                Output.print(
                    LedgerTables.occurrences(report), format: .table,
                    tableColumns: sampled ? ["item", "period", "state", "evidence"] : ["period", "due", "state", "evidence"])
            } else {
                Output.print(LedgerTables.controls(report), format: .table)
            }
            let o = report.overall
            print(
                "Total: \(o.evidenced) evidenced, \(o.late) late, \(o.missing) missing, \(o.notDue) not yet due; \(o.percent)% of due occurrences evidenced on time"
            )
            if !report.eventDriven.isEmpty {
                print("Event-driven, no sample yet (assure population add, assure sample): \(report.eventDriven.joined(separator: " "))")
            }
        }
    }
}

enum LedgerTables {
    static func occurrences(_ report: LedgerReport) -> Table {
        Table(
            columns: [
                .init("control", "Control"), .init("period", "Period"), .init("period_start", "Period start"),
                .init("period_end", "Period end"), .init("due", "Due"), .init("state", "State"), .init("evidence", "Evidence"),
                .init("item", "Sampled item"),
            ],
            rows: report.occurrences.map {
                [
                    .text($0.control), .text("\($0.periodStart)..\($0.periodEnd)"), .text($0.periodStart), .text($0.periodEnd),
                    .text($0.due), .text($0.state.rawValue), .list($0.evidence), .text($0.item),
                ]
            })
    }

    static func controls(_ report: LedgerReport) -> Table {
        Table(
            columns: [
                .init("control", "Control"), .init("frequency", "Frequency"), .init("evidenced", "Evidenced", alignRight: true),
                .init("late", "Late", alignRight: true), .init("missing", "Missing", alignRight: true),
                .init("not_due", "Not due", alignRight: true), .init("percent", "On time", alignRight: true),
            ],
            rows: report.controls.map {
                [
                    .text($0.ref), .text($0.frequency.rawValue), .int($0.coverage.evidenced), .int($0.coverage.late),
                    .int($0.coverage.missing), .int($0.coverage.notDue), .text($0.coverage.due == 0 ? "-" : "\($0.coverage.percent)%"),
                ]
            })
    }
}

/// `assure ledger --format json`: one object, keys in a fixed order, the same bytes for the same
/// workspace on the same day.
enum LedgerJSON {
    static func encode(_ report: LedgerReport) -> String {
        func coverage(_ c: LedgerCoverage) -> [String: Any] {
            ["evidenced": c.evidenced, "late": c.late, "missing": c.missing, "not_due": c.notDue, "due": c.due, "percent": c.percent]
        }
        let object: [String: Any] = [
            "framework": report.framework, "window": ["start": report.windowStart, "end": report.windowEnd], "grace_days": report.graceDays,
            "occurrences": report.occurrences.map {
                var occurrence: [String: Any] = [
                    "control": $0.control, "period_start": $0.periodStart, "period_end": $0.periodEnd,
                    "due": $0.due, "state": $0.state.rawValue, "evidence": $0.evidence,
                ]
                if let item = $0.item { occurrence["item"] = item }
                return occurrence
            },
            "coverage": [
                "overall": coverage(report.overall),
                "controls": report.controls.map {
                    ["control": $0.ref, "frequency": $0.frequency.rawValue].merging(coverage($0.coverage)) { a, _ in a }
                },
                "requirements": report.requirements.map {
                    ["requirement": "\(report.framework):\($0.ref)"].merging(coverage($0.coverage)) { a, _ in a }
                },
            ] as [String: Any],
            "event_driven": report.eventDriven,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
