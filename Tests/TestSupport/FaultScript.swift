import Foundation
import Hummingbird

/// Scripted misbehaviour for a fake server, and a count of the requests it saw.
public actor FaultScript {
    /// One scripted answer that replaces the normal one.
    public enum Fault: Sendable {
        case status(Int)
        case tooManyRequests(retryAfter: Int)
        /// Waits this long before answering normally (longer than the client's timeout: a stall).
        case stall(seconds: Double)
        case malformedJSON
    }

    private var queued: [String: [Fault]] = [:]
    private var counts: [String: Int] = [:]

    public init() {}

    /// Queues faults for requests whose path starts with `pathPrefix`, used in order.
    public func enqueue(_ faults: [Fault], forPathPrefix pathPrefix: String) {
        queued[pathPrefix, default: []] += faults
    }

    /// Drops every fault still queued: the service behaves again.
    public func clear() {
        queued.removeAll()
    }

    /// Requests seen whose path starts with `pathPrefix` (all requests for "").
    public func requestCount(pathPrefix: String = "") -> Int {
        counts.filter { $0.key.hasPrefix(pathPrefix) }.map(\.value).reduce(0, +)
    }

    func record(path: String) -> Fault? {
        counts[path, default: 0] += 1
        for (prefix, faults) in queued where path.hasPrefix(prefix) && !faults.isEmpty {
            queued[prefix]!.removeFirst()
            return faults.first
        }
        return nil
    }
}

/// Applies a `FaultScript` before the fake's real handlers.
struct FaultMiddleware<Context: RequestContext>: RouterMiddleware {
    let script: FaultScript

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        switch await script.record(path: request.uri.path) {
        case .none:
            return try await next(request, context)
        case .status(let code):
            return JSONResponse.make(#"{"status_message": "scripted failure"}"#, status: .init(code: code))
        case .tooManyRequests(let seconds):
            var response = JSONResponse.make(#"{"status_message": "slow down"}"#, status: .tooManyRequests)
            response.headers[.retryAfter] = String(seconds)
            return response
        case .stall(let seconds):
            try await Task.sleep(for: .seconds(seconds))
            return try await next(request, context)
        case .malformedJSON:
            return JSONResponse.make(#"{"tv_results": [{"id": "#, status: .ok)
        }
    }
}

/// JSON bodies for the fakes.
enum JSONResponse {
    static func make(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func make(object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return make(String(decoding: data, as: UTF8.self), status: status)
    }
}
