import Foundation
import Storage
import Synchronization

/// Which tracker user a Plex account's watches belong to, if they sync at all.
///
/// Plex marks events of the account that set up the webhook with `user: true`; a home or
/// shared user's events carry `user: false` and their own `Account`.
struct AccountMapper: Sendable {
    let store: any Store
    /// Users are never deleted, so the admin's id, once known, stays right.
    private let adminID = AdminIDCache()

    init(store: any Store) {
        self.store = store
    }

    enum Result: Equatable {
        case user(Int64)
        case notSynced(String)
    }

    /// - `syncAccounts` empty: only the token owner's watches sync, to the admin user.
    /// - `["*"]`: every account, each to its own user (created on first sight).
    /// - otherwise: the owner and the listed account ids or names.
    func user(for payload: PlexWebhookPayload, config: PlexConfig?) async throws -> Result {
        let accountID = payload.account?.id?.value
        let accountName = payload.account?.title
        if isOwner(payload, ownerName: config?.plexAccountName) { return .user(try await adminUser()) }
        let label = accountName ?? accountID ?? "an unknown account"
        let syncAccounts = config?.syncAccounts ?? []
        let listed = syncAccounts.contains("*") || syncAccounts.contains { entry in
            entry == accountID || (accountName.map { entry.caseInsensitiveCompare($0) == .orderedSame } ?? false)
        }
        guard listed else {
            return .notSynced("watches of \(label) are not synced: add the account to sync_accounts")
        }
        if let existing = try await store.user(plexAccountID: accountID, plexAccountName: accountName) {
            return .user(existing.id)
        }
        let name = "plex-\(accountName ?? accountID ?? "account")"
        do {
            return .user(try await store.createUser(
                name: name, plexAccountID: accountID, plexAccountName: accountName, isAdmin: false,
                passwordHash: nil).id)
        } catch let error as StoreError where error.isConflict {
            // A concurrent webhook of the same account created it first.
            guard let user = try await store.user(name: name) else { throw error }
            return .user(user.id)
        }
    }

    private func isOwner(_ payload: PlexWebhookPayload, ownerName: String?) -> Bool {
        if let user = payload.user { return user }
        guard let ownerName else { return true }
        return payload.account?.title.map { $0.caseInsensitiveCompare(ownerName) == .orderedSame } ?? true
    }

    /// The admin user stands for the token owner; made on first need if the daemon has none yet.
    private func adminUser() async throws -> Int64 {
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
}

/// The admin user's id, shared by copies of `AccountMapper`.
private final class AdminIDCache: Sendable {
    private let storage = Mutex<Int64?>(nil)

    var value: Int64? {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
