import AssureModel

/// A risk as the Risks pane and the heat map show it.
public struct RiskLoad: Equatable, Sendable {
    public var ref: String
    public var title: String
    public var description: String
    public var likelihood: Int
    public var impact: Int
    public var residualLikelihood: Int
    public var residualImpact: Int
    /// "c", "i", "a" as set.
    public var cia: [String]
    /// mitigate, accept, transfer or avoid.
    public var treatment: String
    public var controls: [String]
    public var owner: String?
    public var justification: String
    public var approver: String
    public var reviewCadence: String
    public var reviewedOn: String?
    public var nextReview: String?
    public var overdue: Bool
    public init(
        ref: String, title: String, description: String = "", likelihood: Int, impact: Int, residualLikelihood: Int, residualImpact: Int,
        cia: [String] = [], treatment: String = "mitigate", controls: [String] = [], owner: String? = nil, justification: String = "",
        approver: String = "", reviewCadence: String = "annual", reviewedOn: String? = nil, nextReview: String? = nil, overdue: Bool = false
    ) {
        self.ref = ref; self.title = title; self.description = description; self.likelihood = likelihood; self.impact = impact
        self.residualLikelihood = residualLikelihood; self.residualImpact = residualImpact; self.cia = cia; self.treatment = treatment
        self.controls = controls; self.owner = owner; self.justification = justification; self.approver = approver
        self.reviewCadence = reviewCadence; self.reviewedOn = reviewedOn; self.nextReview = nextReview; self.overdue = overdue
    }

    public var inherentScore: Int { likelihood * impact }
    public var residualScore: Int { residualLikelihood * residualImpact }
    /// Where it sits on the heat map being shown.
    func cell(residual: Bool) -> (likelihood: Int, impact: Int) {
        residual ? (residualLikelihood, residualImpact) : (likelihood, impact)
    }
}

/// A policy as the Policies pane shows it.
public struct PolicyLoad: Equatable, Sendable {
    public var ref: String
    public var title: String
    public var owner: String?
    public var approver: String?
    public var cadence: String
    /// draft, approved, changed, review overdue.
    public var status: String
    public var liveVersion: Int?
    public var approvedOn: String?
    public var nextReview: String?
    public var overdue: Bool
    /// People active today who acknowledged the live version, and how many are active.
    public var acknowledged: Int
    public var people: Int
    public init(
        ref: String, title: String, owner: String? = nil, approver: String? = nil, cadence: String = "annual", status: String = "draft",
        liveVersion: Int? = nil, approvedOn: String? = nil, nextReview: String? = nil, overdue: Bool = false,
        acknowledged: Int = 0, people: Int = 0
    ) {
        self.ref = ref; self.title = title; self.owner = owner; self.approver = approver; self.cadence = cadence; self.status = status
        self.liveVersion = liveVersion; self.approvedOn = approvedOn; self.nextReview = nextReview; self.overdue = overdue
        self.acknowledged = acknowledged; self.people = people
    }
}

/// A training course someone owes and has not completed in time (the agenda and dashboard).
public struct TrainingDueLoad: Equatable, Sendable {
    public var course: String
    public var person: String
    public var due: String
    public init(course: String, person: String, due: String) { self.course = course; self.person = person; self.due = due }
}

/// A vendor as the Vendors pane shows it.
public struct VendorLoad: Equatable, Sendable {
    public var ref: String
    public var name: String
    /// low, medium, high, critical.
    public var criticality: String
    /// none, internal, confidential, personal, phi.
    public var data: String
    public var service: String
    public var subprocessor: Bool
    public var owner: String?
    public var nextReview: String?
    public var overdue: Bool
    /// How its SOC 2 reports and bridge letters cover our audit window, in words.
    public var coverage: String
    /// Days of our window nothing covers; nil without a window.
    public var uncoveredDays: Int?
    public var reports: Int
    public var cuecs: Int
    public var unmappedCuecs: Int
    /// "dpa", "baa", ... currently in force.
    public var agreements: [String]
    /// What an auditor would flag, in short sentences.
    public var findings: [String]
    public init(
        ref: String, name: String, criticality: String = "medium", data: String = "none", service: String = "", subprocessor: Bool = false,
        owner: String? = nil, nextReview: String? = nil, overdue: Bool = false, coverage: String = "", uncoveredDays: Int? = nil,
        reports: Int = 0, cuecs: Int = 0, unmappedCuecs: Int = 0, agreements: [String] = [], findings: [String] = []
    ) {
        self.ref = ref; self.name = name; self.criticality = criticality; self.data = data; self.service = service
        self.subprocessor = subprocessor; self.owner = owner; self.nextReview = nextReview; self.overdue = overdue
        self.coverage = coverage; self.uncoveredDays = uncoveredDays; self.reports = reports; self.cuecs = cuecs
        self.unmappedCuecs = unmappedCuecs; self.agreements = agreements; self.findings = findings
    }
}

/// An open data subject request (the agenda): only its opaque reference, never the person.
public struct SubjectRequestLoad: Equatable, Sendable {
    public var ref: String
    public var kind: String
    public var due: String
    /// Negative once overdue.
    public var daysLeft: Int
    public init(ref: String, kind: String, due: String, daysLeft: Int) { self.ref = ref; self.kind = kind; self.due = due; self.daysLeft = daysLeft }
}

/// A collector as the Evidence pane's detail strip shows it, with its last run.
public struct CollectorLoad: Equatable, Sendable {
    public var name: String
    public var control: String
    /// daily, weekly, monthly, quarterly; nil when it runs only on demand.
    public var every: String?
    /// passed, failed, timed-out, too-large; nil before its first run.
    public var lastOutcome: String?
    public var lastRunAt: String?
    public var lastReason: String
    public var due: Bool
    public init(
        name: String, control: String, every: String? = nil, lastOutcome: String? = nil, lastRunAt: String? = nil,
        lastReason: String = "", due: Bool = false
    ) {
        self.name = name; self.control = control; self.every = every; self.lastOutcome = lastOutcome; self.lastRunAt = lastRunAt
        self.lastReason = lastReason; self.due = due
    }
}

/// An open drift event: a collector's output that differs from its approved baseline.
public struct DriftLoad: Equatable, Sendable {
    public var ref: String
    public var collector: String
    public var control: String
    public var runID: Int64
    public var detectedAt: String
    public var changed: Int
    /// One line per changed path or line.
    public var diff: String
    public init(ref: String, collector: String, control: String, runID: Int64, detectedAt: String, changed: Int, diff: String) {
        self.ref = ref; self.collector = collector; self.control = control; self.runID = runID; self.detectedAt = detectedAt
        self.changed = changed; self.diff = diff
    }
}
