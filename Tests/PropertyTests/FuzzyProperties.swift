import PropertyBased
import TerminalUI
import Testing

/// The filter's one-pass test (`Fuzzy.Pattern`) against the scoring matcher it stands in for.
@Suite struct FuzzyProperties {
    /// Pieces of text where the two paths could part: case, spaces, accents (precomposed and
    /// combining), a character that changes length when upper-cased, CR LF, digits, punctuation.
    static let piece = Gen.element(of: ["a", "B", "e", "i", "s", "Y", " ", "-", ".", "1", "é", "e\u{301}", "ß", "İ", "\r\n", "\r", "\t", "x"])
        .map { $0 ?? "" }
    static let query = piece.array(of: 0...4).map { $0.joined() }
    static let shortText = piece.array(of: 0...8).map { $0.joined() }
    static let candidate = piece.array(of: 0...14).map { $0.joined() }

    @Test func thePatternAnswersAsTheMatcherDoes() async {
        await propertyCheck(count: 2_000, input: Self.query, Self.candidate) { query, candidate in
            #expect(Fuzzy.Pattern(query).matches(candidate) == (Fuzzy.match(query, in: candidate) != nil), "\(query) in \(candidate)")
        }
    }

    @Test func aRowMatchesWhenAnyOfItsFieldsDoes() async {
        await propertyCheck(input: Self.query, Self.shortText, Self.shortText) { query, ref, title in
            let pattern = Fuzzy.Pattern(query)
            #expect(pattern.matches(any: ref, title, nil) == (pattern.matches(ref) || pattern.matches(title)))
        }
    }
}
