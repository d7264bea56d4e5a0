import Foundation

/// A Plex show's external ids from its server, by ratingKey, cached; the cached answer is
/// dropped when Plex reports a different guid for the same ratingKey (the item was re-matched).
struct PlexMetadataResolver: Sendable {
    let plex: PlexClient
    let cache: ConversionCache

    /// The show's metadata; nil when the server does not know the ratingKey.
    ///
    /// - Parameter expectedGuid: the show guid the webhook carried; a cached entry for another
    ///   guid is stale and is fetched again.
    func show(serverURL: String, token: String, serverUUID: String, ratingKey: String, expectedGuid: String?)
        async throws -> PlexClient.ShowMetadata?
    {
        let key = "plex:metadata:\(serverUUID):\(ratingKey)"
        if case .hit(let cached) = await cache.lookup(CachedMetadata.self, key: key) {
            if expectedGuid == nil || cached.guid == expectedGuid { return cached.metadata }
            await cache.remove(key: key)
        }
        let fetched = try await plex.showMetadata(serverURL: serverURL, token: token, ratingKey: ratingKey)
        await cache.store(fetched.map(CachedMetadata.init), key: key)
        return fetched
    }

    private struct CachedMetadata: Codable {
        var ratingKey: String?
        var title: String?
        var year: Int?
        var guid: String?
        var guids: [String]

        init(_ metadata: PlexClient.ShowMetadata) {
            ratingKey = metadata.ratingKey
            title = metadata.title
            year = metadata.year
            guid = metadata.guid
            guids = metadata.guids
        }

        var metadata: PlexClient.ShowMetadata {
            PlexClient.ShowMetadata(ratingKey: ratingKey, title: title, year: year, guid: guid, guids: guids)
        }
    }
}
