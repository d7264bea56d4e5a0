import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// Lets a request through only with a valid API token (`Authorization: Bearer`) or session
/// cookie; a cookie request that changes something must also carry the session's CSRF token
/// (`X-CSRF-Token` header, or `_csrf` in a form body).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    /// What an anonymous request gets.
    enum Refusal: Sendable {
        case unauthorized
        case redirectToLogin
    }

    let store: any Store
    let sessions: SessionManager
    var refusal = Refusal.unauthorized

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var context = context
        var request = request
        if let authorization = request.headers[.authorization] {
            guard authorization.hasPrefix("Bearer "),
                  let token = try await store.useAPIToken(
                    hash: APITokenGenerator.hash(String(authorization.dropFirst("Bearer ".count))), now: Date())
            else { throw APIError(.unauthorized, "the API token is not valid", field: "Authorization") }
            // A token carries its user's role; an old token made for no user acts as the admin.
            if let owner = token.userID, let user = try await store.user(id: owner) {
                context.userID = user.id
                context.role = user.role
            } else {
                context.userID = try await store.users().first(where: \.isAdmin)?.id
                context.role = .admin
            }
            return try await next(request, context)
        }
        guard let session = try await sessions.session(of: request) else {
            if refusal == .redirectToLogin {
                let target = request.uri.path.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "/"
                return Response(status: .seeOther, headers: [.location: "/login?next=\(target)"])
            }
            throw APIError(.unauthorized, "log in or send an API token (Authorization: Bearer ...)")
        }
        if ![.get, .head, .options].contains(request.method) {
            var presented = request.headers[HTTPField.Name("X-CSRF-Token")!]
            if presented == nil,
               request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true
            {
                let body = try await request.collectBody(upTo: 1 << 20)
                presented = FormBody(String(buffer: body))["_csrf"]
            }
            guard let presented, SecretComparison.equal(presented, session.csrfToken) else {
                throw APIError(.forbidden, "missing or wrong CSRF token", field: "X-CSRF-Token")
            }
        }
        context.userID = session.userID
        context.role = try await store.user(id: session.userID)?.role
        context.csrfToken = session.csrfToken
        return try await next(request, context)
    }
}

/// Lets only admins through: a `user` gets 403 on settings, mappings, conflicts, logs, users
/// and accounts.
struct RequireAdminMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard context.role == .admin else {
            throw APIError(.forbidden, "only an admin may do this; your account sees its own tracker")
        }
        return try await next(request, context)
    }
}

/// An `application/x-www-form-urlencoded` body.
struct FormBody: Sendable {
    private var fields: [String: String] = [:]

    init(_ text: String) {
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            func decode(_ value: String) -> String {
                value.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? value
            }
            guard let name = parts.first else { continue }
            fields[decode(name)] = parts.count > 1 ? decode(parts[1]) : ""
        }
    }

    subscript(_ name: String) -> String? { fields[name] }
}

/// Refuses clients past a per-minute budget with 429 and `Retry-After`.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        if let wait = await limiter.retryAfter(client: context.clientAddress) {
            throw APIError.rateLimited(retryAfter: wait)
        }
        return try await next(request, context)
    }
}
