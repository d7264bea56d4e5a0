import Foundation
import HTTPTypes
import HummingbirdTesting
import Storage
import TestSupport
import Testing

@testable import Host
@testable import Storage

/// Two daemons' parts on one PostgreSQL database: what one changes in the Plex settings, the
/// other's API, pages and processing use at once.
@Suite("shared settings on PostgreSQL", .enabled(if: !TestPostgres.isOff))
struct SharedSettingsTests {
    @Test("settings saved and a secret rotated on one daemon are what the other's API, page and workers use")
    func secondDaemonSeesChanges() async throws {
        let url = try await TestPostgres.freshDatabase()
        let first = try await TestDaemon.make(store: try await PostgresStore(url: url, maximumConnections: 4))
        let second = try await TestDaemon.make(store: try await PostgresStore(url: url, maximumConnections: 4))
        let token = try await first.apiToken()
        // Read once on the second daemon, so it holds the settings as they were.
        let before = try await second.parts.buildApplication().test(.router) { client in
            try await APIClient(client, token: token).get("/api/plex/config")
        }
        #expect(before.json["auto_mark_watched"] as? Bool == true)

        let rotated = try await first.parts.buildApplication().test(.router) { client in
            let api = APIClient(client, token: token)
            let saved = try await api.post("/api/plex/config", ["auto_mark_watched": false, "sync_accounts": ["*"]])
            #expect(saved.status == 200, "\(saved.body)")
            return try await api.post("/api/plex/config/rotate-secret")
        }
        let webhookURL = try #require(rotated.json["webhook_url"] as? String)
        let secret = try #require(webhookURL.components(separatedBy: "secret=").last)
        #expect(secret != TestDaemon.secret)

        let session = try await UISession.make(second)
        try await second.parts.buildApplication().test(.router) { client in
            let after = try await APIClient(client, token: token).get("/api/plex/config")
            #expect(after.json["auto_mark_watched"] as? Bool == false)
            #expect(after.json["sync_accounts"] as? [String] == ["*"])
            #expect(after.json["webhook_url"] as? String == webhookURL)
            try await client.execute(uri: "/settings/plex", method: .get, headers: session.headers) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(secret), "the page shows the rotated secret's URL")
            }
        }

        // The second daemon's workers process with the first daemon's settings.
        let payload = PlexBody.scrobble(show: "Bluey", showGuid: "com.plexapp.agents.themoviedb://82728", season: 1,
                                        episode: 1)
        guard case .accepted(let id) = try await second.store.receiveWebhook(
            InboxEntry(event: "media.scrobble", plexTitle: "Bluey", serverUUID: "server-1", accountID: "1",
                       ratingKey: "1", idempotencyKey: "k1", rawPayload: payload),
            dedupeWindow: 60, now: Date())
        else { Issue.record("not accepted"); return }
        try await second.drain()
        let log = try #require(try await second.store.webhookLog(id: id))
        #expect(log.status == .ignored && log.errorMessage == "auto-mark watched is off",
                "\(log.status) \(log.errorMessage ?? "")")
    }

    @Test("a show added, then renamed, through one daemon is in the other's match index within 5 s")
    func secondDaemonIndexFollows() async throws {
        let url = try await TestPostgres.freshDatabase()
        let first = try await TestDaemon.make(store: try await PostgresStore(url: url, maximumConnections: 4))
        let second = try await TestDaemon.make(store: try await PostgresStore(url: url, maximumConnections: 4))
        // The second daemon runs as it would (its workers' loop keeps the index in step).
        try await second.parts.buildApplication().test(.router) { _ in
            func secondIndexTitle(within limit: Duration, until done: (String?) -> Bool) async throws -> String? {
                let started = ContinuousClock.now
                var title = second.parts.index.show(id: "shared-show")?.title
                while !done(title), ContinuousClock.now - started < limit {
                    try await Task.sleep(for: .milliseconds(100))
                    title = second.parts.index.show(id: "shared-show")?.title
                }
                return title
            }
            #expect(second.parts.index.show(id: "shared-show") == nil)
            _ = try await first.parts.shows.add(ShowInput(key: "shared-show", title: "Harbor Lights", year: 2024))
            #expect(try await secondIndexTitle(within: .seconds(5)) { $0 != nil } == "Harbor Lights")
            // A rename keeps the show count: the change counter, not the count, tells.
            _ = try await first.parts.shows.add(ShowInput(key: "shared-show", title: "Harbour Lights", year: 2024))
            #expect(try await secondIndexTitle(within: .seconds(5)) { $0 == "Harbour Lights" } == "Harbour Lights")
        }
    }

    @Test("a secret rotated in a transaction still open when the other daemon reads the counter reaches it once committed")
    func rotationRacingARead() async throws {
        let url = try await TestPostgres.freshDatabase()
        let writer = try await PostgresStore(url: url, maximumConnections: 2)
        let second = try await TestDaemon.make(store: try await PostgresStore(url: url, maximumConnections: 4))
        let settings = second.parts.settings
        #expect(await settings.current?.webhookSecret == TestDaemon.secret)
        let rotated = String(repeating: "r", count: 32)
        try await writer.transaction(.readCommitted) { db in
            _ = try await db.execute("UPDATE plex_config SET webhook_secret = \(rotated)")
            // The counter has moved; the new secret is not committed, so it cannot be read yet.
            #expect(await settings.current?.webhookSecret == TestDaemon.secret)
        }
        // Committed now: the other daemon reads it again within the settle time.
        let started = ContinuousClock.now
        var secret = await settings.current?.webhookSecret
        while secret != rotated, ContinuousClock.now - started < .seconds(3) {
            try await Task.sleep(for: .milliseconds(50))
            secret = await settings.current?.webhookSecret
        }
        #expect(secret == rotated, "the other daemon kept the old secret")
    }
}
