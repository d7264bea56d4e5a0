import Foundation

extension PlexClient {
    /// A user of the owner's Plex Home (managed or invited).
    struct HomeUser: Decodable, Sendable, Equatable {
        var id: Int
        var title: String?
        var username: String?

        /// The name to show.
        var displayName: String { title ?? username ?? "Plex account \(id)" }
    }

    /// The owner's home users (`GET /api/v2/home/users`).
    ///
    /// Throws `ExternalServiceError` when plex.tv cannot be asked or refuses the token.
    func homeUsers(token: String) async throws -> [HomeUser] {
        try await plexTV.getJSON(HomeUsers.self, path: "/api/v2/home/users", headers: Self.headers(token))?.users ?? []
    }

    private struct HomeUsers: Decodable {
        var users: [HomeUser]
    }
}
