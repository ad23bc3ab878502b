import AssureModel
import Foundation
import Yams

/// One section of a policy: a `## ` heading of its text, the requirements it satisfies
/// (`framework:ref`) and the evidence an auditor would expect to see for it.
public struct PolicySection: Equatable, Sendable {
    public var title: String
    public var requirements: [String]
    public var evidence: [String]
    /// Where the section and each of its requirements are written in the file, for errors.
    var line: Int = 1
    var requirementLines: [(line: Int, column: Int)] = []

    public init(title: String, requirements: [String], evidence: [String]) {
        self.title = title; self.requirements = requirements; self.evidence = evidence
    }

    public static func == (a: PolicySection, b: PolicySection) -> Bool {
        a.title == b.title && a.requirements == b.requirements && a.evidence == b.evidence
    }
}

/// A policy file: YAML front matter (ref, title, cadence, sections) and a Markdown template
/// with Mustache placeholders. Built-in and company policies use the same format.
public struct PolicyDefinition: Equatable, Sendable {
    public var ref: String
    public var title: String
    public var cadence: ReviewCadence
    public var sections: [PolicySection]
    /// The Markdown template after the front matter.
    public var body: String
    /// The file's line the body starts on, so template errors name the file's own lines.
    var bodyLine: Int
}

/// Reads and checks policy files. Every problem is `source:line:column: reason`, where
/// `source` is the file's path or a description such as "draft of POL-IS".
enum PolicyParser {
    static let cadences: [ReviewCadence] = [.annual, .semiAnnual]

    /// The text as stored: line ends made `\n`, so a file saved on Windows hashes and compares
    /// the same as one saved elsewhere.
    static func normalized(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    static func parse(_ raw: String, source: String) throws -> PolicyDefinition {
        let text = normalized(raw)
        if let problem = StoredText.firstProblem(in: text) {
            throw WorkspaceError.badFile(path: source, line: problem.line, column: problem.column, message: problem.description)
        }
        let lines = text.components(separatedBy: "\n")
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else {
            throw WorkspaceError.badFile(
                path: source, line: 1, column: 1,
                message:
                    "a policy starts with its front matter: a '---' line, the YAML fields (ref, title, cadence, sections), and a closing '---' line")
        }
        guard let close = lines.indices.dropFirst().first(where: { lines[$0].trimmingCharacters(in: .whitespaces) == "---" }) else {
            throw WorkspaceError.badFile(path: source, line: 1, column: 1, message: "the front matter opened here is never closed with a '---' line")
        }
        // A blank first line keeps YAML's line numbers equal to the file's.
        let yaml = "\n" + lines[1..<close].joined(separator: "\n") + "\n"
        let root = try YAMLNode.parse(yaml, path: source)
        try root.checkKeys(["ref", "title", "cadence", "sections"])

        let refNode = try root.required("ref")
        let ref = try refNode.nonEmptyString("ref")
        guard ref.count <= 24, ref.first?.isLetter == true,
            ref.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") })
        else {
            throw refNode.error("ref '\(ref)' must start with a letter and hold only letters, digits, '-', '_' or '.' (at most 24), e.g. POL-IS")
        }
        let titleNode = try root.required("title")
        let title = try titleNode.nonEmptyString("title")
        if title.contains("\n") { throw titleNode.error("the title is one line") }
        let cadenceNode = try root.required("cadence")
        let cadenceText = try cadenceNode.string()
        guard let cadence = ReviewCadence(text: cadenceText), cadences.contains(cadence) else {
            throw cadenceNode.error("cadence '\(cadenceText)' is not annual or semi-annual")
        }

        let sectionsNode = try root.required("sections")
        var sections: [PolicySection] = []
        for node in try sectionsNode.sequence() {
            try node.checkKeys(["title", "requirements", "evidence"])
            let sectionTitleNode = try node.required("title")
            let sectionTitle = try sectionTitleNode.nonEmptyString("a section's title")
            if sections.contains(where: { $0.title.caseInsensitiveCompare(sectionTitle) == .orderedSame }) {
                throw sectionTitleNode.error("section '\(sectionTitle)' is listed twice")
            }
            var section = PolicySection(title: sectionTitle, requirements: [], evidence: [])
            section.line = sectionTitleNode.line
            if let list = try node.optional("requirements") {
                for item in try listItems(list) {
                    let value = try item.nonEmptyString("a requirement")
                    guard value.contains(":") else {
                        throw item.error(
                            "requirement '\(value)' names its framework, as FRAMEWORK:REF (e.g. soc2:CC6.1, iso27001:A.5.15, hipaa:164.308(a)(1), gdpr:Art. 32)"
                        )
                    }
                    section.requirements.append(value)
                    section.requirementLines.append((item.line, item.column))
                }
            }
            if let list = try node.optional("evidence") {
                section.evidence = try listItems(list).map { try $0.nonEmptyString("an evidence item") }
            }
            sections.append(section)
        }
        if sections.isEmpty { throw sectionsNode.error("a policy has at least one section") }

        let bodyLine = close + 2
        let body = lines[(close + 1)...].joined(separator: "\n")
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw WorkspaceError.badFile(path: source, line: bodyLine, column: 1, message: "the policy has no text after its front matter")
        }
        let headings = Set(lines[(close + 1)...].compactMap(heading).map { $0.lowercased() })
        for section in sections where !headings.contains(section.title.lowercased()) {
            throw WorkspaceError.badFile(
                path: source, line: section.line, column: 1,
                message: "section '\(section.title)' has no heading '## \(section.title)' in the text")
        }
        try PolicyTemplate.check(body, firstLine: bodyLine, source: source)
        return PolicyDefinition(ref: ref, title: title, cadence: cadence, sections: sections, body: body, bodyLine: bodyLine)
    }

    /// A list written as a YAML sequence (or, for one item, a single value).
    private static func listItems(_ node: YAMLNode) throws -> [YAMLNode] {
        if node.node.sequence != nil { return try node.sequence() }
        if let scalar = node.node.scalar, scalar.string.isEmpty || scalar.tag == Tag(.null) { return [] }
        return [node]
    }

    /// The title of a `## ` heading line (level two exactly), without a closing run of `#`.
    static func heading(_ line: String) -> String? {
        guard line.hasPrefix("## ") else { return nil }
        var title = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
        while title.hasSuffix("#") { title.removeLast() }
        return title.trimmingCharacters(in: .whitespaces)
    }
}
