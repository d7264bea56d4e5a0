import Foundation

/// A program a test starts (the `showmatch` binary, `sqlite3`, `script`), awaited without
/// blocking a thread of Swift's cooperative pool.
///
/// That pool has one thread per core. A test that blocked one in `waitUntilExit()` or
/// `readDataToEndOfFile()` while the child talked to a fake server in this process starved that
/// server on a two-core machine: the child timed out, or the test hung. Here the exit comes from
/// `terminationHandler` and every pipe is drained by a thread of its own.
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

    public let process = Process()
    private let lock = NSLock()
    private var exitStatus: Int32?
    private var exitWaiters: [CheckedContinuation<Int32, Never>] = []
    private let stdoutBuffer: StreamBuffer?
    private let stderrBuffer: StreamBuffer?
    private let input: Pipe?

    /// Starts `executable` with `arguments`.
    /// - Parameters:
    ///   - environment: the child's whole environment; this process's when nil.
    ///   - standardInput: when true, `write(_:)` feeds the child; otherwise it reads /dev/null.
    /// - Throws: when the program cannot be started.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        currentDirectory: URL? = nil, standardInput: Bool = false, output: Output = .separate
    ) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        input = standardInput ? Pipe() : nil
        process.standardInput = input ?? FileHandle.nullDevice
        switch output {
        case .discard:
            stdoutBuffer = nil
            stderrBuffer = nil
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        case .separate:
            let out = Pipe(), err = Pipe()
            stdoutBuffer = StreamBuffer(out)
            stderrBuffer = StreamBuffer(err)
            process.standardOutput = out
            process.standardError = err
        case .merged:
            let both = Pipe()
            stdoutBuffer = StreamBuffer(both)
            stderrBuffer = nil
            process.standardOutput = both
            process.standardError = both
        }
        process.terminationHandler = { [weak self] finished in
            self?.finish(status: finished.terminationStatus)
        }
        // Foundation closes this process's copies of the child's pipe ends once it has started.
        try process.run()
        stdoutBuffer?.startReading()
        stderrBuffer?.startReading()
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

    public var processIdentifier: Int32 { process.processIdentifier }

    public var isRunning: Bool { lock.withLock { exitStatus == nil } }

    /// Sends `signal` (SIGTERM, SIGKILL, SIGHUP…) unless the child has already exited.
    public func send(_ signal: Int32) {
        if isRunning { kill(process.processIdentifier, signal) }
    }

    /// Waits for the child to exit and returns its exit status.
    public func exit() async -> Int32 {
        await withCheckedContinuation { continuation in
            let status: Int32? = lock.withLock {
                if exitStatus == nil { exitWaiters.append(continuation) }
                return exitStatus
            }
            if let status { continuation.resume(returning: status) }
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
        input?.fileHandleForWriting.write(Data(text.utf8))
    }

    /// Closes the child's standard input.
    public func closeInput() {
        try? input?.fileHandleForWriting.close()
    }

    private func finish(status: Int32) {
        let waiters: [CheckedContinuation<Int32, Never>] = lock.withLock {
            exitStatus = status
            defer { exitWaiters = [] }
            return exitWaiters
        }
        for waiter in waiters { waiter.resume(returning: status) }
    }
}

/// One pipe drained to its end by a thread of its own.
private final class StreamBuffer: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()
    private var data = Data()
    private var done = false
    private var waiters: [CheckedContinuation<Data, Never>] = []

    init(_ pipe: Pipe) { handle = pipe.fileHandleForReading }

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
