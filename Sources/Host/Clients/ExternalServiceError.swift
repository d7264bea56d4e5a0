import Foundation

/// A call to TMDB or Plex that did not give a usable answer.
///
/// Descriptions name the service and path only: never a query string, key or token.
struct ExternalServiceError: Error, CustomStringConvertible, Equatable {
    enum Kind: Equatable {
        /// The service answered 401/403: the key or token is wrong.
        case unauthorized
        /// 429 with a Retry-After longer than we wait; retry the work later.
        case rateLimited(retryAfter: TimeInterval)
        /// 5xx, a timeout or a connection failure, after the retries.
        case unavailable
        /// The body could not be decoded.
        case malformedResponse
        /// Too many recent failures: calls fail fast until the breaker closes.
        case circuitOpen
        /// Another status the caller did not expect.
        case unexpectedStatus(Int)
    }

    let service: String
    let path: String
    let kind: Kind
    let detail: String

    var description: String {
        let what: String
        switch kind {
        case .unauthorized: what = "rejected the credentials (401)"
        case .rateLimited(let seconds): what = "is rate limiting; retry after \(Int(seconds.rounded(.up))) s"
        case .unavailable: what = "is unavailable"
        case .malformedResponse: what = "sent a malformed response"
        case .circuitOpen: what = "is failing; calls are paused for a while"
        case .unexpectedStatus(let status): what = "answered HTTP \(status)"
        }
        return "\(service) \(path) \(what)" + (detail.isEmpty ? "" : ": \(detail)")
    }

    /// Whether the same call may succeed later (the work should be retried, not failed for good).
    var isTransient: Bool {
        switch kind {
        case .rateLimited, .unavailable, .circuitOpen: return true
        case .unauthorized, .malformedResponse, .unexpectedStatus: return false
        }
    }
}
