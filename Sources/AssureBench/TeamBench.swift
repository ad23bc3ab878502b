import AssureModel
import AssureServerStore
import AssureStore
import Foundation
import GRDB

/// Ten people writing one workspace at once for a while, on a PostgreSQL server and on one
/// SQLite file: writes per second, every acknowledged write found afterwards, the chain intact,
/// and how soon an eleventh person's copy shows each write (from the writer's acknowledgement
/// to the change being in the watcher's copy).
enum TeamBench {
    static let writers = 10

    struct Outcome {
        var writes = 0
        var seconds = 0.0
        var lost = 0
        var chainIntact = false
        var visibility: [Double] = []
        var writeLatency: [Double] = []
    }

    /// Thread-safe record of when each write was acknowledged and when the watcher saw it.
    final class Clock: @unchecked Sendable {
        // Every field is read and written under `lock`.
        private let lock = NSLock()
        private var acknowledged: [String: UInt64] = [:]
        private var seen: [String: UInt64] = [:]
        private(set) var latencies: [Double] = []

        func acknowledge(_ marker: String, tookNanoseconds: UInt64) {
            lock.withLock {
                acknowledged[marker] = DispatchTime.now().uptimeNanoseconds
                latencies.append(Double(tookNanoseconds) / 1_000_000)
            }
        }

        func see(_ marker: String) {
            let now = DispatchTime.now().uptimeNanoseconds
            lock.withLock { if seen[marker] == nil { seen[marker] = now } }
        }

        var count: Int { lock.withLock { acknowledged.count } }

        /// Milliseconds from acknowledgement to being seen, for every write seen (0 when the
        /// watcher had it before the writer's own commit returned).
        func delays() -> [Double] {
            lock.withLock {
                acknowledged.compactMap { marker, at in seen[marker].map { $0 > at ? Double($0 - at) / 1_000_000 : 0 } }
            }
        }

        var unseen: Int { lock.withLock { acknowledged.keys.filter { seen[$0] == nil }.count } }
    }

    /// The bench's synthetic workspace, small: what matters here is the concurrency.
    static func makeFile(_ path: String) throws {
        try Workspace.synthetic(path: path, controls: 500, owners: 20, gaps: 500, logRows: 2000).close()
    }

    /// Each writer edits control titles, `bench-WRITER-N`, until the time is up.
    static func write(_ workspace: Workspace, writer: Int, until deadline: UInt64, clock: Clock) {
        var sequence = 0
        while DispatchTime.now().uptimeNanoseconds < deadline {
            sequence += 1
            let marker = "bench-\(writer)-\(sequence)"
            let control = String(format: "SYN-%05d", 1 + (writer * 37 + sequence * 11) % 500)
            let start = DispatchTime.now().uptimeNanoseconds
            do {
                try workspace.write(Actor("writer\(writer)")) { try $0.editControl(control, ControlEdit(title: marker)) }
                clock.acknowledge(marker, tookNanoseconds: DispatchTime.now().uptimeNanoseconds - start)
            } catch {
                FileHandle.standardError.write(Data("team bench: writer \(writer): \(error)\n".utf8))
            }
        }
    }

    static func runWriters(_ open: (Int) throws -> Workspace, seconds: Double, clock: Clock) throws -> Double {
        let workspaces = try (0..<writers).map(open)
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(seconds * 1_000_000_000)
        DispatchQueue.concurrentPerform(iterations: writers) { writer in write(workspaces[writer], writer: writer, until: deadline, clock: clock) }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000_000
        for workspace in workspaces { try? workspace.close() }
        return elapsed
    }

    /// How many acknowledged markers the log holds as a control title's new value.
    static func logged(_ workspace: Workspace) throws -> Int {
        try workspace.database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM change_log WHERE field = 'title' AND after LIKE 'bench-%'") ?? 0
        }
    }

    static func server(url: String, folder: String, seconds: Double) throws -> Outcome {
        let file = folder + "/team.assure"
        try makeFile(file)
        var address = try ServerAddress(url)
        let admin = address
        address.database = "assure_bench_\(getpid())"
        let name = address.database
        try ServerSession.with(admin) { try await $0.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        try ServerSession.with(admin) { try await $0.execute("CREATE DATABASE \(name)") }
        defer { _ = try? ServerSession.with(admin) { try await $0.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") } }
        _ = try CopyToServer.run(file: file, to: address)
        let clock = Clock()
        let watcher = try ServerWorkspace.open(
            address, readOnly: true, live: true, environment: ["XDG_CACHE_HOME": folder + "/cache-watcher"],
            applied: { changes in
                for change in changes where change.table == "control" {
                    if case .string(let title) = change.new["title"]?.storage, title.hasPrefix("bench-") { clock.see(title) }
                }
            })
        var outcome = Outcome()
        outcome.seconds = try runWriters(
            { writer in try ServerWorkspace.open(address, readOnly: false, environment: ["XDG_CACHE_HOME": folder + "/cache-\(writer)"]) },
            seconds: seconds, clock: clock)
        // Give the watcher a moment for the last notifications before counting what it saw.
        for _ in 0..<200 where clock.unseen > 0 { usleep(10_000) }
        try watcher.close()
        outcome.writes = clock.count
        outcome.visibility = clock.delays()
        outcome.writeLatency = clock.latencies
        let check = try ServerWorkspace.open(address, readOnly: true, environment: ["XDG_CACHE_HOME": folder + "/cache-check"])
        outcome.lost = outcome.writes - (try logged(check))
        let verification = try check.read { try $0.verifyWorkspace() }
        let serverBad = try ServerSession.with(address) { session in
            try await session.rows(
                """
                SELECT count(*)::bigint FROM assure.change_log c LEFT JOIN assure.change_log p ON p.id = c.id - 1
                WHERE assure.chain_hash(c) <> c.hash OR c.prev_hash <> coalesce(p.hash, repeat('0', 64))
                """
            ).first!.decode(Int.self)
        }
        outcome.chainIntact = verification.isIntact && serverBad == 0
        try check.close()
        return outcome
    }

    static func sqlite(folder: String, seconds: Double) throws -> Outcome {
        let file = folder + "/team-sqlite.assure"
        try makeFile(file)
        let clock = Clock()
        // The watcher polls the file's data version, as the workbench does, and reads the
        // titles when it moves.
        let watcher = try Workspace.open(path: file, readOnly: true)
        let stop = DispatchSemaphore(value: 0)
        let stopped = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            var version = (try? watcher.dataVersion()) ?? 0
            while stop.wait(timeout: .now() + .milliseconds(1)) == .timedOut {
                guard let now = try? watcher.dataVersion(), now != version else { continue }
                version = now
                let titles =
                    (try? watcher.database.read { db in try String.fetchAll(db, sql: "SELECT title FROM control WHERE title LIKE 'bench-%'") })
                    ?? []
                for title in titles { clock.see(title) }
            }
            stopped.signal()
        }
        var outcome = Outcome()
        outcome.seconds = try runWriters({ _ in try Workspace.open(path: file) }, seconds: seconds, clock: clock)
        for _ in 0..<200 where clock.unseen > 0 { usleep(10_000) }
        stop.signal()
        stopped.wait()
        try watcher.close()
        outcome.writes = clock.count
        // A title overwritten before the watcher looked was never on screen: those count as unseen.
        outcome.visibility = clock.delays()
        outcome.writeLatency = clock.latencies
        let check = try Workspace.open(path: file, readOnly: true)
        outcome.lost = outcome.writes - (try logged(check))
        outcome.chainIntact = try check.read { try $0.verifyWorkspace() }.isIntact
        try check.close()
        return outcome
    }

    /// The server to run on: ASSURE_BENCH_POSTGRES_URL, else a throwaway cluster started with
    /// Tests/postgres-cluster (run the bench from the repository) and stopped afterwards.
    static func withServer<T>(folder: String, _ body: (String) throws -> T) throws -> T {
        if let url = ProcessInfo.processInfo.environment["ASSURE_BENCH_POSTGRES_URL"], !url.isEmpty { return try body(url) }
        let cluster = "/tmp/assure-bench-pg-\(getpid())"
        // The URL is read from the file the script leaves: the server it starts keeps running
        // with the script's output still open, so that output never ends.
        guard ProcessBench.run("Tests/postgres-cluster", ["start", cluster]) == 0,
            let url = try? String(contentsOfFile: cluster + "/url", encoding: .utf8)
        else {
            throw ServerError.server("no PostgreSQL for the team bench: set ASSURE_BENCH_POSTGRES_URL or run from the repository")
        }
        defer { _ = ProcessBench.run("Tests/postgres-cluster", ["stop", cluster]) }
        return try body(url.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func run(folder: String, seconds: Double) throws -> (measurements: [Measurement], figures: [String: Double]) {
        let onServer = try withServer(folder: folder) { url in try server(url: url, folder: folder, seconds: seconds) }
        let onFile = try sqlite(folder: folder, seconds: seconds)
        var figures: [String: Double] = [:]
        var measurements: [Measurement] = []
        for (label, key, outcome) in [("PostgreSQL", "team_pg", onServer), ("SQLite", "team_sqlite", onFile)] {
            let perSecond = Double(outcome.writes) / outcome.seconds
            let visible = Measurement(name: "team, \(label): delay until another copy shows a write", samples: outcome.visibility)
            let latency = Measurement(name: "team, \(label): one write, acknowledged", samples: outcome.writeLatency)
            measurements += [visible, latency].filter { !$0.samples.isEmpty }
            figures["\(key)_writes_per_s"] = perSecond
            figures["\(key)_lost_writes"] = Double(outcome.lost)
            figures["\(key)_chain_intact"] = outcome.chainIntact ? 1 : 0
            figures["\(key)_visibility_p99_ms"] = outcome.visibility.isEmpty ? -1 : visible.percentile(0.99)
            figures["\(key)_visibility_median_ms"] = outcome.visibility.isEmpty ? -1 : visible.median
            figures["\(key)_write_p99_ms"] = outcome.writeLatency.isEmpty ? -1 : latency.percentile(0.99)
            print(
                String(
                    format:
                        "team, %@: %d writers for %.0f s: %d writes (%.1f per second), %d lost, chain %@; seen by another copy: %d of %d, median %.1f ms, p99 %.1f ms",
                    label, writers, outcome.seconds, outcome.writes, perSecond, outcome.lost, outcome.chainIntact ? "intact" : "BROKEN",
                    outcome.visibility.count, outcome.writes, figures["\(key)_visibility_median_ms"]!, figures["\(key)_visibility_p99_ms"]!))
        }
        return (measurements, figures)
    }
}
