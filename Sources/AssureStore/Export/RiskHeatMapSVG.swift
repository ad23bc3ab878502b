import AssureModel
import Foundation

/// The 5 x 5 risk heat map as inline SVG for the HTML report: likelihood rows 5 (top) to 1,
/// impact columns 1 to 5, each cell coloured by its score's band and showing its count.
/// The bytes depend only on the counts (no ids, dates or floating point), so reports diff
/// cleanly; no `xmlns` or external reference, since the report loads nothing from outside.
public enum RiskHeatMapSVG {
    static let cellWidth = 56, cellHeight = 40
    static let left = 64, top = 34, bottom = 48, right = 12
    static var width: Int { left + 5 * cellWidth + right }
    static var height: Int { top + 5 * cellHeight + bottom }

    /// Fills readable in print and with black text: green, yellow, orange, red.
    static func fill(_ rating: RiskRating) -> String {
        switch rating {
        case .low: return "#cfe8c9"
        case .medium: return "#fbe3a0"
        case .high: return "#f6b27a"
        case .critical: return "#e9857c"
        }
    }

    public static func render(_ map: RiskHeatMap) -> String {
        let kind = map.residual ? "residual" : "inherent"
        let id = "risk-heatmap-\(kind)"
        let risks = "\(map.total) open risk\(map.total == 1 ? "" : "s")"
        var out =
            "<svg class=\"heatmap\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"12\">\n"
        out += "<title id=\"\(id)-title\">\(map.title) heat map</title>\n"
        out +=
            "<desc id=\"\(id)-desc\">\(risks) by likelihood (rows, 5 at the top) and impact (columns, 1 to 5); cells coloured by score band: \(RiskRating.legend).</desc>\n"
        out += "<text x=\"\(left)\" y=\"20\" font-weight=\"bold\" font-size=\"13\">\(map.title) (\(risks))</text>\n"
        for likelihood in (1...5).reversed() {
            let y = top + (5 - likelihood) * cellHeight
            for impact in 1...5 {
                let x = left + (impact - 1) * cellWidth
                let count = map.count(likelihood: likelihood, impact: impact)
                let score = likelihood * impact
                let rating = RiskHeatMap.rating(likelihood: likelihood, impact: impact)
                out += "<g data-likelihood=\"\(likelihood)\" data-impact=\"\(impact)\" data-count=\"\(count)\">"
                out +=
                    "<title>Likelihood \(likelihood), impact \(impact) (score \(score), \(rating.rawValue)): \(count) risk\(count == 1 ? "" : "s")</title>"
                out +=
                    "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cellWidth)\" height=\"\(cellHeight)\" fill=\"\(fill(rating))\" stroke=\"#ffffff\" stroke-width=\"2\"/>"
                if count > 0 {
                    out +=
                        "<text x=\"\(x + cellWidth / 2)\" y=\"\(y + cellHeight / 2 + 5)\" text-anchor=\"middle\" font-weight=\"bold\" font-size=\"15\" fill=\"#1c1c1c\">\(count)</text>"
                }
                out += "</g>\n"
            }
            out += "<text x=\"\(left - 8)\" y=\"\(y + cellHeight / 2 + 4)\" text-anchor=\"end\">\(likelihood)</text>\n"
        }
        let axisY = top + 5 * cellHeight
        for impact in 1...5 {
            out += "<text x=\"\(left + (impact - 1) * cellWidth + cellWidth / 2)\" y=\"\(axisY + 16)\" text-anchor=\"middle\">\(impact)</text>\n"
        }
        out += "<text x=\"\(left + 5 * cellWidth / 2)\" y=\"\(axisY + 36)\" text-anchor=\"middle\">Impact</text>\n"
        let middle = top + 5 * cellHeight / 2
        out += "<text x=\"18\" y=\"\(middle)\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(middle))\">Likelihood</text>\n"
        return out + "</svg>\n"
    }
}

/// The report's risk register section: a summary line, the inherent and residual heat maps
/// side by side, and the open risks by residual score.
extension ReadinessReport {
    var openRisks: [RiskSummary] {
        risks.filter { $0.status == .open }.sorted {
            ($1.residualScore, $0.risk.ref.count, $0.risk.ref) < ($0.residualScore, $1.risk.ref.count, $1.risk.ref)
        }
    }

    /// "13 risks, 12 open (residual: 0 critical, 4 high, 8 medium, 0 low); 2 reviews overdue; 1 to mitigate has no control."
    var riskLine: String {
        let open = openRisks
        let bands = RiskRating.allCases.reversed().map { rating in "\(open.filter { $0.rating == rating }.count) \(rating.rawValue)" }
        let overdue = open.filter(\.overdue).count
        let untreated = open.filter { $0.treatment == .mitigate && $0.controls.isEmpty }.count
        return "\(risks.count) risk\(risks.count == 1 ? "" : "s"), \(open.count) open (residual: \(bands.joined(separator: ", "))); "
            + "\(overdue) review\(overdue == 1 ? "" : "s") overdue; \(untreated) to mitigate with no control."
    }

    var riskTable: Table {
        func pair(_ l: Int, _ i: Int) -> String { "\(l)x\(i) = \(l * i)" }
        return Table(
            columns: [
                .init("ref", "Risk"), .init("title", "Title"), .init("inherent", "Inherent"), .init("residual", "Residual"),
                .init("rating", "Rating"), .init("treatment", "Treatment"), .init("controls", "Controls"),
                .init("owner", "Owner"), .init("next_review", "Next review"),
            ],
            rows: openRisks.map { r in
                [
                    .text(r.ref), .text(r.title), .text(pair(r.likelihood, r.impact)),
                    .text(r.residualAssessed ? pair(r.currentLikelihood, r.currentImpact) : "not assessed"),
                    .text(r.rating.rawValue), .text(r.treatment.rawValue), .text(r.controls.joined(separator: ", ")),
                    .text(r.owner ?? "unassigned"), .text((r.nextReview ?? "") + (r.overdue ? " (overdue)" : "")),
                ]
            })
    }

    var riskHeatMapsHTML: String {
        "<div style=\"display:flex;flex-wrap:wrap;gap:1.5rem;margin:.5rem 0 1rem\">\n"
            + RiskHeatMapSVG.render(RiskHeatMap(summaries: risks, residual: false))
            + RiskHeatMapSVG.render(RiskHeatMap(summaries: risks, residual: true)) + "</div>\n"
    }

    /// The heat maps as Markdown tables (likelihood rows, impact columns), then the register.
    var riskMarkdown: String {
        var out = "\n## Risk register\n\n" + Markdown.text(riskLine) + "\n"
        for residual in [false, true] {
            let map = RiskHeatMap(summaries: risks, residual: residual)
            out +=
                "\n\(map.title) (likelihood by impact)\n\n"
                + Table(
                    columns: [.init("likelihood", "Likelihood")] + (1...5).map { .init("i\($0)", "Impact \($0)", alignRight: true) },
                    rows: (1...5).reversed().map { l in [.int(l)] + (1...5).map { .int(map.count(likelihood: l, impact: $0)) } }
                ).markdown()
        }
        return out + "\n" + riskTable.markdown()
    }
}
