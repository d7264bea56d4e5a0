import Foundation

/// Where one webhook's (or history entry's) watch goes.
public enum WatchDestination: Sendable, Hashable {
    /// The admin's tracker.
    case admin
    /// This user's tracker.
    case user(Int64)
    /// Not synced, for this reason.
    case notSynced(String)
}

/// The rules for Plex accounts, over plain values: whose tracker a watch goes to, and how the
/// watches an account brought move when its target changes.
public enum AccountRules {
    /// Where a watch of this account goes.
    ///
    /// - A target a person set wins.
    /// - Otherwise the token's owner, and accounts `sync_accounts` names (by id or name, any
    ///   case; `"*"` names all), go to the admin's tracker; the others are not synced.
    public static func destination(
        accountID: String?, accountName: String?, isOwner: Bool, setting: AccountTarget?, syncAccounts: [String]
    ) -> WatchDestination {
        let label = accountName ?? accountID ?? "an unknown account"
        switch setting {
        case .admin?: return .admin
        case .user(let id)?: return .user(id)
        case .none?: return .notSynced("watches of \(label) are set not to sync")
        case nil: break
        }
        if isOwner { return .admin }
        let listed = syncAccounts.contains("*") || syncAccounts.contains { entry in
            entry == accountID || (accountName.map { entry.caseInsensitiveCompare($0) == .orderedSame } ?? false)
        }
        return listed
            ? .admin : .notSynced("watches of \(label) are not synced: add the account to sync_accounts or choose where they go")
    }

    /// A watch moved into a tracker that may already hold one of the same episode: a hand-set
    /// date wins; between two of the same kind, the one already there stays.
    public static func moved(_ watch: StoredWatch, onto existing: StoredWatch?) -> WatchMerge {
        guard let existing else { return .insert(watch) }
        return watch.setByHand && !existing.setByHand ? .replace(watch) : .keep(existing)
    }
}
