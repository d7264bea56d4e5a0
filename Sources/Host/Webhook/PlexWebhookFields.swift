import Foundation

/// What an acknowledgement needs of a webhook's payload: enough to triage it and to write its
/// inbox entry. The workers decode the whole payload (``PlexWebhookPayload``) later.
///
/// The values are the ones ``PlexWebhookPayload`` decodes: ids that came as numbers are text,
/// and a field of another type than expected is nil.
struct PlexWebhookFields: Equatable, Sendable {
    var event: String?
    var account: Account?
    var server: Server?
    var metadata: Metadata?

    struct Account: Equatable, Sendable {
        var id: String?
        var title: String?
    }

    struct Server: Equatable, Sendable {
        var uuid: String?
    }

    struct Metadata: Equatable, Sendable {
        var type: String?
        var ratingKey: String?
        var guid: String?
        var grandparentGuid: String?
        var title: String?
        var grandparentTitle: String?
        var parentIndex: Int?
        var index: Int?
    }

    /// The fields of a payload JSON, or nil when it is not a JSON object.
    ///
    /// ``WebhookFieldScanner`` reads them from the bytes; what it leaves alone is decoded with
    /// `JSONDecoder`, so both ways give the same answer.
    static func read(_ text: String) -> PlexWebhookFields? {
        if let fields = WebhookFieldScanner.scan(text) { return fields }
        return (try? JSONDecoder().decode(PlexWebhookPayload.self, from: Data(text.utf8))).map(PlexWebhookFields.init)
    }
}

extension PlexWebhookFields {
    /// The fields of a decoded payload.
    init(_ payload: PlexWebhookPayload) {
        event = payload.event
        account = payload.account.map { Account(id: $0.id?.value, title: $0.title) }
        server = payload.server.map { Server(uuid: $0.uuid) }
        metadata = payload.metadata.map {
            Metadata(type: $0.type, ratingKey: $0.ratingKey?.value, guid: $0.guid, grandparentGuid: $0.grandparentGuid,
                     title: $0.title, grandparentTitle: $0.grandparentTitle, parentIndex: $0.parentIndex?.value,
                     index: $0.index?.value)
        }
    }
}
