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
            let meeting = try options.open().write(options.acting()) { try $0.startMeeting(title: title, attendees: attendees.split(separator: ",").map(String.init)) }.value
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
            commandName: "list", abstract: "List meetings.", discussion: "Example:\n  assure meeting list")
        @OptionGroup var options: WorkspaceOptions
        func run() throws {
            for m in try options.open().read({ try $0.meetings() }) {
                print("\(m.id)  \(m.startedAt)  \(m.endedAt ?? "open                ")  \(m.title)")
            }
        }
    }

    struct Minutes: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a meeting's minutes: attendees, times, decisions, action items per owner.",
            discussion: "Examples:\n  assure meeting minutes 3 --format md > minutes.md\n  assure meeting minutes \"Readiness review 3\" --format csv")
        @OptionGroup var options: WorkspaceOptions
        @Argument(help: "The meeting's number or title.")
        var meeting: String
        @Option(help: "md or csv.")
        var format: String = "md"
        func run() throws {
            let minutes = try options.open().read { r in
                let found = try r.meeting(meeting)
                return MeetingMinutes.build(meeting: found, changes: try r.changes(inMeeting: found.id), gaps: try r.gaps())
            }
            switch format {
            case "md": print(minutes.markdown(), terminator: "")
            case "csv": print(minutes.csv(), terminator: "")
            default: throw CLIError("--format must be md or csv")
            }
        }
    }
}
