import Foundation
import Hummingbird
import Storage

/// `GET /api/tokens` and `DELETE /api/tokens/{id}`: API tokens, listed without their secret
/// part, and revoked. The admin sees and revokes every token; another user only their own.
struct TokensController {
    let tokens: TokenService

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
            let visible = try await tokens.visible(to: try Self.caller(context))
            return List(items: visible.map { Item($0) }, total: visible.count)
        }
        group.delete(":id") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int64.self) else {
                throw APIError(.badRequest, "must be a token id", field: "id")
            }
            try await tokens.revoke(id: id, by: try Self.caller(context))
            return Response(status: .noContent)
        }
    }

    /// The signed-in user the request acts as.
    static func caller(_ context: AppRequestContext) throws -> Int64 {
        guard let userID = context.userID else { throw APIError(.unauthorized, "log in first") }
        return userID
    }
}
