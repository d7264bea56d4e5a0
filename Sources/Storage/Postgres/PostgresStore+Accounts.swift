import Foundation
import PostgresNIO

extension PostgresStore: AccountStore {
    public func plexAccounts() async throws -> [PlexAccount] {
        try await read { db in
            try await db.rows("SELECT * FROM plex_accounts ORDER BY lower(coalesce(name, id)), id")
                .map(PlexAccount.init(record:))
        }
    }

    public func plexAccount(id: String) async throws -> PlexAccount? {
        try await read { db in try await Self.fetchAccount(db, id: id) }
    }

    public func notePlexAccount(id: String, name: String?, seenAt: Date?) async throws -> PlexAccount {
        guard !id.isEmpty else { throw StoreError.invalid("id: must not be empty") }
        return try await write { db in
            try PlexAccount(record: try await db.row("""
                INSERT INTO plex_accounts AS a (id, name, last_seen) VALUES (\(id), \(name), \(seenAt))
                ON CONFLICT (id) DO UPDATE SET name = coalesce(excluded.name, a.name),
                    last_seen = CASE WHEN excluded.last_seen IS NULL THEN a.last_seen
                        WHEN a.last_seen IS NULL OR excluded.last_seen > a.last_seen THEN excluded.last_seen
                        ELSE a.last_seen END
                RETURNING *
                """)!)
        }
    }

    public func setPlexAccountTarget(id: String, target: AccountTarget?, toUserID: Int64?, moveWatches: Bool)
        async throws -> AccountMove?
    {
        try await write { db in
            for user in [target?.userID, toUserID].compactMap({ $0 }) where try await !Self.userExists(db, user) {
                throw StoreError.invalid("user_id: no user \(user)")
            }
            guard try await Self.fetchAccount(db, id: id) != nil else { return nil }
            try await db.execute(
                "UPDATE plex_accounts SET target = \(target?.name), user_id = \(target?.userID) WHERE id = \(id)")
            var moved = 0
            if moveWatches, let toUserID {
                moved = try await Self.moveWatches(db, account: id, to: toUserID)
            }
            let stayed = try await db.value("""
                SELECT COUNT(*) FROM episode_watches
                WHERE plex_account_id = \(id) AND user_id IS DISTINCT FROM \(toUserID)::bigint
                """, as: Int.self) ?? 0
            return AccountMove(account: try await Self.fetchAccount(db, id: id)!, moved: moved, stayed: stayed)
        }
    }

    public func deleteUser(id: Int64) async throws -> Bool {
        try await write { db in
            try await db.execute("UPDATE plex_accounts SET target = NULL, user_id = NULL WHERE user_id = \(id)")
            return try await db.execute("DELETE FROM users WHERE id = \(id) RETURNING 1") > 0
        }
    }
}

extension PostgresStore {
    static func fetchAccount(_ db: PostgresTransaction, id: String) async throws -> PlexAccount? {
        try await db.row("SELECT * FROM plex_accounts WHERE id = \(id)").map(PlexAccount.init(record:))
    }

    static func userExists(_ db: PostgresTransaction, _ id: Int64) async throws -> Bool {
        try await db.row("SELECT 1 FROM users WHERE id = \(id)") != nil
    }

    /// Moves the account's watches from every other tracker into `to`'s (`AccountRules.moved`),
    /// then the totals of the users and shows concerned are recomputed.
    static func moveWatches(_ db: PostgresTransaction, account: String, to: Int64) async throws -> Int {
        let rows = try await db.rows("""
            SELECT user_id, episode_id, show_id, date_watched, set_by_hand FROM episode_watches
            WHERE plex_account_id = \(account) AND user_id != \(to)
            """)
        var touched: Set<[Int64]> = []
        for row in rows {
            let from: Int64 = try row["user_id"]
            let episodeID: Int64 = try row["episode_id"]
            let showID: Int64 = try row["show_id"]
            let watch = StoredWatch(date: try row["date_watched"], setByHand: try row["set_by_hand"])
            let existing = try await db.row(
                "SELECT date_watched, set_by_hand FROM episode_watches WHERE user_id = \(to) AND episode_id = \(episodeID)"
            ).map { StoredWatch(date: try $0["date_watched"], setByHand: try $0["set_by_hand"]) }
            switch AccountRules.moved(watch, onto: existing) {
            case .insert(let kept), .replace(let kept):
                try await db.execute("DELETE FROM episode_watches WHERE user_id = \(to) AND episode_id = \(episodeID)")
                try await db.execute("""
                    INSERT INTO episode_watches (user_id, episode_id, show_id, date_watched, set_by_hand, plex_account_id)
                    VALUES (\(to), \(episodeID), \(showID), \(kept.date), \(kept.setByHand), \(account))
                    """)
            case .keep:
                break
            }
            try await db.execute("DELETE FROM episode_watches WHERE user_id = \(from) AND episode_id = \(episodeID)")
            touched.insert([from, showID])
            touched.insert([to, showID])
        }
        for pair in touched { _ = try await recomputeTotals(db, userID: pair[0], showID: pair[1]) }
        return rows.count
    }
}
