import Foundation

/// Where a Plex account's watches go, as a person set it.
public enum AccountTarget: Sendable, Hashable {
    /// Into the admin's tracker.
    case admin
    /// Into this user's tracker.
    case user(Int64)
    /// Nowhere: the account's watches are not synced.
    case none

    /// `admin`, `user` or `none`.
    public var name: String {
        switch self {
        case .admin: "admin"
        case .user: "user"
        case .none: "none"
        }
    }

    /// The user of `.user`, else nil.
    public var userID: Int64? {
        if case .user(let id) = self { return id }
        return nil
    }
}

/// A Plex account Showmatch has seen (in a webhook or history) or plex.tv lists for the owner.
public struct PlexAccount: Sendable, Hashable {
    /// The Plex account id, as a string.
    public var id: String
    public var name: String?
    public var lastSeen: Date?
    /// The target a person chose; nil follows the default (the token's owner and the accounts
    /// named in `sync_accounts` go to the admin, others are not synced).
    public var target: AccountTarget?

    public init(id: String, name: String?, lastSeen: Date?, target: AccountTarget?) {
        self.id = id
        self.name = name
        self.lastSeen = lastSeen
        self.target = target
    }
}

/// What changing an account's target did to the watches it brought.
public struct AccountMove: Sendable, Hashable {
    public var account: PlexAccount
    /// Watches moved to the new target's tracker.
    public var moved: Int
    /// Watches of the account that stay in the tracker they were in.
    public var stayed: Int

    public init(account: PlexAccount, moved: Int, stayed: Int) {
        self.account = account
        self.moved = moved
        self.stayed = stayed
    }
}

/// A tracker user's role.
public enum UserRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// Everything: settings, mappings, conflicts, logs, users.
    case admin
    /// Their own shows, watches and dashboard, and marking by hand.
    case user
}

extension User {
    /// The user's role.
    public var role: UserRole { isAdmin ? .admin : .user }
}
