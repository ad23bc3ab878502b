import Foundation

/// Runs async work to its end from synchronous code. The command line and the workbench are
/// synchronous throughout; postgres-nio is async. Called from a thread outside Swift's
/// cooperative pool (the main thread, a workbench worker), so waiting cannot starve the task.
public enum Blocking {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { outcome.result = .success(try await body()) } catch { outcome.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try outcome.result!.get()
    }
}

/// Safe without a lock: the task writes `result` once, before it signals the semaphore, and
/// the waiting thread reads it only after the signal.
private final class Outcome<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
