import AsyncHTTPClient
import Foundation
import Logging

/// GETs JSON from one external service with timeouts, retries, Retry-After and a circuit breaker.
///
/// Errors and log lines carry the path only, never the query string or headers, so keys and
/// tokens cannot leak through them. Redirects are never followed: every call carries a key or
/// token, and a redirect to another host would hand it over (a 3xx is an unexpected status).
struct ResilientHTTPClient: Sendable {
    let service: String
    let baseURL: String
    let policy: RetryPolicy
    let breaker: CircuitBreaker
    let logger: Logger
    private let client: HTTPClient
    private let maxBodyBytes = 4 << 20

    init(service: String, baseURL: String, policy: RetryPolicy, client: HTTPClient = .withoutRedirects,
         logger: Logger) {
        self.service = service
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.policy = policy
        self.breaker = CircuitBreaker(threshold: policy.breakerThreshold, cooldown: policy.breakerCooldown)
        self.client = client
        self.logger = logger
    }

    /// GETs `path` with `query` and `headers` and decodes the JSON body as `T`.
    ///
    /// Throws `ExternalServiceError`: `.unauthorized` on 401/403, `.rateLimited` when a
    /// Retry-After exceeds the policy, `.unavailable` after the retries, `.malformedResponse`,
    /// `.circuitOpen`, or `.unexpectedStatus`. A 404 is returned as nil.
    func getJSON<T: Decodable>(
        _ type: T.Type, path: String, query: [(String, String)] = [], headers: [(String, String)] = []
    ) async throws -> T? {
        try await requestJSON(type, method: .get, path: path, query: query, headers: headers)
    }

    /// POSTs to `path` (no body) and decodes the JSON answer as `T`, with the same retries and
    /// errors as ``getJSON(_:path:query:headers:)``; for calls that may safely be repeated.
    func postJSON<T: Decodable>(
        _ type: T.Type, path: String, query: [(String, String)] = [], headers: [(String, String)] = []
    ) async throws -> T? {
        try await requestJSON(type, method: .post, path: path, query: query, headers: headers)
    }

    private func requestJSON<T: Decodable>(
        _ type: T.Type, method: Verb, path: String, query: [(String, String)], headers: [(String, String)]
    ) async throws -> T? {
        guard await breaker.allow() else { throw failure(path, .circuitOpen) }
        var attempt = 0
        while true {
            attempt += 1
            let outcome = await send(method: method, path: path, query: query, headers: headers)
            switch outcome {
            case .body(let data):
                await breaker.recordSuccess()
                do {
                    return try JSONDecoder().decode(T.self, from: data)
                } catch {
                    throw failure(path, .malformedResponse, detail: "the JSON does not have the expected shape")
                }
            case .notFound:
                await breaker.recordSuccess()
                return nil
            case .fatal(let kind):
                await breaker.recordSuccess()
                throw failure(path, kind)
            case .rateLimited(let retryAfter):
                guard retryAfter <= policy.maxRetryAfter, attempt < policy.maxAttempts else {
                    throw failure(path, .rateLimited(retryAfter: retryAfter))
                }
                logger.info("rate limited; waiting", metadata: ["service": "\(service)", "path": "\(path)",
                                                                "retry_after_s": "\(retryAfter)"])
                try await Task.sleep(for: .seconds(retryAfter))
            case .transient(let detail):
                guard attempt < policy.maxAttempts else {
                    await breaker.recordFailure()
                    throw failure(path, .unavailable, detail: detail)
                }
                let delay = policy.delay(beforeRetry: attempt)
                logger.debug("retrying", metadata: ["service": "\(service)", "path": "\(path)", "reason": "\(detail)"])
                try await Task.sleep(for: .seconds(delay))
            }
        }
    }

    private enum Outcome {
        case body(Data)
        case notFound
        case rateLimited(TimeInterval)
        case transient(String)
        case fatal(ExternalServiceError.Kind)
    }

    private enum Verb { case get, post }

    private func send(method: Verb, path: String, query: [(String, String)], headers: [(String, String)]) async
        -> Outcome
    {
        var request = HTTPClientRequest(url: baseURL + path + Self.queryString(query))
        if method == .post { request.method = .POST }
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "showmatch")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(policy.timeout * 1000)))
            let status = Int(response.status.code)
            switch status {
            case 200..<300:
                let buffer = try await response.body.collect(upTo: maxBodyBytes)
                return .body(Data(buffer.readableBytesView))
            case 404:
                return .notFound
            case 401, 403:
                return .fatal(.unauthorized)
            case 429:
                let header = response.headers.first(name: "Retry-After").flatMap(TimeInterval.init) ?? 1
                return .rateLimited(max(0, header))
            case 500..<600:
                return .transient("HTTP \(status)")
            default:
                return .fatal(.unexpectedStatus(status))
            }
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return .transient("timed out after \(policy.timeout) s")
        } catch {
            return .transient("connection failed")
        }
    }

    private func failure(_ path: String, _ kind: ExternalServiceError.Kind, detail: String = "") -> ExternalServiceError {
        ExternalServiceError(service: service, path: path, kind: kind, detail: detail)
    }

    static func queryString(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?/")
        return "?" + query.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }.joined(separator: "&")
    }
}

extension HTTPClient {
    /// The process's client for calls that carry credentials: it does not follow redirects.
    static let withoutRedirects = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
}
