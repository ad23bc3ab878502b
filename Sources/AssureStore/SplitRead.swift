import Dispatch
import Foundation

extension Workspace {
    /// Two reads of one state of the workspace at once, on two connections (two cores): `side`
    /// on another thread while `main` runs on this one. Each read also takes the newest
    /// change-log id; every write adds change-log rows, so equal ids mean both saw the same
    /// state. When someone wrote in between, both run again in one transaction.
    /// On a workspace opened `immutable` (one connection) the two simply take turns.
    public func readSplit<Main, Side: Sendable>(
        _ main: (WorkspaceReader) throws -> Main, side: @escaping @Sendable (WorkspaceReader) throws -> Side
    ) throws -> (Main, Side) {
        try readSplit(main, side: side, beforeSide: {})
    }

    /// `beforeSide` runs on the side's thread before its read begins: tests use it to land a
    /// write between the two halves.
    func readSplit<Main, Side: Sendable>(
        _ main: (WorkspaceReader) throws -> Main, side: @escaping @Sendable (WorkspaceReader) throws -> Side,
        beforeSide: @escaping @Sendable () -> Void
    ) throws -> (Main, Side) {
        let box = SplitReadBox<(Side, Int64)>()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            beforeSide()
            box.result = Result { try read { r in (try side(r), try r.changeCounter()) } }
            done.signal()
        }
        let here = Result { try read { r in (try main(r), try r.changeCounter()) } }
        done.wait()
        let (mainValue, mainToken) = try here.get()
        let (sideValue, sideToken) = try box.result!.get()
        if mainToken == sideToken { return (mainValue, sideValue) }
        return try read { r in (try main(r), try side(r)) }
    }
}

/// The side read's result, handed from its thread to the waiting one. Unchecked because the
/// reading thread writes it once before signalling the semaphore and the caller reads it only
/// after waiting.
private final class SplitReadBox<Value>: @unchecked Sendable {
    var result: Result<Value, Error>?
}
