import AssureModel
import AssureStore
import Workbench

/// The real workspace behind the workbench's `WorkbenchStore` protocol.
public final class WorkspaceAdapter: WorkbenchStore {
    public let workspace: Workspace

    public init(_ workspace: Workspace) { self.workspace = workspace }

    public func loadSnapshot() throws -> WorkspaceSnapshot {
        let all = try workspace.requirements()
        var points: [String: [Requirement]] = [:]
        for requirement in all where requirement.kind == .point { points[requirement.parentRef ?? "", default: []].append(requirement) }
        let owners = try workspace.owners().map {
            OwnerLoad(owner: $0.owner, controls: $0.controls, openGaps: $0.openGaps, overdueGaps: $0.overdueGaps)
        }
        return WorkspaceSnapshot(
            scope: try workspace.scope(), requirements: all.filter { $0.kind != .point }, pointsOfFocus: points,
            controls: try workspace.controls(), owners: owners, gaps: try workspace.gaps(),
            today: Timestamps.day(workspace.clock()), readOnly: workspace.isReadOnly)
    }

    /// The newest change-log id: every write adds rows, whichever process made it.
    public func changeToken() throws -> Int64 { try workspace.changeCounter() }

    public func lastChange(entity: String, ref: String) throws -> ChangeRecord? {
        try workspace.lastChange(entity: entity, ref: ref)
    }

    public func apply(_ edit: Edit) throws -> EditResult {
        throw WorkspaceError.invalid("editing from the workbench is not available yet; use the command line")
    }
}
