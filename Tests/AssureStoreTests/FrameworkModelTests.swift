import AssureModel
import AssureStore
import AssureTestSupport
import XCTest

/// The framework-neutral workspace: frameworks keep to themselves, owners are people with ids.
final class FrameworkModelTests: XCTestCase {
    var workspace: Workspace!
    override func setUpWithError() throws { workspace = try Fixtures.larkspur() }

    @discardableResult
    func write<T>(_ body: (WorkspaceWriter) throws -> T) throws -> Written<T> { try workspace.write(Fixtures.actor(), body) }

    /// A format-2 catalog that reuses SOC 2's references under its own id.
    let lookalike = """
        catalog: 2
        framework: {id: lookalike, title: "A lookalike", version: "1", assessable_level: control}
        requirements:
          - ref: CC6
            level: theme
            title: "Access"
            attributes: {theme: technological}
            requirements:
              - {ref: CC6.1, level: control, title: "Access is controlled"}
              - {ref: CC6.2, level: control, title: "Access is reviewed", statement: "Review access each quarter.",
                 maps_to: [{ref: "soc2:CC6.2", relationship: equal}]}
        """

    func testAnotherFrameworkWithSOC2sReferencesLeavesSOC2Alone() throws {
        let before = try workspace.read { r in (try r.criteria(), try r.readiness()) }
        try write { try $0.importCatalog(yaml: lookalike, path: "lookalike.yaml") }
        let after = try workspace.read { r in (try r.criteria(), try r.readiness()) }
        XCTAssertEqual(after.0.count, 61)
        // Only the crosswalk the lookalike declared (its CC6.2 equals SOC 2's) shows on SOC 2's side.
        XCTAssertEqual(
            after.0.map {
                var s = $0; s.crosswalk = []; return s
            }, before.0)
        XCTAssertEqual(after.0.filter { !$0.crosswalk.isEmpty }.map(\.requirement.ref), ["CC6.2"])
        XCTAssertEqual(after.1.overall, before.1.overall)
        XCTAssertEqual(after.1.byCategory, before.1.byCategory)
        let other = try workspace.read { try $0.readiness(framework: "lookalike") }
        XCTAssertEqual(other.overall, Share(addressed: 0, total: 2))

        // A bare CC6.1 is now ambiguous and says so; qualified, each framework's is its own.
        XCTAssertThrowsError(try write { try $0.openGap(GapDraft(title: "x", criterion: "CC6.1")) }) { error in
            XCTAssertTrue("\(error)".contains("lookalike:CC6.1") && "\(error)".contains("soc2:CC6.1"), "\(error)")
        }
        try write { try $0.openGap(GapDraft(title: "Lookalike access", severity: .high, criterion: "lookalike:CC6.1")) }
        let gap = try XCTUnwrap(workspace.read { try $0.gaps() }.last)
        XCTAssertEqual(gap.framework, "lookalike")
        XCTAssertEqual(gap.criterion, "CC6.1")
        XCTAssertEqual(
            try workspace.read { try $0.readiness() }.overall, before.1.overall, "a high gap on lookalike:CC6.1 does not block SOC 2's CC6.1")
    }

    func testADuplicateReferenceInOneCatalogIsRefusedWithItsLineAndNothingWritten() throws {
        let rowsBefore = try workspace.read { try $0.log().count }
        let bad = lookalike + "\n      - {ref: CC6.1, level: control, title: \"Again\"}\n"
        XCTAssertThrowsError(try write { try $0.importCatalog(yaml: bad, path: "bad.yaml") }) { error in
            XCTAssertTrue("\(error)".hasPrefix("bad.yaml:12:"), "\(error)")
            XCTAssertTrue("\(error)".contains("duplicate reference 'CC6.1' (first defined on line 9)"), "\(error)")
        }
        XCTAssertEqual(try workspace.read { try $0.log().count }, rowsBefore)
        XCTAssertEqual(try workspace.read { try $0.frameworks().map(\.id) }, ["soc2", "hipaa"])
    }

    func testReadinessIsPerFrameworkAtItsAssessableLevelWithMappingsAndScope() throws {
        try write { try $0.importCatalog(yaml: lookalike, path: "lookalike.yaml") }
        try write { try $0.map(control: "AC-01", to: "CC6.1", framework: "lookalike", relationship: .subset) }
        var summaries = try workspace.read { try $0.requirementSummaries(framework: "lookalike") }
        XCTAssertEqual(summaries.map(\.requirement.kind), [.category, .criterion, .criterion])
        XCTAssertEqual(summaries[1].controls, ["AC-01"])
        XCTAssertEqual(summaries[0].requirement.attributes, ["theme": "technological"])
        XCTAssertEqual(summaries[2].requirement.statement, "Review access each quarter.")
        XCTAssertEqual(summaries[2].crosswalk, ["soc2:CC6.2 (equal)"])
        XCTAssertEqual(
            try workspace.read { try $0.criteria() }.first { $0.requirement.ref == "CC6.2" }?.crosswalk, ["lookalike:CC6.2 (equal)"],
            "a crosswalk reads from both ends")
        XCTAssertTrue(
            try workspace.read { try $0.exportCatalog("lookalike") }.contains("maps_to:\n    - ref: \"soc2:CC6.2\"\n      relationship: \"equal\""))
        XCTAssertEqual(try workspace.read { try $0.readiness(framework: "lookalike") }.overall, Share(addressed: 1, total: 2))

        // The Statement of Applicability: excluding a control needs a reason; then it leaves the count.
        XCTAssertThrowsError(try write { try $0.setApplicable("CC6.2", framework: "lookalike", applicable: false, justification: " ") })
        try write { try $0.setApplicable("CC6.2", framework: "lookalike", applicable: false, justification: "Reviews are the vendor's") }
        summaries = try workspace.read { try $0.requirementSummaries(framework: "lookalike") }
        XCTAssertEqual(summaries[2].inScope, false)
        XCTAssertEqual(summaries[2].justification, "Reviews are the vendor's")
        let framework = try XCTUnwrap(workspace.read { try $0.frameworkSummaries() }.first { $0.framework.id == "lookalike" })
        XCTAssertEqual(framework.readiness, Share(addressed: 1, total: 1))
        XCTAssertEqual(framework.coverage, Share(addressed: 1, total: 1))

        try write { try $0.setFrameworkInScope("lookalike", false) }
        XCTAssertEqual(try workspace.read { try $0.readiness(framework: "lookalike") }.overall, Share(addressed: 0, total: 0))
        try write { try $0.unmap(control: "AC-01", from: "lookalike:CC6.1", framework: nil) }
        XCTAssertEqual(
            try workspace.read { try $0.controls() }.first { $0.ref == "AC-01" }?.requirements.filter { !$0.hasPrefix("hipaa:") },
            ["soc2:CC6.1", "soc2:CC6.6"], "the lookalike link is gone; SOC 2's stay")
    }

    func testARenameFollowedByUndoOfAnEarlierAssignmentNamesTheNewName() throws {
        // AC-03 belongs to Dana Kim in the sample; Omar takes it, then Dana is renamed.
        let batch = try XCTUnwrap(write { try $0.assign(controls: ["AC-03"], owner: .some("Omar Haddad")) }.batch)
        try write { try $0.editOwner("Dana Kim", newName: "Dana Kim-Lee") }
        let summary = try write { try $0.undo(batch: batch) }.value
        XCTAssertEqual(summary, "AC-03 owner: Dana Kim-Lee")
        XCTAssertEqual(try workspace.read { try $0.controls() }.first { $0.ref == "AC-03" }?.owner, "Dana Kim-Lee")
        let log = try workspace.read { try $0.log(LogFilter(ref: "AC-03")) }
        XCTAssertEqual(
            log.suffix(2).map { "\($0.field) \($0.before ?? "none") -> \($0.after ?? "none")" },
            ["owner Dana Kim-Lee -> Omar Haddad", "owner Omar Haddad -> Dana Kim-Lee"],
            "every row that names her reads with her name of today")
        XCTAssertTrue(try workspace.read { try $0.verifyChain() }.isIntact)
    }

    func testRetiringWithAHandoverMovesEverythingInOneUndoableStep() throws {
        let held = try workspace.read { try $0.holdings(of: "Marcus Bell") }
        XCTAssertFalse(held.isEmpty)
        let written = try write { try $0.retireOwner("Marcus Bell", reassignTo: "Omar Haddad") }
        XCTAssertEqual(written.value.reassignedTo, "Omar Haddad")
        let after = try workspace.read { r in (try r.holdings(of: "Marcus Bell"), try r.owners(today: Fixtures.today)) }
        XCTAssertTrue(after.0.isEmpty, "\(after.0)")
        XCTAssertEqual(after.1.first { $0.owner.name == "Marcus Bell" }?.owner.isRetired, true)
        XCTAssertThrowsError(try write { try $0.assign(controls: ["AC-09"], owner: .some("Marcus Bell")) }) { error in
            XCTAssertEqual("\(error)", "Marcus Bell has retired; choose someone current")
        }
        try write { try $0.undo(batch: written.batch!) }
        XCTAssertEqual(try workspace.read { try $0.holdings(of: "Marcus Bell") }, held)
    }

    func testARetiredOwnerStillHoldingControlsCountsAsUnowned() throws {
        let before = try workspace.read { try $0.controls(ControlFilter(unowned: true)) }.count
        let handover = try write { try $0.retireOwner("Priya Raman") }.value
        XCTAssertNil(handover.reassignedTo)
        let owned = handover.controls.count
        XCTAssertGreaterThan(owned, 0)
        XCTAssertEqual(try workspace.read { try $0.controls(ControlFilter(unowned: true)) }.count, before + owned)
        let proposals = try workspace.read { try $0.proposeGaps() }.map(\.key)
        XCTAssertTrue(proposals.contains("control-unowned:\(handover.controls[0])"), "derive proposes an owner for \(handover.controls[0])")
    }

    func testAnExportedCatalogImportsBackToTheSameRequirements() throws {
        let yaml = try workspace.read { try $0.exportCatalog("soc2") }
        XCTAssertTrue(yaml.contains("catalog: 2"))
        XCTAssertTrue(yaml.contains("notice: \""), "the publisher's notice travels with the catalog")
        let copy = yaml.replacingOccurrences(of: "id: \"soc2\"", with: "id: \"soc2-copy\"")
        XCTAssertNotEqual(copy, yaml)
        let fresh = try Fixtures.workspace(scope: Scope(company: "Fresh"), by: Fixtures.actor())
        try fresh.write(Fixtures.actor()) { try $0.importCatalog(yaml: copy, path: "soc2-copy.yaml") }
        func listing(_ ws: Workspace, _ id: String) throws -> [String] {
            try ws.read { try $0.requirements(framework: id) }.map {
                [$0.ref, $0.parentRef ?? "-", $0.level, $0.kind.rawValue, $0.category, $0.title, $0.summary, "\($0.attributes)"].joined(
                    separator: "|")
            }
        }
        let original = try listing(workspace, "soc2")
        XCTAssertEqual(original.filter { $0.contains("|criterion|criterion|") }.count, 61)
        XCTAssertEqual(try listing(fresh, "soc2-copy"), original)
        XCTAssertEqual(try fresh.read { try $0.exportCatalog("soc2-copy") }, copy, "export is stable byte for byte")
    }
}

/// Minutes stay correct across a rename: they name people as they are called now.
final class MinutesRenameTests: XCTestCase {
    func testMinutesNameARenamedOwnerByTheNewName() throws {
        let workspace = try Fixtures.larkspur()
        let actor = Fixtures.actor()
        let meeting = try workspace.write(actor) { try $0.startMeeting(title: "Review", attendees: ["Dana Kim"]) }.value
        try workspace.write(actor) { try $0.assign(controls: ["AC-14"], owner: .some("Omar Haddad")) }
        try workspace.write(actor) { try $0.endMeeting() }
        try workspace.write(actor) { try $0.editOwner("Omar Haddad", newName: "Omar Haddad-Li") }
        let minutes = try workspace.read { r in
            MeetingMinutes.build(meeting: try r.meeting(String(meeting.id)), changes: try r.changes(inMeeting: meeting.id), gaps: try r.gaps())
        }
        XCTAssertTrue(minutes.markdown().contains("AC-14 owner: none → Omar Haddad-Li"), minutes.markdown())
        XCTAssertEqual(BuiltIn.sampleNames, ["hanami-labs", "larkspur-health"])
    }
}

/// Every write path refuses control characters, whatever front end it came from.
final class StoredTextGuardTests: XCTestCase {
    func testAWriteHoldingAControlCharacterIsRefusedWithNothingWritten() throws {
        let workspace = try Fixtures.larkspur()
        let before = try workspace.read { try $0.log().count }
        XCTAssertThrowsError(try workspace.write(Fixtures.actor()) { try $0.editControl("AC-01", ControlEdit(title: "SSO\u{1B}[2J")) }) { error in
            XCTAssertTrue("\(error)".hasPrefix("AC-01 title: control character"), "\(error)")
        }
        XCTAssertThrowsError(try workspace.write(Fixtures.actor()) { try $0.remediateGaps(["GAP-1"], note: "done\u{0}") })
        XCTAssertEqual(try workspace.read { try $0.log().count }, before)
        // Line breaks and tabs are fine in multi-line text.
        try workspace.write(Fixtures.actor()) { try $0.editControl("AC-01", ControlEdit(description: "Line one\n\tLine two")) }
        XCTAssertTrue(try workspace.read { try $0.verifyChain() }.isIntact)
    }
}
