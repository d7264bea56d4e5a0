import Foundation

/// Allows each client `limit` requests per window; past that, says how long to wait.
///
/// Counters live in two generations of one window each: a client's counter is found in the
/// current generation or the previous one, and every window the previous generation is dropped
/// whole. So no request ever scans the map, and memory holds at most the clients of two
/// windows. When a flood of new clients fills a generation (`maximumClients`), further new
/// clients share one overflow counter: they are limited together, and known clients are not
/// disturbed.
actor RateLimiter {
    private let limit: Int
    private let window: TimeInterval
    private let maximumClients: Int
    private var current: [String: Counter] = [:]
    private var previous: [String: Counter] = [:]
    private var generationStart: Date?

    private struct Counter {
        var start: Date
        var count: Int
    }

    /// The key new clients share once a generation is full.
    static let overflowKey = "\u{0}overflow"

    /// - Parameters:
    ///   - limit: requests per window; 0 turns limiting off.
    ///   - maximumClients: clients tracked per window before new ones share a counter.
    init(limit: Int, window: TimeInterval = 60, maximumClients: Int = 50_000) {
        self.limit = limit
        self.window = window
        self.maximumClients = maximumClients
    }

    /// Whether requests are limited at all (a limit of 0 turns limiting off): when not, callers
    /// need not ask ``retryAfter(client:now:)``.
    nonisolated var isOn: Bool { limit > 0 }

    /// nil when the request may go ahead, else the seconds until the client may try again.
    func retryAfter(client: String, now: Date = Date()) -> Int? {
        guard limit > 0 else { return nil }
        rotate(now: now)
        var key = client
        var entry = current[key] ?? previous[key]
        if entry == nil && current.count >= maximumClients {
            key = Self.overflowKey
            entry = current[key] ?? previous[key]
        }
        var counter = entry ?? Counter(start: now, count: 0)
        if now.timeIntervalSince(counter.start) >= window { counter = Counter(start: now, count: 0) }
        guard counter.count < limit else {
            current[key] = counter
            return max(1, Int((window - now.timeIntervalSince(counter.start)).rounded(.up)))
        }
        counter.count += 1
        current[key] = counter
        return nil
    }

    /// Clients currently tracked (both generations), for tests and metrics.
    var trackedClients: Int { Set(current.keys).union(previous.keys).count }

    private func rotate(now: Date) {
        guard let start = generationStart else {
            generationStart = now
            return
        }
        let elapsed = now.timeIntervalSince(start)
        guard elapsed >= window else { return }
        // A counter older than a window has expired anyway, so two windows of silence drop everything.
        previous = elapsed >= 2 * window ? [:] : current
        current = [:]
        generationStart = now
    }
}
