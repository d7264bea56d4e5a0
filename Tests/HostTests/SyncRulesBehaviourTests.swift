import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport

@testable import Host

/// The behaviour the shared sync rules must have, each over real HTTP on a real SQLite file.
@Suite("sync rules over HTTP")
struct SyncRulesBehaviourTests {
    static let encryptionKey = String(repeating: "cd", count: 32)

    static func sqliteDaemon(configure: (inout AppConfiguration) -> Void = { _ in }) async throws -> TestDaemon {
        try await TestDaemon.make(store: try SQLiteStore(path: ProjectPaths.temporaryDatabase()), configure: configure)
    }

    static func bluey(key: String = "bluey") -> ShowInput {
        ShowInput(key: key, title: "Bluey", year: 2018, seasons: [SeasonInput(
            number: 1, episodes: (1...3).map { EpisodeInput(number: $0, title: "Episode \($0)", runtimeMinutes: 7) })])
    }

    /// A scrobble with its `Metadata` fields replaced.
    static func scrobble(show: String, showGuid: String, season: Int, episode: Int, guids: [String] = [],
                         metadata: [String: Any] = [:]) -> String {
        patch(PlexBody.scrobble(show: show, showGuid: showGuid, season: season, episode: episode, guids: guids),
              metadata: metadata)
    }

    static func patch(_ payload: String, event: String? = nil, metadata: [String: Any]) -> String {
        var object = try! JSONSerialization.jsonObject(with: Data(payload.utf8)) as! [String: Any]
        if let event { object["event"] = event }
        var meta = object["Metadata"] as? [String: Any] ?? [:]
        for (key, value) in metadata { meta[key] = value }
        object["Metadata"] = meta
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    static func episode(_ daemon: TestDaemon, showKey: String, season: Int, number: Int) async throws -> EpisodeDetail? {
        try await WebhookProcessingTests.episode(daemon, showKey: showKey, season: season, number: number)
    }

    /// Posts `payload`, checks it waits in a conflict, resolves that with `create_new` and returns
    /// the held webhook and the resolution's JSON, once the workers applied the released watch.
    static func createNew(_ daemon: TestDaemon, _ api: APIClient, _ hooks: WebhookPoster, payload: String) async throws
        -> (held: WebhookLog, resolved: APIClient.Reply)
    {
        #expect(try await hooks.post(payload) == 200)
        try await daemon.settle()
        let held = try await latestLog(daemon)
        #expect(held.status == .conflict, "\(held.errorMessage ?? "")")
        let resolved = try await api.post("/api/plex/conflicts/\(held.conflictID ?? -1)/resolve", ["action": "create_new"])
        #expect(resolved.status == 200, "\(resolved.body)")
        try await daemon.settle()
        return (held, resolved)
    }

    static func latestLog(_ daemon: TestDaemon) async throws -> WebhookLog {
        try #require(try await daemon.store.webhookLogs(WebhookLogFilter(limit: 1)).items.first)
    }

    // MARK: - Sync off

    @Test("sync off (settings, DELETE /api/plex/config): 2xx, logged ignored \"sync is off\", nothing applied or held; on again resumes")
    func syncOff() async throws {
        let daemon = try await Self.sqliteDaemon()
        try await daemon.addShows([Self.bluey()])
        try await daemon.live { api, hooks in
            let off = try await api.post("/api/plex/config", ["enabled": false])
            #expect(off.status == 200 && off.json["enabled"] as? Bool == false)
            #expect(try await hooks.post(Self.scrobble(show: "Bluey", showGuid: "plex://show/bluey", season: 1, episode: 1)) == 200)
            #expect(try await hooks.post(Self.scrobble(show: "Unknown Show", showGuid: "plex://show/x", season: 1, episode: 1)) == 200)
            try await daemon.settle()
            let logs = try await daemon.store.webhookLogs(WebhookLogFilter()).items
            #expect(logs.count == 2)
            #expect(logs.allSatisfy { $0.status == .ignored && $0.errorMessage == "sync is off" })
            #expect(try await Self.episode(daemon, showKey: "bluey", season: 1, number: 1)?.watched == false)
            #expect(try await daemon.store.mappings(MappingFilter()).total == 0)
            #expect(try await daemon.store.conflicts(status: nil, limit: 10, offset: 0).total == 0)

            let on = try await api.post("/api/plex/config", ["enabled": true])
            #expect(on.json["enabled"] as? Bool == true)
            #expect(try await hooks.post(Self.scrobble(show: "Bluey", showGuid: "plex://show/bluey", season: 1, episode: 2)) == 200)
            try await daemon.settle()
            #expect(try await Self.latestLog(daemon).status == .success)
            #expect(try await Self.episode(daemon, showKey: "bluey", season: 1, number: 2)?.watched == true)

            let disconnected = try await api.delete("/api/plex/config")
            #expect(disconnected.status == 200 && disconnected.json["enabled"] as? Bool == false)
            #expect(try await hooks.post(Self.scrobble(show: "Bluey", showGuid: "plex://show/bluey", season: 1, episode: 3)) == 200)
            try await daemon.settle()
            let last = try await Self.latestLog(daemon)
            #expect(last.status == .ignored && last.errorMessage == "sync is off")
            #expect(try await Self.episode(daemon, showKey: "bluey", season: 1, number: 3)?.watched == false)
        }
    }

    // MARK: - Remap

    @Test("remapping a Plex show with an open conflict resolves it as select and applies its held watches")
    func remapSettlesTheConflict() async throws {
        let daemon = try await Self.sqliteDaemon()
        let episodes = [SeasonInput(number: 1, episodes: (1...5).map { EpisodeInput(number: $0, runtimeMinutes: 42) })]
        let shows = try await daemon.addShows([
            ShowInput(key: "magicians-2015", title: "The Magicians", year: 2015, seasons: episodes),
            ShowInput(key: "magicians-2016", title: "The Magicians", year: 2016, seasons: episodes),
        ])
        try await daemon.live { api, hooks in
            #expect(try await hooks.post(Self.scrobble(show: "The Magicians", showGuid: "plex://show/mag", season: 1, episode: 4)) == 200)
            try await daemon.settle()
            let held = try await Self.latestLog(daemon)
            let conflictID = try #require(held.conflictID)
            #expect(held.status == .conflict)
            let mappingID = try #require(held.mappingID)

            let remapped = try await api.post("/api/plex/mappings/\(mappingID)", ["show_id": "magicians-2016"])
            #expect(remapped.status == 200)
            #expect(remapped.json["method"] as? String == "manual" && remapped.json["status"] as? String == "mapped")
            try await daemon.settle()
            let conflict = try #require(try await daemon.store.conflict(id: conflictID))
            #expect(conflict.status == .resolved && conflict.resolution == .select && conflict.resolvedShowID == shows[1].id)
            #expect(try await daemon.store.webhookLog(id: held.id)?.status == .success)
            #expect(try await Self.episode(daemon, showKey: "magicians-2016", season: 1, number: 4)?.watched == true)
            #expect(try await Self.episode(daemon, showKey: "magicians-2015", season: 1, number: 4)?.watched == false)
            #expect(try await api.get("/api/plex/conflicts").json["total"] as? Int == 0)
        }
    }

    // MARK: - Create new

    @Test("create_new with a TMDB id known through the bridge builds the show from TMDB and applies the held watch")
    func createNewFromTMDB() async throws {
        let tmdb = try await FakeTMDB.start(shows: [FakeTMDB.Show(
            id: 96316, name: "Wave, Listen to Me!", firstAirDate: "2020-04-04", tvdbID: 371040, imdbID: "tt11829330",
            seasons: [1: [(1, "Radio", 24), (2, "Talk", 23), (3, "Night", 24)]])])
        let daemon = try await Self.sqliteDaemon {
            $0.tmdbAPIKey = tmdb.apiKey
            $0.tmdbAPIBase = tmdb.baseURL
        }
        try await daemon.live { api, hooks in
            let (held, resolved) = try await Self.createNew(daemon, api, hooks, payload: Self.scrobble(
                show: "Wave, Listen to Me!", showGuid: "com.plexapp.agents.thetvdb://371040?lang=en", season: 1, episode: 2))
            #expect(resolved.json["created_from"] as? String == "tmdb")
            let show = try #require(try await daemon.store.show(tmdbID: 96316))
            #expect(show.title == "Wave, Listen to Me!" && show.year == 2020 && show.tvdbID == 371040
                && show.imdbID == "tt11829330")
            let detail = try #require(try await daemon.store.showDetail(id: show.id, userID: 1))
            #expect(detail.seasons.map(\.number) == [1])
            #expect(detail.seasons[0].episodes.map(\.title) == ["Radio", "Talk", "Night"])
            #expect(detail.seasons[0].episodes.map(\.runtimeMinutes) == [24, 23, 24])
            #expect(detail.seasons[0].episodes.allSatisfy { $0.airDate != nil })
            #expect(try await daemon.store.webhookLog(id: held.id)?.status == .success)
            #expect(try await Self.episode(daemon, showKey: show.key, season: 1, number: 2)?.watched == true)
        }
        await tmdb.stop()
    }

    @Test("create_new with no TMDB id but a Plex server builds the show from the server's metadata and episodes")
    func createNewFromPlex() async throws {
        let plex = try await FakePlex.start(shows: [FakePlex.Show(
            ratingKey: "777", title: "Local Show", year: 2021, guid: "plex://show/local", guids: ["tvdb://999001"],
            episodes: (1...3).map {
                FakePlex.Episode(season: 1, number: $0, title: "Local \($0)", airDate: "2021-02-0\($0)", durationMs: 1_500_000)
            })])
        let daemon = try await Self.sqliteDaemon {
            $0.encryptionKey = Self.encryptionKey
            $0.plexServerURL = plex.baseURL
        }
        let sealed = try TokenSealer(hexKey: Self.encryptionKey).seal(plex.token)
        try await daemon.updateSettings { $0.plexTokenEncrypted = sealed }
        try await daemon.live { api, hooks in
            let (_, resolved) = try await Self.createNew(daemon, api, hooks, payload: Self.scrobble(
                show: "Local Show", showGuid: "plex://show/local", season: 1, episode: 3,
                metadata: ["grandparentRatingKey": "777"]))
            #expect(resolved.json["created_from"] as? String == "plex")
            let showID = try #require(resolved.json["resolved_show_id"] as? Int)
            let show = try #require(try await daemon.store.show(id: Int64(showID)))
            #expect(show.title == "Local Show" && show.year == 2021 && show.tvdbID == 999001)
            let detail = try #require(try await daemon.store.showDetail(id: show.id, userID: 1))
            #expect(detail.seasons.first?.episodes.map(\.title) == ["Local 1", "Local 2", "Local 3"])
            #expect(detail.seasons.first?.episodes.map(\.runtimeMinutes) == [25, 25, 25])
            #expect(try await Self.episode(daemon, showKey: show.key, season: 1, number: 3)?.watched == true)
        }
        await plex.stop()
    }

    @Test("create_new with neither TMDB nor a Plex server builds the show from the payload and says so")
    func createNewFromPayload() async throws {
        let daemon = try await Self.sqliteDaemon()
        try await daemon.live { api, hooks in
            let (_, resolved) = try await Self.createNew(daemon, api, hooks, payload: Self.scrobble(
                show: "Nowhere Show", showGuid: "plex://show/nowhere", season: 2, episode: 5,
                metadata: ["grandparentYear": 2011]))
            #expect(resolved.json["created_from"] as? String == "payload")
            let show = try #require(try await daemon.store.show(id: Int64(resolved.json["resolved_show_id"] as? Int ?? -1)))
            #expect(show.title == "Nowhere Show" && show.year == 2011 && show.tmdbID == nil)
            #expect(try await Self.episode(daemon, showKey: show.key, season: 2, number: 5)?.watched == true)
        }
    }

    // MARK: - Delete

    @Test("DELETE /api/shows/{id}: the show, its episodes and watches go, its mapping is unmapped, and the next webhook is matched again")
    func deleteShow() async throws {
        let daemon = try await Self.sqliteDaemon()
        let old = try #require(try await daemon.addShows([Self.bluey()]).first)
        try await daemon.live { api, hooks in
            #expect(try await hooks.post(Self.scrobble(show: "Bluey", showGuid: "plex://show/bluey", season: 1, episode: 1)) == 200)
            try await daemon.settle()
            let watched = try #require(try await Self.episode(daemon, showKey: "bluey", season: 1, number: 1))
            #expect(watched.watched)
            let mapping = try #require(try await daemon.store.mappings(MappingFilter()).items.first)
            #expect(mapping.showID == old.id)

            let deleted = try await api.delete("/api/shows/\(old.id)")
            #expect(deleted.status == 200 && deleted.json["key"] as? String == "bluey")
            #expect(try await api.get("/api/shows/\(old.id)").status == 404)
            #expect(try await api.delete("/api/shows/\(old.id)").status == 404)
            #expect(try await daemon.store.episode(id: watched.id) == nil)
            let unmapped = try #require(try await daemon.store.mapping(id: mapping.id))
            #expect(unmapped.status == .unmapped && unmapped.showID == nil && !unmapped.confirmedByUser)
            #expect(daemon.parts.index.show(id: "bluey") == nil)

            // With no show left, the next webhook waits for a person; it does not fail.
            #expect(try await hooks.post(Self.scrobble(show: "Bluey", showGuid: "plex://show/bluey", season: 1, episode: 2)) == 200)
            try await daemon.settle()
            #expect(try await Self.latestLog(daemon).status == .conflict)
        }
        // A show of that title added again is matched by the next webhook (after the person's
        // conflict is gone, the mapping is decided afresh).
        let again = try await Self.sqliteDaemon()
        try await again.addShows([Self.bluey()])
        try await again.live { api, hooks in
            #expect(try await hooks.post(Self.scrobble(show: "Bluey", showGuid: "plex://show/bluey", season: 1, episode: 1)) == 200)
            try await again.settle()
            let show = try #require(try await again.store.show(key: "bluey"))
            #expect(try await api.delete("/api/shows/\(show.id)").status == 200)
            try await again.addShows([Self.bluey(key: "bluey-new")])
            #expect(try await hooks.post(Self.scrobble(show: "Bluey", showGuid: "plex://show/bluey", season: 1, episode: 3)) == 200)
            try await again.settle()
            let log = try await Self.latestLog(again)
            #expect(log.status == .success, "\(log.errorMessage ?? "")")
            #expect(try await Self.episode(again, showKey: "bluey-new", season: 1, number: 3)?.watched == true)
        }
    }

    @Test("showmatch library delete KEY deletes the show; an unknown key is a one-line error")
    func deleteFromTheCommandLine() async throws {
        let binary = CrashRecoveryTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the showmatch product first")
        let database = ProjectPaths.temporaryDatabase()
        let store = try SQLiteStore(path: database)
        _ = try await store.importShows([Self.bluey(), ShowInput(key: "futurama", title: "Futurama", year: 1999)])
        let first = try await ChildProcess.run(binary, ["library", "delete", "bluey", "--database", database])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("deleted bluey"))
        #expect(try await store.show(key: "bluey") == nil)
        #expect(try await store.show(key: "futurama") != nil)
        let second = try await ChildProcess.run(binary, ["library", "delete", "bluey", "--database", database])
        #expect(second.status != 0)
        #expect(second.stderr.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("no tracker show bluey"))
        #expect(second.stderr.split(separator: "\n").count == 1)
    }

    // MARK: - library.new

    @Test("library.new of a show, a season and an episode each map the show (auto-add from TMDB for a new one)")
    func libraryNew() async throws {
        let tmdb = try await FakeTMDB.start(shows: [FakeTMDB.Show(
            id: 96316, name: "Wave, Listen to Me!", firstAirDate: "2020-04-04", tvdbID: 371040,
            seasons: [1: [(1, "Radio", 24)]])])
        let daemon = try await Self.sqliteDaemon {
            $0.tmdbAPIKey = tmdb.apiKey
            $0.tmdbAPIBase = tmdb.baseURL
        }
        try await daemon.updateSettings { $0.autoAddShows = true }
        let shows = try await daemon.addShows([
            ShowInput(key: "futurama", title: "Futurama", year: 1999, tvdbID: 73871), Self.bluey(),
        ])
        let season = Self.patch(PlexBody.scrobble(show: "-", season: 2, episode: 1), event: "library.new", metadata: [
            "type": "season", "title": "Season 2", "ratingKey": "5001", "index": 2, "parentTitle": "Futurama",
            "parentGuid": "com.plexapp.agents.thetvdb://73871?lang=en", "parentRatingKey": "5000",
            "guid": "com.plexapp.agents.thetvdb://73871/2?lang=en",
            "grandparentTitle": NSNull(), "grandparentGuid": NSNull(), "grandparentRatingKey": NSNull(),
        ])
        let episode = Self.patch(
            PlexBody.scrobble(show: "Bluey", showGuid: "plex://show/bluey", season: 1, episode: 3), event: "library.new",
            metadata: [:])
        try await daemon.live { _, hooks in
            #expect(try await hooks.post(try PlexBody.fixture("08_icco-relay_library.new_show.json")) == 200)
            #expect(try await hooks.post(season) == 200)
            #expect(try await hooks.post(episode) == 200)
            try await daemon.settle()
        }
        let logs = try await daemon.store.webhookLogs(WebhookLogFilter()).items
        #expect(logs.count == 3)
        for log in logs { #expect(log.status == .success, "\(log.event ?? ""): \(log.errorMessage ?? "")") }
        let added = try #require(try await daemon.store.show(tmdbID: 96316))
        let mapped = Dictionary(
            try await daemon.store.mappings(MappingFilter()).items.map { ($0.plexTitle, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(mapped["Wave, Listen to Me!"]?.showID == added.id && mapped["Wave, Listen to Me!"]?.method == .autoAdd)
        #expect(mapped["Futurama"]?.showID == shows[0].id && mapped["Futurama"]?.status == .mapped)
        #expect(mapped["Futurama"]?.plexShowKey == "com.plexapp.agents.thetvdb://73871")
        #expect(mapped["Bluey"]?.showID == shows[1].id && mapped["Bluey"]?.status == .mapped)
        await tmdb.stop()
    }
}

extension TestDaemon {
    /// Runs `body` against the daemon over a real socket, with an admin API client and a webhook poster.
    func live<T>(_ body: @Sendable (APIClient, WebhookPoster) async throws -> T) async throws -> T {
        let token = try await apiToken()
        return try await parts.buildApplication().test(.live) { client in
            try await body(APIClient(client, token: token), WebhookPoster(client: client))
        }
    }
}

/// Posts Plex webhooks with the test secret.
struct WebhookPoster {
    let client: any TestClientProtocol

    /// The HTTP status of posting `payload` as Plex does.
    func post(_ payload: String) async throws -> Int {
        Int(try await client.execute(
            uri: "/api/plex/webhook?secret=\(TestDaemon.secret)", method: .post,
            headers: [.contentType: PlexBody.contentType], body: PlexBody.multipart(payload)
        ).status.code)
    }
}
