import Foundation
import HTTPTypes
import Hummingbird

/// A fake plex.tv and Plex Media Server in one: `/api/v2/user`, `/api/v2/resources` and
/// `/library/metadata/{ratingKey}` over real HTTP, checking `X-Plex-Token`.
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

        public init(ratingKey: String, title: String, year: Int? = nil, guid: String, guids: [String],
                    episodes: [Episode] = []) {
            self.ratingKey = ratingKey
            self.title = title
            self.year = year
            self.guid = guid
            self.guids = guids
            self.episodes = episodes
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

    public let token: String
    public let faults: FaultScript
    public let server: FakeServer
    public var baseURL: String { server.baseURL }

    private init(token: String, faults: FaultScript, server: FakeServer) {
        self.token = token
        self.faults = faults
        self.server = server
    }

    /// Starts a fake that accepts only `token`, for the account `accountName` (id 1).
    public static func start(token: String = "plex-token-secret", accountName: String = "owner",
                             shows: [Show] = []) async throws -> FakePlex {
        let faults = FaultScript()
        let router = Router()
        router.add(middleware: FaultMiddleware(script: faults))
        router.add(middleware: TokenCheck(token: token))
        router.get("api/v2/user") { _, _ -> Response in
            JSONResponse.make(object: ["id": 1, "uuid": "owner-uuid", "username": accountName, "title": accountName])
        }
        let holder = ServerAddress()
        router.get("api/v2/resources") { _, _ -> Response in
            let uri = await holder.value ?? ""
            return JSONResponse.make(object: [[
                "name": "Fake Server", "clientIdentifier": "fake-server-uuid", "provides": "server",
                "connections": [["uri": uri, "local": true]],
            ] as [String: Any]])
        }
        let byKey = Dictionary(shows.map { ($0.ratingKey, $0) }, uniquingKeysWith: { first, _ in first })
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
        let server = try await FakeServer.start(router: router, name: "plex")
        await holder.set(server.baseURL)
        return FakePlex(token: token, faults: faults, server: server)
    }

    public func stop() async { await server.stop() }

    private actor ServerAddress {
        var value: String?
        func set(_ value: String) { self.value = value }
    }

    private struct TokenCheck<Context: RequestContext>: RouterMiddleware {
        let token: String

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
            async throws -> Response
        {
            guard let name = HTTPField.Name("X-Plex-Token"), request.headers[name] == token else {
                return JSONResponse.make(#"{"errors": [{"code": 1001, "message": "User could not be authenticated"}]}"#,
                                         status: .unauthorized)
            }
            return try await next(request, context)
        }
    }
}
