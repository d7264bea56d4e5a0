import Foundation
import GRDB
import Testing

@testable import Storage

@Suite("migrations")
struct MigrationTests {
    @Test("a database of the first schema keeps its watches, and an account's user made on the fly keeps its account")
    func plexAccountsMigration() async throws {
        let path = TemporaryDatabase.path()
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        let old = try DatabasePool(path: path)
        try Schema.migrator.migrate(old, upTo: "v1-views")
        try await old.write { db in
            try db.execute(sql: """
                INSERT INTO users (id, name, is_admin, created_at) VALUES (1, 'admin', 1, '2024-01-01 00:00:00.000');
                INSERT INTO users (id, name, plex_account_id, plex_account_name, is_admin, created_at)
                    VALUES (2, 'plex-kid', '2', 'kid', 0, '2024-01-01 00:00:00.000');
                INSERT INTO shows (id, key, title, aliases, status, created_at, updated_at)
                    VALUES (1, 'bluey', 'Bluey', '[]', 'active', '2024-01-01 00:00:00.000', '2024-01-01 00:00:00.000');
                INSERT INTO seasons (id, show_id, number) VALUES (1, 1, 1);
                INSERT INTO episodes (id, show_id, season_id, season_number, number, runtime_minutes) VALUES
                    (1, 1, 1, 1, 1, 7), (2, 1, 1, 1, 2, 7);
                INSERT INTO episode_watches (user_id, episode_id, show_id, date_watched, set_by_hand) VALUES
                    (1, 1, 1, '2024-02-01 10:00:00.000', 0), (2, 2, 1, '2024-02-02 10:00:00.000', 0);
                INSERT INTO show_totals (user_id, show_id, watched_episodes, minutes_watched, last_watched_at) VALUES
                    (1, 1, 1, 7, '2024-02-01 10:00:00.000'), (2, 1, 1, 7, '2024-02-02 10:00:00.000');
                """)
        }
        try old.close()

        let store = try SQLiteStore(path: path)
        let admin = try #require(try await store.showDetail(id: 1, userID: 1))
        #expect(admin.seasons[0].episodes.map(\.watched) == [true, false] && admin.totals.watchedEpisodes == 1)
        let kid = try #require(try await store.showDetail(id: 1, userID: 2))
        #expect(kid.seasons[0].episodes.map(\.watched) == [false, true] && kid.totals.minutesWatched == 7)
        #expect(try await store.plexAccount(id: "2") == PlexAccount(id: "2", name: "kid", lastSeen: nil, target: .user(2)))
        // The watches know their account, so they can move with it.
        let move = try #require(try await store.setPlexAccountTarget(id: "2", target: .admin, toUserID: 1, moveWatches: true))
        #expect(move.moved == 1 && move.stayed == 0)
        #expect(try await store.totals(userID: 1, showID: 1).watchedEpisodes == 2)
    }
}
