import Foundation
import Storage

/// Retrying failed webhooks by hand (`RetryRules`): back in the inbox, the workers woken.
struct WebhookRetryService: Sendable {
    let store: any Store
    let doorbell: InboxDoorbell

    /// Puts one failed webhook back in the inbox. Throws `.notFound`, or `.conflict` with the
    /// reason when it is not failed or was refused as it arrived.
    func retry(id: Int64) async throws -> WebhookLog {
        guard let log = try await store.retryWebhook(id: id, now: Date()) else {
            throw ServiceError.notFound("no webhook \(id)")
        }
        if log.status == .received {
            await doorbell.ring()
            return log
        }
        switch RetryRules.refusal(for: log) {
        case .notFailed(let status):
            throw ServiceError(.conflict, "webhook \(id) is \(status.rawValue); only failed webhooks are retried")
        case .refusedOnArrival:
            throw ServiceError(
                .conflict,
                "webhook \(id) was refused as it arrived (\(log.errorMessage ?? "invalid")); "
                    + "processing it again cannot help")
        case nil:
            throw ServiceError(.conflict, "webhook \(id) could not be put back in the inbox")
        }
    }

    /// Puts every failed webhook that can be retried back in the inbox; returns how many.
    /// Throws `.invalid` for another status than `failed`.
    func retryAll(status: String) async throws -> Int {
        guard status == WebhookStatus.failed.rawValue else {
            throw ServiceError.invalid("only failed webhooks are retried", field: "status")
        }
        let count = try await store.retryFailedWebhooks(now: Date())
        if count > 0 { await doorbell.ring() }
        return count
    }
}
