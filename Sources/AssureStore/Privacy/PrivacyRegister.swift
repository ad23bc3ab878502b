import AssureModel
import Foundation
import GRDB

/// The record of processing activities a supervisory authority may ask for (GDPR Art. 30(1)):
/// the controller, then one row per activity with its purpose, legal basis, the categories of
/// data and of data subjects, recipients, transfers and their safeguard, retention, and the
/// current DPIA. The same workspace state gives the same bytes: nothing in it is the time of
/// the export.
public struct ProcessingRegister: Sendable {
    public var controller: String
    public var table: Table

    public static let title = "Record of processing activities"

    /// CSV, one row per activity, the controller in each row (a sheet is read a row at a time).
    public func csv() -> String {
        var withController = table
        withController.columns.insert(.init("controller", "Controller"), at: 2)
        withController.rows = table.rows.map { row in
            var row = row
            row.insert(.text(controller), at: 2)
            return row
        }
        return withController.csv()
    }

    /// A Markdown document: title, controller, the table, and the change-log position it was
    /// read at (so a copy can be matched to the workspace it came from).
    public func markdown(anchor: ChainAnchor) -> String {
        var out = "# \(Self.title)\n\n"
        out += "Controller: \(Markdown.text(controller))\n\n"
        out += table.rows.isEmpty ? "No processing activities are recorded.\n" : table.markdown()
        return out + "\n" + anchor.line + "\n"
    }
}

extension WorkspaceReader {
    /// The register, as of this read transaction.
    public func processingRegister() throws -> ProcessingRegister {
        let company = try String.fetchOne(db, sql: "SELECT company FROM workspace WHERE id = 1") ?? ""
        let rows: [[Value]] = try processingActivities().map { summary in
            let activity = summary.activity
            let transfer = activity.transferCountry.map { Value.text($0) } ?? .text("none")
            let safeguard = activity.mechanism.map { Value.text("\($0.rawValue) (\($0.label))") } ?? .text("")
            return [
                .text(activity.ref), .text(activity.name), .text(activity.purpose), .text(activity.basis.rawValue),
                .text(activity.dataCategories.joined(separator: "; ")), .text(activity.subjects.joined(separator: "; ")),
                .text(activity.recipients.isEmpty ? "none" : activity.recipients.joined(separator: "; ")),
                transfer, safeguard, .text(activity.retention), .bool(activity.highRisk),
                .text(summary.dpia?.ref ?? (activity.highRisk ? "missing" : "not required")), .text(summary.dpia?.outcome.rawValue ?? ""),
            ]
        }
        let table = Table(
            columns: [
                .init("ref", "Ref"), .init("activity", "Processing activity"), .init("purpose", "Purpose"), .init("basis", "Legal basis"),
                .init("data", "Categories of personal data"), .init("subjects", "Categories of data subjects"), .init("recipients", "Recipients"),
                .init("transfer", "Transfer to third country"), .init("safeguard", "Transfer safeguard"), .init("retention", "Retention"),
                .init("high_risk", "High risk"), .init("dpia", "DPIA"), .init("dpia_outcome", "DPIA outcome"),
            ], rows: rows)
        return ProcessingRegister(controller: company, table: table)
    }

    /// The privacy records' derived gaps (see `Derive.privacyProposals`), for `gaps derive`.
    public func privacyProposals(today: String, existingKeys: Set<String>) throws -> [DerivedGap] {
        Derive.privacyProposals(
            activities: try processingActivities(), dpias: try dpias(today: today), dsrs: try dsrs(today: today),
            existingKeys: existingKeys)
    }
}
