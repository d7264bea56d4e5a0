import Foundation
import Hummingbird
import Storage

/// `GET /api/plex/logs` and `GET /api/plex/logs/{id}`.
struct LogsController {
    let store: any Store

    struct Item: Encodable, Sendable {
        var id: Int64
        var event: String?
        var plexTitle: String?
        var status: String
        var errorMessage: String?
        var createdAt: Date
        var completedAt: Date?
        var processingMs: Double?
        var attempts: Int
        var mappingId: Int64?
        var conflictId: Int64?
        var episodeId: Int64?

        init(_ log: WebhookLog) {
            id = log.id
            event = log.event
            plexTitle = log.plexTitle
            status = log.status.rawValue
            errorMessage = log.errorMessage
            createdAt = log.createdAt
            completedAt = log.completedAt
            processingMs = log.processingMs
            attempts = log.attempts
            mappingId = log.mappingID
            conflictId = log.conflictID
            episodeId = log.episodeID
        }
    }

    struct Detail: ResponseEncodable, Sendable {
        var log: Item
        var serverUuid: String?
        var accountId: String?
        var ratingKey: String?
        var nextAttemptAt: Date?
        /// The body as received, with any secret-looking field blanked.
        var rawPayload: String

        func encode(to encoder: any Encoder) throws {
            try log.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encodeIfPresent(serverUuid, forKey: .serverUuid)
            try container.encodeIfPresent(accountId, forKey: .accountId)
            try container.encodeIfPresent(ratingKey, forKey: .ratingKey)
            try container.encodeIfPresent(nextAttemptAt, forKey: .nextAttemptAt)
            try container.encode(rawPayload, forKey: .rawPayload)
        }

        enum Keys: String, CodingKey { case serverUuid, accountId, ratingKey, nextAttemptAt, rawPayload }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get { request, _ -> ListResponse<Item> in
            let query = QueryParameters(request: request)
            let (limit, offset) = try query.paging()
            var status: WebhookStatus?
            if let text = query.string("status") {
                guard let parsed = WebhookStatus(rawValue: text) else {
                    throw APIError(.badRequest,
                                   "must be one of \(WebhookStatus.allCases.map(\.rawValue).joined(separator: ", "))",
                                   field: "status")
                }
                status = parsed
            }
            let page = try await store.webhookLogs(WebhookLogFilter(status: status, limit: limit, offset: offset))
            return ListResponse(items: page.items.map(Item.init), total: page.total)
        }
        group.get(":id") { _, context -> Detail in
            let id = try context.id()
            guard let log = try await store.webhookLog(id: id) else { throw APIError(.notFound, "no webhook \(id)") }
            return Detail(log: Item(log), serverUuid: log.serverUUID, accountId: log.accountID, ratingKey: log.ratingKey,
                          nextAttemptAt: log.nextAttemptAt, rawPayload: SecretRedactor.redact(log.rawPayload))
        }
    }
}

/// Blanks values of JSON fields whose names suggest a secret (token, secret, password...).
enum SecretRedactor {
    static let suspicious = ["token", "secret", "password", "apikey", "api_key", "authorization"]

    static func redact(_ text: String) -> String {
        guard let data = text.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) else {
            return text
        }
        let cleaned = redact(object)
        guard let out = try? JSONSerialization.data(withJSONObject: cleaned, options: [.sortedKeys]) else { return text }
        return String(decoding: out, as: UTF8.self)
    }

    private static func redact(_ value: Any) -> Any {
        if let dictionary = value as? [String: Any] {
            var result: [String: Any] = [:]
            for (key, inner) in dictionary {
                let lowered = key.lowercased()
                result[key] = suspicious.contains(where: lowered.contains) ? "[removed]" : redact(inner)
            }
            return result
        }
        if let array = value as? [Any] { return array.map(redact) }
        return value
    }
}
