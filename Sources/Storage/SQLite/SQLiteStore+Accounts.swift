import Foundation
import GRDB

extension SQLiteStore: AccountStore {
    public func plexAccounts() async throws -> [PlexAccount] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM plex_accounts ORDER BY coalesce(name, id) COLLATE NOCASE, id")
                .map(PlexAccount.init(row:))
        }
    }

    public func plexAccount(id: String) async throws -> PlexAccount? {
        try await read { db in try Self.fetchAccount(db, id: id) }
    }

    public func notePlexAccount(id: String, name: String?, seenAt: Date?) async throws -> PlexAccount {
        guard !id.isEmpty else { throw StoreError.invalid("id: must not be empty") }
        return try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO plex_accounts (id, name, last_seen) VALUES (?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET name = coalesce(excluded.name, name),
                        last_seen = CASE WHEN excluded.last_seen IS NULL THEN last_seen
                            WHEN last_seen IS NULL OR excluded.last_seen > last_seen THEN excluded.last_seen
                            ELSE last_seen END
                    """, arguments: [id, name, seenAt])
            return try Self.fetchAccount(db, id: id)!
        }
    }

    public func setPlexAccountTarget(id: String, target: AccountTarget?, toUserID: Int64?, moveWatches: Bool)
        async throws -> AccountMove?
    {
        try await write { db in
            for user in [target?.userID, toUserID].compactMap({ $0 }) where try !Self.userExists(db, user) {
                throw StoreError.invalid("user_id: no user \(user)")
            }
            guard try Self.fetchAccount(db, id: id) != nil else { return nil }
            try db.execute(sql: "UPDATE plex_accounts SET target = ?, user_id = ? WHERE id = ?",
                           arguments: [target?.name, target?.userID, id])
            var moved = 0
            if moveWatches, let toUserID {
                moved = try Self.moveWatches(db, account: id, to: toUserID)
            }
            let stayed = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM episode_watches WHERE plex_account_id = ? AND user_id IS NOT ?",
                arguments: [id, toUserID]) ?? 0
            return AccountMove(account: try Self.fetchAccount(db, id: id)!, moved: moved, stayed: stayed)
        }
    }

    public func deleteUser(id: Int64) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "UPDATE plex_accounts SET target = NULL, user_id = NULL WHERE user_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }
}

extension SQLiteStore {
    static func fetchAccount(_ db: Database, id: String) throws -> PlexAccount? {
        try Row.fetchOne(db, sql: "SELECT * FROM plex_accounts WHERE id = ?", arguments: [id]).map(PlexAccount.init(row:))
    }

    static func userExists(_ db: Database, _ id: Int64) throws -> Bool {
        try Int.fetchOne(db, sql: "SELECT 1 FROM users WHERE id = ?", arguments: [id]) != nil
    }

    /// Moves the account's watches from every other tracker into `to`'s (`AccountRules.moved`),
    /// then the totals of the users and shows concerned are recomputed.
    static func moveWatches(_ db: Database, account: String, to: Int64) throws -> Int {
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT user_id, episode_id, show_id, date_watched, set_by_hand FROM episode_watches WHERE plex_account_id = ? AND user_id != ?",
            arguments: [account, to])
        var touched: Set<[Int64]> = []
        for row in rows {
            let from: Int64 = row["user_id"]
            let episodeID: Int64 = row["episode_id"]
            let showID: Int64 = row["show_id"]
            let watch = StoredWatch(date: row["date_watched"], setByHand: row["set_by_hand"])
            let existing = try Row.fetchOne(
                db, sql: "SELECT date_watched, set_by_hand FROM episode_watches WHERE user_id = ? AND episode_id = ?",
                arguments: [to, episodeID]
            ).map { StoredWatch(date: $0["date_watched"], setByHand: $0["set_by_hand"]) }
            switch AccountRules.moved(watch, onto: existing) {
            case .insert(let kept), .replace(let kept):
                try db.execute(sql: "DELETE FROM episode_watches WHERE user_id = ? AND episode_id = ?", arguments: [to, episodeID])
                try db.execute(
                    sql: """
                        INSERT INTO episode_watches (user_id, episode_id, show_id, date_watched, set_by_hand, plex_account_id)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """, arguments: [to, episodeID, showID, kept.date, kept.setByHand, account])
            case .keep:
                break
            }
            try db.execute(sql: "DELETE FROM episode_watches WHERE user_id = ? AND episode_id = ?", arguments: [from, episodeID])
            touched.insert([from, showID])
            touched.insert([to, showID])
        }
        for pair in touched { _ = try recomputeTotals(db, userID: pair[0], showID: pair[1]) }
        return rows.count
    }
}

extension PlexAccount {
    init(row: Row) {
        let target: String? = row["target"]
        let userID: Int64? = row["user_id"]
        let chosen: AccountTarget? =
            switch (target, userID) {
            case ("admin", _): .admin
            case ("none", _): AccountTarget.none
            case ("user", let id?): .user(id)
            default: nil
            }
        self.init(id: row["id"], name: row["name"], lastSeen: row["last_seen"], target: chosen)
    }
}
