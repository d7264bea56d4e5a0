import Foundation

/// Opens after a run of failures so a dead service costs nothing for a while, then lets one
/// trial call through (half-open) to see whether it is back.
actor CircuitBreaker {
    private let threshold: Int
    private let cooldown: TimeInterval
    private var consecutiveFailures = 0
    private var openedAt: Date?
    private var trialInFlight = false

    init(threshold: Int, cooldown: TimeInterval) {
        self.threshold = max(1, threshold)
        self.cooldown = cooldown
    }

    /// Whether a call may go out now.
    func allow(now: Date = Date()) -> Bool {
        guard let openedAt else { return true }
        guard now.timeIntervalSince(openedAt) >= cooldown, !trialInFlight else { return false }
        trialInFlight = true
        return true
    }

    func recordSuccess() {
        consecutiveFailures = 0
        openedAt = nil
        trialInFlight = false
    }

    func recordFailure(now: Date = Date()) {
        consecutiveFailures += 1
        trialInFlight = false
        if consecutiveFailures >= threshold { openedAt = now }
    }

    var isOpen: Bool { openedAt != nil }
}
