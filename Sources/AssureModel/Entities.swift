import Foundation

/// A framework the workspace assesses against (SOC 2, ISO/IEC 27001, the HIPAA Security Rule, an
/// OSCAL catalog, a company standard). Each carries its own vocabulary: the label of each level
/// of its tree, and which level is assessed for readiness.
public struct Framework: Equatable, Sendable {
    /// Short and stable (`soc2`, `iso27001`): the key every command and file uses.
    public var id: String
    public var title: String
    public var version: String
    public var publisher: String
    /// Where the framework's text comes from (a URL, a file name, "built-in").
    public var source: String
    /// The publisher's copyright or attribution notice, shown wherever its text is.
    public var notice: String
    /// The level readiness is computed at (`criterion`, `control`, `standard`).
    public var assessableLevel: String
    /// Whether the company pursues this framework at all (HIPAA is scoped as a whole).
    public var inScope: Bool
    public init(
        id: String, title: String, version: String, publisher: String = "", source: String = "", notice: String = "",
        assessableLevel: String = "criterion", inScope: Bool = true
    ) {
        self.id = id; self.title = title; self.version = version; self.publisher = publisher
        self.source = source; self.notice = notice; self.assessableLevel = assessableLevel; self.inScope = inScope
    }

    /// The id the first release used for SOC 2; still accepted wherever a framework is named.
    public static let soc2LegacyID = "soc2-2017"
    /// SOC 2's id. Only the SOC 2-specific views (`assure criteria`, the TSC scope) name it.
    public static let soc2ID = "soc2"

    /// `soc2-2017:CC6.1` is `soc2:CC6.1`; anything else is unchanged.
    public static func canonicalQualified(_ ref: String) -> String {
        let prefix = soc2LegacyID + ":"
        return ref.lowercased().hasPrefix(prefix) ? soc2ID + ":" + ref.dropFirst(prefix.count) : ref
    }

    /// Maps an alias to the framework id it stands for.
    public static func canonicalID(_ id: String) -> String {
        id.lowercased() == soc2LegacyID ? soc2ID : id
    }
}

/// One node of a framework's tree: a SOC 2 category, series, criterion or point of focus; an
/// ISO clause or Annex A control; a HIPAA standard or implementation specification.
public struct Requirement: Equatable, Sendable {
    public var frameworkID: String
    public var ref: String
    public var parentRef: String?
    /// Where the node sits in its tree, whatever the framework calls it (see `RequirementKind`).
    public var kind: RequirementKind
    /// The framework's own name for the node's level: "criterion", "point of focus", "clause",
    /// "control", "standard", "implementation specification".
    public var level: String
    /// The key of the top-level group it belongs to (SOC 2: security, availability, ...).
    public var category: String
    public var title: String
    /// The requirement's own text where the framework has one apart from its title.
    public var statement: String
    /// What it asks, in our own words.
    public var summary: String
    public var order: Int
    /// Framework-specific facts: an ISO theme, HIPAA "required"/"addressable".
    public var attributes: [String: String]

    public init(
        frameworkID: String, ref: String, parentRef: String?, kind: RequirementKind,
        category: String, title: String, summary: String, order: Int,
        level: String? = nil, statement: String = "", attributes: [String: String] = [:]
    ) {
        self.frameworkID = frameworkID; self.ref = ref; self.parentRef = parentRef
        self.kind = kind; self.level = level ?? kind.soc2Level; self.category = category; self.title = title
        self.statement = statement; self.summary = summary; self.order = order; self.attributes = attributes
    }

    /// `framework:ref`, unambiguous across frameworks.
    public var qualifiedRef: String { "\(frameworkID):\(ref)" }
}

public struct Owner: Equatable, Sendable {
    public var name: String
    public var handle: String
    public var role: String
    public var kind: OwnerKind
    /// When the person left (`YYYY-MM-DDTHH:MM:SSZ`); a retired owner owns nothing new.
    public var retiredAt: String?
    public init(name: String, handle: String = "", role: String = "", kind: OwnerKind = .person, retiredAt: String? = nil) {
        self.name = name; self.handle = handle; self.role = role; self.kind = kind; self.retiredAt = retiredAt
    }
    public var isRetired: Bool { retiredAt != nil }
}

public struct Control: Equatable, Sendable {
    public var ref: String
    public var title: String
    public var description: String
    public var status: ControlStatus
    public var justification: String
    public var frequency: Frequency
    public var owner: String?
    public var backupOwner: String?
    public var evidenceHint: String
    public var tags: [String]
    /// SOC 2 criterion refs this control addresses (the first release's view; see `requirements`).
    public var criteria: [String]
    /// Every requirement it addresses, in every framework, as `framework:ref`.
    public var requirements: [String]
    /// Set when the owner has left: the control counts as unowned until someone takes it over.
    public var ownerRetired: Bool

    public init(
        ref: String, title: String, description: String = "", status: ControlStatus = .notStarted,
        justification: String = "", frequency: Frequency = .annual, owner: String? = nil,
        backupOwner: String? = nil, evidenceHint: String = "", tags: [String] = [],
        criteria: [String] = [], requirements: [String]? = nil, ownerRetired: Bool = false
    ) {
        self.ref = ref; self.title = title; self.description = description; self.status = status
        self.justification = justification; self.frequency = frequency; self.owner = owner
        self.backupOwner = backupOwner; self.evidenceHint = evidenceHint; self.tags = tags
        self.criteria = criteria
        self.requirements = requirements ?? criteria.map { "\(Framework.soc2ID):\($0)" }
        self.ownerRetired = ownerRetired
    }
}

public struct Gap: Equatable, Sendable {
    public var ref: String
    public var title: String
    public var description: String
    public var severity: Severity
    public var effort: Effort
    public var control: String?
    /// The requirement's ref within `framework`.
    public var criterion: String?
    /// The framework of `criterion`, when it has one.
    public var framework: String?
    public var owner: String?
    /// Due date as `YYYY-MM-DD`.
    public var due: String?
    public var status: GapStatus
    public var justification: String
    public var remediationNote: String
    public var remediatedBy: String?
    public var remediatedAt: String?
    public var createdAt: String

    public init(
        ref: String, title: String, description: String = "", severity: Severity = .medium,
        effort: Effort = .m, control: String? = nil, criterion: String? = nil,
        owner: String? = nil, due: String? = nil, status: GapStatus = .open,
        justification: String = "", remediationNote: String = "", remediatedBy: String? = nil,
        remediatedAt: String? = nil, createdAt: String = "", framework: String? = nil
    ) {
        self.framework = framework ?? criterion.map { _ in Framework.soc2ID }
        self.ref = ref; self.title = title; self.description = description
        self.severity = severity; self.effort = effort; self.control = control
        self.criterion = criterion; self.owner = owner; self.due = due; self.status = status
        self.justification = justification; self.remediationNote = remediationNote
        self.remediatedBy = remediatedBy; self.remediatedAt = remediatedAt
        self.createdAt = createdAt
    }

    /// Overdue: still open and due strictly before `today` (`YYYY-MM-DD`, compared as text).
    public func isOverdue(today: String) -> Bool {
        guard status.isOpen, let due else { return false }
        return due < today
    }
}

/// The readiness scope of a workspace.
public struct Scope: Equatable, Sendable {
    public var company: String
    public var system: String
    public var reportType: ReportType
    public var categories: Set<TSCCategory>

    public init(
        company: String, system: String = "", reportType: ReportType = .type2,
        categories: Set<TSCCategory> = [.security]
    ) {
        self.company = company; self.system = system; self.reportType = reportType
        self.categories = categories.union([.security])
    }

    /// Scope categories in the canonical order.
    public var orderedCategories: [TSCCategory] {
        TSCCategory.allCases.filter { categories.contains($0) }
    }

    public func includes(category key: String) -> Bool {
        guard let category = TSCCategory(rawValue: key) else { return true }
        return categories.contains(category)
    }
}

/// One row of the change log.
public struct ChangeRecord: Equatable, Sendable {
    public var id: Int64
    public var at: String
    public var actor: String
    public var entity: String
    public var ref: String
    public var field: String
    public var before: String?
    public var after: String?
    public var batch: Int64
    public var meeting: String?
    public var hash: String
    /// The entity's row id (schema v5 on): a renamed owner is still the same owner.
    public var entityID: Int64?
    /// For fields that name an owner: the owners' ids, so history survives renames. `before`
    /// and `after` keep the names of the day; readers show the names of today.
    public var beforeID: Int64?
    public var afterID: Int64?

    public init(
        id: Int64, at: String, actor: String, entity: String, ref: String, field: String,
        before: String?, after: String?, batch: Int64, meeting: String? = nil, hash: String = "",
        entityID: Int64? = nil, beforeID: Int64? = nil, afterID: Int64? = nil
    ) {
        self.id = id; self.at = at; self.actor = actor; self.entity = entity; self.ref = ref
        self.field = field; self.before = before; self.after = after; self.batch = batch
        self.meeting = meeting; self.hash = hash
        self.entityID = entityID; self.beforeID = beforeID; self.afterID = afterID
    }
}
