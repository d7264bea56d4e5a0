import Foundation
import Hummingbird
import Logging
import Storage

/// `POST /api/plex/webhook?secret=S` (and `/api/plex/webhook/S`): Plex's webhooks into the inbox.
///
/// A 2xx is sent only after the webhook is written to `plex_webhook_logs`; the workers do the rest.
struct WebhookController {
    let store: any Store
    let settings: PlexSettings
    let rateLimiter: RateLimiter
    let doorbell: InboxDoorbell
    let metrics: ShowmatchMetrics
    var dedupeWindow: TimeInterval = 300

    struct Receipt: ResponseEncodable {
        let id: Int64
        let status: String
        let reason: String?
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("webhook", use: receive)
        group.post("webhook/:secret", use: receive)
    }

    @Sendable func receive(request: Request, context: AppRequestContext) async throws -> Receipt {
        if let wait = await rateLimiter.retryAfter(client: context.clientAddress) {
            throw APIError.rateLimited(retryAfter: wait)
        }
        let secret = context.parameters.get("secret") ?? request.uri.queryParameters["secret"].map(String.init)
        guard let secret, await settings.accepts(secret) else {
            throw APIError(.unauthorized, "missing or wrong webhook secret", field: "secret")
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
        guard let payload = try? JSONDecoder().decode(PlexWebhookPayload.self, from: Data(text.utf8)) else {
            try await reject(raw: text, field: "payload", message: "not valid JSON", now: now)
        }
        let entry = InboxEntry(
            event: payload.event, plexTitle: payload.logTitle, serverUUID: payload.server?.uuid,
            accountID: payload.accountKey, ratingKey: payload.metadata?.ratingKey?.value,
            idempotencyKey: payload.idempotencyKey, client: context.clientAddress, rawPayload: text)
        switch WebhookTriage.evaluate(payload) {
        case .invalid(let field, let message):
            try await reject(raw: text, entry: entry, field: field, message: message, now: now)
        case .ignore(let reason):
            let id = try await store.recordFinishedWebhook(entry, status: .ignored, message: reason, now: now)
            metrics.webhook("ignored")
            return Receipt(id: id, status: "ignored", reason: reason)
        case .process:
            switch try await store.receiveWebhook(entry, dedupeWindow: dedupeWindow, now: now) {
            case .accepted(let id):
                metrics.webhook("accepted")
                await doorbell.ring()
                return Receipt(id: id, status: "accepted", reason: nil)
            case .duplicate(let id, let originalID):
                metrics.webhook("duplicate")
                return Receipt(id: id, status: "duplicate", reason: "same as webhook \(originalID) within 5 minutes")
            }
        }
    }

    /// Logs the webhook as failed, then answers 400 naming the field.
    private func reject(raw: String, entry: InboxEntry? = nil, field: String, message: String, now: Date)
        async throws -> Never
    {
        let logged = entry ?? InboxEntry(
            event: nil, plexTitle: nil, serverUUID: nil, accountID: nil, ratingKey: nil, idempotencyKey: nil,
            rawPayload: String(raw.prefix(65_536)))
        _ = try await store.recordFinishedWebhook(logged, status: .failed, message: "\(field): \(message)", now: now)
        metrics.webhook("rejected")
        throw APIError(.badRequest, message, field: field)
    }
}
