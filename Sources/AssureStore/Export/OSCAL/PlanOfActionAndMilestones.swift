import AssureModel
import Foundation
import GRDB

/// Open gaps as an OSCAL 1.1.3 plan of action and milestones, in reference order (rank depends on
/// today's date, and the same workspace must give the same bytes any day). A workspace
/// with no open gap still gives a valid document: one item says so (the model needs at least one).
extension WorkspaceReader {
    public func oscalPOAM() throws -> OSCALExport {
        let scope = try scope()
        let lastModified = try oscalChangeLogSpan().last
        var notes: [String] = []
        var items: [[String: Any]] = try gaps().filter(\.status.isOpen).map { g in
            var props: [[String: String]] = [
                ["name": "label", "value": g.ref], ["name": "severity", "ns": OSCALNamespace.assure, "value": g.severity.rawValue],
                ["name": "effort", "ns": OSCALNamespace.assure, "value": g.effort.rawValue],
                ["name": "status", "ns": OSCALNamespace.assure, "value": g.status.rawValue],
            ]
            if let due = g.due { props.append(["name": "due", "ns": OSCALNamespace.assure, "value": due]) }
            var remarks = ["Owner: \(g.owner ?? "not assigned yet").", "Due: \(g.due ?? "not set yet")."]
            if let control = g.control { remarks.append("Control: \(control).") }
            if let criterion = g.criterion { remarks.append("Requirement: \(g.framework ?? Framework.soc2ID):\(criterion).") }
            return [
                "uuid": StableUUID.make("gap/\(g.ref)"), "title": g.title,
                "description": g.description.isEmpty ? g.title : g.description, "props": props,
                "remarks": remarks.joined(separator: " "),
            ]
        }
        if items.isEmpty {
            notes.append("no open gap: the plan holds one item that says so (OSCAL needs at least one)")
            items = [
                [
                    "uuid": StableUUID.make("gap/none"), "title": "No open gaps recorded",
                    "description": "\(scope.company)'s workspace records no open gap on the date of this plan.",
                ]
            ]
        }
        let document: [String: Any] = [
            "uuid": StableUUID.make("poam/\(scope.company)"),
            "metadata": OSCALWriting.metadata(title: "\(scope.company): plan of action and milestones", lastModified: lastModified),
            "poam-items": items,
        ]
        return try OSCALWriting.encode("plan-of-action-and-milestones", document, notes: notes)
    }
}

enum OSCALNamespace {
    /// Props assure defines itself (severity, effort, status, due) are in its own namespace.
    static let assure = "https://assure.example/ns/oscal"
}
