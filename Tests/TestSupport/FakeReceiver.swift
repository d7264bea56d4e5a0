import Foundation
import HTTPTypes
import Hummingbird

/// A notification receiver on 127.0.0.1 that records every request (method, path, headers,
/// body) and answers 200, unless its fault script says otherwise (a 500, a stall...).
public final class FakeReceiver: Sendable {
    /// One request as received.
    public struct Recorded: Sendable {
        public var method: String
        public var path: String
        public var query: String
        /// Header names in lower case.
        public var headers: [String: String]
        public var body: Data
        /// When it arrived.
        public var at: Date

        /// The body as a JSON object, if it is one.
        public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] }
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Faults to apply before answering (requests are recorded either way).
    public let faults: FaultScript
    public let server: FakeServer
    private let log: RequestLog
    public var baseURL: String { server.baseURL }

    private init(server: FakeServer, faults: FaultScript, log: RequestLog) {
        self.server = server
        self.faults = faults
        self.log = log
    }

    public static func start() async throws -> FakeReceiver {
        let faults = FaultScript()
        let log = RequestLog()
        let router = Router()
        router.add(middleware: RecordingMiddleware(log: log))
        router.add(middleware: FaultMiddleware(script: faults))
        router.post("**") { _, _ in JSONResponse.make(#"{"ok": true}"#) }
        router.put("**") { _, _ in JSONResponse.make(#"{"ok": true}"#) }
        return FakeReceiver(server: try await FakeServer.start(router: router, name: "receiver"), faults: faults, log: log)
    }

    /// Every request so far, oldest first.
    public func requests() async -> [Recorded] { await log.all }

    /// Waits until at least `count` requests arrived (at most `timeout` seconds) and returns them all.
    public func waitForRequests(_ count: Int, timeout: TimeInterval = 10) async -> [Recorded] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let all = await log.all
            if all.count >= count { return all }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return await log.all
    }

    public func stop() async { await server.stop() }
}

actor RequestLog {
    private(set) var all: [FakeReceiver.Recorded] = []

    func append(_ request: FakeReceiver.Recorded) { all.append(request) }
}

/// Records each request, body included, before the fault script and the handler see it.
struct RecordingMiddleware<Context: RequestContext>: RouterMiddleware {
    let log: RequestLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        await log.append(FakeReceiver.Recorded(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "", headers: headers,
            body: Data(body.readableBytesView), at: Date()))
        return try await next(request, context)
    }
}
