import ArgumentParser
import AssureModel
import AssureStore
import Foundation
import TerminalUI

struct TrainingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "training", abstract: "Security training: courses, who completed them, and who is due or overdue.",
        discussion: """
            A person owes a course when they are in its audience (all, or their team) and employed today. \
            The first due date is the grace period after the later of the course's creation and their start; \
            after a completion the next is one cadence later (a `once` course is done for good). States: \
            overdue (the due date has passed), due (due today or within \(TrainingRules.dueWindowDays) days), \
            done (completed, next due later than that), not yet due (never completed, first due later than that).

            Examples:
              assure training add "Security awareness"          (annual, for all, 30 days' grace)
              assure training add "Secure coding" --audience engineering --grace-days 60
              assure training record security --person "Jo Park" --date 2026-11-10 \\
                --evidence jo-certificate.pdf
              assure training --overdue
              assure training TRN-2 --format csv
            """,
        subcommands: [TrainingList.self, TrainingCourses.self, TrainingAdd.self, TrainingEdit.self, TrainingRecordCommand.self],
        defaultSubcommand: TrainingList.self)
}

struct TrainingList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Per course and person owing it: last completed, due date, state.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "Only this course (reference, title, or a unique start of the title).") var course: String?
    @Flag(help: "Only overdue rows.") var overdue = false
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    func run() throws {
        var rows = try options.open(readOnly: true).read { try $0.trainingStatus(course: course, today: today) }
        if overdue { rows = rows.filter { $0.state == .overdue } }
        Output.print(TrainingTables.status(rows), format: format, tableColumns: ["course", "title", "person", "last_completed", "due", "state"])
        if format == .table && !rows.isEmpty {
            let counts = TrainingState.allCases.compactMap { state -> String? in
                let n = rows.filter { $0.state == state }.count
                return n == 0 ? nil : "\(n) \(state.rawValue)"
            }
            print(overdue ? counts.joined() : "\(rows.count) owed: \(counts.joined(separator: ", "))")
        }
    }
}

struct TrainingCourses: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "courses", abstract: "List the courses with their cadence, audience and how many are overdue.")
    @OptionGroup var options: WorkspaceOptions
    @Option(help: "table, csv or json.") var format: OutputFormat = .table
    func run() throws {
        let (courses, status) = try options.open(readOnly: true).read { r in (try r.trainingCourses(), try r.trainingStatus(today: today)) }
        Output.print(TrainingTables.courses(courses, status: status), format: format)
    }
}

struct TrainingAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a course (TRN-1, TRN-2, ...).")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The course's title.") var title: String
    @Option(help: ArgumentHelp("How often it is retaken: once, quarterly, semi-annual or annual.", valueName: "cadence")) var cadence: String =
        "annual"
    @Option(help: ArgumentHelp("Who takes it: all, or teams separated by commas.", valueName: "all|team,...")) var audience: String = "all"
    @Option(help: "Days a new hire (or everyone, for a new course) has before it is due.") var graceDays: Int = 30
    func run() throws {
        let parsedCadence = try TrainingArguments.cadence(cadence)
        let parsedAudience = try TrainingArguments.audience(audience)
        let ref = try options.open().write(options.acting()) {
            try $0.addTrainingCourse(TrainingCourseDraft(title: title, cadence: parsedCadence, audience: parsedAudience, graceDays: graceDays))
        }.value
        print(
            Sanitize.line(
                "\(ref): \(title.trimmingCharacters(in: .whitespaces)) (\(parsedCadence.rawValue), for \(parsedAudience.text), \(graceDays) days' grace)"
            ))
    }
}

struct TrainingEdit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "edit", abstract: "Change a course's title, cadence, audience or grace period.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The course (reference, title, or a unique start of the title).") var course: String
    @Option(help: "A new title.") var title: String?
    @Option(help: ArgumentHelp("once, quarterly, semi-annual or annual.", valueName: "cadence")) var cadence: String?
    @Option(help: ArgumentHelp("all, or teams separated by commas.", valueName: "all|team,...")) var audience: String?
    @Option(help: "Days' grace before a first completion is due.") var graceDays: Int?
    func run() throws {
        guard title != nil || cadence != nil || audience != nil || graceDays != nil else {
            throw CLIError("name what changes: --title, --cadence, --audience or --grace-days")
        }
        let parsedCadence = try cadence.map(TrainingArguments.cadence)
        let parsedAudience = try audience.map(TrainingArguments.audience)
        let workspace = try options.open()
        let changed = try workspace.write(options.acting()) {
            try $0.editTrainingCourse(course, title: title, cadence: parsedCadence, audience: parsedAudience, graceDays: graceDays)
        }.value
        let now = try workspace.read { try $0.trainingCourse(title ?? course) }
        print(
            Sanitize.line(
                changed.isEmpty
                    ? "\(now.ref): nothing changed"
                    : "\(now.ref): \(now.title) (\(now.cadence.rawValue), for \(now.audience.text), \(now.graceDays) days' grace); changed \(changed.joined(separator: ", "))"
            ))
    }
}

struct TrainingRecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record", abstract: "Record that someone completed a course, with the certificate if you have one.")
    @OptionGroup var options: WorkspaceOptions
    @Argument(help: "The course (reference, title, or a unique start of the title).") var course: String
    @Option(help: "Who completed it (a known person).") var person: String
    @Option(help: ArgumentHelp("When they completed it, YYYY-MM-DD (not in the future).", valueName: "date")) var date: String
    @Option(help: ArgumentHelp("The certificate or export proving it, stored in the workspace by SHA-256.", valueName: "file")) var evidence: String?
    func run() throws {
        let done = try options.open().write(options.acting()) {
            try $0.recordTraining(course: course, person: person, completedOn: date, evidence: evidence)
        }.value
        let proof = done.evidenceName.map { name in " (\(name), sha256 \(done.evidenceSHA256.map { String($0.prefix(12)) } ?? "")…)" } ?? ""
        print(Sanitize.line("\(done.course): \(done.person) completed it on \(done.completedOn)\(proof)"))
    }
}

enum TrainingArguments {
    static func cadence(_ text: String) throws -> ReviewCadence {
        guard let cadence = ReviewCadence(text: text) else {
            throw CLIError("--cadence: '\(text)' is not a cadence; use once, quarterly, semi-annual or annual")
        }
        return cadence
    }

    static func audience(_ text: String) throws -> TrainingAudience {
        do { return try TrainingAudience(parsing: text) } catch let violation as RuleViolation {
            throw CLIError("--audience: \(violation.description)")
        }
    }
}

enum TrainingTables {
    static func status(_ rows: [TrainingDue]) -> Table {
        Table(
            columns: [
                .init("course", "Course"), .init("title", "Title"), .init("person", "Person"), .init("team", "Team"),
                .init("last_completed", "Last completed"), .init("due", "Due"), .init("state", "State"), .init("evidence", "Evidence"),
            ],
            rows: rows.map { row in
                [
                    .text(row.courseRef), .text(row.course), .text(row.person), .text(row.team), .text(row.lastCompleted),
                    .text(row.due), .text(row.state.rawValue), .text(row.evidence),
                ]
            })
    }

    static func courses(_ courses: [TrainingCourse], status: [TrainingDue]) -> Table {
        Table(
            columns: [
                .init("ref", "Course"), .init("title", "Title"), .init("cadence", "Cadence"), .init("audience", "Audience"),
                .init("grace_days", "Grace days", alignRight: true), .init("created_on", "Added"), .init("owed", "Owed", alignRight: true),
                .init("overdue", "Overdue", alignRight: true),
            ],
            rows: courses.map { course in
                let owing = status.filter { $0.courseRef == course.ref }
                return [
                    .text(course.ref), .text(course.title), .text(course.cadence.rawValue), .text(course.audience.text),
                    .int(course.graceDays), .text(course.createdOn), .int(owing.count), .int(owing.filter { $0.state == .overdue }.count),
                ]
            })
    }
}
