import GRDB

/// `IN (?, ?, …)` lists in a few lengths only, so the statements that read a window of rows
/// (a page of controls or gaps for the workbench) stay prepared on their connection: preparing
/// a join on every page was most of reading one, and a statement kept for every length asked
/// would grow without bound in a long session.
enum InList {
    /// The placeholders for `values`, their count rounded up to a power of two, and the values
    /// padded to it by repeating the last one (a repeated value changes nothing an `IN` selects).
    static func padded<Value: DatabaseValueConvertible>(_ values: [Value]) -> (marks: String, values: [Value]) {
        guard let last = values.last else { return ("NULL", []) }
        var length = 1
        while length < values.count { length *= 2 }
        let padded = values + Array(repeating: last, count: length - values.count)
        return (Array(repeating: "?", count: length).joined(separator: ","), padded)
    }
}
