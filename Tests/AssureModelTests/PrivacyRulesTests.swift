import AssureModel
import XCTest

/// The privacy records' pure rules: DSR deadlines and their one extension, the guard against
/// personal data in a request's reference, the register's checks and the derived gaps.
final class PrivacyRulesTests: XCTestCase {
    func dsr(
        _ ref: String = "DSR-1", received: String = "2026-01-31", status: DSRStatus = .open, extendedTo: String? = nil,
        closedOn: String? = nil
    ) -> DSR {
        DSR(
            ref: ref, kind: .access, receivedOn: received, dueOn: PrivacyRules.dueDate(received: received)!, extendedTo: extendedTo,
            extensionReason: extendedTo == nil ? "" : "volume", status: status, closedOn: closedOn, openedBy: "dana")
    }

    func message(_ body: () throws -> Any) -> String? {
        do { _ = try body(); return nil } catch { return "\(error)" }
    }

    func testDueDateIsOneCalendarMonthAndClampsAtMonthEnds() {
        XCTAssertEqual(PrivacyRules.dueDate(received: "2026-11-02"), "2026-12-02")
        XCTAssertEqual(PrivacyRules.dueDate(received: "2026-12-15"), "2027-01-15", "across the year end")
        XCTAssertEqual(PrivacyRules.dueDate(received: "2026-01-31"), "2026-02-28", "no 31 February: the month's last day")
        XCTAssertEqual(PrivacyRules.dueDate(received: "2028-01-31"), "2028-02-29", "a leap year")
        XCTAssertEqual(PrivacyRules.dueDate(received: "2026-03-31"), "2026-04-30")
        XCTAssertEqual(PrivacyRules.dueDate(received: "2026-02-28"), "2026-03-28", "not the month's end: the same day")
        XCTAssertNil(PrivacyRules.dueDate(received: "2026-02-30"))
        XCTAssertNil(PrivacyRules.dueDate(received: "next week"))
    }

    func testExtensionIsOnceByOneOrTwoMonthsFromTheOriginalDueDateBeforeItPasses() {
        let request = dsr(received: "2026-01-31")  // due 2026-02-28
        XCTAssertEqual(
            try PrivacyRules.extendedDue(request, months: 2, reason: "Three systems", on: "2026-02-10"), "2026-04-28",
            "counted from the due date, never later than the law allows")
        XCTAssertEqual(
            try PrivacyRules.extendedDue(request, months: 1, reason: "Volume", on: "2026-02-28"), "2026-03-28",
            "the due day itself is still in time")
        XCTAssertEqual(
            message { try PrivacyRules.extendedDue(request, months: 1, reason: "Volume", on: "2026-03-01") },
            "DSR-1 was due on 2026-02-28; an extension must be decided before the original due date passes")
        XCTAssertEqual(
            message { try PrivacyRules.extendedDue(request, months: 3, reason: "Volume", on: "2026-02-10") },
            "DSR-1: --months must be 1 or 2 (the law allows at most two further months), not 3")
        XCTAssertEqual(
            message { try PrivacyRules.extendedDue(request, months: 0, reason: "Volume", on: "2026-02-10") },
            "DSR-1: --months must be 1 or 2 (the law allows at most two further months), not 0")
        XCTAssertEqual(
            message { try PrivacyRules.extendedDue(request, months: 2, reason: "  ", on: "2026-02-10") },
            "DSR-1: an extension needs its reason (--reason TEXT); the requester must be told why")
        XCTAssertEqual(
            message { try PrivacyRules.extendedDue(self.dsr(extendedTo: "2026-03-28"), months: 1, reason: "More", on: "2026-02-10") },
            "DSR-1 was already extended to 2026-03-28; the law allows one extension")
        XCTAssertEqual(
            message { try PrivacyRules.extendedDue(self.dsr(status: .completed, closedOn: "2026-02-01"), months: 1, reason: "x", on: "2026-02-10") },
            "DSR-1 is completed; only an open request can be extended")
        XCTAssertEqual(
            message { try PrivacyRules.extendedDue(request, months: 1, reason: "x", on: "2026-01-30") },
            "DSR-1 was received on 2026-01-31; an extension cannot be dated 2026-01-30")
    }

    func testSummaryCountsDaysLeftAndOverdueFromTheEffectiveDueDate() {
        let open = DSRSummary(dsr(received: "2026-11-02"), today: "2026-11-20")  // due 2026-12-02
        XCTAssertEqual(open.due, "2026-12-02")
        XCTAssertEqual(open.daysLeft, 12)
        XCTAssertFalse(open.overdue)
        let dueToday = DSRSummary(dsr(received: "2026-10-20"), today: "2026-11-20")
        XCTAssertEqual(dueToday.daysLeft, 0)
        XCTAssertFalse(dueToday.overdue, "the due day itself is on time")
        let late = DSRSummary(dsr(received: "2026-10-15"), today: "2026-11-20")
        XCTAssertEqual(late.daysLeft, -5)
        XCTAssertTrue(late.overdue)
        let extended = DSRSummary(dsr(received: "2026-10-15", extendedTo: "2026-12-15"), today: "2026-11-20")
        XCTAssertEqual(extended.due, "2026-12-15", "the extension is the date that binds")
        XCTAssertEqual(extended.daysLeft, 25)
        XCTAssertFalse(extended.overdue)
        let closedLate = DSRSummary(dsr(received: "2026-10-15", status: .completed, closedOn: "2026-11-18"), today: "2026-11-20")
        XCTAssertNil(closedLate.daysLeft)
        XCTAssertFalse(closedLate.overdue, "a closed request is never overdue")
        XCTAssertTrue(closedLate.answeredLate)
        XCTAssertFalse(DSRSummary(dsr(received: "2026-10-15", status: .refused, closedOn: "2026-11-15"), today: "2026-11-20").answeredLate)
    }

    func testSubjectRefRefusesEmailAddressesAndPhoneNumbers() {
        for ok in ["", "ZD-48213", "DSR-2026-0042", "ticket 4417", "INC0012345", "case #88123 / web form", "REQ 2026-000123", "@handle"] {
            XCTAssertNoThrow(try PrivacyRules.checkSubjectRef(ok), ok)
        }
        let email = "--subject-ref looks like an email address: store an opaque reference, not personal data (e.g. the ticket id in your helpdesk)"
        let phone = "--subject-ref looks like a phone number: store an opaque reference, not personal data (e.g. the ticket id in your helpdesk)"
        for text in ["jane.doe@example.com", "ticket for <j.doe@mail.example.org>", "mailto:someone", "A.B@c.co.uk"] {
            XCTAssertEqual(message { try PrivacyRules.checkSubjectRef(text) }, email, text)
        }
        for text in ["+44 20 7946 0958", "(415) 555-0123", "415-555-0123", "0612345678", "call 020 7946 0958", "+4915112345678", "415.555.0123"] {
            XCTAssertEqual(message { try PrivacyRules.checkSubjectRef(text) }, phone, text)
        }
        XCTAssertEqual(
            message { try PrivacyRules.checkSubjectRef(String(repeating: "x", count: 101)) },
            "--subject-ref is longer than 100 characters; store an opaque reference (e.g. a ticket id), not personal data")
        XCTAssertEqual(
            message { try PrivacyRules.checkSubjectRef("ZD-1\u{1B}[2J") },
            "--subject-ref: control character U+001B is not allowed (one line of text, without tabs or control characters)")
        // The message never repeats what was typed: it may be personal data.
        XCTAssertFalse(message { try PrivacyRules.checkSubjectRef("jane.doe@example.com") }!.contains("jane"))
    }

    func testParsingAndTheRegistersChecks() throws {
        XCTAssertEqual(try PrivacyRules.basis("Legitimate_Interests"), .legitimateInterests)
        XCTAssertEqual(
            message { try PrivacyRules.basis("because") },
            "unknown lawful basis 'because'; use consent, contract, legal-obligation, vital-interests, public-task, legitimate-interests (--basis)")
        XCTAssertEqual(message { try PrivacyRules.closingStatus("open") }, "unknown closing status 'open'; use completed or refused (--status)")
        XCTAssertEqual(PrivacyRules.categories("email, name;  Email , postal address,,"), ["email", "name", "postal address"])

        var activity = ProcessingActivity(
            ref: "ROPA-1", name: "Scheduling", purpose: "Book visits", basis: .contract,
            dataCategories: ["name"], subjects: ["patients"], retention: "2 years", createdOn: "2026-11-20")
        XCTAssertNoThrow(try PrivacyRules.check(activity))
        activity.transferCountry = "US"
        XCTAssertEqual(
            message { try PrivacyRules.check(activity) },
            "ROPA-1: a transfer needs both --transfer COUNTRY and --mechanism scc|adequacy|bcr (the safeguard it rests on)")
        activity.mechanism = .scc
        XCTAssertNoThrow(try PrivacyRules.check(activity))
        activity.dataCategories = []
        XCTAssertEqual(
            message { try PrivacyRules.check(activity) },
            "ROPA-1: name the categories of personal data (--data CATEGORIES, e.g. \"email, name\")")
        activity.dataCategories = ["name"]
        activity.retention = " "
        XCTAssertEqual(message { try PrivacyRules.check(activity) }, "ROPA-1: say how long the data is kept (--retention TEXT)")
    }

    func testDerivedGapsForEachRuleAndOnlyForTheCurrentDPIA() {
        let today = "2026-11-20"
        func activity(_ ref: String, highRisk: Bool) -> ProcessingActivity {
            ProcessingActivity(
                ref: ref, name: "Activity \(ref)", purpose: "p", basis: .contract, dataCategories: ["name"], subjects: ["patients"],
                retention: "1 year", highRisk: highRisk, createdOn: "2026-01-01")
        }
        let old = DPIA(
            ref: "DPIA-1", processing: "ROPA-2", processingName: "Activity ROPA-2", outcome: .notAcceptable, assessedOn: "2025-01-10",
            nextReview: "2025-06-01", assessedBy: "dana")
        let newer = DPIA(
            ref: "DPIA-2", processing: "ROPA-2", processingName: "Activity ROPA-2", outcome: .acceptable, assessedOn: "2026-02-01",
            nextReview: "2026-11-19", assessedBy: "dana")
        let refused = DPIA(
            ref: "DPIA-3", processing: "ROPA-3", processingName: "Activity ROPA-3", outcome: .notAcceptable, assessedOn: "2026-03-01",
            nextReview: "2026-11-20", assessedBy: "dana")
        let all = [old, newer, refused]
        let current = PrivacyRules.currentDPIAs(all)
        XCTAssertEqual(current, ["DPIA-2", "DPIA-3"], "a reassessment supersedes the one before")
        let dpias = all.map { DPIASummary($0, current: current.contains($0.ref), today: today) }
        XCTAssertEqual(dpias.map(\.reviewOverdue), [false, true, false], "superseded never overdue; the due day is on time")
        let activities = [
            ProcessingSummary(activity("ROPA-1", highRisk: true), dpia: nil),
            ProcessingSummary(activity("ROPA-2", highRisk: true), dpia: newer),
            ProcessingSummary(activity("ROPA-3", highRisk: false), dpia: refused),
            ProcessingSummary(activity("ROPA-4", highRisk: false), dpia: nil),
        ]
        let dsrs = [
            DSRSummary(dsr("DSR-1", received: "2026-10-15"), today: today),
            DSRSummary(dsr("DSR-2", received: "2026-11-02"), today: today),
            DSRSummary(dsr("DSR-3", received: "2026-09-01", status: .completed, closedOn: "2026-10-30"), today: today),
        ]
        let proposals = Derive.privacyProposals(activities: activities, dpias: dpias, dsrs: dsrs, existingKeys: [])
        XCTAssertEqual(
            proposals.map(\.key),
            [
                "privacy-no-dpia:ROPA-1", "privacy-dpia-review:DPIA-2:2026-11-19",
                "privacy-dpia-outcome:DPIA-3", "privacy-dsr-overdue:DSR-1",
            ])
        XCTAssertEqual(proposals.map(\.draft.severity), [.high, .medium, .critical, .high])
        XCTAssertEqual(proposals[3].draft.title, "DSR-1 (access request) was due on 2026-11-15")
        XCTAssertTrue(proposals[3].draft.description.contains("still open 5 days after its legal due date"), proposals[3].draft.description)
        let again = Derive.privacyProposals(
            activities: activities, dpias: dpias, dsrs: dsrs,
            existingKeys: ["privacy-no-dpia:ROPA-1", "privacy-dsr-overdue:DSR-1"])
        XCTAssertEqual(
            again.map(\.key), ["privacy-dpia-review:DPIA-2:2026-11-19", "privacy-dpia-outcome:DPIA-3"], "a key opened once is not proposed again")
    }
}
