import Foundation
import Logging
import Storage
import Testing
import TestSupport

@testable import Host

/// TMDB and Plex clients over real HTTP against the fakes on 127.0.0.1.
@Suite("external clients")
struct ExternalClientsTests {
    static let logger = Logger(label: "test")
    static let fast = RetryPolicy(timeout: 2, maxAttempts: 4, baseDelay: 0.01, maxDelay: 0.05, maxRetryAfter: 2,
                                  breakerThreshold: 50, breakerCooldown: 60)

    static let bluey = FakeTMDB.Show(id: 82728, name: "Bluey", firstAirDate: "2018-10-01", tvdbID: 353546,
                                     imdbID: "tt7678620", seasons: [1: [(1, "Magic Xylophone", 7), (2, "Hospital", 7)]])
    static let episodes = [
        FakeTMDB.EpisodeID(externalID: "6796236", episodeID: 1_652_901, showID: 82728, season: 1, episode: 2),
        FakeTMDB.EpisodeID(externalID: "tt8910944", episodeID: 1_652_902, showID: 82728, season: 1, episode: 1),
    ]

    static func withTMDB(_ body: (FakeTMDB, TMDBClient) async throws -> Void, policy: RetryPolicy = fast)
        async throws
    {
        let fake = try await FakeTMDB.start(shows: [bluey], episodes: episodes)
        let client = TMDBClient(baseURL: fake.baseURL, apiKey: fake.apiKey, policy: policy, logger: logger)
        do {
            try await body(fake, client)
        } catch {
            await fake.stop()
            throw error
        }
        await fake.stop()
    }

    @Test("an episode's tvdb or imdb id resolves to its show's tmdb id through /find")
    func episodeIDsResolveToShow() async throws {
        try await Self.withTMDB { fake, client in
            let resolver = ShowIDResolver(tmdb: client, cache: ConversionCache(store: InMemoryStore()))
            let byTVDB = try await resolver.show(for: "6796236", source: .tvdb)
            #expect(byTVDB == ResolvedShowIDs(tmdbID: 82728, seasonNumber: 1, episodeNumber: 2))
            let byIMDB = try await resolver.show(for: "tt8910944", source: .imdb)
            #expect(byIMDB?.tmdbID == 82728 && byIMDB?.episodeNumber == 1)
            let showLevel = try await resolver.show(for: "353546", source: .tvdb)
            #expect(showLevel == ResolvedShowIDs(tmdbID: 82728, tvdbID: 353546))
            #expect(try await resolver.show(for: "999", source: .tvdb) == nil)
        }
    }

    @Test("a second identical lookup asks nobody, also after reopening the SQLite store")
    func lookupsAreCachedPersistently() async throws {
        try await Self.withTMDB { fake, client in
            let path = ProjectPaths.temporaryDatabase()
            let first = ShowIDResolver(tmdb: client, cache: ConversionCache(store: try SQLiteStore(path: path)))
            #expect(try await first.show(for: "6796236", source: .tvdb)?.tmdbID == 82728)
            #expect(try await first.show(for: "424242", source: .tvdb) == nil)
            #expect(await fake.faults.requestCount(pathPrefix: "/find") == 2)
            #expect(try await first.show(for: "6796236", source: .tvdb)?.tmdbID == 82728)
            #expect(try await first.show(for: "424242", source: .tvdb) == nil)
            #expect(await fake.faults.requestCount(pathPrefix: "/find") == 2)

            let reopened = ShowIDResolver(tmdb: client, cache: ConversionCache(store: try SQLiteStore(path: path)))
            #expect(try await reopened.show(for: "6796236", source: .tvdb)?.seasonNumber == 1)
            #expect(try await reopened.show(for: "424242", source: .tvdb) == nil)
            #expect(await fake.faults.requestCount(pathPrefix: "/find") == 2)
        }
    }

    @Test("search, show details with external ids, and a season's episodes")
    func showDetails() async throws {
        try await Self.withTMDB { _, client in
            #expect(try await client.searchTV(query: "blu", year: 2018).map(\.id) == [82728])
            #expect(try await client.searchTV(query: "blu", year: 1999).isEmpty)
            let show = try #require(try await client.show(id: 82728))
            #expect(show.externalIDs?.tvdbID == 353546 && show.year == 2018 && show.seasons?.first?.episodeCount == 2)
            let season = try #require(try await client.season(showID: 82728, number: 1))
            #expect(season.episodes.map(\.name) == ["Magic Xylophone", "Hospital"])
            #expect(try await client.show(id: 1) == nil)
        }
    }

    @Test("a wrong key is a clear 401 error that does not contain the key")
    func wrongKey() async throws {
        let fake = try await FakeTMDB.start(shows: [Self.bluey])
        let client = TMDBClient(baseURL: fake.baseURL, apiKey: "wrong-key-1234", policy: Self.fast, logger: Self.logger)
        do {
            _ = try await client.find("1", source: .tvdb)
            Issue.record("expected unauthorized")
        } catch let error as ExternalServiceError {
            #expect(error.kind == .unauthorized)
            #expect(!"\(error)".contains("wrong-key-1234"))
        }
        // A v4 bearer token (a JWT) is sent as a header.
        await fake.stop()
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ4In0.c2lnbmF0dXJl"
        let bearerFake = try await FakeTMDB.start(apiKey: jwt, shows: [Self.bluey])
        let bearer = TMDBClient(baseURL: bearerFake.baseURL, apiKey: jwt, policy: Self.fast, logger: Self.logger)
        #expect(try await bearer.show(id: 82728)?.name == "Bluey")
        await bearerFake.stop()
    }

    @Test("Retry-After 1 is waited out once, then the call succeeds")
    func retryAfter() async throws {
        try await Self.withTMDB { fake, client in
            await fake.faults.enqueue([.tooManyRequests(retryAfter: 1)], forPathPrefix: "/tv/")
            let started = Date()
            let name = try await client.show(id: 82728)?.name
            #expect(name == "Bluey")
            // Waited out at least the second asked for, and only once (two requests, not a backoff series);
            // the upper bound only tells a wait from none, so a loaded machine does not fail it.
            let elapsed = Date().timeIntervalSince(started)
            #expect(elapsed >= 1 && elapsed < 10, "\(elapsed)")
            #expect(await fake.faults.requestCount(pathPrefix: "/tv/") == 2)
        }
    }

    @Test("a Retry-After past the cap fails fast so the work can be retried later")
    func retryAfterTooLong() async throws {
        try await Self.withTMDB { fake, client in
            await fake.faults.enqueue([.tooManyRequests(retryAfter: 3600)], forPathPrefix: "/tv/")
            let started = Date()
            do {
                _ = try await client.show(id: 82728)
                Issue.record("expected rate limited")
            } catch let error as ExternalServiceError {
                #expect(error.kind == .rateLimited(retryAfter: 3600) && error.isTransient)
            }
            // Far below the hour asked for: the call did not wait.
            #expect(Date().timeIntervalSince(started) < 10)
        }
    }

    @Test("three 500s, then success")
    func serverErrorsAreRetried() async throws {
        try await Self.withTMDB { fake, client in
            await fake.faults.enqueue([.status(500), .status(502), .status(503)], forPathPrefix: "/find")
            let showID = try await client.find("6796236", source: .tvdb)?.tvEpisodeResults.first?.showID
            #expect(showID == 82728)
            #expect(await fake.faults.requestCount(pathPrefix: "/find") == 4)
        }
    }

    @Test("a stalled server makes the call give up within its timeout")
    func stall() async throws {
        let policy = RetryPolicy(timeout: 0.3, maxAttempts: 2, baseDelay: 0.01, maxDelay: 0.02)
        try await Self.withTMDB({ fake, client in
            // Each stall is far longer than the timeout: without it the call would take 12 s.
            await fake.faults.enqueue([.stall(seconds: 6), .stall(seconds: 6)], forPathPrefix: "/find")
            let started = Date()
            do {
                _ = try await client.find("6796236", source: .tvdb)
                Issue.record("expected a timeout")
            } catch let error as ExternalServiceError {
                #expect(error.kind == .unavailable && error.isTransient)
                #expect("\(error)".contains("timed out"))
            }
            #expect(Date().timeIntervalSince(started) < 5)
        }, policy: policy)
    }

    @Test("a malformed body is a clear error, not a crash")
    func malformed() async throws {
        try await Self.withTMDB { fake, client in
            await fake.faults.enqueue([.malformedJSON], forPathPrefix: "/find")
            do {
                _ = try await client.find("6796236", source: .tvdb)
                Issue.record("expected malformed")
            } catch let error as ExternalServiceError {
                #expect(error.kind == .malformedResponse && !error.isTransient)
                #expect("\(error)" == "TMDB /find/6796236 sent a malformed response: the JSON does not have the expected shape")
            }
        }
    }

    @Test("after a run of failures the circuit opens and calls fail fast without a request")
    func circuitBreaker() async throws {
        let policy = RetryPolicy(timeout: 1, maxAttempts: 1, baseDelay: 0.01, maxDelay: 0.02, breakerThreshold: 2,
                                 breakerCooldown: 60)
        try await Self.withTMDB({ fake, client in
            await fake.faults.enqueue([.status(500), .status(500)], forPathPrefix: "/tv/")
            for _ in 0..<2 { _ = try? await client.show(id: 82728) }
            do {
                _ = try await client.show(id: 82728)
                Issue.record("expected the circuit to be open")
            } catch let error as ExternalServiceError {
                #expect(error.kind == .circuitOpen)
            }
            #expect(await fake.faults.requestCount(pathPrefix: "/tv/") == 2)
        }, policy: policy)
    }

    @Test("Plex: a token is validated, a bad one is a 401, and a show's Guids come from the server")
    func plex() async throws {
        let fake = try await FakePlex.start(accountName: "ann", shows: [
            FakePlex.Show(ratingKey: "1234", title: "Bluey", year: 2018, guid: "plex://show/5d9c08",
                          guids: ["imdb://tt7678620", "tmdb://82728", "tvdb://353546"]),
        ])
        let client = PlexClient(plexTVBase: fake.baseURL, policy: Self.fast, logger: Self.logger)
        #expect(try await client.account(token: fake.token).displayName == "ann")
        do {
            _ = try await client.account(token: "not-the-token")
            Issue.record("expected unauthorized")
        } catch let error as ExternalServiceError {
            #expect(error.kind == .unauthorized && !"\(error)".contains("not-the-token"))
        }
        #expect(try await client.servers(token: fake.token).first?.connections?.first?.uri == fake.baseURL)
        let metadata = try #require(try await client.showMetadata(serverURL: fake.baseURL, token: fake.token, ratingKey: "1234"))
        #expect(metadata.guids == ["imdb://tt7678620", "tmdb://82728", "tvdb://353546"])
        #expect(metadata.guid == "plex://show/5d9c08" && metadata.year == 2018)
        #expect(try await client.showMetadata(serverURL: fake.baseURL, token: fake.token, ratingKey: "999") == nil)

        // Cached by ratingKey; a different guid for the same ratingKey fetches again.
        let resolver = PlexMetadataResolver(plex: client, cache: ConversionCache(store: InMemoryStore()))
        for _ in 0..<3 {
            _ = try await resolver.show(serverURL: fake.baseURL, token: fake.token, serverUUID: "s", ratingKey: "1234",
                                        expectedGuid: "plex://show/5d9c08")
        }
        #expect(await fake.faults.requestCount(pathPrefix: "/library/metadata/1234") == 2)
        _ = try await resolver.show(serverURL: fake.baseURL, token: fake.token, serverUUID: "s", ratingKey: "1234",
                                    expectedGuid: "plex://show/rematched")
        #expect(await fake.faults.requestCount(pathPrefix: "/library/metadata/1234") == 3)
        await fake.stop()
    }
}
