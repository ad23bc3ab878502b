import AssureModel
import Foundation
import GRDB

/// The optional `type2:` section of a workspace YAML: the SOC 2 Type II window, evidence with
/// its review, populations with samples and results, and the auditor's request list.
///
///     type2:
///       window: {start: 2026-01-01, length: 6m}
///       grace_days: 14
///       evidence:        # EV-1, EV-2, ... in this order
///         - {control: GV-04, files: [dir/a.md], effective: 2026-01-21, [for: FROM..TO,] source: "...", note: "...",
///            review: accepted, review_note: "...", reviewer: "Dana Kim"}
///         - {control: HC-14, files: [...], period: 2026-01-01..2026-03-31, review: rejected, review_note: "..."}
///       populations: [{name: new-hires, file: dir/hires.csv, control: AC-04, key: "Employee ID"}]
///       samples: [{population: new-hires, size: 8, seed: 2026, higher_risk: false,
///                  results: [{key: E-1, result: pass, evidence: EV-12, note: "..."}]}]
///       requests:
///         file: dir/requests.csv
///         map: {"Request ID": ref, "Request": text}
///         answers: [{request: PBC-01, evidence: [EV-1], state: accepted}]
///
/// Files are read relative to the YAML file's folder when the YAML is on disk, else from the
/// files built into the binary, by last path component (`assure demo`).
struct SampleType2 {
    struct FileRef { var name: String, line: Int }
    struct EvidenceEntry {
        var control: String, files: [FileRef], from: String, to: String, source: String, note: String
        /// The occurrence period it answers (`for:`), when its date alone would say another.
        var answers: (from: String, to: String)?
        var review: EvidenceReview, reviewNote: String, reviewer: String?, line: Int
    }
    struct PopulationEntry { var name: String, file: FileRef, control: String?, key: String?, line: Int }
    struct ResultEntry { var key: String, result: SampleResult, note: String, evidence: String?, line: Int }
    struct SampleEntry { var population: String, size: Int?, higherRisk: Bool, seed: UInt64, results: [ResultEntry], line: Int }
    struct Answer { var request: String, evidence: [String], state: AuditRequestState?, line: Int }
    struct Requests { var file: FileRef, mapping: [String: String], answers: [Answer], line: Int }

    var windowStart: String, windowLength: String, windowLine: Int
    var graceDays: Int?
    var evidence: [EvidenceEntry]
    var populations: [PopulationEntry]
    var samples: [SampleEntry]
    var requests: Requests?

    /// An item the loader accepts without a review note of its own gets this one.
    static let defaultAcceptNote = "Checked against the control's evidence description."

    static func parse(_ root: YAMLNode) throws -> SampleType2 {
        try root.checkKeys(["window", "grace_days", "evidence", "populations", "samples", "requests"])
        let window = try root.required("window")
        try window.checkKeys(["start", "length"])
        let startNode = try window.required("start")
        let lengthNode = try window.required("length")
        let start = try startNode.string()
        let length = try lengthNode.string()
        guard DueDate.parseDay(start) != nil else { throw startNode.error("'\(start)' is not a date (YYYY-MM-DD)") }
        guard Ledger.windowEnd(start: start, length: length) != nil else { throw lengthNode.error("length must be 1m to 12m, e.g. 6m") }
        let graceNode = try root.optional("grace_days")
        let grace = try graceNode?.int()
        if let grace, !(0...365).contains(grace) { throw graceNode!.error("grace_days must be 0 to 365") }

        let evidence = try (try root.optional("evidence")?.sequence() ?? []).map(parseEvidence)
        let populations = try (try root.optional("populations")?.sequence() ?? []).map { node -> PopulationEntry in
            try node.checkKeys(["name", "file", "control", "key"])
            return PopulationEntry(
                name: try node.required("name").nonEmptyString("name"), file: try fileRef(try node.required("file")),
                control: try node.optional("control")?.nonEmptyString("control"),
                key: try node.optional("key")?.nonEmptyString("key"), line: node.line)
        }
        let samples = try (try root.optional("samples")?.sequence() ?? []).map(parseSample)
        let requests = try root.optional("requests").map(parseRequests)
        return SampleType2(
            windowStart: start, windowLength: length, windowLine: window.line, graceDays: grace,
            evidence: evidence, populations: populations, samples: samples, requests: requests)
    }

    private static func fileRef(_ node: YAMLNode) throws -> FileRef { FileRef(name: try node.nonEmptyString("file"), line: node.line) }

    private static func day(_ node: YAMLNode) throws -> String {
        let text = try node.string().trimmingCharacters(in: .whitespaces)
        guard DueDate.parseDay(text) != nil else { throw node.error("'\(text)' is not a date (YYYY-MM-DD)") }
        return text
    }

    private static func choice<E: RawRepresentable & CaseIterable>(_ node: YAMLNode, _ what: String, _ type: E.Type) throws -> E
    where E.RawValue == String {
        let text = try node.string()
        guard let value = parseLoose(text, as: type) else {
            throw node.error("unknown \(what) '\(text)'; use \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    private static func parseEvidence(_ node: YAMLNode) throws -> EvidenceEntry {
        try node.checkKeys(["control", "files", "effective", "period", "for", "source", "note", "review", "review_note", "reviewer"])
        let filesNode = try node.required("files")
        let files = try filesNode.sequence().map(fileRef)
        guard !files.isEmpty else { throw filesNode.error("name at least one file") }
        let from: String
        let to: String
        switch (try node.optional("effective"), try node.optional("period")) {
        case (let effective?, nil):
            from = try day(effective); to = from
        case (nil, let period?):
            let parts = try period.string().components(separatedBy: "..")
            guard parts.count == 2, DueDate.parseDay(parts[0]) != nil, DueDate.parseDay(parts[1]) != nil, parts[0] <= parts[1] else {
                throw period.error("period must be FROM..TO, two dates (YYYY-MM-DD) in order")
            }
            (from, to) = (parts[0], parts[1])
        case (.some, .some):
            throw node.error("give either effective (a day) or period (FROM..TO), not both")
        case (nil, nil):
            throw node.error("evidence needs effective (the day it proves) or period (FROM..TO)")
        }
        let answers = try node.optional("for").map { forNode -> (from: String, to: String) in
            let parts = try forNode.string().components(separatedBy: "..")
            guard parts.count == 2, DueDate.parseDay(parts[0]) != nil, DueDate.parseDay(parts[1]) != nil, parts[0] <= parts[1] else {
                throw forNode.error("for must be FROM..TO, the occurrence period the item answers")
            }
            return (parts[0], parts[1])
        }
        let review = try node.optional("review").map { try choice($0, "review", EvidenceReview.self) } ?? .pending
        let reviewNote = try node.optional("review_note")?.string() ?? ""
        let reviewerNode = try node.optional("reviewer")
        if review == .rejected && reviewNote.trimmingCharacters(in: .whitespaces).isEmpty {
            throw node.error("rejected evidence needs a review_note saying why")
        }
        if review == .pending, let reviewerNode { throw reviewerNode.error("pending evidence has no reviewer yet") }
        return EvidenceEntry(
            control: try node.required("control").nonEmptyString("control"), files: files, from: from, to: to,
            source: try node.optional("source")?.string() ?? "", note: try node.optional("note")?.string() ?? "", answers: answers,
            review: review, reviewNote: reviewNote, reviewer: try reviewerNode?.nonEmptyString("reviewer"), line: node.line)
    }

    private static func parseSample(_ node: YAMLNode) throws -> SampleEntry {
        try node.checkKeys(["population", "size", "seed", "higher_risk", "results"])
        let sizeNode = try node.optional("size")
        let size = try sizeNode?.int()
        if let size, size < 1 { throw sizeNode!.error("size must be at least 1") }
        let seedNode = try node.optional("seed")
        let seed =
            try seedNode.map { n -> UInt64 in
                guard let value = UInt64(try n.string()) else { throw n.error("seed must be a whole number from 0") }
                return value
            } ?? 1
        let riskNode = try node.optional("higher_risk")
        let higherRisk =
            try riskNode.map { n -> Bool in
                switch try n.string().lowercased() {
                case "true", "yes": return true
                case "false", "no": return false
                default: throw n.error("higher_risk must be true or false")
                }
            } ?? false
        let results = try (try node.optional("results")?.sequence() ?? []).map { item -> ResultEntry in
            try item.checkKeys(["key", "result", "note", "evidence"])
            let result = try choice(try item.required("result"), "result", SampleResult.self)
            let note = try item.optional("note")?.string() ?? ""
            if result == .exception && note.trimmingCharacters(in: .whitespaces).isEmpty {
                throw item.error("an exception needs a note saying what was wrong")
            }
            return ResultEntry(
                key: try item.required("key").nonEmptyString("key"), result: result, note: note,
                evidence: try item.optional("evidence")?.nonEmptyString("evidence"), line: item.line)
        }
        return SampleEntry(
            population: try node.required("population").nonEmptyString("population"), size: size,
            higherRisk: higherRisk, seed: seed, results: results, line: node.line)
    }

    private static func parseRequests(_ node: YAMLNode) throws -> Requests {
        try node.checkKeys(["file", "map", "answers"])
        var mapping: [String: String] = [:]
        if let mapNode = try node.optional("map") {
            guard let pairs = mapNode.node.mapping else { throw mapNode.error("map must be a mapping of \"Their header\": field") }
            for (key, value) in pairs {
                let header = try mapNode.child(key).nonEmptyString("header")
                let valueNode = mapNode.child(value)
                let field = try valueNode.string()
                guard WorkspaceWriter.requestFields.contains(field) else {
                    throw valueNode.error("unknown request field '\(field)'; fields: \(WorkspaceWriter.requestFields.joined(separator: ", "))")
                }
                mapping[header] = field
            }
        }
        let answers = try (try node.optional("answers")?.sequence() ?? []).map { item -> Answer in
            try item.checkKeys(["request", "evidence", "state"])
            return Answer(
                request: try item.required("request").nonEmptyString("request"),
                evidence: try item.optional("evidence")?.stringList() ?? [],
                state: try item.optional("state").map { try choice($0, "state", AuditRequestState.self) }, line: item.line)
        }
        return Requests(file: try fileRef(try node.required("file")), mapping: mapping, answers: answers, line: node.line)
    }
}

/// Where a sample's files come from: next to the YAML file when it was read from disk, else the
/// copies built into the binary (found by last path component).
struct SampleFiles {
    let yamlPath: String
    private var folder: URL? {
        guard !yamlPath.hasPrefix("built-in:"), FileManager.default.fileExists(atPath: yamlPath) else { return nil }
        return URL(fileURLWithPath: yamlPath).deletingLastPathComponent()
    }
    private var scratch: URL?

    init(yamlPath: String) { self.yamlPath = yamlPath }

    /// A file's text and the path that names it in messages.
    func text(_ file: SampleType2.FileRef) throws -> (text: String, path: String) {
        if let folder {
            let url = folder.appendingPathComponent(file.name)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { throw missing(file, where: url.path) }
            return (text, (yamlPathFolder as NSString).appendingPathComponent(file.name))
        }
        let name = URL(fileURLWithPath: file.name).lastPathComponent
        guard let text = EmbeddedFiles.byName[name] else { throw missing(file, where: "the files built into assure") }
        return (text, "built-in:" + name)
    }

    /// A path on disk holding the file: the file itself, or a copy of the built-in one in a
    /// scratch folder (removed by `cleanUp`).
    mutating func path(_ file: SampleType2.FileRef) throws -> String {
        if let folder {
            let url = folder.appendingPathComponent(file.name)
            guard FileManager.default.isReadableFile(atPath: url.path) else { throw missing(file, where: url.path) }
            return url.path
        }
        let name = URL(fileURLWithPath: file.name).lastPathComponent
        guard let text = EmbeddedFiles.byName[name] else { throw missing(file, where: "the files built into assure") }
        if scratch == nil {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("assure-sample-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            scratch = url
        }
        let url = scratch!.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func cleanUp() {
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    private var yamlPathFolder: String { (yamlPath as NSString).deletingLastPathComponent }

    private func missing(_ file: SampleType2.FileRef, where place: String) -> WorkspaceError {
        .badFile(path: yamlPath, line: file.line, column: 1, message: "file '\(file.name)' not found (looked in \(place))")
    }
}

extension SampleWorkspace {
    /// Applies the `type2:` section inside the sample's one transaction. Evidence is added in
    /// the YAML's order (EV-1, EV-2, ...), so samples and answers can name it.
    func applyType2(_ t: SampleType2, _ w: WorkspaceWriter) throws {
        let db = w.db
        var files = SampleFiles(yamlPath: path)
        defer { files.cleanUp() }
        try at(t.windowLine) {
            try w.setAuditTarget(AuditTarget(reportType: .type2, windowStart: t.windowStart, window: t.windowLength), framework: Framework.soc2ID)
            if let grace = t.graceDays { try w.setEvidenceSettings(graceDays: grace, independentReview: nil) }
        }
        for item in t.evidence {
            let paths = try item.files.map { try files.path($0) }
            try at(item.line) {
                let ref = try w.addEvidence(
                    EvidenceDraft(
                        control: item.control, files: paths, provedFrom: item.from, provedTo: item.to,
                        source: item.source, note: item.note, answers: item.answers))
                guard item.review != .pending else { return }
                let note = item.reviewNote.trimmingCharacters(in: .whitespaces).isEmpty ? SampleType2.defaultAcceptNote : item.reviewNote
                try w.reviewEvidence(ref, accept: item.review == .accepted, note: note)
                // The review is recorded (and logged) by whoever loads the sample; the item names
                // the reviewer the sample says, as a gap names who remediated it.
                if let reviewer = item.reviewer {
                    let owner = try Lookup.owner(db, reviewer)
                    try db.execute(sql: "UPDATE evidence SET reviewed_by = ? WHERE ref = ?", arguments: [owner.name, ref])
                }
            }
        }
        for population in t.populations {
            let (text, csvPath) = try files.text(population.file)
            try at(population.line) {
                _ = try w.addPopulation(name: population.name, csv: text, path: csvPath, control: population.control, key: population.key)
            }
        }
        for sample in t.samples {
            var ref = ""
            try at(sample.line) {
                ref = try w.recordSample(population: sample.population, size: sample.size, higherRisk: sample.higherRisk, seed: sample.seed).ref
            }
            for result in sample.results {
                try at(result.line) {
                    try w.recordSampleResult(sample: ref, key: result.key, result: result.result, note: result.note, evidence: result.evidence)
                }
            }
        }
        if let requests = t.requests {
            let (text, csvPath) = try files.text(requests.file)
            try at(requests.line) { _ = try w.importAuditRequests(text, path: csvPath, mapping: requests.mapping) }
            for answer in requests.answers {
                try at(answer.line) {
                    if !answer.evidence.isEmpty { try w.answerRequest(answer.request, evidence: answer.evidence) }
                    if let state = answer.state { try w.setRequestState(answer.request, state) }
                }
            }
        }
    }
}
