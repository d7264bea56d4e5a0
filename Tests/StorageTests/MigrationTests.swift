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

    @Test("the inbox rebuilt without AUTOINCREMENT keeps its webhooks, ids, indexes and views; new ids follow on")
    func inboxRowidMigration() async throws {
        let path = TemporaryDatabase.path()
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        let old = try DatabasePool(path: path)
        try Schema.migrator.migrate(old, upTo: "v7-inbox-conflict-index")
        try await old.write { db in
            try db.execute(sql: """
                INSERT INTO plex_webhook_logs (id, created_at, event, idempotency_key, raw_payload, status, attempts,
                    error_message, processing_ms, completed_at) VALUES
                    (5, '2026-01-01 10:00:00.000', 'media.scrobble', 'k5', '{"a":1}', 'success', 1, NULL, 2.5,
                        '2026-01-01 10:00:01.000'),
                    (9, '2026-01-01 11:00:00.000', 'media.scrobble', 'k9', '{"b":2}', 'failed', 3, 'tmdb: down', NULL, NULL),
                    (12, '2026-01-01 12:00:00.000', 'media.play', NULL, 'media.play', 'ignored', 0, NULL, NULL,
                        '2026-01-01 12:00:00.000');
                """)
        }
        try old.close()

        let store = try SQLiteStore(path: path)
        let kept = try await store.webhookLogs(WebhookLogFilter(limit: 10)).items
        #expect(kept.map(\.id) == [12, 9, 5])
        #expect(kept.map(\.status) == [.ignored, .failed, .success])
        #expect(kept.map(\.rawPayload) == ["media.play", #"{"b":2}"#, #"{"a":1}"#])
        #expect(kept[1].attempts == 3 && kept[1].errorMessage == "tmdb: down" && kept[2].processingMs == 2.5)

        let schema = try await store.read { db in
            try String.fetchAll(db, sql: """
                SELECT name || ': ' || COALESCE(sql, '') FROM sqlite_master
                WHERE tbl_name IN ('plex_webhook_logs', 'plex_sync_stats', 'plex_webhook_activity') ORDER BY name
                """)
        }
        #expect(schema.map { String($0.prefix(while: { $0 != ":" })) } == [
            "plex_sync_stats", "plex_webhook_activity", "plex_webhook_logs", "plex_webhook_logs_conflict",
            "plex_webhook_logs_created", "plex_webhook_logs_idempotency", "plex_webhook_logs_status",
        ])
        #expect(!schema.contains { $0.contains("AUTOINCREMENT") })
        #expect(schema.contains { $0.hasPrefix("plex_webhook_logs_conflict:") && $0.contains("WHERE conflict_id IS NOT NULL") })
        let stats = try await store.read { db in
            try Row.fetchOne(db, sql: "SELECT total_webhooks, successful, failed, ignored FROM plex_sync_stats")
                .map { [$0[0], $0[1], $0[2], $0[3]] as [Int] }
        }
        #expect(stats == [3, 1, 1, 1])

        let entry = InboxEntry(
            event: "media.scrobble", plexTitle: "Bluey S01E01", serverUUID: "srv", accountID: "1", ratingKey: "7",
            idempotencyKey: "k-new", rawPayload: "{}")
        let outcome = try await store.receiveWebhook(entry, dedupeWindow: 300, now: Date())
        #expect(outcome == .accepted(id: 13))
    }
}
