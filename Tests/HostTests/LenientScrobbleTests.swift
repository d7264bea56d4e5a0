import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport

@testable import Host

/// Trimmed payloads as peers' test suites send them: no ratingKey, no Server, no Account.
@Suite("lenient scrobbles")
struct LenientScrobbleTests {
    /// Only `Metadata.type`, `grandparentTitle`, `parentIndex`, `index` and a `Guid` array of
    /// the EPISODE's ids (Friends S01E01), the shape of Yamtrack's test payload.
    static let trimmed = #"""
        {"event": "media.scrobble", "Metadata": {"type": "episode", "grandparentTitle": "Friends",
         "parentIndex": 1, "index": 1,
         "Guid": [{"id": "imdb://tt0583459"}, {"id": "tmdb://85987"}, {"id": "tvdb://303821"}]}}
        """#

    @Test("a trimmed scrobble ends with the episode watched, found through its episode ids; a replay is a duplicate")
    func trimmedScrobbleIsWatched() async throws {
        let tmdb = try await FakeTMDB.start(
            shows: [FakeTMDB.Show(id: 1668, name: "Friends", firstAirDate: "1994-09-22", tvdbID: 79168)],
            episodes: [FakeTMDB.EpisodeID(externalID: "303821", episodeID: 85987, showID: 1668, season: 1, episode: 1),
                       FakeTMDB.EpisodeID(externalID: "tt0583459", episodeID: 85987, showID: 1668, season: 1, episode: 1)])
        let daemon = try await TestDaemon.make(store: try SQLiteStore(path: ProjectPaths.temporaryDatabase())) {
            $0.tmdbAPIKey = tmdb.apiKey
            $0.tmdbAPIBase = tmdb.baseURL
        }
        // Two shows of that title: the title alone cannot decide, the episode ids can.
        try await daemon.addShows([
            ShowInput(key: "friends-1994", title: "Friends", year: 1994, tmdbID: 1668, tvdbID: 79168),
            ShowInput(key: "friends-2019", title: "Friends", year: 2019, tmdbID: 99999),
        ])
        let statuses = try await daemon.post([Self.trimmed, Self.trimmed])
        #expect(statuses == [200, 200])
        let logs = try await daemon.store.webhookLogs(WebhookLogFilter()).items.sorted { $0.id < $1.id }
        #expect(logs.map(\.status) == [.success, .duplicate], "\(logs.map { $0.errorMessage ?? "" })")
        #expect(logs.first?.idempotencyKey == "-|-|title:friends/s1e1|media.scrobble")
        let episode = try await WebhookProcessingTests.episode(daemon, showKey: "friends-1994", season: 1, number: 1)
        #expect(episode?.watched == true)
        #expect(try await WebhookProcessingTests.episode(daemon, showKey: "friends-2019", season: 1, number: 1) == nil)
        let mapping = try #require(try await daemon.store.mappings(MappingFilter()).items.first)
        #expect(mapping.serverUUID == "unknown-server" && mapping.plexShowKey == "title:Friends")
        await tmdb.stop()
    }

    @Test("what cannot be identified is still a 400 naming the field, and logged", arguments: [
        (#"{"event": "media.scrobble", "Metadata": {"type": "episode", "parentIndex": 1, "index": 1}}"#,
         "Metadata.grandparentTitle"),
        (#"{"event": "media.scrobble", "Metadata": {"type": "episode", "grandparentTitle": "Friends", "index": 1}}"#,
         "Metadata.parentIndex"),
        (#"{"event": "media.scrobble", "Metadata": {"type": "episode", "grandparentTitle": "Friends", "parentIndex": 1}}"#,
         "Metadata.index"),
        (#"{"event": "library.new", "Metadata": {"type": "show"}}"#, "Metadata.title"),
    ])
    func unidentifiable(_ payload: String, _ field: String) async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.parts.buildApplication().test(.router) { (client: any TestClientProtocol) async throws -> Void in
            let response = try await client.execute(
                uri: "/api/plex/webhook?secret=\(TestDaemon.secret)", method: .post,
                headers: [.contentType: PlexBody.contentType], body: PlexBody.multipart(payload))
            #expect(response.status == .badRequest)
            let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
            #expect(json?["field"] as? String == field)
        }
        let log = try #require(try await daemon.store.webhookLogs(WebhookLogFilter()).items.first)
        #expect(log.status == .failed && log.errorMessage?.hasPrefix(field) == true)
    }

    @Test("the dedupe key falls back to the show and episode numbers", arguments: [
        (#"{"event": "media.scrobble", "Metadata": {"type": "episode", "ratingKey": 42, "grandparentTitle": "A"}}"#,
         "-|-|42|media.scrobble"),
        (#"{"event": "media.scrobble", "Server": {"uuid": "s"}, "Account": {"id": 7}, "Metadata": {"type": "episode", "grandparentGuid": "plex://show/abc", "grandparentTitle": "A", "parentIndex": 2, "index": 3}}"#,
         "s|7|plex://show/abc/s2e3|media.scrobble"),
        (#"{"event": "library.new", "Metadata": {"type": "show", "title": "Bluey"}}"#, "-|-|title:bluey|library.new"),
        (#"{"event": "media.scrobble", "Metadata": {"type": "episode", "grandparentTitle": "A"}}"#, nil),
    ] as [(String, String?)])
    func dedupeKey(_ payload: String, _ key: String?) throws {
        let decoded = PlexWebhookFields(try JSONDecoder().decode(PlexWebhookPayload.self, from: Data(payload.utf8)))
        #expect(decoded.idempotencyKey == key)
    }
}
