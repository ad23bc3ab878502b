import AssureTestSupport
import Foundation
import XCTest

@testable import AssureModel
@testable import AssureStore

/// The fast readers (counts in SQL, readiness from a few columns, ranking by keys, the current
/// state for snapshots) must give what the rules in AssureModel give on whole records.
final class CountsTests: XCTestCase {
    /// The counts as the rules compute them from every control, gap and owner.
    func expectedCounts(_ r: WorkspaceReader, today: String) throws -> WorkspaceCounts {
        let controls = try r.controls()
        let gaps = try r.gaps()
        var counts = WorkspaceCounts()
        counts.controls = controls.count
        for status in ControlStatus.allCases {
            let n = controls.filter { $0.status == status }.count
            if n > 0 { counts.controlsByStatus[status] = n }
        }
        counts.unownedControls = controls.filter(Rules.isUnowned).count
        counts.activeOwners = try r.owners(today: today).filter { !$0.owner.isRetired }.count
        let open = gaps.filter(\.status.isOpen)
        counts.openGaps = open.count
        for severity in Severity.allCases {
            let n = open.filter { $0.severity == severity }.count
            if n > 0 { counts.openGapsBySeverity[severity] = n }
        }
        counts.overdueGaps = open.filter { $0.isOverdue(today: today) }.count
        return counts
    }

    /// Every fast reader against its rule, each in a fresh transaction (nothing cached).
    func checkReaders(_ workspace: Workspace, today: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let counts = try workspace.read { try $0.counts(today: today) }
        XCTAssertEqual(counts, try workspace.read { try self.expectedCounts($0, today: today) }, file: file, line: line)

        for framework in try workspace.read({ try $0.frameworks() }) {
            let fast = try workspace.read { try $0.readiness(framework: framework.id) }
            let slow = try workspace.read { r in
                Readiness.compute(
                    criteria: try r.readinessInput(framework: framework.id), controls: try r.controls(), gaps: try r.gaps(),
                    framework: framework.id)
            }
            XCTAssertEqual(fast, slow, "readiness of \(framework.id)", file: file, line: line)
            // From the cache (controls and gaps already read) it is the same again.
            let cached = try workspace.read { r -> Readiness in
                _ = try r.controls(); _ = try r.gaps(); return try r.readiness(framework: framework.id)
            }
            XCTAssertEqual(cached, slow, file: file, line: line)
        }

        // Ranking: the store's keyed path against the rule applied gap by gap.
        let (fastRank, slowRank) = try workspace.read { r -> ([(gap: Gap, score: GapScore)], [(gap: Gap, score: GapScore)]) in
            let controls = try r.controls()
            let gaps = try r.gaps()
            var inScope = Set<String>()
            for framework in try r.frameworks() {
                for s in try r.requirementSummaries(framework: framework.id) where s.isAssessable && s.inScope {
                    inScope.insert(s.requirement.qualifiedRef)
                }
            }
            let qualified = gaps.map { gap -> Gap in
                var gap = gap
                if let c = gap.criterion, let f = gap.framework { gap.criterion = "\(f):\(c)" }
                return gap
            }
            let slow = Ranking.rank(
                qualified, weights: try r.rankingWeights(), today: today,
                criteriaOfControl: Dictionary(uniqueKeysWithValues: controls.map { ($0.ref, $0.requirements) }),
                inScope: { inScope.contains($0) })
            return (try r.rankedGaps(today: today), slow)
        }
        XCTAssertEqual(fastRank.map(\.gap.ref), slowRank.map(\.gap.ref), "backlog order", file: file, line: line)
        XCTAssertEqual(fastRank.map(\.score), slowRank.map(\.score), "scores", file: file, line: line)
        // The report's top of the open gaps, against the whole ranking filtered and cut.
        let openRanked = fastRank.filter { $0.gap.status.isOpen }
        for limit in [0, 1, 10, openRanked.count + 5] {
            let top = try workspace.read { r in
                try r.rankTop(try r.gaps(), controls: try r.controls(), today: today, limit: limit, where: \.status.isOpen)
            }
            XCTAssertEqual(top.map(\.gap), openRanked.prefix(limit).map(\.gap), "top \(limit)", file: file, line: line)
            XCTAssertEqual(top.map(\.score), openRanked.prefix(limit).map(\.score), "top \(limit)", file: file, line: line)
        }
        let byRef = Dictionary(uniqueKeysWithValues: try workspace.read { try $0.gaps() }.map { ($0.ref, $0) })
        XCTAssertEqual(fastRank.map(\.gap), fastRank.map { byRef[$0.gap.ref]! }, "ranked gaps are the gaps as read", file: file, line: line)

        // The current state read from a few columns, against the state from whole records.
        let fastState = try workspace.read { try $0.currentState() }
        let slowState = try workspace.read { r -> SnapshotState in
            _ = try r.controls(); _ = try r.gaps(); return try r.currentState()
        }
        XCTAssertEqual(fastState, slowState, file: file, line: line)
        XCTAssertEqual(fastState.gaps.count, byRef.count, file: file, line: line)
    }

    func testSamplesCountAsTheRulesDo() throws {
        try checkReaders(try Fixtures.larkspur(), today: Fixtures.today)
        try checkReaders(try Fixtures.larkspur(typeII: false), today: "2027-06-30")
        try checkReaders(try Fixtures.hanami(), today: Fixtures.today)
    }

    func testSyntheticWorkspaceWithRetiredOwnersAndExclusions() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = try Workspace.synthetic(
            path: folder.appendingPathComponent("s.assure").path,
            controls: 300, owners: 15, gaps: 1_200, logRows: 50)
        let tester = Fixtures.actor()
        // A retired owner's controls count as unowned; a justified N/A control never does.
        let before = try workspace.read { try $0.counts(today: Fixtures.today) }
        try workspace.write(tester) { w in
            try w.retireOwner("Owner 3")
            try w.setStatus(controls: ["SYN-00001", "SYN-00002"], to: .notApplicable, justification: "Not used here")
            try w.remediateGaps(["GAP-1", "GAP-2"], note: "Fixed")
            try w.acceptGaps(["GAP-3"], justification: "Accepted")
            try w.assign(controls: ["SYN-00005"], owner: .some(nil))
        }
        let after = try workspace.read { try $0.counts(today: Fixtures.today) }
        XCTAssertEqual(after.activeOwners, before.activeOwners - 1)
        XCTAssertEqual(after.controls, 300)
        XCTAssertEqual(after.controlsByStatus[.notApplicable] ?? 0, (before.controlsByStatus[.notApplicable] ?? 0) + 2)
        XCTAssertGreaterThan(after.unownedControls, 0)
        XCTAssertGreaterThan(after.overdueGaps, 0, "the synthetic backlog has gaps past due at the fixed date")
        for today in [Fixtures.today, "2000-01-01", "2099-12-31"] { try checkReaders(workspace, today: today) }
    }

    func testGapNumbersParseAsTheGeneralRule() {
        for ref in ["GAP-1", "GAP-0012", "GAP-", "GAP-1-2", "X-12-", "GAP-1a", "GAP", "", "A--3", "GAP-999999999999999999"] {
            XCTAssertEqual(GapOrder.number(ref), Int(ref.split(separator: "-").last ?? "") ?? Int.max, ref)
        }
    }

    func testCSVQuotingMatchesTheCharacterRule() {
        for text in [
            "plain", "a,b", "say \"hi\"", "line\nbreak", "cr\rlf", "crlf\r\nx", "-12.5", "-x", "=1+1", "@a", "\tx",
            "é,ü", ",\u{301}", "\"\u{301}", "naïve", "",
        ] {
            let quoted = text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            XCTAssertEqual(CSV.needsQuotes(text), quoted, text.debugDescription)
        }
        XCTAssertEqual(CSV.field("-12.5"), "-12.5")
        XCTAssertEqual(CSV.field("-x"), "'-x")
        XCTAssertEqual(CSV.field("a,\"b\""), "\"a,\"\"b\"\"\"")
    }
}
