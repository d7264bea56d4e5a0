import GRDB

/// The SQLite schema, as frozen migrations.
///
/// A migration that has shipped is never edited: a change is a new migration appended here.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-tracker", migrate: createTracker)
        migrator.registerMigration("v1-plex", migrate: createPlex)
        migrator.registerMigration("v1-auth-cache", migrate: createAuthAndCache)
        migrator.registerMigration("v1-views", migrate: createViews)
        migrator.registerMigration("v2-plex-accounts", migrate: createPlexAccounts)
        migrator.registerMigration("v3-plex-import", migrate: createPlexImport)
        migrator.registerMigration("v4-token-expiry", migrate: addTokenExpiry)
        migrator.registerMigration("v5-operations", migrate: createOperations)
        migrator.registerMigration("v6-show-aliases", migrate: createShowAliases)
        migrator.registerMigration("v7-inbox-conflict-index", migrate: narrowInboxConflictIndex)
        migrator.registerMigration("v8-inbox-rowid", migrate: inboxWithoutAutoincrement)
        return migrator
    }

    private static func createTracker(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE users (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
                plex_account_id TEXT UNIQUE,
                plex_account_name TEXT,
                is_admin INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
                password_hash TEXT,
                created_at TEXT NOT NULL
            );
            CREATE INDEX users_plex_account_name ON users(plex_account_name);

            CREATE TABLE shows (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                key TEXT NOT NULL UNIQUE CHECK (length(key) > 0),
                title TEXT NOT NULL CHECK (length(title) > 0),
                original_title TEXT,
                aliases TEXT NOT NULL DEFAULT '[]',
                year INTEGER CHECK (year IS NULL OR year BETWEEN 1870 AND 2200),
                tmdb_id INTEGER UNIQUE CHECK (tmdb_id IS NULL OR tmdb_id > 0),
                tvdb_id INTEGER UNIQUE CHECK (tvdb_id IS NULL OR tvdb_id > 0),
                imdb_id TEXT UNIQUE,
                status TEXT NOT NULL DEFAULT 'active',
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX shows_title ON shows(title COLLATE NOCASE);

            CREATE TABLE seasons (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                show_id INTEGER NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
                number INTEGER NOT NULL CHECK (number >= 0),
                title TEXT,
                UNIQUE (show_id, number)
            );

            CREATE TABLE episodes (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                show_id INTEGER NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
                season_id INTEGER NOT NULL REFERENCES seasons(id) ON DELETE CASCADE,
                season_number INTEGER NOT NULL CHECK (season_number >= 0),
                number INTEGER NOT NULL CHECK (number >= 0),
                title TEXT,
                runtime_minutes INTEGER CHECK (runtime_minutes IS NULL OR runtime_minutes >= 0),
                air_date TEXT,
                UNIQUE (show_id, season_number, number)
            );
            CREATE INDEX episodes_season ON episodes(season_id);

            CREATE TABLE episode_watches (
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                episode_id INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
                show_id INTEGER NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
                date_watched TEXT NOT NULL,
                set_by_hand INTEGER NOT NULL DEFAULT 0 CHECK (set_by_hand IN (0, 1)),
                PRIMARY KEY (user_id, episode_id)
            );
            CREATE INDEX episode_watches_show ON episode_watches(user_id, show_id);

            CREATE TABLE show_totals (
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                show_id INTEGER NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
                watched_episodes INTEGER NOT NULL DEFAULT 0 CHECK (watched_episodes >= 0),
                minutes_watched INTEGER NOT NULL DEFAULT 0 CHECK (minutes_watched >= 0),
                last_watched_at TEXT,
                PRIMARY KEY (user_id, show_id)
            );
            """)
    }

    private static func createPlex(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE plex_config (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                plex_token_encrypted BLOB,
                plex_account_name TEXT,
                server_url TEXT,
                webhook_secret TEXT NOT NULL CHECK (length(webhook_secret) >= 16),
                previous_webhook_secret TEXT,
                previous_secret_expires_at TEXT,
                auto_add_shows INTEGER NOT NULL DEFAULT 0 CHECK (auto_add_shows IN (0, 1)),
                auto_mark_watched INTEGER NOT NULL DEFAULT 1 CHECK (auto_mark_watched IN (0, 1)),
                sync_accounts TEXT NOT NULL DEFAULT '[]',
                enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );

            CREATE TABLE plex_show_mappings (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                server_uuid TEXT NOT NULL,
                plex_show_key TEXT NOT NULL CHECK (length(plex_show_key) > 0),
                plex_rating_key TEXT,
                plex_title TEXT NOT NULL,
                plex_year INTEGER,
                show_id INTEGER REFERENCES shows(id) ON DELETE SET NULL,
                confidence REAL NOT NULL DEFAULT 0 CHECK (confidence BETWEEN 0 AND 1),
                method TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('mapped', 'unmapped', 'conflict', 'ignored')),
                confirmed_by_user INTEGER NOT NULL DEFAULT 0 CHECK (confirmed_by_user IN (0, 1)),
                sync_enabled INTEGER NOT NULL DEFAULT 1 CHECK (sync_enabled IN (0, 1)),
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                UNIQUE (server_uuid, plex_show_key)
            );
            CREATE INDEX plex_show_mappings_show ON plex_show_mappings(show_id);
            CREATE INDEX plex_show_mappings_status ON plex_show_mappings(status);

            CREATE TABLE plex_conflicts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                mapping_id INTEGER NOT NULL REFERENCES plex_show_mappings(id) ON DELETE CASCADE,
                plex_title TEXT NOT NULL,
                plex_year INTEGER,
                candidates TEXT NOT NULL DEFAULT '[]',
                explanation TEXT NOT NULL DEFAULT '[]',
                status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'ignored')),
                resolution TEXT CHECK (resolution IS NULL OR resolution IN ('select', 'create_new', 'ignore')),
                resolved_show_id INTEGER REFERENCES shows(id) ON DELETE SET NULL,
                created_at TEXT NOT NULL,
                resolved_at TEXT
            );
            CREATE UNIQUE INDEX plex_conflicts_open_per_mapping
                ON plex_conflicts(mapping_id) WHERE status = 'open';
            CREATE INDEX plex_conflicts_status ON plex_conflicts(status, created_at);

            CREATE TABLE plex_webhook_logs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                created_at TEXT NOT NULL,
                event TEXT,
                plex_title TEXT,
                server_uuid TEXT,
                account_id TEXT,
                rating_key TEXT,
                idempotency_key TEXT,
                client TEXT,
                raw_payload TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN
                    ('received', 'processing', 'success', 'failed', 'ignored', 'duplicate', 'conflict')),
                error_message TEXT,
                attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                next_attempt_at TEXT,
                processing_ms REAL CHECK (processing_ms IS NULL OR processing_ms >= 0),
                completed_at TEXT,
                mapping_id INTEGER REFERENCES plex_show_mappings(id) ON DELETE SET NULL,
                conflict_id INTEGER REFERENCES plex_conflicts(id) ON DELETE SET NULL,
                episode_id INTEGER REFERENCES episodes(id) ON DELETE SET NULL
            );
            CREATE INDEX plex_webhook_logs_status ON plex_webhook_logs(status, next_attempt_at);
            CREATE INDEX plex_webhook_logs_created ON plex_webhook_logs(created_at);
            CREATE INDEX plex_webhook_logs_idempotency ON plex_webhook_logs(idempotency_key, created_at);
            CREATE INDEX plex_webhook_logs_conflict ON plex_webhook_logs(conflict_id);
            """)
    }

    private static func createAuthAndCache(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE api_tokens (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
                created_at TEXT NOT NULL,
                last_used_at TEXT
            );

            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                csrf_token TEXT NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL
            );
            CREATE INDEX sessions_expiry ON sessions(expires_at);

            CREATE TABLE id_conversion_cache (
                key TEXT PRIMARY KEY,
                value TEXT,
                expires_at TEXT NOT NULL
            );
            CREATE INDEX id_conversion_cache_expiry ON id_conversion_cache(expires_at);
            """)
    }

    private static func createViews(_ db: Database) throws {
        try db.execute(sql: """
            CREATE VIEW plex_sync_stats AS
            SELECT
                COUNT(*) AS total_webhooks,
                SUM(status = 'success') AS successful,
                SUM(status = 'failed') AS failed,
                SUM(status = 'ignored') AS ignored,
                SUM(status = 'duplicate') AS duplicates,
                SUM(status = 'conflict') AS conflicts,
                SUM(status IN ('received', 'processing')) AS pending,
                AVG(processing_ms) AS avg_processing_ms,
                MAX(created_at) AS last_webhook_at,
                (SELECT COUNT(*) FROM plex_show_mappings WHERE status = 'mapped') AS mapped_shows,
                (SELECT COUNT(*) FROM plex_conflicts WHERE status = 'open') AS open_conflicts
            FROM plex_webhook_logs;

            CREATE VIEW plex_webhook_activity AS
            SELECT
                substr(created_at, 1, 10) AS day,
                status,
                COUNT(*) AS count,
                AVG(processing_ms) AS avg_processing_ms
            FROM plex_webhook_logs
            GROUP BY day, status;
            """)
    }

    /// Plex accounts and where their watches go; each watch remembers the account it came from.
    /// Users made on the fly for an account by earlier versions keep its watches: the account is
    /// recorded as going to that user.
    private static func createPlexAccounts(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE plex_accounts (
                id TEXT PRIMARY KEY CHECK (length(id) > 0),
                name TEXT,
                last_seen TEXT,
                target TEXT CHECK (target IN ('admin', 'user', 'none')),
                user_id INTEGER REFERENCES users(id),
                CHECK ((target = 'user') = (user_id IS NOT NULL))
            );
            ALTER TABLE episode_watches ADD COLUMN plex_account_id TEXT;
            CREATE INDEX episode_watches_account ON episode_watches(plex_account_id, user_id);

            INSERT INTO plex_accounts (id, name, target, user_id)
            SELECT plex_account_id, plex_account_name, 'user', id FROM users
            WHERE plex_account_id IS NOT NULL AND length(plex_account_id) > 0 AND is_admin = 0;
            UPDATE episode_watches SET plex_account_id =
                (SELECT u.plex_account_id FROM users u WHERE u.id = episode_watches.user_id AND u.is_admin = 0)
            WHERE plex_account_id IS NULL;
            """)
    }

    /// Plex import jobs (resumable: their cursor and counts are one checkpoint) and the chosen
    /// server's machine identifier.
    private static func createPlexImport(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE plex_config ADD COLUMN server_uuid TEXT;

            CREATE TABLE plex_import_jobs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                import_library INTEGER NOT NULL CHECK (import_library IN (0, 1)),
                import_history INTEGER NOT NULL CHECK (import_history IN (0, 1)),
                since TEXT,
                status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
                phase TEXT NOT NULL CHECK (phase IN ('starting', 'library', 'history', 'finished')),
                done INTEGER NOT NULL DEFAULT 0 CHECK (done >= 0),
                total INTEGER NOT NULL DEFAULT 0 CHECK (total >= done),
                shows_added INTEGER NOT NULL DEFAULT 0 CHECK (shows_added >= 0),
                shows_mapped INTEGER NOT NULL DEFAULT 0 CHECK (shows_mapped >= 0),
                conflicts INTEGER NOT NULL DEFAULT 0 CHECK (conflicts >= 0),
                shows_ignored INTEGER NOT NULL DEFAULT 0 CHECK (shows_ignored >= 0),
                shows_unchanged INTEGER NOT NULL DEFAULT 0 CHECK (shows_unchanged >= 0),
                watches_applied INTEGER NOT NULL DEFAULT 0 CHECK (watches_applied >= 0),
                watches_skipped INTEGER NOT NULL DEFAULT 0 CHECK (watches_skipped >= 0),
                watches_held INTEGER NOT NULL DEFAULT 0 CHECK (watches_held >= 0),
                cursor_section TEXT,
                cursor_library_offset INTEGER NOT NULL DEFAULT 0 CHECK (cursor_library_offset >= 0),
                cursor_history_offset INTEGER NOT NULL DEFAULT 0 CHECK (cursor_history_offset >= 0),
                error TEXT,
                owner TEXT,
                heartbeat_at TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                finished_at TEXT,
                CHECK (import_library = 1 OR import_history = 1),
                CHECK ((status = 'running') = (finished_at IS NULL)),
                CHECK (status = 'running' OR owner IS NULL),
                CHECK (status != 'failed' OR error IS NOT NULL)
            );
            CREATE UNIQUE INDEX plex_import_jobs_one_running ON plex_import_jobs(status) WHERE status = 'running';
            CREATE INDEX plex_import_jobs_created ON plex_import_jobs(created_at);
            """)
    }

    /// API tokens may expire; sessions and tokens are found by user (to end them on a password reset).
    private static func addTokenExpiry(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
            CREATE INDEX api_tokens_user ON api_tokens(user_id);
            CREATE INDEX sessions_user ON sessions(user_id);
            """)
    }

    /// Notification channels and their delivery outbox; what the machine decided for each
    /// mapping (auto-mapping accuracy); an index for the reports' resolution times.
    private static func createOperations(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE plex_show_mappings ADD COLUMN original_method TEXT;
            ALTER TABLE plex_show_mappings ADD COLUMN original_show_id INTEGER;
            UPDATE plex_show_mappings SET original_method = method, original_show_id = show_id
                WHERE status = 'mapped' AND show_id IS NOT NULL AND method != 'manual';

            CREATE TABLE notification_channels (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL CHECK (length(name) > 0),
                type TEXT NOT NULL CHECK (type IN ('webhook', 'discord', 'ntfy', 'gotify')),
                target TEXT NOT NULL,
                settings_sealed BLOB NOT NULL,
                token_set INTEGER NOT NULL DEFAULT 0 CHECK (token_set IN (0, 1)),
                events TEXT NOT NULL DEFAULT '[]',
                enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
                created_at TEXT NOT NULL,
                last_attempt_at TEXT,
                last_success_at TEXT,
                last_error TEXT,
                last_error_at TEXT
            );

            CREATE TABLE notification_deliveries (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                channel_id INTEGER NOT NULL REFERENCES notification_channels(id) ON DELETE CASCADE,
                event TEXT NOT NULL,
                message TEXT NOT NULL,
                dedupe_key TEXT,
                status TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                next_attempt_at TEXT,
                last_error TEXT,
                created_at TEXT NOT NULL,
                delivered_at TEXT
            );
            CREATE INDEX notification_deliveries_due ON notification_deliveries(status, next_attempt_at);
            CREATE INDEX notification_deliveries_dedupe ON notification_deliveries(dedupe_key, created_at);
            CREATE INDEX notification_deliveries_channel ON notification_deliveries(channel_id, id);

            CREATE INDEX plex_conflicts_resolved ON plex_conflicts(resolved_at);
            CREATE INDEX shows_created ON shows(created_at);
            """)
    }

    /// A show's aliases with their sources (confirmed by a person, from TMDB, ...), kept apart
    /// from the catalog's own list in `shows.aliases`.
    private static func createShowAliases(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE show_aliases (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                show_id INTEGER NOT NULL REFERENCES shows(id) ON DELETE CASCADE,
                title TEXT NOT NULL CHECK (length(trim(title)) > 0),
                source TEXT NOT NULL CHECK (length(source) > 0),
                language TEXT,
                created_at TEXT NOT NULL,
                UNIQUE (show_id, title, source)
            );
            """)
    }

    /// Most webhooks never wait in a conflict: indexing only those that do spares every inbox
    /// write one index page.
    private static func narrowInboxConflictIndex(_ db: Database) throws {
        try db.execute(sql: """
            DROP INDEX plex_webhook_logs_conflict;
            CREATE INDEX plex_webhook_logs_conflict ON plex_webhook_logs(conflict_id) WHERE conflict_id IS NOT NULL;
            """)
    }

    /// The inbox's ids come from its rowid instead of `AUTOINCREMENT`: every insert spared the
    /// read and rewrite of `sqlite_sequence`, one log page per acknowledgement. The table is
    /// rebuilt with the same columns, rows, ids and indexes; the views over it are made again.
    private static func inboxWithoutAutoincrement(_ db: Database) throws {
        try db.execute(sql: """
            DROP VIEW plex_sync_stats;
            DROP VIEW plex_webhook_activity;
            CREATE TABLE plex_webhook_logs_rowid (
                id INTEGER PRIMARY KEY,
                created_at TEXT NOT NULL,
                event TEXT,
                plex_title TEXT,
                server_uuid TEXT,
                account_id TEXT,
                rating_key TEXT,
                idempotency_key TEXT,
                client TEXT,
                raw_payload TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN
                    ('received', 'processing', 'success', 'failed', 'ignored', 'duplicate', 'conflict')),
                error_message TEXT,
                attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                next_attempt_at TEXT,
                processing_ms REAL CHECK (processing_ms IS NULL OR processing_ms >= 0),
                completed_at TEXT,
                mapping_id INTEGER REFERENCES plex_show_mappings(id) ON DELETE SET NULL,
                conflict_id INTEGER REFERENCES plex_conflicts(id) ON DELETE SET NULL,
                episode_id INTEGER REFERENCES episodes(id) ON DELETE SET NULL
            );
            INSERT INTO plex_webhook_logs_rowid SELECT * FROM plex_webhook_logs;
            DROP TABLE plex_webhook_logs;
            ALTER TABLE plex_webhook_logs_rowid RENAME TO plex_webhook_logs;
            CREATE INDEX plex_webhook_logs_status ON plex_webhook_logs(status, next_attempt_at);
            CREATE INDEX plex_webhook_logs_created ON plex_webhook_logs(created_at);
            CREATE INDEX plex_webhook_logs_idempotency ON plex_webhook_logs(idempotency_key, created_at);
            CREATE INDEX plex_webhook_logs_conflict ON plex_webhook_logs(conflict_id) WHERE conflict_id IS NOT NULL;
            """)
        try createViews(db)
    }
}
