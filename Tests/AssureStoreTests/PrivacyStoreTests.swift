import AssureModel
import AssureTestSupport
import Foundation
import GRDB
import XCTest

@testable import AssureStore

/// The privacy records in the store: processing with recipients, DPIAs linked to risks, data
/// subject requests with their deadlines; each write one transaction with its change-log rows,
/// refusals that leave no trace, the regulator's register and the derived gaps.
final class PrivacyStoreTests: XCTestCase {
    var workspace: Workspace!
    let alice = Fixtures.actor("alice")  // acts on 2026-11-20
    var logStart: Int64 = 0

    override func setUpWithError() throws {
        workspace = try Fixtures.workspace(scope: Scope(company: "Acme Health", categories: [.security]), by: alice)
        // Vendors are written directly: the privacy records only read the table.
        try workspace.write(alice) { w in
            for (number, name) in [(1, "Cloudcore"), (2, "Mailbird"), (3, "Okta")] {
                try w.db.execute(
                    sql: "INSERT INTO vendor (number, ref, name, created_on, created_by) VALUES (?, ?, ?, '2026-01-01', 'alice')",
                    arguments: [number, "VEN-\(number)", name])
            }
        }
        logStart = try workspace.read { try $0.changeCounter() }
    }

    @discardableResult
    func write<T>(_ body: (WorkspaceWriter) throws -> T) throws -> T { try workspace.write(alice, body).value }

    func log(_ entity: String, _ ref: String) throws -> [String] {
        try workspace.read { try $0.log(LogFilter(entity: entity, ref: ref)) }.filter { $0.id > logStart }
            .map { "\($0.field) \($0.before ?? "-") -> \($0.after ?? "-")" }
    }

    func snapshot() throws -> String {
        try workspace.read { r in
            try ["processing_activity", "processing_recipient", "dpia", "dpia_risk", "dsr", "blob", "change_log"].map { table in
                try Row.fetchAll(r.db, sql: "SELECT * FROM \(table)").map(\.description).joined(separator: "\n")
            }.joined(separator: "\n--\n")
        }
    }

    func assertRefused(_ message: String, file: StaticString = #filePath, line: UInt = #line, _ body: (WorkspaceWriter) throws -> Void) throws {
        let before = try snapshot()
        XCTAssertThrowsError(try workspace.write(alice, body), file: file, line: line) { XCTAssertEqual("\($0)", message, file: file, line: line) }
        XCTAssertEqual(try snapshot(), before, "a refused write changed the workspace", file: file, line: line)
    }

    func scheduling(recipients: [String] = ["mailbird", "VEN-1"], highRisk: Bool = true) -> ProcessingDraft {
        ProcessingDraft(
            name: "Patient scheduling", purpose: "Book and remind appointments", basis: .contract,
            dataCategories: ["name", "email", "appointment times"], subjects: ["patients"], recipients: recipients,
            retention: "2 years after the last visit", transferCountry: "US", mechanism: .scc, highRisk: highRisk)
    }

    func testProcessingIsStoredWithRecipientsAndLoggedInOneBatch() throws {
        let ref = try write { try $0.addProcessing(scheduling(recipients: ["mailbird", "VEN-1", "Cloudcore"])) }
        XCTAssertEqual(ref, "ROPA-1")
        let activity = try workspace.read { try $0.processingActivity("patient SCHEDULING") }
        XCTAssertEqual(activity.ref, "ROPA-1")
        XCTAssertEqual(activity.recipients, ["Cloudcore", "Mailbird"], "each vendor once, by name")
        XCTAssertEqual(activity.dataCategories, ["name", "email", "appointment times"])
        XCTAssertEqual(activity.transferCountry, "US")
        XCTAssertEqual(activity.mechanism, .scc)
        XCTAssertEqual(activity.createdOn, "2026-11-20")
        XCTAssertTrue(activity.needsDPIA)
        XCTAssertEqual(
            try log("processing", "ROPA-1"),
            [
                "created - -> Patient scheduling", "basis - -> contract", "high_risk - -> yes",
                "purpose - -> Book and remind appointments", "data_categories - -> name, email, appointment times", "subjects - -> patients",
                "retention - -> 2 years after the last visit", "transfer_country - -> US", "mechanism - -> scc",
                "recipient - -> Cloudcore", "recipient - -> Mailbird",
            ])
        let batches = try workspace.read { try $0.log(LogFilter(entity: "processing")) }.filter { $0.id > logStart }.map(\.batch)
        XCTAssertEqual(Set(batches).count, 1, "one intent, one transaction")
        XCTAssertNil(try workspace.read { try $0.verifyChain() }.problem)
    }

    func testProcessingRefusalsNameTheProblemAndWriteNothing() throws {
        try assertRefused("unknown vendor 'Mailbirb'; did you mean Mailbird?") { try $0.addProcessing(self.scheduling(recipients: ["Mailbirb"])) }
        var draft = scheduling()
        draft.mechanism = nil
        try assertRefused(
            "'Patient scheduling': a transfer needs both --transfer COUNTRY and --mechanism scc|adequacy|bcr (the safeguard it rests on)"
        ) {
            try $0.addProcessing(draft)
        }
        draft = scheduling()
        draft.subjects = []
        try assertRefused("'Patient scheduling': name the categories of data subjects (--subjects CATEGORIES, e.g. customers)") {
            try $0.addProcessing(draft)
        }
        try write { try $0.addProcessing(self.scheduling()) }
        try assertRefused("a processing activity named 'Patient scheduling' already exists (ROPA-1); choose another name or edit it") {
            try $0.addProcessing(self.scheduling())
        }
        try assertRefused("ROPA-1: Okta is not a recipient, so it cannot be removed") { w in
            var edit = ProcessingEdit()
            edit.removeRecipients = ["okta"]
            try w.editProcessing("ROPA-1", edit)
        }
        try assertRefused("unknown processing activity 'ROPA-9'; did you mean ROPA-1?") { w in
            var edit = ProcessingEdit()
            edit.highRisk = false
            try w.editProcessing("ROPA-9", edit)
        }
    }

    func testEditChangesFieldsRecipientsAndTransferOneRowEach() throws {
        try write { try $0.addProcessing(self.scheduling()) }
        let start = try workspace.read { try $0.changeCounter() }
        var edit = ProcessingEdit()
        edit.retention = "18 months"
        edit.addRecipients = ["Okta"]
        edit.removeRecipients = ["Cloudcore"]
        edit.removeTransfer = true
        edit.highRisk = false
        XCTAssertEqual(try write { try $0.editProcessing("1", edit) }, 6)
        let activity = try workspace.read { try $0.processingActivity("ROPA-1") }
        XCTAssertEqual(activity.recipients, ["Mailbird", "Okta"])
        XCTAssertNil(activity.transferCountry)
        XCTAssertNil(activity.mechanism)
        XCTAssertFalse(activity.highRisk)
        let rows = try workspace.read { try $0.log(LogFilter(entity: "processing", ref: "ROPA-1")) }.filter { $0.id > start }
            .map { "\($0.field) \($0.before ?? "-") -> \($0.after ?? "-")" }
        XCTAssertEqual(
            rows,
            [
                "retention 2 years after the last visit -> 18 months", "transfer_country US -> -", "mechanism scc -> -",
                "high_risk yes -> no", "recipient Cloudcore -> -", "recipient - -> Okta",
            ])
        XCTAssertEqual(try write { try $0.editProcessing("ROPA-1", edit.withOnly(retention: "18 months")) }, 0, "the same value is no change")
    }

    func testDPIAsLinkRisksAndTheNewestIsCurrent() throws {
        try write { try $0.addProcessing(self.scheduling()) }
        let risk = try workspace.read { try $0.risks(today: Fixtures.today) }.first!.ref
        let first = try write {
            try $0.addDPIA(
                DPIADraft(
                    processing: "ROPA-1", outcome: .notAcceptable, summary: "Reminders expose diagnoses",
                    assessedOn: "2026-03-01", nextReview: "2026-09-01", risks: [risk, risk.lowercased()]))
        }
        XCTAssertEqual(first, "DPIA-1")
        XCTAssertEqual(
            try log("dpia", "DPIA-1"),
            [
                "created - -> ROPA-1", "outcome - -> not-acceptable", "assessed_on - -> 2026-03-01",
                "summary - -> Reminders expose diagnoses", "next_review - -> 2026-09-01", "risk - -> \(risk)",
            ])
        var dpia = try workspace.read { try $0.dpia("1", today: Fixtures.today) }
        XCTAssertEqual(dpia.risks, [risk], "each risk once")
        XCTAssertTrue(dpia.current)
        XCTAssertTrue(dpia.reviewOverdue)
        var keys = try workspace.read { try $0.privacyProposals(today: Fixtures.today, existingKeys: []) }.map(\.key)
        XCTAssertEqual(keys, ["privacy-dpia-review:DPIA-1:2026-09-01", "privacy-dpia-outcome:DPIA-1"])

        try write { try $0.addDPIA(DPIADraft(processing: "Patient scheduling", outcome: .acceptableWithMeasures, nextReview: "2027-11-20")) }
        dpia = try workspace.read { try $0.dpia("DPIA-1", today: Fixtures.today) }
        XCTAssertFalse(dpia.current, "reassessed: the first is superseded")
        XCTAssertFalse(dpia.reviewOverdue)
        XCTAssertEqual(try workspace.read { try $0.processingActivity("ROPA-1") }.dpia?.ref, "DPIA-2")
        keys = try workspace.read { try $0.privacyProposals(today: Fixtures.today, existingKeys: []) }.map(\.key)
        XCTAssertEqual(keys, [])

        try assertRefused("the next review (2026-01-01) must come after the assessment (2026-11-20)") {
            try $0.addDPIA(DPIADraft(processing: "ROPA-1", outcome: .acceptable, nextReview: "2026-01-01"))
        }
        try assertRefused("a DPIA of ROPA-1 cannot be dated after today (2026-11-20)") {
            try $0.addDPIA(DPIADraft(processing: "ROPA-1", outcome: .acceptable, assessedOn: "2026-12-01"))
        }
        try assertRefused("unknown risk 'NOPE'") { try $0.addDPIA(DPIADraft(processing: "ROPA-1", outcome: .acceptable, risks: ["NOPE"])) }
    }

    func testRequestsOpenExtendAndCloseWithTheirDeadlines() throws {
        let ref = try write { try $0.openDSR(DSRDraft(kind: .erasure, receivedOn: "2026-10-31", subjectRef: "ZD-48213")) }
        XCTAssertEqual(ref, "DSR-1")
        var dsr = try workspace.read { try $0.dsr("dsr-1", today: Fixtures.today) }
        XCTAssertEqual(dsr.dueOn, "2026-11-30", "31 October plus a month is the last day of November")
        XCTAssertEqual(dsr.daysLeft, 10)
        XCTAssertEqual(
            try log("dsr", "DSR-1"),
            [
                "created - -> erasure", "received_on - -> 2026-10-31", "due_on - -> 2026-11-30",
                "subject_ref - -> ZD-48213",
            ])
        XCTAssertEqual(try write { try $0.extendDSR("1", months: 2, reason: "Backups in three regions") }, "2027-01-30")
        dsr = try workspace.read { try $0.dsr("DSR-1", today: Fixtures.today) }
        XCTAssertEqual(dsr.due, "2027-01-30")
        XCTAssertEqual(dsr.extensionReason, "Backups in three regions")
        try assertRefused("DSR-1 was already extended to 2027-01-30; the law allows one extension") {
            try $0.extendDSR("DSR-1", months: 1, reason: "again")
        }

        let file = try Fixtures.temporaryDirectory().appendingPathComponent("reply.txt")
        try Data("Erased from all systems".utf8).write(to: file)
        XCTAssertEqual(
            try write { try $0.closeDSR("DSR-1", DSRClosing(status: .completed, note: "Erased", closedOn: "2026-11-19", evidence: file.path)) },
            "2026-11-19")
        dsr = try workspace.read { try $0.dsr("DSR-1", today: Fixtures.today) }
        XCTAssertEqual(dsr.status, .completed)
        XCTAssertEqual(dsr.fileName, "reply.txt")
        XCTAssertNil(dsr.daysLeft)
        var bytes = Data()
        XCTAssertEqual(try workspace.read { try $0.readDSREvidence("DSR-1") { bytes.append($0) } }, "reply.txt")
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "Erased from all systems")
        try assertRefused("DSR-1 was already closed (completed on 2026-11-19)") {
            try $0.closeDSR("DSR-1", DSRClosing(status: .refused, note: "x"))
        }

        // Overdue: received more than a month ago and still open.
        try write { try $0.openDSR(DSRDraft(kind: .access, receivedOn: "2026-10-01")) }
        let listed = try workspace.read { try $0.dsrs(today: Fixtures.today) }
        XCTAssertEqual(listed.map(\.ref), ["DSR-1", "DSR-2"])
        XCTAssertEqual(listed[1].due, "2026-11-01")
        XCTAssertEqual(listed[1].daysLeft, -19)
        XCTAssertTrue(listed[1].overdue)
        XCTAssertEqual(
            try workspace.read { try $0.privacyProposals(today: Fixtures.today, existingKeys: []) }.map(\.key), ["privacy-dsr-overdue:DSR-2"])
        try assertRefused("DSR-2 was due on 2026-11-01; an extension must be decided before the original due date passes") {
            try $0.extendDSR("DSR-2", months: 1, reason: "late")
        }
        // The sample loader extends with an explicit decision day.
        try write { try $0.openDSR(DSRDraft(kind: .portability, receivedOn: "2026-09-10")) }
        XCTAssertEqual(try write { try $0.extendDSR("DSR-3", months: 1, reason: "Volume", on: "2026-10-01") }, "2026-11-10")
    }

    func testRequestRefusalsKeepPersonalDataOut() throws {
        try assertRefused(
            "--subject-ref looks like an email address: store an opaque reference, not personal data (e.g. the ticket id in your helpdesk)"
        ) {
            try $0.openDSR(DSRDraft(kind: .access, receivedOn: "2026-11-01", subjectRef: "jane@example.com"))
        }
        try assertRefused(
            "--subject-ref looks like a phone number: store an opaque reference, not personal data (e.g. the ticket id in your helpdesk)"
        ) {
            try $0.openDSR(DSRDraft(kind: .access, receivedOn: "2026-11-01", subjectRef: "+44 20 7946 0958"))
        }
        try assertRefused("--received: a request cannot be received after today (2026-11-20)") {
            try $0.openDSR(DSRDraft(kind: .access, receivedOn: "2026-11-21"))
        }
        try assertRefused("--received: '2026-02-30' is not a date (YYYY-MM-DD)") { try $0.openDSR(DSRDraft(kind: .access, receivedOn: "2026-02-30")) }
        try write { try $0.openDSR(DSRDraft(kind: .objection, receivedOn: "2026-11-10")) }
        try assertRefused("DSR-1: closing needs a note (--note TEXT): what was done, or why it was refused") {
            try $0.closeDSR("DSR-1", DSRClosing(status: .refused, note: " "))
        }
        try assertRefused("DSR-1 was received on 2026-11-10; it cannot be closed on 2026-11-09") {
            try $0.closeDSR("DSR-1", DSRClosing(status: .refused, note: "Manifestly unfounded", closedOn: "2026-11-09"))
        }
        try assertRefused("/nonexistent/reply.pdf: no such file") {
            try $0.closeDSR("DSR-1", DSRClosing(status: .completed, note: "Done", evidence: "/nonexistent/reply.pdf"))
        }
        try assertRefused("unknown DSR 'DSR-7'; did you mean DSR-1?") { try $0.extendDSR("DSR-7", months: 1, reason: "x") }
    }

    func testRegisterExportIsTheRegulatorsViewAndByteStable() throws {
        try write { try $0.addProcessing(self.scheduling()) }
        try write {
            try $0.addProcessing(
                ProcessingDraft(
                    name: "Payroll", purpose: "Pay staff", basis: .legalObligation, dataCategories: ["name", "bank account"],
                    subjects: ["employees"], retention: "7 years"))
        }
        try write { try $0.addDPIA(DPIADraft(processing: "ROPA-1", outcome: .acceptableWithMeasures, assessedOn: "2026-10-01")) }
        let register = try workspace.read { try $0.processingRegister() }
        let csv = register.csv()
        XCTAssertEqual(
            csv,
            """
            Ref,Processing activity,Controller,Purpose,Legal basis,Categories of personal data,Categories of data subjects,Recipients,Transfer to third country,Transfer safeguard,Retention,High risk,DPIA,DPIA outcome\r
            ROPA-1,Patient scheduling,Acme Health,Book and remind appointments,contract,name; email; appointment times,patients,Cloudcore; Mailbird,US,scc (standard contractual clauses),2 years after the last visit,yes,DPIA-1,acceptable-with-measures\r
            ROPA-2,Payroll,Acme Health,Pay staff,legal-obligation,name; bank account,employees,none,none,,7 years,no,not required,\r

            """)
        let anchor = try workspace.read { try $0.chainAnchor() }
        let markdown = register.markdown(anchor: anchor)
        XCTAssertTrue(
            markdown.hasPrefix("# Record of processing activities\n\nController: Acme Health\n\n| Ref | Processing activity | Purpose |"), markdown)
        XCTAssertTrue(
            markdown.contains(
                "| ROPA-2 | Payroll | Pay staff | legal-obligation | name; bank account | employees | none | none |  | 7 years | no | not required |  |"
            ), markdown)
        XCTAssertTrue(markdown.hasSuffix("\n" + anchor.line + "\n"))
        let again = try workspace.read { r in (try r.processingRegister().csv(), try r.processingRegister().markdown(anchor: try r.chainAnchor())) }
        XCTAssertEqual(again.0, csv)
        XCTAssertEqual(again.1, markdown)
    }
}

extension ProcessingEdit {
    fileprivate func withOnly(retention: String) -> ProcessingEdit {
        var edit = ProcessingEdit()
        edit.retention = retention
        return edit
    }
}
