import AssureModel
import Foundation
import Ink
import Mustache

/// The values a policy's text is rendered with.
public struct PolicyValues: Equatable, Sendable {
    public var company: String
    public var system: String
    public var ref: String
    public var title: String
    public var owner: String
    public var approver: String
    /// "draft" or the version number.
    public var version: String
    public var approved: Bool
    /// `YYYY-MM-DD`, empty for a draft.
    public var approvedOn: String
    public var reviewCadence: String

    public init(
        company: String, system: String, ref: String, title: String, owner: String, approver: String,
        version: String, approved: Bool, approvedOn: String, reviewCadence: String
    ) {
        self.company = company; self.system = system; self.ref = ref; self.title = title; self.owner = owner
        self.approver = approver; self.version = version; self.approved = approved; self.approvedOn = approvedOn
        self.reviewCadence = reviewCadence
    }

    var dictionary: [String: Any] {
        [
            "company": company, "system": system, "ref": ref, "title": title, "owner": owner, "approver": approver,
            "version": version, "approved": approved, "approved_on": approvedOn, "review_cadence": reviewCadence,
        ]
    }
}

/// Policy text is a Markdown template whose placeholders swift-mustache fills in. Only plain
/// `{{name}}` values, `{{#approved}}`/`{{^approved}}` sections and comments are allowed: a
/// triple-brace or `{{&name}}` value, a partial or a pragma could bypass the HTML escaping or
/// read outside the policy, so they are refused when the text is stored.
enum PolicyTemplate {
    static let variables = ["company", "system", "ref", "title", "owner", "approver", "version", "approved", "approved_on", "review_cadence"]

    struct Tag {
        let range: Range<String.Index>
        let line: Int
        let column: Int
    }

    /// Every `{{...}}` tag of `body`, checked. `firstLine` is the file's line the body starts on.
    static func tags(_ body: String, firstLine: Int, source: String) throws -> [Tag] {
        if let marker = body.firstIndex(where: { $0 == "\u{E000}" || $0 == "\u{E001}" }) {
            let before = body[..<marker]
            let line = firstLine + before.filter { $0 == "\n" }.count
            let column = before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0) + 1
            throw WorkspaceError.badFile(
                path: source, line: line, column: column,
                message: "U+E000 and U+E001 are reserved (private-use characters assure uses while rendering)")
        }
        var found: [Tag] = []
        var line = firstLine
        var lineStart = body.startIndex
        var scanned = body.startIndex
        var search = body.startIndex
        while let open = body.range(of: "{{", range: search..<body.endIndex) {
            for index in body[scanned..<open.lowerBound].indices where body[index] == "\n" {
                line += 1; lineStart = body.index(after: index)
            }
            scanned = open.lowerBound
            let column = body.distance(from: lineStart, to: open.lowerBound) + 1
            func fail(_ message: String) -> WorkspaceError { .badFile(path: source, line: line, column: column, message: message) }
            guard let close = body.range(of: "}}", range: open.upperBound..<body.endIndex) else {
                throw fail("'{{' opens a placeholder that is never closed with '}}'")
            }
            let content = String(body[open.upperBound..<close.lowerBound])
            if content.contains("\n") { throw fail("a placeholder is written on one line: '{{' and '}}' are on different lines") }
            let trimmed = content.trimmingCharacters(in: .whitespaces)
            var name = trimmed
            switch trimmed.first {
            case "!": name = ""
            case "#", "^", "/":
                name = String(trimmed.dropFirst()).trimmingCharacters(in: .whitespaces)
                if name != "approved" {
                    throw fail(
                        "'{{\(trimmed)}}': only {{#approved}} and {{^approved}} sections are available (what is shown once a version is approved, or before)"
                    )
                }
            case "{", "&":
                throw fail(
                    "'{{\(trimmed)}}' would print a value without escaping it; write {{name}}, which is escaped in HTML and left as it is in Markdown"
                )
            case ">", "<", "$", "=", "%":
                throw fail(
                    "'{{\(trimmed)}}': partials, blocks, delimiter changes and pragmas are not available in policies; the placeholders are {{\(variables.joined(separator: "}}, {{"))}}"
                )
            default:
                if !variables.contains(name) {
                    let hint = Suggestions.closest(to: name, in: variables, limit: 1).first.map { " (did you mean {{\($0)}}?)" } ?? ""
                    throw fail("unknown placeholder '{{\(trimmed)}}'\(hint); the placeholders are {{\(variables.joined(separator: "}}, {{"))}}")
                }
            }
            found.append(Tag(range: open.lowerBound..<close.upperBound, line: line, column: column))
            search = close.upperBound
        }
        return found
    }

    /// Checks the body's placeholders and that Mustache can parse it (sections balanced).
    static func check(_ body: String, firstLine: Int, source: String) throws {
        _ = try tags(body, firstLine: firstLine, source: source)
        _ = try template(body, firstLine: firstLine, source: source)
    }

    private static func template(_ text: String, firstLine: Int, source: String) throws -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: text)
        } catch let error as MustacheTemplate.ParserError {
            throw WorkspaceError.badFile(
                path: source, line: firstLine + error.context.lineNumber - 1, column: error.context.columnNumber,
                message: "placeholder: \(describe(error.error))")
        }
    }

    private static func describe(_ error: Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect?: return "a {{/...}} closes a section other than the one open"
        case .expectedSectionEnd?: return "a {{#...}} or {{^...}} section is never closed with {{/...}}"
        case .unfinishedName?: return "a placeholder is not finished"
        default: return "\(error)"
        }
    }

    /// The policy as Markdown: values as they are, nothing escaped (a reader of the Markdown
    /// sees the company's name as typed).
    static func markdown(_ body: String, values: PolicyValues, source: String) throws -> String {
        let rendered = try template("{{%CONTENT_TYPE: TEXT}}" + body, firstLine: 1, source: source).render(values.dictionary)
        return rendered.hasSuffix("\n") ? rendered : rendered + "\n"
    }

    /// The policy as a standalone HTML page. The Markdown is turned into HTML (Ink) with the
    /// placeholders set aside, then Mustache fills them in escaped for HTML: a value never
    /// passes through the Markdown parser, so `<b>` or `*` in a company name stays text.
    static func html(_ body: String, values: PolicyValues, source: String) throws -> String {
        let tags = try tags(body, firstLine: 1, source: source)
        var marked = ""
        var kept: [String] = []
        var cursor = body.startIndex
        for tag in tags {
            marked += body[cursor..<tag.range.lowerBound]
            marked += marker(kept.count)
            kept.append(String(body[tag.range]))
            cursor = tag.range.upperBound
        }
        marked += body[cursor...]
        var converted = readable(MarkdownParser().html(from: marked))
        for (index, tag) in kept.enumerated() {
            converted = converted.replacingOccurrences(of: marker(index), with: tag)
        }
        let library = MustacheLibrary(templates: ["body": try template(converted, firstLine: 1, source: source)])
        return try template(Self.page, firstLine: 1, source: "the HTML page").render(values.dictionary, library: library)
    }

    /// Ink writes blocks back to back; a line break after each block tag makes the page
    /// readable as source without changing how it renders (code is escaped, so a tag is a tag).
    static func readable(_ html: String) -> String {
        var out = html
        for tag in [
            "</h1>", "</h2>", "</h3>", "</h4>", "</h5>", "</h6>", "</p>", "<ul>", "</ul>", "<ol>", "</ol>", "</li>",
            "</table>", "</blockquote>", "</pre>", "<hr>",
        ] {
            out = out.replacingOccurrences(of: tag + "<", with: tag + "\n<")
        }
        return out.hasSuffix("\n") ? out : out + "\n"
    }

    /// Private-use characters no Markdown parser treats as syntax; a policy's own text cannot
    /// hold them (the text is checked for them before it is stored).
    private static func marker(_ index: Int) -> String { "\u{E000}\(index)\u{E001}" }

    /// The page around the policy: a self-contained document with its own print-friendly style.
    static let page = """
        {{%CONTENT_TYPE: HTML}}<!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="assure">
        <title>{{title}}: {{company}}</title>
        <style>
        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; line-height: 1.55; color: #1d1d1f; max-width: 46rem; margin: 2.5rem auto; padding: 0 1.25rem; }
        h1 { font-size: 1.8rem; margin-bottom: 0.5rem; }
        h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #d8d8dc; padding-bottom: 0.2rem; }
        h3 { font-size: 1.05rem; margin-top: 1.4rem; }
        table { border-collapse: collapse; margin: 1rem 0; }
        th, td { border: 1px solid #d8d8dc; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
        code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.92em; }
        footer { margin-top: 3rem; border-top: 1px solid #d8d8dc; padding-top: 0.6rem; font-size: 0.85rem; color: #5b5b60; }
        @media print { body { margin: 0; max-width: none; } }
        </style>
        </head>
        <body>
        <main>
        {{> body}}
        </main>
        <footer><p>{{company}}, {{ref}} {{title}}: {{#approved}}version {{version}}, approved on {{approved_on}} by {{approver}}{{/approved}}{{^approved}}draft, not yet approved{{/approved}}.</p></footer>
        </body>
        </html>

        """
}
