import Foundation
import Storage

/// The Plex accounts Showmatch has seen or plex.tv lists, and where their watches go.
struct AccountService: Sendable {
    let store: any Store
    let settings: PlexSettings
    let accounts: AccountMapper
    /// The owner's home users from plex.tv, when a token is set.
    let homeUsers: @Sendable () async -> [(id: String, name: String)]

    /// One account as the API and settings page show it.
    struct View: Codable, Sendable, Equatable {
        var id: String
        var name: String?
        var lastSeen: Date?
        /// `admin`, `user` or `none`: where its watches go now.
        var target: String
        var userId: Int64?
        /// Whether a person chose the target (else it follows `sync_accounts`).
        var chosen: Bool
    }

    /// A change of target.
    struct Change: Decodable, Sendable {
        var target: String
        var userId: Int64?
        var moveWatches: Bool?
    }

    /// What a change did.
    struct ChangeResult: Encodable, Sendable {
        var account: View
        /// Watches moved into the new target's tracker.
        var movedWatches: Int
        /// The account's watches that stay in the tracker they are in.
        var watchesStaying: Int
    }

    /// Every account, with those plex.tv lists for the owner noted first.
    func list() async throws -> [View] {
        for user in await homeUsers() { _ = try await store.notePlexAccount(id: user.id, name: user.name, seenAt: nil) }
        let config = await settings.current
        var views: [View] = []
        for account in try await store.plexAccounts() { views.append(try await view(account, config: config)) }
        return views
    }

    /// Sends the account's watches to `change.target`. Without `move_watches`, past watches stay
    /// where they are (and are counted); with it, they move (dates kept, hand-set dates win).
    ///
    /// Throws `.notFound` for an unknown account, `.invalid` for a bad target or user.
    func change(id: String, _ change: Change) async throws -> ChangeResult {
        guard let account = try await store.plexAccount(id: id) else { throw ServiceError.notFound("no Plex account \(id)") }
        let target: AccountTarget
        switch change.target {
        case "admin": target = .admin
        case "none": target = .none
        case "user":
            guard let userID = change.userId else { throw ServiceError.invalid("required for target user", field: "user_id") }
            guard try await store.user(id: userID) != nil else { throw ServiceError.invalid("no user \(userID)", field: "user_id") }
            target = .user(userID)
        default:
            throw ServiceError.invalid("must be admin, user or none", field: "target")
        }
        let move = change.moveWatches ?? false
        if move && target == .none {
            throw ServiceError.invalid("watches cannot move to no tracker; choose admin or user", field: "move_watches")
        }
        let config = await settings.current
        let to = try await trackerUser(of: PlexAccount(id: id, name: account.name, lastSeen: nil, target: target), config: config)
        guard let result = try await store.setPlexAccountTarget(id: id, target: target, toUserID: to, moveWatches: move)
        else { throw ServiceError.notFound("no Plex account \(id)") }
        return ChangeResult(account: try await view(result.account, config: config), movedWatches: result.moved,
                            watchesStaying: result.stayed)
    }

    private func view(_ account: PlexAccount, config: PlexConfig?) async throws -> View {
        let user = try await trackerUser(of: account, config: config)
        let admin = try await accounts.adminUser()
        return View(
            id: account.id, name: account.name, lastSeen: account.lastSeen,
            target: user == nil ? "none" : user == admin ? "admin" : "user", userId: user, chosen: account.target != nil)
    }

    /// The user whose tracker the account's watches go to now, nil when they do not sync.
    private func trackerUser(of account: PlexAccount, config: PlexConfig?) async throws -> Int64? {
        let owner = config?.plexAccountName.map { account.name?.caseInsensitiveCompare($0) == .orderedSame } ?? false
        switch AccountRules.destination(accountID: account.id, accountName: account.name, isOwner: owner,
                                        setting: account.target, syncAccounts: config?.syncAccounts ?? []) {
        case .admin: return try await accounts.adminUser()
        case .user(let id): return id
        case .notSynced: return nil
        }
    }
}
