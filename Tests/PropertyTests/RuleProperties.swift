import AssureModel
import Foundation
import PropertyBased
import Testing

/// Properties of the pure rules, checked on generated inputs (x-sheep/swift-property-based).
/// A failing case prints its seed, so it can be replayed.
@Suite struct DueDateProperties {
    static let today = DueDate.parseDay("2026-11-20")!

    @Test func aDayWrittenOutParsesBackToItself() async {
        await propertyCheck(input: Gen.int(in: 1970...2200), Gen.int(in: 1...12), Gen.int(in: 1...28)) { year, month, day in
            let text = String(format: "%04d-%02d-%02d", year, month, day)
            #expect((try? DueDate.parse(text, today: Self.today)) == text)
        }
    }

    @Test func aRelativeDateIsThatManyDaysAwayOrRefused() async {
        await propertyCheck(input: Gen.int(in: -100_000...100_000)) { days in
            let text = days < 0 ? "-\(-days)d" : "+\(days)d"
            guard let parsed = try? DueDate.parse(text, today: Self.today), let date = DueDate.parseDay(parsed) else {
                // Refused only outside 1970-2200.
                let target = Self.today.addingTimeInterval(Double(days) * 86_400)
                let year = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: target).year!
                #expect(year < 1970 || year > 2200)
                return
            }
            #expect(Int((date.timeIntervalSince(Self.today) / 86_400).rounded()) == days)
        }
    }

    @Test func anyTextEitherParsesInRangeOrIsRefusedNeverCrashes() async {
        await propertyCheck(count: 300, input: Gen.character(in: " "..."~").string(of: 0...24)) { text in
            if let parsed = try? DueDate.parse(text, today: Self.today) {
                let year = Int(parsed.prefix(4))!
                #expect((1970...2200).contains(year))
                #expect(DueDate.parseDay(parsed) != nil)
            }
        }
    }
}

@Suite struct ReadinessProperties {
    /// Criteria mapped to a random subset of controls with random statuses, and random gaps.
    static let statuses = Gen.element(of: [ControlStatus.implemented, .inProgress, .notStarted]).map { $0 ?? .notStarted }

    @Test func addressedNeverExceedsTotalAndCoverageBoundsIt() async {
        await propertyCheck(input: Self.statuses.array(of: 1...12), Gen.int(in: 1...10), Gen.bool) { statuses, criteria, blockFirst in
            let controls = statuses.enumerated().map { Control(ref: "C-\($0.offset)", title: "", status: $0.element) }
            let input = (0..<criteria).map { i in
                ReadinessCriterion(
                    ref: "R\(i)", series: "S", category: "k", inScope: i % 3 != 2,
                    controls: controls.indices.filter { ($0 + i) % 3 == 0 }.map { "C-\($0)" })
            }
            let gaps = blockFirst ? [Gap(ref: "GAP-1", title: "", severity: .critical, criterion: "R0")] : []
            let readiness = Readiness.compute(criteria: input, controls: controls, gaps: gaps)
            #expect(readiness.overall.addressed <= readiness.overall.total)
            #expect(readiness.overall.total == input.filter(\.inScope).count)
            #expect(readiness.overall.addressed <= readiness.coverage.addressed)
            if blockFirst { #expect(readiness.states["R0"] != .addressed) }
        }
    }

    @Test func implementingAControlNeverLowersReadiness() async {
        await propertyCheck(input: Self.statuses.array(of: 1...10), Gen.int(in: 0...9)) { statuses, pick in
            var controls = statuses.enumerated().map { Control(ref: "C-\($0.offset)", title: "", status: $0.element) }
            let input = (0..<6).map { i in
                ReadinessCriterion(
                    ref: "R\(i)", series: "S", category: "k", inScope: true,
                    controls: controls.indices.filter { ($0 * 7 + i) % 4 == 0 }.map { "C-\($0)" })
            }
            let before = Readiness.compute(criteria: input, controls: controls, gaps: []).overall.addressed
            controls[pick % controls.count].status = .implemented
            let after = Readiness.compute(criteria: input, controls: controls, gaps: []).overall.addressed
            #expect(after >= before)
        }
    }
}

@Suite struct RankingProperties {
    static let severity = Gen<Severity>.case
    static let status = Gen<GapStatus>.case

    @Test func theBacklogIsSortedByScoreAndClosedGapsScoreZero() async {
        await propertyCheck(input: Self.severity.array(of: 0...30), Self.status.array(of: 30...30)) { severities, statuses in
            let gaps = severities.enumerated().map { i, severity in
                Gap(ref: "GAP-\(i + 1)", title: "", severity: severity, due: i % 4 == 0 ? "2026-11-01" : nil, status: statuses[i])
            }
            let ranked = Ranking.rank(gaps, today: "2026-11-20", criteriaOfControl: [:], inScope: { _ in true })
            #expect(ranked.count == gaps.count)
            #expect(Set(ranked.map(\.gap.ref)) == Set(gaps.map(\.ref)))
            for (a, b) in zip(ranked, ranked.dropFirst()) { #expect(a.score.score >= b.score.score) }
            for item in ranked where !item.gap.status.isOpen { #expect(item.score.score == 0) }
        }
    }

    /// Both triage orders (of keys, as the store sorts them, and of whole gaps) against the
    /// rule `GapOrder.triage` compared gap by gap. Numbers come in shuffled order, so the
    /// number tie-break is exercised too.
    static func checkTriage(_ severities: [Severity], _ statuses: [GapStatus], _ due: [String?]) {
        let gaps = severities.enumerated().map { i, severity in
            Gap(ref: "GAP-\((i * 7) % 41 + 1)", title: "", severity: severity, due: due[i], status: statuses[i])
        }
        let entries = gaps.map { TriageEntry(isOpen: $0.status.isOpen, severity: $0.severity, due: $0.due, number: Int($0.ref.dropFirst(4))!) }
        let byRule = gaps.indices.sorted { GapOrder.triage(gaps[$0], gaps[$1]) }.map { gaps[$0].ref }
        #expect(GapOrder.triageOrder(entries: entries).map { gaps[$0].ref } == byRule)
        #expect(GapOrder.triageOrder(gaps).map { gaps[$0].ref } == byRule)
    }

    /// Odd due dates (a bare "9999", "99999") take the ranked path.
    @Test func theTriageOrderOfOddDatesIsTheTriageRule() async {
        let dues = Gen.element(of: [nil, "2026-01-05", "2026-11-20", "2027-03-01", "9999", "99999", "2026-11-20"]).map { $0 ?? nil }
        await propertyCheck(input: Self.severity.array(of: 0...40), Self.status.array(of: 40...40), dues.array(of: 40...40)) {
            Self.checkTriage($0, $1, $2)
        }
    }

    /// Dates as the store holds them (YYYY-MM-DD, or none) take the integer path, including the
    /// year 9999, where a missing date sorts before a written one.
    @Test func theTriageOrderOfWrittenDatesIsTheTriageRule() async {
        let dates = Gen.element(of: [nil, "2026-01-05", "2026-11-20", "2027-03-01", "9999-01-01", "9998-12-31", "0001-01-01"]).map { $0 ?? nil }
        await propertyCheck(input: Self.severity.array(of: 0...40), Self.status.array(of: 40...40), dates.array(of: 40...40)) {
            Self.checkTriage($0, $1, $2)
        }
    }

    /// Dates with impossible days ("2026-13-45") still take the integer path: its keys order
    /// as the text does, which is what the rule compares.
    @Test func theTriageOrderOfAnyDigitsWrittenAsADateIsTheTriageRule() async {
        let digit = Gen.character(in: "0"..."9")
        let date = zip(digit.string(of: 4...4), digit.string(of: 2...2), digit.string(of: 2...2)).map { "\($0)-\($1)-\($2)" }
        await propertyCheck(input: Self.severity.array(of: 0...40), Self.status.array(of: 40...40), date.array(of: 40...40)) {
            #expect($2.allSatisfy { GapOrder.dueKey($0) != nil })
            Self.checkTriage($0, $1, $2)
        }
    }

    /// The radix order against a comparison sort of (key, position): ascending, ties in place.
    @Test func theStableOrderIsTheSortedOrderWithTiesInPlace() async {
        // Few distinct values in each 16-bit digit, so ties and skipped passes both happen.
        let part = Gen.element(of: [UInt64(0), 1, 0xFFFF, 0x8000]).map { $0 ?? 0 }
        let key = zip(part, part, part, part).map { $0 | ($1 << 16) | ($2 << 32) | ($3 << 48) }
        await propertyCheck(input: key.array(of: 0...60)) { keys in
            let expected = keys.indices.sorted { (keys[$0], $0) < (keys[$1], $1) }
            #expect(GapOrder.stableOrder(keys) == expected)
        }
    }
}

@Suite struct StoredTextProperties {
    @Test func printableTextIsAlwaysAllowed() async {
        await propertyCheck(input: Gen.character(in: " "..."~").string(of: 0...40)) { text in
            #expect(StoredText.firstProblem(in: text, multiline: false) == nil)
        }
    }

    @Test func aControlCharacterIsFoundWhereverItIs() async {
        await propertyCheck(input: Gen.letterOrNumber.string(of: 0...20), Gen.letterOrNumber.string(of: 0...20), Gen.int(in: 0...8)) { a, b, code in
            let text = a + String(Character(Unicode.Scalar(UInt8(code)))) + b
            let problem = StoredText.firstProblem(in: text, multiline: false)
            #expect(problem?.position == a.unicodeScalars.count + 1)
            #expect(problem?.scalar.value == UInt32(code))
        }
    }
}
