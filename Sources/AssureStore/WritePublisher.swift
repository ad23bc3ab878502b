import GRDB

/// A store that must accept each write before it commits. A server workspace's local replica
/// has one: it hands the write's changed rows to the server just before the local commit, and
/// the write is rolled back unless the server took it.
package protocol WritePublisher: Sendable {
    /// Called as a write transaction starts, before the write's body runs.
    func begin(_ db: Database) throws -> any PublishingWrite
    /// Brings the local copy up to the server's newest change. `exclusive`, after a publish
    /// found it behind: also holds the server's append lock until `endExclusive`, so the write
    /// made again next cannot be overtaken (one retry, never a race between busy writers).
    func catchUp(exclusive: Bool) throws
    func endExclusive()
    /// Ends the connection to the server (the workspace is being closed).
    func close()
}

/// One write on its way to the server.
package protocol PublishingWrite {
    /// Called just before commit, once the change-log rows are written. `base` is the newest
    /// change-log id the write was made on. Throws `ReplicaBehind` when the server has moved
    /// on (the write is then made again on the newer state), any other error to refuse it.
    func publish(_ db: Database, base: Int64) throws
    /// Called once the transaction is over, committed or not.
    func end()
}

/// The server holds changes this copy has not seen: catch up and make the write again.
package struct ReplicaBehind: Error, CustomStringConvertible {
    package let serverHead: Int64
    package init(serverHead: Int64) { self.serverHead = serverHead }
    package var description: String { "the server has newer changes (up to \(serverHead))" }
}
