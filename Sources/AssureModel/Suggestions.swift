/// "Did you mean" support for unknown references: the closest known names by edit distance.
public enum Suggestions {
    /// Names longer than this get no suggestion: nobody mistypes a 200-character name, and the
    /// edit distance of a huge one (a pasted file) would take minutes.
    public static let longestQuery = 200

    /// The candidates nearest to `query`: those at the smallest edit distance (ties in name
    /// order), as long as that distance is small; otherwise names that start with the query.
    public static func closest(to query: String, in candidates: [String], limit: Int = 3) -> [String] {
        guard query.utf8.count <= longestQuery * 4, query.count <= longestQuery else { return [] }
        let q = query.lowercased()
        let threshold = max(2, q.count / 3)
        // Only distances up to the threshold matter: a pair further apart is never suggested.
        let scored = candidates.compactMap { candidate in
            editDistance(q, candidate.lowercased(), atMost: threshold).map { (candidate, $0) }
        }
        if let best = scored.map(\.1).min() {
            return scored.filter { $0.1 == best }.map(\.0).sorted().prefix(limit).map { $0 }
        }
        return candidates.filter { $0.lowercased().hasPrefix(q) || $0.lowercased().contains(q) }.sorted().prefix(limit).map { $0 }
    }

    /// "; did you mean X, Y?" or nothing, to end an error message.
    public static func hint(_ suggestions: [String]) -> String {
        suggestions.isEmpty ? "" : "; did you mean \(suggestions.joined(separator: ", "))?"
    }

    public static func editDistance(_ a: String, _ b: String) -> Int {
        editDistance(a, b, atMost: Int.max)!
    }

    /// The edit distance when it is at most `limit`, else nil; strings whose lengths differ by
    /// more than `limit` are answered without comparing them.
    public static func editDistance(_ a: String, _ b: String, atMost limit: Int) -> Int? {
        let a = Array(a)
        let b = Array(b)
        if abs(a.count - b.count) > limit { return nil }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowMinimum = min(rowMinimum, current[j])
            }
            // Every later row is at least this row's minimum.
            if rowMinimum > limit { return nil }
            swap(&previous, &current)
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }
}
