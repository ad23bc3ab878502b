import Foundation

#if canImport(Glibc)
    import Glibc
#endif

public struct ProcessResult: Sendable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String
}

public struct ProcessError: Error, CustomStringConvertible {
    public let description: String
}

/// Runs a program to completion with `posix_spawn` and `waitpid`. Foundation.Process can hang
/// when a child (tmux) keeps an inherited descriptor; this also starts the child with an empty
/// signal mask and default dispositions, whatever thread we are called from.
public func runProcess(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
    currentDirectory: String? = nil, stdin: String? = nil
) throws -> ProcessResult {
    var outPipe: [Int32] = [0, 0]
    var errPipe: [Int32] = [0, 0]
    var inPipe: [Int32] = [0, 0]
    guard pipe(&outPipe) == 0, pipe(&errPipe) == 0, pipe(&inPipe) == 0 else { throw ProcessError(description: "pipe failed") }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
    for fd in [inPipe[0], inPipe[1], outPipe[0], outPipe[1], errPipe[0], errPipe[1]] { posix_spawn_file_actions_addclose(&actions, fd) }

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGINT, SIGTERM, SIGPIPE, SIGHUP, SIGTSTP] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    // glibc's addchdir_np is not visible from Swift: change directory through the shell instead.
    var program = executable
    var words = [executable] + arguments
    if let currentDirectory {
        program = "/bin/sh"
        words = ["/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", currentDirectory, executable] + arguments
    }
    let argv = words.map { strdup($0) } + [nil]
    let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for pointer in argv + env { free(pointer) } }

    var pid: pid_t = 0
    let status = posix_spawn(&pid, program, &actions, &attributes, argv, env)
    close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
    guard status == 0 else {
        close(inPipe[1]); close(outPipe[0]); close(errPipe[0])
        throw ProcessError(description: "cannot run \(executable): \(String(cString: strerror(status)))")
    }
    // Feed stdin and drain both outputs on their own threads so no pipe fills up and blocks.
    let input = stdin.map { Data($0.utf8) } ?? Data()
    let inFD = inPipe[1]
    let errFD = errPipe[0]
    Thread {
        input.withUnsafeBytes { _ = write(inFD, $0.baseAddress, $0.count) }; close(inFD)
    }.start()
    let errBox = DataBox()
    let errDone = DispatchSemaphore(value: 0)
    Thread {
        errBox.data = readAll(errFD); errDone.signal()
    }.start()
    let outData = readAll(outPipe[0])
    errDone.wait()
    let errData = errBox.data
    var waitStatus: Int32 = 0
    while waitpid(pid, &waitStatus, 0) == -1 && errno == EINTR {}
    let code: Int32 = (waitStatus & 0x7f) == 0 ? (waitStatus >> 8) & 0xff : 128 + (waitStatus & 0x7f)
    return ProcessResult(exitCode: code, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}

/// The stderr reader's result. Unchecked: the reader thread writes it once and signals
/// `errDone`; the caller reads it only after waiting on that semaphore.
private final class DataBox: @unchecked Sendable { var data = Data() }

private func readAll(_ fd: Int32) -> Data {
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = read(fd, &buffer, buffer.count)
        if n > 0 { data.append(buffer, count: n) } else if n == 0 || errno != EINTR { break }
    }
    close(fd)
    return data
}
