import ArgumentParser
import AssureModel
import AssureStore
import Foundation

struct MeetingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meeting", abstract: "Run readiness meetings: every change in between belongs to the meeting.",
        subcommands: [StartMeeting.self, EndMeeting.self, Minutes.self, ListMeetings.self])

    struct StartMeeting: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start", abstract: "Open a meeting.",
            discussion: "Example:\n  assure meeting start \"Readiness review 3\" --attendees \"Dana Kim, Omar Haddad\"")
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The meeting's title.")
        var title: String
        @Option(help: "Who attends, comma-separated.")
        var attendees: String = ""
        func run() throws {
            let meeting = try options.open().write(options.acting()) {
                try $0.startMeeting(title: title, attendees: attendees.split(separator: ",").map(String.init))
            }.value
            print("Meeting \(meeting.id) started: \(meeting.title)")
        }
    }

    struct EndMeeting: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "end", abstract: "End the open meeting.", discussion: "Example:\n  assure meeting end")
        @OptionGroup var options: WorkspaceOptions
        func run() throws {
            let meeting = try options.open().write(options.acting()) { try $0.endMeeting() }.value
            print("Meeting \(meeting.id) ended: \(meeting.title)")
        }
    }

    struct ListMeetings: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List meetings.",
            discussion: "Examples:\n  assure meeting list\n  assure meeting list --format json")
        @OptionGroup var options: WorkspaceOptions
        @OptionGroup var output: FormatOption
        func run() throws {
            let table = Listings.meetings(try options.open(readOnly: true).read { try $0.meetings() })
            // JSON keeps attendees as a list and an open meeting's end as null; people read
            // attendees comma-separated (names have spaces) and an open meeting as "open".
            let readable = Table(
                columns: table.columns,
                rows: table.rows.map { row in
                    row.enumerated().map { index, value in
                        switch (table.columns[index].key, value) {
                        case (_, .list(let items)): return .text(items.joined(separator: ", "))
                        case ("ended_at", .text(nil)) where output.format == .table: return .text("open")
                        default: return value
                        }
                    }
                })
            Output.print(
                output.format == .json ? table : readable, format: output.format,
                tableColumns: ["id", "started_at", "ended_at", "title", "attendees"])
        }
    }

    struct Minutes: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "minutes",
            abstract: "Write a meeting's minutes: attendees, times, decisions, action items per owner.",
            discussion: "Examples:\n  assure meeting minutes 3 --format md > minutes.md\n  assure meeting minutes \"Readiness review 3\" --format csv"
        )
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The meeting's number or title.")
        var meeting: String
        @Option(help: "md or csv.")
        var format: String = "md"
        func run() throws {
            let minutes = try options.open(readOnly: true).read { r in
                let found = try r.meeting(meeting)
                return MeetingMinutes.build(
                    meeting: found, changes: try r.changes(inMeeting: found.id), gaps: try r.gaps(),
                    anchor: try r.chainAnchor())
            }
            switch format {
            case "md": print(minutes.markdown(), terminator: "")
            case "csv": print(minutes.csv(), terminator: "")
            default: throw CLIError("--format must be md or csv")
            }
        }
    }
}
