import Foundation
import Hummingbird
import Logging
import Storage

/// `POST /api/plex/webhook?secret=S` (and `/api/plex/webhook/S`): Plex's webhooks into the inbox.
///
/// A 2xx is sent only after the webhook is written to `plex_webhook_logs`; the workers do the rest.
/// When the inbox cannot be written (disk full, database locked, read-only file) the answer is
/// 503 with `Retry-After`, never a 2xx.
struct WebhookController {
    let store: any Store
    let settings: PlexSettings
    /// Requests with the right secret, per client.
    let rateLimiter: RateLimiter
    let doorbell: InboxDoorbell
    /// Told of every accepted webhook, so the workers hold back while they come back to back.
    let intake: IntakePressure
    let metrics: ShowmatchMetrics
    var dedupeWindow: TimeInterval = 300
    /// Requests with a wrong or missing secret, per client: a bucket of their own, so a flood of
    /// them never uses up the real sender's.
    var wrongSecretLimiter = RateLimiter(limit: WebhookController.wrongSecretsPerMinute)

    static let wrongSecretsPerMinute = 20
    /// The `payload` part is JSON of a few kilobytes; anything past this is not Plex.
    static let maximumPayloadBytes = 1 << 20

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("webhook", use: receive)
        group.post("webhook/:secret", use: receive)
    }

    @Sendable func receive(request: Request, context: AppRequestContext) async throws -> WebhookReceipt {
        let secret = context.parameters.get("secret") ?? request.uri.queryParameters["secret"].map(String.init)
        guard let secret, await settings.acceptsCurrent(secret) else {
            if let wait = await wrongSecretLimiter.retryAfter(client: context.clientAddress) {
                throw APIError.rateLimited(retryAfter: wait)
            }
            throw APIError(.unauthorized, "missing or wrong webhook secret", field: "secret")
        }
        if rateLimiter.isOn, let wait = await rateLimiter.retryAfter(client: context.clientAddress) {
            throw APIError.rateLimited(retryAfter: wait)
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: context.maxUploadSize)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "the body is larger than \(context.maxUploadSize / 1_048_576) MB")
        }
        let now = Date()
        let text: String
        do {
            text = try MultipartPayload.extract(contentType: request.headers[.contentType], body: body)
        } catch let failure as MultipartPayload.Failure {
            if failure.kind == .notMultipart { throw APIError(.unsupportedMediaType, failure.message) }
            try await reject(raw: String(buffer: body), field: "payload", message: failure.message, now: now)
        }
        guard text.utf8.count <= Self.maximumPayloadBytes else {
            try await reject(raw: text, field: "payload", status: .contentTooLarge,
                             message: "the payload part is larger than \(Self.maximumPayloadBytes / 1024) KiB", now: now)
        }
        // Only what triage and the inbox entry need: the workers decode the whole payload.
        guard let payload = PlexWebhookFields.read(text) else {
            try await reject(raw: text, field: "payload", message: "not valid JSON", now: now)
        }
        var entry = InboxEntry(
            event: payload.event, plexTitle: payload.logTitle, serverUUID: payload.server?.uuid,
            accountID: payload.accountKey, ratingKey: payload.metadata?.ratingKey,
            idempotencyKey: payload.idempotencyKey, client: context.clientAddress, rawPayload: text)
        switch WebhookTriage.evaluate(payload) {
        case .invalid(let field, let message):
            try await reject(raw: text, entry: entry, field: field, message: message, now: now)
        case .ignore(let reason):
            // Never processed: the first bytes say what it was.
            entry.rawPayload = PayloadTrim.prefix(text)
            let id = try await store.recordFinishedWebhook(entry, status: .ignored, message: reason, now: now)
            metrics.webhook("ignored")
            return WebhookReceipt(id: id, status: "ignored", reason: reason)
        case .process:
            switch try await store.receiveWebhook(entry, dedupeWindow: dedupeWindow, now: now) {
            case .accepted(let id):
                metrics.webhook("accepted")
                intake.arrived()
                await doorbell.ring()
                return WebhookReceipt(id: id, status: "accepted", reason: nil)
            case .duplicate(let id, let originalID):
                metrics.webhook("duplicate")
                return WebhookReceipt(id: id, status: "duplicate", reason: "same as webhook \(originalID) within 5 minutes")
            }
        }
    }

    /// Logs the webhook as failed (keeping the first bytes of its payload), then answers
    /// `status` (400 unless said) naming the field.
    private func reject(
        raw: String, entry: InboxEntry? = nil, field: String, status: HTTPResponse.Status = .badRequest,
        message: String, now: Date
    ) async throws -> Never {
        var logged = entry ?? InboxEntry(
            event: nil, plexTitle: nil, serverUUID: nil, accountID: nil, ratingKey: nil, idempotencyKey: nil,
            rawPayload: raw)
        logged.rawPayload = PayloadTrim.prefix(raw)
        _ = try await store.recordFinishedWebhook(logged, status: .failed, message: "\(field): \(message)", now: now)
        metrics.webhook("rejected")
        throw APIError(status, message, field: field)
    }
}
