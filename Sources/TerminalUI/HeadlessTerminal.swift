/// A terminal in memory, for tests and the benchmark: input comes from a queue, and `present`
/// keeps the last frame. `nextEvent` never waits, so an empty queue means "idle".
public final class HeadlessTerminal: Terminal {
    public private(set) var size: (width: Int, height: Int)
    public var colorDepth: ColorDepth
    public var supportsUnicode: Bool
    public private(set) var lastFrame: ScreenBuffer
    public private(set) var frames = 0
    public private(set) var suspensions = 0
    public private(set) var isShutDown = false
    private var queue: [InputEvent] = []

    public init(width: Int, height: Int, colorDepth: ColorDepth = .palette256, unicode: Bool = true) {
        size = (width, height)
        self.colorDepth = colorDepth
        supportsUnicode = unicode
        lastFrame = ScreenBuffer(width: width, height: height)
    }

    public func send(_ events: InputEvent...) { queue += events }
    public func press(_ keys: Key...) { queue += keys.map { .key($0) } }
    /// Queues each character of `text` as a key press.
    public func type(_ text: String) { queue += text.map { .key(.char($0)) } }

    /// Changes the size and queues the resize event a real terminal would send.
    public func resize(width: Int, height: Int) {
        size = (width, height)
        queue.append(.resize(width: width, height: height))
    }

    public var pendingEvents: Int { queue.count }

    public func present(_ buffer: ScreenBuffer) {
        lastFrame = buffer
        frames += 1
    }

    public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
        queue.isEmpty ? nil : queue.removeFirst()
    }

    public func invalidate() {}
    public func suspend() { suspensions += 1 }
    public func shutdown() { isShutDown = true }

    /// The last frame as text, for goldens.
    public var screenText: String { lastFrame.text() }
}
