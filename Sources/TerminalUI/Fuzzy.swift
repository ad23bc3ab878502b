/// Fuzzy matching for filters, the palette and pickers: the query's characters must appear in
/// order; matches at word starts, in runs, and at the very start score higher.
public enum Fuzzy {
    public struct Match: Equatable, Sendable {
        public var score: Int
        /// Character offsets in the candidate that matched, for highlighting.
        public var positions: [Int]
    }

    /// Whether `match` finds the query at all: its letters (spaces dropped) in order, case
    /// ignored. Filtering asks only this of thousands of rows per keystroke: see `Pattern`.
    public static func matches(_ query: String, in candidate: String) -> Bool {
        Pattern(query).matches(candidate)
    }

    /// A filter's query made ready once for the thousands of rows one keystroke tests: a
    /// printable ASCII query as its lower-cased bytes without spaces, so a printable ASCII row
    /// is checked in one pass over its bytes, with no scoring and no Unicode case mapping.
    /// Any other text takes `match`, whose answer this always equals (`FuzzyProperties`).
    public struct Pattern: Sendable {
        let query: String
        /// Nil when the query is not printable ASCII.
        let bytes: [UInt8]?

        public init(_ query: String) {
            self.query = query
            bytes = query.utf8.allSatisfy(Pattern.isPrintableASCII) ? query.utf8.filter { $0 != 32 }.map(Pattern.lower) : nil
        }

        @inline(__always) static func lower(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }
        /// Each such byte is a character of its own (a CR before a LF is not: "\r\n" is one).
        @inline(__always) static func isPrintableASCII(_ byte: UInt8) -> Bool { byte >= 0x20 && byte < 0x7F }

        public func matches(_ candidate: String) -> Bool {
            guard let bytes else { return Fuzzy.match(query, in: candidate) != nil }
            if bytes.isEmpty { return true }
            var candidate = candidate
            // One pass: the pattern's bytes in order, and every byte printable ASCII (other text,
            // a combining accent after an ASCII letter among it, takes `match`).
            let found = candidate.withUTF8 { text -> Bool? in
                var next = 0
                for byte in text {
                    if !Pattern.isPrintableASCII(byte) { return nil }
                    if next < bytes.count && Pattern.lower(byte) == bytes[next] { next += 1 }
                }
                return next == bytes.count
            }
            return found ?? (Fuzzy.match(query, in: candidate) != nil)
        }

        /// Whether any of a row's fields matches (its reference, title, owner). Three fields
        /// rather than a list: a list was an allocation per row, 20,000 rows a keystroke.
        public func matches(any first: String, _ second: String, _ third: String?) -> Bool {
            matches(first) || matches(second) || (third.map(matches) ?? false)
        }
    }

    public static func match(_ query: String, in candidate: String) -> Match? {
        let pattern = Array(query.lowercased().filter { $0 != " " })
        if pattern.isEmpty { return Match(score: 0, positions: []) }
        let original = Array(candidate)
        let text = original.map { Character($0.lowercased()) }
        // Try every place the first character occurs and keep the best: greedy matching from
        // the first occurrence alone would miss "access" in "Quarterly access review".
        var best: Match?
        for start in text.indices where text[start] == pattern[0] {
            guard let candidateMatch = greedy(pattern, text, original, from: start) else { break }
            if best == nil || candidateMatch.score > best!.score { best = candidateMatch }
        }
        guard var result = best else { return nil }
        result.score -= text.count / 10
        if candidate.lowercased().hasPrefix(query.lowercased()) { result.score += 10 }
        return result
    }

    private static func greedy(_ pattern: [Character], _ text: [Character], _ original: [Character], from start: Int) -> Match? {
        var positions: [Int] = []
        var score = 0
        var p = 0
        var previous = -2
        for i in start..<text.count where p < pattern.count && text[i] == pattern[p] {
            var points = 1
            if i == 0 { points += 8 }
            let wordStart =
                i == 0 || !(original[i - 1].isLetter || original[i - 1].isNumber)
                || (original[i].isUppercase && original[i - 1].isLowercase)
            if wordStart { points += 6 }
            if previous == i - 1 { points += 5 }
            positions.append(i)
            previous = i
            score += points
            p += 1
        }
        guard p == pattern.count else { return nil }
        // Prefer tight matches.
        score -= (positions.last! - positions.first!) - (pattern.count - 1)
        return Match(score: score, positions: positions)
    }

    /// Candidates that match, best first (ties keep their order).
    public static func rank(_ query: String, _ candidates: [String]) -> [(index: Int, match: Match)] {
        candidates.enumerated().compactMap { i, c in match(query, in: c).map { (i, $0) } }
            .sorted { $0.match.score != $1.match.score ? $0.match.score > $1.match.score : $0.index < $1.index }
    }
}
