import ArgumentParser
import Foundation
import Matchers
import Storage
import TestSupport
import Testing

@testable import Host

/// `showmatch db migrate-to-postgres`: a real SQLite file copied into a real PostgreSQL database.
@Suite("migrate to PostgreSQL", .enabled(if: !TestPostgres.isOff))
struct MigrateToPostgresTests {
    /// The admin URL's server and credentials, another database, as a URL a person would type.
    static func urlText(_ url: PostgresDatabaseURL) -> String {
        "postgres://\(url.username):\(url.password ?? "")@\(url.host):\(url.port)/\(url.database)"
    }

    static func run(_ arguments: [String]) async throws {
        var command = try #require(try Showmatch.parseAsRoot(arguments) as? any AsyncParsableCommand)
        try await command.run()
    }

    /// Fifty catalog shows with a TMDB id, twenty episodes each: 1,000 scrobbles.
    static func scrobbles(of shows: [Show]) -> [String] {
        shows.flatMap { show in
            (1...20).map { episode in
                PlexBody.scrobble(show: show.title, showGuid: "com.plexapp.agents.themoviedb://\(show.tmdbID!)",
                                  season: 1, episode: episode, ratingKey: "\(show.key)-\(episode)")
            }
        }
    }

    @Test("the dev library and 1,000 processed webhooks: same counts per table, then a daemon serves from PostgreSQL")
    func devLibraryAndWebhooks() async throws {
        let path = ProjectPaths.temporaryDatabase()
        let sqlite = try SQLiteStore(path: path)
        let imported = try await CatalogImporter(store: sqlite).importFile(at: ProjectPaths.fixture("matching-dev/catalog.jsonl"))
        #expect(imported.inserted == 3735)
        let daemon = try await TestDaemon.make(store: sqlite) { $0.webhookRateLimit = 0 }
        let sealedToken = Data((0..<48).map { UInt8($0 * 5 % 256) })
        try await daemon.updateSettings { $0.plexTokenEncrypted = sealedToken }
        let shows = try await sqlite.shows(search: nil, limit: 400, offset: 0).items.filter { $0.tmdbID != nil }
        let watchedShows = Array(shows.prefix(50))
        let statuses = try await daemon.post(Self.scrobbles(of: watchedShows), concurrently: true)
        #expect(statuses.count == 1000 && statuses.allSatisfy { $0 == 200 })
        let token = try await daemon.apiToken()
        let admin = try #require(try await sqlite.users().first(where: \.isAdmin))
        try await sqlite.createSession(LoginSession(tokenHash: "session-hash", userID: admin.id, csrfToken: "csrf",
                                                    createdAt: Date(), expiresAt: Date().addingTimeInterval(3600)))
        _ = try await sqlite.addAliases(showID: watchedShows[0].id, [ShowAlias("Another Title", source: .confirmed)])
        try await sqlite.cacheConversion(key: "tvdb:1", value: "tmdb:2", expiresAt: Date().addingTimeInterval(3600))
        let channel = try await sqlite.createChannel(NotificationChannelDraft(
            name: "hook", type: .webhook, target: "http://127.0.0.1:9/hook", settingsSealed: Data([1, 2, 3]),
            tokenSet: false, events: [.conflict]), now: Date())
        _ = try await sqlite.enqueueNotification(NotificationMessage(event: .conflict, title: "t", message: "m"),
                                                 dedupeKey: nil, window: 0, now: Date())
        _ = try await sqlite.createImportJob(ImportOptions(), owner: "cli", now: Date())
        // A deleted show's id is never handed out again, on either side.
        let doomed = try await sqlite.upsertShow(ShowInput(key: "doomed", title: "Doomed"))
        #expect(try await sqlite.deleteShow(id: doomed.id))
        let logsBefore = try await sqlite.webhookLogs(WebhookLogFilter(limit: 1)).items.first?.id ?? 0

        let url = try await TestPostgres.freshDatabase()
        let postgres = try await PostgresStore(url: url, maximumConnections: 4)
        let summary = try await SQLiteToPostgresCopy.copy(from: sqlite, to: postgres, batchSize: 300)
        #expect(summary.allMatch, "\(summary.tables)")
        let counts = Dictionary(uniqueKeysWithValues: summary.tables.map { ($0.table, $0.target) })
        #expect(counts["shows"] == 3735 && counts["episode_watches"] == 1000 && counts["episodes"] == 1000)
        #expect(counts["plex_webhook_logs"] == 1000 && counts["plex_show_mappings"] == 50)
        for table in ["users", "seasons", "show_totals", "show_aliases", "plex_config", "plex_accounts", "api_tokens",
                      "sessions", "id_conversion_cache", "plex_import_jobs", "notification_channels",
                      "notification_deliveries"] {
            #expect((counts[table] ?? 0) > 0, "\(table) was copied")
        }
        #expect(try await postgres.channel(id: channel.id)?.settingsSealed == Data([1, 2, 3]))

        // A daemon on PostgreSQL: the same shows and watches, the old token works, and a new webhook is applied.
        let served = try await TestDaemon.make(store: postgres) { $0.webhookRateLimit = 0 }
        #expect(await served.parts.settings.current?.plexTokenEncrypted == sealedToken)
        let listed = try await served.parts.buildApplication().test(.router) { client in
            try await APIClient(client, token: token).get("/api/shows?limit=5")
        }
        #expect(listed.status == 200 && listed.json["total"] as? Int == 3735, "\(listed.body.prefix(300))")
        let first = watchedShows[0]
        let detail = try #require(try await postgres.showDetail(id: first.id, userID: admin.id))
        #expect(detail.totals.watchedEpisodes == 20)
        let newEpisode = PlexBody.scrobble(show: first.title, showGuid: "com.plexapp.agents.themoviedb://\(first.tmdbID!)",
                                           season: 2, episode: 1, ratingKey: "\(first.key)-s2e1")
        #expect(try await served.post([newEpisode]) == [200])
        let newest = try #require(try await postgres.webhookLogs(WebhookLogFilter(limit: 1)).items.first)
        #expect(newest.status == .success && newest.id > logsBefore, "\(newest.status) \(newest.errorMessage ?? "")")
        #expect(try await postgres.showDetail(id: first.id, userID: admin.id)?.totals.watchedEpisodes == 21)
        #expect(try await postgres.mappings(MappingFilter()).total == 50)
        let added = try await postgres.upsertShow(ShowInput(key: "brand-new", title: "Brand New"))
        #expect(added.id > doomed.id)

        // The target now holds rows: a second run is refused, naming the database.
        do {
            try await Self.run(["db", "migrate-to-postgres", "--from", path, "--database-url", Self.urlText(url)])
            Issue.record("a second run into a filled database was not refused")
        } catch let failure as CommandFailure {
            #expect(failure.description.contains("not empty") && failure.description.contains(url.database),
                    "\(failure.description)")
        }
        postgres.close()
    }

    @Test("the CLI copies a small database, and refuses a missing file")
    func cli() async throws {
        let path = ProjectPaths.temporaryDatabase()
        let sqlite = try SQLiteStore(path: path)
        _ = try await sqlite.importShows([ShowInput(key: "bluey", title: "Bluey", year: 2018, tmdbID: 82728)])
        let url = try await TestPostgres.freshDatabase()
        try await Self.run(["db", "migrate-to-postgres", "--from", path, "--database-url", Self.urlText(url)])
        let postgres = try await PostgresStore(url: url, maximumConnections: 2)
        #expect(try await postgres.show(key: "bluey")?.tmdbID == 82728)
        postgres.close()
        await #expect(throws: CommandFailure.self) {
            try await Self.run(["db", "migrate-to-postgres", "--from", "/nonexistent/showmatch.sqlite",
                                "--database-url", Self.urlText(url)])
        }
    }
}
