import AssureModel
import Foundation
import GRDB

/// The six core policies assure ships (`Catalogs/policies`, embedded in the binary): starting
/// drafts in our own words that a company edits, approves and has acknowledged.
public enum BuiltInPolicies {
    /// In the order a workspace lists them.
    public static let fileNames = [
        "policy-information-security.md",
        "policy-access-onboarding-termination.md",
        "policy-change-management.md",
        "policy-business-continuity.md",
        "policy-data-classification-privacy.md",
        "policy-incident-response.md",
    ]

    /// Each built-in policy's file text and the name its errors give.
    public static func files() throws -> [(source: String, text: String)] {
        try fileNames.map { ("built-in:" + $0, try BuiltIn.text($0)) }
    }

    /// Each built-in policy, parsed (not yet checked against any workspace's requirements).
    public static func definitions() throws -> [PolicyDefinition] {
        try parsed.get().map(\.definition)
    }

    /// Parsed once per process: every new workspace installs the six.
    static let parsed: Result<[(source: String, text: String, definition: PolicyDefinition)], Error> = Result {
        try files().map { ($0.source, $0.text, try PolicyParser.parse($0.text, source: $0.source)) }
    }
}

extension WorkspaceWriter {
    /// Adds every built-in policy the workspace lacks (by ref or title), as a draft with no
    /// owner or approver; returns the refs added. Running it again adds nothing.
    @discardableResult
    public func installBuiltInPolicies() throws -> [String] {
        var added: [String] = []
        let mappings = PolicyMappings(db: db)
        for file in try BuiltInPolicies.parsed.get() {
            let definition = file.definition
            let exists =
                try Bool.fetchOne(db, sql: "SELECT 1 FROM policy WHERE ref = ? OR title = ?", arguments: [definition.ref, definition.title]) ?? false
            if exists { continue }
            added.append(
                try insertPolicy(
                    text: file.text, source: file.source, origin: "built-in", owner: nil, approver: nil,
                    parsed: definition, mappings: mappings))
        }
        return added
    }
}
