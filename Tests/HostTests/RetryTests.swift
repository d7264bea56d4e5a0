import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport

@testable import Host

/// Retrying failed webhooks by hand, over real HTTP.
@Suite("manual retry")
struct RetryTests {
    static let wave = FakeTMDB.Show(id: 98765, name: "Wave, Listen to Me!", firstAirDate: "2020-04-03", tvdbID: 371040,
                                    seasons: [1: [(1, "Pilot", 24), (2, "Second", 24)]])

    /// A scrobble of a show the tracker does not have: auto-add asks TMDB for it.
    static let scrobble = PlexBody.scrobble(show: "Wave, Listen to Me!",
                                            showGuid: "com.plexapp.agents.themoviedb://98765", season: 1, episode: 2)

    @Test("a failed webhook becomes a success once its cause is fixed (API and page)")
    func retryAfterFix() async throws {
        let tmdb = try await FakeTMDB.start(shows: [Self.wave])
        // TMDB refuses the key: adding the show fails, so does the webhook.
        await tmdb.faults.enqueue(Array(repeating: .status(401), count: 20), forPathPrefix: "/tv/98765")
        let daemon = try await TestDaemon.make {
            $0.tmdbAPIKey = tmdb.apiKey
            $0.tmdbAPIBase = tmdb.baseURL
        }
        try await daemon.updateSettings { $0.autoAddShows = true }
        let token = try await daemon.apiToken()
        try await daemon.parts.buildApplication().test(.router) { client in
            try await daemon.post([Self.scrobble], client: client)
            let failed = try #require(try await daemon.store.webhookLogs(WebhookLogFilter()).items.first)
            #expect(failed.status == .failed && failed.nextAttemptAt != nil, "\(failed.errorMessage ?? "")")
            let api = APIClient(client, token: token)
            // The cause is fixed: retry it now instead of in 30 s.
            await tmdb.faults.clear()
            let retried = try await api.post("/api/plex/logs/\(failed.id)/retry")
            #expect(retried.status == 202 && retried.json["status"] as? String == "received", "\(retried.body)")
            try await daemon.waitUntilWorked()
            let log = try #require(try await daemon.store.webhookLog(id: failed.id))
            #expect(log.status == .success && log.attempts == 2, "\(log.errorMessage ?? "")")
            #expect(try await daemon.store.show(tmdbID: 98765) != nil)
            // A success is not retried; an unknown webhook is a 404.
            let again = try await api.post("/api/plex/logs/\(failed.id)/retry")
            #expect(again.status == 409 && (again.json["error"] as? String)?.contains("success") == true)
            #expect(try await api.post("/api/plex/logs/424242/retry").status == 404)
        }
        await tmdb.stop()
    }

    @Test("every failed webhook is retried in bulk; ones refused on arrival are not")
    func bulkRetry() async throws {
        let tmdb = try await FakeTMDB.start(shows: [Self.wave])
        await tmdb.faults.enqueue(Array(repeating: .status(401), count: 20), forPathPrefix: "/tv/98765")
        let daemon = try await TestDaemon.make {
            $0.tmdbAPIKey = tmdb.apiKey
            $0.tmdbAPIBase = tmdb.baseURL
        }
        try await daemon.updateSettings { $0.autoAddShows = true }
        let token = try await daemon.apiToken()
        try await daemon.parts.buildApplication().test(.router) { client in
            try await daemon.post([Self.scrobble, "not json"], client: client)
            let logs = try await daemon.store.webhookLogs(WebhookLogFilter(status: .failed)).items
            #expect(logs.count == 2)
            let refused = try #require(logs.first { $0.attempts == 0 })
            let api = APIClient(client, token: token)
            let refusal = try await api.post("/api/plex/logs/\(refused.id)/retry")
            #expect(refusal.status == 409 && (refusal.json["error"] as? String)?.contains("refused as it arrived") == true)
            #expect(try await api.post("/api/plex/logs/retry", ["status": "success"]).status == 422)
            #expect(try await api.post("/api/plex/logs/retry", [String: Any]()).status == 400)
            await tmdb.faults.clear()
            let bulk = try await api.post("/api/plex/logs/retry", ["status": "failed"])
            #expect(bulk.status == 202 && bulk.json["retried"] as? Int == 1, "\(bulk.body)")
            try await daemon.waitUntilWorked()
            #expect(try await daemon.store.webhookLogs(WebhookLogFilter(status: .success)).total == 1)
            #expect(try await daemon.store.webhookLog(id: refused.id)?.status == .failed)
        }
        await tmdb.stop()
    }
}
