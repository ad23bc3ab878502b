/// What a new gap is given. `due` may be relative (`+10d`, `eoq`): the store resolves it
/// against the time the write is made. `criterion` may be qualified as `framework:ref`.
public struct GapDraft: Equatable, Sendable {
    public var title: String
    public var description: String
    public var severity: Severity
    public var effort: Effort
    public var owner: String?
    public var due: String?
    public var control: String?
    public var criterion: String?

    public init(
        title: String, description: String = "", severity: Severity = .medium, effort: Effort = .m,
        owner: String? = nil, due: String? = nil, control: String? = nil, criterion: String? = nil
    ) {
        self.title = title; self.description = description; self.severity = severity
        self.effort = effort; self.owner = owner; self.due = due; self.control = control
        self.criterion = criterion
    }
}
