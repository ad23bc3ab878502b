import AssureModel
import AssureTestSupport
import Foundation
import GRDB
import XCTest

@testable import AssureStore

/// Undo and redo of the workbench's evidence edits: an add is taken back whole (its evidence and
/// file rows; the stored bytes stay) and comes back as it was; a review goes back to the previous
/// state, note and reviewer. Both are labelled in the minutes.
final class EvidenceUndoTests: XCTestCase {
    var workspace: Workspace!
    var folder: URL!
    let alice = Fixtures.actor("alice")
    let omar = Fixtures.actor("omar")

    override func setUpWithError() throws {
        folder = try Fixtures.temporaryDirectory()
        workspace = try Fixtures.workspace(scope: Scope(company: "Acme"), by: alice)
        try workspace.write(alice) { try $0.loadStarterLibrary() }
        try workspace.write(alice) { try $0.addOwner(Owner(name: "Dana Kim")) }
        try workspace.write(alice) { try $0.assign(controls: ["AC-03"], owner: .some("Dana Kim")) }
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func file(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func items() throws -> [EvidenceItem] { try workspace.read { try $0.evidence(today: Fixtures.today) } }
    /// Everything an item holds, as text (an item is not Equatable).
    func describe(_ item: EvidenceItem?) -> String {
        guard let i = item else { return "none" }
        return [
            i.ref, i.control, i.title, i.source, i.note, i.provedFrom, i.provedTo, i.answers.map { "\($0.from)..\($0.to)" } ?? "-",
            i.review.rawValue, i.reviewNote, i.reviewedBy ?? "-", i.reviewedAt ?? "-", i.addedBy, i.addedAt,
            i.files.map { "v\($0.version) \($0.name) \($0.sha256) \($0.size) \($0.addedBy) \($0.addedAt)" }.joined(separator: "; "),
        ]
        .joined(separator: " | ")
    }
    func count(_ sql: String) throws -> Int { try workspace.read { try Int.fetchOne($0.db, sql: sql) ?? 0 } }
    func undo(_ batch: Int64?, as actor: Actor? = nil) throws -> Written<String> {
        let batch = try XCTUnwrap(batch)
        return try workspace.write(actor ?? alice) { try $0.undo(batch: batch) }
    }

    func testUndoingAnAddRemovesTheItemAndRedoBringsItBackAsItWas() throws {
        let path = try file("q1-access-review.csv", "user,decision\nana,keep\n")
        let added = try workspace.write(alice) {
            try $0.addEvidence(
                EvidenceDraft(
                    control: "AC-03", files: [path], provedFrom: "2026-01-01", provedTo: "2026-03-31",
                    source: "Okta export", note: "Q1 review", answers: ("2026-01-01", "2026-03-31")))
        }
        XCTAssertEqual(added.value, "EV-1")
        let before = describe(try items().first)

        let undone = try undo(added.batch)
        XCTAssertEqual(undone.value, "EV-1 removed")
        XCTAssertTrue(try items().isEmpty)
        XCTAssertEqual(try count("SELECT count(*) FROM evidence_file"), 0, "its file rows go with it")
        XCTAssertEqual(try count("SELECT count(*) FROM blob"), 1, "the stored bytes stay: content-addressed, needed by a redo")

        let redone = try undo(undone.batch)
        XCTAssertEqual(redone.value, "EV-1 restored")
        XCTAssertEqual(describe(try items().first), before, "the same ref, control, dates, source, note, who added it and when, and files")
        var bytes = Data()
        _ = try workspace.read { try $0.readEvidenceFile("EV-1") { bytes.append($0) } }
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "user,decision\nana,keep\n")

        // Undo the redo, redo again: the same item every time, and the chain stays intact.
        let again = try undo(redone.batch)
        XCTAssertEqual(again.value, "EV-1 removed")
        XCTAssertEqual(try undo(again.batch).value, "EV-1 restored")
        XCTAssertEqual(describe(try items().first), before)
        XCTAssertTrue(try workspace.read { try $0.verifyChain() }.isIntact)
    }

    func testAnAddIsNotUndoneOnceTheItemWasReviewedOrRevised() throws {
        let added = try workspace.write(alice) {
            try $0.addEvidence(
                EvidenceDraft(control: "AC-03", files: [try self.file("a.csv", "a")], provedFrom: "2026-03-30", provedTo: "2026-03-30"))
        }
        try workspace.write(omar) { try $0.reviewEvidence("EV-1", accept: true, note: "Checked") }
        let rows = try count("SELECT count(*) FROM change_log")
        XCTAssertThrowsError(try undo(added.batch)) { error in
            XCTAssertEqual("\(error)", "cannot undo: EV-1 was accepted since by omar at 2026-11-20 09:00; undo that review first, or keep the item")
        }
        XCTAssertEqual(try count("SELECT count(*) FROM change_log"), rows, "a refused undo writes nothing")
        XCTAssertEqual(try items().count, 1)

        let second = try workspace.write(alice) {
            try $0.addEvidence(
                EvidenceDraft(control: "AC-03", files: [try self.file("b.csv", "b")], provedFrom: "2026-06-29", provedTo: "2026-06-29"))
        }
        try workspace.write(omar) { _ = try $0.reviseEvidence("EV-2", files: [try self.file("b2.csv", "b2")]) }
        XCTAssertThrowsError(try undo(second.batch)) { error in
            XCTAssertEqual("\(error)", "cannot undo: EV-2 has version 2 since by omar at 2026-11-20 09:00; removing it would lose those files")
        }
    }

    func testUndoingAReviewRestoresThePreviousStateNoteAndReviewer() throws {
        try workspace.write(alice) {
            _ = try $0.addEvidence(
                EvidenceDraft(control: "AC-03", files: [try self.file("a.csv", "a")], provedFrom: "2026-03-30", provedTo: "2026-03-30"))
        }
        // First reviewed from the command line, by Omar.
        try workspace.write(omar) { try $0.reviewEvidence("EV-1", accept: true, note: "Attestations complete") }
        let accepted = try XCTUnwrap(items().first)
        let acceptedText = describe(accepted)
        XCTAssertEqual([accepted.review.rawValue, accepted.reviewNote, accepted.reviewedBy ?? ""], ["accepted", "Attestations complete", "omar"])

        // Rejected in the workbench by Alice, then undone: Omar's acceptance comes back whole.
        let reject = try workspace.write(Fixtures.actor("alice")) { try $0.reviewEvidence("EV-1", accept: false, note: "No sign-off") }
        XCTAssertEqual(try items().first?.reviewedBy, "alice")
        let undone = try undo(reject.batch)
        XCTAssertEqual(undone.value, "EV-1 review: accepted")
        XCTAssertEqual(describe(try items().first), acceptedText)

        let redone = try undo(undone.batch)
        XCTAssertEqual(redone.value, "EV-1 review: rejected")
        let rejected = try XCTUnwrap(items().first)
        XCTAssertEqual([rejected.review.rawValue, rejected.reviewNote, rejected.reviewedBy ?? ""], ["rejected", "No sign-off", "alice"])

        // A first review goes back to pending, with no note and no reviewer.
        try workspace.write(alice) {
            _ = try $0.addEvidence(
                EvidenceDraft(control: "AC-03", files: [try self.file("b.csv", "b")], provedFrom: "2026-06-29", provedTo: "2026-06-29"))
        }
        let pending = describe(try items().first { $0.ref == "EV-2" })
        let accept = try workspace.write(alice) { try $0.reviewEvidence("EV-2", accept: true, note: "Fine") }
        XCTAssertEqual(try undo(accept.batch).value, "EV-2 review: pending")
        XCTAssertEqual(describe(try items().first { $0.ref == "EV-2" }), pending)

        // Someone else's later review wins over an undo, which says who and when.
        let mine = try workspace.write(alice) { try $0.reviewEvidence("EV-2", accept: true, note: "Fine") }
        try workspace.write(omar) { try $0.reviewEvidence("EV-2", accept: false, note: "Wrong quarter") }
        XCTAssertThrowsError(try undo(mine.batch)) { error in
            XCTAssertTrue("\(error)".hasPrefix("cannot undo: EV-2 review"), "\(error)")
            XCTAssertTrue("\(error)".contains("by omar at 2026-11-20 09:00"), "\(error)")
        }
        XCTAssertTrue(try workspace.read { try $0.verifyChain() }.isIntact)
    }

    func testTheIndependentReviewRuleStillApplies() throws {
        try workspace.write(alice) { try $0.setEvidenceSettings(graceDays: nil, independentReview: true) }
        try workspace.write(alice) {
            _ = try $0.addEvidence(
                EvidenceDraft(control: "AC-03", files: [try self.file("a.csv", "a")], provedFrom: "2026-03-30", provedTo: "2026-03-30"))
        }
        XCTAssertThrowsError(try workspace.write(Fixtures.actor("Dana Kim")) { try $0.reviewEvidence("EV-1", accept: true, note: "Mine") }) {
            XCTAssertEqual("\($0)", "EV-1: Dana Kim owns the control, and this workspace asks for someone else to review its evidence")
        }
        XCTAssertEqual(try items().first?.review, .pending)
    }

    func testTheMinutesLabelEvidenceDecisionsAndTheirUndo() throws {
        let meeting = try workspace.write(alice) { try $0.startMeeting(title: "Evidence review", attendees: []) }.value
        let added = try workspace.write(alice) {
            try $0.addEvidence(
                EvidenceDraft(control: "AC-03", files: [try self.file("a.csv", "a")], provedFrom: "2026-03-30", provedTo: "2026-03-30"))
        }
        let accept = try workspace.write(omar) { try $0.reviewEvidence(added.value, accept: true, note: "Attested") }
        try undo(accept.batch, as: omar)
        try workspace.write(alice) { try $0.endMeeting() }
        let minutes = try workspace.read { r in
            MeetingMinutes.build(meeting: try r.meeting("evidence review"), changes: try r.changes(inMeeting: meeting.id), gaps: try r.gaps())
        }
        XCTAssertEqual(
            minutes.decisions.map(\.text),
            [
                "EV-1 added for AC-03: a.csv", "EV-1 accepted", "EV-1 review note: Attested", "undo: EV-1 review: pending",
            ])
    }
}
