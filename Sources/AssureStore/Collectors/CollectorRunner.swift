import AssureModel
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The limits of one run.
public struct CollectorLimits: Sendable, Equatable {
    /// Seconds before the command (and its process group) is killed: `timed-out`.
    public var timeoutSeconds: Int
    /// Bytes of stdout (or of stderr) past which the command is killed: `too-large`.
    public var maxOutput: Int64
    public static let defaultMaxOutput: Int64 = 50 << 20
    public init(timeoutSeconds: Int = 60, maxOutput: Int64 = CollectorLimits.defaultMaxOutput) {
        self.timeoutSeconds = timeoutSeconds; self.maxOutput = maxOutput
    }
}

/// What running a command produced, before anything is stored. Its output sits in temporary
/// files under `folder`, which the caller removes (`discard()`).
public struct CollectorExecution: Sendable {
    public var started: Date
    public var ended: Date
    public var exitStatus: Int?
    public var outcome: CollectorOutcome
    public var reason: String
    public var stdoutPath: String
    public var stdoutSize: Int64
    public var stderrPath: String
    public var stderrSize: Int64
    let folder: String

    public func discard() { try? FileManager.default.removeItem(atPath: folder) }
}

/// Runs a collector's command: `/bin/sh -c COMMAND` in its own process group, in `directory`,
/// with the caller's environment (secrets stay there, never in the workspace) and stdin from
/// /dev/null. stdout is streamed to a temporary file and counted as it comes, so output past
/// the limit kills the run without ever being held in memory; stderr goes straight to a file.
public enum CollectorRunner {
    public static func execute(command: String, directory: String, limits: CollectorLimits, outputName: String) throws -> CollectorExecution {
        let base = NSTemporaryDirectory()
        let folder = (base as NSString).appendingPathComponent("assure-collect-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let stdoutPath = (folder as NSString).appendingPathComponent(outputName)
        let stderrPath = (folder as NSString).appendingPathComponent("stderr.txt")
        do {
            return try run(command: command, directory: directory, limits: limits, folder: folder, stdoutPath: stdoutPath, stderrPath: stderrPath)
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }

    private static func run(
        command: String, directory: String, limits: CollectorLimits, folder: String,
        stdoutPath: String, stderrPath: String
    ) throws -> CollectorExecution {
        let outFD = open(stdoutPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard outFD >= 0 else { throw WorkspaceError.invalid("\(stdoutPath): cannot create (\(String(cString: strerror(errno))))") }
        defer { close(outFD) }
        // Created here so the child's `addopen` finds it; mode 0600 because output may be sensitive.
        let errCreate = open(stderrPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard errCreate >= 0 else { throw WorkspaceError.invalid("\(stderrPath): cannot create") }
        close(errCreate)

        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { throw WorkspaceError.invalid("cannot create a pipe for the collector's output") }
        let readFD = pipeFDs[0]
        defer { close(readFD) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_APPEND, 0o600)
        posix_spawn_file_actions_addclose(&actions, pipeFDs[0])
        posix_spawn_file_actions_addclose(&actions, pipeFDs[1])

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGTSTP, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // Its own process group, so a timeout kills the whole pipeline, not just the shell.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        // posix_spawn cannot change directory portably from Swift: a first shell does, then
        // replaces itself with the one that runs the command exactly as typed.
        let words = ["/bin/sh", "-c", "cd -- \"$1\" || exit 126; exec /bin/sh -c \"$2\"", "sh", directory, command]
        let argv = words.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }

        let started = Date()
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ)
        close(pipeFDs[1])
        guard spawned == 0 else { throw WorkspaceError.invalid("cannot run /bin/sh: \(String(cString: strerror(spawned)))") }

        let deadline = started.addingTimeInterval(Double(limits.timeoutSeconds))
        var written: Int64 = 0
        var killedFor: CollectorOutcome?
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var finished: (code: Int32, signal: Int32)?
        reading: while true {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { killedFor = .timedOut; break }
            var poller = pollfd(fd: readFD, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(remaining, 0.25) * 1000) + 1)
            if ready < 0 && errno != EINTR { break }
            // stderr goes straight to its file; the limit holds for it too.
            if fileSize(stderrPath) > limits.maxOutput { killedFor = .tooLarge; break }
            if ready <= 0 {
                // The shell has ended and nothing came for a while: a process it left in the
                // background still holds stdout open. Stop waiting for it (it is killed below).
                if finished != nil { break reading }
                finished = reap(pid)
                continue
            }
            let count = read(readFD, &buffer, buffer.count)
            if count < 0 { if errno == EINTR { continue }; break }
            if count == 0 { break reading }
            written += Int64(count)
            if written > limits.maxOutput { killedFor = .tooLarge; break }
            var offset = 0
            while offset < count {
                let n = buffer.withUnsafeBytes { write(outFD, $0.baseAddress! + offset, count - offset) }
                if n < 0 {
                    if errno == EINTR { continue }; kill(-pid, SIGKILL); _ = waitFor(pid);
                    throw WorkspaceError.invalid("\(stdoutPath): cannot write the collector's output (\(String(cString: strerror(errno))))")
                }
                offset += n
            }
        }
        if killedFor != nil || finished != nil { kill(-pid, SIGKILL) }
        let status = finished ?? waitFor(pid, until: killedFor == nil ? deadline : nil)
        if killedFor == nil && status == nil { killedFor = .timedOut; kill(-pid, SIGKILL); _ = waitFor(pid) }
        let ended = Date()

        var execution = CollectorExecution(
            started: started, ended: ended, exitStatus: nil, outcome: .passed, reason: "", stdoutPath: stdoutPath,
            stdoutSize: written, stderrPath: stderrPath, stderrSize: fileSize(stderrPath), folder: folder)
        switch killedFor {
        case .timedOut?:
            execution.outcome = .timedOut
            execution.reason = "no result after \(CollectorSchedule.describeSeconds(limits.timeoutSeconds)); the command was killed"
        case .tooLarge?:
            execution.outcome = .tooLarge
            let stream = written > limits.maxOutput ? "output" : "error output"
            execution.reason = "\(stream) passed \(CollectorSchedule.describeSize(limits.maxOutput)); the command was killed"
        default:
            guard let status else { break }
            if status.signal != 0 {
                execution.outcome = .failed
                execution.exitStatus = 128 + Int(status.signal)
                execution.reason = "killed by signal \(status.signal)" + lastLine(stderrPath).map { ": \($0)" }.orEmpty
            } else {
                execution.exitStatus = Int(status.code)
                if status.code != 0 {
                    execution.outcome = .failed
                    execution.reason = "exit \(status.code)" + (lastLine(stderrPath).map { ": \($0)" } ?? "")
                }
            }
        }
        return execution
    }

    /// The child's status if it has ended, without waiting.
    private static func reap(_ pid: pid_t) -> (code: Int32, signal: Int32)? {
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
        let signal = status & 0x7f
        return signal == 0 ? ((status >> 8) & 0xff, 0) : (0, signal)
    }

    /// Waits for the child; with a deadline, gives up (nil) once it passes.
    private static func waitFor(_ pid: pid_t, until deadline: Date? = nil) -> (code: Int32, signal: Int32)? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, deadline == nil ? 0 : WNOHANG)
            if result == pid { break }
            if result < 0 && errno != EINTR { return nil }
            if let deadline {
                if Date() >= deadline { return nil }
                usleep(20_000)
            }
        }
        let signal = status & 0x7f
        return signal == 0 ? ((status >> 8) & 0xff, 0) : (0, signal)
    }

    static func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// The last non-empty line of a file, reading only its last 4 KiB.
    static func lastLine(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let size = fileSize(path)
        guard size > 0 else { return nil }
        try? handle.seek(toOffset: UInt64(max(0, size - 4096)))
        guard let data = try? handle.readToEnd() else { return nil }
        let line = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.last { !$0.isEmpty }
        return line.map { String($0.prefix(300)) }
    }
}

extension Optional where Wrapped == String {
    fileprivate var orEmpty: String { self ?? "" }
}

/// Holds `WORKSPACE.collect.lock` so runs of one workspace never overlap (across processes:
/// a cron job and a person at the workbench). Released when the value is dropped.
public final class CollectLock {
    private let fd: Int32
    public let path: String

    private init(fd: Int32, path: String) { self.fd = fd; self.path = path }
    deinit { flock(fd, LOCK_UN); close(fd) }

    /// Takes the lock, waiting up to `wait` seconds for another run to finish; nil when it is
    /// still held after that.
    public static func acquire(workspacePath: String, wait: TimeInterval = 2) throws -> CollectLock? {
        let path = CollectorTrust.identity(workspacePath: workspacePath) + ".collect.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw WorkspaceError.invalid("\(path): cannot open the lock file (\(String(cString: strerror(errno))))") }
        let deadline = Date().addingTimeInterval(wait)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR, Date() < deadline else { close(fd); return nil }
            usleep(100_000)
        }
        return CollectLock(fd: fd, path: path)
    }
}

/// A collector refused before running: not allowed on this machine, or its command changed.
public struct CollectorNotAllowed: Error, CustomStringConvertible {
    public let collector: String
    public let status: CollectorTrust.Status
    public var description: String {
        let changed = status == .changed ? ": its command changed since it was allowed" : ""
        return "\(collector) is not allowed on this machine\(changed): review its command and run `assure collector allow \(collector)`"
    }
}

/// Another `assure collect` holds the workspace's lock.
public struct CollectorBusy: Error, CustomStringConvertible {
    public let workspace: String
    public init(workspace: String) { self.workspace = workspace }
    public var description: String { "another `assure collect` is running on \(workspace); try again when it ends" }
}

extension Workspace {
    /// Runs one active collector and records the run, as `assure collect` and the workbench do.
    /// The command runs outside any transaction; recording it (the run row, its evidence, the
    /// drift check) is one write. Refused when the collector is not allowed on this machine.
    /// Pass `lock` when the caller already holds it (a batch of runs); otherwise it is taken here.
    public func runCollector(
        _ name: String, actor: Actor, maxOutput: Int64? = nil, trust: CollectorTrust = .forCurrentUser(),
        lock: CollectLock? = nil
    ) throws -> CollectorRunSummary {
        if isReadOnly { throw WorkspaceError.readOnly }
        let collector = try read { try $0.collector(name, today: Timestamps.day(actor.now), now: actor.now) }
        guard collector.status == "active" else { throw WorkspaceError.invalid("\(collector.name) was removed; it no longer runs") }
        let trusted = trust.status(workspacePath: path, collector: collector.name, command: collector.command)
        guard trusted == .allowed else { throw CollectorNotAllowed(collector: collector.name, status: trusted) }
        let held: CollectLock
        if let lock {
            held = lock
        } else {
            guard let taken = try CollectLock.acquire(workspacePath: path) else { throw CollectorBusy(workspace: path) }
            held = taken
        }
        defer { withExtendedLifetime(held) {} }
        let directory = (CollectorTrust.identity(workspacePath: path) as NSString).deletingLastPathComponent
        let limits = CollectorLimits(timeoutSeconds: collector.timeoutSeconds, maxOutput: maxOutput ?? CollectorLimits.defaultMaxOutput)
        let outputName = "\(collector.name)-\(Timestamps.day(Date())).\(collector.format == .json ? "json" : "txt")"
        var execution = try CollectorRunner.execute(command: collector.command, directory: directory, limits: limits, outputName: outputName)
        defer { execution.discard() }
        if execution.outcome == .passed, collector.format == .json, let problem = CollectorRunner.jsonProblem(execution.stdoutPath) {
            execution.outcome = .failed
            execution.reason = "output is not JSON: \(problem)"
        }
        let recorded = execution
        return try write(Actor(actor.name, now: execution.ended)) { w in
            try CollectorRunRecorder(
                writer: w, collectorID: collector.id, command: collector.command, execution: recorded,
                host: ProcessInfo.processInfo.hostName, user: CollectorRunner.osUser
            ).record()
        }.value
    }
}

extension CollectorRunner {
    /// Why the file does not parse as JSON, or nil when it does. The file is mapped, not read
    /// into memory (it is at most the output limit).
    static func jsonProblem(_ path: String) -> String? {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else { return "cannot read the output" }
        if data.isEmpty { return "the output is empty" }
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch let error as NSError {
            let detail = (error.userInfo["NSDebugDescription"] as? String) ?? error.localizedDescription
            return String(detail.prefix(200))
        }
    }

    /// The account that ran the command (not the `--as` name, which may be anyone's).
    static var osUser: String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "unknown"
    }
}
