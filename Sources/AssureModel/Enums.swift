/// The vocabularies of the domain. Raw values are the stable spellings used in the workspace
/// file, on the command line and in JSON/CSV exports; never rename one once shipped.

public enum ControlStatus: String, CaseIterable, Codable, Sendable {
    case notStarted = "not-started"
    case inProgress = "in-progress"
    case implemented
    case notApplicable = "not-applicable"

    public var label: String {
        switch self {
        case .notStarted: return "not started"
        case .inProgress: return "in progress"
        case .implemented: return "implemented"
        case .notApplicable: return "not applicable"
        }
    }
}

public enum Frequency: String, CaseIterable, Codable, Sendable {
    case continuous, daily, weekly, monthly, quarterly
    case semiAnnual = "semi-annual"
    case annual
    case onEvent = "on-event"

    /// Days between two occurrences; nil for continuous and event-driven controls.
    public var periodDays: Int? {
        switch self {
        case .continuous, .onEvent: return nil
        case .daily: return 1
        case .weekly: return 7
        case .monthly: return 30
        case .quarterly: return 91
        case .semiAnnual: return 182
        case .annual: return 365
        }
    }

    public var label: String {
        switch self {
        case .semiAnnual: return "semi-annual"
        case .onEvent: return "on event"
        default: return rawValue
        }
    }
}

public enum Severity: String, CaseIterable, Codable, Sendable, Comparable {
    case critical, high, medium, low

    /// Sort rank: critical first. A switch, not a search of `allCases`: sorts of 20,000 gaps
    /// compare severities hundreds of thousands of times.
    public var rank: Int {
        switch self {
        case .critical: return 0
        case .high: return 1
        case .medium: return 2
        case .low: return 3
        }
    }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    public var letter: String { String(rawValue.prefix(1)).uppercased() }
}

public enum Effort: String, CaseIterable, Codable, Sendable {
    case xs = "XS"
    case s = "S"
    case m = "M"
    case l = "L"
    case xl = "XL"

    /// Parses case-insensitively ("xs", "Xl").
    public init?(loose: String) {
        self.init(rawValue: loose.uppercased())
    }
}

public enum GapStatus: String, CaseIterable, Codable, Sendable {
    case open
    case inProgress = "in-progress"
    case remediated
    case riskAccepted = "risk-accepted"

    /// Open and in-progress gaps still need work.
    public var isOpen: Bool { self == .open || self == .inProgress }

    public var label: String {
        switch self {
        case .inProgress: return "in progress"
        case .riskAccepted: return "risk accepted"
        default: return rawValue
        }
    }
}

public enum ReportType: String, CaseIterable, Codable, Sendable {
    case type1 = "1"
    case type2 = "2"
    public var label: String { self == .type1 ? "Type I" : "Type II" }
}

public enum OwnerKind: String, CaseIterable, Codable, Sendable {
    case person, team
}

/// Where a requirement sits in its framework's tree, whatever the framework calls its levels:
/// a top-level group (`category`), a group below it (`series`), a node at the assessable level
/// (`criterion`) or a detail under one (`point`). The first release named these after SOC 2;
/// the names stay because they are stored in snapshots and goldens.
public enum RequirementKind: String, CaseIterable, Codable, Sendable {
    case category, series, criterion, point

    /// SOC 2's own label for the role.
    public var soc2Level: String { self == .point ? "point of focus" : rawValue }
}

/// How a control or a requirement relates to another (NIST OLIR's relationship vocabulary).
public enum Relationship: String, CaseIterable, Codable, Sendable {
    case equal, subset, superset, intersects
}

/// The five SOC 2 Trust Services Categories. Security is always in scope.
public enum TSCCategory: String, CaseIterable, Codable, Sendable {
    case security, availability, confidentiality
    case processingIntegrity = "processing-integrity"
    case privacy

    public var title: String {
        switch self {
        case .security: return "Security"
        case .availability: return "Availability"
        case .confidentiality: return "Confidentiality"
        case .processingIntegrity: return "Processing Integrity"
        case .privacy: return "Privacy"
        }
    }
}

/// Parses a user-typed enum value leniently: case-insensitive, spaces or underscores for dashes.
public func parseLoose<E: RawRepresentable & CaseIterable>(_ text: String, as: E.Type) -> E?
where E.RawValue == String {
    let key = text.lowercased().replacingOccurrences(of: " ", with: "-")
        .replacingOccurrences(of: "_", with: "-")
    return E.allCases.first { $0.rawValue.lowercased() == key }
}
