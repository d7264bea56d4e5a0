import Foundation
import HTTPTypes
import Hummingbird

/// A fake plex.tv and Plex Media Server in one, over real HTTP on 127.0.0.1, checking
/// `X-Plex-Token` (except where plex.tv needs none: the sign-in PINs).
///
/// plex.tv: `/api/v2/user`, `/api/v2/pins` (`POST`, then `GET /api/v2/pins/{id}`, linked by
/// ``linkPIN(_:)`` as a person signing in would), `/api/v2/resources`.
/// The server: `/identity`, `/library/sections`, `/library/sections/{key}/all?type=2` and
/// `/status/sessions/history/all?sort=viewedAt:asc` paged by `X-Plex-Container-Start`/`-Size`
/// (with `totalSize`; the history filtered by `viewedAt>=`), `/library/metadata/{ratingKey}`
/// and its `/allLeaves`, `/accounts`.
public final class FakePlex: Sendable {
    /// A show the fake server holds.
    public struct Show: Sendable {
        public var ratingKey: String
        public var title: String
        public var year: Int?
        public var guid: String
        public var guids: [String]
        /// What `/library/metadata/{ratingKey}/allLeaves` lists.
        public var episodes: [Episode]
        /// The library section it is in.
        public var section: String

        public init(ratingKey: String, title: String, year: Int? = nil, guid: String, guids: [String],
                    episodes: [Episode] = [], section: String = "1") {
            self.ratingKey = ratingKey
            self.title = title
            self.year = year
            self.guid = guid
            self.guids = guids
            self.episodes = episodes
            self.section = section
        }
    }

    /// An episode of a fake show.
    public struct Episode: Sendable {
        public var season: Int
        public var number: Int
        public var title: String
        public var airDate: String
        public var durationMs: Int

        public init(season: Int, number: Int, title: String, airDate: String, durationMs: Int) {
            self.season = season
            self.number = number
            self.title = title
            self.airDate = airDate
            self.durationMs = durationMs
        }
    }

    /// A library section (`type` `show`, `movie`, `artist`...).
    public struct Section: Sendable {
        public var key: String
        public var title: String
        public var type: String

        public init(key: String, title: String, type: String) {
            self.key = key
            self.title = title
            self.type = type
        }
    }

    /// One entry of the watch history.
    public struct HistoryEntry: Sendable {
        public var historyKey: String
        /// `episode`, `movie`, `track`...
        public var type: String
        public var ratingKey: String
        public var showRatingKey: String?
        public var showTitle: String?
        public var title: String
        public var season: Int?
        public var episode: Int?
        public var viewedAt: Int
        public var accountID: Int

        public init(historyKey: String, type: String = "episode", ratingKey: String, showRatingKey: String?,
                    showTitle: String?, title: String, season: Int?, episode: Int?, viewedAt: Int, accountID: Int) {
            self.historyKey = historyKey
            self.type = type
            self.ratingKey = ratingKey
            self.showRatingKey = showRatingKey
            self.showTitle = showTitle
            self.title = title
            self.season = season
            self.episode = episode
            self.viewedAt = viewedAt
            self.accountID = accountID
        }
    }

    /// A server account (`/accounts`): the history's `accountID`s by name.
    public struct Account: Sendable {
        public var id: Int
        public var name: String

        public init(id: Int, name: String) {
            self.id = id
            self.name = name
        }
    }

    /// A server of the account on plex.tv, with its connections; `nil` uri means this fake.
    public struct Resource: Sendable {
        public var name: String
        public var clientIdentifier: String
        public var owned: Bool
        public var connections: [(uri: String?, local: Bool, relay: Bool)]

        public init(name: String, clientIdentifier: String, owned: Bool = true,
                    connections: [(uri: String?, local: Bool, relay: Bool)]) {
            self.name = name
            self.clientIdentifier = clientIdentifier
            self.owned = owned
            self.connections = connections
        }
    }

    /// Everything the fake server holds.
    public struct Library: Sendable {
        public var sections: [Section]
        public var shows: [Show]
        public var history: [HistoryEntry]
        public var accounts: [Account]

        public init(sections: [Section] = [Section(key: "1", title: "TV Shows", type: "show")], shows: [Show] = [],
                    history: [HistoryEntry] = [], accounts: [Account] = [Account(id: 1, name: "owner")]) {
            self.sections = sections
            self.shows = shows
            self.history = history
            self.accounts = accounts
        }
    }

    public static let machineIdentifier = "fake-server-uuid"

    public let token: String
    public let faults: FaultScript
    public let server: FakeServer
    private let state: State
    public var baseURL: String { server.baseURL }

    private init(token: String, faults: FaultScript, server: FakeServer, state: State) {
        self.token = token
        self.faults = faults
        self.server = server
        self.state = state
    }

    /// Starts a fake that accepts only `token`, for the account `accountName` (id 1).
    public static func start(token: String = "plex-token-secret", accountName: String = "owner",
                             shows: [Show] = []) async throws -> FakePlex {
        try await start(token: token, accountName: accountName, library: Library(shows: shows))
    }

    /// Starts a fake serving `library`; `resources` are the account's servers on plex.tv (by
    /// default this fake alone, at its own address).
    public static func start(token: String = "plex-token-secret", accountName: String = "owner", library: Library,
                             resources: [Resource]? = nil) async throws -> FakePlex {
        let faults = FaultScript()
        let state = State()
        let router = Router()
        router.add(middleware: FaultMiddleware(script: faults))
        router.add(middleware: Latency(state: state))
        router.add(middleware: TokenCheck(token: token))
        router.get("api/v2/user") { _, _ -> Response in
            JSONResponse.make(object: ["id": 1, "uuid": "owner-uuid", "username": accountName, "title": accountName])
        }
        router.post("api/v2/pins") { request, _ -> Response in
            guard request.headers[HTTPField.Name("X-Plex-Client-Identifier")!] != nil else {
                return JSONResponse.make(#"{"errors": [{"code": 1000, "message": "X-Plex-Client-Identifier is missing"}]}"#,
                                         status: .badRequest)
            }
            let pin = await state.newPIN()
            return JSONResponse.make(object: pin.json, status: .created)
        }
        router.get("api/v2/pins/:id") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int.self), let pin = await state.pin(id) else {
                return JSONResponse.make(#"{"errors": [{"code": 1020, "message": "Not Found"}]}"#, status: .notFound)
            }
            return JSONResponse.make(object: pin.json)
        }
        let holder = ServerAddress()
        router.get("api/v2/resources") { _, _ -> Response in
            let own = await holder.value ?? ""
            let list = resources ?? [Resource(name: "Fake Server", clientIdentifier: machineIdentifier,
                                              connections: [(uri: nil, local: true, relay: false)])]
            return JSONResponse.make(object: list.map { resource in
                [
                    "name": resource.name, "clientIdentifier": resource.clientIdentifier, "provides": "server",
                    "owned": resource.owned, "product": "Plex Media Server",
                    "connections": resource.connections.map {
                        ["uri": $0.uri ?? own, "local": $0.local, "relay": $0.relay, "protocol": "http"] as [String: Any]
                    },
                ] as [String: Any]
            })
        }
        router.get("identity") { _, _ -> Response in
            JSONResponse.make(object: ["MediaContainer": ["size": 0, "machineIdentifier": machineIdentifier,
                                                          "version": "1.40.0"]])
        }
        router.get("library/sections") { _, _ -> Response in
            JSONResponse.make(object: ["MediaContainer": [
                "size": library.sections.count,
                "Directory": library.sections.map { ["key": $0.key, "title": $0.title, "type": $0.type] },
            ]])
        }
        let showsBySection = Dictionary(grouping: library.shows, by: \.section)
        router.get("library/sections/:key/all") { request, context -> Response in
            guard let key = context.parameters.get("key"),
                  library.sections.contains(where: { $0.key == key })
            else { return JSONResponse.make("", status: .notFound) }
            let includeGuids = request.uri.queryParameters["includeGuids"] == "1"
            let all = (showsBySection[key] ?? []).sorted { ($0.title, $0.ratingKey) < ($1.title, $1.ratingKey) }
            let (start, size) = Self.paging(request, count: all.count)
            let items: [[String: Any]] = all.dropFirst(start).prefix(size).map { show in
                var item: [String: Any] = ["ratingKey": show.ratingKey, "type": "show", "title": show.title,
                                           "guid": show.guid, "key": "/library/metadata/\(show.ratingKey)/children"]
                if let year = show.year { item["year"] = year }
                if includeGuids && !show.guids.isEmpty { item["Guid"] = show.guids.map { ["id": $0] } }
                return item
            }
            return JSONResponse.make(object: ["MediaContainer": [
                "size": items.count, "totalSize": all.count, "offset": start, "Metadata": items,
            ] as [String: Any]])
        }
        let byKey = Dictionary(library.shows.map { ($0.ratingKey, $0) }, uniquingKeysWith: { first, _ in first })
        router.get("library/metadata/:key") { _, context -> Response in
            guard let key = context.parameters.get("key"), let show = byKey[key] else {
                return JSONResponse.make("", status: .notFound)
            }
            var item: [String: Any] = [
                "ratingKey": show.ratingKey, "type": "show", "title": show.title, "guid": show.guid,
                "Guid": show.guids.map { ["id": $0] },
            ]
            if let year = show.year { item["year"] = year }
            return JSONResponse.make(object: ["MediaContainer": ["size": 1, "Metadata": [item]]])
        }
        router.get("library/metadata/:key/allLeaves") { _, context -> Response in
            guard let key = context.parameters.get("key"), let show = byKey[key] else {
                return JSONResponse.make("", status: .notFound)
            }
            let leaves: [[String: Any]] = show.episodes.map {
                ["type": "episode", "parentIndex": $0.season, "index": $0.number, "title": $0.title,
                 "originallyAvailableAt": $0.airDate, "duration": $0.durationMs, "grandparentTitle": show.title]
            }
            return JSONResponse.make(object: ["MediaContainer": ["size": leaves.count, "Metadata": leaves]])
        }
        let history = library.history.sorted { ($0.viewedAt, $0.historyKey) < ($1.viewedAt, $1.historyKey) }
        router.get("status/sessions/history/all") { request, _ -> Response in
            let query = request.uri.queryParameters
            let since = (query["viewedAt%3E"] ?? query["viewedAt>"]).flatMap { Int(String($0)) }
            let matching = since.map { since in history.filter { $0.viewedAt >= since } } ?? history
            let (start, size) = Self.paging(request, count: matching.count)
            let items: [[String: Any]] = matching.dropFirst(start).prefix(size).map { entry in
                var item: [String: Any] = [
                    "historyKey": "/status/sessions/history/\(entry.historyKey)", "key": "/library/metadata/\(entry.ratingKey)",
                    "ratingKey": entry.ratingKey, "title": entry.title, "type": entry.type,
                    "viewedAt": entry.viewedAt, "accountID": entry.accountID, "deviceID": 1,
                ]
                if let show = entry.showRatingKey { item["grandparentKey"] = "/library/metadata/\(show)" }
                if let title = entry.showTitle { item["grandparentTitle"] = title }
                if let season = entry.season { item["parentIndex"] = season }
                if let episode = entry.episode { item["index"] = episode }
                return item
            }
            return JSONResponse.make(object: ["MediaContainer": [
                "size": items.count, "totalSize": matching.count, "Metadata": items,
            ] as [String: Any]])
        }
        router.get("accounts") { _, _ -> Response in
            JSONResponse.make(object: ["MediaContainer": [
                "size": library.accounts.count,
                "Account": library.accounts.map { ["id": $0.id, "key": "/accounts/\($0.id)", "name": $0.name] },
            ] as [String: Any]])
        }
        let server = try await FakeServer.start(router: router, name: "plex")
        await holder.set(server.baseURL)
        return FakePlex(token: token, faults: faults, server: server, state: state)
    }

    public func stop() async { await server.stop() }

    // MARK: - Sign-in

    /// The person signed in at plex.tv with this PIN's code: the PIN now carries the token.
    public func linkPIN(_ id: Int) async { await state.link(id, token: token) }

    /// The PIN is gone from plex.tv (it expired).
    public func expirePIN(_ id: Int) async { await state.expire(id) }

    /// The PIN with this code, as a sign-in page would look it up.
    public func pinID(code: String) async -> Int? { await state.pinID(code: code) }

    // MARK: - Pace

    /// Every request whose path starts with `pathPrefix` waits `seconds` before it is answered.
    public func setLatency(_ seconds: Double, forPathPrefix pathPrefix: String) async {
        await state.setLatency(seconds, forPathPrefix: pathPrefix)
    }

    private static func paging(_ request: Request, count: Int) -> (start: Int, size: Int) {
        func value(_ name: String) -> Int? {
            if let field = HTTPField.Name(name), let text = request.headers[field], let number = Int(text) {
                return number
            }
            return request.uri.queryParameters[Substring(name)].flatMap { Int(String($0)) }
        }
        return (max(0, value("X-Plex-Container-Start") ?? 0), max(0, value("X-Plex-Container-Size") ?? count))
    }

    private actor ServerAddress {
        var value: String?
        func set(_ value: String) { self.value = value }
    }

    /// PINs and latencies, shared by the routes.
    private actor State {
        struct PIN {
            var id: Int
            var code: String
            var expiresAt: Date
            var authToken: String?

            var json: [String: Any] {
                var object: [String: Any] = [
                    "id": id, "code": code, "product": "Showmatch", "trusted": false, "clientIdentifier": "showmatch",
                    "expiresIn": max(0, Int(expiresAt.timeIntervalSinceNow)),
                    "expiresAt": ISO8601DateFormatter().string(from: expiresAt),
                ]
                object["authToken"] = authToken ?? NSNull()
                return object
            }
        }

        private var pins: [Int: PIN] = [:]
        private var nextPIN = 7000
        private var latencies: [String: Double] = [:]

        func newPIN() -> PIN {
            nextPIN += 1
            let pin = PIN(id: nextPIN, code: "code\(nextPIN)", expiresAt: Date().addingTimeInterval(900))
            pins[pin.id] = pin
            return pin
        }

        func pin(_ id: Int) -> PIN? { pins[id] }
        func pinID(code: String) -> Int? { pins.values.first { $0.code == code }?.id }
        func link(_ id: Int, token: String) { pins[id]?.authToken = token }
        func expire(_ id: Int) { pins[id] = nil }
        func setLatency(_ seconds: Double, forPathPrefix prefix: String) { latencies[prefix] = seconds }

        func latency(for path: String) -> Double {
            latencies.filter { path.hasPrefix($0.key) }.map(\.value).max() ?? 0
        }
    }

    private struct Latency<Context: RequestContext>: RouterMiddleware {
        let state: State

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
            async throws -> Response
        {
            let seconds = await state.latency(for: request.uri.path)
            if seconds > 0 { try await Task.sleep(for: .seconds(seconds)) }
            return try await next(request, context)
        }
    }

    private struct TokenCheck<Context: RequestContext>: RouterMiddleware {
        let token: String

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
            async throws -> Response
        {
            // plex.tv hands out sign-in PINs to apps that have no token yet.
            if request.uri.path.hasPrefix("/api/v2/pins") { return try await next(request, context) }
            guard let name = HTTPField.Name("X-Plex-Token"), request.headers[name] == token else {
                return JSONResponse.make(#"{"errors": [{"code": 1001, "message": "User could not be authenticated"}]}"#,
                                         status: .unauthorized)
            }
            return try await next(request, context)
        }
    }
}
