import Foundation
import Storage

/// API tokens for scripts: made (the secret shown once, only its hash stored), listed without
/// their secret part, and revoked. The admin sees every token; another user only their own.
struct TokenService: Sendable {
    let store: any Store

    /// A token just made: its stored record's name and the secret, to show this once.
    struct Made: Sendable {
        var name: String
        var token: String
    }

    /// Makes a token acting as `userID` (the admin's when nil). Throws `.invalid` for a name
    /// outside 1 to 100 characters or an expiry that is not in the future.
    func create(name: String, userID: Int64?, expiresAt: Date? = nil, now: Date = Date()) async throws -> Made {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(trimmed.count) else {
            throw ServiceError.invalid("must be 1 to 100 characters", field: "name")
        }
        if let expiresAt, expiresAt <= now { throw ServiceError.invalid("must be in the future", field: "expires_at") }
        let token = APITokenGenerator.makeToken()
        _ = try await store.createAPIToken(
            name: trimmed, tokenHash: APITokenGenerator.hash(token), userID: userID, expiresAt: expiresAt, now: now)
        return Made(name: trimmed, token: token)
    }

    /// The tokens `userID` may see: every token for an admin, else their own. Throws
    /// `.notFound` for an unknown user.
    func visible(to userID: Int64) async throws -> [APITokenInfo] {
        guard let user = try await store.user(id: userID) else { throw ServiceError.notFound("no user \(userID)") }
        return try await store.apiTokens(userID: user.isAdmin ? nil : userID)
    }

    /// Revokes token `id` when `userID` may see it. Throws `.notFound` otherwise.
    func revoke(id: Int64, by userID: Int64) async throws {
        guard try await visible(to: userID).contains(where: { $0.id == id }), try await store.deleteAPIToken(id: id)
        else { throw ServiceError.notFound("no such token") }
    }
}
