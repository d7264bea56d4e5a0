import Foundation

/// How hard a client tries: per-request timeout, bounded retries with backoff, and how long a
/// 429's Retry-After may hold a caller before it fails fast instead.
struct RetryPolicy: Sendable {
    var timeout: TimeInterval = 5
    /// Attempts in all, the first included.
    var maxAttempts = 3
    var baseDelay: TimeInterval = 0.25
    var maxDelay: TimeInterval = 4
    /// A Retry-After up to this is waited out; a longer one fails the call at once.
    var maxRetryAfter: TimeInterval = 10
    /// Consecutive failures that open the circuit, and how long it stays open.
    var breakerThreshold = 5
    var breakerCooldown: TimeInterval = 30

    /// Exponential backoff with full jitter for the given retry (1 = first retry).
    func delay(beforeRetry retry: Int) -> TimeInterval {
        let ceiling = min(maxDelay, baseDelay * pow(2, Double(retry - 1)))
        return Double.random(in: ceiling / 2...ceiling)
    }
}
