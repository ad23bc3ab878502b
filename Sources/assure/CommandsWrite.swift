import ArgumentParser
import AssureModel
import AssureStore
import Foundation

struct OwnerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "owner", abstract: "Manage owners (people and teams): add, edit, retire.",
        subcommands: [Add.self, Edit.self, Retire.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a person or team who can own controls and gaps.",
            discussion:
                "Examples:\n  assure owner add \"Dana Kim\" --handle dana@example.com --role \"Head of Security\"\n  assure owner add \"Platform Team\" --team"
        )

        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "Full name, as it should appear on reports.")
        var name: String
        @Option(help: "E-mail address or chat handle.")
        var handle: String = ""
        @Option(help: "Role or job title.")
        var role: String = ""
        @Flag(help: "This owner is a team, not a person.")
        var team = false

        func run() throws {
            let workspace = try options.open()
            try workspace.write(options.acting()) { try $0.addOwner(Owner(name: name, handle: handle, role: role, kind: team ? .team : .person)) }
            print("Added owner \(name)")
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Rename an owner or change their role or handle.",
            discussion:
                "History keeps the person: the log, undo and minutes name them by their new name.\nExamples:\n  assure owner edit \"Dana Kim\" --name \"Dana Kim-Lee\"\n  assure owner edit \"Omar Haddad\" --role \"Head of SRE\""
        )

        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The owner's name, handle or a unique name prefix.")
        var name: String
        @Option(name: .customLong("name"), help: "The new name.")
        var newName: String?
        @Option(help: "The new role or job title.")
        var role: String?
        @Option(help: "The new e-mail address or chat handle.")
        var handle: String?

        func run() throws {
            guard newName != nil || role != nil || handle != nil else { throw CLIError("nothing to change: give --name, --role or --handle") }
            let workspace = try options.open()
            let written = try workspace.write(options.acting()) { try $0.editOwner(name, newName: newName, role: role, handle: handle) }
            print(written.batch == nil ? "\(name): nothing changed" : "\(newName ?? name) updated")
        }
    }

    struct Retire: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retire",
            abstract: "Retire a leaver: list what they held, or move it all to someone in one step.",
            discussion:
                "A retired owner keeps their history but owns nothing new; controls they still hold count as unowned until reassigned.\nExamples:\n  assure owner retire \"Marcus Bell\"\n  assure owner retire \"Marcus Bell\" --reassign-to \"Dana Kim\""
        )

        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The owner's name, handle or a unique name prefix.")
        var name: String
        @Option(help: "Who takes over their controls, backups and open gaps.")
        var reassignTo: String?

        func run() throws {
            let workspace = try options.open()
            let handover = try workspace.write(options.acting()) { try $0.retireOwner(name, reassignTo: reassignTo) }.value
            print("\(handover.owner) retired.")
            func list(_ label: String, _ refs: [String]) { if !refs.isEmpty { print("  \(label) (\(refs.count)): \(refs.joined(separator: " "))") } }
            if handover.isEmpty {
                print("They held no controls and no open gaps.")
            } else if let heir = handover.reassignedTo {
                print("Moved to \(heir):")
                list("controls", handover.controls); list("backup for", handover.backupFor); list("open gaps", handover.gaps)
            } else {
                print("Still theirs, to reassign (assure assign CONTROL OWNER, assure gap assign GAP OWNER):")
                list("controls", handover.controls); list("backup for", handover.backupFor); list("open gaps", handover.gaps)
            }
        }
    }
}

struct Assign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Give a control an owner (and optionally a backup owner).",
        discussion:
            "Owners match by name, handle or a unique name prefix.\nExamples:\n  assure assign AC-03 \"Omar Haddad\" --backup \"Dana Kim\"\n  assure assign AC-03 none   (removes the owner)"
    )

    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The control reference, e.g. AC-03.")
    var control: String
    @Argument(help: "The owner's name, or 'none' to remove the owner.")
    var owner: String
    @Option(help: "The backup owner's name, or 'none' to remove the backup.")
    var backup: String?

    func run() throws {
        let workspace = try options.open()
        let ownerValue: String? = owner.lowercased() == "none" ? nil : owner
        let backupValue: String?? = backup.map { $0.lowercased() == "none" ? nil : $0 }
        let result = try workspace.write(options.acting()) { w in
            try w.assign(controls: [control], owner: .some(ownerValue), backup: backupValue)
            return try w.reader.controls().first { $0.ref.uppercased() == control.uppercased() }
        }.value
        print("\(result?.ref ?? control) owner: \(result?.owner ?? "none")\(result?.backupOwner.map { ", backup: \($0)" } ?? "")")
    }
}

struct ControlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "control", abstract: "Change controls.", subcommands: [SetStatus.self])

    struct SetStatus: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-status",
            abstract: "Set a control's status: not-started, in-progress, implemented or not-applicable.",
            discussion:
                "Not applicable needs a justification.\nExamples:\n  assure control set-status AC-03 implemented\n  assure control set-status EP-02 not-applicable --justification \"No offices; fully remote\""
        )

        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The control reference, e.g. AC-03.")
        var control: String
        @Argument(help: "not-started, in-progress, implemented or not-applicable.")
        var status: String
        @Option(help: "Why the control does not apply (required for not-applicable).")
        var justification: String = ""

        func run() throws {
            let workspace = try options.open()
            let value = try parseStatus(status)
            try workspace.write(options.acting()) { try $0.setStatus(controls: [control], to: value, justification: justification) }
            print("\(control.uppercased()) status: \(value.label)")
        }
    }
}

struct GapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gap", abstract: "Open, remediate, reopen and accept gaps.",
        subcommands: [OpenGap.self, Remediate.self, Reopen.self, Accept.self, Start.self, AssignGap.self])

    struct OpenGap: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "open", abstract: "Record a new gap.",
            discussion: """
                Due dates accept YYYY-MM-DD, +10d, +2w, +3m, today and eoq (end of quarter).
                Examples:
                  assure gap open --title "No DR test this year" --severity high --effort M --owner "Omar Haddad" --due +30d --control BC-03
                  assure gap open --title "Vendor list incomplete" --criterion CC9.2
                """)

        @OptionGroup var options: WorkspaceOptions
        @Option(help: "What is missing, in a line.")
        var title: String
        @Option(help: "More detail.")
        var description: String = ""
        @Option(help: "critical, high, medium or low.")
        var severity: String = "medium"
        @Option(help: "XS, S, M, L or XL.")
        var effort: String = "M"
        @Option(help: "Who will fix it.")
        var owner: String?
        @Option(help: "When it should be fixed.")
        var due: String?
        @Option(help: "The control the gap is about.")
        var control: String?
        @Option(help: "The criterion the gap is about.")
        var criterion: String?

        func run() throws {
            guard let severityValue = parseLoose(severity, as: Severity.self) else {
                throw CLIError("unknown severity '\(severity)'; use critical, high, medium or low")
            }
            guard let effortValue = Effort(loose: effort) else { throw CLIError("unknown effort '\(effort)'; use XS, S, M, L or XL") }
            let workspace = try options.open()
            let ref = try workspace.write(options.acting()) {
                try $0.openGap(
                    GapDraft(
                        title: title, description: description, severity: severityValue, effort: effortValue, owner: owner,
                        due: due, control: control, criterion: criterion))
            }.value
            print("Opened \(ref): \(title)")
        }
    }

    struct Remediate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remediate",
            abstract: "Mark a gap remediated, saying what was done.",
            discussion: "Example:\n  assure gap remediate GAP-12 --note \"DR test run on 2026-11-20; report in Drive\"")
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The gap reference, e.g. GAP-12 (or just 12).")
        var gap: String
        @Option(help: "What was done (required).")
        var note: String
        func run() throws {
            try options.open().write(options.acting()) { try $0.remediateGaps([gap], note: note) }.value
            print("\(normalizeGap(gap)) remediated")
        }
    }

    struct Reopen: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reopen",
            abstract: "Reopen a remediated or accepted gap.", discussion: "Example:\n  assure gap reopen GAP-12")
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The gap reference.")
        var gap: String
        func run() throws {
            try options.open().write(options.acting()) { try $0.reopenGaps([gap]) }.value
            print("\(normalizeGap(gap)) reopened")
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "accept",
            abstract: "Accept the risk of a gap instead of fixing it.",
            discussion: "Example:\n  assure gap accept GAP-7 --justification \"Compensated by daily manual review; CFO sign-off\"")
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The gap reference.")
        var gap: String
        @Option(help: "Why the risk is acceptable (required).")
        var justification: String
        func run() throws {
            try options.open().write(options.acting()) { try $0.acceptGaps([gap], justification: justification) }.value
            print("\(normalizeGap(gap)) risk accepted")
        }
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start",
            abstract: "Mark a gap as in progress.", discussion: "Example:\n  assure gap start GAP-3")
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The gap reference.")
        var gap: String
        func run() throws {
            try options.open().write(options.acting()) { try $0.startGaps([gap]) }.value
            print("\(normalizeGap(gap)) in progress")
        }
    }

    struct AssignGap: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "assign", abstract: "Give a gap an owner ('none' removes it).",
            discussion: "Example:\n  assure gap assign GAP-3 \"Dana Kim\"")
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The gap reference.")
        var gap: String
        @Argument(help: "The owner's name, or 'none'.")
        var owner: String
        func run() throws {
            try options.open().write(options.acting()) { try $0.assignGaps([gap], owner: owner.lowercased() == "none" ? nil : owner) }.value
            print("\(normalizeGap(gap)) owner: \(owner)")
        }
    }
}

/// What `import controls` and `import gaps` share.
struct ImportTableOptions: ParsableArguments {
    @Argument(help: "The CSV file (RFC 4180, first row is the header).")
    var file: String
    @Option(help: ArgumentHelp("Header-to-field mapping, e.g. \"Control ID=ref,Owner=owner\".", valueName: "mapping"))
    var map: String = ""
    @Flag(help: "Show what would change and write nothing.")
    var dryRun = false
    @Flag(help: "Create owners the file names who do not exist yet.")
    var createOwners = false
    @Option(
        help: ArgumentHelp(
            "Whose requirements plain references in the criteria/criterion column are (default: soc2); the column then governs that framework's mappings.",
            valueName: "id"))
    var framework: String?

    func run(_ kind: ImportKind, _ options: WorkspaceOptions) throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CLIError("\(file): cannot read the file") }
        let mapping = try HeaderMapping.parse(map)
        let result = try options.open().importCSV(
            text, path: file, kind: kind, mapping: mapping, dryRun: dryRun, createOwners: createOwners,
            framework: framework ?? Framework.soc2ID, by: options.acting())
        for change in result.changes { print(change) }
        if result.dryRun {
            if !result.newOwners.isEmpty && !createOwners {
                print("owners to create (add --create-owners): \(result.newOwners.joined(separator: ", "))")
            }
            print("dry run: \(result.changes.count) changes, nothing written")
        } else {
            print("\(result.changes.count) changes written")
        }
    }
}

private let importDiscussion = """
    Columns match fields by name (controls: ref, title, description, status, owner, backup, frequency, evidence, criteria, justification; gaps: ref, title, description, severity, effort, owner, due, status, control, criterion, note, justification); --map renames headers; other columns are ignored. Every row is checked first: one bad row, reported by row and column, means nothing is written. Owners named in the file must exist, or are created with --create-owners.
    """

struct ImportControls: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controls", abstract: "Import or update controls from a CSV file.",
        discussion: importDiscussion + "\nExamples:\n  assure import controls matrix.csv --map \"Control ID=ref,Owner=owner\" --dry-run"
            + "\n  assure import controls nist-map.csv --framework moderate   (criteria column: ac-2 ac-2.1; only moderate's links change)")
    @OptionGroup var options: WorkspaceOptions
    @OptionGroup var table: ImportTableOptions
    func run() throws { try table.run(.controls, options) }
}

struct ImportGaps: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gaps", abstract: "Import or update gaps from a CSV file.",
        discussion: importDiscussion + "\nExamples:\n  assure import gaps findings.csv --create-owners")
    @OptionGroup var options: WorkspaceOptions
    @OptionGroup var table: ImportTableOptions
    func run() throws { try table.run(.gaps, options) }
}

func normalizeGap(_ ref: String) -> String { Int(ref) != nil ? "GAP-\(ref)" : ref.uppercased() }

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a catalog, or controls and gaps from CSV spreadsheets.",
        subcommands: [ImportCatalog.self, ImportOSCAL.self, ImportControls.self, ImportGaps.self])

    struct ImportCatalog: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "catalog", abstract: "Load a framework from a catalog YAML file (format in the README).",
            discussion:
                "A malformed file is refused with file:line:column and nothing is written.\nExample:\n  assure import catalog iso27001-2022.yaml")
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The catalog YAML file.")
        var file: String
        func run() throws {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CLIError("\(file): cannot read the file") }
            let catalog = try options.open().write(options.acting()) { try $0.importCatalog(yaml: text, path: file) }.value
            let level = catalog.framework.assessableLevel == "criterion" ? "criteria" : "requirements at level '\(catalog.framework.assessableLevel)'"
            print(
                "Imported \(catalog.framework.title) as '\(catalog.framework.id)': \(catalog.criteria.count) \(level), \(catalog.requirements.count) requirements in all"
            )
        }
    }
}

/// `--map "Header=field,..."`, shared by every spreadsheet import.
enum HeaderMapping {
    static func parse(_ map: String) throws -> [String: String] {
        var mapping: [String: String] = [:]
        for pair in map.split(separator: ",") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { throw CLIError("--map takes \"Header=field,...\", got '\(pair)'") }
            mapping[parts[0]] = parts[1]
        }
        return mapping
    }
}
