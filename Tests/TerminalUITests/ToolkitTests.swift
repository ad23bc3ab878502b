import XCTest

@testable import TerminalUI

final class TextWidthTests: XCTestCase {
    func testWidths() {
        XCTAssertEqual(TextWidth.of("abc"), 3)
        XCTAssertEqual(TextWidth.of("山田 太郎"), 9)
        XCTAssertEqual(TextWidth.of("🔑"), 2)
        XCTAssertEqual(TextWidth.of("e\u{301}"), 1, "combining accent takes no column")
        XCTAssertEqual(TextWidth.of("Zoë"), 3)
        XCTAssertEqual(TextWidth.of("✔\u{FE0F}"), 2, "emoji presentation selector makes it wide")
    }

    func testTruncateAndPad() {
        XCTAssertEqual(TextWidth.truncate("Quarterly access review", to: 10), "Quarterly…")
        XCTAssertEqual(TextWidth.truncate("山田太郎花子", to: 7), "山田太…")
        XCTAssertEqual(TextWidth.truncate("short", to: 10), "short")
        // ASCII takes a byte path; control bytes are zero-width there as in the grapheme rule.
        XCTAssertEqual(TextWidth.of("a\tb\r\nc"), 3)
        XCTAssertEqual(TextWidth.truncate("abc\r\ndefg", to: 5), "abc\r\nd…")
        XCTAssertEqual(TextWidth.truncate("ab\u{7}cdef", to: 4), "ab\u{7}c…")
        XCTAssertEqual(TextWidth.truncate("abcé", to: 3), "ab…", "one non-ASCII character takes the grapheme path")
        XCTAssertEqual(TextWidth.pad("日本", to: 6), "日本  ")
        XCTAssertEqual(TextWidth.pad("7", to: 3, alignRight: true), "  7")
    }

    func testScreenBufferClipsWideCharactersAtEdges() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        let written = buffer.write("ab日本", x: 1, y: 0, maxWidth: 4)
        XCTAssertEqual(written, 4)
        XCTAssertEqual(buffer.line(0), " ab日 ")
        XCTAssertTrue(buffer[4, 0].isContinuation)
        var edge = ScreenBuffer(width: 4, height: 1)
        edge.write("abc日", x: 0, y: 0)
        XCTAssertEqual(edge.line(0), "abc ", "a wide character that does not fit whole becomes a space")
        edge.write("zzzz", x: 0, y: 5)
        XCTAssertEqual(edge.text(), "abc", "writes outside the buffer are dropped")
    }

    /// Printable ASCII takes a shortcut (a byte is a one-column grapheme); a zero-width space
    /// appended sends the same text down the general path. Both must draw the same cells and
    /// count the same columns, wherever the text starts and however it is clipped.
    func testTheASCIIShortcutDrawsWhatTheGeneralPathDraws() {
        for text in ["", "a", "CC6.1 Logical access", "x y  z", "~!@#$%^&*()"] {
            for x in -4...9 {
                for maxWidth in [nil, 0, 1, 3, 7, 20] as [Int?] {
                    var fast = ScreenBuffer(width: 8, height: 1, fill: Cell("."))
                    var general = fast
                    let a = fast.write(text, x: x, y: 0, style: Style(foreground: .ansi(1)), maxWidth: maxWidth)
                    let b = general.write(text + "\u{200B}", x: x, y: 0, style: Style(foreground: .ansi(1)), maxWidth: maxWidth)
                    XCTAssertEqual(a, b, "\(text) at \(x), \(String(describing: maxWidth))")
                    XCTAssertEqual(fast, general, "\(text) at \(x), \(String(describing: maxWidth))")
                }
            }
        }
    }
}

final class TextFieldTests: XCTestCase {
    func testEditing() {
        var field = TextField(text: "")
        for c in "access revew" { field.handle(.char(c)) }
        field.handle(.left); field.handle(.left)
        field.handle(.char("i"))
        XCTAssertEqual(field.text, "access review")
        field.handle(.right); field.handle(.backspace)
        XCTAssertEqual(field.text, "access reviw")
        field.handle(.end)
        field.handle(.ctrl("w"))
        XCTAssertEqual(field.text, "access ")
        field.handle(.home); field.handle(.delete)
        XCTAssertEqual(field.text, "ccess ")
        XCTAssertEqual(field.caret, 0)
        field.handle(.end); field.handle(.ctrl("u"))
        XCTAssertEqual(field.text, "")
        XCTAssertFalse(field.handle(.enter))
        field.insert("日本\nx")
        XCTAssertEqual(field.text, "日本x")
        XCTAssertEqual(field.caret, 3)
    }
}

final class FuzzyTests: XCTestCase {
    func testMatchAndRanking() {
        XCTAssertNil(Fuzzy.match("xyz", in: "Quarterly access review"))
        XCTAssertEqual(Fuzzy.match("qar", in: "Quarterly access review")?.positions, [0, 2, 3])
        let ranked = Fuzzy.rank("acc", ["Logging and monitoring", "Quarterly access review", "Access keys rotated", "Backup checks"])
        XCTAssertEqual(ranked.map(\.index), [2, 1, 3], "prefix first, then a word start, then scattered")
        XCTAssertEqual(Fuzzy.rank("dk", ["Omar Haddad", "Dana Kim"]).map(\.index), [1])
        XCTAssertEqual(Fuzzy.match("acc", in: "Quarterly access review")?.positions, [10, 11, 12])
    }

    /// The filter's yes/no test agrees with whether `match` finds anything, ASCII or not.
    func testMatchesIsWhetherMatchFindsAnything() {
        let candidates = ["Quarterly access review", "SYN-00042", "Dana Kim", "", "Ünïcode Ärger", "山田太郎", "a b c"]
        let queries = ["", "syn", "SYN 42", "qar", "xyz", "dk", "är", "山太", "abc", "ccc", " "]
        for query in queries {
            for candidate in candidates {
                XCTAssertEqual(Fuzzy.matches(query, in: candidate), Fuzzy.match(query, in: candidate) != nil, "\(query) in \(candidate)")
            }
        }
        XCTAssertTrue(Fuzzy.matches("SYN 42", in: "syn-00042"))
        XCTAssertFalse(Fuzzy.matches("ccc", in: "a b c"))
    }
}

final class KeyNamesTests: XCTestCase {
    func testLabelsRoundTrip() {
        for key: Key in [.char("j"), .ctrl("p"), .function(1), .backTab, .enter, .escape, .char(" "), .pageDown] {
            XCTAssertEqual(KeyNames.parse(KeyNames.label(key)), key, KeyNames.label(key))
        }
        XCTAssertEqual(KeyNames.label(.ctrl("l")), "ctrl-l")
        XCTAssertEqual(KeyNames.parse("shift-tab"), .backTab)
    }
}

final class ColorTests: XCTestCase {
    func testDownsampling() {
        let red = Color.rgb(255, 0, 0)
        XCTAssertEqual(ColorProfile.reduce(red, to: .trueColor), red)
        XCTAssertEqual(ColorProfile.reduce(red, to: .palette256), .indexed(196))
        XCTAssertEqual(ColorProfile.reduce(.indexed(196), to: .ansi16), .ansi(9))
        XCTAssertEqual(ColorProfile.reduce(.indexed(196), to: .ansi8), .ansi(1))
        XCTAssertEqual(ColorProfile.reduce(.rgb(128, 128, 128), to: .palette256), .indexed(244))
        XCTAssertEqual(ColorProfile.reduce(.ansi(12), to: .monochrome), .default)
        XCTAssertEqual(ColorProfile.nearest256(0x5f, 0xaf, 0xff), 75)
    }
}

final class ThemeTests: XCTestCase {
    static var themesFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("themes")
    }

    func testResolutionAndFallback() throws {
        let theme = try ThemeLoader.load(
            yaml: """
                name: t
                palette: {accent: "#5fafff"}
                tokens:
                  text: {fg: white}
                  row.selected: {fg: black, bg: accent, attrs: [bold]}
                """, path: "t.yaml")
        XCTAssertEqual(theme.resolve("row.selected.unfocused"), Style(foreground: .ansi(0), background: .rgb(0x5f, 0xaf, 0xff), attributes: [.bold]))
        XCTAssertEqual(theme.resolve("some.unknown.token"), Style(foreground: .ansi(7)))
        XCTAssertEqual(theme.style("row.selected", depth: .palette256).background, .indexed(75))
    }

    func testMalformedThemesAreReportedByLine() {
        let cases: [(String, String)] = [
            ("name: x\ntokens:\n  text: {fg: chartreuse}\n", "bad.yaml:3:14: unknown colour 'chartreuse' in token 'text'"),
            (
                "name: x\ntokens:\n  text: {fg: red, attrs: [blink]}\n",
                "bad.yaml:3:26: unknown attribute 'blink' (bold, dim, underline, reverse, italic)"
            ),
            ("name: x\npalette:\n  a: \"#12345\"\n", "bad.yaml:3:6: unknown colour '#12345' for palette entry 'a'"),
            ("name: x\ncolours: {}\n", "bad.yaml:2:1: unknown field 'colours' (expected name, description, palette, tokens)"),
            ("name: [x\n", "bad.yaml:2:1: YAML syntax: while parsing a flow sequence did not find expected ',' or ']'"),
        ]
        for (yaml, message) in cases {
            XCTAssertThrowsError(try ThemeLoader.load(yaml: yaml, path: "bad.yaml")) { XCTAssertEqual("\($0)", message) }
        }
    }
}

final class HeadlessTerminalTests: XCTestCase {
    func testQueueAndFrames() {
        let terminal = HeadlessTerminal(width: 10, height: 2)
        terminal.type("ab")
        terminal.press(.enter)
        terminal.resize(width: 12, height: 3)
        XCTAssertEqual(terminal.nextEvent(timeoutMilliseconds: 0), .key(.char("a")))
        XCTAssertEqual(terminal.nextEvent(timeoutMilliseconds: 0), .key(.char("b")))
        XCTAssertEqual(terminal.nextEvent(timeoutMilliseconds: 0), .key(.enter))
        XCTAssertEqual(terminal.nextEvent(timeoutMilliseconds: 0), .resize(width: 12, height: 3))
        XCTAssertNil(terminal.nextEvent(timeoutMilliseconds: 0))
        var frame = ScreenBuffer(width: 12, height: 3)
        frame.write("hello", x: 0, y: 1)
        terminal.present(frame)
        XCTAssertEqual(terminal.screenText, "\nhello\n")
        XCTAssertEqual(terminal.frames, 1)
    }
}
