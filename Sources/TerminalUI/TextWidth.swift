/// Display width of text in terminal columns, by grapheme cluster. Pure Swift so tests and the
/// headless terminal agree with the real one; the table follows Unicode East Asian Width (W/F)
/// and emoji presentation.
public enum TextWidth {
    public static func of(_ text: String) -> Int {
        if let ascii = asciiWidth(text) { return ascii }
        if let simple = standaloneWidth(text) { return simple }
        var total = 0
        for grapheme in text { total += of(grapheme) }
        return total
    }

    /// The width of text that is all ASCII, or nil: one column per printable byte, none for a
    /// control byte (as the grapheme rule gives, "\r\n" included), without walking grapheme
    /// clusters. Most of what a frame draws is ASCII, and every row measures its text.
    static func asciiWidth(_ text: String) -> Int? {
        var width = 0
        for byte in text.utf8 {
            if byte >= 0x80 { return nil }
            width += asciiWidth(byte)
        }
        return width
    }

    /// One ASCII byte's columns: 1 when printable, 0 for a control byte.
    static func asciiWidth(_ byte: UInt8) -> Int { byte >= 0x20 && byte != 0x7F ? 1 : 0 }

    /// Whether a scalar is always a grapheme cluster of its own, whatever is next to it, when
    /// the text holds only such scalars: printable ASCII and Latin letters (below the combining
    /// marks at U+0300), dashes, quotes and bullets (U+2010-2027, U+2030-205E), arrows, box
    /// drawing, blocks and geometric shapes (U+2190-21FF, U+2500-25FF). None of them extends,
    /// joins or prefixes another under Unicode's grapheme rules (no CR, no ZWJ, no marks, no
    /// Hangul, no regional indicators, no variation selectors). The workbench's rules, bars,
    /// dots and ellipses are all here, so its text rarely needs the grapheme walk.
    @inline(__always) static func standsAlone(_ v: UInt32) -> Bool {
        (v >= 0x20 && v < 0x7F) || (v >= 0xA0 && v < 0x300) || (v >= 0x2010 && v <= 0x2027) || (v >= 0x2030 && v <= 0x205E)
            || (v >= 0x2190 && v <= 0x21FF) || (v >= 0x2500 && v <= 0x25FF)
    }

    /// The width of text made only of scalars that stand alone, or nil: each scalar is then
    /// one grapheme and its width is the scalar's.
    static func standaloneWidth(_ text: String) -> Int? {
        var width = 0
        for scalar in text.unicodeScalars {
            guard standsAlone(scalar.value) else { return nil }
            width += scalarWidth(scalar.value)
        }
        return width
    }

    public static func of(_ grapheme: Character) -> Int {
        let scalars = grapheme.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x20 || (first.value >= 0x7F && first.value < 0xA0) { return 0 }
        // An emoji-presentation selector or keycap makes a narrow symbol wide.
        if scalars.contains(where: { $0.value == 0xFE0F }) && first.value >= 0x2000 { return 2 }
        return scalarWidth(first.value)
    }

    static func scalarWidth(_ v: UInt32) -> Int {
        if isZeroWidth(v) { return 0 }
        return isWide(v) ? 2 : 1
    }

    static func isZeroWidth(_ v: UInt32) -> Bool {
        (0x0300...0x036F).contains(v) || (0x1AB0...0x1AFF).contains(v)
            || (0x1DC0...0x1DFF).contains(v) || (0x200B...0x200F).contains(v)
            || (0x20D0...0x20FF).contains(v) || (0xFE00...0xFE0F).contains(v)
            || (0xFE20...0xFE2F).contains(v) || v == 0x2060 || v == 0xFEFF
    }

    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0,
        0x23F3...0x23F3, 0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F,
        0x2693...0x2693, 0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
        0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5,
        0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728,
        0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
        0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18AFF,
        0x1B000...0x1B2FF, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E,
        0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F320, 0x1F32D...0x1F335,
        0x1F337...0x1F37C, 0x1F37E...0x1F393, 0x1F3A0...0x1F3CA, 0x1F3CF...0x1F3D3,
        0x1F3E0...0x1F3F0, 0x1F3F4...0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440...0x1F440,
        0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567,
        0x1F57A...0x1F57A, 0x1F595...0x1F596, 0x1F5A4...0x1F5A4, 0x1F5FB...0x1F64F,
        0x1F680...0x1F6C5, 0x1F6CC...0x1F6CC, 0x1F6D0...0x1F6D2, 0x1F6D5...0x1F6D7,
        0x1F6DC...0x1F6DF, 0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB,
        0x1F7F0...0x1F7F0, 0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF,
        0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    static func isWide(_ v: UInt32) -> Bool {
        if v < 0x1100 { return false }
        var low = 0
        var high = wideRanges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let range = wideRanges[mid]
            if v < range.lowerBound { high = mid - 1 } else if v > range.upperBound { low = mid + 1 } else { return true }
        }
        return false
    }

    /// Cuts `text` to at most `width` columns, ending with "…" when something was cut.
    public static func truncate(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if of(text) <= width { return text }
        let room = width - of(ellipsis)
        guard room >= 0 else { return String(repeating: ".", count: width) }
        if asciiWidth(text) != nil {
            // One byte is one grapheme's worth of columns (0 or 1): cut at the byte.
            var used = 0
            var end = text.utf8.startIndex
            for index in text.utf8.indices {
                let w = asciiWidth(text.utf8[index])
                if used + w > room { break }
                used += w
                end = text.utf8.index(after: index)
            }
            return String(text[..<end]) + ellipsis
        }
        var result = ""
        var used = 0
        for grapheme in text {
            let w = of(grapheme)
            if used + w > room { break }
            result.append(grapheme); used += w
        }
        return result + ellipsis
    }

    /// Pads with spaces (or cuts) to exactly `width` columns.
    public static func pad(_ text: String, to width: Int, alignRight: Bool = false) -> String {
        let cut = truncate(text, to: width)
        let fill = String(repeating: " ", count: max(0, width - of(cut)))
        return alignRight ? fill + cut : cut + fill
    }
}
