import Foundation
import Hummingbird
import Storage

/// `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/me`.
struct AuthController {
    let store: any Store
    let sessions: SessionManager
    let hasher: PasswordHasher
    let loginLimiter: LoginThrottle

    struct Credentials: Decodable, Sendable {
        var username: String
        var password: String
    }

    struct Me: ResponseEncodable, Sendable {
        var userId: Int64
        var username: String
        var isAdmin: Bool
        var csrfToken: String?
    }

    /// Checks a password, slowly on purpose; throttled per client and per user name (see
    /// `LoginThrottle`). Nil when it does not match.
    func verify(username: String, password: String, client: String) async throws -> User? {
        if let wait = await loginLimiter.retryAfter(client: client, username: username) {
            throw APIError.rateLimited(retryAfter: wait)
        }
        guard username.count <= 200, password.count <= 1024 else { return nil }
        guard let user = try await store.user(name: username), let hash = user.passwordHash else {
            // Same work for an unknown name, so timing does not tell which names exist.
            _ = try await hasher.verify(password, hash: Self.decoyHash)
            await loginLimiter.recordFailure(username: username)
            return nil
        }
        guard try await hasher.verify(password, hash: hash) else {
            await loginLimiter.recordFailure(username: username)
            return nil
        }
        await loginLimiter.recordSuccess(username: username)
        return user
    }

    static let decoyHash = "$2b$10$CwTycUXWue0Thq9StjUM0uJ8.8Wu4c5e6R2VYg0G5n3bSL7o0V7CS"

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("login") { request, context -> Response in
            let credentials = try await request.decodeJSON(Credentials.self, context: context)
            guard let user = try await verify(username: credentials.username, password: credentials.password,
                                              client: context.clientAddress)
            else { throw APIError(.unauthorized, "wrong username or password") }
            let (cookie, csrf) = try await sessions.create(userID: user.id)
            var response = try context.responseEncoder.encode(
                Me(userId: user.id, username: user.name, isAdmin: user.isAdmin, csrfToken: csrf), from: request,
                context: context)
            response.setCookie(cookie)
            return response
        }
    }

    func addProtectedRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("logout") { request, _ -> Response in
            var response = Response(status: .noContent)
            response.setCookie(try await sessions.end(request))
            return response
        }
        group.get("me") { _, context -> Me in
            guard let id = context.userID, let user = try await store.user(id: id) else {
                throw APIError(.unauthorized, "log in first")
            }
            return Me(userId: user.id, username: user.name, isAdmin: user.isAdmin, csrfToken: context.csrfToken)
        }
    }
}
