/// Reproducible sample selection: anyone holding the population file (its SHA-256), the seed and
/// the size can re-run the selection and get the same items, on any platform. Everything is
/// integer arithmetic written here (SplitMix64, Lemire's bounded integers), never Swift's random
/// APIs, whose algorithms may change between releases and platforms.

/// A sample drawn from a population, with what it takes to reproduce it.
public struct SampleSelection: Equatable, Sendable {
    /// The SHA-256 (hex) of the population file the keys came from.
    public var populationSHA256: String
    public var seed: UInt64
    /// How the items were chosen (`Sampling.rule`), recorded with the sample for the auditor.
    public var rule: String
    /// The number of items selected: the size asked for, capped by the population.
    public var size: Int
    /// Selected keys, in selection order.
    public var items: [String]
    public init(populationSHA256: String, seed: UInt64, rule: String, size: Int, items: [String]) {
        self.populationSHA256 = populationSHA256; self.seed = seed; self.rule = rule
        self.size = size; self.items = items
    }
}

public enum Sampling {
    public static let rule =
        "Fisher-Yates over the population's keys in canonical (sorted) order, each index drawn without bias "
        + "(Lemire's method) from SplitMix64 seeded with the first 8 bytes of the population's SHA-256 "
        + "(big-endian) XOR the seed; items in selection order"

    /// Selects `size` keys from `keys` (the population rows' keys in the population's canonical
    /// order). A partial Fisher-Yates shuffle from the front: step i swaps position i with a
    /// position drawn from i..<count and takes it. The draws do not depend on the size, so a
    /// larger sample extends a smaller one (`select(size: n + k).items.prefix(n)` equals
    /// `select(size: n).items`). A size at or above the population returns every key, in
    /// selection order; a size below 1 returns none.
    public static func select(keys: [String], populationSHA256: String, seed: UInt64, size: Int) -> SampleSelection {
        let count = min(max(0, size), keys.count)
        var pool = keys
        var generator = SplitMix64(seed: hashWord(populationSHA256) ^ seed)
        for i in 0..<count {
            let j = i + Int(generator.next(below: UInt64(pool.count - i)))
            pool.swapAt(i, j)
        }
        return SampleSelection(
            populationSHA256: populationSHA256, seed: seed, rule: rule,
            size: count, items: Array(pool.prefix(count)))
    }

    /// The first 8 bytes of a hex SHA-256 as a big-endian integer (its first 16 hex digits, either
    /// case). A digit that is not hex counts as 0: the caller passes a real hash; this only keeps
    /// the function total.
    static func hashWord(_ hex: String) -> UInt64 {
        var word: UInt64 = 0
        var taken = 0
        for byte in hex.utf8 {
            guard taken < 16 else { break }
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default: nibble = 0
            }
            word = word << 4 | UInt64(nibble)
            taken += 1
        }
        // A short string is padded on the right, as if its missing digits were 0.
        return taken == 0 ? 0 : word << (4 * UInt64(16 - taken))
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, well-mixed generator whose output is fixed by
/// its definition, so samples reproduce everywhere.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in 0..<bound (bound > 0), without the modulo bias: Lemire's
    /// multiply-and-reject ("Fast Random Integer Generation in an Interval", 2019).
    mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }
}
