import AssureModel
import Foundation
import GRDB

/// One risk of the built-in starter register (`starter-risks.yaml`).
public struct StarterRisk: Equatable, Sendable {
    public var title: String
    public var description: String
    public var likelihood: Int
    public var impact: Int
    public var cia: [CIAProperty]
    public var treatment: RiskTreatment
    public var reviewCadence: ReviewCadence
    /// Starter control references; only those in the workspace are linked.
    public var controls: [String]
}

/// Reads a starter risk file (`starter_risks: 1`). Each risk is checked by the register's own
/// rules, so a bad entry is refused with its file and line, not stored.
enum StarterRiskParser {
    static let fileName = "starter-risks.yaml"

    static func builtIn() throws -> [StarterRisk] {
        try parse(try BuiltIn.text(fileName), path: "built-in:" + fileName)
    }

    static func parse(_ text: String, path: String) throws -> [StarterRisk] {
        let root = try YAMLNode.parse(text, path: path)
        try root.checkKeys(["starter_risks", "risks"])
        let version = try root.required("starter_risks")
        guard try version.int() == 1 else { throw version.error("unsupported starter risk format version; this assure reads version 1") }
        var titles = Set<String>()
        return try root.required("risks").sequence().map { node in
            try node.checkKeys(["title", "description", "likelihood", "impact", "cia", "treatment", "review", "controls"])
            let risk = StarterRisk(
                title: try node.required("title").nonEmptyString("title"),
                description: try node.optional("description")?.string() ?? "",
                likelihood: try node.required("likelihood").int(), impact: try node.required("impact").int(),
                cia: try rule(node) { try CIAProperty.parseList(try node.optional("cia")?.stringList().joined(separator: ",") ?? "") },
                treatment: try rule(node) { try RiskRules.treatment(try node.optional("treatment")?.string() ?? "mitigate") },
                reviewCadence: try rule(node) { try RiskRules.cadence(try node.optional("review")?.string() ?? "annual") },
                controls: try node.optional("controls")?.stringList() ?? [])
            guard titles.insert(risk.title.lowercased()).inserted else { throw node.error("duplicate risk '\(risk.title)'") }
            try rule(node) {
                try RiskRules.check(
                    Risk(
                        ref: "starter risk", title: risk.title, likelihood: risk.likelihood, impact: risk.impact,
                        treatment: risk.treatment, reviewCadence: risk.reviewCadence, createdOn: "2000-01-01"))
            }
            return risk
        }
    }

    /// Re-labels a rule's refusal with the entry's file and line.
    private static func rule<T>(_ node: YAMLNode, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let violation as RuleViolation { throw node.error(violation.description) }
    }
}

extension WorkspaceReader {
    /// The built-in starter register, as shipped.
    public func starterRisks() throws -> [StarterRisk] { try StarterRiskParser.builtIn() }
}

extension WorkspaceWriter {
    /// Adds the starter risks the register lacks (matched by title, any case), each linked to
    /// the starter controls present; returns the references added. Running it again adds
    /// nothing, so a workspace made before the register shipped can take it at any time.
    @discardableResult
    public func installStarterRisks() throws -> [String] {
        let existing = Set(try String.fetchAll(db, sql: "SELECT lower(title) FROM risk"))
        let today = Timestamps.day(actor.now)
        var added: [String] = []
        for starter in try StarterRiskParser.builtIn() where !existing.contains(starter.title.lowercased()) {
            let number = try Int64.fetchOne(db, sql: "SELECT coalesce(max(number), 0) + 1 FROM risk") ?? 1
            let risk = Risk(
                ref: "RISK-\(number)", title: starter.title, description: starter.description, likelihood: starter.likelihood,
                impact: starter.impact, cia: starter.cia, treatment: starter.treatment, reviewCadence: starter.reviewCadence,
                createdOn: today)
            try RiskRules.check(risk)
            try insert(risk, number: number, ownerID: nil, controlIDs: try presentControls(starter.controls))
            added.append(risk.ref)
        }
        return added
    }

    /// Links each starter risk in the register to those of its starter controls that exist now
    /// and are not linked yet (called once the starter library is loaded); returns the number
    /// of links added. A risk someone retitled is no longer recognised and is left alone.
    @discardableResult
    public func linkStarterRisks() throws -> Int {
        var added = 0
        for starter in try StarterRiskParser.builtIn() {
            guard let row = try Row.fetchOne(db, sql: "SELECT id, ref FROM risk WHERE title = ? COLLATE NOCASE", arguments: [starter.title]) else {
                continue
            }
            let id: Int64 = row[0]
            let ref: String = row[1]
            let linked = Set(try RiskRows.controls(db, riskID: id).map(\.id))
            let missing = Set(try presentControls(starter.controls)).subtracting(linked)
            try linkControls(risk: id, ref: ref, removing: [], adding: missing)
            added += missing.count
        }
        return added
    }

    /// The ids of the controls among `refs` that the workspace holds.
    private func presentControls(_ refs: [String]) throws -> [Int64] {
        try refs.compactMap { try Int64.fetchOne(db, sql: "SELECT id FROM control WHERE ref = ? COLLATE NOCASE", arguments: [$0]) }
    }
}
