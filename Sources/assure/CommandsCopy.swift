import ArgumentParser
import AssureServerStore
import AssureStore
import Foundation
import TerminalUI

/// `assure copy SOURCE DEST`: a workspace from a file to a PostgreSQL server or back, every
/// row and the whole change log with its hashes.
struct Copy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a workspace from a file to a PostgreSQL server, or from a server to a new file, history included.",
        discussion: """
            One of SOURCE and DEST is a workspace file, the other a postgres:// URL \
            (postgres://USER@HOST:PORT/DATABASE?sslmode=MODE). To a server: the database must hold no workspace yet \
            (createdb NAME first), and everything arrives in one transaction or nothing does. To a file: the file must \
            not exist; it appears only once complete. Every change-log row keeps its hash, so `assure verify` passes on \
            both sides and prints the same chain head.

            The password comes from the URL, else PGPASSWORD, else ~/.pgpass (or the file PGPASSFILE names), as with \
            psql; it is never stored or printed. TLS is used as sslmode says (default prefer).

            Examples:
              createdb acme && assure copy acme.assure postgres://alice@db.internal/acme
              assure copy postgres://alice@db.internal/acme acme-copy.assure
            """)

    @Argument(help: ArgumentHelp("The workspace to copy: a file or a postgres:// URL.", valueName: "source"))
    var source: String
    @Argument(help: ArgumentHelp("Where to copy it: a new file or a postgres:// URL of a database without a workspace.", valueName: "dest"))
    var destination: String

    func run() throws {
        let summary: CopySummary
        switch (ServerAddress.isServer(source), ServerAddress.isServer(destination)) {
        case (false, true):
            let address = try ServerAddress(destination)
            summary = try CopyToServer.run(file: source, to: address)
            report(summary, from: source, to: address.description)
        case (true, false):
            let address = try ServerAddress(source)
            summary = try CopyToFile.run(from: address, to: destination)
            report(summary, from: address.description, to: destination)
        case (false, false):
            throw CLIError(
                "both are files: copy a workspace file with `cp` (closed) or `sqlite3 FILE '.backup COPY'`; assure copy moves between a file and a server"
            )
        case (true, true):
            throw CLIError("both are servers: copy through a file (assure copy SOURCE_URL FILE, then assure copy FILE DEST_URL)")
        }
    }

    private func report(_ summary: CopySummary, from: String, to: String) {
        let head = summary.head.map { "head \($0)" } ?? "empty"
        print(Sanitize.line("copied \(summary.tables) tables, \(summary.rows) rows from \(from) to \(to)"))
        print("change log: \(summary.logRows) rows, \(head)")
    }
}
