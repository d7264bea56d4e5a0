import Foundation

/// The rules of notification delivery, over plain values: who gets a notification, when a
/// repeat is dropped, how an attempt moves a delivery on (retry with backoff, or give up), and
/// what the channel shows afterwards.
///
/// | attempt | attempts so far | next |
/// |---|---|---|
/// | delivered | any | delivered |
/// | failed | < max | retry after base × 2^(attempts − 1), at most the cap |
/// | failed | = max | gave up, with the error |
public enum NotificationRules {
    /// The channels a notification of `event` goes to: the enabled ones that chose it. A test
    /// is never fanned out (the test button sends to one channel directly).
    public static func subscribers(of event: NotificationEvent, among channels: [NotificationChannel])
        -> [NotificationChannel]
    {
        guard event != .test else { return [] }
        return channels.filter { $0.enabled && $0.events.contains(event) }
    }

    /// Whether a notification with the same key as one queued at `lastQueuedAt` is a repeat to
    /// drop (it came less than `window` seconds later).
    public static func isRepeat(lastQueuedAt: Date?, now: Date, window: TimeInterval) -> Bool {
        guard let lastQueuedAt, window > 0 else { return false }
        return now.timeIntervalSince(lastQueuedAt) < window
    }

    /// What a delivery does after an attempt, the `attempts`-th one.
    public static func next(after attempt: DeliveryAttempt, attempts: Int, now: Date, policy: DeliveryPolicy)
        -> DeliveryOutcome
    {
        switch attempt {
        case .delivered:
            return .delivered
        case .failed(let error):
            guard attempts < policy.maxAttempts else { return .gaveUp(error: error) }
            return .retry(at: now.addingTimeInterval(delay(afterAttempt: attempts, policy: policy)), error: error)
        }
    }

    /// The wait after the `attempt`-th failed attempt: base × 2^(attempt − 1), at most the cap.
    public static func delay(afterAttempt attempt: Int, policy: DeliveryPolicy) -> TimeInterval {
        min(policy.retryCap, policy.retryBase * pow(2, Double(max(0, attempt - 1))))
    }

    /// A delivery after an outcome.
    public static func delivery(_ delivery: NotificationDelivery, after outcome: DeliveryOutcome, now: Date)
        -> NotificationDelivery
    {
        var next = delivery
        switch outcome {
        case .delivered:
            next.status = .delivered
            next.deliveredAt = now
            next.nextAttemptAt = nil
            next.lastError = nil
        case .retry(let at, let error):
            next.status = .pending
            next.nextAttemptAt = at
            next.lastError = error
        case .gaveUp(let error):
            next.status = .failed
            next.nextAttemptAt = nil
            next.lastError = error
        }
        return next
    }

    /// A channel after an attempt: when it was tried, its last success, and its last error
    /// (kept until a success clears it).
    public static func channel(_ channel: NotificationChannel, after attempt: DeliveryAttempt, now: Date)
        -> NotificationChannel
    {
        var next = channel
        next.lastAttemptAt = now
        switch attempt {
        case .delivered:
            next.lastSuccessAt = now
            next.lastError = nil
            next.lastErrorAt = nil
        case .failed(let error):
            next.lastError = error
            next.lastErrorAt = now
        }
        return next
    }
}

extension DeliveryOutcome {
    /// The attempt that led here.
    public var attempt: DeliveryAttempt {
        switch self {
        case .delivered: .delivered
        case .retry(_, let error), .gaveUp(let error): .failed(error)
        }
    }
}
