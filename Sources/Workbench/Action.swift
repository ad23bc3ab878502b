import AssureModel
import TerminalUI

/// Everything that can happen to the workbench.
public enum Action: Sendable {
    case key(Key)
    case mouse(MouseButton, x: Int, y: Int)
    case resize(width: Int, height: Int)
    case paste(String)
    /// Nothing happened for a while: fade toasts.
    case tick
    case snapshotLoaded(WorkspaceSnapshot)
    case detailLoaded(ChangeRecord?)
    case failed(String)
    case run(CommandID)
    /// An edit was written; `result.batch` is its change-log batch.
    case applied(Edit, EditKind, EditResult)
    case trendLoaded([TrendSample])
    case proposalsLoaded([String])
}

/// How an applied edit moves the undo and redo stacks.
public enum EditKind: Equatable, Sendable {
    case normal, undo, redo
    /// Not undoable (meetings).
    case untracked
}

/// Work the reducer asks the runtime to do; results come back as actions.
public enum Effect: Equatable, Sendable {
    case reload
    case loadDetail(entity: String, ref: String)
    case switchTheme(String)
    case apply(Edit, EditKind)
    case loadTrend
    case loadProposals
    case suspend
    case redraw
    case quit
}
