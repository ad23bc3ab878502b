import AssureModel
import AssureTestSupport
import Foundation
import GRDB
import XCTest

@testable import AssureStore

/// Vendors in the store: writes with their change-log rows, refusals that leave no trace,
/// reports with their files, coverage of the SOC 2 window, CUECs with evidence, derived gaps.
final class VendorStoreTests: XCTestCase {
    var workspace: Workspace!
    var folder: URL!
    let alice = Fixtures.actor("alice")
    var today: String { Fixtures.today }  // 2026-11-20

    override func setUpWithError() throws {
        workspace = try Fixtures.workspace(scope: Scope(company: "Acme", categories: [.security]), by: alice)
        folder = try Fixtures.temporaryDirectory()
        try workspace.write(alice) { try $0.loadStarterLibrary() }
        try workspace.write(alice) { try $0.addOwner(Owner(name: "Dana Kim", handle: "dana@acme.example", role: "Head of Security")) }
        try workspace.write(alice) { try $0.addOwner(Owner(name: "Omar Haddad", role: "SRE Lead")) }
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    @discardableResult
    func write<T>(_ body: (WorkspaceWriter) throws -> T) throws -> T { try workspace.write(alice, body).value }
    func vendors() throws -> [VendorSummary] { try workspace.read { try $0.vendors(today: today) } }
    func vendorLog(_ ref: String) throws -> [String] {
        try workspace.read { try $0.log(LogFilter(entity: "vendor", ref: ref)) }.map { "\($0.field) \($0.before ?? "-") -> \($0.after ?? "-")" }
    }

    func file(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func snapshot() throws -> String {
        try workspace.read { r in
            try ["vendor", "vendor_report", "vendor_cuec", "vendor_agreement", "blob", "change_log"].map { table in
                try Row.fetchAll(r.db, sql: "SELECT * FROM \(table) ORDER BY 1").map(\.description).joined(separator: "\n")
            }.joined(separator: "\n--\n")
        }
    }

    func assertRefused(_ message: String, file: StaticString = #filePath, line: UInt = #line, _ body: (WorkspaceWriter) throws -> Void) throws {
        let before = try snapshot()
        XCTAssertThrowsError(try workspace.write(alice, body), file: file, line: line) { XCTAssertEqual("\($0)", message, file: file, line: line) }
        XCTAssertEqual(try snapshot(), before, "a refused write changed the workspace", file: file, line: line)
    }

    func testAddEditAndReviewLogEachFieldInOneBatch() throws {
        let ref = try write {
            try $0.addVendor(
                VendorDraft(name: "  Nimbus Cloud ", criticality: .critical, data: .phi, service: "Hosting", subprocessor: true, owner: "dana"))
        }
        XCTAssertEqual(ref, "VEN-1")
        var v = try XCTUnwrap(vendors().first)
        XCTAssertEqual(v.name, "Nimbus Cloud")
        XCTAssertEqual(v.owner, "Dana Kim")
        XCTAssertEqual(v.createdOn, "2026-11-20")
        XCTAssertEqual(v.nextReview, "2027-05-20", "critical: six months")
        XCTAssertFalse(v.overdue)
        XCTAssertEqual(
            try vendorLog("VEN-1"),
            [
                "created - -> Nimbus Cloud", "criticality - -> critical", "data - -> phi", "service - -> Hosting", "subprocessor - -> yes",
                "owner - -> Dana Kim",
            ])
        let batches = try workspace.read { try $0.log(LogFilter(entity: "vendor", ref: "VEN-1")) }.map(\.batch)
        XCTAssertEqual(Set(batches).count, 1, "one intent, one transaction")

        // Named by reference or name in any case, or a unique prefix.
        XCTAssertEqual(try write { try $0.addVendor(VendorDraft(name: "Nimbus Mail")) }, "VEN-2")
        for name in ["ven-1", "NIMBUS CLOUD", "nimbus c"] {
            XCTAssertEqual(try workspace.read { try $0.vendor(name, today: today) }.ref, "VEN-1", name)
        }
        XCTAssertThrowsError(try workspace.read { try $0.vendor("nimbus", today: today) }) {
            XCTAssertEqual("\($0)", "vendor 'nimbus' is ambiguous: VEN-1 Nimbus Cloud, VEN-2 Nimbus Mail")
        }
        XCTAssertThrowsError(try workspace.read { try $0.vendor("Nimbus Clod", today: today) }) {
            XCTAssertEqual("\($0)", "unknown vendor 'Nimbus Clod'; did you mean Nimbus Cloud?")
        }

        var edit = VendorEdit()
        edit.criticality = .high; edit.subprocessor = false; edit.owner = "Omar"; edit.service = "Hosting"
        XCTAssertEqual(try write { try $0.editVendor("Nimbus Cloud", edit) }, 3, "the unchanged service is not logged")
        let review = try write { try $0.reviewVendor("VEN-1", on: "2026-10-01") }
        XCTAssertEqual(review.reviewedOn, "2026-10-01")
        XCTAssertEqual(review.nextReview, "2027-10-01", "high: twelve months from the review")
        v = try XCTUnwrap(vendors().first)
        XCTAssertEqual(v.criticality, .high)
        XCTAssertEqual(v.owner, "Omar Haddad")
        XCTAssertFalse(v.subprocessor)
        XCTAssertEqual(
            Array(try vendorLog("VEN-1").suffix(4)),
            [
                "criticality critical -> high", "subprocessor yes -> -", "owner Dana Kim -> Omar Haddad", "reviewed_on - -> 2026-10-01",
            ])
        XCTAssertNil(try workspace.read { try $0.verifyChain() }.problem)
    }

    func testRefusalsNameTheProblemAndWriteNothing() throws {
        try write { try $0.addVendor(VendorDraft(name: "Nimbus Cloud", criticality: .critical)) }
        try write { try $0.reviewVendor("VEN-1", on: "2026-09-01") }
        try assertRefused("a vendor named 'nimbus cloud' already exists (VEN-1)") { try $0.addVendor(VendorDraft(name: "nimbus cloud")) }
        try assertRefused("'ven-7' looks like a vendor reference; give the vendor's own name") { try $0.addVendor(VendorDraft(name: "ven-7")) }
        try assertRefused("a vendor needs a name") { try $0.addVendor(VendorDraft(name: "  ")) }
        try assertRefused("unknown owner 'Nobody'") { try $0.addVendor(VendorDraft(name: "Other", owner: "Nobody")) }
        try assertRefused("the vendor's name: control character U+001B is not allowed (one line of text, without tabs or control characters)") {
            try $0.addVendor(VendorDraft(name: "Evil\u{1B}[2J"))
        }
        try assertRefused("unknown vendor 'Acme Mail'") {
            try $0.addVendorReport(
                "Acme Mail", VendorReportDraft(type: .type2, periodFrom: "2026-01-01", periodTo: "2026-03-31", opinion: .unqualified))
        }
        try assertRefused("VEN-1: a Type 1 report is as of one day, not a period; give --as-of DATE (or --period DATE)") {
            try $0.addVendorReport("VEN-1", VendorReportDraft(type: .type1, periodFrom: "2026-01-01", periodTo: "2026-03-31", opinion: .unqualified))
        }
        try assertRefused("VEN-1: the bridge letter (to 2026-02-01) must reach past the report's period end (2026-03-31)") {
            try $0.addVendorReport(
                "VEN-1",
                VendorReportDraft(type: .type2, periodFrom: "2025-04-01", periodTo: "2026-03-31", opinion: .unqualified, bridgeUntil: "2026-02-01"))
        }
        let missing = folder.appendingPathComponent("missing.pdf").path
        try assertRefused("--file: \(missing): no such file") {
            try $0.addVendorReport(
                "VEN-1", VendorReportDraft(type: .type2, periodFrom: "2025-04-01", periodTo: "2026-03-31", opinion: .unqualified, file: missing))
        }
        try assertRefused("VEN-1 has no SOC 2 report to review; record one with assure vendor report") {
            try $0.reviewVendorReport("VEN-1", note: "fine")
        }
        try assertRefused("VEN-1: the BAA expires (2025-01-01) before it was signed (2026-01-01)") {
            try $0.addVendorAgreement("VEN-1", VendorAgreementDraft(kind: .baa, signedOn: "2026-01-01", expiresOn: "2025-01-01"))
        }
        try assertRefused("VEN-1: an agreement cannot be signed after today (2026-11-20)") {
            try $0.addVendorAgreement("VEN-1", VendorAgreementDraft(kind: .dpa, signedOn: "2026-12-01"))
        }
        try assertRefused("--signed: '2026-13-01' is not a date (YYYY-MM-DD)") {
            try $0.addVendorAgreement("VEN-1", VendorAgreementDraft(kind: .dpa, signedOn: "2026-13-01"))
        }
        try assertRefused("VEN-1: a review cannot be dated after today (2026-11-20)") { try $0.reviewVendor("VEN-1", on: "2026-11-21") }
        try assertRefused("VEN-1 was last reviewed on 2026-09-01; a review dated 2026-08-01 would be earlier") {
            try $0.reviewVendor("VEN-1", on: "2026-08-01")
        }
        try assertRefused("unknown control 'NOPE-1'") { try $0.addVendorCUEC("VEN-1", text: "Review roles", control: "NOPE-1") }
        try assertRefused("VEN-1 has no CUECs; add one with assure vendor cuec") { try $0.mapVendorCUEC("VEN-1", number: 1, control: "AC-04") }
        try write { try $0.addVendorCUEC("VEN-1", text: "Review roles", control: "AC-04") }
        try assertRefused("VEN-1 has no CUEC 2; its CUECs are numbered 1 to 1") { try $0.mapVendorCUEC("VEN-1", number: 2, control: "AC-04") }
        try assertRefused("VEN-1 CUEC 1 is already mapped to AC-04") { try $0.mapVendorCUEC("VEN-1", number: 1, control: "ac-04") }
        try write {
            try $0.addVendorReport("VEN-1", VendorReportDraft(type: .type2, periodFrom: "2025-04-01", periodTo: "2026-03-31", opinion: .unqualified))
        }
        try assertRefused("VEN-1 already has a Type 2 report for 2025-04-01..2026-03-31 (report 1)") {
            try $0.addVendorReport("VEN-1", VendorReportDraft(type: .type2, periodFrom: "2025-04-01", periodTo: "2026-03-31", opinion: .qualified))
        }
        try assertRefused("VEN-1 has no report 3; its reports are numbered 1 to 1") { try $0.reviewVendorReport("VEN-1", report: 3, note: "x") }
        try assertRefused("VEN-1: say what the review found (--note TEXT)") { try $0.reviewVendorReport("VEN-1", note: " ") }
    }

    func testReportAndAgreementFilesAreKeptInTheStore() throws {
        try write { try $0.addVendor(VendorDraft(name: "Nimbus Cloud", criticality: .critical, data: .phi)) }
        let pdf = try file("nimbus-soc2.pdf", "%PDF-1.7 a SOC 2 report")
        let number = try write {
            try $0.addVendorReport(
                "nimbus",
                VendorReportDraft(
                    type: .type2, periodFrom: "2025-04-01", periodTo: "2026-03-31", opinion: .qualified,
                    exceptions: 2, carveOuts: ["Colo Facilities Inc.", " Backup Co "], bridgeUntil: "2026-05-31", file: pdf))
        }
        XCTAssertEqual(number, 1)
        let sha = try FileDigest.sha256(path: pdf)
        let report = try XCTUnwrap(vendors().first?.reports.first)
        XCTAssertEqual(report.sha256, sha)
        XCTAssertEqual(report.fileName, "nimbus-soc2.pdf")
        XCTAssertEqual(report.carveOuts, ["Colo Facilities Inc.", "Backup Co"])
        XCTAssertEqual(report.bridgeUntil, "2026-05-31")
        XCTAssertFalse(report.reviewed)
        var stored = Data()
        try workspace.read { r in try BlobStore.read(r.db, sha256: sha) { stored.append($0) } }
        XCTAssertEqual(String(decoding: stored, as: UTF8.self), "%PDF-1.7 a SOC 2 report")
        XCTAssertEqual(
            try vendorLog("VEN-1").last,
            "report - -> 1: Type 2 2025-04-01..2026-03-31, qualified opinion, 2 exceptions, carves out Colo Facilities Inc.; Backup Co, bridge letter to 2026-05-31, file nimbus-soc2.pdf (\(sha.prefix(12)))"
        )

        // The same bytes again (an agreement bundled in the same PDF) are stored once.
        try write { try $0.addVendorAgreement("VEN-1", VendorAgreementDraft(kind: .baa, signedOn: "2026-01-05", expiresOn: "2028-01-04", file: pdf)) }
        XCTAssertEqual(try workspace.read { try Int.fetchOne($0.db, sql: "SELECT count(*) FROM blob") }, 1)
        XCTAssertEqual(
            try vendors().first?.agreements,
            [VendorAgreement(kind: .baa, signedOn: "2026-01-05", expiresOn: "2028-01-04", fileName: "nimbus-soc2.pdf", sha256: sha)])

        // The review records who and when.
        XCTAssertEqual(
            try workspace.write(Actor("Priya Raman", now: Fixtures.fixedDate)) {
                try $0.reviewVendorReport("VEN-1", note: "Badge exceptions at one data centre; not our tenancy")
            }.value, 1)
        let reviewed = try XCTUnwrap(vendors().first?.reports.first)
        XCTAssertEqual(reviewed.reviewedBy, "Priya Raman")
        XCTAssertEqual(reviewed.reviewedOn, "2026-11-20")
        XCTAssertEqual(reviewed.reviewNote, "Badge exceptions at one data centre; not our tenancy")
        XCTAssertEqual(
            try vendorLog("VEN-1").last,
            "report_review - -> 1: reviewed by Priya Raman on 2026-11-20: Badge exceptions at one data centre; not our tenancy")
    }

    func testCoverageIsOfTheSOC2AuditWindow() throws {
        try write { try $0.addVendor(VendorDraft(name: "Nimbus Cloud", criticality: .critical)) }
        try write {
            try $0.addVendorReport(
                "VEN-1",
                VendorReportDraft(type: .type2, periodFrom: "2025-04-01", periodTo: "2026-03-31", opinion: .unqualified, bridgeUntil: "2026-05-31"))
        }
        var v = try XCTUnwrap(vendors().first)
        XCTAssertNil(v.uncoveredDays, "no window set yet")
        XCTAssertEqual(v.coverageText, "covered to 2026-03-31, bridge to 2026-05-31; no audit window set")

        try write { try $0.setAuditTarget(AuditTarget(reportType: .type2, windowStart: "2026-01-01", window: "6m")) }
        XCTAssertEqual(try workspace.read { try $0.vendorWindow() }, DayRange(from: "2026-01-01", to: "2026-06-30"))
        v = try XCTUnwrap(vendors().first)
        XCTAssertEqual(v.uncoveredDays, 30)
        XCTAssertEqual(v.coverageText, "covered to 2026-03-31, bridge to 2026-05-31; 30 days uncovered (2026-06-01..2026-06-30)")

        // A Type 1 report adds no covered day.
        try write {
            try $0.addVendorReport("VEN-1", VendorReportDraft(type: .type1, periodFrom: "2026-06-15", periodTo: "2026-06-15", opinion: .unqualified))
        }
        XCTAssertEqual(try vendors().first?.uncoveredDays, 30)
        // A newer Type 2 report closes the hole exactly at the window's end.
        try write {
            try $0.addVendorReport("VEN-1", VendorReportDraft(type: .type2, periodFrom: "2025-06-01", periodTo: "2026-06-30", opinion: .unqualified))
        }
        v = try XCTUnwrap(vendors().first)
        XCTAssertEqual(v.uncoveredDays, 0)
        XCTAssertEqual(v.coverageText, "covered to 2026-06-30; window covered")
    }

    func testCUECsListTheControlItsOwnerAndNewestAcceptedEvidence() throws {
        try write { try $0.addVendor(VendorDraft(name: "Okta", criticality: .medium, data: .confidential)) }
        try write { try $0.assign(controls: ["AC-04"], owner: "Dana Kim") }
        let older = try file("q2-review.csv", "user,decision\n")
        let newer = try file("q3-review.csv", "user,decision\nann,keep\n")
        let first = try write {
            try $0.addEvidence(EvidenceDraft(control: "AC-04", files: [older], provedFrom: "2026-04-01", provedTo: "2026-06-30"))
        }
        let second = try write {
            try $0.addEvidence(EvidenceDraft(control: "AC-04", files: [newer], provedFrom: "2026-07-01", provedTo: "2026-09-30"))
        }
        try write { try $0.reviewEvidence(first, accept: true, note: "all attested") }
        XCTAssertEqual(try write { try $0.addVendorCUEC("okta", text: "Review who holds admin roles each quarter", control: "ac-04") }, 1)
        XCTAssertEqual(try write { try $0.addVendorCUEC("okta", text: "Turn on MFA for every user") }, 2)

        var lines = try workspace.read { try $0.vendorCUECs(vendor: "Okta", today: today) }
        XCTAssertEqual(lines.map(\.number), [1, 2])
        XCTAssertEqual(lines[0].control, "AC-04")
        XCTAssertEqual(lines[0].owner, "Dana Kim")
        XCTAssertEqual(
            lines[0].evidence, VendorCUECLine.Evidence(ref: first, proves: "2026-04-01..2026-06-30"), "the pending newer item does not count")
        XCTAssertNil(lines[1].control)
        XCTAssertNil(lines[1].evidence)
        XCTAssertEqual(try vendors().first?.unmappedCUECCount, 1)
        XCTAssertEqual(try vendors().first?.findings, ["1 CUEC not mapped to a control"])

        try write { try $0.reviewEvidence(second, accept: true, note: "ok") }
        XCTAssertEqual(try write { try $0.mapVendorCUEC("VEN-1", number: 2, control: "AC-04") }, "AC-04")
        lines = try workspace.read { try $0.vendorCUECs(today: today) }
        XCTAssertEqual(lines.map { $0.evidence?.ref }, [second, second])
        XCTAssertEqual(try vendors().first?.findings, [])
        XCTAssertEqual(
            Array(try vendorLog("VEN-1").suffix(4)),
            [
                "cuec - -> 1: Review who holds admin roles each quarter", "cuec_control - -> 1: AC-04", "cuec - -> 2: Turn on MFA for every user",
                "cuec_control - -> 2: AC-04",
            ])
    }

    func testDerivedGapsFromTheStore() throws {
        try write { try $0.setAuditTarget(AuditTarget(reportType: .type2, windowStart: "2026-01-01", window: "6m")) }
        try write {
            try $0.addVendor(VendorDraft(name: "Nimbus Cloud", criticality: .critical, data: .phi, owner: "Dana Kim", createdOn: "2026-01-10"))
        }
        try write { try $0.addVendor(VendorDraft(name: "Ledgerly", criticality: .high, data: .personal, owner: "Omar Haddad")) }
        try write { try $0.addVendor(VendorDraft(name: "Snacks Ltd", criticality: .low)) }
        try write {
            try $0.addVendorReport(
                "Nimbus",
                VendorReportDraft(
                    type: .type2, periodFrom: "2025-04-01", periodTo: "2026-03-31", opinion: .unqualified,
                    exceptions: 1, bridgeUntil: "2026-05-31"))
        }
        try write { try $0.addVendorCUEC("Nimbus", text: "Restrict tenant admin roles") }
        try write { try $0.addVendorAgreement("Nimbus", VendorAgreementDraft(kind: .baa, signedOn: "2026-01-05")) }
        try write { try $0.addVendorAgreement("Ledgerly", VendorAgreementDraft(kind: .dpa, signedOn: "2025-01-05", expiresOn: "2026-01-04")) }
        let proposals = try workspace.read { try $0.vendorProposals(today: today, existingKeys: ["vendor-cuec:VEN-1:1"]) }
        XCTAssertEqual(
            proposals.map(\.key),
            [
                "vendor-uncovered:VEN-1:2026-01-01", "vendor-report-review:VEN-1:1", "vendor-agreement:VEN-1:dpa", "vendor-review:VEN-1:2026-07-10",
                "vendor-no-report:VEN-2", "vendor-agreement:VEN-2:dpa",
            ])
        XCTAssertEqual(proposals.map { $0.draft.owner }, ["Dana Kim", "Dana Kim", "Dana Kim", "Dana Kim", "Omar Haddad", "Omar Haddad"])
        let ledgerly = try workspace.read { try $0.vendor("Ledgerly", today: today) }
        XCTAssertEqual(ledgerly.findings, ["no SOC 2 report (high vendor)", "DPA expired 2026-01-04 (holds personal data)"])
        XCTAssertEqual(ledgerly.uncoveredDays, 181)
        XCTAssertEqual(try workspace.read { try $0.vendor("Snacks", today: today) }.findings, [])
    }
}
