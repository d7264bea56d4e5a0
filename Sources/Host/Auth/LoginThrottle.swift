import Foundation

/// Slows password guessing down two ways at once:
///
/// - per client: at most `perClientLimit` attempts a minute (behind a trusted proxy, the
///   client is the forwarded address, so one guesser does not lock everyone out);
/// - per user name: after `freeFailures` wrong passwords in a row, each further attempt must
///   wait 1 s, 2 s, 4 s ... (at most `maximumDelay`) after the last failure, whichever client
///   it comes from. A correct password clears the name's count.
///
/// The wait is short on purpose: someone failing logins for `admin` can delay the real
/// admin by at most a minute per attempt, never lock them out for good.
actor LoginThrottle {
    private let perClient: RateLimiter
    let freeFailures: Int
    let maximumDelay: TimeInterval
    private let maximumNames: Int
    private var failures: [String: Failures] = [:]

    private struct Failures {
        var count: Int
        var last: Date
    }

    init(perClientLimit: Int = 10, freeFailures: Int = 5, maximumDelay: TimeInterval = 60, maximumNames: Int = 10_000) {
        perClient = RateLimiter(limit: perClientLimit)
        self.freeFailures = freeFailures
        self.maximumDelay = maximumDelay
        self.maximumNames = maximumNames
    }

    /// Counts an attempt; nil when it may go ahead, else the seconds to wait.
    func retryAfter(client: String, username: String, now: Date = Date()) async -> Int? {
        if let wait = await perClient.retryAfter(client: client, now: now) { return wait }
        guard let entry = failures[Self.key(username)], entry.count >= freeFailures else { return nil }
        let remaining = delay(afterFailures: entry.count) - now.timeIntervalSince(entry.last)
        return remaining > 0 ? max(1, Int(remaining.rounded(.up))) : nil
    }

    /// The wait after `count` failures in a row.
    func delay(afterFailures count: Int) -> TimeInterval {
        guard count >= freeFailures else { return 0 }
        return min(maximumDelay, pow(2, Double(min(count - freeFailures, 30))))
    }

    func recordFailure(username: String, now: Date = Date()) {
        let key = Self.key(username)
        if failures[key] == nil, failures.count >= maximumNames {
            failures = failures.filter { now.timeIntervalSince($0.value.last) < maximumDelay }
            guard failures.count < maximumNames else { return }
        }
        var entry = failures[key] ?? Failures(count: 0, last: now)
        entry.count += 1
        entry.last = now
        failures[key] = entry
    }

    func recordSuccess(username: String) {
        failures[Self.key(username)] = nil
    }

    private static func key(_ username: String) -> String { String(username.lowercased().prefix(200)) }
}
