import AssureModel
import Foundation

/// Each owner's gap keys read so far for one snapshot: what Enter on an owner limits the Gaps
/// pane to. The owner under the cursor in the Owners pane is read ahead on `ReadAhead.queue`
/// (then the first page of their gaps), so the Enter that follows finds both read; a limit
/// asked for while its read ahead is running waits for it rather than reading again.
///
/// `@unchecked Sendable`: every field is only touched under `lock`; `read` is Sendable.
final class OwnerGapKeys: @unchecked Sendable {
    /// An owner's keys in triage order ("" is the unassigned gaps).
    private let read: @Sendable (String) throws -> [GapKey]
    private let lock = NSCondition()
    private var keys: [String: [GapKey]] = [:]
    /// The owner being read ahead, the one asked for next, and whether a read is on the queue.
    private var inFlight: String?
    private var pending: String?
    private var scheduled = false
    /// Reads made: what tests count.
    private(set) var reads = 0

    init(read: @escaping @Sendable (String) throws -> [GapKey]) { self.read = read }

    /// The owner's keys, read now unless read (or being read) ahead.
    func keys(owner: String) throws -> [GapKey] {
        lock.lock()
        while inFlight == owner { lock.wait() }
        if let known = keys[owner] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let found = try read(owner)
        lock.lock()
        reads += 1
        keys[owner] = found
        lock.unlock()
        return found
    }

    /// Reads the owner's keys ahead, then `then` with them (the first page of their gaps). A
    /// newer ask replaces one not started: moving down the Owners pane reads only where the
    /// cursor rests.
    func readAhead(owner: String, then: @escaping @Sendable ([GapKey]) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        guard keys[owner] == nil, inFlight != owner else {
            pending = nil
            return
        }
        pending = owner
        guard !scheduled else { return }
        scheduled = true
        ReadAhead.run { self.readPending(then: then) }
    }

    private func readPending(then: @escaping @Sendable ([GapKey]) -> Void) {
        lock.lock()
        scheduled = false
        guard let owner = pending, keys[owner] == nil else {
            pending = nil
            lock.unlock()
            return
        }
        pending = nil
        inFlight = owner
        lock.unlock()
        let found = try? read(owner)
        lock.lock()
        inFlight = nil
        if let found {
            reads += 1
            keys[owner] = found
        }
        lock.broadcast()
        lock.unlock()
        if let found { then(found) }
    }
}
