import Dispatch

/// A value worked out on another thread while this one does something else; `value` waits for
/// it. Unchecked because `result` is written once, before the semaphore is signalled, and read
/// only after waiting on it.
final class Background<Value: Sendable>: @unchecked Sendable {
    private var result: Value?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global(qos: .userInitiated).async {
            self.result = work()
            self.done.signal()
        }
    }

    var value: Value {
        done.wait()
        done.signal()  // for the next reader
        return result!
    }
}
