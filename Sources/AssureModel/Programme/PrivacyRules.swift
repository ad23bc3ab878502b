import Foundation

/// The lawful basis a processing activity rests on (GDPR Art. 6(1), points a to f).
public enum LawfulBasis: String, CaseIterable, Sendable, Codable {
    case consent, contract
    case legalObligation = "legal-obligation"
    case vitalInterests = "vital-interests"
    case publicTask = "public-task"
    case legitimateInterests = "legitimate-interests"
}

/// The safeguard a transfer to a third country rests on: standard contractual clauses, an
/// adequacy decision, or binding corporate rules.
public enum TransferMechanism: String, CaseIterable, Sendable, Codable {
    case scc, adequacy, bcr

    /// How the register names it for a reader who does not know the abbreviations.
    public var label: String {
        switch self {
        case .scc: return "standard contractual clauses"
        case .adequacy: return "adequacy decision"
        case .bcr: return "binding corporate rules"
        }
    }
}

/// What an impact assessment concluded about the risk that remains after its measures.
public enum DPIAOutcome: String, CaseIterable, Sendable, Codable {
    case acceptable
    case acceptableWithMeasures = "acceptable-with-measures"
    case notAcceptable = "not-acceptable"
}

public enum DSRKind: String, CaseIterable, Sendable, Codable {
    case access, rectification, erasure, portability, objection, restriction
}

public enum DSRStatus: String, CaseIterable, Sendable, Codable {
    case open, completed, refused
}

/// One record of processing (GDPR Art. 30(1)) as stored. Categories are lists as typed,
/// each once, in the order given.
public struct ProcessingActivity: Equatable, Sendable {
    public var ref: String
    public var name: String
    public var purpose: String
    public var basis: LawfulBasis
    public var dataCategories: [String]
    public var subjects: [String]
    /// The vendors that receive the data, by name, sorted.
    public var recipients: [String]
    public var retention: String
    public var transferCountry: String?
    public var mechanism: TransferMechanism?
    public var highRisk: Bool
    public var createdOn: String

    public init(
        ref: String, name: String, purpose: String, basis: LawfulBasis, dataCategories: [String], subjects: [String],
        recipients: [String] = [], retention: String, transferCountry: String? = nil, mechanism: TransferMechanism? = nil,
        highRisk: Bool = false, createdOn: String
    ) {
        self.ref = ref; self.name = name; self.purpose = purpose; self.basis = basis; self.dataCategories = dataCategories
        self.subjects = subjects; self.recipients = recipients; self.retention = retention; self.transferCountry = transferCountry
        self.mechanism = mechanism; self.highRisk = highRisk; self.createdOn = createdOn
    }
}

/// One impact assessment of a processing activity as stored.
public struct DPIA: Equatable, Sendable {
    public var ref: String
    public var processing: String
    public var processingName: String
    public var outcome: DPIAOutcome
    public var summary: String
    public var assessedOn: String
    public var nextReview: String?
    public var assessedBy: String
    /// The risks it links, by reference, in register order.
    public var risks: [String]

    public init(
        ref: String, processing: String, processingName: String, outcome: DPIAOutcome, summary: String = "", assessedOn: String,
        nextReview: String? = nil, assessedBy: String, risks: [String] = []
    ) {
        self.ref = ref; self.processing = processing; self.processingName = processingName; self.outcome = outcome; self.summary = summary
        self.assessedOn = assessedOn; self.nextReview = nextReview; self.assessedBy = assessedBy; self.risks = risks
    }
}

/// A DPIA as listed on a given day. Only the newest assessment of an activity is `current`: a
/// reassessment supersedes the one before, so the older one's review date and outcome no
/// longer say anything about the processing.
@dynamicMemberLookup
public struct DPIASummary: Equatable, Sendable {
    public var dpia: DPIA
    public var current: Bool
    public var reviewOverdue: Bool

    public init(_ dpia: DPIA, current: Bool, today: String) {
        self.dpia = dpia
        self.current = current
        reviewOverdue = current && (dpia.nextReview.map { $0 < today } ?? false)
    }

    public subscript<T>(dynamicMember keyPath: KeyPath<DPIA, T>) -> T { dpia[keyPath: keyPath] }
}

/// A processing activity with its current DPIA, as the register lists it.
@dynamicMemberLookup
public struct ProcessingSummary: Equatable, Sendable {
    public var activity: ProcessingActivity
    public var dpia: DPIA?

    public init(_ activity: ProcessingActivity, dpia: DPIA?) { self.activity = activity; self.dpia = dpia }

    /// High-risk processing needs an assessment before it starts (GDPR Art. 35(1)).
    public var needsDPIA: Bool { activity.highRisk && dpia == nil }

    public subscript<T>(dynamicMember keyPath: KeyPath<ProcessingActivity, T>) -> T { activity[keyPath: keyPath] }
}

/// A data subject request as stored. No personal data: `subjectRef` is an opaque reference
/// (a ticket id) that `PrivacyRules.checkSubjectRef` has let through.
public struct DSR: Equatable, Sendable {
    public var ref: String
    public var kind: DSRKind
    public var receivedOn: String
    public var subjectRef: String
    /// The legal due date: one calendar month after receipt.
    public var dueOn: String
    public var extendedTo: String?
    public var extensionReason: String
    public var status: DSRStatus
    public var closedOn: String?
    public var closingNote: String
    public var fileName: String?
    public var sha256: String?
    public var openedBy: String

    public init(
        ref: String, kind: DSRKind, receivedOn: String, subjectRef: String = "", dueOn: String, extendedTo: String? = nil,
        extensionReason: String = "", status: DSRStatus = .open, closedOn: String? = nil, closingNote: String = "",
        fileName: String? = nil, sha256: String? = nil, openedBy: String
    ) {
        self.ref = ref; self.kind = kind; self.receivedOn = receivedOn; self.subjectRef = subjectRef; self.dueOn = dueOn
        self.extendedTo = extendedTo; self.extensionReason = extensionReason; self.status = status; self.closedOn = closedOn
        self.closingNote = closingNote; self.fileName = fileName; self.sha256 = sha256; self.openedBy = openedBy
    }

    /// The date that binds now: the extended one when there is one.
    public var due: String { extendedTo ?? dueOn }
}

/// A request as listed on a given day: days left until its due date (negative once past it)
/// while it is open; a closed request has none, and says whether it was answered late.
@dynamicMemberLookup
public struct DSRSummary: Equatable, Sendable {
    public var dsr: DSR
    public var due: String
    public var daysLeft: Int?
    public var overdue: Bool
    public var answeredLate: Bool

    public init(_ dsr: DSR, today: String) {
        self.dsr = dsr
        due = dsr.due
        if dsr.status == .open {
            daysLeft = PrivacyRules.days(from: today, to: dsr.due)
            overdue = dsr.due < today
            answeredLate = false
        } else {
            daysLeft = nil
            overdue = false
            answeredLate = (dsr.closedOn ?? "") > dsr.due
        }
    }

    public subscript<T>(dynamicMember keyPath: KeyPath<DSR, T>) -> T { dsr[keyPath: keyPath] }
}

/// The privacy records' rules: parsing what people type, the DSR deadlines, and the guard that
/// keeps personal data out of a request's reference.
public enum PrivacyRules {
    /// The one extension the law allows is by up to two further months (GDPR Art. 12(3)).
    public static let extensionMonths = 1...2
    public static let longestSubjectRef = 100

    // MARK: Parsing

    public static func basis(_ text: String) throws -> LawfulBasis {
        try parse(text, as: LawfulBasis.self, what: "lawful basis", option: "--basis")
    }
    public static func mechanism(_ text: String) throws -> TransferMechanism {
        try parse(text, as: TransferMechanism.self, what: "transfer mechanism", option: "--mechanism")
    }
    public static func outcome(_ text: String) throws -> DPIAOutcome {
        try parse(text, as: DPIAOutcome.self, what: "DPIA outcome", option: "--outcome")
    }
    public static func kind(_ text: String) throws -> DSRKind {
        try parse(text, as: DSRKind.self, what: "request kind", option: "--kind")
    }
    /// How a request is closed: completed or refused (open is not a closing status).
    public static func closingStatus(_ text: String) throws -> DSRStatus {
        guard let status = DSRStatus(rawValue: text.lowercased()), status != .open else {
            throw RuleViolation("unknown closing status '\(text)'; use completed or refused (--status)")
        }
        return status
    }

    private static func parse<T: RawRepresentable & CaseIterable>(_ text: String, as type: T.Type, what: String, option: String) throws -> T
    where T.RawValue == String {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: "-")
        if let value = T(rawValue: key) { return value }
        throw RuleViolation("unknown \(what) '\(text)'; use \(T.allCases.map(\.rawValue).joined(separator: ", ")) (\(option))")
    }

    /// `email, name; postal address` is three categories: split on commas and semicolons,
    /// trimmed, each once (any case) in the order typed.
    public static func categories(_ text: String) -> [String] {
        var seen = Set<String>()
        return text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }
    }

    /// What a processing record must hold before it is stored; `ref` names it in the message.
    public static func check(_ activity: ProcessingActivity) throws {
        let ref = activity.ref
        func blank(_ text: String) -> Bool { text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        if blank(activity.name) { throw RuleViolation("\(ref): a processing activity needs a name") }
        if blank(activity.purpose) { throw RuleViolation("\(ref): a processing activity needs its purpose (--purpose TEXT)") }
        if activity.dataCategories.isEmpty {
            throw RuleViolation("\(ref): name the categories of personal data (--data CATEGORIES, e.g. \"email, name\")")
        }
        if activity.subjects.isEmpty { throw RuleViolation("\(ref): name the categories of data subjects (--subjects CATEGORIES, e.g. customers)") }
        if blank(activity.retention) { throw RuleViolation("\(ref): say how long the data is kept (--retention TEXT)") }
        if (activity.transferCountry == nil) != (activity.mechanism == nil) {
            throw RuleViolation("\(ref): a transfer needs both --transfer COUNTRY and --mechanism scc|adequacy|bcr (the safeguard it rests on)")
        }
        if let country = activity.transferCountry, blank(country) { throw RuleViolation("\(ref): --transfer needs a country") }
        // One-line fields are table cells in the register.
        let oneLine =
            [("name", activity.name), ("transfer", activity.transferCountry ?? "")]
            + activity.dataCategories.map { ("data", $0) } + activity.subjects.map { ("subjects", $0) }
        for (name, value) in oneLine {
            if let problem = StoredText.firstProblem(in: value, multiline: false) { throw RuleViolation("\(ref) \(name): \(problem.description)") }
        }
        for (name, value) in [("purpose", activity.purpose), ("retention", activity.retention)] {
            if let problem = StoredText.firstProblem(in: value, multiline: true) { throw RuleViolation("\(ref) \(name): \(problem.description)") }
        }
    }

    // MARK: Deadlines

    /// The legal due date of a request received on `received`: one calendar month later, the
    /// same day of the month, or the month's last day when it has none (31 January is due on
    /// 28 or 29 February). Nil for a day that does not parse.
    public static func dueDate(received: String) -> String? { addMonths(1, to: received) }

    /// `day` plus `months` calendar months, clamped to the month's end.
    public static func addMonths(_ months: Int, to day: String) -> String? {
        guard let date = DueDate.parseDay(day), let later = DueDate.calendar.date(byAdding: .month, value: months, to: date) else { return nil }
        return DueDate.format(later)
    }

    /// Whole days from `from` to `to` (negative when `to` is earlier); nil when either does not parse.
    public static func days(from: String, to: String) -> Int? {
        guard let a = DueDate.parseDay(from), let b = DueDate.parseDay(to) else { return nil }
        return DueDate.calendar.dateComponents([.day], from: a, to: b).day
    }

    /// The new due date of extending `dsr` by `months`, decided on `day`. The extension is
    /// counted from the original due date, so it never reaches past what the law allows (a
    /// request due 28 February extended by two months is due 28 April). Refused when the
    /// request is closed or already extended, the months are not 1 or 2, there is no reason,
    /// or the original due date has passed (the due day itself is still in time).
    public static func extendedDue(_ dsr: DSR, months: Int, reason: String, on day: String) throws -> String {
        let ref = dsr.ref
        guard dsr.status == .open else { throw RuleViolation("\(ref) is \(dsr.status.rawValue); only an open request can be extended") }
        if let extended = dsr.extendedTo {
            throw RuleViolation("\(ref) was already extended to \(extended); the law allows one extension")
        }
        guard extensionMonths.contains(months) else {
            throw RuleViolation("\(ref): --months must be 1 or 2 (the law allows at most two further months), not \(months)")
        }
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw RuleViolation("\(ref): an extension needs its reason (--reason TEXT); the requester must be told why")
        }
        if let problem = StoredText.firstProblem(in: reason, multiline: true) { throw RuleViolation("\(ref) reason: \(problem.description)") }
        guard DueDate.parseDay(day) != nil else { throw RuleViolation("'\(day)' is not a date (YYYY-MM-DD)") }
        guard day >= dsr.receivedOn else { throw RuleViolation("\(ref) was received on \(dsr.receivedOn); an extension cannot be dated \(day)") }
        guard day <= dsr.dueOn else {
            throw RuleViolation("\(ref) was due on \(dsr.dueOn); an extension must be decided before the original due date passes")
        }
        guard let due = addMonths(months, to: dsr.dueOn) else { throw RuleViolation("\(ref): its due date \(dsr.dueOn) does not parse") }
        return due
    }

    // MARK: No personal data

    /// Refuses a subject reference that looks like an email address or a phone number, or is
    /// not one short line. The message never repeats the text (it may be personal data).
    public static func checkSubjectRef(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let problem = StoredText.firstProblem(in: trimmed, multiline: false) { throw RuleViolation("--subject-ref: \(problem.description)") }
        if trimmed.count > longestSubjectRef {
            throw RuleViolation(
                "--subject-ref is longer than \(longestSubjectRef) characters; store an opaque reference (e.g. a ticket id), not personal data")
        }
        if let what = personalDataShape(trimmed) {
            throw RuleViolation(
                "--subject-ref looks like \(what): store an opaque reference, not personal data (e.g. the ticket id in your helpdesk)")
        }
    }

    /// "an email address", "a phone number" or nil. A guard against the obvious mistakes, not
    /// a detector of every kind of personal data (a name cannot be told from a ticket id).
    public static func personalDataShape(_ text: String) -> String? {
        if looksLikeEmail(text) { return "an email address" }
        if looksLikePhone(text) { return "a phone number" }
        return nil
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        if text.lowercased().contains("mailto:") { return true }
        let tokens = text.split(whereSeparator: { $0.isWhitespace || ",;<>()[]\"'".contains($0) })
        return tokens.contains { token in
            let parts = token.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else { return false }
            let domain = parts[1].split(separator: ".", omittingEmptySubsequences: false)
            return domain.count >= 2 && domain.allSatisfy { !$0.isEmpty } && domain.last!.contains(where: \.isLetter)
        }
    }

    /// The whole text is a number with phone punctuation (7 to 15 digits, the international
    /// maximum), or it holds an international number (`+44 20 ...`), a bracketed area code
    /// (`(415) 555-0123`), or nine or more digits grouped by spaces or dots. Dashes alone do
    /// not count inside longer text: ticket ids are often `DSR-2026-0042`.
    static func looksLikePhone(_ text: String) -> Bool {
        let punctuation: Set<Character> = [" ", "+", "-", ".", "(", ")", "/"]
        func digits<S: Sequence>(_ s: S) -> Int where S.Element == Character { s.filter { $0.isASCII && $0.isNumber }.count }
        if !text.isEmpty, text.allSatisfy({ ($0.isASCII && $0.isNumber) || punctuation.contains($0) }), (7...15).contains(digits(text)) {
            return true
        }
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let c = characters[index]
            guard c == "+" || c == "(" || (c.isASCII && c.isNumber) else { index += 1; continue }
            var end = index
            while end < characters.count && ((characters[end].isASCII && characters[end].isNumber) || punctuation.contains(characters[end])) {
                end += 1
            }
            let run = characters[index..<end]
            let count = digits(run)
            let grouped = run.filter { $0 == " " || $0 == "." }.count >= 2
            if count >= 7 && count <= 15 && (c == "+" || c == "(") && run.dropFirst().first.map({ $0.isNumber }) == true { return true }
            if count >= 9 && count <= 15 && grouped { return true }
            index = end
        }
        return false
    }

    /// The refs of each activity's newest DPIA (latest assessed, then highest number).
    public static func currentDPIAs(_ dpias: [DPIA]) -> Set<String> {
        var newest: [String: DPIA] = [:]
        for dpia in dpias {
            if let held = newest[dpia.processing], (held.assessedOn, number(held.ref)) >= (dpia.assessedOn, number(dpia.ref)) { continue }
            newest[dpia.processing] = dpia
        }
        return Set(newest.values.map(\.ref))
    }

    static func number(_ ref: String) -> Int { Int(ref.split(separator: "-").last ?? "") ?? 0 }
}

extension Derive {
    /// What the privacy records say is missing, as gaps `derive` can open: high-risk processing
    /// with no DPIA (`privacy-no-dpia:ROPA-1`), a current DPIA past its review date
    /// (`privacy-dpia-review:DPIA-1:<due>`, so a later missed review is proposed again), a
    /// current DPIA whose outcome is not acceptable (`privacy-dpia-outcome:DPIA-1`), and an
    /// open request past its due date (`privacy-dsr-overdue:DSR-1`). A transfer without a
    /// safeguard cannot be recorded, so it needs no rule.
    public static func privacyProposals(
        activities: [ProcessingSummary], dpias: [DPIASummary], dsrs: [DSRSummary],
        existingKeys: Set<String>
    ) -> [DerivedGap] {
        var proposals: [DerivedGap] = []
        for activity in activities where activity.needsDPIA {
            proposals.append(
                DerivedGap(
                    key: "privacy-no-dpia:\(activity.ref)",
                    draft: GapDraft(
                        title: "\(activity.ref) is high-risk processing with no DPIA",
                        description:
                            "\(activity.name) is marked high-risk, so an impact assessment is due before the processing goes ahead (GDPR Art. 35). Assess it and record the outcome (assure dpia add \(activity.ref) --outcome ...).",
                        severity: .high, effort: .m)))
        }
        for summary in dpias where summary.current {
            let dpia = summary.dpia
            if summary.reviewOverdue, let due = dpia.nextReview {
                proposals.append(
                    DerivedGap(
                        key: "privacy-dpia-review:\(dpia.ref):\(due)",
                        draft: GapDraft(
                            title: "\(dpia.ref) review was due on \(due)",
                            description:
                                "The impact assessment of \(dpia.processing) (\(dpia.processingName)), made on \(dpia.assessedOn), was to be reviewed by \(due). Review whether the processing or its risks changed and record a new assessment (assure dpia add \(dpia.processing) ...).",
                            severity: .medium, effort: .s)))
            }
            if dpia.outcome == .notAcceptable {
                proposals.append(
                    DerivedGap(
                        key: "privacy-dpia-outcome:\(dpia.ref)",
                        draft: GapDraft(
                            title: "\(dpia.ref) found the risk of \(dpia.processing) not acceptable",
                            description:
                                "The assessment of \(dpia.processingName) concluded that the remaining risk is not acceptable. Change the processing or add measures and reassess, or consult the supervisory authority before processing (GDPR Art. 36).",
                            severity: .critical, effort: .l)))
            }
        }
        for summary in dsrs where summary.overdue {
            let days = -(summary.daysLeft ?? 0)
            proposals.append(
                DerivedGap(
                    key: "privacy-dsr-overdue:\(summary.ref)",
                    draft: GapDraft(
                        title: "\(summary.ref) (\(summary.kind.rawValue) request) was due on \(summary.due)",
                        description:
                            "Received on \(summary.receivedOn) and still open \(days) day\(days == 1 ? "" : "s") after its legal due date. Answer it and close it (assure dsr close \(summary.ref) --status completed|refused --note TEXT).",
                        severity: .high, effort: .s)))
        }
        var seen = Set<String>()
        return proposals.filter { !existingKeys.contains($0.key) && seen.insert($0.key).inserted }
    }
}
