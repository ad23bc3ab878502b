import ArgumentParser
import AssureServerStore
import AssureStore
import Foundation

/// `-w/--workspace` and `--as`, shared by every command that works on a workspace.
struct WorkspaceOptions: ParsableArguments {
    @Option(
        name: [.short, .customLong("workspace")],
        help: ArgumentHelp(
            "The workspace: a file, or a postgres:// URL of a team workspace (default: $ASSURE_WORKSPACE, else the single *.assure file here).",
            valueName: "path"))
    var workspace: String?

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp(
            "Who is making the change, for the change log (default: $ASSURE_USER, else the login name).", valueName: "name"))
    var actor: String?

    /// On a server workspace the server knows who is logged in: that name, unless --as says.
    var resolvedActor: String {
        if actor == nil, let location = try? path(), ServerAddress.isServer(location), let address = try? ServerAddress(location) {
            return address.user
        }
        return ActorName.resolve(actor)
    }

    /// The person acting, now: passed into every write.
    func acting(baseline: Int64? = nil) -> Actor { Actor(resolvedActor, now: Date(), baseline: baseline) }

    /// Finds the workspace path: the flag, the environment, or the only *.assure file here.
    func path() throws -> String {
        if let workspace { return workspace }
        if let env = ProcessInfo.processInfo.environment["ASSURE_WORKSPACE"], !env.isEmpty { return env }
        let here = FileManager.default.currentDirectoryPath
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: here)) ?? []).filter { $0.hasSuffix(".assure") }.sorted()
        switch files.count {
        case 1: return files[0]
        case 0:
            throw CLIError("no workspace given and no *.assure file in \(here); use -w PATH, set ASSURE_WORKSPACE, or create one with `assure init`")
        default: throw CLIError("several workspaces in \(here) (\(files.joined(separator: ", "))); choose one with -w PATH")
        }
    }

    /// Opens the workspace; a command that only reads passes `readOnly: true`, so it never
    /// writes a byte (nor upgrades an older file).
    func open(readOnly: Bool = false) throws -> Workspace {
        let location = try path()
        if ServerAddress.isServer(location) { return try ServerWorkspace.open(try ServerAddress(location), readOnly: readOnly) }
        return try Workspace.open(path: location, readOnly: readOnly)
    }
}

/// Today as `YYYY-MM-DD` (UTC), for what is overdue.
var today: String { Timestamps.day(Date()) }

enum ActorName {
    static func resolve(_ flag: String?) -> String {
        if let flag, !flag.isEmpty { return flag }
        let env = ProcessInfo.processInfo.environment
        if let user = env["ASSURE_USER"], !user.isEmpty { return user }
        if let login = getlogin().map({ String(cString: $0) }), !login.isEmpty { return login }
        if let user = env["USER"] ?? env["LOGNAME"], !user.isEmpty { return user }
        // No login session (a container, tmux started by a service): the account's own name.
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name.map({ String(cString: $0) }), !name.isEmpty { return name }
        return "unknown"
    }
}

/// A refusal of the command line itself (not of the workspace), shown as `Error: message`.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

struct FormatOption: ParsableArguments {
    @Option(name: .long, help: "Output format: table, csv or json.")
    var format: OutputFormat = .table
}
