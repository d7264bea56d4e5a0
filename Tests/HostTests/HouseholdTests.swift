import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport

@testable import Host

/// Every household member: Plex accounts as tracker users who log in and see their own tracker.
@Suite("households")
struct HouseholdTests {
    static let password = "a long enough password"

    static func daemon() async throws -> (TestDaemon, Show) {
        let daemon = try await TestDaemon.make(store: try SQLiteStore(path: ProjectPaths.temporaryDatabase()))
        try await daemon.updateSettings { $0.plexAccountName = "owner" }
        let show = try #require(try await daemon.addShows([ShowInput(
            key: "bluey", title: "Bluey", year: 2018,
            seasons: [SeasonInput(number: 1, episodes: (1...4).map { EpisodeInput(number: $0, runtimeMinutes: 7) })])]).first)
        return (daemon, show)
    }

    /// A payload with its `Account` replaced.
    static func scrobble(episode: Int, account: (id: Int, name: String), owner: Bool) -> String {
        var object = try! JSONSerialization.jsonObject(with: Data(
            PlexBody.scrobble(show: "Bluey", showGuid: "plex://show/bluey", season: 1, episode: episode, user: owner).utf8
        )) as! [String: Any]
        object["Account"] = ["id": account.id, "title": account.name]
        var metadata = object["Metadata"] as! [String: Any]
        metadata["ratingKey"] = "\(account.id)-\(episode)"
        object["Metadata"] = metadata
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// An API client acting as `user`.
    static func client(_ daemon: TestDaemon, _ http: any TestClientProtocol, as user: Int64) async throws -> APIClient {
        let token = APITokenGenerator.makeToken()
        _ = try await daemon.store.createAPIToken(name: "t", tokenHash: APITokenGenerator.hash(token), userID: user, now: Date())
        return APIClient(http, token: token)
    }

    /// The episode numbers a reader sees watched.
    static func watched(_ api: APIClient, show: Show, user: Int64? = nil) async throws -> [Int] {
        let reply = try await api.get("/api/shows/\(show.id)" + (user.map { "?user=\($0)" } ?? ""))
        let seasons = reply.json["seasons"] as? [[String: Any]] ?? []
        return seasons.flatMap { ($0["episodes"] as? [[String: Any]] ?? []) }
            .filter { $0["watched"] as? Bool == true }.compactMap { $0["number"] as? Int }.sorted()
    }

    @Test("owner, managed home user and shared user: each watch lands where the settings say, seen only by its own login")
    func watchesLandWhereTheSettingsSay() async throws {
        let (daemon, show) = try await Self.daemon()
        let owner = (id: 1, name: "owner"), kid = (id: 2, name: "kid"), guest = (id: 3, name: "guest")
        try await daemon.live { admin, hooks in
            let kidUser = try await admin.post("/api/users", ["name": "kid", "password": Self.password])
            #expect(kidUser.status == 201 && kidUser.json["role"] as? String == "user")
            let guestUser = try await admin.post("/api/users", ["name": "guest", "password": Self.password, "role": "user"])
            let kidID = try #require(kidUser.json["id"] as? Int), guestID = try #require(guestUser.json["id"] as? Int)
            #expect(try await admin.post("/api/users", ["name": "kid", "password": Self.password]).status == 409)
            #expect(try await admin.post("/api/users", ["name": "short", "password": "short"]).status == 422)

            // First sight: the owner syncs to the admin; the others are not synced yet, but listed.
            for (account, isOwner) in [(owner, true), (kid, false), (guest, false)] {
                #expect(try await hooks.post(Self.scrobble(episode: 1, account: account, owner: isOwner)) == 200)
            }
            try await daemon.settle()
            let accounts = try await admin.get("/api/plex/accounts")
            #expect(Set(accounts.items.compactMap { $0["id"] as? String }) == ["1", "2", "3"])
            #expect(accounts.items.first { $0["id"] as? String == "2" }?["target"] as? String == "none")

            let linked = try await admin.post("/api/plex/accounts/2", ["target": "user", "user_id": kidID])
            #expect(linked.status == 200, "\(linked.body)")
            #expect(try await admin.post("/api/plex/accounts/3", ["target": "user", "user_id": guestID]).status == 200)
            #expect(try await admin.post("/api/plex/accounts/3", ["target": "user"]).status == 422)
            #expect(try await admin.post("/api/plex/accounts/9", ["target": "admin"]).status == 404)

            // The same episode from all three, and one more for the kid.
            for (account, isOwner) in [(owner, true), (kid, false), (guest, false)] {
                #expect(try await hooks.post(Self.scrobble(episode: 2, account: account, owner: isOwner)) == 200)
            }
            #expect(try await hooks.post(Self.scrobble(episode: 3, account: kid, owner: false)) == 200)
            try await daemon.settle()

            let kidAPI = try await Self.client(daemon, hooks.client, as: Int64(kidID))
            let guestAPI = try await Self.client(daemon, hooks.client, as: Int64(guestID))
            #expect(try await Self.watched(admin, show: show) == [1, 2])
            #expect(try await Self.watched(kidAPI, show: show) == [2, 3])
            #expect(try await Self.watched(guestAPI, show: show) == [2])
            #expect(try await kidAPI.get("/api/shows/\(show.id)").json["watched_episodes"] as? Int == 2)
            let list = try await guestAPI.get("/api/shows")
            #expect(list.items.first?["watched_episodes"] as? Int == 1)

            // ?user= is for admins only.
            #expect(try await Self.watched(admin, show: show, user: Int64(kidID)) == [2, 3])
            #expect(try await kidAPI.get("/api/shows/\(show.id)?user=\(guestID)").status == 403)
            #expect(try await admin.get("/api/shows/\(show.id)?user=99999").status == 404)
        }
    }

    @Test("a user gets 403 on every admin route; their own shows answer")
    func usersAreRefusedAdminRoutes() async throws {
        let (daemon, show) = try await Self.daemon()
        let user = try await daemon.parts.users.create(name: "kid", password: Self.password, role: .user)
        let router = daemon.parts.buildRouter()
        let routes = router.routes.map { ("\($0.path)", $0.method) }
        let forUsers: Set<String> = [
            "GET /api/shows", "GET /api/shows/{id}", "POST /api/shows/{id}/episodes/{episode}/watched",
            "DELETE /api/shows/{id}/episodes/{episode}/watched", "GET /api/auth/me", "POST /api/auth/logout",
            "GET /api/openapi.yaml", "GET /api/tokens", "DELETE /api/tokens/{id}",
        ]
        try await Application(router: router).test(.router) { http in
            let kid = try await Self.client(daemon, http, as: user.id)
            var refused = 0
            for (path, method) in routes
            where path.hasPrefix("/api/") && !ManagementAPITests.isPublic(path) && !forUsers.contains("\(method) \(path)") {
                let uri = path.replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{episode}", with: "1")
                    .replacingOccurrences(of: "{job_id}", with: "1")
                let reply = try await kid.send(method, uri, json: method == .get || method == .delete ? nil : [:])
                #expect(reply.status == 403, "\(method) \(path): \(reply.status)")
                refused += 1
            }
            #expect(refused >= 15)
            #expect(try await kid.get("/metrics").status == 403)
            #expect(try await kid.send(.delete, "/api/shows/\(show.id)").status == 403)
            #expect(try await kid.get("/api/shows/\(show.id)").status == 200)
            #expect(try await kid.get("/api/shows").status == 200)
        }
        // Pages: the admin's are refused with a page; the user's own tracker opens.
        let (cookie, _) = try await daemon.parts.sessions.create(userID: user.id)
        let headers: HTTPFields = [.cookie: "\(SessionManager.cookieName)=\(cookie.value)"]
        try await daemon.parts.buildApplication().test(.router) { http in
            for page in ["/settings/plex", "/settings/accounts", "/conflicts", "/activity", "/mappings", "/users", "/chain"] {
                try await http.execute(uri: page, method: .get, headers: headers) { #expect($0.status == .forbidden, "\(page)") }
            }
            try await http.execute(uri: "/shows/\(show.id)", method: .get, headers: headers) { response in
                let html = String(buffer: response.body)
                #expect(response.status == .ok && !html.contains("/settings/plex") && !html.contains("delete-show"))
            }
        }
    }

    @Test("with sync_accounts [\"*\"] and nothing else set, every account's scrobble is in the admin's tracker")
    func everyAccountIntoTheAdmin() async throws {
        let (daemon, show) = try await Self.daemon()
        try await daemon.updateSettings { $0.syncAccounts = ["*"] }
        try await daemon.live { admin, hooks in
            #expect(try await hooks.post(Self.scrobble(episode: 1, account: (1, "owner"), owner: true)) == 200)
            #expect(try await hooks.post(Self.scrobble(episode: 2, account: (5, "shared friend"), owner: false)) == 200)
            try await daemon.settle()
            let logs = try await daemon.store.webhookLogs(WebhookLogFilter()).items
            #expect(logs.allSatisfy { $0.status == .success })
            #expect(try await Self.watched(admin, show: show) == [1, 2])
            #expect(try await daemon.store.users().count == 1, "no invisible user made on the fly")
        }
    }

    @Test("moving an account: without move_watches past watches stay and are counted; with it they move, hand-set dates winning")
    func movingAnAccount() async throws {
        let (daemon, show) = try await Self.daemon()
        let kid = try await daemon.parts.users.create(name: "kid", password: Self.password, role: .user)
        try await daemon.live { admin, hooks in
            #expect(try await hooks.post(Self.scrobble(episode: 1, account: (2, "kid"), owner: false)) == 200)
            try await daemon.settle()
            #expect(try await admin.post("/api/plex/accounts/2", ["target": "user", "user_id": kid.id]).status == 200)
            for episode in [2, 3] {
                #expect(try await hooks.post(Self.scrobble(episode: episode, account: (2, "kid"), owner: false)) == 200)
            }
            try await daemon.settle()
            let kidAPI = try await Self.client(daemon, hooks.client, as: kid.id)
            #expect(try await Self.watched(kidAPI, show: show) == [2, 3])
            // The admin marked S01E2 by hand at a date of their own.
            let adminID = try #require(try await daemon.store.users().first(where: \.isAdmin)?.id)
            let handDate = Date(timeIntervalSince1970: 1_600_000_000)
            _ = try await daemon.store.markWatched(WatchRequest(
                userID: adminID, showID: show.id, seasonNumber: 1, episodeNumber: 2, watchedAt: handDate, setByHand: true))

            let stay = try await admin.post("/api/plex/accounts/2", ["target": "admin"])
            #expect(stay.json["moved_watches"] as? Int == 0 && stay.json["watches_staying"] as? Int == 2)
            #expect(try await Self.watched(kidAPI, show: show) == [2, 3])

            let move = try await admin.post("/api/plex/accounts/2", ["target": "admin", "move_watches": true])
            #expect(move.json["moved_watches"] as? Int == 2 && move.json["watches_staying"] as? Int == 0)
            #expect(try await Self.watched(kidAPI, show: show) == [])
            #expect(try await Self.watched(admin, show: show) == [2, 3])
            let detail = try #require(try await daemon.store.showDetail(id: show.id, userID: adminID))
            let episode2 = detail.seasons[0].episodes[1]
            #expect(episode2.setByHand && episode2.dateWatched == handDate)
            #expect(detail.totals.watchedEpisodes == 2 && detail.totals.minutesWatched == 14)
            #expect(try await daemon.store.totals(userID: kid.id, showID: show.id).watchedEpisodes == 0)
            #expect(try await admin.post("/api/plex/accounts/2", ["target": "none", "move_watches": true]).status == 422)

            // Deleting a user asks first, then takes their watches and sends their accounts back.
            #expect(try await admin.delete("/api/users/\(kid.id)").status == 422)
            #expect(try await admin.delete("/api/users/\(kid.id)?confirm=true").status == 200)
            #expect(try await admin.delete("/api/users/\(adminID)?confirm=true").status == 409)
        }
    }

    @Test("showmatch admin user create NAME makes a user who can log in")
    func createFromTheCommandLine() async throws {
        let binary = CrashRecoveryTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the showmatch product first")
        let database = ProjectPaths.temporaryDatabase()
        let made = try await ChildProcess.run(binary, ["admin", "user", "create", "kid", "--database", database])
        #expect(made.status == 0, "\(made.stderr)")
        let password = try #require(made.stdout.components(separatedBy: "password: ").last?
            .trimmingCharacters(in: .whitespacesAndNewlines))
        let store = try SQLiteStore(path: database)
        let user = try #require(try await store.user(name: "kid"))
        #expect(user.role == .user)
        #expect(try await PasswordHasher(cost: 4).verify(password, hash: user.passwordHash ?? ""))
        let again = try await ChildProcess.run(binary, ["admin", "user", "create", "kid", "--database", database])
        #expect(again.status != 0 && again.stderr.contains("a user called kid exists"))
    }
}
