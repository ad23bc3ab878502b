import Foundation
import XCTest

@testable import AssureModel

final class SamplingTests: XCTestCase {
    /// SHA-256 of the text "assure golden population\n".
    let hash = "0b43dd6e85628f4b8dc9fad77aad70262e3d7c2ccf690864dc30e105e02eee9e"
    let keys = (1...20).map { String(format: "K%02d", $0) }

    // MARK: generator

    func testSplitMix64ReferenceValues() {
        // The published reference outputs for seeds 0 and 1234567.
        var zero = SplitMix64(seed: 0)
        XCTAssertEqual([zero.next(), zero.next(), zero.next()], [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        var other = SplitMix64(seed: 1_234_567)
        XCTAssertEqual(
            [other.next(), other.next(), other.next()], [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423])
    }

    func testBoundedDraws() {
        var small = SplitMix64(seed: 7)
        XCTAssertEqual((0..<10).map { _ in small.next(below: 10) }, [3, 0, 9, 5, 4, 2, 4, 3, 1, 4])
        // A bound just above 2^63 rejects about half the raw draws: this pins the rejection path.
        var large = SplitMix64(seed: 7)
        let bound: UInt64 = 1 << 63 + 1
        XCTAssertEqual(
            (0..<6).map { _ in large.next(below: bound) },
            [
                3_595_544_800_446_187_243, 8_308_050_873_407_804_673, 2_300_599_727_732_774_152,
                1_238_314_238_945_538_992, 3_810_556_812_210_252_212, 955_171_922_480_135_541,
            ])
        var one = SplitMix64(seed: 1)
        XCTAssertTrue((0..<100).allSatisfy { _ in one.next(below: 1) == 0 })
    }

    func testBoundedDrawsAreRoughlyUniform() {
        var generator = SplitMix64(seed: 99)
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 { counts[Int(generator.next(below: 6))] += 1 }
        for count in counts { XCTAssertEqual(Double(count), 10_000, accuracy: 500) }
    }

    func testHashWord() {
        XCTAssertEqual(Sampling.hashWord(hash), 0x0B43_DD6E_8562_8F4B)
        XCTAssertEqual(Sampling.hashWord(hash.uppercased()), 0x0B43_DD6E_8562_8F4B)
        XCTAssertEqual(Sampling.hashWord(""), 0)
        XCTAssertEqual(Sampling.hashWord("ff"), 0xFF00_0000_0000_0000)
    }

    // MARK: selection

    func testGolden() {
        let selection = Sampling.select(keys: keys, populationSHA256: hash, seed: 42, size: 5)
        XCTAssertEqual(
            selection,
            SampleSelection(
                populationSHA256: hash, seed: 42, rule: Sampling.rule, size: 5,
                items: ["K01", "K14", "K11", "K15", "K20"]))
        XCTAssertEqual(
            Sampling.select(keys: keys, populationSHA256: hash, seed: 42, size: 20).items,
            [
                "K01", "K14", "K11", "K15", "K20", "K09", "K02", "K08", "K13", "K06",
                "K18", "K16", "K04", "K03", "K19", "K07", "K10", "K05", "K12", "K17",
            ])
        XCTAssertEqual(Sampling.select(keys: keys, populationSHA256: hash, seed: 43, size: 5).items, ["K11", "K02", "K16", "K13", "K12"])
        XCTAssertEqual(Sampling.select(keys: keys, populationSHA256: hash, seed: 0, size: 5).items, ["K15", "K14", "K18", "K07", "K02"])
    }

    func testSameInputsSameItems() {
        let a = Sampling.select(keys: keys, populationSHA256: hash, seed: 7, size: 8)
        let b = Sampling.select(keys: keys, populationSHA256: hash, seed: 7, size: 8)
        XCTAssertEqual(a, b)
    }

    func testDifferentSeedOrHashChangesTheItems() {
        let base = Sampling.select(keys: keys, populationSHA256: hash, seed: 7, size: 8).items
        XCTAssertNotEqual(Sampling.select(keys: keys, populationSHA256: hash, seed: 8, size: 8).items, base)
        let otherHash = "1" + hash.dropFirst()
        XCTAssertNotEqual(Sampling.select(keys: keys, populationSHA256: otherHash, seed: 7, size: 8).items, base)
        // The hash and the seed are combined by XOR, so changing both the same way cancels out.
        let flipped = "0b43dd6e85628f4a" + hash.dropFirst(16)
        XCTAssertEqual(Sampling.select(keys: keys, populationSHA256: flipped, seed: 6, size: 8).items, base)
    }

    func testLargerSampleExtendsSmaller() {
        var generator = SplitMix64(seed: 11)
        for round in 0..<200 {
            let count = Int(generator.next(below: 60)) + 1
            let population = (0..<count).map { "row-\($0)" }
            let seed = generator.next()
            let n = Int(generator.next(below: UInt64(count + 1)))
            let k = Int(generator.next(below: 10))
            let small = Sampling.select(keys: population, populationSHA256: hash, seed: seed, size: n)
            let large = Sampling.select(keys: population, populationSHA256: hash, seed: seed, size: n + k)
            XCTAssertEqual(Array(large.items.prefix(n)), small.items, "round \(round)")
            XCTAssertEqual(small.items.count, n)
            XCTAssertEqual(Set(large.items).count, large.items.count, "no key twice")
            XCTAssertTrue(large.items.allSatisfy(population.contains))
        }
    }

    func testSizeAtOrAbovePopulationReturnsEveryKeyInSelectionOrder() {
        let all = Sampling.select(keys: keys, populationSHA256: hash, seed: 42, size: 20)
        let more = Sampling.select(keys: keys, populationSHA256: hash, seed: 42, size: 1_000)
        XCTAssertEqual(more.items, all.items)
        XCTAssertEqual(more.size, 20)
        XCTAssertEqual(Set(more.items), Set(keys))
        XCTAssertNotEqual(more.items, keys, "selection order, not file order")
    }

    func testEmptyAndNonPositive() {
        XCTAssertEqual(Sampling.select(keys: [], populationSHA256: hash, seed: 1, size: 5).items, [])
        XCTAssertEqual(Sampling.select(keys: keys, populationSHA256: hash, seed: 1, size: 0).items, [])
        XCTAssertEqual(Sampling.select(keys: keys, populationSHA256: hash, seed: 1, size: -3).size, 0)
        XCTAssertEqual(Sampling.select(keys: ["only"], populationSHA256: hash, seed: 1, size: 1).items, ["only"])
    }

    func testDuplicateKeysAreSelectedByPosition() {
        let items = Sampling.select(keys: ["a", "a", "b"], populationSHA256: hash, seed: 3, size: 3).items
        XCTAssertEqual(items.sorted(), ["a", "a", "b"])
    }

    /// Over many seeds every position is chosen about equally often: no row is favoured.
    func testFirstPickIsUniform() {
        var counts = [String: Int]()
        for seed in 0..<20_000 as Range<UInt64> {
            counts[Sampling.select(keys: keys, populationSHA256: hash, seed: seed, size: 1).items[0], default: 0] += 1
        }
        XCTAssertEqual(counts.count, 20)
        for key in keys { XCTAssertEqual(Double(counts[key] ?? 0), 1_000, accuracy: 150, key) }
    }

    func testRuleIsOneLine() {
        XCTAssertFalse(Sampling.rule.contains("\n"))
        XCTAssertTrue(Sampling.rule.contains("SplitMix64"))
        XCTAssertTrue(Sampling.rule.contains("SHA-256"))
    }

    // MARK: methodology

    func testDefaults() throws {
        let methodology = SamplingMethodology.default
        XCTAssertNoThrow(try methodology.validate())
        XCTAssertEqual(methodology.confidence, 0.95)
        XCTAssertEqual(methodology.tolerableRate, 0.10)
        let expected: [String: (Int, Int)] = [
            "annual": (1, 1), "semi-annual": (1, 1), "quarterly": (2, 2), "monthly": (2, 5), "weekly": (5, 15),
            "daily": (20, 40), "many-per-day": (25, 60), "continuous": (1, 1),
        ]
        XCTAssertEqual(Set(methodology.byFrequency.keys), Set(expected.keys))
        for (key, range) in expected {
            XCTAssertEqual(methodology.byFrequency[key], SamplingMethodology.Range(low: range.0, high: range.1), key)
        }
        XCTAssertNil(methodology.byFrequency["on-event"])
        XCTAssertEqual(Set(SamplingMethodology.rangeKeys), Set(expected.keys))
    }

    func testAttributeFormula() {
        func size(_ confidence: Double, _ rate: Double) -> Int {
            SamplingMethodology(confidence: confidence, tolerableRate: rate).attributeSize
        }
        XCTAssertEqual(size(0.95, 0.10), 29)
        XCTAssertEqual(size(0.90, 0.10), 22)
        XCTAssertEqual(size(0.95, 0.05), 59)
        XCTAssertEqual(size(0.99, 0.05), 90)
        // ln(0.01)/ln(0.1) is 2 exactly; floating-point noise must not make it 3.
        XCTAssertEqual(size(0.99, 0.90), 2)
        XCTAssertEqual(size(0.5, 0.5), 1)
        XCTAssertEqual(size(1, 0.1), 0)
        XCTAssertEqual(size(0.95, 0), 0)
        XCTAssertEqual(size(0.999_999_999_999, 1e-15), 1_000_000_000)
    }

    func testSizeByFrequency() {
        let m = SamplingMethodology.default
        XCTAssertTrue(m.size(frequency: .monthly, higherRisk: true, population: 100) == (5, "monthly, higher risk: 5 (range 2-5)"))
        XCTAssertTrue(m.size(frequency: .monthly, higherRisk: false, population: 100) == (2, "monthly: 2 (range 2-5)"))
        XCTAssertTrue(m.size(frequency: .daily, higherRisk: true, population: 250) == (40, "daily, higher risk: 40 (range 20-40)"))
        XCTAssertTrue(m.size(frequency: .continuous, higherRisk: true, population: 10_000) == (1, "continuous, higher risk: 1 (range 1-1)"))
        XCTAssertTrue(m.size(frequency: .annual, higherRisk: false, population: 1) == (1, "annual: 1 (range 1-1)"))
        XCTAssertTrue(m.size(key: "many-per-day", higherRisk: false, population: 5_000) == (25, "many-per-day: 25 (range 25-60)"))
    }

    func testSizeCappedByPopulation() {
        let m = SamplingMethodology.default
        XCTAssertTrue(
            m.size(frequency: .weekly, higherRisk: true, population: 10)
                == (10, "weekly, higher risk: 15 (range 5-15), capped at the population of 10"))
        XCTAssertTrue(
            m.size(frequency: .monthly, higherRisk: false, population: 0)
                == (0, "monthly: 2 (range 2-5), capped at the population of 0"))
        XCTAssertTrue(
            m.size(frequency: .monthly, higherRisk: false, population: -4)
                == (0, "monthly: 2 (range 2-5), capped at the population of 0"))
        XCTAssertEqual(m.size(frequency: .monthly, higherRisk: true, population: 5).size, 5)
    }

    func testOnEventUsesTheAttributeFormula() {
        let m = SamplingMethodology.default
        XCTAssertTrue(
            m.size(frequency: .onEvent, higherRisk: false, population: 12)
                == (12, "attribute sampling at 95% confidence, 10% tolerable rate: 29, capped at the population of 12"))
        XCTAssertTrue(
            m.size(frequency: .onEvent, higherRisk: true, population: 400)
                == (29, "attribute sampling at 95% confidence, 10% tolerable rate: 29"))
        XCTAssertTrue(
            m.size(frequency: nil, higherRisk: false, population: 400)
                == (29, "attribute sampling at 95% confidence, 10% tolerable rate: 29"))
        let strict = SamplingMethodology(confidence: 0.975, tolerableRate: 0.05)
        XCTAssertEqual(
            strict.size(frequency: .onEvent, higherRisk: false, population: 400).rule,
            "attribute sampling at 97.5% confidence, 5% tolerable rate: 72")
    }

    func testMissingRangeFallsBackToTheFormula() {
        var m = SamplingMethodology.default
        m.byFrequency["weekly"] = nil
        XCTAssertTrue(
            m.size(frequency: .weekly, higherRisk: false, population: 52)
                == (29, "no range for weekly: attribute sampling at 95% confidence, 10% tolerable rate: 29"))
    }

    func testValidationMessages() {
        func message(_ change: (inout SamplingMethodology) -> Void) -> String? {
            var m = SamplingMethodology.default
            change(&m)
            do { try m.validate(); return nil } catch { return "\(error)" }
        }
        XCTAssertEqual(message { $0.byFrequency["monthly"] = .init(6, 5) }, "sampling: monthly low (6) is above high (5)")
        XCTAssertEqual(message { $0.byFrequency["daily"] = .init(0, 5) }, "sampling: daily low must be at least 1 (it is 0)")
        XCTAssertEqual(
            message { $0.byFrequency["montly"] = .init(2, 5) },
            "sampling: 'montly' is not a frequency; use one of annual, semi-annual, quarterly, monthly, weekly, daily, continuous, many-per-day")
        XCTAssertEqual(
            message { $0.byFrequency["on-event"] = .init(2, 5) },
            "sampling: on-event has no range; it is sized by the attribute formula (confidence, tolerableRate)")
        XCTAssertEqual(message { $0.confidence = 1 }, "sampling: confidence must be between 0 and 1, e.g. 0.95 (it is 1.0)")
        XCTAssertEqual(message { $0.confidence = 0 }, "sampling: confidence must be between 0 and 1, e.g. 0.95 (it is 0.0)")
        XCTAssertEqual(message { $0.tolerableRate = 10 }, "sampling: tolerableRate must be between 0 and 1, e.g. 0.10 (it is 10.0)")
        XCTAssertEqual(message { $0.tolerableRate = .nan }, "sampling: tolerableRate must be between 0 and 1, e.g. 0.10 (it is nan)")
        XCTAssertNil(message { $0.byFrequency["monthly"] = .init(3, 3) })
        XCTAssertNil(message { $0.byFrequency = [:] })
        XCTAssertThrowsError(
            try {
                var m = SamplingMethodology.default; m.confidence = 2; try m.validate()
            }()
        ) { error in
            XCTAssertTrue(error is RuleViolation)
        }
    }

    func testCodableRoundTrip() throws {
        var edited = SamplingMethodology.default
        edited.byFrequency["monthly"] = .init(3, 6)
        edited.confidence = 0.9
        edited.tolerableRate = 0.05
        for methodology in [SamplingMethodology.default, edited] {
            let data = try JSONEncoder().encode(methodology)
            XCTAssertEqual(try JSONDecoder().decode(SamplingMethodology.self, from: data), methodology)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(SamplingMethodology(byFrequency: ["monthly": .init(2, 5)])), as: UTF8.self)
        XCTAssertEqual(json, #"{"byFrequency":{"monthly":{"high":5,"low":2}},"confidence":0.95,"tolerableRate":0.1}"#)
    }

    func testDecodingKeepsDefaultsForWhatIsLeftOut() throws {
        let partial = #"{"byFrequency":{"weekly":{"low":8,"high":12}},"tolerableRate":0.05}"#
        let decoded = try JSONDecoder().decode(SamplingMethodology.self, from: Data(partial.utf8))
        var expected = SamplingMethodology.default
        expected.byFrequency["weekly"] = .init(8, 12)
        expected.tolerableRate = 0.05
        XCTAssertEqual(decoded, expected)
        XCTAssertEqual(try JSONDecoder().decode(SamplingMethodology.self, from: Data("{}".utf8)), .default)
        XCTAssertThrowsError(try JSONDecoder().decode(SamplingMethodology.self, from: Data(#"{"confidence":"high"}"#.utf8)))
    }
}
