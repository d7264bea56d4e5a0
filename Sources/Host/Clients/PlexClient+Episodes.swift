import Foundation

extension PlexClient {
    /// One episode of a show as a Plex Media Server lists it.
    struct EpisodeLeaf: Decodable, Sendable, Equatable {
        var season: Int?
        var number: Int?
        var title: String?
        /// `YYYY-MM-DD`.
        var airDate: String?
        var durationMs: Int?

        enum CodingKeys: String, CodingKey {
            case season = "parentIndex"
            case number = "index"
            case title
            case airDate = "originallyAvailableAt"
            case durationMs = "duration"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            season = c.lenient(LenientInt.self, .season)?.value
            number = c.lenient(LenientInt.self, .number)?.value
            title = c.lenient(String.self, .title)
            airDate = c.lenient(String.self, .airDate)
            durationMs = c.lenient(LenientInt.self, .durationMs)?.value
        }
    }

    /// Every episode of a show (`/library/metadata/{ratingKey}/allLeaves`); empty when the
    /// server does not know the ratingKey.
    ///
    /// Throws `ExternalServiceError` when the server cannot be asked.
    func episodes(serverURL: String, token: String, ratingKey: String) async throws -> [EpisodeLeaf] {
        let server = ResilientHTTPClient(service: "Plex server", baseURL: serverURL, policy: policy, logger: logger)
        let key = ratingKey.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ratingKey
        let container = try await server.getJSON(
            LeavesResponse.self, path: "/library/metadata/\(key)/allLeaves", headers: Self.headers(token))
        return container?.mediaContainer.metadata ?? []
    }

    private struct LeavesResponse: Decodable {
        var mediaContainer: Container

        enum CodingKeys: String, CodingKey { case mediaContainer = "MediaContainer" }

        struct Container: Decodable {
            var metadata: [EpisodeLeaf]?

            enum CodingKeys: String, CodingKey { case metadata = "Metadata" }
        }
    }
}
