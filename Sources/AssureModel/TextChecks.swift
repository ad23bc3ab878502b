/// Signs that text was decoded with the wrong encoding somewhere on its way in: UTF-8 read as
/// Latin-1 or Windows-1252 ("Ã©" for "é", "â€™" for "’"), or a replacement character where
/// a byte could not be decoded at all. Used by `assure lint`.
public enum TextChecks {
    /// The first suspicious sequence in `text`, or nil.
    public static func mojibake(in text: String) -> String? {
        if text.unicodeScalars.contains("\u{FFFD}") { return "\u{FFFD}" }
        let scalars = Array(text.unicodeScalars)
        for index in scalars.indices.dropLast() {
            let first = scalars[index].value
            let second = scalars[index + 1].value
            // UTF-8 lead bytes (C2-C3 read as Â/Ã, E2 read as â) followed by a continuation
            // byte shown as Latin-1 (80-BF) or as the Windows-1252 characters of 80-9F.
            let continuation = (0x80...0xBF).contains(second) || windows1252High.contains(second)
            if (first == 0xC2 || first == 0xC3) && continuation { return String(scalars[index]) + String(scalars[index + 1]) }
            if first == 0xE2 && (second == 0x20AC || second == 0x0080) { return String(scalars[index]) + String(scalars[index + 1]) }
        }
        return nil
    }

    /// Characters Windows-1252 puts at 0x80-0x9F (€, ‚, ƒ, „, …, †, ‡, ˆ, ‰, Š, ‹, Œ, Ž, ‘, ’, “, ”, •, –, —, ˜, ™, š, ›, œ, ž, Ÿ).
    static let windows1252High: Set<UInt32> = [
        0x20AC, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017D,
        0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x017E, 0x0178,
    ]
}
