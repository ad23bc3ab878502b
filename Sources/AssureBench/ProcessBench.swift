import Foundation

/// Times whole processes (our command line and the `sqlite3` shell) on the same file, so the
/// figures include start-up, opening and printing, as a user or a script waits for them.
enum ProcessBench {
    /// The `assure` binary built next to this benchmark.
    static var assure: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("assure").path
    }

    static var sqlite3: String? {
        ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3", "/bin/sqlite3"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `executable` with `arguments`, output discarded; returns the exit status. Spawned and
    /// reaped directly (posix_spawn, waitpid): Foundation's Process notices an exit only on its
    /// next poll, which would add up to tens of milliseconds to every figure.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) -> Int32 { runMeasured(executable, arguments).status }

    /// As `run`, also returning the child's peak resident memory in MiB (its own rusage, from wait4).
    static func runMeasured(_ executable: String, _ arguments: [String]) -> (status: Int32, peakMiB: Double) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else { return (-1, 0) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 && errno == EINTR {}
        // Exited normally: the low 7 bits are 0 and the exit code is in the next byte.
        return ((status & 0x7f) == 0 ? (status >> 8) & 0xff : -1, Double(usage.ru_maxrss) / 1024)
    }

    /// As `runMeasured`, with the child's own peak: run from a fresh copy of this benchmark
    /// (`--measure-child`), which is small. Linux starts a spawned process's peak at its
    /// parent's size, so a child of this grown process could never read below it. The time is
    /// taken in that copy, around the child alone.
    static func runMeasuredAlone(_ executable: String, _ arguments: [String]) -> (status: Int32, peakMiB: Double, ms: Double) {
        let file = NSTemporaryDirectory() + "assure-bench-child-\(getpid()).txt"
        defer { try? FileManager.default.removeItem(atPath: file) }
        guard run(CommandLine.arguments[0], ["--measure-child", file, executable] + arguments) == 0,
            let parts = try? String(contentsOfFile: file, encoding: .utf8).split(separator: " "), parts.count == 3,
            let status = Int32(parts[0]), let peak = Double(parts[1]), let ms = Double(parts[2])
        else { return (-1, 0, 0) }
        return (status, peak, ms)
    }

    /// The `--measure-child FILE EXECUTABLE ARGUMENTS...` side of `runMeasuredAlone`: runs the
    /// child and writes "status peakMiB ms" to FILE.
    static func measureChild(_ arguments: [String]) -> Never {
        guard arguments.count >= 2 else { exit(2) }
        var result = (status: Int32(-1), peakMiB: 0.0)
        let ms = Stopwatch.time { result = runMeasured(arguments[1], Array(arguments.dropFirst(2))) }
        try? "\(result.status) \(result.peakMiB) \(ms)".write(toFile: arguments[0], atomically: true, encoding: .utf8)
        exit(0)
    }

    /// Median of `iterations` timed runs after one warm-up; nil when the program failed.
    static func time(_ name: String, _ iterations: Int, _ executable: String?, _ arguments: [String]) -> Measurement? {
        guard let executable, FileManager.default.isExecutableFile(atPath: executable) else { return nil }
        guard run(executable, arguments) == 0 else {
            FileHandle.standardError.write(Data("\(name): \(executable) \(arguments.joined(separator: " ")) failed\n".utf8))
            return nil
        }
        return Measurement(name: name, samples: (0..<iterations).map { _ in Stopwatch.time { run(executable, arguments) } })
    }

    /// The rows `assure controls --format csv` lists, as one SQL query.
    static let controlsSQL = """
        SELECT c.ref, c.title, c.status, o.name, b.name, c.frequency,
               (SELECT group_concat(r.ref, ' ') FROM control_requirement cr JOIN requirement r ON r.id = cr.requirement_id
                WHERE cr.control_id = c.id AND r.framework_id = 'soc2'), c.evidence_hint, c.tags, c.justification
        FROM control c LEFT JOIN owner o ON o.id = c.owner_id LEFT JOIN owner b ON b.id = c.backup_owner_id ORDER BY c.ref
        """

    /// The rows `assure gaps --format csv` lists, as one SQL query.
    static let gapsSQL = """
        SELECT g.ref, g.title, g.severity, g.effort, g.status, o.name, g.due, c.ref, r.ref, g.remediation_note, g.justification,
               g.remediated_by, g.remediated_at
        FROM gap g LEFT JOIN owner o ON o.id = g.owner_id LEFT JOIN control c ON c.id = g.control_id
        LEFT JOIN requirement r ON r.id = g.requirement_id ORDER BY g.number
        """

    /// The rows `assure log --format csv` lists, as one SQL query (owners by today's name).
    static let logSQL = """
        SELECT l.id, l.at, l.actor, l.entity,
               CASE WHEN l.entity = 'owner' AND l.entity_id IS NOT NULL
                    THEN coalesce((SELECT name FROM owner WHERE id = l.entity_id), l.ref) ELSE l.ref END,
               l.field,
               CASE WHEN l.before_id IS NOT NULL THEN coalesce((SELECT name FROM owner WHERE id = l.before_id), l.before) ELSE l.before END,
               CASE WHEN l.after_id IS NOT NULL THEN coalesce((SELECT name FROM owner WHERE id = l.after_id), l.after) ELSE l.after END,
               l.batch, l.meeting_id, l.hash
        FROM change_log l ORDER BY l.id
        """
}
