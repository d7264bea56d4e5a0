import Foundation
import Storage
import Synchronization

/// Which tracker user a Plex account's watches belong to, if they sync at all
/// (`AccountRules.destination`), noting each account seen so the settings can list it.
///
/// Plex marks events of the account that set up the webhook with `user: true`; a home or
/// shared user's events carry `user: false` and their own `Account`.
struct AccountMapper: Sendable {
    let store: any Store
    /// Users are never renumbered, so the admin's id, once known, stays right.
    private let adminID = AdminIDCache()
    /// When each account was last written as seen: at most once an hour per account.
    private let noted = NotedAccounts()

    init(store: any Store) {
        self.store = store
    }

    enum Result: Equatable {
        case user(Int64, plexAccountID: String?)
        case notSynced(String)
    }

    func user(for payload: PlexWebhookPayload, config: PlexConfig?, seenAt: Date = Date()) async throws -> Result {
        let accountID = payload.account?.id?.value
        let accountName = payload.account?.title
        let owner = isOwner(payload, ownerName: config?.plexAccountName)
        var setting: AccountTarget?
        if let accountID, !accountID.isEmpty {
            setting = try await note(id: accountID, name: accountName, seenAt: seenAt)?.target
        }
        switch AccountRules.destination(
            accountID: accountID, accountName: accountName, isOwner: owner, setting: setting,
            syncAccounts: config?.syncAccounts ?? [])
        {
        case .admin: return .user(try await adminUser(), plexAccountID: accountID)
        case .user(let id): return .user(id, plexAccountID: accountID)
        case .notSynced(let reason): return .notSynced(reason)
        }
    }

    /// The admin user's id (made on first need if the daemon has none yet).
    func adminUser() async throws -> Int64 {
        if let known = adminID.value { return known }
        if let admin = try await store.users().first(where: \.isAdmin) {
            adminID.value = admin.id
            return admin.id
        }
        do {
            return try await store.createUser(
                name: "admin", plexAccountID: nil, plexAccountName: nil, isAdmin: true, passwordHash: nil
            ).id
        } catch let error as StoreError where error.isConflict {
            guard let admin = try await store.user(name: "admin") else { throw error }
            return admin.id
        }
    }

    private func isOwner(_ payload: PlexWebhookPayload, ownerName: String?) -> Bool {
        if let user = payload.user { return user }
        guard let ownerName else { return true }
        return payload.account?.title.map { $0.caseInsensitiveCompare(ownerName) == .orderedSame } ?? true
    }

    /// The account's stored row, written when it is new or was last noted over an hour ago.
    private func note(id: String, name: String?, seenAt: Date) async throws -> PlexAccount? {
        if let cached = noted.recent(id, now: seenAt), cached.name == name || name == nil {
            return try await store.plexAccount(id: id) ?? cached
        }
        let account = try await store.notePlexAccount(id: id, name: name, seenAt: seenAt)
        noted.remember(account, at: seenAt)
        return account
    }
}

/// The admin user's id, shared by copies of `AccountMapper`.
private final class AdminIDCache: Sendable {
    private let storage = Mutex<Int64?>(nil)

    var value: Int64? {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}

/// Accounts noted recently, so a stream of webhooks costs one write per account an hour.
private final class NotedAccounts: Sendable {
    private let storage = Mutex<[String: (account: PlexAccount, at: Date)]>([:])

    func recent(_ id: String, now: Date) -> PlexAccount? {
        storage.withLock { entries in
            guard let entry = entries[id], now.timeIntervalSince(entry.at) < 3600 else { return nil }
            return entry.account
        }
    }

    func remember(_ account: PlexAccount, at date: Date) {
        storage.withLock { $0[account.id] = (account, date) }
    }
}
