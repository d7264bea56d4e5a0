import Hummingbird
import Logging
import ServiceLifecycle

/// A Hummingbird server on 127.0.0.1 and a free port, for tests that need real HTTP.
public struct FakeServer: Sendable {
    public let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// `http://127.0.0.1:PORT`
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts serving `router` and returns once the port is bound.
    public static func start(router: Router<BasicRequestContext>, name: String) async throws -> FakeServer {
        var logger = Logger(label: "fake-\(name)")
        logger.logLevel = .warning
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: name),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: logger)
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw FakeServerError.didNotStart(name)
        }
        return FakeServer(port: port, group: group, task: task)
    }

    /// Stops the server and waits for it to close.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}

public enum FakeServerError: Error {
    case didNotStart(String)
}
