import Foundation

/// A private tmux server running a shell, for end-to-end tests of the real ncurses screen.
/// Waiting is done by polling the screen for expected text, never by sleeping blind.
public final class TmuxSession {
    public let socket: String
    private let tmux = "/usr/bin/tmux"
    private let environment: [String: String]

    public init(width: Int, height: Int, directory: String, environment: [String: String]) throws {
        socket = "assure-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var env = environment
        env["HOME"] = env["HOME"] ?? directory
        self.environment = env
        let result = try runProcess(
            tmux,
            [
                "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "\(width)", "-y", "\(height)",
                "-c", directory, "/bin/sh",
            ], environment: env)
        guard result.exitCode == 0 else { throw ProcessError(description: "tmux failed: \(result.stderr)") }
        try run(["set-option", "-g", "status", "off"])
    }

    @discardableResult
    private func run(_ arguments: [String]) throws -> ProcessResult {
        try runProcess(tmux, ["-L", socket] + arguments, environment: environment)
    }

    /// Sends tmux key names ("Enter", "Escape", "C-p") or single characters.
    public func press(_ keys: String...) throws { try run(["send-keys", "-t", "0"] + keys) }

    /// Types literal text.
    public func type(_ text: String) throws { try run(["send-keys", "-t", "0", "-l", text]) }

    /// Types a shell command line and presses Enter.
    public func runLine(_ line: String) throws {
        try type(line)
        try press("Enter")
    }

    public func capture() throws -> String { try run(["capture-pane", "-p", "-t", "0"]).stdout }

    /// The screen now, or "" when tmux cannot be reached (for failure messages).
    public var screen: String { (try? capture()) ?? "" }

    /// Polls the screen until `text` appears; returns false after `timeout` seconds.
    public func waitFor(_ text: String, timeout: Double = 20) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try capture().contains(text) { return true }
            usleep(50_000)
        }
        return false
    }

    public func kill() { _ = try? run(["kill-server"]) }

    deinit { kill() }
}
