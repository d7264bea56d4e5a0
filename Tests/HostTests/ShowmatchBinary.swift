import AsyncHTTPClient
import Foundation
import TestSupport

/// The built `showmatch` executable, run by tests as a user would run it.
enum ShowmatchBinary {
    /// Runs `showmatch ARGUMENTS` to its end.
    /// - Parameter environment: the whole environment; this process's when nil.
    static func run(
        _ arguments: [String], environment: [String: String]? = nil, currentDirectory: URL? = nil,
        output: ChildProcess.Output = .separate
    ) async throws -> ChildProcess.Result {
        try await ChildProcess.run(CrashRecoveryTests.binary, arguments, environment: environment,
                                   currentDirectory: currentDirectory, output: output)
    }
}

extension HTTPClient {
    /// Shuts the client down in the background, for a `defer`: a test that throws must not leave
    /// a client behind, whose deinit stops the whole test process in a debug build.
    func shutdownLater() {
        _Concurrency.Task { try? await self.shutdown() }
    }
}
