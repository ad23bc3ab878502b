import Foundation
import XCTest

/// Text snapshots: compared with `__Snapshots__/NAME.txt` beside the test file. A missing
/// golden (or RECORD_SNAPSHOTS=1) is written and the test fails, so a recording is never a pass.
public func assertGolden(_ actual: String, named name: String, file: StaticString = #filePath, line: UInt = #line) {
    let folder = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("__Snapshots__")
    let url = folder.appendingPathComponent("\(name).txt")
    let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
    if record || !FileManager.default.fileExists(atPath: url.path) {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? (actual + "\n").write(to: url, atomically: true, encoding: .utf8)
        XCTFail("recorded golden \(name).txt; check it and run again", file: file, line: line)
        return
    }
    let expected = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    if expected != actual + "\n" {
        let a = (actual + "\n").components(separatedBy: "\n")
        let e = expected.components(separatedBy: "\n")
        let firstDiff = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
        XCTFail(
            """
            \(name) differs from its golden at line \(firstDiff + 1):
              expected: \(firstDiff < e.count ? e[firstDiff] : "<end>")
              actual:   \(firstDiff < a.count ? a[firstDiff] : "<end>")
            (RECORD_SNAPSHOTS=1 re-records)
            """, file: file, line: line)
    }
}
