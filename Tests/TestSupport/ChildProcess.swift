import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A program a test starts (the `showmatch` binary, `sqlite3`, `script`), awaited without
/// blocking a thread of Swift's cooperative pool.
///
/// That pool has one thread per core. A test that blocked one in `waitUntilExit()` or
/// `readDataToEndOfFile()` while the child talked to a fake server in this process starved that
/// server on a two-core machine: the child timed out, or the test hung. Here a thread of its own
/// waits for the exit (`waitpid`) and another drains each pipe.
///
/// Started with `posix_spawn`, not Foundation's `Process`: every descriptor made here is
/// close-on-exec, so a child started by one test never inherits another child's pipe (whose end
/// would then never come) — Foundation's `Process` lists the descriptors to close before it
/// spawns, and one made by another thread in between leaks into the child.
public final class ChildProcess: @unchecked Sendable {
    /// Where the child's standard output and standard error go.
    public enum Output: Sendable {
        /// Both to /dev/null.
        case discard
        /// Each to its own buffer.
        case separate
        /// Both to one buffer, in the order written.
        case merged
    }

    /// What a finished child left: its exit status and what it wrote.
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The child's process id.
    public let processIdentifier: pid_t
    private let lock = NSLock()
    private var status: Int32?
    private var exitWaiters: [CheckedContinuation<Int32, Never>] = []
    private let stdoutBuffer: StreamBuffer?
    private let stderrBuffer: StreamBuffer?
    private let input: FileHandle?

    /// Starts `executable` with `arguments`.
    /// - Parameters:
    ///   - environment: the child's whole environment; this process's when nil.
    ///   - standardInput: when true, `write(_:)` feeds the child; otherwise it reads /dev/null.
    /// - Throws: `SpawnError` when the program cannot be started.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        currentDirectory: URL? = nil, standardInput: Bool = false, output: Output = .separate
    ) throws {
        // Pipes are made and marked close-on-exec, and children spawned, one test at a time:
        // no child starts between a pipe's making and its marking.
        Self.spawning.lock()
        defer { Self.spawning.unlock() }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [Int32] = []
        var childEnds: [Int32] = []
        defer { for fd in childEnds { close(fd) } }

        let stdinPipe = standardInput ? try Self.pipe() : nil
        if let stdinPipe {
            posix_spawn_file_actions_adddup2(&actions, stdinPipe.read, STDIN_FILENO)
            childEnds.append(stdinPipe.read)
            parentEnds.append(stdinPipe.write)
        } else {
            posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        }
        var outRead: Int32?, errRead: Int32?
        switch output {
        case .discard:
            posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)
        case .separate:
            let out = try Self.pipe(), err = try Self.pipe()
            posix_spawn_file_actions_adddup2(&actions, out.write, STDOUT_FILENO)
            posix_spawn_file_actions_adddup2(&actions, err.write, STDERR_FILENO)
            childEnds += [out.write, err.write]
            outRead = out.read
            errRead = err.read
        case .merged:
            let both = try Self.pipe()
            posix_spawn_file_actions_adddup2(&actions, both.write, STDOUT_FILENO)
            posix_spawn_file_actions_adddup2(&actions, both.write, STDERR_FILENO)
            childEnds.append(both.write)
            outRead = both.read
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with no signal blocked and SIGPIPE at its default, whatever this
        // process set for itself.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        // glibc's chdir file action is not visible to Swift: a shell changes folder, then becomes the program.
        let command = currentDirectory.map { ["/bin/sh", "-c", #"cd "$0" && exec "$@""#, $0.path, executable] }
            ?? [executable]
        let argv = (command + arguments).map { strdup($0) } + [nil]
        let envp = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0)=\($1)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, command[0], &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            for fd in parentEnds + [outRead, errRead].compactMap({ $0 }) { close(fd) }
            throw SpawnError(executable: executable, code: spawned)
        }
        processIdentifier = pid
        input = stdinPipe.map { FileHandle(fileDescriptor: $0.write, closeOnDealloc: true) }
        stdoutBuffer = outRead.map(StreamBuffer.init)
        stderrBuffer = errRead.map(StreamBuffer.init)
        stdoutBuffer?.startReading()
        stderrBuffer?.startReading()
        let waiter = Thread { [self, pid] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            // Exit code, or 128 + the signal for a child a signal ended (as a shell says).
            let signal = status & 0x7f
            finish(status: signal == 0 ? (status >> 8) & 0xff : 128 + signal)
        }
        waiter.start()
    }

    /// A program that could not be started.
    public struct SpawnError: Error, CustomStringConvertible {
        public let executable: String
        public let code: Int32
        public var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
    }

    private static let spawning = NSLock()

    /// A close-on-exec pipe: no child inherits it but through its standard streams.
    private static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [0, 0]
        #if canImport(Glibc)
        let made = Glibc.pipe(&fds)
        #else
        let made = Darwin.pipe(&fds)
        #endif
        guard made == 0 else { throw SpawnError(executable: "pipe", code: errno) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    /// Runs a program to its end and returns its status and output.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        currentDirectory: URL? = nil, output: Output = .separate
    ) async throws -> Result {
        let child = try ChildProcess(executable, arguments, environment: environment,
                                     currentDirectory: currentDirectory, output: output)
        return await child.result()
    }

    public var isRunning: Bool { lock.withLock { status == nil } }

    /// The exit status once the child has exited (128 + the signal when a signal ended it).
    public var exitStatus: Int32? { lock.withLock { status } }

    /// Sends `signal` (SIGTERM, SIGKILL, SIGHUP…) unless the child has already exited.
    public func send(_ signal: Int32) {
        // Checked under the lock the waiter takes after reaping, so the id is never a recycled one.
        lock.withLock {
            if status == nil { _ = kill(processIdentifier, signal) }
        }
    }

    /// Waits for the child to exit and returns its exit status (128 + the signal when a signal ended it).
    public func exit() async -> Int32 {
        await withCheckedContinuation { continuation in
            let known: Int32? = lock.withLock {
                if status == nil { exitWaiters.append(continuation) }
                return status
            }
            if let known { continuation.resume(returning: known) }
        }
    }

    /// Sends SIGTERM and waits for the exit.
    @discardableResult
    public func terminate() async -> Int32 {
        send(SIGTERM)
        return await exit()
    }

    /// Sends SIGKILL and waits for the exit.
    public func kill9() async {
        send(SIGKILL)
        _ = await exit()
    }

    /// Waits for the exit and for both streams to end.
    public func result() async -> Result {
        let status = await exit()
        let out = await stdoutBuffer?.ended() ?? Data()
        let err = await stderrBuffer?.ended() ?? Data()
        return Result(status: status, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }

    /// What the child has written to standard output (with `.merged`, to either) so far.
    public var outputSoFar: String {
        String(decoding: stdoutBuffer?.snapshot() ?? Data(), as: UTF8.self)
    }

    /// Waits until standard output contains `text`, the stream ends, or `timeout` passes;
    /// returns the output so far.
    public func waitForOutput(containing text: String, timeout: TimeInterval) async -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let seen = outputSoFar
            if seen.contains(text) || stdoutBuffer?.hasEnded != false || Date() >= deadline { return seen }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Writes `text` to the child's standard input (started with `standardInput: true`).
    public func write(_ text: String) {
        input?.write(Data(text.utf8))
    }

    /// Closes the child's standard input.
    public func closeInput() {
        try? input?.close()
    }

    private func finish(status exited: Int32) {
        let waiters: [CheckedContinuation<Int32, Never>] = lock.withLock {
            status = exited
            defer { exitWaiters = [] }
            return exitWaiters
        }
        for waiter in waiters { waiter.resume(returning: exited) }
    }
}

/// One pipe drained to its end by a thread of its own.
private final class StreamBuffer: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()
    private var data = Data()
    private var done = false
    private var waiters: [CheckedContinuation<Data, Never>] = []

    init(_ descriptor: Int32) { handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true) }

    func startReading() {
        let thread = Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.withLock { data.append(chunk) }
            }
            let (all, waiting): (Data, [CheckedContinuation<Data, Never>]) = lock.withLock {
                done = true
                defer { waiters = [] }
                return (data, waiters)
            }
            for waiter in waiting { waiter.resume(returning: all) }
        }
        thread.start()
    }

    var hasEnded: Bool { lock.withLock { done } }

    func snapshot() -> Data { lock.withLock { data } }

    func ended() async -> Data {
        await withCheckedContinuation { continuation in
            let finished: Data? = lock.withLock {
                if !done { waiters.append(continuation) }
                return done ? data : nil
            }
            if let finished { continuation.resume(returning: finished) }
        }
    }
}
