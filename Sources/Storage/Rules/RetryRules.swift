import Foundation

/// The rules for retrying a failed webhook by hand, over plain values.
public enum RetryRules {
    /// Why a webhook cannot be retried.
    public enum Refusal: Sendable, Hashable {
        /// Only failed webhooks are retried; this one is in another status.
        case notFailed(WebhookStatus)
        /// It was refused as it arrived (an invalid body, logged `failed` with attempts 0):
        /// processing it again cannot help, the sender must change.
        case refusedOnArrival
    }

    /// Why `log` cannot be retried; nil when it can.
    public static func refusal(for log: WebhookLog) -> Refusal? {
        guard log.status == .failed else { return .notFailed(log.status) }
        guard log.attempts > 0 else { return .refusedOnArrival }
        return nil
    }

    public static func canRetry(_ log: WebhookLog) -> Bool { refusal(for: log) == nil }

    /// A failed webhook back in the inbox, due at once. Its attempts are kept: one still waiting
    /// for an automatic retry simply goes now, one that used up its retries gets one more
    /// attempt. Its error stays until the outcome replaces it.
    public static func retried(_ log: WebhookLog) -> WebhookLog {
        var next = log
        next.status = .received
        next.nextAttemptAt = nil
        next.completedAt = nil
        return next
    }
}
