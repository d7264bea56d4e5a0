import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport

@testable import Host

@Suite("management API")
struct ManagementAPITests {
    static let encryptionKey = String(repeating: "5e", count: 32)

    /// Routes anyone may call.
    static func isPublic(_ path: String) -> Bool {
        path == "/healthz" || path.hasPrefix("/api/plex/webhook") || path == "/api/auth/login"
            || path == "/login" || path.hasPrefix("/static")
    }

    /// `/api/x/:id` → `/api/x/1`, to call a route.
    static func concrete(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(":") ? "1" : ($0 == "*" || $0 == "**" ? "app.css" : String($0)) }
            .joined(separator: "/")
    }

    @Test("every route but the webhook, /healthz, login and static assets refuses anonymous requests")
    func everyRouteNeedsAuth() async throws {
        let daemon = try await TestDaemon.make()
        let router = daemon.parts.buildRouter()
        let routes = router.routes.map { ("\($0.path)", $0.method) }
        #expect(routes.count >= 20)
        try await Application(router: router).test(.router) { client in
            for (path, method) in routes where !Self.isPublic(path) {
                try await client.execute(uri: Self.concrete(path), method: method) { response in
                    if path.hasPrefix("/api") || path == "/metrics" {
                        #expect(response.status == .unauthorized, "\(method) \(path)")
                    } else {
                        // Pages send a logged-out visitor to the login page.
                        #expect(response.status == .seeOther || response.status == .unauthorized, "\(method) \(path)")
                    }
                }
            }
            // A wrong token is refused too.
            try await client.execute(uri: "/api/shows", method: .get, headers: [.authorization: "Bearer nope"]) {
                #expect($0.status == .unauthorized)
            }
        }
    }

    @Test("the OpenAPI document lists exactly the API routes, and is served")
    func openAPIMatchesRouter() async throws {
        let daemon = try await TestDaemon.make()
        let router = daemon.parts.buildRouter()
        let served = Set(router.routes.compactMap { route -> String? in
            let path = "\(route.path)"
            guard path.hasPrefix("/api") || path == "/healthz" || path == "/metrics" else { return nil }
            let openAPIPath = path.split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            return "\(route.method.rawValue.lowercased()) \(openAPIPath)"
        })
        let document = try String(contentsOf: ProjectPaths.root.appendingPathComponent("docs/openapi.yaml"),
                                  encoding: .utf8)
        let documented = Set(OpenAPIPaths.operations(in: document))
        #expect(served.subtracting(documented).isEmpty, "undocumented: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "documented but missing: \(documented.subtracting(served).sorted())")
        let token = try await daemon.apiToken()
        try await daemon.parts.buildApplication().test(.router) { client in
            let reply = try await APIClient(client, token: token).get("/api/openapi.yaml")
            #expect(reply.status == 200 && reply.body == document)
        }
    }

    @Test("a saved Plex token never shows up in a response, the log or the database file")
    func tokenNeverLeaks() async throws {
        let plex = try await FakePlex.start(token: "PLEXTOKEN-s3cr3t-abc123", accountName: "ann")
        let capture = CapturedLog()
        let path = ProjectPaths.temporaryDatabase()
        let daemon = try await TestDaemon.make(store: try SQLiteStore(path: path), logger: capture.logger()) {
            $0.encryptionKey = Self.encryptionKey
            $0.plexTVBase = plex.baseURL
            $0.plexServerURL = plex.baseURL
        }
        let token = try await daemon.apiToken()
        let bodies = try await daemon.parts.buildApplication().test(.router) { client -> [String] in
            var bodies: [String] = []
            let api = APIClient(client, token: token)
            let saved = try await api.post("/api/plex/config", ["plex_token": plex.token, "auto_add_shows": true])
            #expect(saved.status == 200, "\(saved.body)")
            #expect(saved.json["plex_token_set"] as? Bool == true && saved.json["plex_account_name"] as? String == "ann")
            bodies.append(saved.body)
            let wrong = try await api.post("/api/plex/config", ["plex_token": "wrong-token"])
            #expect(wrong.status == 422 && wrong.json["field"] as? String == "plex_token")
            bodies.append(wrong.body)
            for uri in ["/api/plex/config", "/api/plex/mappings", "/api/plex/conflicts", "/api/plex/logs", "/api/shows",
                        "/metrics", "/api/auth/me", "/api/match/explain?title=Bluey"] {
                let reply = try await api.get(uri)
                #expect(reply.status == 200, "\(uri)")
                bodies.append(reply.body)
            }
            return bodies
        }
        // A webhook processed with the token (it asks the fake server) logs nothing of it either.
        try await daemon.post([PlexBody.scrobble(show: "Bluey", season: 1, episode: 1)])
        let secretBytes = Data(plex.token.utf8)
        for body in bodies { #expect(!body.contains(plex.token)) }
        #expect(!capture.text.isEmpty, "the capture sees the daemon's log")
        #expect(!capture.text.contains(plex.token))
        #expect(!capture.text.contains(TestDaemon.secret))
        for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect(bytes.range(of: secretBytes) == nil, "\(file) holds the token")
        }
        // It is really stored, sealed.
        let config = try #require(try await daemon.store.plexConfig())
        let sealed = try #require(config.plexTokenEncrypted)
        #expect(try TokenSealer(hexKey: Self.encryptionKey).open(sealed) == plex.token)
        await plex.stop()
    }

    @Test("without ENCRYPTION_KEY a token is refused with the reason; rotation keeps the old secret for a while")
    func configRules() async throws {
        let plex = try await FakePlex.start()
        let daemon = try await TestDaemon.make { $0.plexTVBase = plex.baseURL }
        let token = try await daemon.apiToken()
        try await daemon.parts.buildApplication().test(.router) { client in
            let api = APIClient(client, token: token)
            let refused = try await api.post("/api/plex/config", ["plex_token": plex.token])
            #expect(refused.status == 409 && refused.json["error"].map { "\($0)" }?.contains("ENCRYPTION_KEY") == true)
            let bad = try await api.post("/api/plex/config", ["auto_add_shows": "yes"])
            #expect(bad.status == 400 && bad.json["field"] as? String == "auto_add_shows")
            let badURL = try await api.post("/api/plex/config", ["server_url": "ftp://x"])
            #expect(badURL.status == 422 && badURL.json["field"] as? String == "server_url")
            let before = try await api.get("/api/plex/config").json["webhook_url"] as? String
            #expect(before?.contains(TestDaemon.secret) == true)
            let rotated = try await api.post("/api/plex/config/rotate-secret")
            #expect(rotated.status == 200 && rotated.json["previous_secret_valid_until"] != nil)
            #expect((rotated.json["webhook_url"] as? String)?.contains(TestDaemon.secret) == false)
        }
        #expect(await daemon.parts.settings.accepts(TestDaemon.secret))
        #expect(await daemon.parts.settings.accepts(TestDaemon.secret, now: Date().addingTimeInterval(3700)) == false)
        let newSecret = try #require(await daemon.parts.settings.current?.webhookSecret)
        #expect(await daemon.parts.settings.accepts(newSecret) && newSecret.count >= 43)
        await plex.stop()
    }

    @Test("config routes allow 10 requests a minute per client")
    func configRateLimit() async throws {
        let daemon = try await TestDaemon.make()
        let token = try await daemon.apiToken()
        try await daemon.parts.buildApplication().test(.router) { client in
            let api = APIClient(client, token: token)
            for _ in 0..<10 { #expect(try await api.get("/api/plex/config").status == 200) }
            let limited = try await api.get("/api/plex/config")
            #expect(limited.status == 429 && limited.headers[.retryAfter] != nil)
            #expect(try await api.get("/api/shows").status == 200)
        }
    }

    @Test("login sets an HttpOnly SameSite=Strict cookie; cookie writes need the CSRF token; logins are throttled")
    func sessions() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.parts.buildApplication().test(.router) { client in
            let anonymous = APIClient(client, token: "")
            var noAuth = anonymous
            noAuth.headers = [:]
            let wrong = try await noAuth.post("/api/auth/login", ["username": "admin", "password": "nope"])
            #expect(wrong.status == 401)
            let login = try await noAuth.post("/api/auth/login",
                                              ["username": "admin", "password": TestDaemon.adminPassword])
            #expect(login.status == 200)
            let setCookie = try #require(login.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
            let cookie = String(setCookie.split(separator: ";")[0])
            let csrf = try #require(login.json["csrf_token"] as? String)
            var session = noAuth
            session.headers = [.cookie: cookie]
            #expect(try await session.get("/api/auth/me").json["username"] as? String == "admin")
            let show = try await daemon.store.upsertShow(ShowInput(
                key: "s", title: "S", seasons: [SeasonInput(number: 1, episodes: [EpisodeInput(number: 1)])]))
            let episode = try #require(try await daemon.store.showDetail(id: show.id, userID: 1)?.seasons[0].episodes[0])
            let uri = "/api/shows/\(show.id)/episodes/\(episode.id)/watched"
            #expect(try await session.post(uri).status == 403)
            let marked = try await session.send(.post, uri, json: [String: Any](),
                                                extra: [HTTPField.Name("X-CSRF-Token")!: csrf])
            #expect(marked.status == 200 && marked.json["watched_episodes"] as? Int == 1)
            #expect(try await session.send(.post, "/api/auth/logout", extra: [HTTPField.Name("X-CSRF-Token")!: csrf]).status == 204)
            #expect(try await session.get("/api/auth/me").status == 401)
            var statuses: [Int] = []
            for _ in 0..<12 {
                statuses.append(try await noAuth.post("/api/auth/login", ["username": "admin", "password": "x"]).status)
            }
            #expect(statuses.contains(429))
            // The login page counts against the same budget.
            let page = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "username=admin&password=x"))
            #expect(page.status == .tooManyRequests)
        }
    }

    @Test("SQL-injection strings in string parameters are data, never SQL")
    func sqlInjection() async throws {
        let daemon = try await TestDaemon.make(store: try SQLiteStore(path: ProjectPaths.temporaryDatabase()))
        let token = try await daemon.apiToken()
        let evil = ["'; DROP TABLE shows; --", "\" OR 1=1 --", "x') UNION SELECT password_hash FROM users --",
                    "%' OR '%'='", "Robert'); DELETE FROM plex_webhook_logs;--"]
        try await daemon.addShows(evil.enumerated().map { ShowInput(key: "evil-\($0.offset)", title: $0.element) })
        try await daemon.parts.buildApplication().test(.router) { client in
            let api = APIClient(client, token: token)
            for text in evil {
                let encoded = text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let search = try await api.get("/api/shows?search=\(encoded)")
                #expect(search.status == 200)
                #expect(search.items.compactMap { $0["title"] as? String }.contains(text), "\(text)")
                #expect(try await api.get("/api/plex/logs?status=\(encoded)").status == 400)
                #expect(try await api.get("/api/plex/mappings?status=\(encoded)").status == 400)
                #expect(try await api.get("/api/match/explain?title=\(encoded)").status == 200)
                let resolve = try await api.post("/api/plex/conflicts/resolve",
                                                  ["items": [["id": 1, "action": "select", "show_id": text]]])
                #expect(resolve.status == 200)
                let config = try await api.post("/api/plex/config", ["sync_accounts": [text]])
                #expect(config.status == 200 || config.status == 429)
            }
        }
        #expect(try await daemon.store.shows(search: nil, limit: 10, offset: 0).total == evil.count)
        #expect(try await daemon.store.users().count == 1)
    }

    @Test("mappings, conflicts, logs and shows over the API")
    func managementFlow() async throws {
        let daemon = try await TestDaemon.make()
        try await daemon.addShows([
            ShowInput(key: "magicians-2015", title: "The Magicians", year: 2015, tmdbID: 64432),
            ShowInput(key: "magicians-2016", title: "The Magicians", year: 2016, tmdbID: 66732),
        ])
        try await daemon.post([PlexBody.scrobble(show: "The Magicians", showGuid: "plex://show/m", season: 1, episode: 2)])
        let token = try await daemon.apiToken()
        try await daemon.parts.buildApplication().test(.router) { client in
            let api = APIClient(client, token: token)
            let conflicts = try await api.get("/api/plex/conflicts")
            #expect(conflicts.json["total"] as? Int == 1)
            let conflict = try #require(conflicts.items.first)
            let candidates = try #require(conflict["candidates"] as? [[String: Any]])
            #expect(candidates.count == 2 && candidates[0]["evidence"] != nil)
            let id = try #require(conflict["id"] as? Int)
            #expect(try await api.post("/api/plex/conflicts/\(id)/resolve", ["action": "select"]).status == 422)
            #expect(try await api.post("/api/plex/conflicts/\(id)/resolve", ["action": "maybe"]).status == 400)
            #expect(try await api.post("/api/plex/conflicts/999/resolve", ["action": "ignore"]).status == 404)
            let resolved = try await api.post("/api/plex/conflicts/\(id)/resolve",
                                              ["action": "select", "show_id": "magicians-2016"])
            #expect(resolved.status == 200 && resolved.json["status"] as? String == "resolved")
            try await daemon.settle()
            let logs = try await api.get("/api/plex/logs?limit=50")
            #expect(logs.items.first?["status"] as? String == "success")
            let logID = try #require(logs.items.first?["id"] as? Int)
            let detail = try await api.get("/api/plex/logs/\(logID)")
            #expect((detail.json["raw_payload"] as? String)?.contains("The Magicians") == true)
            #expect(try await api.get("/api/plex/logs?limit=0").status == 400)
            #expect(try await api.get("/api/plex/logs/abc").status == 404)

            let mappings = try await api.get("/api/plex/mappings")
            let mapping = try #require(mappings.items.first)
            #expect(mapping["show_title"] as? String == "The Magicians" && mapping["method"] as? String == "manual")
            let mappingID = try #require(mapping["id"] as? Int)
            #expect(try await api.get("/api/plex/mappings?unmapped=true").json["total"] as? Int == 0)
            let disabled = try await api.delete("/api/plex/mappings/\(mappingID)")
            #expect(disabled.json["sync_enabled"] as? Bool == false)
            let remapped = try await api.post("/api/plex/mappings/\(mappingID)",
                                              ["show_id": "magicians-2015", "sync_enabled": true])
            #expect(remapped.json["show_title"] as? String == "The Magicians" && remapped.json["sync_enabled"] as? Bool == true)

            let shows = try await api.get("/api/shows?search=magic")
            #expect(shows.json["total"] as? Int == 2)
            let showID = try #require(shows.items.first { $0["key"] as? String == "magicians-2016" }?["id"] as? Int)
            let detailShow = try await api.get("/api/shows/\(showID)")
            #expect(detailShow.json["watched_episodes"] as? Int == 1)
            let seasons = try #require(detailShow.json["seasons"] as? [[String: Any]])
            let episode = try #require((seasons.first?["episodes"] as? [[String: Any]])?.first)
            #expect(episode["watched"] as? Bool == true && episode["date_watched"] != nil)
            #expect(try await api.get("/api/shows/424242").status == 404)

            let explain = try await api.get("/api/match/explain?title=The%20Magicians&year=2016")
            #expect(explain.json["outcome"] as? String == "auto_mapped" && explain.json["show_id"] as? String == "magicians-2016")
            #expect(try await api.get("/api/match/explain").status == 400)
            #expect(try await api.get("/api/match/explain?title=x&year=abc").status == 400)
        }
    }
}

/// The `method path` pairs an OpenAPI document declares, read without a YAML library.
enum OpenAPIPaths {
    static func operations(in yaml: String) -> [String] {
        var operations: [String] = []
        var inPaths = false
        var currentPath: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("paths:") { inPaths = true; continue }
            if inPaths, !line.hasPrefix(" "), !line.isEmpty { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if let path = currentPath, line.hasPrefix("    "), !line.hasPrefix("     ") {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "delete", "patch"].contains(String(key)) {
                    operations.append("\(key) \(path)")
                }
            }
        }
        return operations
    }
}
