import Foundation
import Hummingbird

/// `POST /api/plex/auth/pin`, `GET /api/plex/auth/pin/{id}` (Sign in with Plex),
/// `GET /api/plex/servers` and `POST /api/plex/servers/select` (the server picker).
struct PlexAuthController {
    let signIn: PlexSignInService
    let servers: PlexServerService

    struct SelectRequest: Decodable, Sendable {
        var clientIdentifier: String
        var uri: String?
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("auth/pin") { _, _ -> EditedResponse<PlexSignInService.PINView> in
            EditedResponse(status: .created, response: try await PlexEdge.call { try await signIn.start() })
        }
        group.get("auth/pin/:id") { _, context -> PlexSignInService.StatusView in
            guard let text = context.parameters.get("id"), let id = Int(text), id > 0 else {
                throw APIError(.notFound, "no such sign-in")
            }
            return try await PlexEdge.call { try await signIn.status(id: id) }
        }
        group.get("servers") { _, _ -> ListResponse<PlexServerService.ServerView> in
            let list = try await PlexEdge.call { try await servers.servers() }
            return ListResponse(items: list, total: list.count)
        }
        group.post("servers/select") { request, context -> PlexServerService.Selection in
            let body = try await request.decodeJSON(SelectRequest.self, context: context)
            guard !body.clientIdentifier.isEmpty, body.clientIdentifier.count <= 200 else {
                throw APIError(.badRequest, "must be a server's client identifier", field: "client_identifier")
            }
            if let uri = body.uri, uri.isEmpty || uri.count > 2000 {
                throw APIError(.badRequest, "must be one of the server's connection URIs", field: "uri")
            }
            return try await PlexEdge.call { try await servers.select(clientIdentifier: body.clientIdentifier, uri: body.uri) }
        }
    }
}

/// The edge of the routes that need plex.tv or the Plex server.
enum PlexEdge {
    /// 424 Failed Dependency: the request was fine, but plex.tv or the Plex server could not be
    /// asked (or refused); a 4xx, not a 5xx, since nothing is wrong with Showmatch itself.
    static let failedDependency = HTTPResponse.Status(code: 424, reasonPhrase: "Failed Dependency")

    static func call<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ServiceError where error.kind == .upstream {
            throw APIError(failedDependency, error.message, field: error.field)
        }
    }
}

extension PlexSignInService.PINView: ResponseEncodable {}
extension PlexSignInService.StatusView: ResponseEncodable {}
extension PlexServerService.ServerView: ResponseEncodable {}
extension PlexServerService.Selection: ResponseEncodable {}
