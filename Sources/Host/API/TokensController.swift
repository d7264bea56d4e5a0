import Foundation
import Hummingbird
import Storage

/// `GET /api/tokens` and `DELETE /api/tokens/{id}`: API tokens, listed without their secret
/// part, and revoked. The admin sees and revokes every token; another user only their own.
struct TokensController {
    let store: any Store

    struct Item: Encodable, Sendable {
        var id: Int64
        var name: String
        var userId: Int64?
        var createdAt: Date
        var lastUsedAt: Date?
        var expiresAt: Date?
        var expired: Bool

        init(_ token: APITokenInfo, now: Date = Date()) {
            id = token.id
            name = token.name
            userId = token.userID
            createdAt = token.createdAt
            lastUsedAt = token.lastUsedAt
            expiresAt = token.expiresAt
            expired = token.isExpired(at: now)
        }
    }

    struct List: ResponseEncodable, Sendable {
        var items: [Item]
        var total: Int
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get { _, context -> List in
            let tokens = try await visibleTokens(context)
            return List(items: tokens.map { Item($0) }, total: tokens.count)
        }
        group.delete(":id") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self) else {
                throw APIError(.badRequest, "must be a token id", field: "id")
            }
            guard try await visibleTokens(context).contains(where: { $0.id == id }),
                  try await store.deleteAPIToken(id: id)
            else { throw APIError(.notFound, "no such token", field: "id") }
            return Response(status: .noContent)
        }
    }

    /// The tokens the caller may see: all for the admin (and tokens acting as the admin), else their own.
    func visibleTokens(_ context: AppRequestContext) async throws -> [APITokenInfo] {
        guard let userID = context.userID, let user = try await store.user(id: userID) else {
            throw APIError(.unauthorized, "log in first")
        }
        return try await store.apiTokens(userID: user.isAdmin ? nil : userID)
    }
}
