/// "Did you mean" support for unknown references: the closest known names by edit distance,
/// with prefix and substring matches ranked first.
public enum Suggestions {
    public static func closest(to query: String, in candidates: [String], limit: Int = 3) -> [String] {
        let q = query.lowercased()
        let scored = candidates.map { candidate -> (String, Int) in
            let c = candidate.lowercased()
            var score = editDistance(q, c)
            if c.hasPrefix(q) || q.hasPrefix(c) { score -= 100 } else if c.contains(q) { score -= 50 }
            return (candidate, score)
        }
        let threshold = max(2, q.count / 2)
        return scored
            .filter { $0.1 <= threshold }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .prefix(limit).map(\.0)
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
