import AssureModel
import AssureTestSupport
import Foundation
import GRDB
import XCTest

@testable import AssureStore

/// The six built-in policies, drafts and their checks, approved versions, `policy at` by date,
/// acknowledgements and rendering, on in-memory workspaces at the fixed test time (2026-11-20).
final class PolicyTests: XCTestCase {
    var workspace: Workspace!
    let alice = Fixtures.actor("alice")
    let today = Fixtures.today

    override func setUpWithError() throws {
        workspace = try Fixtures.workspace(scope: Scope(company: "Acme", categories: [.security]), by: alice)
        try write { w in
            try w.addOwner(Owner(name: "Dana Kim", role: "Head of Security"))
            try w.addOwner(Owner(name: "Priya Raman", role: "CEO"))
            try w.addOwner(Owner(name: "Platform Team", kind: .team))
            try w.installBuiltInPolicies()
        }
        // A personnel list: one long-standing, one who left, one who has just joined.
        try workspace.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO person (name, started_on, ended_on) VALUES
                    ('Omar Haddad', '2024-02-01', NULL), ('Lee Leaver', '2023-05-01', '2026-10-31'), ('Nina Novak', '2026-11-16', NULL)
                    """)
        }
    }

    @discardableResult
    func write<T>(_ body: (WorkspaceWriter) throws -> T) throws -> T { try workspace.write(alice, body).value }
    func read<T>(_ body: (WorkspaceReader) throws -> T) throws -> T { try workspace.read(body) }
    func summary(_ ref: String) throws -> PolicySummary { try XCTUnwrap(read { try $0.policies(today: today) }.first { $0.ref == ref }) }
    func draft(_ name: String) throws -> String { try read { try $0.policyDraft(name).text } }

    /// Everything a refused write could have touched.
    func snapshot() throws -> String {
        try read { r in
            try ["policy", "policy_version", "policy_ack", "change_log"].map { table in
                "\(table): " + (try Row.fetchAll(r.db, sql: "SELECT * FROM \(table) ORDER BY 1, 2, 3").map(\.description).joined(separator: "\n"))
            }.joined(separator: "\n")
        }
    }

    func assertRefused<T>(_ expected: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T) throws {
        let before = try snapshot()
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains(expected), "\(error)", file: file, line: line)
        }
        XCTAssertEqual(try snapshot(), before, "a refused write changed the workspace", file: file, line: line)
    }

    // MARK: - The built-in policies

    func testTheSixBuiltInPoliciesMapEveryFrameworkAndEveryRequirementResolves() throws {
        let definitions = try BuiltInPolicies.definitions()
        XCTAssertEqual(definitions.map(\.ref), ["POL-IS", "POL-AC", "POL-CM", "POL-BC", "POL-DP", "POL-IR"])
        XCTAssertEqual(
            definitions.map(\.title),
            [
                "Information Security Policy", "Access Onboarding and Termination Policy", "Change Management Policy",
                "Business Continuity and Disaster Recovery Policy", "Data Classification and Privacy Policy", "Incident Response Policy",
            ])
        // A workspace with all four frameworks checks against its own tables; the SOC 2-only one
        // (setUp) against the catalogs built into assure. Both must resolve every mapping.
        let all = try Fixtures.workspace(
            scope: Scope(company: "Acme", categories: [.security]),
            frameworks: ["soc2", "iso27001", "hipaa", "gdpr"], by: alice)
        for target in [workspace!, all] {
            try target.read { r in
                var mappings = PolicyMappings(db: r.db)
                for definition in definitions {
                    let resolved = try mappings.resolve(definition, source: definition.ref)
                    XCTAssertEqual(resolved.sections.map(\.requirements.count), definition.sections.map(\.requirements.count))
                }
            }
        }
        for definition in definitions {
            let frameworks = Set(definition.sections.flatMap(\.requirements).map { String($0.prefix { $0 != ":" }) })
            XCTAssertEqual(frameworks, ["soc2", "iso27001", "hipaa", "gdpr"], "\(definition.ref) maps all four frameworks")
            XCTAssertGreaterThanOrEqual(definition.sections.count, 6, definition.ref)
            for section in definition.sections {
                XCTAssertFalse(section.requirements.isEmpty, "\(definition.ref) \(section.title) maps no requirement")
                XCTAssertFalse(section.evidence.isEmpty, "\(definition.ref) \(section.title) expects no evidence")
            }
            let words = definition.body.split { $0.isWhitespace }.count
            XCTAssertTrue((400...900).contains(words), "\(definition.ref) has \(words) words")
            for placeholder in ["{{company}}", "{{owner}}", "{{approver}}", "{{version}}", "{{review_cadence}}"] {
                XCTAssertTrue(definition.body.contains(placeholder), "\(definition.ref) uses \(placeholder)")
            }
        }
        XCTAssertEqual(definitions.filter { $0.cadence == .semiAnnual }.map(\.ref), ["POL-IR"])
    }

    func testInstallAddsTheSixOnceWithTheirChangeLog() throws {
        let list = try read { try $0.policies(today: today) }
        XCTAssertEqual(list.map(\.ref), ["POL-IS", "POL-AC", "POL-CM", "POL-BC", "POL-DP", "POL-IR"])
        XCTAssertTrue(list.allSatisfy { $0.status == .draft && $0.owner == nil && $0.approver == nil && $0.source == "built-in" })
        XCTAssertEqual(try write { try $0.installBuiltInPolicies() }, [], "idempotent")
        let logged = try read { try $0.log() }.filter { $0.entity == "policy" && $0.ref == "POL-IS" }
        XCTAssertEqual(logged.map(\.field), ["created", "cadence", "draft"])
        XCTAssertEqual(logged.last?.after, "sha256:" + ChainHash.hex(try draft("POL-IS")))
        // A workspace that lost one gets just that one back.
        try workspace.writer.write { db in
            try db.execute(sql: "DELETE FROM policy WHERE ref = 'POL-CM'")
        }
        XCTAssertEqual(try write { try $0.installBuiltInPolicies() }, ["POL-CM"])
    }

    func testPoliciesAreNamedByTitleUniquePrefixOrRef() throws {
        for name in ["Information Security", "information security policy", "INFORMATION SECURITY POLICY", "pol-is", "POL-IS", "Info"] {
            XCTAssertEqual(try read { try $0.policyDraft(name).ref }, "POL-IS", name)
        }
        XCTAssertEqual(try read { try $0.policyDraft("access").ref }, "POL-AC")
        XCTAssertThrowsError(try read { try $0.policyDraft("In") }) { error in
            XCTAssertEqual("\(error)", "policy 'In' is ambiguous: POL-IS (Information Security Policy), POL-IR (Incident Response Policy)")
        }
        XCTAssertThrowsError(try read { try $0.policyDraft("security") }) { error in
            XCTAssertEqual("\(error)", "unknown policy 'security'; did you mean POL-IS (Information Security Policy)?")
        }
        XCTAssertThrowsError(try read { try $0.policyDraft("Zebra") }) { error in
            XCTAssertTrue("\(error)".hasPrefix("unknown policy 'Zebra'; did you mean POL-IS (Information Security Policy), POL-AC"), "\(error)")
        }
    }

    // MARK: - Versions

    func testApprovalFreezesTheDraftAndPolicyAtAnswersByDate() throws {
        try assertRefused("POL-IS has no approver; name one first: assure policy set POL-IS --approver NAME") {
            try write { try $0.approvePolicy("POL-IS", on: "2026-03-02") }
        }
        try write { try $0.setPolicy("Information Security", owner: "Dana", approver: "Priya Raman") }
        let v1 = try write { try $0.approvePolicy("POL-IS", on: "2026-03-02") }
        XCTAssertEqual(v1.version, 1)
        XCTAssertEqual(v1.sha256, ChainHash.hex(try draft("POL-IS")))
        XCTAssertEqual(v1.approvedBy, "Priya Raman")
        XCTAssertEqual(v1.recordedBy, "alice")
        try assertRefused("the draft of POL-IS is version 1 already (approved 2026-03-02 by Priya Raman)") {
            try write { try $0.approvePolicy("POL-IS", on: "2026-04-01") }
        }

        let edited = try draft("POL-IS").replacingOccurrences(of: "at most twelve months", with: "at most six months")
        XCTAssertTrue(try write { try $0.replacePolicyDraft("POL-IS", text: edited, source: "edit.md") })
        try assertRefused("2026-03-01 is before version 1 was approved (2026-03-02)") {
            try write { try $0.approvePolicy("POL-IS", on: "2026-03-01") }
        }
        try assertRefused("2026-11-21 is in the future") { try write { try $0.approvePolicy("POL-IS", on: "2026-11-21") } }
        XCTAssertEqual(try write { try $0.approvePolicy("POL-IS", on: "2026-06-15") }.version, 2)
        try write { try $0.replacePolicyDraft("POL-IS", text: edited + "\nA last correction.\n", source: "edit.md") }
        let v3 = try write { try $0.approvePolicy("POL-IS", on: "2026-06-15") }
        XCTAssertEqual(v3.version, 3, "a second approval the same day")

        func at(_ day: String) throws -> Int? { try read { try $0.policyVersion("POL-IS", on: day) }.live?.version }
        XCTAssertNil(try at("2026-03-01"), "the day before the first approval")
        XCTAssertEqual(try read { try $0.policyVersion("POL-IS", on: "2026-03-01") }.firstApproved, "2026-03-02")
        XCTAssertEqual(try at("2026-03-02"), 1, "the day of it")
        XCTAssertEqual(try at("2026-06-14"), 1, "the day before the next version")
        XCTAssertEqual(try at("2026-06-15"), 3, "the day of the next version, approved twice that day")
        XCTAssertEqual(try at("2026-11-20"), 3)
        XCTAssertThrowsError(try at("2026-13-01"))
        let detail = try read { try $0.policy("POL-IS", today: today) }
        XCTAssertEqual(detail.versions.map(\.version), [1, 2, 3])
        XCTAssertEqual(detail.versions[0].text.contains("at most twelve months"), true, "version 1 keeps the text it was approved with")
        XCTAssertEqual(detail.versions[0].sha256, v1.sha256)
        let approvals = try read { try $0.log() }.filter { $0.entity == "policy" && $0.field == "approved" }
        XCTAssertEqual(approvals.first?.after, "version 1 approved 2026-03-02 by Priya Raman, sha256:\(v1.sha256)")
    }

    func testApprovedVersionsCanNeverBeChangedOrDeleted() throws {
        try write { try $0.setPolicy("POL-BC", approver: "Priya Raman") }
        try write { try $0.approvePolicy("POL-BC", on: "2026-05-01") }
        for sql in [
            "UPDATE policy_version SET text = 'rewritten'", "UPDATE policy_version SET approved_on = '2026-01-01'",
            "DELETE FROM policy_version",
        ] {
            XCTAssertThrowsError(try workspace.writer.write { db in try db.execute(sql: sql) }, sql) { error in
                XCTAssertTrue("\(error)".contains("an approved policy version"), "\(error)")
            }
        }
        XCTAssertEqual(try read { try $0.policy("POL-BC", today: today) }.versions.first?.approvedOn, "2026-05-01")
    }

    // MARK: - The list

    func testStatusNextReviewAndCoverageAsListed() throws {
        try write { w in
            try w.setPolicy("POL-IS", owner: "Dana Kim", approver: "Priya Raman")
            try w.setPolicy("POL-AC", owner: "Dana Kim", approver: "Priya Raman")
            try w.setPolicy("POL-IR", owner: "Dana Kim", approver: "Priya Raman")
        }
        try write { try $0.approvePolicy("POL-IS", on: "2026-01-10") }
        try write { try $0.approvePolicy("POL-AC", on: "2025-11-19") }
        try write { try $0.approvePolicy("POL-IR", on: "2026-05-20") }
        let changedIR = try draft("POL-IR") + "\nAn added line.\n"
        try write { try $0.replacePolicyDraft("POL-IR", text: changedIR, source: "x.md") }

        let summaryIS = try summary("POL-IS")
        XCTAssertEqual(summaryIS.status, .approved)
        XCTAssertEqual(summaryIS.liveVersion, 1)
        XCTAssertEqual(summaryIS.liveApprovedOn, "2026-01-10")
        XCTAssertEqual(summaryIS.nextReview, "2027-01-10")
        XCTAssertEqual(summaryIS.owner, "Dana Kim")
        // Dana, Priya (owners), Omar and Nina (personnel) are active on 2026-11-20; Lee left.
        XCTAssertEqual(summaryIS.coverage?.fraction, "0/4")
        XCTAssertEqual(try summary("POL-AC").status, .reviewOverdue, "approved 2025-11-19, annual: due 2026-11-19")
        XCTAssertEqual(try summary("POL-AC").nextReview, "2026-11-19")
        XCTAssertEqual(try summary("POL-IR").status, .changed)
        XCTAssertEqual(try summary("POL-IR").nextReview, "2026-11-20", "semi-annual")
        XCTAssertEqual(try summary("POL-CM").status, .draft)
        XCTAssertNil(try summary("POL-CM").coverage)
        XCTAssertNil(try summary("POL-CM").nextReview)

        let proposals = try read { try $0.policyProposals(today: today, existingKeys: ["policy-unapproved:POL-DP"]) }
        XCTAssertEqual(proposals.map(\.key), ["policy-review:POL-AC:2026-11-19", "policy-unapproved:POL-CM", "policy-unapproved:POL-BC"])
        XCTAssertEqual(proposals[0].draft.owner, "Dana Kim")
        XCTAssertEqual(proposals[0].draft.severity, .medium)
        XCTAssertEqual(proposals[0].draft.title, "POL-AC Access Onboarding and Termination Policy review was due 2026-11-19")
    }

    // MARK: - Acknowledgements

    func testAcknowledgementsByVersionAndWhoOwesThem() throws {
        try write { try $0.setPolicy("POL-IS", approver: "Priya Raman") }
        try assertRefused("POL-IS has never been approved") { try write { try $0.acknowledgePolicy("POL-IS", person: "Omar Haddad") } }
        try write { try $0.approvePolicy("POL-IS", on: "2026-02-01") }

        let first = try write { try $0.acknowledgePolicy("POL-IS", person: "omar", on: "2026-02-03") }
        XCTAssertEqual(first, PolicyAckRecorded(ref: "POL-IS", person: "Omar Haddad", version: 1, ackedOn: "2026-02-03"))
        try write { try $0.acknowledgePolicy("information security", person: "Lee Leaver", on: "2026-02-04") }
        try assertRefused("Omar Haddad already acknowledged POL-IS version 1 (on 2026-02-03); an acknowledgement is recorded once") {
            try write { try $0.acknowledgePolicy("POL-IS", person: "Omar Haddad", on: "2026-03-01") }
        }
        try assertRefused("Lee Leaver was not working here on 2026-11-01 (left 2026-10-31)") {
            try write { try $0.acknowledgePolicy("POL-IS", person: "Lee", on: "2026-11-01") }
        }
        try assertRefused("Nina Novak was not working here on 2026-11-10 (started 2026-11-16)") {
            try write { try $0.acknowledgePolicy("POL-IS", person: "Nina Novak", on: "2026-11-10") }
        }
        try assertRefused("unknown person 'Nobody'") { try write { try $0.acknowledgePolicy("POL-IS", person: "Nobody") } }
        try assertRefused("no version of POL-IS was live on 2026-01-15; version 1 was approved on 2026-02-01") {
            try write { try $0.acknowledgePolicy("POL-IS", person: "Dana Kim", on: "2026-01-15") }
        }
        try assertRefused("2026-11-21 is in the future") { try write { try $0.acknowledgePolicy("POL-IS", person: "Dana Kim", on: "2026-11-21") } }

        var report = try read { try $0.policyAcks("POL-IS", today: today) }
        XCTAssertEqual(report.coverage.acknowledged, ["Omar Haddad"], "the leaver's acknowledgement no longer counts")
        XCTAssertEqual(report.coverage.missing, ["Dana Kim", "Nina Novak", "Priya Raman"], "the new hire owes one")
        XCTAssertEqual(report.acks.map(\.person), ["Omar Haddad", "Lee Leaver"])
        XCTAssertEqual(report.activeToday.contains("lee leaver"), false)

        // A new version: acknowledgements start over; an old version can still be recorded late.
        let second = try draft("POL-IS") + "\nv2\n"
        try write { try $0.replacePolicyDraft("POL-IS", text: second, source: "x.md") }
        try write { try $0.approvePolicy("POL-IS", on: "2026-10-01") }
        XCTAssertEqual(try summary("POL-IS").coverage?.fraction, "0/4")
        let late = try write { try $0.acknowledgePolicy("POL-IS", person: "Dana Kim", on: "2026-10-05", version: 1) }
        XCTAssertEqual(late.version, 1)
        try assertRefused("POL-IS version 2 was approved on 2026-10-01, after 2026-09-30") {
            try write { try $0.acknowledgePolicy("POL-IS", person: "Priya Raman", on: "2026-09-30", version: 2) }
        }
        try assertRefused("POL-IS has no version 7; its versions are 1 to 2") {
            try write { try $0.acknowledgePolicy("POL-IS", person: "Priya Raman", version: 7) }
        }
        XCTAssertEqual(try write { try $0.acknowledgePolicy("POL-IS", person: "Nina Novak") }.version, 2)
        try write { try $0.acknowledgePolicy("POL-IS", person: "Dana Kim", on: "2026-11-18") }
        report = try read { try $0.policyAcks("POL-IS", today: today) }
        XCTAssertEqual(report.live?.version, 2)
        XCTAssertEqual(report.acks.map(\.person), ["Dana Kim", "Nina Novak"])
        XCTAssertEqual(report.coverage.fraction, "2/4")
        let logged = try read { try $0.log() }.filter { $0.entity == "policy" && $0.field == "ack" }.map { $0.after ?? "" }
        XCTAssertEqual(logged.first, "Omar Haddad acknowledged version 1 on 2026-02-03")
    }

    // MARK: - Drafts and their checks

    func testABadDraftIsRefusedNamingTheLineAndNothingIsWritten() throws {
        let good = try draft("POL-CM")
        let lines = good.components(separatedBy: "\n")
        func lineNumber(_ text: String) -> Int { (lines.firstIndex { $0.contains(text) } ?? -1) + 1 }

        let badRequirement = good.replacingOccurrences(of: "\"hipaa:164.308(a)(8)\"", with: "\"hipaa:164.308(a)(9)\"")
        try assertRefused("cm.md:\(lineNumber("hipaa:164.308(a)(8)")):") {
            try write { try $0.replacePolicyDraft("POL-CM", text: badRequirement, source: "cm.md") }
        }
        try assertRefused("section 'Planning and risk': unknown requirement 'hipaa:164.308(a)(9)'; did you mean") {
            try write { try $0.replacePolicyDraft("POL-CM", text: badRequirement, source: "cm.md") }
        }
        try assertRefused("unknown framework 'nist' in 'nist:AC-2'; known: soc2, iso27001, hipaa, gdpr") {
            try write {
                try $0.replacePolicyDraft("POL-CM", text: good.replacingOccurrences(of: "\"soc2:CC3.4\"", with: "\"nist:AC-2\""), source: "cm.md")
            }
        }
        let noHeading = good.replacingOccurrences(of: "## Emergency changes", with: "## Urgent changes")
        try assertRefused(
            "cm.md:\(lineNumber("- title: Emergency changes")):1: section 'Emergency changes' has no heading '## Emergency changes' in the text"
        ) {
            try write { try $0.replacePolicyDraft("POL-CM", text: noHeading, source: "cm.md") }
        }
        let typo = good.replacingOccurrences(of: "{{company}} Change Management Policy", with: "{{compnay}} Change Management Policy")
        try assertRefused("cm.md:\(lineNumber("# {{company}} Change")):3: unknown placeholder '{{compnay}}' (did you mean {{company}}?)") {
            try write { try $0.replacePolicyDraft("POL-CM", text: typo, source: "cm.md") }
        }
        try assertRefused("would print a value without escaping it") {
            try write {
                try $0.replacePolicyDraft("POL-CM", text: good.replacingOccurrences(of: "{{system}}", with: "{{{system}}}"), source: "cm.md")
            }
        }
        try assertRefused("partials, blocks, delimiter changes and pragmas are not available") {
            try write { try $0.replacePolicyDraft("POL-CM", text: good + "\n{{> other}}\n", source: "cm.md") }
        }
        try assertRefused("a {{#...}} or {{^...}} section is never closed") {
            try write { try $0.replacePolicyDraft("POL-CM", text: good + "\n{{#approved}}open\n", source: "cm.md") }
        }
        try assertRefused("cm.md:1:1: a policy starts with its front matter") {
            try write { try $0.replacePolicyDraft("POL-CM", text: "# Just Markdown\n", source: "cm.md") }
        }
        try assertRefused("cm.md:6:10: cadence 'monthly' is not annual or semi-annual") {
            try write {
                try $0.replacePolicyDraft("POL-CM", text: good.replacingOccurrences(of: "cadence: annual", with: "cadence: monthly"), source: "cm.md")
            }
        }
        try assertRefused("the ref of a policy never changes: this is POL-CM, not POL-XX") {
            try write {
                try $0.replacePolicyDraft("POL-CM", text: good.replacingOccurrences(of: "ref: POL-CM", with: "ref: POL-XX"), source: "cm.md")
            }
        }
        try assertRefused("unknown field 'owner'") {
            try write {
                try $0.replacePolicyDraft(
                    "POL-CM", text: good.replacingOccurrences(of: "ref: POL-CM", with: "ref: POL-CM\nowner: Dana"), source: "cm.md")
            }
        }
        try assertRefused("cm.md:2:2: control character") {
            try write { try $0.replacePolicyDraft("POL-CM", text: "---\n#\u{7}\n", source: "cm.md") }
        }
        XCTAssertFalse(try write { try $0.replacePolicyDraft("POL-CM", text: good, source: "cm.md") }, "unchanged text writes nothing")
        XCTAssertFalse(
            try write { try $0.replacePolicyDraft("POL-CM", text: good.replacingOccurrences(of: "\n", with: "\r\n"), source: "cm.md") },
            "Windows line ends are the same text")
    }

    func testEditingTheFrontMatterAndSettingTheCadence() throws {
        let retitled = try draft("POL-CM").replacingOccurrences(of: "title: Change Management Policy", with: "title: Change Control Policy")
        try write { try $0.replacePolicyDraft("POL-CM", text: retitled, source: "cm.md") }
        XCTAssertEqual(try summary("POL-CM").title, "Change Control Policy")
        XCTAssertEqual(try read { try $0.policyDraft("change control").ref }, "POL-CM")
        try assertRefused("POL-IS already has the title 'Information Security Policy'") {
            try write {
                try $0.replacePolicyDraft(
                    "POL-CM", text: retitled.replacingOccurrences(of: "title: Change Control Policy", with: "title: Information Security Policy"),
                    source: "cm.md")
            }
        }

        try write { try $0.setPolicy("POL-CM", cadence: .semiAnnual) }
        XCTAssertEqual(try summary("POL-CM").cadence, .semiAnnual)
        XCTAssertTrue(try draft("POL-CM").contains("\ncadence: semi-annual\n"), "the front matter follows the setting")
        let fields = try read { try $0.log() }.filter { $0.entity == "policy" && $0.ref == "POL-CM" }.suffix(2).map(\.field)
        XCTAssertEqual(fields, ["cadence", "draft"])
        try assertRefused("unknown owner 'Nobody'") { try write { try $0.setPolicy("POL-CM", owner: "Nobody") } }
        try write { try $0.retireOwnerForTest("Dana Kim") }
        try assertRefused("Dana Kim has retired; choose someone current") { try write { try $0.setPolicy("POL-CM", owner: "Dana Kim") } }
    }

    func testACompanyAddsItsOwnPolicy() throws {
        let text = """
            ---
            ref: POL-VM
            title: Vendor Management Policy
            cadence: semi-annual
            sections:
              - title: Due diligence
                requirements: [soc2:CC9.2, "iso27001:A.5.19", "gdpr:Art. 28"]
                evidence: [Vendor reviews]
            ---
            # {{company}} Vendor Management Policy

            ## Due diligence

            Vendors are reviewed before {{system}} depends on them.
            """
        let ref = try write { try $0.addPolicy(text: text, source: "vendor.md", owner: "Dana Kim", approver: "Priya Raman") }
        XCTAssertEqual(ref, "POL-VM")
        let added = try summary("POL-VM")
        XCTAssertEqual(added.source, "company")
        XCTAssertEqual(added.cadence, .semiAnnual)
        XCTAssertEqual(added.approver, "Priya Raman")
        XCTAssertEqual(
            try read { try $0.policy("vendor", today: today) }.draft.sections.first?.requirements,
            ["soc2:CC9.2", "iso27001:A.5.19", "gdpr:Art. 28"])
        try assertRefused("vendor.md: the workspace already has a policy with the ref POL-VM") {
            try write { try $0.addPolicy(text: text, source: "vendor.md") }
        }
        try assertRefused("the workspace already has a policy with the title 'Information Security Policy'") {
            try write {
                try $0.addPolicy(
                    text: text.replacingOccurrences(of: "Vendor Management Policy\ncadence", with: "Information Security Policy\ncadence")
                        .replacingOccurrences(of: "POL-VM", with: "POL-V2"), source: "vendor.md")
            }
        }
        try assertRefused("vendor.md:7:20: section 'Due diligence': unknown requirement 'soc2:CC9.9'") {
            try write {
                try $0.addPolicy(
                    text: text.replacingOccurrences(of: "POL-VM", with: "POL-V3").replacingOccurrences(of: "Vendor Management", with: "Third Party")
                        .replacingOccurrences(of: "soc2:CC9.2", with: "soc2:CC9.9"), source: "vendor.md")
            }
        }
    }

    // MARK: - Rendering

    func testRenderingEscapesValuesForHTMLOnlyAndIsByteIdentical() throws {
        let company = "<b>Acme & \"Co\"</b>"
        workspace = try Fixtures.workspace(scope: Scope(company: company, system: "Acme *Cloud*", categories: [.security]), by: alice)
        try write { w in
            try w.addOwner(Owner(name: "Dana <Kim>"))
            try w.addOwner(Owner(name: "Priya Raman"))
            try w.installBuiltInPolicies()
            try w.setPolicy("POL-IS", owner: "Dana <Kim>", approver: "Priya Raman")
        }
        let markdown = try read { try $0.renderPolicy("POL-IS", format: .md) }
        XCTAssertTrue(markdown.hasPrefix("# <b>Acme & \"Co\"</b> Information Security Policy\n"), String(markdown.prefix(80)))
        XCTAssertTrue(markdown.contains("- **Policy owner:** Dana <Kim>\n"))
        XCTAssertTrue(markdown.contains("- **Version:** draft (not yet approved)\n"))
        XCTAssertTrue(markdown.contains("the systems that run Acme *Cloud*."))
        XCTAssertFalse(markdown.contains("{{"), "every placeholder is filled")
        XCTAssertFalse(markdown.contains("cadence:"), "the front matter is not part of the document")
        XCTAssertFalse(markdown.contains("&amp;") || markdown.contains("&lt;"), "Markdown is not HTML-escaped")

        let html = try read { try $0.renderPolicy("POL-IS", format: .html) }
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"), String(html.prefix(80)))
        XCTAssertTrue(html.hasSuffix("</body>\n</html>\n"))
        XCTAssertTrue(html.contains("<title>Information Security Policy: &lt;b&gt;Acme &amp; &quot;Co&quot;&lt;/b&gt;</title>"))
        XCTAssertTrue(html.contains("<h1>&lt;b&gt;Acme &amp; &quot;Co&quot;&lt;/b&gt; Information Security Policy</h1>"), html)
        XCTAssertTrue(html.contains("Dana &lt;Kim&gt;"))
        XCTAssertTrue(html.contains("Acme *Cloud*"), "a value never passes through the Markdown parser")
        XCTAssertFalse(html.contains("<b>Acme"), "no value reaches the page as markup")
        XCTAssertFalse(html.contains("Dana <Kim>"))
        XCTAssertTrue(html.contains("<h2>Purpose and scope</h2>"))
        XCTAssertTrue(html.contains("<li><strong>Policy owner:</strong> Dana &lt;Kim&gt;</li>"), html)
        XCTAssertFalse(html.contains("{{") || html.contains("\u{E000}"))

        XCTAssertEqual(try read { try $0.renderPolicy("POL-IS", format: .html) }, html, "byte-identical on re-run")
        XCTAssertEqual(try read { try $0.renderPolicy("POL-IS", format: .md) }, markdown)

        try write { try $0.approvePolicy("POL-IS", on: "2026-04-01") }
        try write { try $0.setPolicy("POL-IS", approver: "Dana <Kim>") }
        let unchanged = try read { try $0.renderPolicy("POL-IS", format: .md) }
        XCTAssertTrue(unchanged.contains("- **Version:** 1, approved on 2026-04-01\n"), "a draft unchanged since version 1 renders as version 1")
        let version = try read { try $0.renderPolicy("POL-IS", format: .md, version: 1) }
        XCTAssertTrue(version.contains("- **Version:** 1, approved on 2026-04-01\n"), version)
        XCTAssertTrue(version.contains("- **Approver:** Priya Raman\n"), "the approver who approved that version")
        XCTAssertTrue(html.contains("POL-IS Information Security Policy: draft, not yet approved.</p></footer>"), html)
        let versionHTML = try read { try $0.renderPolicy("POL-IS", format: .html, version: 1) }
        XCTAssertTrue(
            versionHTML.contains("POL-IS Information Security Policy: version 1, approved on 2026-04-01 by Priya Raman.</p></footer>"), versionHTML)
        XCTAssertThrowsError(try read { try $0.renderPolicy("POL-IS", format: .md, version: 2) }) { error in
            XCTAssertEqual("\(error)", "POL-IS has no version 2; its versions are 1 to 1")
        }
    }
}

extension WorkspaceWriter {
    /// Retires an owner directly (the owner commands are not under test here).
    func retireOwnerForTest(_ name: String) throws {
        try db.execute(sql: "UPDATE owner SET retired_at = '2026-11-01T00:00:00Z' WHERE name = ?", arguments: [name])
    }
}
