import XCTest

@testable import TerminalUI

/// The drawing fast path for text whose scalars each stand alone (`TextWidth.standsAlone`):
/// it must cut and measure exactly as the grapheme walk it skips.
final class StandaloneScalarTests: XCTestCase {
    static let standalone: [Unicode.Scalar] = (0...0x2600).compactMap { v in
        TextWidth.standsAlone(UInt32(v)) ? Unicode.Scalar(UInt32(v)) : nil
    }
    /// Neighbours from the set, and from outside it: marks, joiners, selectors, CR LF, Hangul.
    static let neighbours: [String] = ["a", "Z", " ", "·", "…", "█", "░", "→", "é", "ß", "─", "\u{2014}"]

    /// Every such scalar is one grapheme beside any of the others, and as wide as the walk says.
    func testEachStandaloneScalarIsOneGraphemeOfItsOwnWidth() {
        XCTAssertGreaterThan(Self.standalone.count, 1000)
        for scalar in Self.standalone {
            let alone = String(Character(scalar))
            XCTAssertEqual(TextWidth.of(Character(scalar)), TextWidth.scalarWidth(scalar.value), "U+\(String(scalar.value, radix: 16))")
            for other in Self.neighbours {
                XCTAssertEqual((alone + other).count, 2, "U+\(String(scalar.value, radix: 16)) then \(other)")
                XCTAssertEqual((other + alone).count, 2, "\(other) then U+\(String(scalar.value, radix: 16))")
            }
        }
    }

    /// What lies outside: a combining mark, a joiner, a selector or a control byte sends the
    /// text to the grapheme walk.
    func testTextWithAnythingElseIsNotStandalone() {
        for text in ["e\u{301}", "a\u{200D}b", "✔\u{FE0F}", "a\r\nb", "가", "🇫🇷", "\u{0007}"] {
            XCTAssertNil(TextWidth.standaloneWidth(text), text.debugDescription)
        }
        XCTAssertEqual(TextWidth.standaloneWidth("AC-05 · Zoë → █░░ …"), 19)
    }

    /// The screen holds the same cells whichever way the text was placed: written whole (the
    /// fast path) and written grapheme by grapheme (each one alone takes the general path
    /// when it is not ASCII), clipped at every width.
    func testWritingMatchesTheGraphemeWalk() {
        let texts = ["Zoë Müller · AC-05 → done", "██▓▒░ 3/12", "— “quoted” …", "╭─╮│╰─╯ ▲▼◆○●"]
        for text in texts {
            for limit in 0...30 {
                var fast = ScreenBuffer(width: 32, height: 1)
                let written = fast.write(text, x: 1, y: 0, maxWidth: limit)
                var walked = ScreenBuffer(width: 32, height: 1)
                var column = 1
                for grapheme in text {
                    let w = TextWidth.of(grapheme)
                    guard column + w <= 1 + min(limit, 31) else { break }
                    walked[column, 0] = Cell(String(grapheme))
                    column += w
                }
                XCTAssertEqual(fast, walked, "\(text) at \(limit)")
                XCTAssertEqual(written, column - 1, "\(text) at \(limit)")
            }
        }
    }
}
