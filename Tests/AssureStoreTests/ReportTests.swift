import AssureModel
import AssureTestSupport
import XCTest

@testable import AssureStore

final class ReportTests: XCTestCase {
    func testReportGoldensOnTheSample() throws {
        let report = try Fixtures.larkspur().read { try $0.readinessReport(now: Fixtures.fixedDate) }
        assertGolden(report.markdown(), named: "report-md")
        assertGolden(report.html(), named: "report-html")
        XCTAssertEqual(report.readiness.overall, Share(addressed: 24, total: 38))
        XCTAssertEqual(report.unaddressed.count, 14)
        XCTAssertEqual(report.backlog.first?.gap.ref, "GAP-3")
    }

    func testReportShowsTheTargetWindow() throws {
        let workspace = try Fixtures.larkspur()
        try workspace.write(Fixtures.actor()) {
            try $0.setAuditTarget(AuditTarget(reportType: .type2, windowStart: "2027-01-01", window: "6m"))
        }
        let report = try workspace.read { try $0.readinessReport(now: Fixtures.fixedDate) }
        XCTAssertTrue(
            report.markdown().contains("Target: SOC 2 Type II, 6-month window from 2027-01-01; \(report.threats.count) threats to the date."))
        XCTAssertGreaterThan(report.threats.count, 0)
        XCTAssertTrue(report.html().contains("6-month window from 2027-01-01"))
    }

    func testHTMLIsSelfContainedAndEscaped() throws {
        let workspace = try Fixtures.larkspur()
        try workspace.write(Fixtures.actor()) {
            try $0.openGap(GapDraft(title: "<script>alert('x')</script> & more", severity: .critical, effort: .xs))
        }
        let html = try workspace.read { try $0.readinessReport(now: Fixtures.fixedDate) }.html()
        XCTAssertFalse(html.contains("<script"), "titles are escaped")
        XCTAssertTrue(html.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; more"))
        for external in ["http://", "https://", "<link", "@import", "src="] {
            XCTAssertFalse(html.contains(external), "the report must not load \(external)")
        }
        XCTAssertTrue(html.contains("@media print"))
    }
}
