import Dispatch
import GRDB

/// Walking a long change log on two cores. Each row stores the hash it links to, so a row can be
/// checked without having walked the rows before it: the newer half starts from the stored hash
/// of the last row of the older half, and the older half's walk checks that very hash. Together
/// the two halves check every link and every hash exactly as one walk from the first row does,
/// and report the same first broken row (`ChainWalkTests` compares them row by row).
public enum ChainWalk {
    /// Below this many rows one walk is quick enough that a second connection is not worth it.
    public static let splitFrom = 100_000

    /// One walk's findings: the verification of its rows and the newest table states they record.
    struct Part {
        var verification: ChainVerification
        var recorded: [String: RecordedTableState]
        /// How many walks found this: 2 when the halves were walked at once (tests check it).
        var walks = 1
    }

    /// Walks the log of `reader` (a read transaction of `workspace`) in two halves at once when it
    /// holds at least `minimumRows` rows and the workspace can read on two connections (a pool;
    /// a file opened `immutable` has one). The newer half is bounded by the newest row this
    /// transaction sees, so rows written meanwhile are not counted.
    static func split(_ reader: WorkspaceReader, workspace: Workspace, minimumRows: Int) throws -> Part {
        let last = try Int64.fetchOne(reader.db, sql: "SELECT max(id) FROM change_log") ?? 0
        let middle = last / 2
        guard workspace.writer is DatabasePool, last >= Int64(minimumRows), middle > 0,
            let hashAtMiddle = try String.fetchOne(reader.db, sql: "SELECT hash FROM change_log WHERE id = ?", arguments: [middle])
        else { return try reader.walkChain() }
        let newer = Box()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global(qos: .userInitiated).async {
            newer.result = Result { try workspace.read { try $0.walkChain(after: middle, through: last, previous: hashAtMiddle) } }
            done.signal()
        }
        let older = Result { try reader.walkChain(through: middle) }
        done.wait()
        return try combine(older: older.get(), newer: newer.result!.get())
    }

    /// The two halves as one walk: the older half's failure comes first; otherwise the newer
    /// half's, counting the older half's rows; otherwise the newer states override the older.
    static func combine(older: Part, newer: Part) -> Part {
        guard older.verification.isIntact else { return Part(verification: older.verification, recorded: older.recorded, walks: 2) }
        var verification = newer.verification
        verification.rows += older.verification.rows
        return Part(verification: verification, recorded: older.recorded.merging(newer.recorded) { _, newer in newer }, walks: 2)
    }

    /// The newer half's result, handed from its thread. Written once before `done` is
    /// signalled and read only after the wait: the semaphore orders the two accesses.
    private final class Box: @unchecked Sendable {
        var result: Result<Part, Error>?
    }
}
