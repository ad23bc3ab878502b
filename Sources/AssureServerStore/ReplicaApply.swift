import AssureStore
import Foundation
import GRDB

/// Applies other people's writes, as the server hands them out, to the local copy. Foreign keys
/// are off meanwhile: the server's batch is already whole and checked, and a cascade here would
/// delete rows the batch deletes itself.
enum ReplicaApply {
    /// One batch's changes, inside the caller's transaction.
    static func apply(_ changes: [RowChange], shapes: [String: TableShape], db: Database) throws {
        for change in changes {
            guard let shape = shapes[change.table] else { throw ServerError.server("a change names an unknown table \(change.table)") }
            let table = Workspace.quoted(change.table)
            switch change.operation {
            case .insert:
                let columns = shape.columns.map(\.name).filter { change.new[$0] != nil }
                try db.execute(
                    sql:
                        "INSERT INTO \(table) (\(columns.map(Workspace.quoted).joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))",
                    arguments: StatementArguments(columns.map { change.new[$0]! }))
            case .update:
                let sets = shape.columns.map(\.name).filter { change.new[$0] != nil }
                guard !sets.isEmpty else { continue }
                try db.execute(
                    sql: "UPDATE \(table) SET \(sets.map { "\(Workspace.quoted($0)) = ?" }.joined(separator: ", ")) WHERE \(keyCondition(shape))",
                    arguments: StatementArguments(sets.map { change.new[$0]! } + shape.primaryKey.map { change.old[$0] ?? .null }))
                try expectOneRow(db, change)
            case .delete:
                try db.execute(
                    sql: "DELETE FROM \(table) WHERE \(keyCondition(shape))",
                    arguments: StatementArguments(shape.primaryKey.map { change.old[$0] ?? .null }))
                try expectOneRow(db, change)
            }
        }
    }

    private static func keyCondition(_ shape: TableShape) -> String {
        shape.primaryKey.map { "\(Workspace.quoted($0)) = ?" }.joined(separator: " AND ")
    }

    /// A change to a row this copy does not hold means the copy has drifted from the server.
    private static func expectOneRow(_ db: Database, _ change: RowChange) throws {
        guard db.changesCount == 1 else { throw ReplicaDrifted(table: change.table) }
    }
}

/// The local copy no longer matches the server (edited by hand, or the server was restored):
/// it is fetched again whole.
struct ReplicaDrifted: Error, CustomStringConvertible {
    let table: String
    var description: String { "the local copy of the server workspace does not match the server (table \(table))" }
}
