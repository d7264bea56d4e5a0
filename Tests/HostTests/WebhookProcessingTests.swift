import Foundation
import Storage
import Testing
import TestSupport

@testable import Host

@Suite("webhook processing")
struct WebhookProcessingTests {
    static let encryptionKey = String(repeating: "ab", count: 32)

    /// The episode's watch state for the admin user.
    static func episode(_ daemon: TestDaemon, showKey: String, season: Int, number: Int) async throws -> EpisodeDetail? {
        guard let show = try await daemon.store.show(key: showKey),
              let admin = try await daemon.store.users().first(where: \.isAdmin),
              let detail = try await daemon.store.showDetail(id: show.id, userID: admin.id)
        else { return nil }
        return detail.seasons.first { $0.number == season }?.episodes.first { $0.number == number }
    }

    @Test("every real episode payload, replayed as media.scrobble, ends with the episode watched")
    func realEpisodesReplayed() async throws {
        let tmdb = try await FakeTMDB.start(
            shows: [FakeTMDB.Show(id: 93530, name: "Solar Opposites", firstAirDate: "2020-05-08", tvdbID: 375892)],
            episodes: [FakeTMDB.EpisodeID(externalID: "7547572", episodeID: 2_061_894, showID: 93530, season: 1,
                                          episode: 3)])
        let plex = try await FakePlex.start(shows: [
            FakePlex.Show(ratingKey: "4506", title: "Overlord", year: 2015, guid: "plex://show/5d9c080def619b002047c6f0",
                          guids: ["imdb://tt4869896", "tmdb://64196", "tvdb://294002"]),
        ])
        let daemon = try await TestDaemon.make(store: try SQLiteStore(path: ProjectPaths.temporaryDatabase())) {
            $0.tmdbAPIKey = tmdb.apiKey
            $0.tmdbAPIBase = tmdb.baseURL
            $0.encryptionKey = Self.encryptionKey
            $0.plexServerURL = plex.baseURL
        }
        let sealed = try TokenSealer(hexKey: Self.encryptionKey).seal(plex.token)
        try await daemon.updateSettings { $0.plexTokenEncrypted = sealed }
        try await daemon.addShows([
            ShowInput(key: "futurama", title: "Futurama", year: 1999, tmdbID: 615, tvdbID: 73871, imdbID: "tt0149460"),
            ShowInput(key: "scooby", title: "Be Cool, Scooby-Doo!", year: 2015, tmdbID: 62742, tvdbID: 301376),
            ShowInput(key: "solar", title: "Solar Opposites", year: 2020, tmdbID: 93530),
            ShowInput(key: "overlord", title: "Overlord", year: 2015, tmdbID: 64196),
            ShowInput(key: "globule", title: "Dr. Globule", year: 1993),
        ])
        let files = [
            "01_xanderstrike-plexhooks_media.pause_episode.json", "06_icco-relay_media.resume_episode.json",
            "11_unattributed-rust-discordbot_media.resume_episode.json",
            "14_unattributed-php-symfony_media.pause_episode.json", "19_soviann-trackarr_media.scrobble_episode.json",
        ]
        let statuses = try await daemon.post(try files.map { try PlexBody.fixture($0, event: "media.scrobble") })
        #expect(statuses == [200, 200, 200, 200, 200])
        let logs = try await daemon.store.webhookLogs(WebhookLogFilter())
        for log in logs.items {
            #expect(log.status == .success, "\(log.plexTitle ?? "?"): \(log.errorMessage ?? "")")
        }
        let futurama = try #require(try await Self.episode(daemon, showKey: "futurama", season: 2, number: 15))
        #expect(futurama.watched && futurama.title == "A Clone of My Own")
        #expect(futurama.dateWatched == Date(timeIntervalSince1970: 1_547_095_971))
        #expect(try await Self.episode(daemon, showKey: "scooby", season: 1, number: 14)?.watched == true)
        #expect(try await Self.episode(daemon, showKey: "solar", season: 1, number: 3)?.watched == true)
        let overlord = try #require(try await Self.episode(daemon, showKey: "overlord", season: 3, number: 1))
        #expect(overlord.watched && overlord.runtimeMinutes == 24)
        #expect(try await Self.episode(daemon, showKey: "globule", season: 1, number: 23)?.watched == true)
        #expect(await plex.faults.requestCount(pathPrefix: "/library/metadata/4506") == 1)
        await tmdb.stop()
        await plex.stop()
    }

    @Test("50 parallel scrobbles of one new show: one mapping, 50 episodes watched, totals right")
    func parallelScrobbles() async throws {
        let daemon = try await TestDaemon.make(store: try SQLiteStore(path: ProjectPaths.temporaryDatabase()))
        let episodes = (1...50).map { EpisodeInput(number: $0, title: "Episode \($0)", runtimeMinutes: 22) }
        try await daemon.addShows([ShowInput(key: "bluey", title: "Bluey", year: 2018, tmdbID: 82728,
                                             seasons: [SeasonInput(number: 1, episodes: episodes)])])
        let payloads = (1...50).map {
            PlexBody.scrobble(show: "Bluey", showGuid: "plex://show/bluey", season: 1, episode: $0,
                              guids: ["tmdb://82728"])
        }
        // The show-level tmdb id comes from the server; here it is in the Guid array of a show guid.
        let withShowID = payloads.map { $0.replacingOccurrences(of: "\"plex://episode/", with: "\"com.plexapp.agents.themoviedb://82728/") }
        let statuses = try await daemon.post(withShowID, concurrently: true)
        #expect(statuses.allSatisfy { $0 == 200 } && statuses.count == 50)
        #expect(try await daemon.store.mappings(MappingFilter()).total == 1)
        let show = try #require(try await daemon.store.show(key: "bluey"))
        let admin = try #require(try await daemon.store.users().first(where: \.isAdmin))
        let totals = try await daemon.store.totals(userID: admin.id, showID: show.id)
        #expect(totals.watchedEpisodes == 50 && totals.minutesWatched == 50 * 22)
        #expect(try await daemon.store.webhookLogs(WebhookLogFilter(status: .success)).total == 50)
    }

    @Test("a conflict holds the watch until a person resolves it, then the watch is applied")
    func conflictHoldsWatch() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.addShows([
            ShowInput(key: "magicians-2015", title: "The Magicians", year: 2015, tmdbID: 64432),
            ShowInput(key: "magicians-2016", title: "The Magicians", year: 2016, tmdbID: 66732),
        ])
        try await daemon.post([PlexBody.scrobble(show: "The Magicians", showGuid: "plex://show/mag", season: 1, episode: 4)])
        let held = try #require(try await daemon.store.webhookLogs(WebhookLogFilter()).items.first)
        #expect(held.status == .conflict)
        let conflict = try #require(try await daemon.store.conflicts(status: .open, limit: 10, offset: 0).items.first)
        #expect(Set(conflict.evidence.candidates.map(\.showID)) == ["magicians-2015", "magicians-2016"])
        #expect(held.conflictID == conflict.id)
        // A second episode of the same show joins the same conflict.
        try await daemon.post([PlexBody.scrobble(show: "The Magicians", showGuid: "plex://show/mag", season: 1, episode: 5)])
        #expect(try await daemon.store.conflicts(status: .open, limit: 10, offset: 0).total == 1)

        let chosen = try #require(try await daemon.store.show(key: "magicians-2016"))
        _ = try await daemon.store.resolveConflict(id: conflict.id, resolution: .select, showID: chosen.id, now: Date())
        try await daemon.drain()
        #expect(try await Self.episode(daemon, showKey: "magicians-2016", season: 1, number: 4)?.watched == true)
        #expect(try await Self.episode(daemon, showKey: "magicians-2016", season: 1, number: 5)?.watched == true)
        #expect(try await Self.episode(daemon, showKey: "magicians-2015", season: 1, number: 4) == nil)
        #expect(try await daemon.store.webhookLogs(WebhookLogFilter(status: .success)).total == 2)
    }

    @Test("sync off for a show, unsynced accounts and auto-mark off are ignored with the reason")
    func ignoredWithReason() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.addShows([ShowInput(key: "bluey", title: "Bluey", year: 2018, tmdbID: 82728)])
        let scrobble = { (episode: Int, account: String, user: Bool) in
            PlexBody.scrobble(show: "Bluey", showGuid: "com.plexapp.agents.themoviedb://82728", season: 1,
                              episode: episode, account: account, user: user)
        }
        try await daemon.post([scrobble(1, "owner", true)])
        let mapping = try #require(try await daemon.store.mappings(MappingFilter()).items.first)
        #expect(mapping.status == .mapped)

        try await daemon.post([scrobble(2, "kid", false)])
        var last = try #require(try await daemon.store.webhookLogs(WebhookLogFilter()).items.first)
        #expect(last.status == .ignored && last.errorMessage?.contains("kid") == true)

        try await daemon.updateSettings { $0.syncAccounts = ["kid"] }
        try await daemon.post([scrobble(3, "kid", false)])
        last = try #require(try await daemon.store.webhookLogs(WebhookLogFilter()).items.first)
        #expect(last.status == .success)
        // A listed account syncs into the admin's tracker, where the admin sees it.
        #expect(try await Self.episode(daemon, showKey: "bluey", season: 1, number: 3)?.watched == true)
        #expect(try await daemon.store.plexAccount(id: "2")?.name == "kid")

        _ = try await daemon.store.updateMapping(id: mapping.id, MappingUpdate(syncEnabled: false))
        try await daemon.post([scrobble(4, "owner", true)])
        last = try #require(try await daemon.store.webhookLogs(WebhookLogFilter()).items.first)
        #expect(last.status == .ignored && last.errorMessage?.contains("sync is turned off") == true)
        #expect(try await Self.episode(daemon, showKey: "bluey", season: 1, number: 4) == nil)

        try await daemon.updateSettings { $0.autoMarkWatched = false }
        try await daemon.post([scrobble(5, "owner", true)])
        last = try #require(try await daemon.store.webhookLogs(WebhookLogFilter()).items.first)
        #expect(last.status == .ignored && last.errorMessage == "auto-mark watched is off")
    }

    @Test("a date set by hand survives a later scrobble of the same episode")
    func handSetDateKept() async throws {
        let daemon = try await TestDaemon.make()
        let show = try #require(try await daemon.addShows([
            ShowInput(key: "bluey", title: "Bluey", year: 2018, tmdbID: 82728,
                      seasons: [SeasonInput(number: 1, episodes: [EpisodeInput(number: 7)])]),
        ]).first)
        let admin = try #require(try await daemon.store.user(name: "admin"))
        let byHand = Date(timeIntervalSince1970: 1_600_000_000)
        _ = try await daemon.store.markWatched(WatchRequest(
            userID: admin.id, showID: show.id, seasonNumber: 1, episodeNumber: 7, watchedAt: byHand, setByHand: true))
        try await daemon.post([PlexBody.scrobble(show: "Bluey", showGuid: "com.plexapp.agents.themoviedb://82728",
                                                 season: 1, episode: 7)])
        let episode = try #require(try await Self.episode(daemon, showKey: "bluey", season: 1, number: 7))
        #expect(episode.dateWatched == byHand && episode.setByHand)
        #expect(try await daemon.store.webhookLogs(WebhookLogFilter()).items.first?.errorMessage?.contains("by hand") == true)
    }

    @Test("library.new with auto-add on adds the show from TMDB with its episodes")
    func autoAdd() async throws {
        let tmdb = try await FakeTMDB.start(shows: [
            FakeTMDB.Show(id: 98765, name: "Wave, Listen to Me!", firstAirDate: "2020-04-03", tvdbID: 371040,
                          seasons: [1: [(1, "You Don't Know What's Going to Happen", 24), (2, "Second", 24)]]),
        ])
        let daemon = try await TestDaemon.make {
            $0.tmdbAPIKey = tmdb.apiKey
            $0.tmdbAPIBase = tmdb.baseURL
        }
        try await daemon.updateSettings { $0.autoAddShows = true }
        try await daemon.post([try PlexBody.fixture("08_icco-relay_library.new_show.json")])
        let log = try #require(try await daemon.store.webhookLogs(WebhookLogFilter()).items.first)
        #expect(log.status == .success, "\(log.errorMessage ?? "")")
        let show = try #require(try await daemon.store.show(tmdbID: 98765))
        #expect(show.tvdbID == 371040 && show.year == 2020)
        let mapping = try #require(try await daemon.store.mappings(MappingFilter()).items.first)
        #expect(mapping.showID == show.id && mapping.method == .autoAdd)
        #expect(try await Self.episode(daemon, showKey: show.key, season: 1, number: 2)?.title == "Second")
        #expect(daemon.parts.index.show(id: show.key) != nil)
        await tmdb.stop()
    }
}

@Suite("degraded matching")
struct DegradedMatchingTests {
    @Test("with TMDB stalled, the bridge gives up within its timeout and the title decides")
    func stalledTMDBFallsBackToTitles() async throws {
        let tmdb = try await FakeTMDB.start(shows: [])
        await tmdb.faults.enqueue(Array(repeating: .stall(seconds: 1.5), count: 10), forPathPrefix: "/find")
        let daemon = try await TestDaemon.make {
            $0.tmdbAPIKey = tmdb.apiKey
            $0.tmdbAPIBase = tmdb.baseURL
            $0.httpTimeout = 0.3
        }
        try await daemon.addShows([ShowInput(key: "solar", title: "Solar Opposites", year: 2020, tmdbID: 93530)])
        let started = Date()
        try await daemon.post([try PlexBody.fixture(
            "11_unattributed-rust-discordbot_media.resume_episode.json", event: "media.scrobble")])
        let log = try #require(try await daemon.store.webhookLogs(WebhookLogFilter()).items.first)
        #expect(Date().timeIntervalSince(started) < 8)
        #expect(await tmdb.faults.requestCount(pathPrefix: "/find") >= 1)
        // The episode ids could not be bridged; the exact title (and year) still finds the show: mapped
        // by the fuzzy title matcher, and the episode watched.
        #expect(log.status == .success, "\(log.status): \(log.errorMessage ?? "")")
        #expect(try await WebhookProcessingTests.episode(daemon, showKey: "solar", season: 1, number: 3)?.watched == true)
        let mapping = try #require(try await daemon.store.mappings(MappingFilter()).items.first)
        #expect(mapping.method == .chain(matcher: "fuzzy-title-year") && mapping.status == .mapped, "\(mapping.method) \(mapping.status)")
        await tmdb.stop()
    }
}

@Suite("log retention")
struct LogRetentionTests {
    @Test("finished logs older than 90 days are deleted, at most once an hour; the inbox is kept")
    func retention() async throws {
        let daemon = try await TestDaemon.make()
        let old = Date().addingTimeInterval(-91 * 86_400)
        let entry = InboxEntry(event: "media.play", plexTitle: nil, serverUUID: nil, accountID: nil, ratingKey: nil,
                               idempotencyKey: nil, rawPayload: "{}")
        _ = try await daemon.store.recordFinishedWebhook(entry, status: .ignored, message: "old", now: old)
        _ = try await daemon.store.receiveWebhook(entry, dedupeWindow: 300, now: old)
        _ = try await daemon.store.recordFinishedWebhook(entry, status: .ignored, message: "new", now: Date())
        await daemon.parts.workers.pruneOldLogs(now: Date())
        let left = try await daemon.store.webhookLogs(WebhookLogFilter())
        #expect(left.total == 2)
        #expect(left.items.contains { $0.status == .received })
        _ = try await daemon.store.recordFinishedWebhook(entry, status: .ignored, message: "old", now: old)
        await daemon.parts.workers.pruneOldLogs(now: Date().addingTimeInterval(60))
        #expect(try await daemon.store.webhookLogs(WebhookLogFilter()).total == 3, "not again within the hour")
        await daemon.parts.workers.pruneOldLogs(now: Date().addingTimeInterval(3700))
        #expect(try await daemon.store.webhookLogs(WebhookLogFilter()).total == 2)
    }
}

@Suite("match index sync")
struct ShowIndexSyncTests {
    @Test("shows imported or deleted behind the daemon's back reach the match index")
    func followsTheStore() async throws {
        let daemon = try await TestDaemon.make()
        let sync = ShowIndexSync(store: daemon.store, index: daemon.parts.index)
        _ = try await daemon.store.importShows([ShowInput(key: "bluey", title: "Bluey", year: 2018),
                                                ShowInput(key: "severance", title: "Severance", year: 2022)])
        #expect(daemon.parts.index.show(id: "bluey") == nil)
        #expect(try await sync.refreshIfStale() == 2)
        #expect(daemon.parts.index.show(id: "bluey")?.title == "Bluey")
        let bluey = try #require(try await daemon.store.show(key: "bluey"))
        _ = try await daemon.store.deleteShow(id: bluey.id)
        #expect(try await sync.refreshIfStale() == 0, "checked at most every 30 s")
        #expect(try await sync.refreshIfStale(now: Date().addingTimeInterval(31)) == 1)
        #expect(daemon.parts.index.show(id: "bluey") == nil && daemon.parts.index.count == 1)
    }
}
