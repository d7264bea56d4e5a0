import Foundation

/// Allows each client `limit` requests per window; past that, says how long to wait.
actor RateLimiter {
    private let limit: Int
    private let window: TimeInterval
    private var counters: [String: (start: Date, count: Int)] = [:]

    /// - Parameter limit: requests per window; 0 turns limiting off.
    init(limit: Int, window: TimeInterval = 60) {
        self.limit = limit
        self.window = window
    }

    /// nil when the request may go ahead, else the seconds until the client may try again.
    func retryAfter(client: String, now: Date = Date()) -> Int? {
        guard limit > 0 else { return nil }
        if counters.count > 10_000 { counters = counters.filter { now.timeIntervalSince($0.value.start) < window } }
        var entry = counters[client] ?? (now, 0)
        if now.timeIntervalSince(entry.start) >= window { entry = (now, 0) }
        guard entry.count < limit else {
            return max(1, Int((window - now.timeIntervalSince(entry.start)).rounded(.up)))
        }
        entry.count += 1
        counters[client] = entry
        return nil
    }
}
