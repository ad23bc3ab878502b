import Foundation

public struct Framework: Equatable, Sendable {
    public var id: String
    public var title: String
    public var version: String
    public init(id: String, title: String, version: String) {
        self.id = id; self.title = title; self.version = version
    }
}

/// One node of a framework's tree: a category (CC), a series (CC6), a criterion (CC6.1) or a
/// point of focus (CC6.1.3).
public struct Requirement: Equatable, Sendable {
    public var frameworkID: String
    public var ref: String
    public var parentRef: String?
    public var kind: RequirementKind
    /// The scope category this node belongs to (SOC 2: security, availability, ...).
    public var category: String
    public var title: String
    public var summary: String
    public var order: Int

    public init(
        frameworkID: String, ref: String, parentRef: String?, kind: RequirementKind,
        category: String, title: String, summary: String, order: Int
    ) {
        self.frameworkID = frameworkID; self.ref = ref; self.parentRef = parentRef
        self.kind = kind; self.category = category; self.title = title
        self.summary = summary; self.order = order
    }
}

public struct Owner: Equatable, Sendable {
    public var name: String
    public var handle: String
    public var role: String
    public var kind: OwnerKind
    public init(name: String, handle: String = "", role: String = "", kind: OwnerKind = .person) {
        self.name = name; self.handle = handle; self.role = role; self.kind = kind
    }
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
    /// Criterion refs this control addresses.
    public var criteria: [String]

    public init(
        ref: String, title: String, description: String = "", status: ControlStatus = .notStarted,
        justification: String = "", frequency: Frequency = .annual, owner: String? = nil,
        backupOwner: String? = nil, evidenceHint: String = "", tags: [String] = [],
        criteria: [String] = []
    ) {
        self.ref = ref; self.title = title; self.description = description; self.status = status
        self.justification = justification; self.frequency = frequency; self.owner = owner
        self.backupOwner = backupOwner; self.evidenceHint = evidenceHint; self.tags = tags
        self.criteria = criteria
    }
}

public struct Gap: Equatable, Sendable {
    public var ref: String
    public var title: String
    public var description: String
    public var severity: Severity
    public var effort: Effort
    public var control: String?
    public var criterion: String?
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
        remediatedAt: String? = nil, createdAt: String = ""
    ) {
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

    public init(
        id: Int64, at: String, actor: String, entity: String, ref: String, field: String,
        before: String?, after: String?, batch: Int64, meeting: String? = nil, hash: String = ""
    ) {
        self.id = id; self.at = at; self.actor = actor; self.entity = entity; self.ref = ref
        self.field = field; self.before = before; self.after = after; self.batch = batch
        self.meeting = meeting; self.hash = hash
    }
}
