import AssureModel
import TerminalUI

/// Everything that can happen to the workbench.
public enum Action: Equatable, Sendable {
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
    /// An edit was refused (a conflict, a rule): reopen what the person was in, with what they
    /// typed, so they can read why and apply it again knowingly.
    case refused(String, reopen: Mode?)
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
    /// `baseline`: the change-log id the person saw when they began the edit (the form opened);
    /// a field changed by someone else after it is refused. `reopen`: the form to bring back,
    /// with what was typed, if the write is refused.
    case apply(Edit, EditKind, baseline: Int64, reopen: Mode? = nil)
    case loadTrend
    case loadProposals
    case suspend
    case redraw
    case quit
}
