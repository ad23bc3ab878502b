import Foundation

/// How much our own controls rest on a vendor. It sets how often the vendor is reviewed and
/// how loudly a missing report is raised.
public enum VendorCriticality: String, CaseIterable, Sendable, Codable, Comparable {
    case low, medium, high, critical

    /// Calendar months between vendor reviews: a vendor whose failure would stop the service is
    /// looked at twice a year, one that holds nothing that matters every three years.
    public var reviewMonths: Int {
        switch self {
        case .critical: return 6
        case .high: return 12
        case .medium: return 24
        case .low: return 36
        }
    }

    public static func < (a: VendorCriticality, b: VendorCriticality) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// "critical 6, high 12, medium 24, low 36 months", for help texts.
    public static var cadenceLegend: String {
        allCases.reversed().map { "\($0.rawValue) \($0.reviewMonths)" }.joined(separator: ", ") + " months"
    }
}

/// The most sensitive data a vendor holds for us. Personal data calls for a DPA (GDPR), health
/// information for a BAA (HIPAA) as well.
public enum VendorData: String, CaseIterable, Sendable, Codable {
    case none, `internal`, confidential, personal, phi

    /// Data about people: what a data processing agreement has to cover.
    public var isPersonal: Bool { self == .personal || self == .phi }
}

/// A SOC 2 report's type: a Type 1 describes the controls as of one day, a Type 2 tests that
/// they operated through a period. Only a Type 2 covers days of our window.
public enum VendorReportType: String, CaseIterable, Sendable, Codable {
    case type1 = "1"
    case type2 = "2"
    public var label: String { self == .type1 ? "Type 1" : "Type 2" }
}

/// The service auditor's opinion. Anything but unqualified means the auditor could not say,
/// without reservation, that the controls were suitably designed (and operated).
public enum VendorOpinion: String, CaseIterable, Sendable, Codable {
    case unqualified, qualified, adverse, disclaimer
}

public enum VendorAgreementKind: String, CaseIterable, Sendable, Codable {
    case dpa, baa, msa, nda
    public var label: String { rawValue.uppercased() }
}

/// One SOC 2 report a vendor gave us, numbered per vendor in the order it was recorded.
public struct VendorReport: Equatable, Sendable {
    public var number: Int
    public var type: VendorReportType
    /// For a Type 1 report both are its "as of" day.
    public var periodFrom: String
    public var periodTo: String
    public var opinion: VendorOpinion
    public var exceptions: Int
    /// Subservice organisations the report carves out (their controls are not tested in it).
    public var carveOuts: [String]
    /// The last day a bridge letter vouches for, after the report's period ended.
    public var bridgeUntil: String?
    public var fileName: String?
    public var sha256: String?
    public var reviewedBy: String?
    public var reviewedOn: String?
    public var reviewNote: String

    public init(
        number: Int, type: VendorReportType, periodFrom: String, periodTo: String, opinion: VendorOpinion = .unqualified,
        exceptions: Int = 0, carveOuts: [String] = [], bridgeUntil: String? = nil, fileName: String? = nil, sha256: String? = nil,
        reviewedBy: String? = nil, reviewedOn: String? = nil, reviewNote: String = ""
    ) {
        self.number = number; self.type = type; self.periodFrom = periodFrom; self.periodTo = periodTo; self.opinion = opinion
        self.exceptions = exceptions; self.carveOuts = carveOuts; self.bridgeUntil = bridgeUntil; self.fileName = fileName
        self.sha256 = sha256; self.reviewedBy = reviewedBy; self.reviewedOn = reviewedOn; self.reviewNote = reviewNote
    }

    /// A modified opinion or noted exceptions: someone has to read them and judge what they mean for us.
    public var needsReview: Bool { opinion != .unqualified || exceptions > 0 }
    public var reviewed: Bool { reviewedOn != nil }

    /// `as of 2026-02-01` or `2026-01-01..2026-12-31`.
    public var periodText: String { type == .type1 ? "as of \(periodTo)" : "\(periodFrom)..\(periodTo)" }

    /// `qualified opinion, 2 exceptions`; `unqualified, no exceptions`.
    public var findingsText: String {
        var parts: [String] = []
        if opinion != .unqualified { parts.append("\(opinion.rawValue) opinion") }
        if exceptions > 0 { parts.append("\(exceptions) exception\(exceptions == 1 ? "" : "s")") }
        return parts.isEmpty ? "unqualified, no exceptions" : parts.joined(separator: ", ")
    }
}

/// A complementary user entity control: something the vendor's report expects us to do.
public struct VendorCUEC: Equatable, Sendable {
    public var number: Int
    public var text: String
    /// Our control that answers it, by reference.
    public var control: String?
    public init(number: Int, text: String, control: String? = nil) { self.number = number; self.text = text; self.control = control }
}

public struct VendorAgreement: Equatable, Sendable {
    public var kind: VendorAgreementKind
    public var signedOn: String
    public var expiresOn: String?
    public var fileName: String?
    public var sha256: String?
    public init(kind: VendorAgreementKind, signedOn: String, expiresOn: String? = nil, fileName: String? = nil, sha256: String? = nil) {
        self.kind = kind; self.signedOn = signedOn; self.expiresOn = expiresOn; self.fileName = fileName; self.sha256 = sha256
    }

    /// In force on `today`: signed by then and not expired (the expiry day itself still counts).
    public func isCurrent(today: String) -> Bool {
        signedOn <= today && (expiresOn.map { $0 >= today } ?? true)
    }

    /// `DPA signed 2026-01-05, expires 2027-01-04`.
    public var text: String {
        "\(kind.label) signed \(signedOn)" + (expiresOn.map { ", expires \($0)" } ?? "")
    }
}

/// A vendor as stored, with its reports, CUECs and agreements.
public struct Vendor: Equatable, Sendable {
    public var ref: String
    public var name: String
    public var criticality: VendorCriticality
    public var data: VendorData
    public var service: String
    public var subprocessor: Bool
    public var owner: String?
    public var reviewedOn: String?
    /// `active` or `retired`; a retired vendor raises no findings.
    public var status: String
    /// The day it was recorded: its first review falls due a cadence after it.
    public var createdOn: String
    public var reports: [VendorReport]
    public var cuecs: [VendorCUEC]
    public var agreements: [VendorAgreement]

    public init(
        ref: String, name: String, criticality: VendorCriticality = .medium, data: VendorData = .none, service: String = "",
        subprocessor: Bool = false, owner: String? = nil, reviewedOn: String? = nil, status: String = "active", createdOn: String,
        reports: [VendorReport] = [], cuecs: [VendorCUEC] = [], agreements: [VendorAgreement] = []
    ) {
        self.ref = ref; self.name = name; self.criticality = criticality; self.data = data; self.service = service
        self.subprocessor = subprocessor; self.owner = owner; self.reviewedOn = reviewedOn; self.status = status; self.createdOn = createdOn
        self.reports = reports; self.cuecs = cuecs; self.agreements = agreements
    }

    public var isActive: Bool { status == "active" }

    /// A cadence (by criticality) after the last review, or after it was recorded.
    public var nextReview: String? {
        CivilDay(reviewedOn ?? createdOn).map { $0.addingMonths(criticality.reviewMonths).text }
    }

    /// The newest agreement of a kind in force on `today`.
    public func currentAgreement(_ kind: VendorAgreementKind, today: String) -> VendorAgreement? {
        agreements.filter { $0.kind == kind && $0.isCurrent(today: today) }.max { $0.signedOn < $1.signedOn }
    }
}

/// A span of days, both ends inclusive.
public struct DayRange: Equatable, Sendable, CustomStringConvertible {
    public var from: String
    public var to: String
    public init(from: String, to: String) { self.from = from; self.to = to }
    /// How many days it holds (0 when a day does not parse or it runs backwards).
    public var days: Int {
        guard let a = CivilDay(from), let b = CivilDay(to), a.number <= b.number else { return 0 }
        return b.number - a.number + 1
    }
    /// `2026-06-01..2026-06-30`, or the day alone.
    public var description: String { from == to ? from : "\(from)..\(to)" }
}

/// Which days of our audit window a vendor's SOC 2 reports vouch for. A Type 2 report covers its
/// period; a bridge letter covers from the day after its report's period ended through its
/// date; a Type 1 report is a description as of one day and covers no period at all. The window
/// and every span are inclusive at both ends.
public struct VendorCoverage: Equatable, Sendable {
    /// Our window (the SOC 2 audit target's), when one is set.
    public var window: DayRange?
    /// The end of the latest-ending Type 2 report's period.
    public var coveredTo: String?
    /// The latest bridge letter's date, when it reaches past `coveredTo`.
    public var bridgeTo: String?
    /// The newest Type 1 report's day, when there is no Type 2 report.
    public var typeOneOnly: String?
    public var hasReports: Bool
    /// The days of the window no report or bridge covers, in order; empty without a window.
    public var uncovered: [DayRange]
    /// How many days those are; nil when no window is set.
    public var uncoveredDays: Int?

    public init(reports: [VendorReport], window: DayRange?) {
        self.window = window
        hasReports = !reports.isEmpty
        let typeTwo = reports.filter { $0.type == .type2 }
        coveredTo = typeTwo.map(\.periodTo).max()
        let bridges = typeTwo.compactMap { report in report.bridgeUntil.flatMap { $0 > report.periodTo ? $0 : nil } }
        if let latest = bridges.max(), latest > (coveredTo ?? "") { bridgeTo = latest } else { bridgeTo = nil }
        typeOneOnly = typeTwo.isEmpty ? reports.filter { $0.type == .type1 }.map(\.periodTo).max() : nil

        guard let window, let start = CivilDay(window.from)?.number, let end = CivilDay(window.to)?.number, start <= end else {
            uncovered = []
            uncoveredDays = nil
            return
        }
        // Every covered span as day numbers, clipped to the window, then walked in order: what
        // lies between them (and before the first, after the last) is uncovered.
        var spans: [(Int, Int)] = []
        for report in typeTwo {
            guard let from = CivilDay(report.periodFrom)?.number, let to = CivilDay(report.periodTo)?.number else { continue }
            spans.append((from, to))
            if let bridge = report.bridgeUntil, let until = CivilDay(bridge)?.number, until > to { spans.append((to + 1, until)) }
        }
        var gaps: [DayRange] = []
        var next = start  // the first day not yet known to be covered
        for (from, to) in spans.map({ (max($0.0, start), min($0.1, end)) }).filter({ $0.0 <= $0.1 }).sorted(by: { $0 < $1 }) {
            if from > next { gaps.append(DayRange(from: CivilDay.text(next), to: CivilDay.text(from - 1))) }
            next = max(next, to + 1)
        }
        if next <= end { gaps.append(DayRange(from: CivilDay.text(next), to: CivilDay.text(end))) }
        uncovered = gaps
        uncoveredDays = gaps.map(\.days).reduce(0, +)
    }

    /// `covered to 2026-03-31, bridge to 2026-05-31; 30 days uncovered (2026-06-01..2026-06-30)`.
    public var text: String {
        var head: [String] = []
        if let coveredTo { head.append("covered to \(coveredTo)") }
        if let bridgeTo { head.append("bridge to \(bridgeTo)") }
        if let typeOneOnly { head.append("Type 1 only (as of \(typeOneOnly)), which covers no period") }
        if !hasReports { head.append("no SOC 2 report") }
        let tail: String
        if let uncoveredDays {
            tail = uncoveredDays == 0 ? "window covered" : "\(Self.days(uncoveredDays)) uncovered (\(rangesText))"
        } else {
            tail = "no audit window set"
        }
        return head.joined(separator: ", ") + "; " + tail
    }

    /// The uncovered spans, at most three named.
    public var rangesText: String {
        let shown = uncovered.prefix(3).map(\.description).joined(separator: ", ")
        return uncovered.count > 3 ? shown + " and \(uncovered.count - 3) more" : shown
    }

    static func days(_ n: Int) -> String { "\(n) day\(n == 1 ? "" : "s")" }
}

/// A vendor as listed on a given day: the stored vendor, when its review falls due, how its
/// reports cover our window and what is wrong. Reads like the vendor (`summary.name`).
@dynamicMemberLookup
public struct VendorSummary: Equatable, Sendable {
    /// A review falling due within this many days shows as due (`assure vendors --due`).
    public static let dueSoonDays = 30

    public var vendor: Vendor
    public var nextReview: String?
    /// Its review falls due within `dueSoonDays`, or is past.
    public var due: Bool
    /// Past its review date (the due day itself is still on time).
    public var overdue: Bool
    public var coverage: VendorCoverage
    /// Short texts, for listings and the pane.
    public var findings: [String]

    public init(_ vendor: Vendor, today: String, window: DayRange?) {
        self.vendor = vendor
        nextReview = vendor.nextReview
        let soon = CivilDay(today).map { CivilDay.text($0.number + Self.dueSoonDays) } ?? today
        due = vendor.isActive && nextReview.map { $0 <= soon } == true
        overdue = vendor.isActive && nextReview.map { $0 < today } == true
        coverage = VendorCoverage(reports: vendor.reports, window: window)
        findings = []
        findings = VendorRules.findings(self, today: today).map(\.text).filter { !$0.isEmpty }
    }

    public subscript<T>(dynamicMember keyPath: KeyPath<Vendor, T>) -> T { vendor[keyPath: keyPath] }

    public var coverageText: String { coverage.text }
    public var uncoveredDays: Int? { coverage.uncoveredDays }
    public var cuecCount: Int { vendor.cuecs.count }
    public var unmappedCUECCount: Int { vendor.cuecs.filter { $0.control == nil }.count }
}

/// One thing wrong with a vendor: a short text for listings, and the gap `derive` proposes.
public struct VendorFinding: Equatable, Sendable {
    public var text: String
    public var gap: DerivedGap
}

/// The vendor rules: parsing what people type, checking reports before they are stored, and
/// what counts as a finding.
public enum VendorRules {
    public static func criticality(_ text: String) throws -> VendorCriticality {
        try parse(text, VendorCriticality.self, what: "criticality")
    }
    public static func data(_ text: String) throws -> VendorData { try parse(text, VendorData.self, what: "data class") }
    public static func opinion(_ text: String) throws -> VendorOpinion { try parse(text, VendorOpinion.self, what: "opinion") }
    public static func agreementKind(_ text: String) throws -> VendorAgreementKind {
        try parse(text, VendorAgreementKind.self, what: "agreement kind")
    }
    public static func reportType(_ text: String) throws -> VendorReportType {
        switch text.lowercased() {
        case "1", "i", "type1", "type-1": return .type1
        case "2", "ii", "type2", "type-2": return .type2
        default: throw RuleViolation("unknown report type '\(text)'; use 1 or 2")
        }
    }

    private static func parse<T: RawRepresentable & CaseIterable>(_ text: String, _: T.Type, what: String) throws -> T where T.RawValue == String {
        if let value = T(rawValue: text.lowercased()) { return value }
        throw RuleViolation("unknown \(what) '\(text)'; use \(T.allCases.map(\.rawValue).joined(separator: ", "))")
    }

    /// A day as `YYYY-MM-DD`, named by its option in the refusal.
    public static func day(_ text: String, option: String) throws -> String {
        guard CivilDay(text) != nil else { throw RuleViolation("\(option): '\(text)' is not a date (YYYY-MM-DD)") }
        return text
    }

    /// A report's dates and counts, before anything is stored; `ref` names the vendor.
    public static func check(_ report: VendorReport, ref: String) throws {
        _ = try day(report.periodFrom, option: "--period")
        _ = try day(report.periodTo, option: "--period")
        switch report.type {
        case .type1:
            if report.periodFrom != report.periodTo {
                throw RuleViolation("\(ref): a Type 1 report is as of one day, not a period; give --as-of DATE (or --period DATE)")
            }
            if report.bridgeUntil != nil {
                throw RuleViolation("\(ref): a bridge letter extends a Type 2 report's period; a Type 1 report covers no period to extend")
            }
        case .type2:
            if report.periodFrom > report.periodTo {
                throw RuleViolation("\(ref): the period \(report.periodFrom)..\(report.periodTo) ends before it starts")
            }
            if report.periodFrom == report.periodTo {
                throw RuleViolation("\(ref): a Type 2 report covers a period; give --period FROM..TO")
            }
        }
        if report.exceptions < 0 { throw RuleViolation("\(ref): --exceptions cannot be negative") }
        if let bridge = report.bridgeUntil {
            _ = try day(bridge, option: "--bridge-until")
            if bridge <= report.periodTo {
                throw RuleViolation("\(ref): the bridge letter (to \(bridge)) must reach past the report's period end (\(report.periodTo))")
            }
        }
        for carveOut in report.carveOuts {
            if carveOut.trimmingCharacters(in: .whitespaces).isEmpty { throw RuleViolation("\(ref): a --carve-out needs a name") }
            if let problem = StoredText.firstProblem(in: carveOut, multiline: false) {
                throw RuleViolation("\(ref) --carve-out: \(problem.description)")
            }
        }
    }

    /// A text without its final full stop, to be quoted inside a sentence.
    static func sentence(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.hasSuffix(".") ? String(trimmed.dropLast()) : trimmed
    }

    /// What is wrong with an active vendor on `today`, each with the gap it would open. Keys
    /// name the vendor and what is missing, so `derive` proposes each once.
    public static func findings(_ summary: VendorSummary, today: String) -> [VendorFinding] {
        let vendor = summary.vendor
        guard vendor.isActive else { return [] }
        let ref = vendor.ref
        let who = "\(ref) (\(vendor.name))"
        var found: [VendorFinding] = []
        func add(_ text: String, key: String, title: String, description: String, severity: Severity, effort: Effort = .s) {
            found.append(
                VendorFinding(
                    text: text,
                    gap: DerivedGap(
                        key: key,
                        draft: GapDraft(
                            title: title, description: description, severity: severity, effort: effort, owner: vendor.owner))))
        }

        if vendor.reports.isEmpty && vendor.criticality >= .high {
            add(
                "no SOC 2 report (\(vendor.criticality.rawValue) vendor)", key: "vendor-no-report:\(ref)",
                title: "\(who) has no SOC 2 report on file",
                description:
                    "\(vendor.name) is a \(vendor.criticality.rawValue) vendor and no SOC 2 report of it is recorded. Ask for its latest Type 2 report and record it (assure vendor report \(ref) --type 2 --period FROM..TO --opinion OPINION --file REPORT.pdf), or record how the vendor is assured instead.",
                severity: vendor.criticality == .critical ? .high : .medium)
        }
        let coverage = summary.coverage
        if coverage.hasReports, let days = coverage.uncoveredDays, days > 0, let window = coverage.window {
            let typeOne =
                coverage.typeOneOnly.map { " Its Type 1 report (as of \($0)) describes the controls on one day and covers no period." } ?? ""
            add(
                "\(VendorCoverage.days(days)) of the audit window uncovered", key: "vendor-uncovered:\(ref):\(window.from)",
                title: "\(who): \(VendorCoverage.days(days)) of the audit window not covered by its reports",
                description:
                    "Our audit window runs \(window.from)..\(window.to); no SOC 2 Type 2 report or bridge letter of \(vendor.name) covers \(coverage.rangesText).\(typeOne) Ask for the newer report or a bridge letter and record it (assure vendor report \(ref) ... --bridge-until DATE).",
                severity: vendor.criticality >= .high ? .high : (vendor.criticality == .medium ? .medium : .low))
        }
        for report in vendor.reports where report.needsReview && !report.reviewed {
            let severe = report.opinion == .adverse || report.opinion == .disclaimer
            add(
                "report \(report.number): \(report.findingsText) not reviewed", key: "vendor-report-review:\(ref):\(report.number)",
                title: "\(who) report \(report.number) (\(report.periodText)): \(report.findingsText) not reviewed",
                description:
                    "The \(report.type.label) report of \(vendor.name) for \(report.periodText) has \(report.findingsText). Read them, judge whether they touch the service we rely on or our CUECs, and record the review (assure vendor report-review \(ref) --report \(report.number) --note TEXT).",
                severity: severe ? .high : .medium, effort: .xs)
        }
        let unmapped = vendor.cuecs.filter { $0.control == nil }
        if !unmapped.isEmpty {
            found.append(
                contentsOf: unmapped.enumerated().map { index, cuec in
                    VendorFinding(
                        text: index == 0 ? "\(unmapped.count) CUEC\(unmapped.count == 1 ? "" : "s") not mapped to a control" : "",
                        gap: DerivedGap(
                            key: "vendor-cuec:\(ref):\(cuec.number)",
                            draft: GapDraft(
                                title: "\(who) CUEC \(cuec.number) has no control of ours",
                                description:
                                    "\(vendor.name)'s report expects of us: \(sentence(cuec.text)). Map it to the control that does it (assure vendor cuec-map \(ref) \(cuec.number) --control REF), or add one.",
                                severity: vendor.criticality >= .high ? .medium : .low, effort: .s, owner: vendor.owner)))
                })
        }
        if vendor.data == .phi && vendor.currentAgreement(.baa, today: today) == nil {
            let expired = vendor.agreements.filter { $0.kind == .baa }.compactMap(\.expiresOn).max()
            add(
                expired.map { "BAA expired \($0) (holds PHI)" } ?? "holds PHI without a BAA", key: "vendor-agreement:\(ref):baa",
                title: "\(who) holds PHI without a current BAA",
                description:
                    "HIPAA requires a business associate agreement with a vendor that handles protected health information for us. Sign one (or renew it) and record it (assure vendor agreement \(ref) --kind baa --signed DATE --file BAA.pdf).",
                severity: .high)
        }
        if vendor.data.isPersonal && vendor.currentAgreement(.dpa, today: today) == nil {
            let expired = vendor.agreements.filter { $0.kind == .dpa }.compactMap(\.expiresOn).max()
            add(
                expired.map { "DPA expired \($0) (holds personal data)" } ?? "holds personal data without a DPA", key: "vendor-agreement:\(ref):dpa",
                title: "\(who) holds personal data without a current DPA",
                description:
                    "GDPR requires a data processing agreement with a processor of personal data. Sign one (or renew it) and record it (assure vendor agreement \(ref) --kind dpa --signed DATE --file DPA.pdf).",
                severity: .high)
        }
        if summary.overdue, let due = summary.nextReview {
            add(
                "review overdue (due \(due))", key: "vendor-review:\(ref):\(due)",
                title: "\(who) review was due on \(due)",
                description:
                    "A \(vendor.criticality.rawValue) vendor is reviewed every \(vendor.criticality.reviewMonths) months; the last review was \(vendor.reviewedOn.map { "on \($0)" } ?? "never recorded (added \(vendor.createdOn))"). Review it and record it (assure vendor review \(ref)).",
                severity: vendor.criticality >= .high ? .medium : .low, effort: .xs)
        }
        return found
    }
}

extension Derive {
    /// The vendors' derived gaps: one per finding, in vendor order, without those already opened.
    public static func vendorProposals(vendors: [VendorSummary], today: String, existingKeys: Set<String>) -> [DerivedGap] {
        var seen = Set<String>()
        return vendors.flatMap { VendorRules.findings($0, today: today).map(\.gap) }
            .filter { !existingKeys.contains($0.key) && seen.insert($0.key).inserted }
    }
}
