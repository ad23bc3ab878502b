import Foundation

/// How many items to test for a control in a Type II audit: a range per frequency (the common
/// practice of audit firms) and, for event-driven controls, attribute sampling. Stored as an
/// editable workspace setting, so every number is data, not code.
public struct SamplingMethodology: Codable, Equatable, Sendable {
    /// Inclusive bounds of a sample size.
    public struct Range: Codable, Equatable, Sendable {
        public var low: Int
        public var high: Int
        public init(low: Int, high: Int) { self.low = low; self.high = high }
        public init(_ low: Int, _ high: Int) { self.init(low: low, high: high) }
    }

    /// The key for controls that operate many times a day (not a `Frequency`).
    public static let manyPerDay = "many-per-day"
    /// The keys `byFrequency` accepts: every frequency but on-event (which is sized by the
    /// attribute formula), plus `many-per-day`, from the rarest to the most frequent.
    public static let rangeKeys: [String] =
        [
            Frequency.annual, .semiAnnual, .quarterly, .monthly, .weekly, .daily, .continuous,
        ].map(\.rawValue) + [manyPerDay]

    /// Sample size ranges keyed by `Frequency` raw value or `many-per-day`.
    public var byFrequency: [String: Range]
    /// Confidence of the attribute formula, between 0 and 1 exclusive.
    public var confidence: Double
    /// Tolerable deviation rate of the attribute formula, between 0 and 1 exclusive.
    public var tolerableRate: Double

    public init(
        byFrequency: [String: Range] = SamplingMethodology.defaultRanges,
        confidence: Double = 0.95, tolerableRate: Double = 0.10
    ) {
        self.byFrequency = byFrequency; self.confidence = confidence; self.tolerableRate = tolerableRate
    }

    /// Common practice. Continuous (automated) controls are tested once: the system does the
    /// same thing every time, so one test plus the change and access controls around it suffice.
    public static let defaultRanges: [String: Range] = [
        "annual": Range(1, 1), "semi-annual": Range(1, 1), "quarterly": Range(2, 2),
        "monthly": Range(2, 5), "weekly": Range(5, 15), "daily": Range(20, 40),
        "many-per-day": Range(25, 60), "continuous": Range(1, 1),
    ]

    public static let `default` = SamplingMethodology()

    private enum CodingKeys: String, CodingKey { case byFrequency, confidence, tolerableRate }

    /// Lenient for a hand-edited file: a field left out keeps its default, and `byFrequency`
    /// lists only the ranges it changes (the others keep theirs).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let ranges = try container.decodeIfPresent([String: Range].self, forKey: .byFrequency) ?? [:]
        self.init(
            byFrequency: SamplingMethodology.defaultRanges.merging(ranges) { _, edited in edited },
            confidence: try container.decodeIfPresent(Double.self, forKey: .confidence) ?? 0.95,
            tolerableRate: try container.decodeIfPresent(Double.self, forKey: .tolerableRate) ?? 0.10)
    }

    /// Checks every number; the message names the bad key.
    public func validate() throws {
        for key in byFrequency.keys.sorted() {
            guard SamplingMethodology.rangeKeys.contains(key) else {
                if key == Frequency.onEvent.rawValue {
                    throw RuleViolation("sampling: on-event has no range; it is sized by the attribute formula (confidence, tolerableRate)")
                }
                throw RuleViolation("sampling: '\(key)' is not a frequency; use one of \(SamplingMethodology.rangeKeys.joined(separator: ", "))")
            }
            let range = byFrequency[key]!
            guard range.low >= 1 else {
                throw RuleViolation("sampling: \(key) low must be at least 1 (it is \(range.low))")
            }
            guard range.low <= range.high else {
                throw RuleViolation("sampling: \(key) low (\(range.low)) is above high (\(range.high))")
            }
        }
        guard confidence > 0, confidence < 1 else {
            throw RuleViolation("sampling: confidence must be between 0 and 1, e.g. 0.95 (it is \(confidence))")
        }
        guard tolerableRate > 0, tolerableRate < 1 else {
            throw RuleViolation("sampling: tolerableRate must be between 0 and 1, e.g. 0.10 (it is \(tolerableRate))")
        }
    }

    /// Attribute sampling with no expected deviations: the smallest n with
    /// (1 - tolerableRate)^n <= 1 - confidence, i.e. n = ceil(ln(1 - confidence) / ln(1 - tolerableRate)).
    /// 95% and 10% give 29. 0 when the parameters are invalid (see `validate`).
    public var attributeSize: Int {
        guard confidence > 0, confidence < 1, tolerableRate > 0, tolerableRate < 1 else { return 0 }
        let exact = log(1 - confidence) / log(1 - tolerableRate)
        // The tolerance keeps an exact integer (99% / 90% is 2) from rounding up to the next one
        // because of floating-point noise; the cap keeps absurd inputs from overflowing Int.
        return Int(min((exact - 1e-9).rounded(.up), 1e9))
    }

    /// The size for a control of this frequency (nil: unknown, sized like an event-driven control
    /// by the attribute formula); higher risk takes the upper end of the range. Never more than
    /// the population. Returns the size and which rule gave it.
    public func size(frequency: Frequency?, higherRisk: Bool, population: Int) -> (size: Int, rule: String) {
        guard let frequency, frequency != .onEvent else { return attribute(population: population) }
        return size(key: frequency.rawValue, higherRisk: higherRisk, population: population)
    }

    /// As `size(frequency:...)`, by range key: a `Frequency` raw value or `many-per-day`. A key
    /// with no range falls back to the attribute formula, and the rule says so.
    public func size(key: String, higherRisk: Bool, population: Int) -> (size: Int, rule: String) {
        guard let range = byFrequency[key] else {
            let fallback = attribute(population: population)
            return (fallback.size, "no range for \(key): " + fallback.rule)
        }
        let chosen = higherRisk ? range.high : range.low
        let rule = "\(key)\(higherRisk ? ", higher risk" : ""): \(chosen) (range \(range.low)-\(range.high))"
        return capped(chosen, rule, population: population)
    }

    private func attribute(population: Int) -> (size: Int, rule: String) {
        let n = attributeSize
        let rule =
            "attribute sampling at \(SamplingMethodology.percent(confidence)) confidence, "
            + "\(SamplingMethodology.percent(tolerableRate)) tolerable rate: \(n)"
        return capped(n, rule, population: population)
    }

    private func capped(_ size: Int, _ rule: String, population: Int) -> (size: Int, rule: String) {
        let population = max(0, population)
        guard size > population else { return (size, rule) }
        return (population, rule + ", capped at the population of \(population)")
    }

    /// 0.95 -> "95%", 0.975 -> "97.5%".
    static func percent(_ fraction: Double) -> String {
        let value = (fraction * 100 * 1000).rounded() / 1000
        if value == value.rounded(), abs(value) < 1e15 { return "\(Int(value))%" }
        return "\(value)%"
    }
}
