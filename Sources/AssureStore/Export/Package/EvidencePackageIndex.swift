import Crypto
import Foundation

/// The package's index.html: one self-contained page (no fonts, images or requests; a CSP that
/// allows only its own style and script) that browses the evidence by requirement, by control
/// and by request, each row linking to the file's copy inside the package with a relative path,
/// so it works after unzipping, offline, and on paper.
enum EvidencePackageIndex {
    static func html(_ contents: PackageContents, _ layout: PackageLayout) -> String {
        let page = Page(contents: contents, layout: layout)
        let csp = "default-src 'none'; style-src '\(hash(style))'; script-src '\(hash(script))'; base-uri 'none'; form-action 'none'"
        let title = "Evidence package: \(contents.company)"
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="\(csp)">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>\(style)</style>
            <script>\(script)</script>
            </head>
            <body>
            <h1>\(escape(title))</h1>
            \(page.facts)\(page.byRequirement)\(page.byControl)\(page.byRequest)\(page.allEvidence)</body></html>

            """
    }

    /// Text from the workspace (users typed it) as HTML text or an attribute value. Control
    /// characters other than tab and line feed are not allowed in HTML; they become U+FFFD.
    static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            case "\t", "\n": out.append(scalar)
            default:
                let v = scalar.value
                out.append(v < 0x20 || (0x7F...0x9F).contains(v) ? "\u{FFFD}" : scalar)
            }
        }
        return String(out)
    }

    /// A path inside the package as a relative URL: every byte but the unreserved ones
    /// percent-encoded, so spaces, "#", "?" and non-ASCII names all resolve.
    static func href(_ path: String) -> String {
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/".utf8)
        var out = ""
        for byte in path.utf8 {
            if unreserved.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + Hex.encode([byte]).uppercased()
            }
        }
        return out
    }

    /// "1.4 MiB", without a locale.
    static func byteCount(_ bytes: Int64) -> String {
        if bytes < 1024 { return bytes == 1 ? "1 byte" : "\(bytes) bytes" }
        for (unit, scale) in [("KiB", Int64(1) << 10), ("MiB", Int64(1) << 20), ("GiB", Int64(1) << 30)] where bytes < scale << 10 || unit == "GiB" {
            let tenths = bytes * 10 / scale
            return "\(tenths / 10).\(tenths % 10) \(unit)"
        }
        return "\(bytes) bytes"
    }

    private static func hash(_ inline: String) -> String {
        "sha256-" + Data(SHA256.hash(data: Data(inline.utf8))).base64EncodedString()
    }

    static let style = """

        body { font: 10.5pt/1.45 -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif; color: #1c1c1c; max-width: 72rem; margin: 2rem auto; padding: 0 1.5rem; }
        h1 { font-size: 19pt; margin: 0 0 .6rem; } h2 { font-size: 13pt; margin: 1.8rem 0 .5rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 .8rem; } dt { color: #555; } dd { margin: 0; }
        code { font: 9pt ui-monospace, "DejaVu Sans Mono", monospace; word-break: break-all; }
        nav a { margin-right: 1rem; } .note { color: #555; }
        table { border-collapse: collapse; width: 100%; font-size: 9.5pt; margin-bottom: .6rem; }
        th, td { border: 1px solid #d0d0d0; padding: .25rem .4rem; text-align: left; vertical-align: top; }
        thead th { background: #f0f0f0; } tr.group th { background: #f3f6fa; font-weight: 600; } tr.group .sub { font-weight: 400; color: #444; }
        td.nowrap { white-space: nowrap; } .none { color: #777; font-style: italic; }
        .review-accepted { color: #1a7f37; } .review-rejected { color: #b42318; } .review-pending { color: #9a6700; }
        :target, :target > tr.group th { outline: 2px solid #005fd7; }
        #filter { width: 20rem; padding: .25rem .4rem; }
        @media print { body { margin: 0; max-width: none; } nav, .no-print { display: none; } a { color: inherit; text-decoration: none; }
          h2 { break-after: avoid; } tr { break-inside: avoid; } :target { outline: none; }
          thead th, tr.group th { -webkit-print-color-adjust: exact; print-color-adjust: exact; } @page { margin: 1.5cm; } }

        """

    /// Records page errors on <html data-errors> (so a headless check with --dump-dom sees
    /// them) and shows a filter box that hides the rows not containing the typed text.
    static let script = """

        (function () {
          "use strict";
          var root = document.documentElement;
          window.addEventListener("error", function (event) {
            root.setAttribute("data-errors", (root.getAttribute("data-errors") || "") + event.message + "\\n");
          });
          document.addEventListener("DOMContentLoaded", function () {
            var box = document.getElementById("filter");
            box.parentNode.hidden = false;
            box.addEventListener("input", function () {
              var needle = box.value.trim().toLowerCase();
              var has = function (node) { return node.textContent.toLowerCase().indexOf(needle) >= 0; };
              var groups = document.querySelectorAll("tbody");
              for (var i = 0; i < groups.length; i++) {
                var header = groups[i].querySelector("tr.group");
                var whole = needle === "" || (header !== null && has(header));
                var rows = groups[i].querySelectorAll("tr:not(.group)"), shown = 0;
                for (var j = 0; j < rows.length; j++) {
                  rows[j].hidden = !(whole || has(rows[j]));
                  if (!rows[j].hidden) { shown++; }
                }
                groups[i].hidden = shown === 0 && rows.length > 0;
              }
            });
            root.setAttribute("data-ready", "1");
          });
        })();

        """
}

/// The page's sections, with one set of anchors so every cross link lands.
private struct Page {
    let contents: PackageContents
    let layout: PackageLayout
    let anchors: Anchors

    init(contents: PackageContents, layout: PackageLayout) {
        self.contents = contents; self.layout = layout; anchors = Anchors(layout)
    }

    private func e(_ text: String) -> String { EvidencePackageIndex.escape(text) }

    var facts: String {
        let window = contents.window.map { "\(e($0.from)) to \(e($0.to))" } ?? "not set"
        let counts =
            "\(layout.evidence.count) evidence \(layout.evidence.count == 1 ? "item" : "items") in \(layout.files.count) \(layout.files.count == 1 ? "file" : "files"); \(layout.requests.count) auditor \(layout.requests.count == 1 ? "request" : "requests")"
        return """
            <dl class="facts">
            <dt>Framework</dt><dd>\(e(contents.framework ?? "all frameworks in the workspace"))</dd>
            <dt>Audit window</dt><dd>\(window)</dd>
            <dt>Created</dt><dd>\(e(contents.createdAt)) (the time of the change log's newest row)</dd>
            <dt>Change log</dt><dd>\(contents.chainCount) \(contents.chainCount == 1 ? "row" : "rows"), head <code>\(e(contents.chainHead))</code></dd>
            <dt>Contents</dt><dd>\(counts)</dd>
            </dl>
            <p class="note">manifest.json lists every file in this package with its SHA-256 and size. The file names below open the copies in this package.</p>
            <nav><a href="#by-requirement">By requirement</a> <a href="#by-control">By control</a> <a href="#by-request">By request</a> <a href="#all-evidence">All evidence</a></nav>
            <p class="no-print" hidden><input id="filter" type="search" placeholder="Filter the rows" aria-label="Filter the rows"></p>

            """
    }

    var byRequirement: String {
        let groups = anchors.requirementOrder.map { ref in
            (
                id: anchors.requirement[ref]!,
                header: "<span class=\"ref\">\(e(ref))</span> <span class=\"sub\">\(e(contents.requirementTitles[ref] ?? ""))</span>",
                rows: layout.evidence.filter { $0.requirements.contains(ref) }
            )
        }
        return section(
            "by-requirement", "By requirement", groups, [.evidence, .control, .proves, .review, .requests, .file],
            empty: "No evidence is mapped to a requirement.")
    }

    var byControl: String {
        let groups = anchors.controlOrder.map { ref in
            let rows = layout.evidence.filter { $0.control == ref }
            let title = rows.map(\.controlTitle).first { !$0.isEmpty } ?? ""
            return (id: anchors.control[ref]!, header: "<span class=\"ref\">\(e(ref))</span> <span class=\"sub\">\(e(title))</span>", rows: rows)
        }
        return section(
            "by-control", "By control", groups, [.evidence, .requirements, .proves, .review, .requests, .file],
            empty: "No evidence is in this package.")
    }

    var byRequest: String {
        let groups = layout.requests.map { r in
            (
                id: anchors.request[r.ref]!,
                header: "<span class=\"ref\">\(e(r.ref))</span> <span class=\"sub\">\(e(r.text))\(r.state.isEmpty ? "" : " (\(e(r.state)))")</span>",
                rows: layout.evidence(answering: r.ref)
            )
        }
        return section(
            "by-request", "By request", groups, [.evidence, .control, .requirements, .proves, .review, .file],
            empty: "No auditor requests are recorded.")
    }

    var allEvidence: String {
        let columns: [Column] = [.evidence, .control, .requirements, .requests, .proves, .added, .review, .file, .sha256]
        var out = "<h2 id=\"all-evidence\">All evidence</h2>\n"
        guard !layout.evidence.isEmpty else { return out + "<p class=\"none\">No evidence is in this package.</p>\n" }
        out += "<table>" + head(columns) + "<tbody>\n"
        for ev in layout.evidence {
            out += "<tr id=\"\(anchors.evidence(ev))\">" + columns.map { cell($0, ev) }.joined() + "</tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    private func section(
        _ id: String, _ title: String, _ groups: [(id: String, header: String, rows: [PackageEvidence])],
        _ columns: [Column], empty: String
    ) -> String {
        var out = "<h2 id=\"\(id)\">\(title)</h2>\n"
        guard !groups.isEmpty else { return out + "<p class=\"none\">\(empty)</p>\n" }
        out += "<table>" + head(columns)
        for group in groups {
            out += "<tbody id=\"\(group.id)\"><tr class=\"group\"><th colspan=\"\(columns.count)\" scope=\"rowgroup\">\(group.header)</th></tr>\n"
            if group.rows.isEmpty { out += "<tr><td colspan=\"\(columns.count)\" class=\"none\">No evidence attached yet.</td></tr>\n" }
            for ev in group.rows { out += "<tr>" + columns.map { cell($0, ev) }.joined() + "</tr>\n" }
            out += "</tbody>\n"
        }
        return out + "</table>\n"
    }

    private enum Column {
        case evidence, control, requirements, requests, proves, added, review, file, sha256

        var title: String {
            switch self {
            case .evidence: return "Evidence"
            case .control: return "Control"
            case .requirements: return "Requirements"
            case .requests: return "Requests"
            case .proves: return "Proves"
            case .added: return "Added"
            case .review: return "Review"
            case .file: return "File"
            case .sha256: return "SHA-256"
            }
        }
    }

    private func head(_ columns: [Column]) -> String {
        "<thead><tr>" + columns.map { "<th scope=\"col\">\($0.title)</th>" }.joined() + "</tr></thead>\n"
    }

    private func cell(_ column: Column, _ ev: PackageEvidence) -> String {
        func links(_ refs: [String], _ anchor: [String: String]) -> String {
            refs.isEmpty
                ? "<span class=\"none\">none</span>"
                : refs.map { "<a href=\"#\(anchor[$0]!)\">\(e($0))</a>" }.joined(separator: ", ")
        }
        switch column {
        case .evidence:
            return "<td class=\"nowrap\"><a href=\"#\(anchors.evidence(ev))\">\(e(ev.id))</a> v\(ev.version)</td>"
        case .control:
            return "<td class=\"nowrap\"><a href=\"#\(anchors.control[ev.control]!)\">\(e(ev.control))</a></td>"
        case .requirements: return "<td>\(links(ev.requirements, anchors.requirement))</td>"
        case .requests: return "<td>\(links(ev.requests, anchors.request))</td>"
        case .proves:
            return "<td class=\"nowrap\">\(ev.provedFrom == ev.provedTo ? e(ev.provedFrom) : "\(e(ev.provedFrom)) to \(e(ev.provedTo))")</td>"
        case .added: return "<td>\(e(ev.addedAt))<br>\(e(ev.addedBy))</td>"
        case .review:
            // The class comes from a fixed list, never from the text itself.
            let known = ["accepted", "rejected", "pending"].contains(ev.review) ? " class=\"review-\(ev.review)\"" : ""
            return "<td\(known)>\(e(ev.review))</td>"
        case .file:
            return
                "<td><a href=\"\(EvidencePackageIndex.href(layout.path(of: ev)))\">\(e(ev.file.name))</a> (\(EvidencePackageIndex.byteCount(ev.file.size)))</td>"
        case .sha256: return "<td><code>\(ev.file.sha256)</code></td>"
        }
    }
}

/// Element ids from references: readable ("req-soc2-CC6.1"), unique across the page (a
/// reference that slugs like an earlier one gets "-2"), assigned in a fixed order.
private struct Anchors {
    var requirement: [String: String] = [:]
    var control: [String: String] = [:]
    var request: [String: String] = [:]
    private var evidenceIDs: [String: String] = [:]
    let requirementOrder: [String]
    let controlOrder: [String]

    init(_ layout: PackageLayout) {
        requirementOrder = Set(layout.evidence.flatMap(\.requirements)).sorted(by: PackageLayout.precedes)
        controlOrder = Set(layout.evidence.map(\.control)).sorted(by: PackageLayout.precedes)
        var used: Set<String> = ["by-requirement", "by-control", "by-request", "all-evidence", "filter"]
        func assign(_ prefix: String, _ keys: [String], _ slugged: (String) -> String = { $0 }) -> [String: String] {
            var ids: [String: String] = [:]
            for key in keys where ids[key] == nil {
                let base = prefix + Anchors.slug(slugged(key))
                var id = base
                var n = 2
                while used.contains(id) { id = "\(base)-\(n)"; n += 1 }
                used.insert(id)
                ids[key] = id
            }
            return ids
        }
        requirement = assign("req-", requirementOrder)
        control = assign("control-", controlOrder)
        request = assign("request-", layout.requests.map(\.ref))
        evidenceIDs = assign("ev-", layout.evidence.map { Anchors.key($0) }) { $0.replacingOccurrences(of: "\u{0}", with: "-v") }
    }

    func evidence(_ ev: PackageEvidence) -> String { evidenceIDs[Anchors.key(ev)]! }

    private static func key(_ ev: PackageEvidence) -> String { "\(ev.id)\u{0}\(ev.version)" }

    /// ASCII letters, digits, "." and "_" kept; every other run becomes one "-".
    static func slug(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "." || scalar == "_") {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty && !out.hasSuffix("-") {
                out += "-"
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "x" : out
    }
}
