import AssureStore
import Foundation

/// Times the OSCAL importer on the synthetic SP 800-53-shaped catalog: reading the catalog into
/// requirements (`oscal_import_ms`) and resolving the MODERATE-like profile against it
/// (`oscal_resolve_ms`), medians in ms; `oscal_peak_mib` is how far one catalog import raises
/// the process's resident memory above where it was (Linux: freed memory is returned and the
/// peak reset first through /proc/self/clear_refs; elsewhere the process's lifetime peak, an
/// upper bound). `oscal_export_ms` writes the system security plan for that catalog imported
/// into a workspace of 500 controls, each mapped to three of its controls.
func oscalBench(iterations: Int, folder: String, actor: Actor) -> [String: Double] {
    let catalog = OSCALSynthetic.catalog()
    let profile = OSCALSynthetic.profile(.moderate, catalogHref: "catalog.json")
    let load: (String) throws -> Data? = { $0.hasSuffix("catalog.json") ? catalog : nil }
    func median(_ body: () -> Void) -> Double {
        var samples: [Double] = []
        for _ in 0..<max(1, iterations) { samples.append(Stopwatch.time(body)) }
        return samples.sorted()[samples.count / 2]
    }
    // Whole processes, each measured from a small copy of this benchmark (`runMeasuredAlone`).
    let process = oscalProcessBench(catalog: catalog, profile: profile, folder: folder, iterations: iterations)
    let before = Memory.resetPeak()
    var requirements = 0
    requirements = (try? OSCALImporter.catalog(json: catalog, path: "catalog.json", id: "sp800-53").requirements.count) ?? 0
    let peak = max(0, Memory.peak() - before)
    let importMS = median { requirements = try! OSCALImporter.catalog(json: catalog, path: "catalog.json", id: "sp800-53").requirements.count }
    var selected = 0
    let resolveMS = median {
        selected = try! OSCALImporter.catalog(json: profile, path: "moderate.json", id: "moderate", loadImport: load).requirements.count
    }
    let exportMS = oscalExportBench(catalog: catalog, folder: folder, actor: actor, median: median)
    print(
        String(
            format:
                "OSCAL: import %.1f ms (%d requirements, %.1f MiB JSON), resolve MODERATE %.1f ms (%d requirements), +%.1f MiB peak; export SSP %.1f ms",
            importMS, requirements, Double(catalog.count) / 1_048_576, resolveMS, selected, peak, exportMS))
    print(
        String(
            format: "OSCAL as whole processes (as compliance-trestle is timed): assure import oscal catalog %.0f ms, %.1f MiB peak; "
                + "profile resolved and imported %.0f ms, %.1f MiB peak", process.importMS, process.importMiB, process.resolveMS, process.resolveMiB))
    return [
        "oscal_import_ms": importMS, "oscal_resolve_ms": resolveMS, "oscal_peak_mib": peak, "oscal_export_ms": exportMS,
        "oscal_import_process_ms": process.importMS, "oscal_import_process_mib": process.importMiB,
        "oscal_resolve_process_ms": process.resolveMS, "oscal_resolve_process_mib": process.resolveMiB,
    ]
}

/// `assure import oscal` of the catalog, then of the MODERATE-like profile, each as a whole
/// process into a new workspace: medians of time and of the process's own peak memory.
private func oscalProcessBench(catalog: Data, profile: Data, folder: String, iterations: Int)
    -> (importMS: Double, importMiB: Double, resolveMS: Double, resolveMiB: Double)
{
    try? catalog.write(to: URL(fileURLWithPath: folder + "/catalog.json"))
    try? profile.write(to: URL(fileURLWithPath: folder + "/moderate.json"))
    var imports: [(Double, Double)] = []
    var resolves: [(Double, Double)] = []
    for i in 0..<max(1, iterations) {
        let workspace = folder + "/oscal-process-\(i).assure"
        ProcessBench.run(ProcessBench.assure, ["init", workspace, "--company", "Bench", "--library", "none"])
        let first = ProcessBench.runMeasuredAlone(
            ProcessBench.assure, ["import", "oscal", folder + "/catalog.json", "--id", "sp800-53", "-w", workspace])
        let second = ProcessBench.runMeasuredAlone(
            ProcessBench.assure, ["import", "oscal", folder + "/moderate.json", "--id", "moderate", "-w", workspace])
        let importMS = first.ms
        let resolveMS = second.ms
        guard first.status == 0, second.status == 0 else { return (-1, -1, -1, -1) }
        imports.append((importMS, first.peakMiB)); resolves.append((resolveMS, second.peakMiB))
    }
    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    return (median(imports.map(\.0)), median(imports.map(\.1)), median(resolves.map(\.0)), median(resolves.map(\.1)))
}

/// The median time to write the system security plan (every requirement of the imported
/// catalog, with its controls, owners and readiness) on a workspace mapped to that catalog.
private func oscalExportBench(catalog: Data, folder: String, actor: Actor, median: (() -> Void) -> Double) -> Double {
    let path = folder + "/oscal.assure"
    let workspace = try! Workspace.synthetic(path: path, controls: 500, owners: 20, gaps: 100, logRows: 100)
    try! workspace.write(actor) { w in
        try w.importOSCAL(json: catalog, path: "catalog.json", id: "sp800-53")
        let controls = try w.reader.controls().map(\.ref)
        let targets = try w.reader.requirementSummaries(framework: "sp800-53").filter(\.isAssessable).map(\.requirement.ref)
        for (i, control) in controls.enumerated() {
            for k in 0..<3 { try w.map(control: control, to: targets[(i * 7 + k * 131) % targets.count], framework: "sp800-53") }
        }
    }
    var bytes = 0
    let ms = median { bytes = try! workspace.read { try $0.oscalSystemSecurityPlan(framework: "sp800-53") }.json.utf8.count }
    precondition(bytes > 0)
    return ms
}

enum Memory {
    /// Resets the peak (Linux) and returns the resident size now, in MiB.
    static func resetPeak() -> Double {
        #if os(Linux)
            _ = glibcMallocTrim(0)  // hand freed memory back first, or the import reuses it unseen
            if let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") {
                handle.write(Data("5".utf8))
                try? handle.close()
            }
            return status("VmRSS") ?? lifetimePeak()
        #else
            return 0
        #endif
    }

    /// The peak resident size since the reset, in MiB.
    static func peak() -> Double {
        #if os(Linux)
            return status("VmHWM") ?? lifetimePeak()
        #else
            return lifetimePeak()
        #endif
    }

    static func status(_ field: String) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let kib = line.split(separator: " ").compactMap { Double($0) }.first
            return kib.map { $0 / 1024 }
        }
        return nil
    }

    static func lifetimePeak() -> Double {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_maxrss) / 1024
        #else
            getrusage(RUSAGE_SELF, &usage)
            return Double(usage.ru_maxrss) / 1_048_576
        #endif
    }
}

#if os(Linux)
    @_silgen_name("malloc_trim")
    private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
