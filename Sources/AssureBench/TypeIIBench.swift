import AssureModel
import AssureStore
import Foundation

/// The Type II work at scale. `ledger_ms`: the ledger of every control of a 5,000-control
/// workspace holding 100,000 accepted evidence items over a 3-month window (the occurrence
/// count is printed). `package_ms`: the evidence package of 1,000 distinct 64 KiB files, against
/// `package_disk_ms`, streaming the same files out of the workspace into one plain file (the disk
/// and SQLite cost without the ZIP); `package_peak_mib`: how far building it raises resident
/// memory (flat in the number of files when files are streamed).
func typeIIBench(iterations: Int, folder: String, actor: Actor, today: String) -> [String: Double] {
    func median(_ runs: Int, _ body: () -> Void) -> Double {
        var samples: [Double] = []
        for _ in 0..<max(1, runs) { samples.append(Stopwatch.time(body)) }
        return samples.sorted()[samples.count / 2]
    }
    let large = try! Workspace.synthetic(path: folder + "/typeii.assure", controls: 5_000, owners: 200, gaps: 100, logRows: 1_000)
    try! large.addSyntheticEvidence(items: 100_000, files: 100, fileSize: 256, windowStart: "2026-01-01", window: "3m", by: actor)
    var occurrences = 0
    let ledgerMS = median(iterations) { occurrences = try! large.read { try $0.ledger(today: today) }.occurrences.count }

    let small = try! Workspace.synthetic(path: folder + "/package.assure", controls: 200, owners: 10, gaps: 10, logRows: 100)
    try! small.addSyntheticEvidence(items: 1_000, files: 1_000, fileSize: 65_536, windowStart: "2026-01-01", window: "3m", by: actor)
    let zip = URL(fileURLWithPath: folder + "/package.zip")
    let before = Memory.resetPeak()
    var summary: PackageSummary?
    let packageMS = median(max(1, iterations / 2)) {
        try? FileManager.default.removeItem(at: zip)
        summary = try! small.read { r in try EvidencePackage.write(try r.evidencePackageContents(window: nil, framework: nil, today: today), to: zip)
        }
    }
    let peak = max(0, Memory.peak() - before)
    let plain = folder + "/plain.bin"
    let diskMS = median(max(1, iterations / 2)) {
        FileManager.default.createFile(atPath: plain, contents: nil)
        let handle = FileHandle(forWritingAtPath: plain)!
        try! small.read { r in
            for item in try r.evidence(today: today) { _ = try r.readEvidenceFile(item.ref) { try handle.write(contentsOf: $0) } }
        }
        try! handle.close()
    }
    print(
        String(
            format: "Type II: ledger of 5,000 controls, 100,000 items, %d occurrences: %.1f ms; package of %d files (%.0f MiB): %.0f ms, "
                + "the same bytes to a plain file %.0f ms (%.1fx), +%.1f MiB peak",
            occurrences, ledgerMS, summary?.files ?? 0, Double(summary?.bytes ?? 0) / 1_048_576, packageMS, diskMS, packageMS / max(diskMS, 0.001),
            peak))
    return [
        "ledger_ms": ledgerMS, "ledger_occurrences": Double(occurrences), "package_ms": packageMS, "package_disk_ms": diskMS,
        "package_peak_mib": peak,
    ]
}
