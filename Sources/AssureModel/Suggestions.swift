/// "Did you mean" support for unknown references: the closest known names by edit distance.
public enum Suggestions {
    /// The candidates nearest to `query`: those at the smallest edit distance (ties in name
    /// order), as long as that distance is small; otherwise names that start with the query.
    public static func closest(to query: String, in candidates: [String], limit: Int = 3) -> [String] {
        let q = query.lowercased()
        let scored = candidates.map { ($0, editDistance(q, $0.lowercased())) }
        let threshold = max(2, q.count / 3)
        if let best = scored.map(\.1).min(), best <= threshold {
            return scored.filter { $0.1 == best }.map(\.0).sorted().prefix(limit).map { $0 }
        }
        return candidates.filter { $0.lowercased().hasPrefix(q) || $0.lowercased().contains(q) }.sorted().prefix(limit).map { $0 }
    }

    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
