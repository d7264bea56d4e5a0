import Foundation
import Hummingbird
import Storage

/// Browser sessions: a random cookie value, stored only as its SHA-256, with a CSRF token.
struct SessionManager: Sendable {
    static let cookieName = "showmatch_session"
    let store: any Store
    /// Adds `Secure` to the cookie (when served over HTTPS).
    let secureCookies: Bool
    var lifetime: TimeInterval = 7 * 86_400

    /// Starts a session; returns the cookie to set and the CSRF token.
    func create(userID: Int64, now: Date = Date()) async throws -> (cookie: Cookie, csrfToken: String) {
        let value = APITokenGenerator.makeToken()
        let csrf = WebhookSecret.generate()
        try await store.createSession(LoginSession(
            tokenHash: APITokenGenerator.hash(value), userID: userID, csrfToken: csrf, createdAt: now,
            expiresAt: now.addingTimeInterval(lifetime)))
        let cookie = Cookie(name: Self.cookieName, value: value, maxAge: Int(lifetime), path: "/",
                            secure: secureCookies, httpOnly: true, sameSite: .strict)
        return (cookie, csrf)
    }

    /// The live session the request's cookie names, if any.
    func session(of request: Request, now: Date = Date()) async throws -> LoginSession? {
        guard let value = request.cookies[Self.cookieName]?.value, !value.isEmpty else { return nil }
        return try await store.session(hash: APITokenGenerator.hash(value), now: now)
    }

    /// Ends the request's session; returns a cookie that clears it in the browser.
    func end(_ request: Request) async throws -> Cookie {
        if let value = request.cookies[Self.cookieName]?.value {
            try await store.deleteSession(hash: APITokenGenerator.hash(value))
        }
        return Cookie(name: Self.cookieName, value: "", maxAge: 0, path: "/", secure: secureCookies, httpOnly: true,
                      sameSite: .strict)
    }
}
