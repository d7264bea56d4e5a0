import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport

@testable import Host

/// First run from Plex over real HTTP against the fake plex.tv, Plex Media Server and TMDB:
/// Sign in with Plex (PIN), the server picker, and the library and history import.
@Suite("first run from Plex")
struct PlexImportTests {
    static let encryptionKey = String(repeating: "a7", count: 32)
    /// A loopback port nothing listens on.
    static let closedURL = "http://127.0.0.1:9"

    /// The fakes and a daemon on a SQLite file wired to them.
    struct World {
        let plex: FakePlex
        let tmdb: FakeTMDB
        let daemon: TestDaemon
        let fixture: PlexImportFixture

        static func make(
            fixture: PlexImportFixture = .standard(), resources: [FakePlex.Resource]? = nil,
            configure: (inout AppConfiguration) -> Void = { _ in }
        ) async throws -> World {
            let plex = try await FakePlex.start(token: "plex-import-token", library: fixture.library, resources: resources)
            let tmdb = try await FakeTMDB.start(shows: fixture.tmdb)
            let daemon = try await TestDaemon.make(store: try SQLiteStore(path: ProjectPaths.temporaryDatabase())) {
                $0.encryptionKey = PlexImportTests.encryptionKey
                $0.plexTVBase = plex.baseURL
                $0.plexAppBase = plex.baseURL
                $0.tmdbAPIKey = tmdb.apiKey
                $0.tmdbAPIBase = tmdb.baseURL
                configure(&$0)
            }
            try await daemon.addShows(fixture.tracker.map(\.input))
            return World(plex: plex, tmdb: tmdb, daemon: daemon, fixture: fixture)
        }

        func stop() async {
            await plex.stop()
            await tmdb.stop()
        }

        /// Sends the `kid` account's watches to a tracker user of its own (the account's target).
        func kidToOwnTracker(_ api: APIClient) async throws {
            let user = try await api.post("/api/users", ["name": "kid", "password": "kid-password-0123", "role": "user"])
            #expect(user.status == 201, "\(user.body)")
            _ = try await daemon.store.notePlexAccount(id: "2", name: "kid", seenAt: nil)
            let target = try await api.post("/api/plex/accounts/2", ["target": "user", "user_id": user.json["id"] ?? 0])
            #expect(target.status == 200, "\(target.body)")
        }

        /// Saves the token and the fixture's settings, and picks the fake server, as a person would.
        func connect(_ api: APIClient, autoAdd: Bool = true) async throws {
            let saved = try await api.post("/api/plex/config", [
                "plex_token": plex.token, "auto_add_shows": autoAdd, "sync_accounts": fixture.syncAccounts,
            ])
            #expect(saved.status == 200, "\(saved.body)")
            let chosen = try await api.post("/api/plex/servers/select", ["client_identifier": FakePlex.machineIdentifier])
            #expect(chosen.status == 200, "\(chosen.body)")
        }
    }

    /// Polls a job until it is no longer running.
    static func finished(_ api: APIClient, job: Int, timeout: TimeInterval = 90) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let reply = try await api.get("/api/plex/import/\(job)")
            #expect(reply.status == 200, "\(reply.body)")
            if reply.json["status"] as? String != "running" { return reply.json }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("import job \(job) still running after \(timeout) s")
        return [:]
    }

    /// Starts an import and waits for its end.
    static func runImport(_ api: APIClient, _ body: [String: Any] = [:]) async throws -> [String: Any] {
        let started = try await api.post("/api/plex/import", body)
        #expect(started.status == 202, "\(started.body)")
        let job = try #require(started.json["job_id"] as? Int)
        return try await finished(api, job: job)
    }

    static func int(_ json: [String: Any], _ key: String) -> Int { json[key] as? Int ?? -1 }

    // MARK: - Sign in with Plex

    @Test("Sign in with Plex: a PIN, waiting until the person signs in, then linked with the token sealed")
    func signInWithPlex() async throws {
        let world = try await World.make()
        try await world.daemon.live { api, _ in
            let pin = try await api.post("/api/plex/auth/pin")
            #expect(pin.status == 201, "\(pin.body)")
            let id = try #require(pin.json["id"] as? Int)
            let code = try #require(pin.json["code"] as? String)
            let authURL = try #require(pin.json["auth_url"] as? String)
            #expect(authURL.hasPrefix("\(world.plex.baseURL)/auth#?clientID=showmatch&code=\(code)"))
            #expect(authURL.hasSuffix("&context%5Bdevice%5D%5Bproduct%5D=Showmatch"))
            let expires = try #require((pin.json["expires_at"] as? String).flatMap(ISO8601DateFormatter().date(from:)))
            #expect(expires > Date())

            let waiting = try await api.get("/api/plex/auth/pin/\(id)")
            #expect(waiting.status == 200 && waiting.json["status"] as? String == "waiting", "\(waiting.body)")
            #expect(try await api.get("/api/plex/config").json["plex_token_set"] as? Bool == false)

            await world.plex.linkPIN(id)
            let linked = try await api.get("/api/plex/auth/pin/\(id)")
            #expect(linked.json["status"] as? String == "linked", "\(linked.body)")
            #expect(linked.json["plex_account_name"] as? String == "owner")
            #expect(!linked.body.contains(world.plex.token))
            let config = try await api.get("/api/plex/config")
            #expect(config.json["plex_token_set"] as? Bool == true && config.json["plex_account_name"] as? String == "owner")
            #expect(try await api.get("/api/plex/auth/pin/\(id)").json["status"] as? String == "linked")
        }
        let sealed = try #require(try await world.daemon.store.plexConfig()?.plexTokenEncrypted)
        #expect(try TokenSealer(hexKey: Self.encryptionKey).open(sealed) == world.plex.token)
        #expect(sealed.range(of: Data(world.plex.token.utf8)) == nil)
        await world.stop()
    }

    @Test("an expired PIN says expired; an unknown one is 404; no key is 409; plex.tv down is 424, not a 5xx")
    func expiredPIN() async throws {
        let world = try await World.make()
        try await world.daemon.live { api, _ in
            let pin = try await api.post("/api/plex/auth/pin")
            let id = try #require(pin.json["id"] as? Int)
            await world.plex.expirePIN(id)
            let expired = try await api.get("/api/plex/auth/pin/\(id)")
            #expect(expired.status == 200 && expired.json["status"] as? String == "expired", "\(expired.body)")
            #expect(try await api.get("/api/plex/config").json["plex_token_set"] as? Bool == false)
            // Linking it now changes nothing: it expired.
            await world.plex.linkPIN(id)
            #expect(try await api.get("/api/plex/auth/pin/\(id)").json["status"] as? String == "expired")
            #expect(try await api.get("/api/plex/auth/pin/424242").status == 404)
        }
        let keyless = try await TestDaemon.make { $0.plexTVBase = world.plex.baseURL }
        let down = try await TestDaemon.make {
            $0.encryptionKey = Self.encryptionKey
            $0.plexTVBase = Self.closedURL
            $0.httpTimeout = 1
        }
        for (daemon, status) in [(keyless, 409), (down, 424)] {
            let token = try await daemon.apiToken()
            try await daemon.parts.buildApplication().test(.router) { client in
                let reply = try await APIClient(client, token: token).post("/api/plex/auth/pin")
                #expect(reply.status == status, "\(reply.body)")
                #expect(reply.json["error"] is String)
            }
        }
        await world.stop()
    }

    // MARK: - Server picker

    @Test("the server list ranks reachable servers and connections first, an unreachable connection last; choosing saves it")
    func serverList() async throws {
        let resources = [
            FakePlex.Resource(name: "Offline Server", clientIdentifier: "offline-uuid",
                              connections: [(uri: Self.closedURL, local: true, relay: false)]),
            FakePlex.Resource(name: "Living Room", clientIdentifier: FakePlex.machineIdentifier, connections: [
                (uri: Self.closedURL, local: true, relay: false), (uri: nil, local: false, relay: false),
            ]),
        ]
        let world = try await World.make(resources: resources)
        try await world.daemon.live { api, _ in
            #expect(try await api.get("/api/plex/servers").status == 409, "no account connected yet")
            _ = try await api.post("/api/plex/config", ["plex_token": world.plex.token])
            let list = try await api.get("/api/plex/servers")
            #expect(list.status == 200, "\(list.body)")
            #expect(list.items.map { $0["name"] as? String } == ["Living Room", "Offline Server"])
            let living = list.items[0]
            #expect(living["reachable"] as? Bool == true && living["owned"] as? Bool == true)
            #expect(living["best_uri"] as? String == world.plex.baseURL)
            let connections = try #require(living["connections"] as? [[String: Any]])
            #expect(connections.map { $0["uri"] as? String } == [world.plex.baseURL, Self.closedURL])
            #expect(connections.map { $0["reachable"] as? Bool } == [true, false])
            #expect(list.items[1]["reachable"] as? Bool == false && list.items[1]["best_uri"] == nil)

            let chosen = try await api.post("/api/plex/servers/select", ["client_identifier": FakePlex.machineIdentifier])
            #expect(chosen.status == 200 && chosen.json["server_url"] as? String == world.plex.baseURL, "\(chosen.body)")
            #expect(try await api.get("/api/plex/config").json["server_url"] as? String == world.plex.baseURL)
            #expect(try await api.get("/api/plex/servers").items.first?["selected"] as? Bool == true)
            let offline = try await api.post("/api/plex/servers/select", ["client_identifier": "offline-uuid"])
            #expect(offline.status == 424, "\(offline.body)")
            let wrongURI = try await api.post("/api/plex/servers/select", [
                "client_identifier": FakePlex.machineIdentifier, "uri": "http://127.0.0.1:1/elsewhere",
            ])
            #expect(wrongURI.status == 422 && wrongURI.json["field"] as? String == "uri")
            #expect(try await api.post("/api/plex/servers/select", ["client_identifier": "nope"]).status == 422)
        }
        let config = try #require(try await world.daemon.store.plexConfig())
        #expect(config.serverURL == world.plex.baseURL && config.serverUUID == FakePlex.machineIdentifier)
        await world.stop()
    }

    // MARK: - Import

    @Test("importing the library and history gives exactly the expected counts and state; a second run changes nothing")
    func importLibraryAndHistory() async throws {
        let world = try await World.make(fixture: .standard(kidTracker: "kid"))
        let expected = world.fixture.expected
        #expect(expected.libraryShows >= 50 && expected.historyEntries >= 1000)
        let (first, second, before, after) = try await world.daemon.live { api, _ in
            try await world.connect(api)
            try await world.kidToOwnTracker(api)
            let first = try await Self.runImport(api)
            let before = try await TrackerSnapshot.take(world.daemon.store)
            let second = try await Self.runImport(api, ["library": true, "history": true, "since": NSNull()])
            let after = try await TrackerSnapshot.take(world.daemon.store)
            return (first, second, before, after)
        }
        #expect(first["status"] as? String == "done", "\(first)")
        #expect(first["error"] is NSNull)
        #expect(Self.int(first, "total") == expected.libraryShows + expected.historyEntries)
        #expect(Self.int(first, "done") == Self.int(first, "total"))
        #expect(Self.int(first, "shows_added") == expected.showsAdded)
        #expect(Self.int(first, "shows_mapped") == expected.showsMapped)
        #expect(Self.int(first, "conflicts") == expected.conflicts)
        #expect(Self.int(first, "shows_unchanged") == 0)
        #expect(Self.int(first, "watches_applied") == expected.watchesApplied)
        #expect(Self.int(first, "watches_held") == expected.watchesHeld)
        #expect(Self.int(first, "watches_skipped") == expected.watchesSkipped)

        // What is stored.
        let store = world.daemon.store
        #expect(before.shows.count == expected.trackerShows)
        #expect(before.mappings.count == expected.libraryShows)
        #expect(before.mappings.filter { $0.hasSuffix("|conflict|-") }.count == expected.conflicts)
        #expect(before.openConflicts.count == expected.conflicts)
        #expect(before.held.count == expected.watchesHeld)
        #expect(Dictionary(grouping: before.held, by: { $0.split(separator: "|").last.map(String.init) ?? "" })
            .mapValues(\.count) == expected.heldByShow)
        let watchedByUser = Dictionary(grouping: before.watches, by: { String($0.split(separator: "|")[0]) })
            .mapValues(\.count)
        #expect(watchedByUser == expected.watchedByUser)
        #expect(expected.watchedByUser.keys.sorted() == ["admin", "kid"])
        #expect(try await store.users().map(\.name).sorted() == ["admin", "kid"], "guest is not synced")
        // Dates are Plex's viewedAt, the first watch winning over the rewatch.
        let firstShow = world.fixture.library.shows[0]
        let date = try #require(try await Self.watchDate(store, user: "admin", plexTitle: firstShow.title, season: 1,
                                                         episode: 1))
        #expect(Int(date.timeIntervalSince1970) == world.fixture.firstWatch[
            PlexImportFixture.key(user: "admin", show: firstShow.title, season: 1, episode: 1)])
        // Shows added from Plex carry their seasons (and the special) from allLeaves.
        let homemade = try #require(try await store.shows(search: "Velvet Lighthouse", limit: 5, offset: 0).items.first)
        #expect(homemade.key.hasPrefix("plex-\(FakePlex.machineIdentifier)-"))
        let admin = try #require(try await store.users().first(where: \.isAdmin))
        let detail = try #require(try await store.showDetail(id: homemade.id, userID: admin.id))
        #expect(detail.seasons.map(\.number) == [0, 1, 2])
        let allWatched = detail.seasons.flatMap(\.episodes).allSatisfy { $0.watched }
        #expect(allWatched)
        #expect(detail.seasons[1].episodes.first?.runtimeMinutes == 25)

        // The second run: nothing added, applied or held; everything the same.
        #expect(second["status"] as? String == "done", "\(second)")
        for key in ["shows_added", "shows_mapped", "conflicts", "watches_applied", "watches_held"] {
            #expect(Self.int(second, key) == 0, "\(key)")
        }
        #expect(Self.int(second, "shows_unchanged") == expected.libraryShows)
        #expect(Self.int(second, "watches_skipped") == expected.historyEntries)
        #expect(after == before)
        await world.stop()
    }

    @Test("a refused token fails the job with \"the Plex token was refused\"")
    func refusedToken() async throws {
        let world = try await World.make()
        try await world.daemon.live { api, _ in
            try await world.connect(api)
            // The token is revoked at Plex after it was saved.
            let revoked = try TokenSealer(hexKey: Self.encryptionKey).seal("a-token-plex-revoked")
            try await world.daemon.updateSettings { $0.plexTokenEncrypted = revoked }
            let job = try await Self.runImport(api)
            #expect(job["status"] as? String == "failed" && job["phase"] as? String == "finished")
            #expect(job["error"] as? String == "the Plex token was refused")
        }
        #expect(try await world.daemon.store.mappings(MappingFilter()).total == 0)
        await world.stop()
    }

    @Test("a server that cannot be reached fails the job naming its URL")
    func unreachableServer() async throws {
        let world = try await World.make { $0.httpTimeout = 1 }
        try await world.daemon.live { api, _ in
            try await world.connect(api)
            try await world.daemon.updateSettings { $0.serverURL = Self.closedURL }
            let job = try await Self.runImport(api)
            #expect(job["status"] as? String == "failed")
            let error = try #require(job["error"] as? String)
            #expect(error.contains("the Plex server at \(Self.closedURL) cannot be reached"), "\(error)")
        }
        await world.stop()
    }

    @Test("5xx and 429 answers of the server are retried with the backoff; the job still ends with the right counts")
    func retriesServerErrors() async throws {
        let world = try await World.make()
        await world.plex.faults.enqueue([.status(503), .tooManyRequests(retryAfter: 0)],
                                        forPathPrefix: "/status/sessions/history/all")
        await world.plex.faults.enqueue([.status(502)], forPathPrefix: "/library/sections/2/all")
        let job = try await world.daemon.live { api, _ in
            try await world.connect(api)
            return try await Self.runImport(api)
        }
        #expect(job["status"] as? String == "done", "\(job)")
        #expect(Self.int(job, "watches_applied") == world.fixture.expected.watchesApplied)
        #expect(Self.int(job, "shows_added") == world.fixture.expected.showsAdded)
        // 2 refused + the count + the pages of 200 entries (the last one short).
        let pages = world.fixture.expected.historyEntries / 200 + 1
        #expect(await world.plex.faults.requestCount(pathPrefix: "/status/sessions/history/all") == 2 + 1 + pages)
        #expect(await world.plex.faults.requestCount(pathPrefix: "/library/sections/2/all") == 1 + 1 + 1)
        await world.stop()
    }

    @Test("one import at a time: a second start while one runs is 409; bad requests are 4xx")
    func oneJobAtATime() async throws {
        let world = try await World.make()
        await world.plex.setLatency(0.3, forPathPrefix: "/status/sessions/history/all")
        try await world.daemon.live { api, _ in
            let unconfigured = try await api.post("/api/plex/import", [String: Any]())
            #expect(unconfigured.status == 409 && (unconfigured.json["error"] as? String)?.contains("sign in") == true)
            try await world.connect(api)
            let started = try await api.post("/api/plex/import", ["history": true])
            #expect(started.status == 202)
            let job = try #require(started.json["job_id"] as? Int)
            let second = try await api.post("/api/plex/import", [String: Any]())
            #expect(second.status == 409 && (second.json["error"] as? String)?.contains("\(job)") == true, "\(second.body)")
            #expect(try await api.post("/api/plex/import", ["library": false, "history": false]).status == 422)
            #expect(try await api.post("/api/plex/import", ["since": "yesterday"]).json["field"] as? String == "since")
            #expect(try await api.post("/api/plex/import", ["library": "yes"]).status == 400)
            #expect(try await api.get("/api/plex/import/999999").status == 404)
            let listed = try await api.get("/api/plex/import")
            #expect(listed.json["total"] as? Int == 1 && listed.items.first?["status"] as? String == "running")
            let done = try await Self.finished(api, job: job)
            #expect(done["status"] as? String == "done")
            let again = try await api.post("/api/plex/import", ["library": false])
            #expect(again.status == 202, "a new job once the first is done")
            _ = try await Self.finished(api, job: try #require(again.json["job_id"] as? Int))
        }
        await world.stop()
    }

    @Test("history only, since a date: only the entries from then on count")
    func historySince() async throws {
        let world = try await World.make()
        let history = world.fixture.library.history.sorted { $0.viewedAt < $1.viewedAt }
        let cut = history[history.count / 2]
        let day = Date(timeIntervalSince1970: TimeInterval(cut.viewedAt))
        let since = String(ISO8601DateFormatter().string(from: day).prefix(10))
        let sinceDate = try #require(ImportDates.parse(since))
        let counted = history.filter { $0.viewedAt >= Int(sinceDate.timeIntervalSince1970) }.count
        let job = try await world.daemon.live { api, _ in
            try await world.connect(api)
            return try await Self.runImport(api, ["library": false, "history": true, "since": since])
        }
        #expect(job["status"] as? String == "done", "\(job)")
        #expect(Self.int(job, "total") == counted)
        #expect(Self.int(job, "watches_applied") + Self.int(job, "watches_held") + Self.int(job, "watches_skipped")
            == counted)
        #expect(Self.int(job, "watches_applied") > 0)
        await world.stop()
    }

    @Test("history respects per-show sync and sync_accounts; resolving a conflict applies its held history")
    func syncSettingsAndHeldHistory() async throws {
        let world = try await World.make(fixture: .standard(kidTracker: "kid"))
        let fixture = world.fixture
        let offShow = fixture.library.shows[0]
        let twin = try #require(fixture.library.shows.first { $0.title.hasPrefix("Twin Title") })
        try await world.daemon.live { api, hooks in
            try await world.connect(api)
            try await world.kidToOwnTracker(api)
            let library = try await Self.runImport(api, ["history": false])
            #expect(Self.int(library, "total") == fixture.expected.libraryShows && Self.int(library, "watches_applied") == 0)
            let mapping = try #require(try await world.daemon.store.mapping(
                serverUUID: FakePlex.machineIdentifier, plexShowKey: offShow.guid))
            #expect(try await api.delete("/api/plex/mappings/\(mapping.id)").status == 200)

            let history = try await Self.runImport(api, ["library": false])
            let offEntries = fixture.library.history.filter { $0.showRatingKey == offShow.ratingKey && $0.accountID != 3 }
            let offFirstWatches = Set(offEntries.map { "\($0.accountID)-\($0.season ?? -1)-\($0.episode ?? -1)" }).count
            #expect(Self.int(history, "watches_applied") == fixture.expected.watchesApplied - offFirstWatches)
            #expect(Self.int(history, "watches_held") == fixture.expected.watchesHeld)
            #expect(try await Self.watchDate(world.daemon.store, user: "admin", plexTitle: offShow.title, season: 1,
                                             episode: 1) == nil, "sync is off for that show")

            // The person picks the 2005 show for a twin: its held history is applied, as held webhooks are.
            let conflictMapping = try #require(try await world.daemon.store.mapping(
                serverUUID: FakePlex.machineIdentifier, plexShowKey: twin.guid))
            let conflict = try #require(try await world.daemon.store.openConflict(forMapping: conflictMapping.id))
            let heldCount = fixture.expected.heldByShow[twin.title] ?? -1
            #expect(try await api.get("/api/plex/conflicts/\(conflict.id)").json["held_webhooks"] as? Int == heldCount)
            let key = try #require(fixture.tracker.first { $0.title == twin.title && $0.year == 2005 }?.key)
            let resolved = try await api.post("/api/plex/conflicts/\(conflict.id)/resolve",
                                              ["action": "select", "show_id": key])
            #expect(resolved.status == 200, "\(resolved.body)")
            try await world.daemon.settle()
            let show = try #require(try await world.daemon.store.show(key: key))
            let admin = try #require(try await world.daemon.store.users().first(where: \.isAdmin))
            let kid = try #require(try await world.daemon.store.user(name: "kid"))
            #expect(try await world.daemon.store.totals(userID: admin.id, showID: show.id).watchedEpisodes == 12)
            #expect(try await world.daemon.store.totals(userID: kid.id, showID: show.id).watchedEpisodes == 6)
            let date = try #require(try await Self.watchDate(world.daemon.store, user: "kid", showKey: key,
                                                             season: 1, episode: 4))
            #expect(Int(date.timeIntervalSince1970) == fixture.firstWatch[
                PlexImportFixture.key(user: "kid", show: twin.title, season: 1, episode: 4)])

            // A webhook of an imported show lands on the import's mapping.
            let mappingsBefore = try await world.daemon.store.mappings(MappingFilter()).total
            let tracked = fixture.library.shows[1]
            #expect(try await hooks.post(PlexBody.scrobble(show: tracked.title, showGuid: tracked.guid, season: 2,
                                                           episode: 6, server: FakePlex.machineIdentifier)) == 200)
            try await world.daemon.settle()
            let log = try #require(try await world.daemon.store.webhookLogs(WebhookLogFilter(limit: 1)).items.first)
            #expect(log.status == .success, "\(log.errorMessage ?? "")")
            #expect(try await world.daemon.store.mappings(MappingFilter()).total == mappingsBefore)
        }
        await world.stop()
    }

    @Test("with auto-add off, shows the tracker lacks wait as conflicts, with their history")
    func autoAddOff() async throws {
        let world = try await World.make()
        let expected = world.fixture.expected
        let job = try await world.daemon.live { api, _ in
            try await world.connect(api, autoAdd: false)
            return try await Self.runImport(api)
        }
        #expect(job["status"] as? String == "done", "\(job)")
        #expect(Self.int(job, "shows_added") == 0)
        #expect(Self.int(job, "shows_mapped") == expected.showsMapped)
        #expect(Self.int(job, "conflicts") == expected.conflicts + expected.showsAdded)
        #expect(try await world.daemon.store.shows(search: nil, limit: 1, offset: 0).total == world.fixture.tracker.count)
        #expect(Self.int(job, "watches_held") > expected.watchesHeld)
        await world.stop()
    }

    // MARK: - Helpers

    static func watchDate(_ store: any Store, user: String, plexTitle: String, season: Int, episode: Int) async throws
        -> Date?
    {
        guard let mapping = try await store.mappings(MappingFilter(limit: 500)).items.first(where: {
            $0.plexTitle == plexTitle
        }), let showID = mapping.showID, let show = try await store.show(id: showID) else { return nil }
        return try await watchDate(store, user: user, showKey: show.key, season: season, episode: episode)
    }

    static func watchDate(_ store: any Store, user: String, showKey: String, season: Int, episode: Int) async throws
        -> Date?
    {
        guard let show = try await store.show(key: showKey), let user = try await store.user(name: user),
              let detail = try await store.showDetail(id: show.id, userID: user.id)
        else { return nil }
        return detail.seasons.first { $0.number == season }?.episodes.first { $0.number == episode }?.dateWatched
    }
}

extension PlexImportFixture.TrackerShow {
    var input: ShowInput {
        ShowInput(key: key, title: title, year: year, tmdbID: tmdbID, tvdbID: tvdbID, seasons: seasons.map { number, episodes in
            SeasonInput(number: number, episodes: episodes.map { EpisodeInput(number: $0, title: "Episode \(number)x\($0)",
                                                                              runtimeMinutes: 25) })
        })
    }
}

/// What an import leaves in the store, in a form two stores can be compared by.
struct TrackerSnapshot: Equatable, CustomStringConvertible {
    /// `key|title|year|tmdb|tvdb|S1E1,S1E2…`
    var shows: [String] = []
    /// `plexShowKey|status|tracker show key` (`-` when none)
    var mappings: [String] = []
    /// The Plex show keys with an open conflict.
    var openConflicts: [String] = []
    /// `idempotency key|plex title` of the held webhooks.
    var held: [String] = []
    /// `user|show key|season|episode|seconds since 1970`
    var watches: [String] = []
    var users: [String] = []

    static func take(_ store: any Store) async throws -> TrackerSnapshot {
        var snapshot = TrackerSnapshot()
        let shows = try await store.shows(search: nil, limit: 100_000, offset: 0).items
        let users = try await store.users()
        snapshot.users = users.map(\.name).sorted()
        var keyByID: [Int64: String] = [:]
        for show in shows {
            keyByID[show.id] = show.key
            guard let detail = try await store.showDetail(id: show.id, userID: users.first?.id ?? 0) else { continue }
            let episodes = detail.seasons.flatMap { season in season.episodes.map { "S\(season.number)E\($0.number)" } }
            snapshot.shows.append("\(show.key)|\(show.title)|\(show.year ?? 0)|\(show.tmdbID ?? 0)|\(show.tvdbID ?? 0)|"
                + episodes.joined(separator: ","))
            for user in users {
                guard let watched = try await store.showDetail(id: show.id, userID: user.id) else { continue }
                for season in watched.seasons {
                    for episode in season.episodes where episode.watched {
                        snapshot.watches.append("\(user.name)|\(show.key)|\(season.number)|\(episode.number)|"
                            + "\(Int(episode.dateWatched?.timeIntervalSince1970 ?? 0))")
                    }
                }
            }
        }
        let mappings = try await store.mappings(MappingFilter(limit: 100_000)).items
        snapshot.mappings = mappings.map { "\($0.plexShowKey)|\($0.status.rawValue)|\($0.showID.flatMap { keyByID[$0] } ?? "-")" }
        let keyByMapping = Dictionary(uniqueKeysWithValues: mappings.map { ($0.id, $0.plexShowKey) })
        snapshot.openConflicts = try await store.conflicts(status: .open, limit: 100_000, offset: 0).items
            .map { keyByMapping[$0.mappingID] ?? "?" }
        snapshot.held = try await store.webhookLogs(WebhookLogFilter(status: .conflict, limit: 100_000)).items
            .map { "\($0.idempotencyKey ?? "-")|\($0.plexTitle ?? "-")" }
        snapshot.shows.sort()
        snapshot.mappings.sort()
        snapshot.openConflicts.sort()
        snapshot.held.sort()
        snapshot.watches.sort()
        return snapshot
    }

    var description: String {
        "\(shows.count) shows, \(mappings.count) mappings, \(openConflicts.count) open conflicts, \(held.count) held, "
            + "\(watches.count) watches, users \(users)"
    }
}
