import Foundation
import Logging

/// plex.tv (token validation, server discovery) and a Plex Media Server's metadata.
struct PlexClient: Sendable {
    /// The account a token belongs to.
    struct Account: Decodable, Sendable, Equatable {
        var id: Int
        var uuid: String?
        var username: String?
        var title: String?

        /// The name to show: the account's title, else its username.
        var displayName: String { title ?? username ?? "Plex account \(id)" }
    }

    /// A device of the account that provides a media server.
    struct ServerResource: Decodable, Sendable, Equatable {
        var name: String
        var clientIdentifier: String?
        var provides: String?
        /// Whether the account owns the server (rather than having it shared with it).
        var owned: Bool?
        var connections: [Connection]?

        struct Connection: Decodable, Sendable, Equatable {
            var uri: String
            var local: Bool?
            /// A connection through Plex's relay (slow, limited).
            var relay: Bool?
        }

        var isServer: Bool { provides?.split(separator: ",").contains("server") ?? false }
    }

    /// A show's metadata as the server has it: its own guid and its external ids.
    struct ShowMetadata: Sendable, Equatable {
        var ratingKey: String?
        var title: String?
        var year: Int?
        var guid: String?
        /// The `Guid` entries, e.g. `tmdb://1399`, `tvdb://121361`, `imdb://tt0944947`.
        var guids: [String]
    }

    let plexTV: ResilientHTTPClient
    let policy: RetryPolicy
    let logger: Logger

    init(plexTVBase: String, policy: RetryPolicy = RetryPolicy(), logger: Logger) {
        self.plexTV = ResilientHTTPClient(service: "plex.tv", baseURL: plexTVBase, policy: policy, logger: logger)
        self.policy = policy
        self.logger = logger
    }

    /// The account a token belongs to. Throws `ExternalServiceError` `.unauthorized` for a bad token.
    func account(token: String) async throws -> Account {
        guard let account = try await plexTV.getJSON(
            Account.self, path: "/api/v2/user", headers: Self.headers(token))
        else {
            throw ExternalServiceError(service: "plex.tv", path: "/api/v2/user", kind: .unauthorized, detail: "")
        }
        return account
    }

    /// The account's media servers.
    func servers(token: String) async throws -> [ServerResource] {
        let resources = try await plexTV.getJSON(
            [ServerResource].self, path: "/api/v2/resources", query: [("includeHttps", "1")],
            headers: Self.headers(token))
        return (resources ?? []).filter(\.isServer)
    }

    /// A show's metadata from a Plex Media Server; nil when the server does not know the key.
    func showMetadata(serverURL: String, token: String, ratingKey: String) async throws -> ShowMetadata? {
        let server = ResilientHTTPClient(service: "Plex server", baseURL: serverURL, policy: policy, logger: logger)
        let key = ratingKey.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ratingKey
        guard let container = try await server.getJSON(
            MetadataResponse.self, path: "/library/metadata/\(key)", headers: Self.headers(token)),
            let item = container.mediaContainer.metadata?.first
        else { return nil }
        return ShowMetadata(ratingKey: item.ratingKey?.value, title: item.title, year: item.year,
                            guid: item.guid, guids: (item.externalGuids ?? []).map(\.id))
    }

    static func headers(_ token: String) -> [(String, String)] {
        [("X-Plex-Token", token), ("X-Plex-Client-Identifier", "showmatch"), ("X-Plex-Product", "Showmatch")]
    }

    private struct MetadataResponse: Decodable {
        var mediaContainer: Container

        enum CodingKeys: String, CodingKey { case mediaContainer = "MediaContainer" }

        struct Container: Decodable {
            var metadata: [Item]?

            enum CodingKeys: String, CodingKey { case metadata = "Metadata" }
        }

        struct Item: Decodable {
            var ratingKey: LenientString?
            var title: String?
            var year: Int?
            var guid: String?
            var externalGuids: [GuidEntry]?

            enum CodingKeys: String, CodingKey {
                case ratingKey, title, year, guid
                case externalGuids = "Guid"
            }
        }

        struct GuidEntry: Decodable { var id: String }
    }
}
