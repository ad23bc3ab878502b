import ArgumentParser
import AssureServerStore
import AssureStore
import Foundation
import TerminalUI

/// `assure access`: who may change what on a server workspace.
struct AccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Who may change what on a server workspace: grant, revoke and list roles.",
        discussion: """
            Roles, enforced by the PostgreSQL server itself (row-level security and server-side functions), so that \
            neither a modified client nor raw SQL can exceed them:
              admin    changes everything, and grants and revokes access
              editor   changes everything but access
              owner    changes only the controls, gaps and evidence of the owner record they are (--owner NAME)
              auditor  reads everything, reviews evidence and handles audit requests, changes nothing else
              viewer   reads everything, changes nothing
            Every grant and revoke is a change-log row. A person is a login role on the server; a grant creates one \
            without a password when none exists (the database's administrator then sets how they log in).

            Examples:
              assure access grant omar owner --owner "Omar Haddad" -w postgres://alice@db.internal/acme
              assure access grant vera auditor
              assure access list --format json
              assure access revoke vera
            """,
        subcommands: [AccessGrant.self, AccessRevoke.self, AccessList.self])

    /// The server a command's -w names; access has no meaning for a file.
    static func server(_ options: WorkspaceOptions) throws -> ServerAddress {
        let location = try options.path()
        guard ServerAddress.isServer(location) else {
            throw CLIError("access is for a server workspace (-w postgres://...); who may change a workspace file is who may write the file")
        }
        return try ServerAddress(location)
    }
}

struct AccessGrant: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grant", abstract: "Give a person a role (admins only).")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: ArgumentHelp("The person's login name on the server.", valueName: "person"))
    var person: String
    @Argument(help: ArgumentHelp("admin, editor, owner, auditor or viewer.", valueName: "role"))
    var role: String
    @Option(help: ArgumentHelp("For an owner: the owner record they are (a name from assure owners).", valueName: "name"))
    var owner: String?

    func run() throws {
        try ServerAccess.grant(try AccessCommand.server(options), person: person, role: role, owner: owner)
        print(Sanitize.line("\(person): \(role)\(owner.map { " (\($0))" } ?? "")"))
    }
}

struct AccessRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Take a person's access away (admins only).")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: ArgumentHelp("The person's login name on the server.", valueName: "person"))
    var person: String

    func run() throws {
        try ServerAccess.revoke(try AccessCommand.server(options), person: person)
        print(Sanitize.line("\(person): no access"))
    }
}

struct AccessList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Everyone with access and their role.")
    @OptionGroup var options: WorkspaceOptions
    @OptionGroup var format: FormatOption

    func run() throws {
        let entries = try ServerAccess.list(try AccessCommand.server(options))
        let table = Table(
            columns: [Table.Column("person", "Person"), Table.Column("role", "Role"), Table.Column("owner", "Owner record")],
            rows: entries.map { [.text($0.person), .text($0.role), .text($0.owner)] })
        Output.print(table, format: format.format)
    }
}
