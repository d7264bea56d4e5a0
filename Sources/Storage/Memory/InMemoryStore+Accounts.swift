import Foundation

extension InMemoryStore: AccountStore {
    public func plexAccounts() async throws -> [PlexAccount] {
        accounts.values.sorted { (($0.name ?? $0.id).lowercased(), $0.id) < (($1.name ?? $1.id).lowercased(), $1.id) }
    }

    public func plexAccount(id: String) async throws -> PlexAccount? { accounts[id] }

    public func notePlexAccount(id: String, name: String?, seenAt: Date?) async throws -> PlexAccount {
        guard !id.isEmpty else { throw StoreError.invalid("id: must not be empty") }
        var account = accounts[id] ?? PlexAccount(id: id, name: nil, lastSeen: nil, target: nil)
        account.name = name ?? account.name
        if let seenAt { account.lastSeen = max(account.lastSeen ?? seenAt, seenAt) }
        accounts[id] = account
        return account
    }

    public func setPlexAccountTarget(id: String, target: AccountTarget?, toUserID: Int64?, moveWatches: Bool)
        async throws -> AccountMove?
    {
        for user in [target?.userID, toUserID].compactMap({ $0 }) where users[user] == nil {
            throw StoreError.invalid("user_id: no user \(user)")
        }
        guard var account = accounts[id] else { return nil }
        account.target = target
        accounts[id] = account
        var moved = 0
        if moveWatches, let toUserID {
            var touched: Set<WatchTotalsKey> = []
            for (key, watch) in watches where key.userID != toUserID && watch.plexAccountID == id {
                let target = WatchKey(userID: toUserID, episodeID: key.episodeID)
                let existing = watches[target].map { StoredWatch(date: $0.date, setByHand: $0.setByHand) }
                switch AccountRules.moved(StoredWatch(date: watch.date, setByHand: watch.setByHand), onto: existing) {
                case .insert(let kept), .replace(let kept):
                    watches[target] = Watch(showID: watch.showID, date: kept.date, setByHand: kept.setByHand,
                                            plexAccountID: id)
                case .keep:
                    break
                }
                watches[key] = nil
                touched.insert(WatchTotalsKey(userID: key.userID, showID: watch.showID))
                touched.insert(WatchTotalsKey(userID: toUserID, showID: watch.showID))
                moved += 1
            }
            for key in touched { _ = recomputeTotals(userID: key.userID, showID: key.showID) }
        }
        let stayed = watches.filter { $0.value.plexAccountID == id && $0.key.userID != toUserID }.count
        return AccountMove(account: account, moved: moved, stayed: stayed)
    }

    public func deleteUser(id: Int64) async throws -> Bool {
        guard users.removeValue(forKey: id) != nil else { return false }
        for (accountID, account) in accounts where account.target?.userID == id { accounts[accountID]?.target = nil }
        watches = watches.filter { $0.key.userID != id }
        totals = totals.filter { $0.key.userID != id }
        sessions = sessions.filter { $0.value.userID != id }
        tokens = tokens.filter { $0.value.userID != id }
        return true
    }
}
