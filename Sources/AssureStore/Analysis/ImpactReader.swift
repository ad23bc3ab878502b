import AssureModel
import Foundation
import GRDB

/// One requirement a control is mapped to, at any level, with the link's relationship.
public struct ControlLink: Equatable, Sendable {
    public var framework: String
    public var ref: String
    public var level: String
    public var title: String
    public var relationship: Relationship
    public var source: String
}

/// `assure impact CONTROL` and the workbench's detail strip: the links and the blast radius.
public struct ControlImpactReport: Equatable, Sendable {
    public var control: Control
    public var links: [ControlLink]
    public var impact: ControlImpact
    /// Titles of the assessable requirements named in `impact`, by `framework:ref`.
    public var titles: [String: String]
}

extension WorkspaceReader {
    /// The requirements a control is linked to, in framework then document order.
    public func links(control ref: String) throws -> [ControlLink] {
        let control = try Lookup.control(db, ref)
        return try Row.fetchAll(
            db,
            sql: """
                SELECT r.framework_id, r.ref, r.level, r.title, cr.relationship, cr.source FROM control_requirement cr
                JOIN requirement r ON r.id = cr.requirement_id JOIN framework f ON f.id = r.framework_id
                WHERE cr.control_id = ? ORDER BY f.sort_order, r.sort_order
                """, arguments: [control.id]
        ).map {
            ControlLink(
                framework: $0["framework_id"], ref: $0["ref"], level: $0["level"], title: $0["title"],
                relationship: Relationship(rawValue: $0["relationship"]) ?? .intersects, source: $0["source"])
        }
    }

    public func impact(control ref: String) throws -> ControlImpactReport {
        let key = try Lookup.control(db, ref).ref
        let controls = try controls()
        guard let control = controls.first(where: { $0.ref == key }) else {
            throw WorkspaceError.unknownReference(kind: "control", name: ref, suggestions: [])
        }
        var criteria: [(framework: String, criteria: [ReadinessCriterion])] = []
        var titles: [String: String] = [:]
        for framework in try frameworks() {
            let summaries = try requirementSummaries(framework: framework.id).filter(\.isAssessable)
            for s in summaries where s.controls.contains(key) { titles["\(framework.id):\(s.requirement.ref)"] = s.requirement.title }
            criteria.append((framework.id, try readinessInput(framework: framework.id)))
        }
        return ControlImpactReport(
            control: control, links: try links(control: key),
            impact: ControlImpact.compute(control: key, criteria: criteria, controls: controls, gaps: try gaps()), titles: titles)
    }
}
