import Foundation

/// A value shared with a helper thread, behind a lock (hence `@unchecked Sendable`: every access
/// goes through the lock).
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    public init(_ value: Value) { stored = value }
    public var value: Value {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}

/// Guards a test against code that wrongly opens a named pipe for reading (it would wait for a
/// writer forever): after a while it becomes that writer, so the test goes on and can say the
/// pipe was opened (`rescued`) instead of hanging the suite.
public final class PipeRescue: Sendable {
    private let finished = Locked(false)
    private let opened = Locked(false)

    public init(_ path: String) {
        let finished = self.finished
        let opened = self.opened
        Thread {
            usleep(500_000)  // give the code under test the chance to refuse the pipe first
            for _ in 0..<50 where !finished.value {
                let fd = open(path, O_WRONLY | O_NONBLOCK)
                if fd >= 0 { opened.value = true; close(fd); return }
                usleep(100_000)
            }
        }.start()
    }

    /// Stops the guard; true when it had to open the pipe because someone was reading it.
    public func stop() -> Bool {
        finished.value = true
        return opened.value
    }
}
